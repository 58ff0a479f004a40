#include "node/safety_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace tradeledger::node {
namespace {

class SafetyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("safety-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "consensus-safety").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Overwrites `n` bytes at `offset` with 0xAB, as a torn or rotten write would.
  void Smash(off_t offset, size_t n) {
    int fd = ::open(path_.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    std::vector<uint8_t> junk(n, 0xAB);
    ASSERT_EQ(::pwrite(fd, junk.data(), n, offset), static_cast<ssize_t>(n));
    ::close(fd);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SafetyFileTest, AbsentFileReadsEmptyAndWritesReadBackAcrossInstances) {
  SafetyFile file(path_);
  auto empty = file.Read();
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(file.Write(core::ToBytes("state-" + std::to_string(i))));
  }
  SafetyFile reopened(path_);
  auto read = reopened.Read();
  ASSERT_TRUE(read);
  EXPECT_EQ(core::AsStringView(*read), "state-5");
  ASSERT_TRUE(reopened.Write(core::ToBytes("state-6")));
  EXPECT_EQ(core::AsStringView(*SafetyFile(path_).Read()), "state-6");
}

TEST_F(SafetyFileTest, ATornLatestSlotLeavesThePreviousState) {
  SafetyFile file(path_);
  ASSERT_TRUE(file.Write(core::ToBytes("first")));   // sequence 1: slot 1
  ASSERT_TRUE(file.Write(core::ToBytes("second")));  // sequence 2: slot 0
  Smash(20, 8);                                      // inside slot 0's digest
  auto read = SafetyFile(path_).Read();
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(core::AsStringView(*read), "first");
}

TEST_F(SafetyFileTest, ATornFirstWriteLeavesTheEmptyState) {
  SafetyFile file(path_);
  ASSERT_TRUE(file.Write(core::ToBytes("first")));  // slot 1; slot 0 holds the empty state
  Smash(static_cast<off_t>(SafetyFile::kSlotBytes) + 16, 4);
  auto read = SafetyFile(path_).Read();
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_TRUE(read->empty());
}

TEST_F(SafetyFileTest, BothSlotsRottenIsCorruptNotEmpty) {
  SafetyFile file(path_);
  ASSERT_TRUE(file.Write(core::ToBytes("first")));
  Smash(0, 64);
  Smash(static_cast<off_t>(SafetyFile::kSlotBytes), 64);
  auto read = SafetyFile(path_).Read();
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "SAFETY_FILE_CORRUPT");
  EXPECT_FALSE(SafetyFile(path_).Write(core::ToBytes("x")));  // refuses to guess a sequence
}

TEST_F(SafetyFileTest, StateLargerThanASlotIsRefused) {
  SafetyFile file(path_);
  EXPECT_EQ(file.Write(core::Bytes(SafetyFile::kSlotBytes)).error().code, "SAFETY_FILE_IO");
}

}  // namespace
}  // namespace tradeledger::node
