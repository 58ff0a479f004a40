#!/usr/bin/env bash
# Keeps doc/bad-inputs.md honest: every test it cites as `binary: Suite.TestName` must be
# defined (TEST, TEST_F or TEST_P) in a source file whose directory declares that test binary
# with tl_test(binary ...), so a renamed, moved or deleted test fails here instead of leaving
# the catalog pointing at nothing.
# Usage: tests/check_bad_inputs.sh [repo root]. Exit 0 when every reference resolves;
# otherwise lists the missing ones.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
catalog=doc/bad-inputs.md
[ -f "$catalog" ] || { echo "bad-inputs: $catalog is missing"; exit 1; }

# "binary Suite.Test" for every backticked `binary: Suite.Test` in the catalog.
refs=$(grep -oE '`[a-z0-9_]+: [A-Za-z0-9_]+\.[A-Za-z0-9_]+`' "$catalog" |
       sed -E 's/`([a-z0-9_]+): ([A-Za-z0-9_.]+)`/\1 \2/' | sort -u)
if [ -z "$refs" ]; then
  echo "bad-inputs: no \`binary: Suite.TestName\` references found in $catalog"
  exit 1
fi

# "file Suite.Test" for every test definition (a macro's arguments may span lines).
defs=$(find -L src tests fuzz -name '*.cc' -print0 |
       xargs -0 perl -0777 -ne \
         'while (/\bTEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)/g) { print "$ARGV $1.$2\n" }')

# "binary directory" for every tl_test(binary ...) in a CMake file.
decls=$(find -L src tests -name CMakeLists.txt -o -name '*.cmake' | xargs perl -ne \
          'if (/\btl_test\(\s*(\w+)/) { $b = $1; ($d = $ARGV) =~ s{/[^/]+$}{}; print "$b $d\n" }')

# Checked in one pass: each reference against the definitions and the binaries' directories.
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
echo "$decls" >"$tmp/decls"
echo "$defs" >"$tmp/defs"
echo "$refs" >"$tmp/refs"
awk -v catalog="$catalog" -v decls="$tmp/decls" -v defs="$tmp/defs" '
  FILENAME == decls { dirs[$1] = dirs[$1] " " $2; next }
  FILENAME == defs {
    dir = $1; sub(/\/[^\/]+$/, "", dir)
    where[$2] = where[$2] " " $1; indir[$2, dir] = 1; next
  }
  {
    binary = $1; test = $2; count++
    if (!(test in where)) {
      printf "bad-inputs: %s: %s is cited in %s but no TEST/TEST_F/TEST_P defines it\n",
             binary, test, catalog
      bad = 1; next
    }
    if (!(binary in dirs)) {
      printf "bad-inputs: %s: %s: no tl_test(%s ...) in any CMake file\n", binary, test, binary
      bad = 1; next
    }
    n = split(dirs[binary], ds, " "); ok = 0
    for (i = 1; i <= n; i++) if ((test, ds[i]) in indir) ok = 1
    if (!ok) {
      printf "bad-inputs: %s: %s is defined in%s, not in a directory that builds %s\n",
             binary, test, where[test], binary
      bad = 1
    }
  }
  END {
    if (!bad) printf "bad-inputs: all %d tests cited in %s exist\n", count, catalog
    exit bad
  }
' "$tmp/decls" "$tmp/defs" "$tmp/refs"
