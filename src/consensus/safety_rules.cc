#include "consensus/safety_rules.h"

#include <algorithm>

#include "core/encoding.h"

namespace tradeledger::consensus {
namespace {
constexpr uint8_t kSafetyStateVersion = 1;
}  // namespace

core::Bytes SafetyState::Encode() const {
  core::Encoder e(256);
  e.PutU8(kSafetyStateVersion).PutU64(last_voted_view.value);
  high_qc.EncodeTo(e);
  return std::move(e).Take();
}

core::Result<SafetyState> SafetyState::Decode(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kSafetyStateVersion));
  SafetyState s;
  TL_ASSIGN_OR_RETURN(s.last_voted_view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(s.high_qc, QuorumCert::DecodeFrom(d));
  TL_RETURN_IF_ERROR(d.Finish());
  return s;
}

bool SafetyRules::ObserveQc(const QuorumCert& qc) {
  if (qc.view <= state_.high_qc.view) return false;
  state_.high_qc = qc;
  return true;
}

bool SafetyRules::SafeToVote(core::View block_view, core::View qc_view,
                             const TimeoutCert* tc) const {
  if (block_view <= std::max(state_.last_voted_view, qc_view)) return false;
  if (qc_view.value + 1 == block_view.value) return true;
  if (tc == nullptr || tc->view.value + 1 != block_view.value) return false;
#ifdef TL_CONSENSUS_TEETH_DISABLE_LOCK
  // Test-only build (tests/sim teeth test): the lock check is deliberately missing, so a
  // leader entering a view by TC may extend any QC, and the simulator must find the fork.
  return true;
#else
  return qc_view >= tc->MaxHighQcView();
#endif
}

void SafetyRules::RecordVote(core::View block_view) {
  TL_CHECK(block_view > state_.last_voted_view);
  state_.last_voted_view = block_view;
}

bool SafetyRules::SafeToTimeout(core::View view) const {
  return view >= state_.last_voted_view && view > state_.high_qc.view;
}

void SafetyRules::RecordTimeout(core::View view) {
  state_.last_voted_view = std::max(state_.last_voted_view, view);
}

}  // namespace tradeledger::consensus
