// The ceremony steps of cli/ceremony.h on files in a temporary directory: what assembling
// refuses, how a config is derived from the genesis, and who may sign.
#include "cli/ceremony.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "node/config.h"
#include "node/genesis.h"

namespace tradeledger::cli {
namespace {

namespace fs = std::filesystem;

class CeremonyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tl-ceremony-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Org(int i, const std::string& host = "127.0.0.1") {
    fs::path d = dir_ / ("org" + std::to_string(i));
    EXPECT_TRUE(
        OperatorInit(d.string(), "v" + std::to_string(i), host + ":" + std::to_string(7800 + i))
            .has_value());
    return (d / "operator.json").string();
  }
  AssembleOptions Four() {
    AssembleOptions o;
    for (int i = 1; i <= 4; ++i)
      o.operator_files.push_back(Org(i, i == 2 ? "val2.example" : "127.0.0.1"));
    EXPECT_TRUE(CustomsInit((dir_ / "cbp").string(), "CBP", "Customs", "US").has_value());
    o.customs_file = (dir_ / "cbp" / "customs.json").string();
    o.out = (dir_ / "genesis.json").string();
    return o;
  }

  fs::path dir_;
};

TEST_F(CeremonyTest, AssemblyRefusesBadValidatorCountsDuplicatesAndOrphanHolidays) {
  AssembleOptions two;
  two.operator_files = {Org(1), Org(2)};
  two.out = (dir_ / "g2.json").string();
  EXPECT_EQ(AssembleGenesis(two).error().code, "VALIDATOR_COUNT_INVALID");

  AssembleOptions dup;
  dup.operator_files = {Org(3), Org(4), Org(5), (dir_ / "org3" / "operator.json").string()};
  dup.out = (dir_ / "g3.json").string();
  EXPECT_EQ(AssembleGenesis(dup).error().code, "OPERATOR_FILE_INVALID");

  AssembleOptions bare;
  bare.operator_files = {Org(6)};
  bare.holidays_file = (dir_ / "holidays.json").string();
  bare.out = (dir_ / "g4.json").string();
  std::ofstream(bare.holidays_file) << R"(["2027-01-01"])";
  EXPECT_EQ(AssembleGenesis(bare).error().code, "HOLIDAYS_INVALID");
  EXPECT_FALSE(fs::exists(bare.out));
}

TEST_F(CeremonyTest, TheGenesisNamesEveryFounderWithItsAddressAndTheCustomsKey) {
  AssembleOptions o = Four();
  auto chain = AssembleGenesis(o);
  ASSERT_TRUE(chain.has_value()) << chain.error().ToString();
  auto g = node::Genesis::Load(o.out);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->chain_id.hex(), *chain);
  ASSERT_EQ(g->validators.size(), 4u);
  EXPECT_EQ(g->validators[1].address, "val2.example:7802");
  auto j = nlohmann::json::parse(g->file_bytes);
  EXPECT_EQ(j["customs_authority"]["org_id"], "CBP");
  EXPECT_EQ(j["holidays"].back(), "2030-12-25");
  EXPECT_EQ(j["ior_salt"].get<std::string>().size(), 64u);
  EXPECT_EQ(AssembleGenesis(o).error().code, "FILE_EXISTS");  // never overwritten
}

TEST_F(CeremonyTest, ConfigPeersComeFromTheGenesisAndHostNamesListenEverywhere) {
  AssembleOptions o = Four();
  ASSERT_TRUE(AssembleGenesis(o).has_value());
  const std::string signoffs = (dir_ / "signoffs.json").string();
  OperatorConfigOptions c;
  c.dir = (dir_ / "org2").string();
  c.genesis_file = o.out;
  c.signoffs_file = signoffs;
  c.http_port = 9002;
  ASSERT_TRUE(WriteOperatorConfig(c).has_value());
  auto config = node::NodeConfig::Load((dir_ / "org2" / "config.json").string());
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->p2p_address, "0.0.0.0");  // val2.example is a name, not an address
  EXPECT_EQ(config->p2p_port, 7802);
  ASSERT_EQ(config->peers.size(), 3u);
  EXPECT_EQ(config->peers[0].name, "v1");
  EXPECT_EQ(config->peers[2].port, 7804);
  EXPECT_EQ(config->genesis_signoffs_file, fs::path(signoffs).lexically_normal().string());

  // An operator the genesis does not name gets no config.
  Org(9);
  c.dir = (dir_ / "org9").string();
  EXPECT_EQ(WriteOperatorConfig(c).error().code, "NODE_NOT_VALIDATOR");
}

TEST_F(CeremonyTest, OnlyFoundersSignAndEachSignatureIsCounted) {
  AssembleOptions o = Four();
  ASSERT_TRUE(AssembleGenesis(o).has_value());
  const std::string signoffs = (dir_ / "signoffs.json").string();
  auto first = SignGenesisFile(o.out, (dir_ / "org1" / "validator.key").string(), signoffs);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(*first, 1u);
  EXPECT_EQ(*SignGenesisFile(o.out, (dir_ / "org1" / "validator.key").string(), signoffs), 1u);
  EXPECT_EQ(*SignGenesisFile(o.out, (dir_ / "org3" / "validator.key").string(), signoffs), 2u);
  Org(9);
  EXPECT_EQ(
      SignGenesisFile(o.out, (dir_ / "org9" / "validator.key").string(), signoffs).error().code,
      "SIGNOFF_NOT_A_VALIDATOR");
  EXPECT_EQ(OperatorInit((dir_ / "org1").string(), "again", "127.0.0.1:1").error().code,
            "FILE_EXISTS");
}

}  // namespace
}  // namespace tradeledger::cli
