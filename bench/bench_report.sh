#!/bin/sh
# bench_report.sh — `lcmtui report` over 100k enrollments / ~9-15M activity days (built with
# `lcmtui demo --learners 100000`, kept in $LCMTUI_BENCH_DIR between runs when set).
# Target: each report (md, html, csv, and by manager) in under 2 s of wall time.
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
dir=${LCMTUI_BENCH_DIR:-}
if [ -z "$dir" ]; then
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT INT TERM
fi
db="$dir/bench100k.db"
now() { date +%s.%N; }
if [ ! -s "$db" ]; then
    t0=$(now)
    "$bin" --db "$db" --today 2026-11-28 demo --learners 100000 >/dev/null 2>&1
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "demo --learners 100000: %.1f s\n", b - a }'
fi
rows=$(sqlite3 "$db" "SELECT count(*) FROM activity_day" 2>/dev/null || echo "?")
status=0
for args in "--format md" "--format html" "--format csv" "--format md --by manager" \
            "--format md --manager $(sqlite3 "$db" "SELECT manager_email FROM learner LIMIT 1")"; do
    t0=$(now)
    # shellcheck disable=SC2086
    "$bin" --db "$db" --today 2026-11-28 report $args -o "$dir/out" || status=1
    t1=$(now)
    awk -v a="$t0" -v b="$t1" -v q="$args" -v n="$rows" \
        'BEGIN { s = b - a; printf "report %-40s 100k enrollments, %s activity days: %.2f s%s\n",
                 q, n, s, s < 2 ? "" : "  (OVER the 2 s target)" }'
    awk -v a="$t0" -v b="$t1" 'BEGIN { exit (b - a < 2) ? 0 : 1 }' || status=1
done
exit $status
