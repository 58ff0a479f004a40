// tradeledger: the node, network, client and audit commands in one binary.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/assess_command.h"
#include "cli/bench.h"
#include "cli/ceremony_commands.h"
#include "cli/commands.h"
#include "cli/index_command.h"
#include "cli/node_client.h"
#include "cli/suggest.h"

int main(int argc, char** argv) {
  namespace cli = tradeledger::cli;
  CLI::App app{"TradeLedger: a permissioned BFT ledger for customs trade documents"};
  app.set_version_flag("--version", "tradeledger " TL_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;

  auto* node = app.add_subcommand("node", "Run a validator node");
  std::string config;
  cli::LogOptions log;
  node->add_option("--config", config, "Node configuration file (JSON)")->required();
  node->add_option("--log-level", log.level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  node->add_option("--log-format", log.format, "text, or json: one object per line")
      ->check(CLI::IsMember({"text", "json"}));
  node->callback([&] { exit_code = cli::RunNode(config, log); });

  // For every command that talks to a node: https:// URLs are verified against this CA file.
  auto add_ca_file = [](CLI::App* command) {
    command->add_option_function<std::string>(
        "--ca-file", [](const std::string& path) { cli::SetCaFile(path); },
        "CA certificates (PEM) to verify an https:// node against (default: $TL_CA_FILE, else "
        "the system's trust store)");
  };

  auto* net = app.add_subcommand("net", "Create, start and stop a local network");
  net->require_subcommand(1);
  cli::NetInitOptions init;
  auto* net_init = net->add_subcommand("init", "Write keys, genesis and configs for a network");
  net_init->add_option("--validators", init.validators, "Number of validators")->required();
  net_init->add_option("--dir", init.dir, "Directory to create")->required();
  net_init->add_option("--base-port", init.base_port, "HTTP port of the first node");
  net_init->add_option("--p2p-base-port", init.p2p_base_port,
                       "Validator transport port of the first node (default: base port + 100)");
  net_init->add_option("--chain-name", init.chain_name, "Name written into the genesis");
  net_init->add_flag("--bare", init.bare,
                     "No customs authority or participants: anchor documents from any key");
  net_init->add_option("--ledger-clock", init.ledger_clock,
                       "Run on a ledger clock starting at this UTC instant (test/demo networks)");
  net_init->add_flag("--tls", init.tls,
                     "Serve the API over HTTPS with certificates from a CA made for the network");
  net_init->callback([&] { exit_code = cli::NetInit(init); });
  std::string net_dir;
  auto* net_up = net->add_subcommand("up", "Start every node of the network in the background");
  net_up->add_option("--dir", net_dir, "Network directory")->required();
  net_up->callback([&] { exit_code = cli::NetUp(net_dir); });
  auto* net_down = net->add_subcommand("down", "Stop every node of the network");
  net_down->add_option("--dir", net_dir, "Network directory")->required();
  net_down->callback([&] { exit_code = cli::NetDown(net_dir); });

  cli::AddCeremonyCommands(app, exit_code);

  std::string key_out;
  auto* keygen = app.add_subcommand("keygen", "Generate an Ed25519 key file (mode 0600)");
  keygen->add_option("--out", key_out, "Key file to create")->required();
  keygen->callback([&] { exit_code = cli::Keygen(key_out); });

  auto* tx = app.add_subcommand("tx", "Transactions");
  tx->require_subcommand(1);
  cli::SubmitOptions submit;
  auto* tx_submit = tx->add_subcommand("submit", "Sign, submit, wait for commit, print proof");
  tx_submit->add_option("--key", submit.key_file, "Signer key file")->required();
  tx_submit->add_option("--node", submit.node_url, "Node API URL")->required();
  tx_submit->add_option("--type", submit.type, "Transaction type, e.g. document.anchor")
      ->required();
  tx_submit
      ->add_option("--payload", submit.payload_file,
                   "JSON body of the transaction (a file, or - for standard input)")
      ->required();
  tx_submit->add_option("--nonce", submit.nonce, "Nonce (default: microseconds since epoch)");
  tx_submit->add_option("--timeout-ms", submit.timeout_ms, "How long to wait for the commit");
  add_ca_file(tx_submit);
  tx_submit->callback([&] { exit_code = cli::TxSubmit(submit); });

  std::string get_key, get_node, get_target;
  auto* get = app.add_subcommand("get", "Signed, access-controlled read of a node API path");
  get->add_option("--key", get_key, "Reader key file")->required();
  get->add_option("--node", get_node, "Node API URL")->required();
  get->add_option("path", get_target, "e.g. /v1/documents/CO-1 or /v1/state/proof?key=doc/CO-1")
      ->required();
  add_ca_file(get);
  get->callback([&] { exit_code = cli::Get(get_key, get_node, get_target); });

  std::string proof_file, validators_file;
  auto* verify = app.add_subcommand("verify", "Check a proof bundle offline");
  verify->add_option("--proof", proof_file, "Proof bundle (or tx submit output)")->required();
  verify->add_option("--validators", validators_file, "Validators file")->required();
  verify->callback([&] { exit_code = cli::Verify(proof_file, validators_file); });

  std::string data_dir, genesis_file;
  auto* audit = app.add_subcommand("audit", "Re-verify a stopped node's data directory");
  audit->add_option("--data", data_dir, "The node's data directory")->required();
  audit->add_option("--genesis", genesis_file,
                    "Genesis file to audit against (default: the copy in the data directory)");
  audit->callback([&] { exit_code = cli::AuditCommand(data_dir, genesis_file); });

  cli::DemoOptions demo;
  auto* demo_cmd = app.add_subcommand(
      "demo", "Run the ledger basics and the DOMAIN stories against a ledger-clock network");
  demo_cmd->add_option("--node", demo.node_url, "Node API URL")->required();
  demo_cmd->add_option("--validators", demo.validators_file, "Validators file")->required();
  demo_cmd->add_option("--customs-key", demo.customs_key_file,
                       "Customs administrator key (default: <validators dir>/customs/admin.key)");
  demo_cmd->add_option("--only", demo.only,
                       "Comma-separated sections: basics,1..13,proof,access (default: all)");
  demo_cmd->add_option("--transactions", demo.transactions, "Documents to anchor (basics)");
  demo_cmd->add_option("--signers", demo.signers, "Member keys that sign them (basics)");
  add_ca_file(demo_cmd);
  demo_cmd->callback([&] { exit_code = cli::Demo(demo); });

  cli::BenchOptions bench;
  auto* bench_cmd = app.add_subcommand(
      "bench", "Load generator: committed tx/s and submit-to-commit latency vs machine limits");
  cli::AddBenchOptions(bench_cmd, bench);
  add_ca_file(bench_cmd);
  bench_cmd->callback([&] { exit_code = cli::Bench(bench); });

  cli::IndexOptions index;
  auto* index_cmd = app.add_subcommand(
      "index", "Follow a node's committed blocks into PostgreSQL, as one reader sees them");
  index_cmd->add_option("--key", index.key_file, "The reader's key file")->required();
  index_cmd->add_option("--node", index.node_url, "Node API URL to follow")->required();
  index_cmd
      ->add_option("--validators", index.validators_file,
                   "Validators file: the certificates' root of trust")
      ->required();
  index_cmd->add_option("--db", index.db, "PostgreSQL connection string (libpq)")->required();
  index_cmd->add_option("--watch", index.watch,
                        "Node API URL to sample for availability (repeatable)");
  index_cmd->add_option("--until-height", index.until_height, "Stop once this height is indexed");
  index_cmd->add_flag("--once", index.once, "Stop once caught up with the tip at start");
  index_cmd->add_option("--records-every", index.records_seconds,
                        "Seconds between reads of the records (default 5)");
  index_cmd->add_option("--sample-every", index.sample_seconds,
                        "Seconds between samples of the --watch nodes (default 2)");
  add_ca_file(index_cmd);
  index_cmd->callback([&] { exit_code = cli::Index(index); });

  cli::AssessOptions assess;
  auto* assess_cmd = app.add_subcommand(
      "assess", "The 360-degree assessment: an HTML report (and JSON, PDF) of an index database");
  assess_cmd->add_option("--db", assess.db, "PostgreSQL connection string of the index (libpq)")
      ->required();
  assess_cmd->add_option("--out", assess.out_html, "HTML report to write")->required();
  assess_cmd->add_option("--json", assess.out_json, "Also write every figure's rows as JSON");
  assess_cmd->add_option("--pdf", assess.out_pdf,
                         "Also print the report to PDF (needs chromium on PATH)");
  assess_cmd->callback([&] { exit_code = cli::Assess(assess); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every usage error (an unknown command or flag, a
    // missing or malformed value) exits with 64, EX_USAGE of sysexits.h, whatever CLI11's
    // own number for it.
    int code = app.exit(e) == 0 ? 0 : 64;
    // An unknown word where a command was expected: name the nearest one.
    CLI::App* level = &app;
    for (int i = 1; i < argc; ++i) {
      std::string word = argv[i];
      if (word.starts_with("-")) break;
      std::vector<std::string> names;
      CLI::App* next = nullptr;
      for (CLI::App* sub : level->get_subcommands({})) {
        names.push_back(sub->get_name());
        if (sub->get_name() == word) next = sub;
      }
      if (names.empty()) break;
      if (next == nullptr) {
        if (auto near = cli::NearestCommand(word, names)) {
          std::fprintf(stderr, "tradeledger: '%s' is not a command here; did you mean '%s'?\n",
                       word.c_str(), near->c_str());
        }
        break;
      }
      level = next;
    }
    return code;
  } catch (const std::exception& e) {
    // A bug, not an input error: commands report input errors as values.
    std::fprintf(stderr, "tradeledger: internal error: %s\n", e.what());
    return 70;
  }
  return exit_code;
}
