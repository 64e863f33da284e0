#!/bin/sh
# bench_risk.sh — rescoring 100k enrollments and the triage query, on the demo's benchmark
# data (lcmtui demo --learners 100000). Targets: `risk update` under 2 s, the triage query
# (top 50 not snoozed, joined to names) under 10 ms. Then the OULAD evaluation figures.
# BENCH_RISK_DB=path reuses an existing benchmark database (it is modified: all active).
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
today=2026-11-28
db=${BENCH_RISK_DB:-$tmp/bench.db}
now() { date +%s.%N; }
if [ ! -s "$db" ]; then
    t0=$(now)
    "$bin" --db "$db" --today $today demo --learners 100000 >/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "demo --learners 100000 written in %.1f s\n", b - a }'
fi
# Every enrollment active, so all 100k are rescored (the demo closes the older cohorts).
sqlite3 "$db" "UPDATE enrollment SET status = 'active', ended_day = NULL;"
n=$(sqlite3 "$db" "SELECT count(*) FROM enrollment;")
rows=$(sqlite3 "$db" "SELECT count(*) FROM activity_day WHERE day <= '$today';")
echo "risk update: $n enrollments, $rows activity days"
# Each run scores the next day, so that every risk row changes and is written (a second update
# of one day writes only the rows that change: none).
for run in 1 2 3; do
    /usr/bin/time -f "  run $run (2026-11-$((27 + run))): %e s wall, %U s user, %S s sys" \
        "$bin" --db "$db" --today 2026-11-$((27 + run)) risk update 2>&1 | sed 's/^risk: /  /'
done
# The triage query exactly as core/store_risk.c runs it (store_risk_triage).
q="SELECT r.enrollment_id, l.id, l.first_name, l.last_name, l.ext_id, c.name, r.score, r.level,
 r.day, r.reasons, 0, r.raw FROM risk r JOIN enrollment e ON e.id = r.enrollment_id AND e.learner_id = r.learner_id
 JOIN learner l ON l.id = e.learner_id JOIN cohort c ON c.id = e.cohort_id
 WHERE r.snoozed = 0 AND r.level >= 1 ORDER BY r.level DESC, r.score DESC, r.raw DESC LIMIT 50;"
# 1000 runs in one sqlite3 process (its start-up is a few ms): the mean per query.
i=0
: >"$tmp/q.sql"
while [ $i -lt 1000 ]; do printf '%s\n' "$q" >>"$tmp/q.sql"; i=$((i + 1)); done
t0=$(now)
sqlite3 "$db" <"$tmp/q.sql" >/dev/null
t1=$(now)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  triage query (top 50): %.3f ms (mean of 1000)\n", (b - a) }'
echo "  plan: $(sqlite3 "$db" "EXPLAIN QUERY PLAN $q" | tr '\n' ' ' | tr -s ' ')"
# Evaluation on real outcomes (skipped when the data is absent).
data="$top/../shared/data"
for m in AAA BBB; do
    dir="$data/oulad-$m-2013J"
    [ -d "$dir" ] || continue
    "$bin" --db "$tmp/$m.db" import --mapping "$top/data/mappings/oulad.conf" \
        --set code_module=$m "$dir"/*.csv >/dev/null 2>&1
    for d in 28 56; do
        echo "oulad-$m-2013J, risk eval --at $d:"
        "$bin" --db "$tmp/$m.db" risk eval --at $d | sed 's/^/  /'
    done
done
