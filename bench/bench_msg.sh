#!/bin/sh
# bench_msg.sh — sequences and the outreach effect at scale, on the demo's benchmark data
# (lcmtui demo --learners 100000). Targets: `sequences` (every rule over 100k enrolments,
# drafts rendered from templates, one transaction) under 2 s; a second run (nothing new) under
# 1 s; `outbox stats` over every message under 1 s.
# BENCH_MSG_DB=path reuses an existing benchmark database (it is modified).
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
today=2026-11-28
db=${BENCH_MSG_DB:-$tmp/bench.db}
if [ ! -s "$db" ]; then
    "$bin" --db "$db" --today $today demo --learners 100000 >/dev/null
fi
printf 'general: { lcm_name = "Claire Martin"; lcm_email = "claire@lcm.example"; };\n' >"$tmp/c"
run() { "$bin" --config "$tmp/c" --db "$db" --today $today "$@"; }
n=$(sqlite3 "$db" "SELECT count(*) FROM enrollment;")
echo "sequences over $n enrolments:"
/usr/bin/time -f "  first run: %e s wall, %M KB max RSS" "$bin" --config "$tmp/c" --db "$db" \
    --today $today sequences 2>&1 | tail -2 | sed 's/^/  /'
/usr/bin/time -f "  second run: %e s wall" "$bin" --config "$tmp/c" --db "$db" \
    --today $today sequences 2>&1 | tail -2 | sed 's/^/  /'
/usr/bin/time -f "  approve --all: %e s wall" "$bin" --config "$tmp/c" --db "$db" \
    --today $today outbox approve --all 2>&1 | sed 's/^/  /'
# Pretend they went out ten days ago, then measure the outreach effect query.
sqlite3 "$db" "UPDATE message SET status = 'sent', sent_at = strftime('%s', '2026-11-18') + id % 86400;"
/usr/bin/time -f "  outbox stats: %e s wall" "$bin" --config "$tmp/c" --db "$db" \
    --today $today outbox stats 2>&1 | tail -9 | sed 's/^/  /'
