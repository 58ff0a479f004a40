#include "cli/bench_limits.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "crypto/sha256.h"

namespace tradeledger::cli::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Verifications per second by `threads` threads, each cycling through `sample`.
double VerifyRate(std::span<const ledger::SignedTransaction> sample, unsigned threads,
                  std::chrono::milliseconds each) {
  std::atomic<uint64_t> total{0};
  std::atomic<bool> bad{false};
  auto start = Clock::now();
  auto deadline = start + each;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      uint64_t n = 0;
      size_t i = t % sample.size();
      do {
        for (int k = 0; k < 32; ++k) {
          if (!sample[i].VerifySignature()) bad = true;
          i = (i + 1) % sample.size();
          ++n;
        }
      } while (Clock::now() < deadline);
      total += n;
    });
  }
  for (auto& w : workers) w.join();
  // A signature of our own that does not verify is a bug in the workload, not a measurement.
  TL_CHECK(!bad);
  return static_cast<double>(total) / Seconds(Clock::now() - start);
}

double Sha256Rate(std::chrono::milliseconds each) {
  core::Bytes block(1024, 0x5a);
  uint64_t bytes = 0;
  auto start = Clock::now();
  do {
    for (int k = 0; k < 256; ++k) {
      core::Hash32 h = crypto::Sha256Of(block);
      block[0] = h.data[0];
      bytes += block.size();
    }
  } while (Clock::now() < start + each);
  return static_cast<double>(bytes) / 1e6 / Seconds(Clock::now() - start);
}

// fsync()s per second of a 4 KiB file rewritten in place, as a write-ahead log's sync is.
double FsyncRate(const std::string& dir, std::chrono::milliseconds each, std::string* error) {
  std::filesystem::path path =
      std::filesystem::path(dir) / (".tradeledger-bench-fsync-" + std::to_string(getpid()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = path.string() + ": " + std::strerror(errno);
    return 0;
  }
  std::vector<char> page(4096, 'x');
  uint64_t n = 0;
  auto start = Clock::now();
  do {
    page[n % page.size()] = static_cast<char>('a' + n % 26);
    if (::pwrite(fd, page.data(), page.size(), 0) != static_cast<ssize_t>(page.size()) ||
        ::fsync(fd) != 0) {
      *error = path.string() + ": " + std::strerror(errno);
      break;
    }
    ++n;
  } while (Clock::now() < start + each);
  double rate = static_cast<double>(n) / Seconds(Clock::now() - start);
  ::close(fd);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return error->empty() ? rate : 0;
}

}  // namespace

MachineLimits MeasureLimits(std::span<const ledger::SignedTransaction> sample,
                            const std::string& fsync_dir, std::chrono::milliseconds each) {
  TL_CHECK(!sample.empty());
  MachineLimits m;
  m.cores = std::max(1u, std::thread::hardware_concurrency());
  double bytes = 0;
  for (const auto& tx : sample) bytes += static_cast<double>(tx.envelope().size());
  m.sample_envelope_bytes = bytes / static_cast<double>(sample.size());
  m.verify_one_core_per_s = VerifyRate(sample, 1, each);
  m.verify_all_cores_per_s = VerifyRate(sample, m.cores, each);
  m.sha256_mb_per_s = Sha256Rate(each);
  m.fsync_dir = fsync_dir;
  if (fsync_dir.empty()) {
    m.fsync_error = "no --data-dir given";
  } else {
    m.fsyncs_per_s = FsyncRate(fsync_dir, each, &m.fsync_error);
  }
  return m;
}

}  // namespace tradeledger::cli::bench
