#!/usr/bin/env bash
# Checks the dependency direction of ARCHITECTURE.md: each layer under src/ includes only the
# layers below it, and the pure layers (consensus, trade) touch no I/O, threads or clocks.
# Usage: tests/check_layers.sh [repo root]. Exit 0 when clean; otherwise lists violations.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/src" || exit 2

declare -A allowed=(
  [core]=""
  [crypto]="core"
  [ledger]="core crypto"
  [state]="core crypto"
  [storage]="core"
  [trade]="core crypto state"
  [consensus]="core crypto ledger"
  [net]="core crypto"
  [node]="core crypto ledger state storage trade consensus net"
  [api]="core crypto ledger state storage trade consensus net node api"
  [index]="core crypto ledger node api"
  [assess]="core index"
  [cli]="core crypto ledger state storage trade consensus net node api index assess"
)

status=0
for layer in "${!allowed[@]}"; do
  [ -d "$layer" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    [ "$inc" = "$layer" ] && continue
    # api/http is a transport used by api and cli; it may include only core.
    if [[ $file == api/http/* ]]; then
      [ "$inc" = core ] && continue
    elif [[ " ${allowed[$layer]} " == *" $inc "* ]]; then
      continue
    fi
    echo "layering: $file includes $inc/ (allowed for $layer: ${allowed[$layer]:-nothing})"
    status=1
  done < <(grep -rnE '^#include "[a-z_]+/' "$layer" --include='*.h' --include='*.cc' |
           sed -E 's/^([^:]+):[0-9]+:/\1:/')
done

# The pure cores: no sockets, threads, clocks, files, randomness or storage engines.
forbidden='#include <(thread|mutex|condition_variable|future|fstream|random|filesystem)>|#include <(rocksdb|boost|asio|sys/socket|netinet)|system_clock|steady_clock|high_resolution_clock|std::rand|random_device|time\(nullptr\)'
for layer in consensus trade; do
  [ -d "$layer" ] || continue
  if grep -rnE "$forbidden" "$layer" --include='*.h' --include='*.cc' | grep -v '_test\.cc:'; then
    echo "layering: $layer must stay pure (no I/O, threads, clocks or randomness)"
    status=1
  fi
done

[ $status = 0 ] && echo "layering: every include points down the layers"
exit $status
