#include "trade/executor.h"

#include "core/encoding.h"
#include "trade/registry.h"
#include "trade/state_keys.h"

namespace tradeledger::trade {
namespace {

core::Result<std::optional<uint64_t>> LastNonce(const WorkingState& state,
                                                const crypto::PublicKey& signer) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(NonceKey(signer)));
  if (!raw) return std::optional<uint64_t>();
  core::Decoder d(*raw);
  auto nonce = d.GetU64();
  if (!nonce || !d.Finish()) return core::Fail("STATE_CORRUPT", "nonce record malformed");
  return std::optional<uint64_t>(*nonce);
}

}  // namespace

core::Result<TxOutcome> Execute(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(std::optional<uint64_t> last, LastNonce(state, tx.signer));
  if (last && tx.nonce <= *last) {
    return TxOutcome{"NONCE_REUSED", "nonce " + std::to_string(tx.nonce) +
                                         " is not above the signer's last nonce " +
                                         std::to_string(*last)};
  }
  core::Encoder nonce;
  nonce.PutU64(tx.nonce);
  state.Put(NonceKey(tx.signer), std::move(nonce).Take());

  WorkingState scope(static_cast<const StateReader&>(state));
  TxOutcome outcome;
  const auto& handlers = Handlers();
  if (auto it = handlers.find(tx.type); it != handlers.end()) {
    TL_ASSIGN_OR_RETURN(outcome, it->second(scope, tx));
  } else {
    outcome = TxOutcome{"TX_TYPE_UNKNOWN", "no transaction type '" + std::string(tx.type) + "'"};
  }
  if (outcome.ok()) std::move(scope).MergeInto(state);
  return outcome;
}

}  // namespace tradeledger::trade
