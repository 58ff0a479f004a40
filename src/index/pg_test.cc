// The PostgreSQL client and the schema against a real server (scripts/pg-cluster.sh).
#include "index/pg.h"

#include <gtest/gtest.h>

#include "index/pg_test_cluster.h"
#include "index/schema.h"

namespace tradeledger::index {
namespace {

class PgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new PgTestCluster(); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(cluster_->ok()) << cluster_->error();
    auto db = PgConnection::Connect(cluster_->conninfo());
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
  }
  static PgTestCluster* cluster_;
  std::unique_ptr<PgConnection> db_;
};
PgTestCluster* PgTest::cluster_ = nullptr;

TEST_F(PgTest, ParametersTravelAsTextAndNullAsNull) {
  auto r = db_->Exec("SELECT $1::text, $2::bigint + 1, $3::text IS NULL",
                     {PgText("it's \"quoted\"; DROP TABLE x"), PgInt(41), std::nullopt});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], "it's \"quoted\"; DROP TABLE x");
  EXPECT_EQ(PgToInt(r->rows[0][1]), 42);
  EXPECT_EQ(r->rows[0][2], "t");
  auto null = db_->Exec("SELECT NULL::text");
  ASSERT_TRUE(null);
  EXPECT_FALSE(null->rows[0][0].has_value());
  EXPECT_EQ(PgToInt(null->rows[0][0], -7), -7);
}

TEST_F(PgTest, TextArraysRoundTripAnyCharacters) {
  std::vector<std::string> items = {"A", "with,comma", "quote\"d", "back\\slash", "", "{x}"};
  auto r = db_->Exec("SELECT array_length($1::text[], 1), ($1::text[])[3], ($1::text[])[4]",
                     {PgTextArray(items)});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(PgToInt(r->rows[0][0]), 6);
  EXPECT_EQ(r->rows[0][1], "quote\"d");
  EXPECT_EQ(r->rows[0][2], "back\\slash");
  auto empty = db_->Exec("SELECT cardinality($1::text[])", {PgTextArray({})});
  ASSERT_TRUE(empty);
  EXPECT_EQ(PgToInt(empty->rows[0][0]), 0);
}

TEST_F(PgTest, ARefusedStatementIsAnErrorWithItsSqlState) {
  auto r = db_->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "PG_QUERY_FAILED");
  EXPECT_NE(r.error().detail.find("42P01"), std::string::npos) << r.error().detail;
  // The connection stays usable.
  EXPECT_TRUE(db_->Exec("SELECT 1"));
}

TEST_F(PgTest, ATransactionRolledBackLeavesNothing) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE IF NOT EXISTS scratch (v integer)"));
  ASSERT_TRUE(db_->Begin());
  ASSERT_TRUE(db_->Exec("INSERT INTO scratch VALUES (1)"));
  EXPECT_FALSE(db_->Exec("INSERT INTO scratch VALUES ('not a number')"));
  db_->Rollback();
  auto count = db_->Exec("SELECT count(*) FROM scratch");
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(PgToInt(count->rows[0][0]), 0);
}

TEST_F(PgTest, TheSchemaAppliesTwiceAndNamesEveryTable) {
  ASSERT_TRUE(ApplySchema(*db_));
  auto again = ApplySchema(*db_);
  ASSERT_TRUE(again) << again.error().ToString();
  auto tables = db_->Exec(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'tradeledger'");
  ASSERT_TRUE(tables);
  EXPECT_EQ(PgToInt(tables->rows[0][0]), 20);
}

TEST(PgConnect, AnUnreachableServerIsAConnectError) {
  auto db = PgConnection::Connect("host=/nonexistent-tl-socket-dir dbname=x connect_timeout=2");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, "PG_CONNECT_FAILED");
}

}  // namespace
}  // namespace tradeledger::index
