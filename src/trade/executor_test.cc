#include "trade/executor.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "trade/json_limits.h"
#include "trade/state_keys.h"

namespace tradeledger::trade {
namespace {

class ExecutorTest : public ::testing::Test {
 protected:
  TxOutcome Run(std::string_view type, uint64_t nonce, const std::string& body) {
    TxContext tx;
    tx.tx_id.data[0] = static_cast<uint8_t>(nonce);
    tx.signer = signer_;
    tx.type = type;
    tx.nonce = nonce;
    tx.body = core::AsBytes(body);
    tx.block_time = core::TimestampMs(1'735'000'000'000);
    tx.height = core::Height(3);
    auto outcome = Execute(state_, tx);
    EXPECT_TRUE(outcome.has_value());
    return *outcome;
  }

  static std::string Anchor(const std::string& doc_id) {
    return nlohmann::json{{"docId", doc_id},
                          {"docType", "CERT_OF_ORIGIN"},
                          {"contentHash", std::string(64, 'a')},
                          {"issuer", "MX-P"},
                          {"metadata", {{"agreement", "USMCA"}}}}
        .dump();
  }

  EmptyState empty_;
  WorkingState state_{empty_};
  crypto::PublicKey signer_ = crypto::KeyPair::Generate().public_key;
};

TEST_F(ExecutorTest, AnchorsDocumentRecord) {
  EXPECT_EQ(Run("document.anchor", 1, Anchor("CO-1")).code, "OK");
  auto stored = state_.Get(DocumentKey("CO-1"));
  ASSERT_TRUE(stored && *stored);
  auto record = nlohmann::json::parse(core::AsStringView(**stored));
  EXPECT_EQ(record["contentHash"], std::string(64, 'a'));
  EXPECT_EQ(record["anchoredAt"], 1'735'000'000'000ULL);
  EXPECT_EQ(record["anchoredBy"], signer_.hex());
  EXPECT_EQ(record["metadata"]["agreement"], "USMCA");
}

TEST_F(ExecutorTest, SecondAnchorOfSameIdFails) {
  EXPECT_EQ(Run("document.anchor", 1, Anchor("CO-1")).code, "OK");
  EXPECT_EQ(Run("document.anchor", 2, Anchor("CO-1")).code, "DOCUMENT_EXISTS");
}

TEST_F(ExecutorTest, NonceMustIncrease) {
  EXPECT_EQ(Run("document.anchor", 5, Anchor("CO-1")).code, "OK");
  EXPECT_EQ(Run("document.anchor", 5, Anchor("CO-2")).code, "NONCE_REUSED");
  EXPECT_EQ(Run("document.anchor", 4, Anchor("CO-2")).code, "NONCE_REUSED");
  EXPECT_FALSE(*state_.Get(DocumentKey("CO-2")));
  EXPECT_EQ(Run("document.anchor", 6, Anchor("CO-2")).code, "OK");
}

TEST_F(ExecutorTest, FailedTransactionConsumesNonceAndChangesNothingElse) {
  size_t before = state_.writes().size();
  EXPECT_EQ(Run("document.anchor", 1, "{\"docId\":\"x\"}").code, "PAYLOAD_INVALID");
  EXPECT_EQ(state_.writes().size(), before + 1);  // only the nonce
  EXPECT_TRUE(*state_.Get(NonceKey(signer_)));
}

TEST_F(ExecutorTest, RejectsEachInvalidField) {
  auto with = [](const char* field, nlohmann::json value) {
    auto body = nlohmann::json::parse(Anchor("CO-1"));
    body[field] = std::move(value);
    return body.dump();
  };
  uint64_t n = 1;
  EXPECT_EQ(Run("document.anchor", n++, with("docId", "bad id!")).code, "DOC_ID_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, with("docId", "")).code, "DOC_ID_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, with("docType", "PASSPORT")).code, "DOC_TYPE_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, with("contentHash", "abc")).code, "CONTENT_HASH_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, with("issuer", "")).code, "ISSUER_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, with("metadata", 7)).code, "METADATA_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, with("issuer", 7)).code, "PAYLOAD_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, "[1,2]").code, "PAYLOAD_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, "{not json").code, "PAYLOAD_INVALID");
  EXPECT_EQ(Run("document.anchor", n++, std::string(100, '[')).code, "PAYLOAD_INVALID");
}

TEST_F(ExecutorTest, UnknownTypeIsRecordedAsFailure) {
  EXPECT_EQ(Run("no.such-type", 1, "{}").code, "TX_TYPE_UNKNOWN");
}

TEST(JsonLimits, CountsDepthOutsideStrings) {
  EXPECT_TRUE(JsonDepthWithin("{\"a\":[[1]]}", 3));
  EXPECT_FALSE(JsonDepthWithin("{\"a\":[[1]]}", 2));
  EXPECT_TRUE(JsonDepthWithin("{\"a\":\"[[[[[[\\\"[[[\"}", 1));
}

}  // namespace
}  // namespace tradeledger::trade
