// What NodeSource does to every reply before anything reaches the database.
#include "index/node_source.h"

#include <gtest/gtest.h>

#include "index/node_sampler.h"

namespace tradeledger::index {
namespace {

using nlohmann::json;

TEST(NodeSource, EveryNulInAStringOrANameBecomesAReplacementCharacter) {
  // PostgreSQL's text and jsonb refuse U+0000; a member can put one in a document's metadata.
  json j = json::parse(R"({"metadata": {"note": "a\u0000b", "k\u0000": ["\u0000"]}, "n": 1})");
  ReplaceNulCharacters(j);
  EXPECT_EQ(j["metadata"]["note"],
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(j["metadata"].contains("k\xEF\xBF\xBD"));
  EXPECT_EQ(j["metadata"]["k\xEF\xBF\xBD"][0], "\xEF\xBF\xBD");
  EXPECT_EQ(j["n"], 1);
  EXPECT_EQ(j.dump().find("\\u0000"), std::string::npos) << j.dump();
}

TEST(NodeSampler, MetricValuesAreReadByTheirFullName) {
  std::string text =
      "# HELP x\n"
      "tradeledger_proofs_verified_total{result=\"ok\"} 7\n"
      "tradeledger_proofs_verified_total{result=\"invalid\"} 2\n"
      "tradeledger_commit_latency_seconds_sum 1.5\n"
      "tradeledger_commit_latency_seconds_count 12\n";
  EXPECT_EQ(MetricValue(text, "tradeledger_proofs_verified_total{result=\"ok\"}"), "7");
  EXPECT_EQ(MetricValue(text, "tradeledger_proofs_verified_total{result=\"invalid\"}"), "2");
  EXPECT_EQ(MetricValue(text, "tradeledger_commit_latency_seconds_count"), "12");
  EXPECT_EQ(MetricValue(text, "tradeledger_commit_latency_seconds"), std::nullopt);
  EXPECT_EQ(MetricValue(text, "tradeledger_height"), std::nullopt);
}

}  // namespace
}  // namespace tradeledger::index
