#!/bin/sh
# bench_pg.sh — the same figures on SQLite and on PostgreSQL in one run (issue 17), at 100k
# enrolments (lcmtui demo --learners 100000): the load (PostgreSQL: COPY), the CSV import of
# the OULAD presentations (PostgreSQL: COPY into a staging table), `risk update`, the TUI's
# first frame and the triage query. Goals: load rate >= 0.5x SQLite's, risk update <= 3x,
# first frame <= 2x, triage query < 10 ms on PostgreSQL; then `sequences` (no goal).
# Each figure: wall time, the client's CPU (user + sys), and on PostgreSQL the server's CPU
# (its processes' user + sys over the command, autovacuum and checkpoints included).
# The server is a throwaway cluster (tests/pg_cluster.sh) with durable settings: fsync on,
# synchronous_commit on (SQLite runs synchronous = FULL), PostgreSQL's defaults otherwise,
# except huge_pages = off (PG_CLUSTER_SERVER_OPTS overrides them). Skips when PostgreSQL is
# not installed.
# Usage: bench/bench_pg.sh [BIN] [LEARNERS]
set -eu
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
learners=${2:-100000}
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3 shell"; exit 0; }
command -v psql >/dev/null || { echo "skipped: no psql"; exit 0; }
tmp=$(mktemp -d)
PG_CLUSTER_STATE="$tmp/pg.state"
# huge_pages = off: the server's shared memory in 4 kB pages, as on a machine left as
# installed (the default, try, takes huge pages when the machine has some reserved); the
# TUI's first frame is timed in huge pages too, at the end, when there are enough free.
PG_CLUSTER_SERVER_OPTS=${PG_CLUSTER_SERVER_OPTS--c huge_pages=off}
export PG_CLUSTER_STATE PG_CLUSTER_SERVER_OPTS
trap '"$top/tests/pg_cluster.sh" stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
envs=$("$top/tests/pg_cluster.sh" start) || { echo "skipped: no PostgreSQL server"; exit 0; }
eval "$envs"
today=2026-11-28
lite=$tmp/bench.db
pg=$LCMTUI_TEST_PG_URI
pgdir=$(cat "$PG_CLUSTER_STATE")
pm=$(head -1 "$pgdir/data/postmaster.pid")
tck=$(getconf CLK_TCK)
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); server: PostgreSQL" \
    "$(psql -XAtqc 'SHOW server_version'), settings: ${PG_CLUSTER_SERVER_OPTS:-defaults}"

# The server's CPU ticks so far: the postmaster with its reaped children (ended backends),
# plus its live children.
server_ticks() {
    t=0
    for p in $pm $(ps -o pid= --ppid "$pm"); do
        f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
        # shellcheck disable=SC2086
        set -- $f
        t=$((t + ${12} + ${13}))
        [ "$p" = "$pm" ] && t=$((t + ${14} + ${15}))
    done
    echo "$t"
}

# measure LABEL ENGINE CMD...: runs CMD (output in $tmp/out) and prints its figures; the
# wall seconds are left in $tmp/wall, the total CPU seconds in $tmp/cpu.
measure() {
    label=$1 engine=$2
    shift 2
    s0=$(server_ticks)
    /usr/bin/time -o "$tmp/time" -f "%e %U %S" "$@" >"$tmp/out" 2>&1 || {
        echo "  $label ($engine): failed:"
        sed 's/^/    /' "$tmp/out"
        return 1
    }
    s1=$(server_ticks)
    [ "$engine" = sqlite ] && s1=$s0
    tail -1 "$tmp/time" | awk -v l="$label" -v e="$engine" -v s=$((s1 - s0)) -v k="$tck" \
        -v d="$tmp" '{ srv = s / k; printf "  %-28s %-10s %7.2f s wall, %6.2f s CPU client", l, e, $1, $2 + $3;
        if (e != "sqlite") printf " + %6.2f s server = %6.2f s", srv, $2 + $3 + srv;
        printf "\n"; print $1 > (d "/wall"); print $2 + $3 + srv > (d "/cpu") }'
}
ratio() { # label figure-pg figure-sqlite
    awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { printf "  => %s: PostgreSQL/SQLite %.2fx\n", l, a / b }'
}
q_lite() { sqlite3 "$lite" "$1"; }
q_pg() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
# settle: between two parts, the work a part left behind done before the next is timed: the
# dirty pages written out (sync, CHECKPOINT) and the autovacuum a load starts finished (on a
# table of millions of rows it ran for tens of seconds, on the same two cores as the import
# and the risk update timed next). Waits at most 300 s, and says how long it waited.
settle() {
    t0=$(date +%s)
    sync
    q_pg "CHECKPOINT"
    n=0
    while [ "$(q_pg "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ] &&
        [ $n -lt 300 ]; do
        sleep 1
        n=$((n + 1))
    done
    echo "  (settled in $(($(date +%s) - t0)) s: checkpoint, autovacuum workers done)"
}

echo "load: lcmtui demo --learners $learners (generation, load, risk scoring)"
measure "demo" sqlite "$bin" --db "$lite" --today $today demo --learners "$learners"
lw=$(cat "$tmp/wall") lc=$(cat "$tmp/cpu") lo=$(cat "$tmp/out")
measure "demo" postgresql "$bin" --db "$pg" --today $today demo --learners "$learners"
pw=$(cat "$tmp/wall") pc=$(cat "$tmp/cpu") po=$(cat "$tmp/out")
rows=$(q_lite "SELECT count(*) FROM activity_day")
[ "$(q_pg "SELECT count(*) FROM activity_day")" = "$rows" ] || echo "  !! row counts differ"
echo "  sqlite:     $lo"
echo "  postgresql: $po"
awk -v n="$rows" -v lw="$lw" -v lc="$lc" -v pw="$pw" -v pc="$pc" 'BEGIN {
    printf "  %d activity rows: SQLite %.0f rows/s wall (%.0f per CPU s), PostgreSQL %.0f rows/s wall (%.0f per CPU s, client + server)\n",
        n, n / lw, n / lc, n / pw, n / pc
    printf "  => load rate PostgreSQL/SQLite: %.2fx wall, %.2fx CPU (goal >= 0.5x)\n", lw / pw, lc / pc }'

data="$top/../shared/data"
settle
for m in AAA BBB; do
    dir="$data/oulad-$m-2013J"
    [ -d "$dir" ] || { echo "import: skipped, no $dir"; continue; }
    lines=$(cat "$dir"/*.csv | wc -l)
    echo "import oulad-$m-2013J ($lines CSV lines, activity days through COPY on PostgreSQL)"
    base=oulad_$(echo "$m" | tr 'A-Z' 'a-z')
    psql -XAtq -c "CREATE DATABASE $base"
    # The schema first (about 140 ms of DDL on the server, a one-time cost of a team's base),
    # so that the import's figures are its rows'.
    measure "new base's schema (summary)" sqlite "$bin" --db "$tmp/$m.db" summary
    lw=$(cat "$tmp/wall")
    measure "new base's schema (summary)" postgresql "$bin" --db "${pg%/*}/$base" summary
    ratio "schema wall" "$(cat "$tmp/wall")" "$lw"
    for run in new-rows re-import; do
        measure "import ($run)" sqlite "$bin" --db "$tmp/$m.db" import --mapping \
            "$top/data/mappings/oulad.conf" --set code_module=$m "$dir"/*.csv
        lw=$(cat "$tmp/wall")
        measure "import ($run)" postgresql "$bin" --db "${pg%/*}/$base" import --mapping \
            "$top/data/mappings/oulad.conf" --set code_module=$m "$dir"/*.csv
        ratio "import $run wall" "$(cat "$tmp/wall")" "$lw"
    done
    a=$(sqlite3 "$tmp/$m.db" "SELECT count(*), sum(minutes), sum(actions) FROM activity_day")
    b=$(psql -XAtq -d "$base" -c "SELECT count(*) || '|' || sum(minutes) || '|' || sum(actions) FROM activity_day")
    [ "$a" = "$b" ] && echo "  same activity on both: $a" || echo "  !! activity differs: $a / $b"
done

# Every enrollment active, so all are rescored (the demo closes the older cohorts).
q_lite "UPDATE enrollment SET status = 'active', ended_day = NULL;"
q_pg "UPDATE enrollment SET status = 'active', ended_day = NULL"
q_pg "VACUUM ANALYZE enrollment"
settle
# Each run scores a later day, so that every risk row changes and is written (a second update
# of one day writes only what changed: nothing); then one more of the last day.
echo "risk update ($learners enrollments, all active), 3 runs each on successive days, alternated"
for run in 1 2 3; do
    day=2026-11-$((27 + run))
    measure "risk update $day" sqlite "$bin" --db "$lite" --today $day risk update
    lw=$(cat "$tmp/wall") lc=$(cat "$tmp/cpu")
    measure "risk update $day" postgresql "$bin" --db "$pg" --today $day risk update
    ratio "risk update wall" "$(cat "$tmp/wall")" "$lw"
    ratio "risk update CPU" "$(cat "$tmp/cpu")" "$lc"
done
measure "risk update $day again" sqlite "$bin" --db "$lite" --today $day risk update
lw=$(cat "$tmp/wall")
measure "risk update $day again" postgresql "$bin" --db "$pg" --today $day risk update
ratio "risk update again (nothing written) wall" "$(cat "$tmp/wall")" "$lw"
today=$day # the day the risk rows are of
settle

echo "TUI first frame (headless, 120x40, the triage list of $learners), 3 runs each"
printf 'Q\n' >"$tmp/q.keys"
# One run first, not timed: the pages the first frame reads back in the caches (the risk
# update before left others there), as for the runs in huge pages below.
for db in "$lite" "$pg"; do
    env LCMTUI_BENCH=1 LCMTUI_SCRIPT="$tmp/q.keys" "$bin" --db "$db" --today $today >/dev/null 2>&1
done
for run in 1 2 3; do
    for e in sqlite postgresql; do
        db=$lite
        [ $e = postgresql ] && db=$pg
        measure "TUI run $run (whole process)" $e env LCMTUI_BENCH=1 \
            LCMTUI_SCRIPT="$tmp/q.keys" "$bin" --db "$db" --today $today
        echo "    $(grep first_frame "$tmp/out" | sed 's/ keys=.* rest_ms=/ rest_ms=/')"
    done
done

# Through PgBouncer (session pooling, as a team's server would run it): the first run opens
# the pool's server connection, the next ones get it warm (its catalog caches filled: a new
# server process reads them in for each table and index the first frame touches, most of
# the direct figure above).
if command -v pgbouncer >/dev/null; then
    fail() { echo "  pgbouncer: $*"; return 1; }
    pgbdir=$(mktemp -d) # not under $tmp: the pooler runs as nobody when we are root
    . "$top/tests/pgbouncer.sh"
    trap 'pgb_stop; rm -rf "$pgbdir"; "$top/tests/pg_cluster.sh" stop; rm -rf "$tmp"' EXIT
    if pgb_start "$pgbdir" 4; then
        echo "TUI first frame through PgBouncer (session pooling), 4 runs: the first opens the server connection"
        for run in 1 2 3 4; do
            measure "TUI pooled run $run (whole process)" postgresql env LCMTUI_BENCH=1 \
                LCMTUI_SCRIPT="$tmp/q.keys" "$bin" --db "$(pgb_uri "${pg##*/}")" --today $today
            echo "    $(grep first_frame "$tmp/out" | sed 's/ keys=.* rest_ms=/ rest_ms=/')"
        done
    fi
else
    echo "TUI through PgBouncer: skipped, pgbouncer is not installed"
fi

# A good part of the server's time for a new connection's first frame is its new process
# faulting in the shared buffers it reads, one 4 kB page at a time (PostgreSQL's huge_pages = try
# finds none reserved on a machine left as installed): with huge pages reserved (sysctl
# vm.nr_hugepages, as PostgreSQL's documentation advises for a server), the same runs with
# the server restarted with huge_pages = on. The machine's setting is not changed here.
need=$(q_pg "SHOW shared_memory_size_in_huge_pages")
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
if [ "${free:-0}" -ge "$need" ]; then
    PG_CLUSTER_SERVER_OPTS="$PG_CLUSTER_SERVER_OPTS -c huge_pages=on" "$top/tests/pg_cluster.sh" restart
    pm=$(head -1 "$pgdir/data/postmaster.pid")
    env LCMTUI_BENCH=1 LCMTUI_SCRIPT="$tmp/q.keys" "$bin" --db "$pg" --today $today >/dev/null 2>&1 # not timed, as above
    echo "TUI first frame, the server in huge pages ($need of the $free free), 3 runs each"
    for run in 1 2 3; do
        for e in sqlite postgresql; do
            db=$lite
            [ $e = postgresql ] && db=$pg
            measure "TUI run $run (whole process)" $e env LCMTUI_BENCH=1 \
                LCMTUI_SCRIPT="$tmp/q.keys" "$bin" --db "$db" --today $today
            echo "    $(grep first_frame "$tmp/out" | sed 's/ keys=.* rest_ms=/ rest_ms=/')"
        done
    done
else
    echo "TUI first frame in huge pages: skipped, $need needed, ${free:-0} free (vm.nr_hugepages)"
fi

q="SELECT r.enrollment_id, l.id, l.first_name, l.last_name, l.ext_id, c.name, r.score, r.level,
 r.day, r.reasons, 0, r.raw FROM risk r JOIN enrollment e ON e.id = r.enrollment_id AND e.learner_id = r.learner_id
 JOIN learner l ON l.id = e.learner_id JOIN cohort c ON c.id = e.cohort_id
 WHERE r.snoozed = 0 AND r.level >= 1 ORDER BY r.level DESC, r.score DESC, r.raw DESC LIMIT 50"
echo "triage query (top 50, as store_risk_triage runs it)"
i=0
: >"$tmp/q.sql"
while [ $i -lt 1000 ]; do printf '%s;\n' "$q" >>"$tmp/q.sql"; i=$((i + 1)); done
measure "1000 queries, sqlite3 shell" sqlite sh -c "sqlite3 '$lite' <'$tmp/q.sql' >/dev/null"
awk -v w="$(cat "$tmp/wall")" 'BEGIN { printf "  => SQLite: %.3f ms a query (mean of 1000, one process)\n", w }'
printf '%s;\n' "$q" >"$tmp/q1.sql"
measure "1000 queries, pgbench" postgresql pgbench -n -f "$tmp/q1.sql" -t 1000 -M prepared
grep -E "latency average" "$tmp/out" | sed 's/^/  => PostgreSQL: /;s/$/ (pgbench, prepared, round trip included)/'
psql -XAtq -c "EXPLAIN (ANALYZE, BUFFERS) $q" >"$tmp/plan"
echo "  plan: $(grep -E 'Limit|Execution Time' "$tmp/plan" | tr -s ' ' | tr '\n' ';')"
sed 's/^/    /' "$tmp/plan"

# The day's sequence rules (the five defaults) over every enrollment, all active: thousands of
# drafts, each its own statements (checks, the claim, the message, the firing), so on
# PostgreSQL each a round trip; the tables it fills are probed as they grow (custom plans in
# a write transaction, doc/postgresql.md).
printf 'general: { lcm_name = "Claire Martin"; };\n' >"$tmp/seq.conf"
chmod 600 "$tmp/seq.conf"
echo "sequences (the default rules, $learners enrollments all active)"
measure "sequences" sqlite env LCMTUI_SHARE="$top" "$bin" --config "$tmp/seq.conf" --db "$lite" \
    --today $today sequences
lw=$(cat "$tmp/wall") lo=$(tail -1 "$tmp/out")
measure "sequences" postgresql env LCMTUI_SHARE="$top" "$bin" --config "$tmp/seq.conf" --db "$pg" \
    --today $today sequences
ratio "sequences wall" "$(cat "$tmp/wall")" "$lw"
echo "  sqlite:     $lo"
echo "  postgresql: $(tail -1 "$tmp/out")"
