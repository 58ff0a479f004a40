// Test support for the trade rules: an in-memory state with a customs authority, helpers to
// admit organisations with their keys, and a Run() that executes one transaction the way a
// block would (own nonce per signer, the block time given). For tests only.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "crypto/sha256.h"
#include "trade/executor.h"
#include "trade/ior_number.h"
#include "trade/json_fields.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::trade::testing {

class TradeFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    Json genesis = {
        {"customs_authority", RenderCustomsAuthority({.admin_key = customs_.public_key})},
        {"ior_salt", "0011223344556677"},
        {"holidays", {"2025-01-01", "2025-07-04", "2025-12-25"}}};
    ASSERT_TRUE(ApplyGenesis(genesis, state_));
  }

  // The iorNumberHash a submitter sends for `org_id`'s IOR `number` on this state's salt
  // (trade/ior_number.h). Cached per process: each derivation is 600,000 PBKDF2 rounds.
  std::string IorHash(const std::string& org_id, const std::string& number) {
    static std::map<std::string, std::string> cache;
    auto salt = IorSalt(state_);
    EXPECT_TRUE(salt.has_value());
    std::string key = core::ToHex(*salt) + "/" + org_id + "/" + number;
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    auto hash = IorNumberHash(*salt, org_id, number);
    EXPECT_TRUE(hash.has_value()) << number;
    return cache[key] = hash.value_or("");
  }

  // Executes `type` with `body` signed by `key` at `time` (ms); returns the outcome.
  TxOutcome Run(const crypto::KeyPair& key, std::string_view type, const Json& body, int64_t time) {
    std::string text = body.dump();
    TxContext tx;
    uint64_t nonce = ++nonces_[key.public_key.hex()];
    tx.tx_id = crypto::Sha256Of({core::AsBytes(type), core::AsBytes(text),
                                 core::AsBytes(std::to_string(nonce) + key.public_key.hex())});
    tx.signer = key.public_key;
    tx.type = type;
    tx.nonce = nonce;
    tx.body = core::AsBytes(text);
    tx.block_time = core::TimestampMs(static_cast<uint64_t>(time));
    tx.height = core::Height(++height_);
    auto outcome = Execute(state_, tx);
    EXPECT_TRUE(outcome.has_value()) << (outcome ? "" : outcome.error().ToString());
    return outcome ? *outcome : TxOutcome{"EXECUTION_ERROR", ""};
  }

  // Admits `org_id` with `roles` and one admin key holding all of them; returns the key.
  crypto::KeyPair Admit(const std::string& org_id, const std::vector<std::string>& roles,
                        const std::string& country = "US", Json extra = Json::object()) {
    crypto::KeyPair key = crypto::KeyPair::Generate();
    Json body = {
        {"orgId", org_id},
        {"legalName", org_id + " Inc."},
        {"country", country},
        {"roles", roles},
        {"members", {{{"publicKey", key.public_key.hex()}, {"roles", roles}, {"admin", true}}}}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    TxOutcome outcome = Run(customs_, "org.admit", body, Day("2024-01-02"));
    EXPECT_EQ(outcome.code, "OK") << outcome.detail;
    return key;
  }

  static int64_t Day(std::string_view date) { return *ParseDate(date); }
  static int64_t At(std::string_view instant) { return *ParseInstant(instant); }

  EmptyState empty_;
  WorkingState state_{empty_};
  crypto::KeyPair customs_ = crypto::KeyPair::Generate();
  std::map<std::string, uint64_t> nonces_;
  uint64_t height_ = 0;
};

}  // namespace tradeledger::trade::testing
