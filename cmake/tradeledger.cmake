# Helpers shared by every layer's CMakeLists.txt.

# tl_library(NAME SOURCES a.cc b.cc DEPS other_layer ...)
# Declares the library `tradeledger_NAME`. DEPS are the layers and packages it may use;
# the allowed directions are in ARCHITECTURE.md and checked by tests/check_layers.sh.
function(tl_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tradeledger_${name} STATIC ${ARG_SOURCES})
  target_include_directories(tradeledger_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tradeledger_${name} PUBLIC ${ARG_DEPS})
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
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "${ARG_LABELS}" COST ${ARG_COST}
                       ENVIRONMENT "TL_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
