#include "cli/ceremony_commands.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/ceremony.h"
#include "node/genesis.h"
#include "node/genesis_signoff.h"

namespace tradeledger::cli {
namespace {

int Report(const char* command, const core::Status& status) {
  if (status) return 0;
  std::fprintf(stderr, "tradeledger %s: %s\n", command, status.error().ToString().c_str());
  return 1;
}

// Options live as long as the App: the callbacks run after parsing.
struct CeremonyOptions {
  std::string dir, name, address;
  std::string org_id = "CBP", legal_name = "U.S. Customs and Border Protection", country = "US";
  AssembleOptions assemble;
  std::string genesis_file, key_file, signoffs_file;
  OperatorConfigOptions config;
};

}  // namespace

void AddCeremonyCommands(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CeremonyOptions>();

  auto* op = app.add_subcommand("operator", "A founding operator's keys and node config");
  op->require_subcommand(1);
  auto* op_init = op->add_subcommand(
      "init", "Generate this operator's validator key and its public operator.json");
  op_init->add_option("--dir", o->dir, "The operator's directory")->required();
  op_init->add_option("--name", o->name, "Validator name, e.g. validator-cbp")->required();
  op_init
      ->add_option("--address", o->address,
                   "host:port other validators dial for this one's transport")
      ->required();
  op_init->callback([o, &exit_code] {
    exit_code = Report("operator init", OperatorInit(o->dir, o->name, o->address));
    if (exit_code == 0) {
      std::printf("wrote %s/validator.key (keep it here) and %s/operator.json (publish it)\n",
                  o->dir.c_str(), o->dir.c_str());
    }
  });
  auto* op_config = op->add_subcommand(
      "config", "Write the node's config.json from the signed genesis (peers from its addresses)");
  op_config->add_option("--dir", o->config.dir, "The operator's directory")->required();
  op_config->add_option("--genesis", o->config.genesis_file, "Genesis file")->required();
  op_config->add_option("--signoffs", o->config.signoffs_file, "Sign-off file")->required();
  op_config->add_option("--http-address", o->config.http_address, "API listen address");
  op_config->add_option("--http-port", o->config.http_port, "API port");
  op_config->add_option("--p2p-listen", o->config.p2p_listen,
                        "Transport listen address (default: the host of operator.json's address)");
  op_config->callback([o, &exit_code] {
    exit_code = Report("operator config", WriteOperatorConfig(o->config));
    if (exit_code == 0) std::printf("wrote %s/config.json\n", o->config.dir.c_str());
  });

  auto* customs = app.add_subcommand("customs", "The customs authority's administrator key");
  customs->require_subcommand(1);
  auto* customs_init = customs->add_subcommand(
      "init", "Generate the customs administrator key and the public customs.json");
  customs_init->add_option("--dir", o->dir, "Customs' directory")->required();
  customs_init->add_option("--org-id", o->org_id, "Customs' organisation id");
  customs_init->add_option("--legal-name", o->legal_name, "Customs' legal name");
  customs_init->add_option("--country", o->country, "ISO 3166 alpha-2 country");
  customs_init->callback([o, &exit_code] {
    exit_code = Report("customs init", CustomsInit(o->dir, o->org_id, o->legal_name, o->country));
    if (exit_code == 0) {
      std::printf("wrote %s/admin.key (keep it here) and %s/customs.json (publish it)\n",
                  o->dir.c_str(), o->dir.c_str());
    }
  });

  auto* genesis = app.add_subcommand("genesis", "Assemble, check and sign a genesis");
  genesis->require_subcommand(1);
  auto* assemble = genesis->add_subcommand(
      "assemble", "Assemble a genesis from the founders' operator.json and customs.json");
  assemble
      ->add_option("--operator", o->assemble.operator_files,
                   "An operator.json (repeat, one per founding validator)")
      ->required();
  assemble->add_option("--customs", o->assemble.customs_file,
                       "customs.json (omit for a bare anchoring network)");
  assemble->add_option("--chain-name", o->assemble.chain_name, "Name written into the genesis");
  assemble->add_option("--ledger-clock", o->assemble.ledger_clock,
                       "Run on a ledger clock from this UTC instant (test networks)");
  assemble->add_option("--holidays", o->assemble.holidays_file,
                       "JSON array of non-business days (default: U.S. federal holidays)");
  assemble->add_option("--out", o->assemble.out, "Genesis file to write")->required();
  assemble->callback([o, &exit_code] {
    auto chain = AssembleGenesis(o->assemble);
    exit_code = Report("genesis assemble",
                       chain ? core::Ok() : core::Status(std::unexpected(chain.error())));
    if (chain) std::printf("wrote %s, chain id %s\n", o->assemble.out.c_str(), chain->c_str());
  });
  auto* sign = genesis->add_subcommand(
      "sign", "Check a genesis and add this validator's sign-off of its chain id");
  sign->add_option("--genesis", o->genesis_file, "Genesis file")->required();
  sign->add_option("--key", o->key_file, "This operator's validator.key")->required();
  sign->add_option("--signoffs", o->signoffs_file, "Sign-off file (created or added to)")
      ->required();
  sign->callback([o, &exit_code] {
    auto described = DescribeGenesis(o->genesis_file);
    if (!described) {
      exit_code = Report("genesis sign", std::unexpected(described.error()));
      return;
    }
    std::printf("%s", described->c_str());
    auto count = SignGenesisFile(o->genesis_file, o->key_file, o->signoffs_file);
    exit_code =
        Report("genesis sign", count ? core::Ok() : core::Status(std::unexpected(count.error())));
    if (count) std::printf("signed; %zu sign-off(s) in %s\n", *count, o->signoffs_file.c_str());
  });
  auto* verify = genesis->add_subcommand(
      "verify", "Show a genesis and check that every founding validator signed it off");
  verify->add_option("--genesis", o->genesis_file, "Genesis file")->required();
  verify->add_option("--signoffs", o->signoffs_file, "Sign-off file")->required();
  verify->callback([o, &exit_code] {
    auto described = DescribeGenesis(o->genesis_file);
    if (!described) {
      exit_code = Report("genesis verify", std::unexpected(described.error()));
      return;
    }
    std::printf("%s", described->c_str());
    auto g = node::Genesis::Load(o->genesis_file);
    auto text = node::ReadFile(o->signoffs_file, 1 << 20);
    if (!text) {
      exit_code = Report("genesis verify", std::unexpected(text.error()));
      return;
    }
    auto signoffs = node::ParseSignoffs(*text, *g);
    if (!signoffs) {
      exit_code = Report("genesis verify", std::unexpected(signoffs.error()));
      return;
    }
    exit_code = Report("genesis verify", node::CheckSignoffs(*g, *signoffs));
    if (exit_code == 0) std::printf("signed off by all %zu validator(s)\n", g->validators.size());
  });
}

}  // namespace tradeledger::cli
