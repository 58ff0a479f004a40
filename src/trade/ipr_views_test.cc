#include "trade/ipr_views.h"

#include "trade/delegation.h"
#include "trade/ipr_test_fixture.h"
#include "trade/licence.h"
#include "trade/recordation.h"

namespace tradeledger::trade {
namespace {

class IprViewsTest : public testing::IprFixture {
 protected:
  void SetUp() override {
    IprFixture::SetUp();
    SetUpStory10();
    ASSERT_EQ(Assess(l1_, Line("ABC-1000001-1", 4000), now_)["result"], "FACILITATE");
    ASSERT_EQ(Assess(l1_, Line("ABC-1000002-2", 7000), now_)["result"], "FLAG");
  }
  Actor As(const crypto::KeyPair& key) {
    auto actor = ResolveActor(state_, key.public_key, now_);
    EXPECT_TRUE(actor && *actor);
    return **actor;
  }
  Json Stored(const core::Bytes& key) {
    auto raw = state_.Get(key);
    EXPECT_TRUE(raw && *raw);
    return *FromStateValue(**raw);
  }
  int64_t now_ = Day("2025-03-12");
};

TEST_F(IprViewsTest, Rule30RecordationFullForOwnerAndCustomsMetadataForOthers) {
  Json rec = Stored(RecordationKey(kRec));
  for (const auto* key : {&rh_, &customs_}) {
    auto view = ViewRecordation(state_, rec, As(*key), now_);
    ASSERT_TRUE(view);
    EXPECT_EQ((*view)["mark"], "ACME");
    EXPECT_EQ((*view)["effectiveState"], "ACTIVE");
  }
  auto view = ViewRecordation(state_, rec, As(other_), now_);
  ASSERT_TRUE(view);
  EXPECT_EQ(*view,
            Json({{"recordationNo", kRec}, {"rightType", "TRADEMARK"}, {"state", "ACTIVE"}}));
}

TEST_F(IprViewsTest, Rule30LicencesVisibleToPartiesAndAncestorsOnly) {
  Json f = Stored(LicenceKey("F-SUB"));
  Json l1 = Stored(LicenceKey("L1-LIC"));
  for (const auto* key : {&rh_, &l1_, &f_, &customs_}) {
    auto view = ViewLicence(state_, f, As(*key), now_);
    ASSERT_TRUE(view);
    EXPECT_EQ((*view)["authorizedManufacturerMids"], Json({"VNFACTON12HAN"}));
    EXPECT_EQ((*view)["quantityUsed"], 11000);
  }
  // F sees its own licence, not its parent's content.
  auto parent = ViewLicence(state_, l1, As(f_), now_);
  ASSERT_TRUE(parent);
  EXPECT_FALSE(parent->contains("licensee"));
  EXPECT_EQ((*parent)["state"], "ACTIVE");
  auto stranger = ViewLicence(state_, f, As(other_), now_);
  ASSERT_TRUE(stranger);
  EXPECT_FALSE(stranger->contains("quantityUsed"));
  EXPECT_FALSE(stranger->contains("authorizedManufacturerMids"));
}

TEST_F(IprViewsTest, Rule30AssessmentResultsForLicensorsWithoutEntryValues) {
  Json flagged = *LoadAssessment(state_, "ABC-1000002-2", 1).value();
  auto rh = ViewAssessment(state_, flagged, As(rh_), now_);
  ASSERT_TRUE(rh);
  EXPECT_EQ((*rh)["result"], "FLAG");
  EXPECT_EQ((*rh)["reasonCodes"], Json({"QUANTITY_LIMIT_EXCEEDED"}));  // visible to licensor
  EXPECT_FALSE(rh->contains("line"));
  EXPECT_FALSE(rh->contains("entryNumber"));
  EXPECT_FALSE(rh->contains("importer"));
  for (const auto* key : {&l1_, &customs_}) {
    auto full = ViewAssessment(state_, flagged, As(*key), now_);
    ASSERT_TRUE(full);
    EXPECT_EQ((*full)["line"]["quantity"], 7000);
  }
  for (const auto* key : {&f_, &other_, &broker_}) {
    auto denied = ViewAssessment(state_, flagged, As(*key), now_);
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code, "NOT_AUTHORIZED");
  }
}

TEST_F(IprViewsTest, Rule30BrokerWithDelegationSeesItsImportersAssessments) {
  Json grant = {{"delegationId", "DEL-1"},
                {"agent", "BRK"},
                {"scope", {kScopePresentLicense}},
                {"validFrom", "2025-01-01"},
                {"validTo", "2026-01-01"}};
  ASSERT_EQ(Run(l1_, "delegation.grant", grant, Day("2024-12-01")).code, "OK");
  Json a = *LoadAssessment(state_, "ABC-1000001-1", 1).value();
  auto view = ViewAssessment(state_, a, As(broker_), now_);
  ASSERT_TRUE(view);
  EXPECT_EQ((*view)["entryNumber"], "ABC-1000001-1");
}

TEST_F(IprViewsTest, Rule30NoCredentialResultsAreNotShownToRightsHolders) {
  Json line = Line("ABC-1000003-3", 1);
  line["licenseRefs"] = Json::array();
  ASSERT_EQ(Assess(l1_, line, now_)["result"], "NO_CREDENTIAL");
  Json a = *LoadAssessment(state_, "ABC-1000003-3", 1).value();
  EXPECT_FALSE(ViewAssessment(state_, a, As(rh_), now_));
}

TEST_F(IprViewsTest, LicenceChainTreeFromIndexesShowsCascade) {
  ASSERT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "L1-LIC"}}, Day("2025-06-01")).code,
            "OK");
  int64_t later = Day("2025-06-02");
  auto tree = LicenceChain(state_, kRec, later);
  ASSERT_TRUE(tree);
  ASSERT_EQ((*tree)["licenses"].size(), 1u);
  const Json& root = (*tree)["licenses"][0];
  EXPECT_EQ(root["licenseId"], "L1-LIC");
  EXPECT_EQ(root["effectiveState"], "REVOKED");
  ASSERT_EQ(root["children"].size(), 1u);
  EXPECT_EQ(root["children"][0]["licenseId"], "F-SUB");
  EXPECT_EQ(root["children"][0]["ownState"], "ACTIVE");
  EXPECT_EQ(root["children"][0]["effectiveState"], "REVOKED");

  // F sees its own licence in full and its parent only as an id and state.
  auto for_f = ViewLicenceChain(state_, kRec, As(f_), later);
  ASSERT_TRUE(for_f);
  const Json& f_root = (*for_f)["licenses"][0];
  EXPECT_FALSE(f_root.contains("licensee"));
  EXPECT_EQ(f_root["children"][0]["licensee"], "F");
  auto for_other = ViewLicenceChain(state_, kRec, As(other_), later);
  ASSERT_TRUE(for_other);
  EXPECT_TRUE((*for_other)["licenses"].empty());
  auto for_rh = ViewLicenceChain(state_, kRec, As(rh_), later);
  ASSERT_TRUE(for_rh);
  EXPECT_EQ(*for_rh, *tree);
}

}  // namespace
}  // namespace tradeledger::trade
