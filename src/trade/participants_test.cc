#include "trade/participants.h"

#include "trade/identifiers.h"
#include "trade/ledger_clock.h"
#include "trade/trade_test_fixture.h"

namespace tradeledger::trade {
namespace {

using testing::TradeFixture;

class ParticipantsTest : public TradeFixture {};

TEST_F(ParticipantsTest, CustomsAdmitsOrganisationWithKeys) {
  crypto::KeyPair key = Admit("MX-P", {"PRODUCER", "EXPORTER"}, "MX");
  auto actor = ResolveActor(state_, key.public_key, Day("2025-01-01"));
  ASSERT_TRUE(actor && *actor);
  EXPECT_TRUE((*actor)->Has("PRODUCER"));
  EXPECT_FALSE((*actor)->is_customs);
}

TEST_F(ParticipantsTest, OnlyCustomsAdminAdmits) {
  crypto::KeyPair importer = Admit("IMP", {"IMPORTER"});
  Json body = {{"orgId", "X"},
               {"legalName", "X"},
               {"country", "US"},
               {"roles", {"BROKER"}},
               {"members", Json::array()}};
  EXPECT_EQ(Run(importer, "org.admit", body, Day("2025-01-01")).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(crypto::KeyPair::Generate(), "org.admit", body, Day("2025-01-01")).code,
            "NOT_AUTHORIZED");
}

TEST_F(ParticipantsTest, AdmissionValidatesRolesCountryIorAndMid) {
  auto body = [](Json patch) {
    Json b = {{"orgId", "NEW"},
              {"legalName", "New"},
              {"country", "US"},
              {"roles", {"IMPORTER"}},
              {"members", Json::array()}};
    for (auto& [k, v] : patch.items()) b[k] = v;
    return b;
  };
  int64_t t = Day("2025-01-01");
  EXPECT_EQ(Run(customs_, "org.admit", body({{"roles", {"PILOT"}}}), t).code, "ROLE_INVALID");
  EXPECT_EQ(Run(customs_, "org.admit", body({{"roles", {"CBP_OFFICER"}}}), t).code, "ROLE_INVALID");
  EXPECT_EQ(Run(customs_, "org.admit", body({{"country", "XX"}}), t).code, "COUNTRY_CODE_INVALID");
  EXPECT_EQ(Run(customs_, "org.admit", body({{"iorNumberHash", "12-3456789AB"}}), t).code,
            "IOR_FORMAT");
  EXPECT_EQ(Run(customs_, "org.admit", body({{"mids", {"XXBAD1"}}}), t).code, "MID_FORMAT");
  EXPECT_EQ(
      Run(customs_, "org.admit", body({{"iorNumberHash", IorHash("NEW", "12-3456789AB")}}), t).code,
      "OK");
  EXPECT_EQ(Run(customs_, "org.admit", body({}), t).code, "ORG_EXISTS");
}

TEST_F(ParticipantsTest, OnlyTheIorHashIsStored) {
  std::string hash = IorHash("IMP", "123-45-6789");
  Admit("IMP", {"IMPORTER"}, "US", {{"iorNumberHash", hash}});
  for (const auto& [key, value] : state_.writes()) {
    ASSERT_TRUE(value.has_value());
    EXPECT_EQ(core::AsStringView(*value).find("123-45-6789"), std::string_view::npos);
  }
  auto org = LoadOrganisation(state_, "IMP");
  ASSERT_TRUE(org && *org);
  EXPECT_EQ((*org)->ior_number_hash, hash);
}

TEST_F(ParticipantsTest, KeyValidityWindowIsEnforcedAtBlockTime) {
  crypto::KeyPair admin = Admit("BRK", {"BROKER"});
  crypto::KeyPair temp = crypto::KeyPair::Generate();
  Json add = {{"publicKey", temp.public_key.hex()},
              {"roles", {"BROKER"}},
              {"validFrom", "2025-02-01"},
              {"validTo", "2025-03-01"}};
  ASSERT_EQ(Run(admin, "member.add", add, Day("2025-01-10")).code, "OK");
  EXPECT_FALSE(*ResolveActor(state_, temp.public_key, Day("2025-01-31")));
  EXPECT_TRUE(*ResolveActor(state_, temp.public_key, Day("2025-02-15")));
  EXPECT_FALSE(*ResolveActor(state_, temp.public_key, Day("2025-03-01")));
}

TEST_F(ParticipantsTest, MemberRolesMustBeOrganisationRoles) {
  crypto::KeyPair admin = Admit("BRK", {"BROKER"});
  Json add = {{"publicKey", crypto::KeyPair::Generate().public_key.hex()}, {"roles", {"IMPORTER"}}};
  EXPECT_EQ(Run(admin, "member.add", add, Day("2025-01-10")).code, "ROLE_INVALID");
}

TEST_F(ParticipantsTest, NonAdminCannotAddKeys) {
  crypto::KeyPair admin = Admit("BRK", {"BROKER"});
  crypto::KeyPair clerk = crypto::KeyPair::Generate();
  ASSERT_EQ(Run(admin, "member.add", {{"publicKey", clerk.public_key.hex()}, {"roles", {"BROKER"}}},
                Day("2025-01-10"))
                .code,
            "OK");
  Json add = {{"publicKey", crypto::KeyPair::Generate().public_key.hex()}, {"roles", {"BROKER"}}};
  EXPECT_EQ(Run(clerk, "member.add", add, Day("2025-01-11")).code, "NOT_AUTHORIZED");
}

TEST_F(ParticipantsTest, RotationRevokesOldKeyAndActivatesNew) {
  crypto::KeyPair old_key = Admit("EXP", {"EXPORTER"});
  crypto::KeyPair new_key = crypto::KeyPair::Generate();
  ASSERT_EQ(
      Run(old_key, "member.rotate",
          {{"oldPublicKey", old_key.public_key.hex()}, {"newPublicKey", new_key.public_key.hex()}},
          Day("2025-01-10"))
          .code,
      "OK");
  EXPECT_FALSE(*ResolveActor(state_, old_key.public_key, Day("2025-01-11")));
  auto actor = ResolveActor(state_, new_key.public_key, Day("2025-01-11"));
  ASSERT_TRUE(*actor);
  EXPECT_TRUE((*actor)->key.admin);
  EXPECT_EQ(
      Run(old_key, "member.add",
          {{"publicKey", crypto::KeyPair::Generate().public_key.hex()}, {"roles", {"EXPORTER"}}},
          Day("2025-01-12"))
          .code,
      "NOT_AUTHORIZED");
}

TEST_F(ParticipantsTest, RevokedKeyAndSuspendedOrganisationAreNotAuthorised) {
  crypto::KeyPair key = Admit("IMP", {"IMPORTER"});
  ASSERT_EQ(Run(customs_, "org.set-status", {{"orgId", "IMP"}, {"status", "SUSPENDED"}},
                Day("2025-01-10"))
                .code,
            "OK");
  EXPECT_FALSE(*ResolveActor(state_, key.public_key, Day("2025-01-11")));
  ASSERT_EQ(
      Run(customs_, "org.set-status", {{"orgId", "IMP"}, {"status", "ACTIVE"}}, Day("2025-01-12"))
          .code,
      "OK");
  EXPECT_TRUE(*ResolveActor(state_, key.public_key, Day("2025-01-13")));
  ASSERT_EQ(
      Run(key, "member.revoke", {{"publicKey", key.public_key.hex()}}, Day("2025-01-14")).code,
      "OK");
  EXPECT_FALSE(*ResolveActor(state_, key.public_key, Day("2025-01-15")));
}

TEST_F(ParticipantsTest, AnchoringRequiresAMemberWhenCustomsExists) {
  Json anchor = {{"docId", "D1"},
                 {"docType", "OTHER"},
                 {"contentHash", std::string(64, 'a')},
                 {"issuer", "x"}};
  EXPECT_EQ(Run(crypto::KeyPair::Generate(), "document.anchor", anchor, Day("2025-01-01")).code,
            "NOT_AUTHORIZED");
  crypto::KeyPair member = Admit("EXP", {"EXPORTER"});
  EXPECT_EQ(Run(member, "document.anchor", anchor, Day("2025-01-01")).code, "OK");
}

TEST_F(ParticipantsTest, LedgerClockAdvancesOnlyForwardAndOnlyByCustoms) {
  WorkingState clocked(static_cast<const StateReader&>(state_));
  ASSERT_TRUE(
      ApplyLedgerClockGenesis({{"ledger_clock", {{"start", "2024-12-01T00:00:00Z"}}}}, clocked));
  std::move(clocked).MergeInto(state_);
  crypto::KeyPair importer = Admit("IMP", {"IMPORTER"});
  EXPECT_EQ(Run(importer, "clock.advance", {{"to", "2025-01-01"}}, Day("2024-12-01")).code,
            "NOT_AUTHORIZED");
  EXPECT_EQ(Run(customs_, "clock.advance", {{"to", "2025-01-01"}}, Day("2024-12-01")).code, "OK");
  EXPECT_EQ(*LedgerClockNow(state_), Day("2025-01-01"));
  EXPECT_EQ(Run(customs_, "clock.advance", {{"to", "2024-12-31"}}, Day("2025-01-01")).code,
            "CLOCK_BACKWARDS");
}

TEST(Identifiers, CountryCodesAndMids) {
  EXPECT_TRUE(IsCountryCode("MX"));
  EXPECT_FALSE(IsCountryCode("XX"));
  EXPECT_FALSE(IsCountryCode("mx"));
  EXPECT_TRUE(IsValidMid("VNFACTON12HAN"));
  EXPECT_TRUE(IsValidMid("ONMAPLE123TOR"));       // Canadian province prefix
  EXPECT_FALSE(IsValidMid("VNFACTON12HANOI99"));  // longer than 15
  EXPECT_FALSE(IsValidMid("QQABC"));
  EXPECT_FALSE(IsValidMid("VNfact"));
}

}  // namespace
}  // namespace tradeledger::trade
