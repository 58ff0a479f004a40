#include "trade/ipr_handlers.h"

#include "trade/ipr_assessment.h"
#include "trade/licence_handlers.h"
#include "trade/recordation.h"

namespace tradeledger::trade {

void AddIprHandlers(std::map<std::string, Handler, std::less<>>& handlers) {
  handlers.emplace("ipr.recordation.apply", ExecuteRecordationApply);
  handlers.emplace("ipr.recordation.approve", ExecuteRecordationApprove);
  handlers.emplace("ipr.recordation.reject", ExecuteRecordationReject);
  handlers.emplace("ipr.recordation.cancel", ExecuteRecordationCancel);
  handlers.emplace("ipr.license.issue", ExecuteLicenceIssue);
  handlers.emplace("ipr.license.suspend", ExecuteLicenceSuspend);
  handlers.emplace("ipr.license.reinstate", ExecuteLicenceReinstate);
  handlers.emplace("ipr.license.revoke", ExecuteLicenceRevoke);
  handlers.emplace("ipr.assess", ExecuteIprAssess);
}

}  // namespace tradeledger::trade
