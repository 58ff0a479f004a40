# Helpers shared by every layer's CMakeLists.txt.

# Precompiled headers (doc/adr/0025-ci-stages-and-time-budget.md): the standard library, JSON
# and, for the tests, GoogleTest headers are parsed once per build instead of once per
# translation unit. Two shared targets hold them; every library and test built with the
# helpers below reuses one (REUSE_FROM), so they must all share the compile options set at
# the top level. CMake adds -Winvalid-pch: with -Werror, a target whose options made the
# precompiled header unusable fails to build instead of silently parsing the headers again.
set(TL_PCH_HEADERS <algorithm> <array> <atomic> <chrono> <cstdint> <cstdio> <cstring>
                   <filesystem> <functional> <map> <memory> <mutex> <optional> <set> <string>
                   <string_view> <thread> <unordered_map> <utility> <vector>
                   <nlohmann/json.hpp>)
if(TL_PCH)
  add_library(tl_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
  target_link_libraries(tl_pch PRIVATE nlohmann_json::nlohmann_json)
  target_precompile_headers(tl_pch PRIVATE ${TL_PCH_HEADERS})
  add_library(tl_test_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
  target_link_libraries(tl_test_pch PRIVATE nlohmann_json::nlohmann_json GTest::gtest
                                            GTest::gmock)
  target_precompile_headers(tl_test_pch PRIVATE ${TL_PCH_HEADERS} <gtest/gtest.h>
                            <gmock/gmock.h>)
endif()

# tl_use_pch(TARGET [TEST]): TARGET reuses the shared precompiled headers (the tests' set with
# TEST); nothing when TL_PCH is off.
function(tl_use_pch target)
  if(NOT TL_PCH)
    return()
  endif()
  if(ARGV1 STREQUAL "TEST")
    target_precompile_headers(${target} REUSE_FROM tl_test_pch)
  else()
    target_precompile_headers(${target} REUSE_FROM tl_pch)
  endif()
endfunction()

# tl_library(NAME SOURCES a.cc b.cc DEPS other_layer ...)
# Declares the library `tradeledger_NAME`. DEPS are the layers and packages it may use;
# the allowed directions are in ARCHITECTURE.md and checked by tests/check_layers.sh.
function(tl_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tradeledger_${name} STATIC ${ARG_SOURCES})
  target_include_directories(tradeledger_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tradeledger_${name} PUBLIC ${ARG_DEPS})
  tl_use_pch(tradeledger_${name})
endfunction()

# tl_test(NAME SOURCES a_test.cc DEPS tradeledger_x [LABELS l ...] [COST seconds])
# One GoogleTest executable; every TEST in it becomes a ctest entry. COST, about how long its
# slowest tests take on the sanitizer build, makes `ctest -j` start them first: a clean build
# has no timing history (CTestCostData.txt), and a long test started last leaves a core idle
# while it finishes alone.
function(tl_test name)
  cmake_parse_arguments(ARG "" "COST" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_COST)
    set(ARG_COST 0)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  tl_use_pch(${name} TEST)
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "${ARG_LABELS}" COST ${ARG_COST}
                       ENVIRONMENT "TL_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
