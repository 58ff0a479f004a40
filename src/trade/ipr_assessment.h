// IPR assessment of an entry line (DOMAIN.md §7.1.11, rules 25, 28, 29): does a licence chain
// show that the goods on the line were legitimately licensed? The result is advisory to
// customs only; it never releases or seizes anything.
//
//   FACILITATE     a chain rooted in an ACTIVE recordation covers the line's brand and hts10,
//                  every link is ACTIVE on the import date, the MID and country of origin are
//                  authorised where the chain lists them, and the importer is a licensee with
//                  IMPORT or an authorised importer along the chain (or the rights holder).
//   NO_CREDENTIAL  no chain was presented, or the presented chain is not on the ledger or does
//                  not match the ledger's parent links (reason NO_CREDENTIAL).
//   FLAG           anything else, with every reason in rule order: RECORDATION_NOT_ACTIVE,
//                  LICENSE_REVOKED, LICENSE_EXPIRED, LICENSE_SUSPENDED, LICENSE_NOT_YET_VALID,
//                  PRODUCT_NOT_COVERED, MID_NOT_AUTHORIZED, COUNTRY_NOT_AUTHORIZED,
//                  IMPORTER_NOT_AUTHORIZED, then QUANTITY_LIMIT_EXCEEDED (rule 29).
//
// Rule 29: quantityUsed of a licence is the cumulative quantity of the assessed lines that the
// chain through it authorises (the line is FACILITATE, or FLAG only for quantity); such a line
// counts against every link of its chain. Exceeding a quantityLimit is a FLAG, never a denial.
//
// Transaction (the line data travel with it, so the module does not depend on stored entries):
//   ipr.assess {entryNumber, lineNo, importer, hts10, countryOfOrigin, mid, quantity,
//               importDate, brand?, recordationRefs[]?, licenseRefs[]? (leaf first)}
//     signed by the importer, or by a broker holding an ACTIVE PRESENT_LICENSE delegation from
//     it (NOT_AUTHORIZED_FILER otherwise). Records the IprAssessment at
//     ipr-assessment/<entryNumber>#<lineNo> (entry number in canonical XXX-NNNNNNN-C form);
//     a line is assessed once (ASSESSMENT_EXISTS), so earlier assessments never change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The line data an assessment needs (DOMAIN §7.1.5), already validated.
struct LineForAssessment {
  std::string entry_number;  // canonical XXX-NNNNNNN-C
  uint64_t line_no = 0;
  std::string importer;  // org id of the importer of record
  std::string hts10;     // 10 digits
  std::string country_of_origin;
  std::string mid;
  uint64_t quantity = 0;
  int64_t import_date = 0;
  std::optional<std::string> brand;
  std::vector<std::string> recordation_refs;
  std::vector<std::string> license_refs;  // the presented chain, leaf first
};

struct IprAssessmentResult {
  std::string result;                      // FACILITATE | FLAG | NO_CREDENTIAL
  std::vector<std::string> reason_codes;   // empty for FACILITATE
  std::vector<std::string> license_chain;  // the chain assessed, leaf first (from the ledger)
  std::vector<std::string> licensors;      // licensor of each link (for read access)
  std::vector<std::string> recordations;   // recordations the chain is rooted in
  bool counts_quantity = false;            // the line's quantity is added to every link (rule 29)
  std::string detail;
};

// Parses an ipr.assess body. Reason codes: PAYLOAD_INVALID, ENTRY_NUMBER_INVALID (shape only;
// the check digit belongs to the entry rules), HTS_FORMAT, COUNTRY_CODE_INVALID, MID_FORMAT,
// DATE_INVALID.
core::Result<LineForAssessment> ParseAssessLine(const Json& body);

// Rules 28 and 29 for one line, as of `time` (the block time): a pure read of the state.
// Storage and corrupt-state failures are errors; rule outcomes are in the result.
core::Result<IprAssessmentResult> AssessLine(const StateReader& state,
                                             const LineForAssessment& line, int64_t time);

// Adds the line's quantity to quantityUsed of each link when the result counts it.
core::Status ApplyQuantityUse(WorkingState& state, const IprAssessmentResult& result,
                              uint64_t quantity);

core::Bytes AssessmentKey(std::string_view entry_number, uint64_t line_no);
// The stored IprAssessment: {assessmentId, entryNumber, lineNo, importer, filedBy, line{...},
// result, reasonCodes[], licenseChain[], licensors[], recordations[], detail, assessedAt, txId}.
Json AssessmentRecord(const LineForAssessment& line, const IprAssessmentResult& result,
                      std::string_view filed_by, int64_t time, std::string_view tx_id);
core::Result<std::optional<Json>> LoadAssessment(const StateReader& state,
                                                 std::string_view entry_number, uint64_t line_no);

core::Result<TxOutcome> ExecuteIprAssess(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
