#include "trade/origin_handlers.h"

#include "trade/certification.h"
#include "trade/claim_transitions.h"
#include "trade/entry.h"
#include "trade/verification_case.h"

namespace tradeledger::trade {

void AddOriginHandlers(std::map<std::string, Handler, std::less<>>& handlers) {
  handlers.emplace("cert.issue", ExecuteCertIssue);
  handlers.emplace("cert.supersede", ExecuteCertSupersede);
  handlers.emplace("cert.withdraw", ExecuteCertWithdraw);
  handlers.emplace("cert.present", ExecuteCertPresent);
  handlers.emplace("entry.file", ExecuteEntryFile);
  handlers.emplace("claim.request-correction", ExecuteClaimRequestCorrection);
  handlers.emplace("claim.request-series", ExecuteClaimRequestSeries);
  handlers.emplace("claim.supply-cert", ExecuteClaimSupplyCert);
  handlers.emplace("claim.voluntary-correct", ExecuteClaimVoluntaryCorrect);
  handlers.emplace("claim.enforce-deadlines", ExecuteClaimEnforceDeadlines);
  handlers.emplace("case.open", ExecuteCaseOpen);
  handlers.emplace("case.request", ExecuteCaseRequest);
  handlers.emplace("case.respond", ExecuteCaseRespond);
  handlers.emplace("case.intent-to-deny", ExecuteCaseIntentToDeny);
  handlers.emplace("case.determine", ExecuteCaseDetermine);
}

}  // namespace tradeledger::trade
