#!/bin/sh
# bench_import.sh — times `lcmtui import` of the real OULAD presentations (new database, then a
# re-import). Target: the whole AAA import well under 5 s. Skips when the data is absent.
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
data="$top/../shared/data"
[ -d "$data/oulad-AAA-2013J" ] || { echo "skipped: no OULAD data"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
now() { date +%s.%N; }
for m in AAA BBB; do
    dir="$data/oulad-$m-2013J"
    [ -d "$dir" ] || continue
    rows=$(cat "$dir"/*.csv | wc -l)
    for run in new re-import; do
        t0=$(now)
        "$bin" --db "$tmp/$m.db" import --mapping "$top/data/mappings/oulad.conf" \
            --set code_module=$m "$dir"/*.csv >/dev/null 2>&1
        t1=$(now)
        awk -v a="$t0" -v b="$t1" -v m="$m" -v r="$run" -v n="$rows" \
            'BEGIN { printf "import oulad-%s-2013J (%s): %d lines in %.2f s\n", m, r, n, b - a }'
    done
done
