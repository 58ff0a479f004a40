// The `operator`, `customs` and `genesis` commands of the genesis ceremony (cli/ceremony.h,
// doc/operations.md). Exit codes: 0 done; 1 invalid input or a refused step (the message
// names the reason code); for `genesis verify`, 1 also when a founder has not signed off.
#pragma once

namespace CLI {
class App;
}

namespace tradeledger::cli {

// Adds the three command groups to `app`; each sets `exit_code` when it runs.
void AddCeremonyCommands(CLI::App& app, int& exit_code);

}  // namespace tradeledger::cli
