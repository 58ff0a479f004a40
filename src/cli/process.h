// Starting and stopping background node processes for `tradeledger net`.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace tradeledger::cli {

// The absolute path of the running executable.
std::string SelfExecutable();

// Starts `argv` as a detached process (new session, stdin /dev/null, stdout and stderr
// appended to `log_file`) and returns its pid.
core::Result<pid_t> SpawnDetached(const std::vector<std::string>& argv,
                                  const std::string& log_file);

// True if `pid` runs and is a tradeledger process (not a zombie, not a reused pid).
bool IsRunningTradeledger(pid_t pid);

// Sends SIGTERM, waits up to `grace` for the process to end, then SIGKILL. True if it ended.
bool StopProcess(pid_t pid, std::chrono::milliseconds grace);

std::optional<pid_t> ReadPidFile(const std::string& path);
core::Status WritePidFile(const std::string& path, pid_t pid);

}  // namespace tradeledger::cli
