#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace tradeledger::crypto {
namespace {

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tl-keyfile-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(KeyFileTest, WritesMode0600AndReadsBack) {
  KeyPair kp = KeyPair::Generate();
  ASSERT_TRUE(WriteKeyFile(Path("k"), kp));
  struct stat st {};
  ASSERT_EQ(::stat(Path("k").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = ReadKeyFile(Path("k"));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->public_key, kp.public_key);
}

TEST_F(KeyFileTest, RefusesToOverwrite) {
  ASSERT_TRUE(WriteKeyFile(Path("k"), KeyPair::Generate()));
  EXPECT_EQ(WriteKeyFile(Path("k"), KeyPair::Generate()).error().code, "KEY_FILE_EXISTS");
}

TEST_F(KeyFileTest, MissingFile) {
  EXPECT_EQ(ReadKeyFile(Path("nope")).error().code, "KEY_FILE_MISSING");
}

TEST_F(KeyFileTest, WorldReadableFileIsRefused) {
  ASSERT_TRUE(WriteKeyFile(Path("k"), KeyPair::Generate()));
  ::chmod(Path("k").c_str(), 0644);
  auto r = ReadKeyFile(Path("k"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "KEY_FILE_PERMISSIONS");
  EXPECT_NE(r.error().detail.find("0644"), std::string::npos);
}

TEST_F(KeyFileTest, CorruptFileIsRefused) {
  KeyPair kp = KeyPair::Generate();
  ASSERT_TRUE(WriteKeyFile(Path("k"), kp));
  // Change one hex digit of the seed: the public key no longer matches.
  std::string text;
  {
    std::ifstream in(Path("k"));
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  size_t pos = text.find("seed ") + 5;
  text[pos] = text[pos] == '0' ? '1' : '0';
  {
    std::ofstream out(Path("k"), std::ios::trunc);
    out << text;
  }
  EXPECT_EQ(ReadKeyFile(Path("k")).error().code, "KEY_FILE_CORRUPT");

  {
    std::ofstream out(Path("k"), std::ios::trunc);
    out << "garbage\n";
  }
  EXPECT_EQ(ReadKeyFile(Path("k")).error().code, "KEY_FILE_CORRUPT");
}

}  // namespace
}  // namespace tradeledger::crypto
