#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the indexer's tests and the sample assessment: Debian's
# server binaries, a data directory of its own, reachable only through a Unix socket in that
# directory (no TCP port, so parallel clusters never collide), trust authentication for the
# local socket only.
#
# Usage: scripts/pg-cluster.sh start DIR   creates DIR (must not exist or be empty), starts the
#                                          server, creates database "tradeledger" and prints its
#                                          connection string on stdout
#        scripts/pg-cluster.sh stop DIR    stops the server (fast shutdown); keeps DIR
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 64; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "pg-cluster: PostgreSQL server not installed (scripts/install-deps.sh)" >&2; exit 2; }

as_owner=()
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  user=postgres
fi

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -z "$(ls -A "$dir")" ] || { echo "pg-cluster: $dir is not empty" >&2; exit 1; }
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      runuser -u postgres -- test -x "$dir" ||
        { echo "pg-cluster: the postgres user cannot reach $dir (a parent directory is private)" >&2; exit 1; }
    fi
    chmod 700 "$dir"
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    "${as_owner[@]}" "$bin/createdb" -h "$dir" -U "$user" tradeledger
    echo "host=$dir user=$user dbname=tradeledger"
    ;;
  stop)
    dir=$(cd "$dir" && pwd)
    [ -f "$dir/data/postmaster.pid" ] || exit 0
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 64
    ;;
esac
