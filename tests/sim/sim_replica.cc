#include "sim_replica.h"

namespace tradeledger::sim {

// The node's ChainStorage with the simulator's crash point in front of every write.
class SimReplica::CrashingStorage final : public node::DriverStorage {
 public:
  CrashingStorage(node::ChainStorage& inner, std::optional<CrashPoint>& crash)
      : inner_(inner), crash_(crash) {}

  const consensus::LedgerView& view() const override { return inner_.view(); }
  core::Result<node::Chain::Validators> NextValidators() const override {
    return inner_.NextValidators();
  }
  core::Result<std::vector<node::TxIndexEntry>> Commit(const ledger::StoredBlock& block) override {
    bool crash = Crashes();
    if (crash && !crash_applies_) return core::Fail(Crashed());
    auto entries = inner_.Commit(block);
    if (crash && entries) return core::Fail(Crashed());
    return entries;
  }
  core::Result<core::Bytes> ReadSafetyState() override { return inner_.ReadSafetyState(); }
  core::Status WriteSafetyState(core::ByteSpan state) override {
    return Write([&] { return inner_.WriteSafetyState(state); });
  }
  core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> ReadLockedBlocks() override {
    return inner_.ReadLockedBlocks();
  }
  core::Status UpdateLockedBlocks(const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
                                  const std::vector<ledger::BlockHash>& remove) override {
    return Write([&] { return inner_.UpdateLockedBlocks(add, remove); });
  }

 private:
  // Whether this write is the armed one; disarms it.
  bool Crashes() {
    if (!crash_ || --crash_->countdown > 0) return false;
    crash_applies_ = crash_->applied;
    crash_.reset();
    return true;
  }
  static core::Error Crashed() { return core::Error{kSimCrash, "the simulator crashed here"}; }
  template <typename F>
  core::Status Write(F write) {
    bool crash = Crashes();
    if (crash && !crash_applies_) return core::Fail(Crashed());
    TL_RETURN_IF_ERROR(write());
    if (crash) return core::Fail(Crashed());
    return core::Ok();
  }

  node::ChainStorage& inner_;
  std::optional<CrashPoint>& crash_;
  bool crash_applies_ = false;
};

SimReplica::SimReplica(const node::Genesis& genesis, node::DriverOptions options,
                       crypto::KeyPair key, node::DriverEffects& effects)
    : genesis_(genesis), options_(std::move(options)), key_(std::move(key)), effects_(effects) {
  TL_CHECK(Open());
}

bool SimReplica::Open() {
  auto chain = node::Chain::Open(ledger_, genesis_);
  TL_CHECK(chain.has_value());
  chain_ = std::move(*chain);
  chain_storage_ = std::make_unique<node::ChainStorage>(ledger_, *chain_, safety_);
  storage_ = std::make_unique<CrashingStorage>(*chain_storage_, crash_);
  auto driver = node::Driver::Create(*storage_, key_, options_, effects_);
  if (!driver && driver.error().code == "NODE_NOT_VALIDATOR") {
    Crash();
    return false;
  }
  TL_CHECK(driver.has_value());
  driver_ = std::move(*driver);
  return true;
}

SimReplica::~SimReplica() = default;

uint64_t SimReplica::stored_height() {
  if (chain_) return chain_->tip().height.value;
  auto chain = node::Chain::Open(ledger_, genesis_);
  TL_CHECK(chain.has_value());
  return (*chain)->tip().height.value;
}

void SimReplica::Crash() {
  crash_.reset();
  driver_.reset();
  storage_.reset();
  chain_storage_.reset();
  chain_.reset();
}

bool SimReplica::Restart() {
  TL_CHECK(!up());
  return Open();
}

}  // namespace tradeledger::sim
