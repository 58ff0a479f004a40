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

# tl_test(NAME SOURCES a_test.cc DEPS tradeledger_x)
# One GoogleTest executable; every TEST in it becomes a ctest entry.
function(tl_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "${ARG_LABELS}"
                       ENVIRONMENT "TL_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
