#include "core/thread_name.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>

namespace tradeledger::core {
namespace {

std::string OwnName() {
  std::ifstream in("/proc/thread-self/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

TEST(ThreadName, NamesTheCallingThreadOnly) {
  const std::string before = OwnName();
  std::string inside;
  std::thread([&] {
    NameThisThread("commit");
    inside = OwnName();
  }).join();
  EXPECT_EQ(inside, "tl-commit");
  EXPECT_EQ(OwnName(), before);
}

TEST(ThreadName, ALongRoleIsCutToFitLinuxsFifteenBytes) {
  std::string inside;
  std::thread([&] {
    NameThisThread("consensus-and-more");
    inside = OwnName();
  }).join();
  EXPECT_EQ(inside, "tl-consensus-an");  // "tl-" and the first 12 bytes of the role
}

}  // namespace
}  // namespace tradeledger::core
