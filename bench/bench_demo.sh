#!/bin/sh
# bench_demo.sh — `lcmtui demo --learners N` (default 100000: 40 cohorts, ~13M activity days)
# into a new database (the line lcmtui prints times generation and load alone), then the same
# activity rows exported as CSV and loaded by the sqlite3 shell's `.import` into an equivalent
# table, in the same run. Target: >= 1M activity rows/s for lcmtui.
# Usage: bench/bench_demo.sh [BIN] [LEARNERS]
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
learners=${2:-100000}
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3 shell"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.2f s, %.0f rows/s", b - a, n / (b - a) }'; }

# CPU time too: on a shared machine the wall clock measures the neighbours as well.
timer=""
[ -x /usr/bin/time ] && timer="/usr/bin/time -o $tmp/cpu -f %U+%S"
t0=$(now)
out=$($timer "$bin" --db "$tmp/demo.db" --today 2026-11-28 demo --learners "$learners" 2>/dev/null)
t1=$(now)
echo "$out" | sed 's/^/lcmtui /'
rows=$(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM activity_day")
cpu=""
[ -s "$tmp/cpu" ] && cpu=", $(tail -1 "$tmp/cpu" | awk -F+ '{ printf "%.2f", $1 + $2 }') s CPU"
echo "lcmtui demo --learners $learners, whole command (generation, load, risk scoring): $(rate "$rows" "$t0" "$t1")$cpu"

sqlite3 -csv "$tmp/demo.db" "SELECT * FROM activity_day" >"$tmp/activity.csv"
echo "csv: $rows rows, $(du -m "$tmp/activity.csv" | cut -f1) MB"
schema="CREATE TABLE activity_day (enrollment_id INTEGER NOT NULL, day TEXT NOT NULL,
  sessions INTEGER NOT NULL DEFAULT 0, minutes INTEGER NOT NULL DEFAULT 0,
  actions INTEGER NOT NULL DEFAULT 0, progress REAL,
  PRIMARY KEY (enrollment_id, day)) WITHOUT ROWID;"
for mode in default bulk; do
    rm -f "$tmp/import.db"
    sqlite3 "$tmp/import.db" "$schema"
    set -- -cmd ".mode csv"
    [ $mode = bulk ] && set -- "$@" -cmd "PRAGMA synchronous = OFF" \
        -cmd "PRAGMA journal_mode = MEMORY" -cmd "PRAGMA cache_size = -1048576"
    t0=$(now)
    sqlite3 "$@" "$tmp/import.db" ".import $tmp/activity.csv activity_day" >/dev/null
    t1=$(now)
    got=$(sqlite3 "$tmp/import.db" "SELECT count(*) FROM activity_day")
    [ "$got" = "$rows" ] || { echo "sqlite3 .import loaded $got rows, not $rows" >&2; exit 1; }
    echo "sqlite3 .import of the same rows ($mode settings): $(rate "$rows" "$t0" "$t1")"
done
