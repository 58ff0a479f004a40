#!/usr/bin/env bash
# Installs every Debian 12 package TradeLedger needs to build, test and run.
# Idempotent: when everything is present it only checks and returns (about a second).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config git
  # the linker (CMakeLists.txt, TL_MOLD): links every program several times faster than ld.bfd
  mold
  # the compiler cache (CMakeLists.txt, TL_CCACHE; ADR 0025): a clean clone compiles only
  # what changed since any checkout on this machine last compiled it
  ccache
  # libraries
  librocksdb-dev libsodium-dev libssl-dev libboost-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  # tcmalloc, the release build's allocator (CMakeLists.txt, TL_TCMALLOC; ADR 0028)
  libgoogle-perftools-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # code hygiene and the sanitizer/fuzz runtime
  clang-format clang-tidy clang libclang-rt-14-dev
  # coverage-guided fuzzing with GCC (scripts/fuzz.sh, doc/fuzzing.md): afl-g++, afl-fuzz and
  # the libFuzzer-compatible driver libAFLDriver.a
  afl++
  # the indexer and the assessment report (doc/assessment.md): libpq, and Debian's server,
  # which the tests and scripts/assessment.sh start in a directory of their own
  libpq-dev postgresql
  # tools used by scripts and the demo
  curl procps python3 gnuplot-nox
  # network namespaces, a bridge and veth links for the ceremony test on four hosts
  iproute2
  # libfaketime: the perturbation suite's clock-skew scenario (tests/e2e/perturbation_netns_test.sh)
  faketime
  # the Debian package (cpack; dpkg-shlibdeps computes its Depends)
  dpkg-dev
  # the web portal's browser tests (playwright-core drives Debian's chromium, headless)
  chromium
)
# The web portal's build (Vite, TypeScript from the npm registry) needs node and npm: Debian's
# nodejs and npm when the machine has none (a machine may carry another build of node, with
# npm bundled, which Debian's npm would conflict with).
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
