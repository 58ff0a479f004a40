// DOMAIN.md §8 acceptance stories end to end: every test starts its own ledger-clock network
// of real `tradeledger` processes (story_network.h), runs its story through the same library
// as `tradeledger demo` (src/cli/stories.h) over HTTP, and asserts that every check passed
// and what was observed. The stories share nothing but the clock's start, so each runs alone
// on its fresh network exactly as it runs interleaved on the demo's single timeline.
#include "cli/stories.h"

#include <gtest/gtest.h>

#include <memory>

#include "story_network.h"

namespace tradeledger::stories_test {
namespace {

class Stories : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = std::make_unique<StoryNetwork>(cli::kStoriesClockStart);
    ASSERT_TRUE(net_->ok()) << net_->error();
  }
  void TearDown() override { net_.reset(); }

  // Runs `sections` against this test's network and checks that every check passed.
  void Run(std::set<std::string> sections) {
    cli::StoriesOptions o;
    o.node_url = net_->url();
    o.validators_file = net_->validators_file();
    o.customs_key_file = net_->customs_key_file();
    o.sections = std::move(sections);
    o.transactions = 12;
    o.signers = 3;
    report_ = cli::RunStories(o);
    ASSERT_TRUE(report_.error.empty()) << report_.error;
    cli::PrintStoriesReport(report_);  // into the test log
    ASSERT_FALSE(report_.checks.empty());
    for (const auto& c : report_.checks) {
      EXPECT_TRUE(c.pass) << c.section << ": " << c.name << ": expected '" << c.expected
                          << "', observed '" << c.observed << "'";
    }
    EXPECT_EQ(report_.failed, 0);
  }

  // What the check `name` of `section` observed ("<no such check>" if it did not run).
  std::string Observed(const std::string& section, const std::string& name) const {
    for (const auto& c : report_.checks) {
      if (c.section == section && c.name == name) return c.observed;
    }
    return "<no such check>";
  }
  size_t Count(const std::string& section) const {
    size_t n = 0;
    for (const auto& c : report_.checks) n += c.section == section ? 1 : 0;
    return n;
  }

  std::unique_ptr<StoryNetwork> net_;
  cli::StoriesReport report_;
};

TEST_F(Stories, LedgerBasicsAnchorsAndProofs) {
  Run({"basics"});
  EXPECT_EQ(Observed("basics", "document anchors committed with OK"), "12");
  EXPECT_EQ(Observed("basics", "inclusion proofs verified offline"), "12");
  EXPECT_EQ(Observed("basics", "proof with one byte changed"), "rejected");
  EXPECT_EQ(Observed("basics", "anchor signed by a non-member key"), "NOT_AUTHORIZED");
}

TEST_F(Stories, Story01BlanketUsmcaClaimAccepted) {
  Run({"1"});
  EXPECT_EQ(Observed("1", "MX-P reads the entry"), "claim-status: ACCEPTED, values hidden");
  EXPECT_EQ(Observed("1", "importer reads the line value (cents)"), "1200000");
}

TEST_F(Stories, Story02HtsNotCovered) {
  Run({"2"});
  EXPECT_EQ(Observed("2", "line 1 claim (hts 8708300050)"), "ACCEPTED");
  EXPECT_EQ(Observed("2", "line 2 claim (hts 8409910000)"), "REJECTED HTS_NOT_COVERED");
}

TEST_F(Stories, Story03CertificateObtainedAfterTheClaim) {
  Run({"3"});
  EXPECT_EQ(Observed("3", "claim citing cert anchored 2025-02-03"),
            "REJECTED CERT_NOT_IN_POSSESSION_AT_CLAIM");
  EXPECT_EQ(Observed("3", "claim citing a cert not on the ledger"), "REJECTED CERT_NOT_FOUND");
}

TEST_F(Stories, Story04OutsideBlanketExpiredNaftaNotInForce) {
  Run({"4"});
  EXPECT_EQ(Observed("4", "claim on the 2025 blanket cert"), "REJECTED OUTSIDE_BLANKET_PERIOD");
  EXPECT_EQ(Observed("4", "claim on cert signed 2020-08-01"), "REJECTED CERT_EXPIRED");
  EXPECT_EQ(Observed("4", "NAFTA claim on a 2021 import"), "REJECTED AGREEMENT_NOT_IN_FORCE");
}

TEST_F(Stories, Story05IncompleteCertCorrectedInTime) {
  Run({"5"});
  EXPECT_EQ(Observed("5", "cert lacking one good's origin criterion"),
            "CERT_INCOMPLETE:originCriterion");
  EXPECT_EQ(Observed("5", "corrected claim back to ACCEPTED on the new cert"),
            "ACCEPTED S05-CERT-A2");
  EXPECT_EQ(Observed("5", "uncorrected claim after day 5"), "DENIED CORRECTION_NOT_RECEIVED");
}

TEST_F(Stories, Story06TamperedDocumentRejected) {
  Run({"6"});
  EXPECT_EQ(Observed("6", "broker presents the altered PDF (cert.present)"),
            "DOCUMENT_HASH_MISMATCH");
  EXPECT_EQ(Observed("6", "broker uploads it for S06-CERT"), "409 DOCUMENT_HASH_MISMATCH");
  EXPECT_EQ(Observed("6", "ledger records the presenter (proof verified)"), "broker's key");
}

TEST_F(Stories, Story07BlanketTooLong) {
  Run({"7"});
  EXPECT_EQ(Observed("7", "exporter issues blanket 2025-01-01..2026-03-31"),
            "BLANKET_PERIOD_INVALID");
}

TEST_F(Stories, Story08LowValueThenSeriesWithoutCert) {
  Run({"8"});
  EXPECT_EQ(Observed("8", "claim and basis"), "ACCEPTED LOW_VALUE_EXEMPT");
  EXPECT_EQ(Observed("8", "claim without a cert after 30 days"), "DENIED SERIES_EVASION_NO_CERT");
}

TEST_F(Stories, Story09VerificationAndDenialPath) {
  Run({"9"});
  EXPECT_EQ(Observed("9", "CBP denies directly"), "DENIAL_PRECONDITION_UNMET");
  EXPECT_EQ(Observed("9", "line 1 claim"), "DENIED");
  EXPECT_EQ(Observed("9", "line 2 claim, penaltyExempt"), "VOLUNTARILY_CORRECTED true");
}

TEST_F(Stories, Story10LicensedImportFacilitatedThenFlagged) {
  Run({"10"});
  EXPECT_EQ(Observed("10", "assessment (flag, not a denial)"), "FLAG QUANTITY_LIMIT_EXCEEDED");
  EXPECT_EQ(Observed("10", "L1 licence quantity used"), "11000");
  EXPECT_EQ(Observed("10", "earlier assessment unchanged"), "FACILITATE, identical");
}

TEST_F(Stories, Story11SublicenceOverreachRejected) {
  Run({"11"});
  EXPECT_EQ(Observed("11", "L1 grants F IMPORT, valid to 2028 (L1: 2027)"),
            "SUBLICENSE_EXCEEDS_PARENT");
}

TEST_F(Stories, Story12FilingOnBehalf) {
  Run({"12"});
  EXPECT_EQ(Observed("12", "broker files for the importer, no delegation"), "NOT_AUTHORIZED_FILER");
  EXPECT_EQ(Observed("12", "claim filed by the broker"), "ACCEPTED");
  EXPECT_EQ(Observed("12", "broker files again after revocation"), "NOT_AUTHORIZED_FILER");
}

TEST_F(Stories, Story13Confidentiality) {
  Run({"13"});
  EXPECT_EQ(Observed("13", "producer CBP sees"), "Hidden Producer SA");
  EXPECT_NE(Observed("13", "competing importer reads the cert").find("metadata ISSUED"),
            std::string::npos);
  EXPECT_EQ(Observed("13", "owner's audit log: competitor's read"), "true");
}

// A participant reading another party's entry gets a 403 with a reason code, and the
// entitled party's read of the same entry succeeds and is audited.
TEST_F(Stories, ReadOfAnotherPartysEntryIsDeniedEntitledReadIsAudited) {
  Run({"access"});
  EXPECT_EQ(Observed("access", "another importer reads the entry"), "403 NOT_AUTHORIZED");
  EXPECT_EQ(Observed("access", "CBP reads the same entry"), "200 full");
  EXPECT_EQ(Observed("access", "importer's audit view shows CBP's read"), "true");
}

// A state proof for a certification verifies offline; after withdrawal the old proof still
// verifies against its old header and a new proof shows the new state.
TEST_F(Stories, CertificationStateProofAcrossWithdrawal) {
  Run({"proof"});
  EXPECT_EQ(Observed("proof", "state it proves"), "ISSUED");
  EXPECT_EQ(Observed("proof", "old proof, against its old header"), "verifies");
  EXPECT_EQ(Observed("proof", "state the new proof shows"), "WITHDRAWN");
  EXPECT_GE(Count("proof"), 8u);
}

// Every section on one network and one timeline, interleaved by date as `tradeledger demo`
// runs them: the stories do not interfere with one another.
TEST_F(Stories, AllSectionsOnOneTimeline) {
  Run({});
  for (const auto& section : cli::AllStorySections()) {
    EXPECT_GT(Count(section), 0u) << section;
  }
  EXPECT_EQ(Observed("1", "MX-P reads the entry"), "claim-status: ACCEPTED, values hidden");
  EXPECT_EQ(Observed("10", "L1 licence quantity used"), "11000");
  EXPECT_EQ(Observed("proof", "state the new proof shows"), "WITHDRAWN");
}

// The clock never goes back: on a network whose clock is already past the stories' first
// date, the stories refuse to run instead of reporting wrong outcomes.
TEST_F(Stories, RefusesANetworkWhoseClockIsPastTheTimeline) {
  cli::StoriesOptions o;
  o.node_url = net_->url();
  o.validators_file = net_->validators_file();
  o.sections = {"8"};
  ASSERT_TRUE(cli::RunStories(o).error.empty());  // default customs key: <dir>/customs/admin.key
  o.sections = {"4"};  // starts 2024-02-01; the clock is at 2025-04-20 now
  cli::StoriesReport again = cli::RunStories(o);
  EXPECT_NE(again.error.find("ledger clock is at 2025-04-20"), std::string::npos) << again.error;
  EXPECT_TRUE(again.checks.empty());
}

}  // namespace
}  // namespace tradeledger::stories_test
