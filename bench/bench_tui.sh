#!/bin/sh
# bench_tui.sh — the TUI at 100k enrollments, headless (LCMTUI_SCRIPT, virtual 120x40 screen):
# first full frame, keystroke to redraw (navigation keys), incremental search keystrokes,
# resident memory. Targets: first frame < 100 ms, keystroke < 10 ms, RSS < 50 MB.
# Data: lcmtui demo --learners 100000, every enrollment made active (so all 100k are in the
# triage list) and scored. BENCH_TUI_DB=path reuses a database (it is modified).
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
today=2026-11-28
db=${BENCH_TUI_DB:-$tmp/bench.db}
if [ ! -s "$db" ]; then
    "$bin" --db "$db" --today $today demo --learners 100000 >/dev/null 2>&1
fi
sqlite3 "$db" "UPDATE enrollment SET status = 'active', ended_day = NULL;"
"$bin" --db "$db" --today $today risk update >/dev/null 2>&1
n=$(sqlite3 "$db" "SELECT count(*) FROM enrollment WHERE status = 'active';")
echo "triage list: $n enrollments; machine load: $(cut -d' ' -f1-3 /proc/loadavg)"

# Navigation: j/k, pages, top/bottom, across the whole list.
nav="$tmp/nav.keys"
{
    for i in $(seq 1 40); do printf 'j '; done
    printf '<PgDn> <PgDn> <PgDn> <PgDn> <PgDn> '
    for i in $(seq 1 40); do printf 'k '; done
    printf '<PgUp> <PgUp> G k k k k g j j j <Enter> j j j q Q\n'
} >"$nav"
# Incremental search: each key re-runs the ordered query on the filtered set.
search="$tmp/search.keys"
printf '/ Lef <BS> <BS> <BS> <Esc> Q\n' >"$search"

run() { # script label
    for r in 1 2 3; do
        LCMTUI_BENCH=1 LCMTUI_SCRIPT="$1" /usr/bin/time -f "rss_kb=%M" \
            "$bin" --db "$db" --today $today 2>&1 >/dev/null |
            tr '\n' ' ' | sed "s/^/  $2 run $r: /"
        echo
    done
}
# Same-run reference: the sqlite3 shell running the first frame's two main scans (enrolments
# and risk rows, in id order) on the same file, CPU time of the whole shell process.
refsql="SELECT count(*), sum(progress), max(last_activity_day), sum(status <> 'active') FROM enrollment;
SELECT count(*), sum(score), max(level) FROM risk;"
for r in 1 2 3; do
    /usr/bin/time -f "  reference run $r (sqlite3 shell, the two scans): cpu_s=%U user + %S sys" \
        sqlite3 "$db" "$refsql" 2>&1 >/dev/null
done
echo "navigation (first frame, then per key: handling + recalc + full frame):"
run "$nav" nav
echo "incremental search (per key):"
run "$search" search
