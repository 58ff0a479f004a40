#!/usr/bin/env bash
# Builds the Debian package from the release build and checks what it holds.
# Usage: scripts/package.sh [BUILD_DIR]   (default build/release, configured and built first)
# Writes BUILD_DIR/tradeledger_<version>_<arch>.deb; install it with `apt install ./FILE.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
if [ ! -f "$build/CPackConfig.cmake" ]; then
  echo "package: no $build/CPackConfig.cmake (configure and build first)" >&2
  exit 2
fi
(cd "$build" && cpack --config CPackConfig.cmake >/dev/null)
deb=$(ls -t "$build"/tradeledger_*.deb | head -1)
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/tradeledger ./usr/lib/systemd/system/tradeledger@.service \
            ./usr/share/doc/tradeledger/operations.md ./usr/share/tradeledger/portal/index.html; do
  grep -q " $path\$" <<<"$contents" || { echo "package: $deb lacks $path" >&2; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsodium23 libssl3 libspdlog1.10 adduser; do
  grep -q "$lib" <<<"$depends" || { echo "package: Depends lacks $lib: $depends" >&2; exit 1; }
done
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -q '^./postinst$' || {
  echo "package: $deb has no postinst" >&2; exit 1; }
echo "package: $deb ($(du -h "$deb" | cut -f1)), Depends: $depends"
