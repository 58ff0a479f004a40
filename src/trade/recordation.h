// IPR recordations (DOMAIN.md §3, §7.1.8): a rights holder records a registered trademark,
// copyright or trade name with customs, which approves or rejects it.
//
// Lifecycle (stored `state`):   APPLIED --approve (customs)--> ACTIVE --cancel--> CANCELLED
//                               APPLIED --reject (customs)---> REJECTED
//                               APPLIED --cancel (owner)-----> CANCELLED
// EXPIRED is derived, never stored: an ACTIVE recordation at or after `validUntil` (the end of
// the validity is exclusive, like every validity window on the ledger).
//
// State: ipr-recordation/<recordationNo>  the Recordation (JSON, ToJson below)
//
// Transactions (bodies are JSON objects):
//   ipr.recordation.apply   {recordationNo, rightType, registrationNo, mark, intlClasses[],
//                            goodsDescription, placesOfManufacture[], authorizedUsers[]
//                            {name, address, useAuthorized}, affiliates[], leverRule,
//                            leverDifferences[], images[] (SHA-256 hex), validUntil}
//                           by a RIGHTS_HOLDER key; the signer's organisation is the owner.
//   ipr.recordation.approve {recordationNo}          by customs (CBP_OFFICER or CBP_ADMIN)
//   ipr.recordation.reject  {recordationNo, reason}  by customs (CBP_OFFICER or CBP_ADMIN)
//   ipr.recordation.cancel  {recordationNo}          by the owner (RIGHTS_HOLDER) or CBP_ADMIN
//
// Recordation numbers are "TMK YY-NNNNN" (trademark), "COP YY-NNNNN" (copyright) and
// "TNM YY-NNNNN" (trade name); the prefix must match the right type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

struct Recordation {
  std::string recordation_no;
  std::string right_type;  // TRADEMARK | COPYRIGHT | TRADE_NAME
  std::string registration_no;
  std::string mark;   // the word mark, trade name or title of the work (the line's "brand")
  std::string owner;  // org id of the rights holder
  std::vector<uint64_t> intl_classes;
  std::string goods_description;
  std::vector<std::string> places_of_manufacture;
  Json authorized_users = Json::array();  // [{name, address, useAuthorized}]
  std::vector<std::string> affiliates;
  bool lever_rule = false;
  std::vector<std::string> lever_differences;
  std::vector<std::string> images;  // SHA-256 hex of each image
  int64_t valid_until = 0;
  std::string state = "APPLIED";  // APPLIED | ACTIVE | REJECTED | CANCELLED
  int64_t applied_at = 0;
  std::optional<int64_t> approved_at;
  std::optional<int64_t> closed_at;  // rejected or cancelled
  std::string decided_by;            // customs org of the approval or rejection
  std::string reject_reason;

  Json ToJson() const;
  static core::Result<Recordation> FromJson(const Json& j);  // STATE_CORRUPT on a bad shape
};

// The state at `time`: the stored state, with ACTIVE becoming EXPIRED at validUntil and
// CANCELLED counting from its cancellation only (an ACTIVE recordation cancelled later was
// ACTIVE at earlier times).
std::string RecordationStateAt(const Recordation& r, int64_t time);

// "TMK|COP|TNM YY-NNNNN" with the prefix of `right_type`.
bool IsValidRecordationNo(std::string_view no, std::string_view right_type);

core::Bytes RecordationKey(std::string_view recordation_no);
core::Result<std::optional<Recordation>> LoadRecordation(const StateReader& state,
                                                         std::string_view recordation_no);
void SaveRecordation(WorkingState& state, const Recordation& r);

core::Result<TxOutcome> ExecuteRecordationApply(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteRecordationApprove(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteRecordationReject(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteRecordationCancel(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
