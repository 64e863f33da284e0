#!/bin/sh
# make bench: runs every bench/bench_*.sh with the binary as $1. Each prints its own figures.
bin=${1:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/bench_*.sh; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b" .sh)"
    "$b" "$bin" || status=1
done
exit $status
