#include "core/thread_name.h"

#include <pthread.h>

#include <string>

namespace tradeledger::core {

void NameThisThread(std::string_view role) {
  const std::string name = std::string(kThreadNamePrefix) + std::string(role.substr(0, 12));
  pthread_setname_np(pthread_self(), name.c_str());  // fails only for a name over 15 bytes
}

}  // namespace tradeledger::core
