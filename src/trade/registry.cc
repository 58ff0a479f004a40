#include "trade/registry.h"

#include "trade/delegation.h"
#include "trade/document_anchor.h"
#include "trade/document_purge.h"
#include "trade/holiday_calendar.h"
#include "trade/ipr_handlers.h"
#include "trade/ledger_clock.h"
#include "trade/origin_handlers.h"
#include "trade/participants.h"
#include "trade/validator_set.h"

namespace tradeledger::trade {

const std::map<std::string, Handler, std::less<>>& Handlers() {
  static const std::map<std::string, Handler, std::less<>> kHandlers = [] {
    std::map<std::string, Handler, std::less<>> handlers = {
        {"document.anchor", ExecuteDocumentAnchor},
        {"document.present", ExecuteDocumentPresent},
        {"document.purge", ExecuteDocumentPurge},
        {"org.admit", ExecuteOrgAdmit},
        {"org.set-status", ExecuteOrgSetStatus},
        {"org.set-roles", ExecuteOrgSetRoles},
        {"member.add", ExecuteMemberAdd},
        {"member.rotate", ExecuteMemberRotate},
        {"member.revoke", ExecuteMemberRevoke},
        {"clock.advance", ExecuteClockAdvance},
        {"calendar.amend", ExecuteCalendarAmend},
        {std::string(kValidatorSetTxType), ExecuteValidatorSet},
        {"delegation.grant", ExecuteDelegationGrant},
        {"delegation.revoke", ExecuteDelegationRevoke},
    };
    AddOriginHandlers(handlers);
    AddIprHandlers(handlers);
    return handlers;
  }();
  return kHandlers;
}

}  // namespace tradeledger::trade
