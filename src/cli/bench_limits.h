// The machine's own limits, measured by `tradeledger bench` in the same run as the load so
// that every throughput figure can be given as a fraction of its bound.
//
// Each validator verifies each transaction's signature once (ADR 0017), so n validators
// sharing this machine can verify at most (verifications/s on all cores) / n transactions
// per second between them: that is the bound a throughput figure is compared with.
//
// Thread safety: MeasureLimits starts and joins its own threads; call it from one thread.
#pragma once

#include <chrono>
#include <span>
#include <string>

#include "ledger/transaction.h"

namespace tradeledger::cli::bench {

struct MachineLimits {
  unsigned cores = 0;                 // std::thread::hardware_concurrency()
  double verify_one_core_per_s = 0;   // Ed25519 verifications of the sample, one thread
  double verify_all_cores_per_s = 0;  // the same with one thread per core
  double sha256_mb_per_s = 0;         // SHA-256 of 1 KiB inputs, one thread (MB = 10^6 B)
  double fsyncs_per_s = 0;            // 4 KiB write + fsync of one file; 0 if not measured
  std::string fsync_dir;              // where fsync was measured
  std::string fsync_error;            // why it was not, if it was not
  double sample_envelope_bytes = 0;   // mean envelope size of the verified transactions
};

// Measures each limit for about `each` (fsync included, in `fsync_dir`; skipped if empty).
// `sample`: the transactions whose signatures are verified (at least one).
MachineLimits MeasureLimits(std::span<const ledger::SignedTransaction> sample,
                            const std::string& fsync_dir, std::chrono::milliseconds each);

}  // namespace tradeledger::cli::bench
