#!/bin/bash
# citus_trial.sh — lcmtui on a distributed PostgreSQL (Citus): a coordinator and two workers
# on this machine (three tests/pg_cluster.sh clusters), the demo cohort loaded on the
# coordinator, the README's layout applied (bench/citus_layout.sql: it says what it changes
# of the schema), then lcmtui's everyday commands and the TUI on it, one line each: "ok", or
# "FAIL" with lcmtui's error; and every statement the coordinator refused during each one.
# Not part of `make check`: Debian 12 does not package Citus (doc/postgresql.md says how it
# was built for this trial). Prints "skipped: ..." and exits 0 when it is not installed.
# Usage: bench/citus_trial.sh [BIN] [LEARNERS]
set -u
bin=$(cd "$(dirname "${1:-build/lcmtui}")" && pwd)/$(basename "${1:-build/lcmtui}")
learners=${2:-2000}
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
pgbin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    [ -x "$d/initdb" ] && pgbin=$d && break
done
[ -n "$pgbin" ] || { echo "skipped: no PostgreSQL server"; exit 0; }
share=$("$pgbin/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$(basename "$(dirname "$pgbin")")")
[ -f "$share/extension/citus.control" ] || {
    echo "skipped: Citus is not installed ($share/extension/citus.control)"
    exit 0
}
tmp=$(mktemp -d)
chmod 755 "$tmp"
nodes="c w1 w2"
cleanup() {
    for n in $nodes; do PG_CLUSTER_STATE="$tmp/$n.state" "$top/tests/pg_cluster.sh" stop; done
    [ -n "${KEEP:-}" ] && { echo "kept: $tmp (the clusters stopped)"; return; }
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export PG_CLUSTER_SERVER_OPTS="-c shared_preload_libraries=citus -c max_prepared_transactions=64 \
-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
for n in $nodes; do
    PG_CLUSTER_STATE="$tmp/$n.state" "$top/tests/pg_cluster.sh" start >"$tmp/$n.env" ||
        { echo "citus_trial: cannot start node $n"; exit 1; }
done
# The nodes connect to each other as lcmtui, with the coordinator's password (pg_dist_authinfo).
. "$tmp/c.env"
pw=$(head -1 "$PGPASSFILE" | cut -d: -f5)
for n in w1 w2; do
    (
        . "$tmp/$n.env"
        psql -XAtq -d postgres -c "ALTER USER lcmtui PASSWORD '$pw'" &&
            psql -XAtq -c "CREATE EXTENSION citus"
    ) || { echo "citus_trial: node $n: no citus extension"; exit 1; }
done
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION citus" &&
    q -c "INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, 'lcmtui', 'password=$pw')" &&
    q -c "SELECT citus_set_coordinator_host('127.0.0.1', $PGPORT)" >/dev/null || exit 1
for n in w1 w2; do
    q -c "SELECT citus_add_node('127.0.0.1', $(. "$tmp/$n.env" && echo "$PGPORT"))" >/dev/null || exit 1
done
# The settings of the base the layout asks for: the snooze triggers (they update the same
# enrollment's risk row, co-located); one connection a worker for a transaction's multi-shard
# statements, so that it may write a reference table after them (the login's lcm_user row,
# an import's programme).
q -c "ALTER DATABASE lcmtui SET citus.enable_unsafe_triggers = on" &&
    q -c "ALTER DATABASE lcmtui SET citus.multi_shard_modify_mode = 'sequential'" || exit 1
echo "Citus $(q -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'") on PostgreSQL" \
    "$(q -c 'SHOW server_version'): a coordinator and $(q -c "SELECT count(*) - 1 FROM pg_dist_node") workers"

db=$LCMTUI_TEST_PG_URI
# The same base on one server (a database of the coordinator without the extension): each
# command runs on both, and its output must be the same.
one=${db%/*}/single
q -d postgres -c "CREATE DATABASE single" || exit 1
log="$(cat "$tmp/c.state")/server.log"
today=2026-11-30
for d in "$db" "$one"; do
    "$bin" --db "$d" --today 2026-11-28 demo --learners "$learners" >"$tmp/out" 2>&1 ||
        { echo "citus_trial: the demo's load failed on $d:"; cat "$tmp/out"; exit 1; }
done
echo "demo: $(head -1 "$tmp/out")"
echo "layout (bench/citus_layout.sql):"
q -f "$top/bench/citus_layout.sql" 2>&1 | sed -e 's/^psql:[^ ]* //' |
    grep -E '^(NOTICE:  layout: |ERROR|DETAIL|[0-9]+ tables|[a-z ()]+: [a-z_])' |
    sed -e 's/^NOTICE:  layout: //' -e 's/^/  /' || true
[ "$(q -c "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'risk'::regclass")" = 1 ] ||
    { echo "citus_trial: the layout was not applied"; exit 1; }

lid=$(q -c "SELECT id FROM learner ORDER BY id LIMIT 1")
lname=$(q -c "SELECT last_name FROM learner WHERE id = $lid")
printf 'jjjk\r/%s\r\033\033\tQ\n' "${lname:0:4}" >"$tmp/tui.keys"
pass=0 fail=0
# run NAME ARGS...: lcmtui ARGS on the distributed base; NAME ok or FAIL, then what the
# coordinator refused meanwhile (not the "could not determine data type" that lcmtui's
# PostgreSQL driver answers by preparing again with the types).
run() {
    name=$1
    shift
    at=$(wc -l <"$log")
    if "$@" >"$tmp/out" 2>"$tmp/err"; then
        st=ok
    else
        st=FAIL
    fi
    db_saved=$db
    db=$one
    "$@" >"$tmp/out1" 2>"$tmp/err1"
    db=$db_saved
    # what differs by nature: the timings, the base's name
    sed -i -e "s/ in [0-9]* ms/ in N ms/" -e "s|:$PGPORT/single|:$PGPORT/lcmtui|g" "$tmp/out" "$tmp/out1"
    if [ "$st" = ok ] && ! cmp -s "$tmp/out" "$tmp/out1"; then
        st=DIFF
        echo "  DIFF $name: not the output on one server:"
        diff "$tmp/out1" "$tmp/out" | head -${DIFF_LINES:-6} | sed 's/^/         /'
    fi
    refused=$(tail -n +$((at + 1)) "$log" | grep -A1 ' ERROR: ' |
        grep -v 'could not determine data type' | grep -B1 'STATEMENT:' |
        sed -n 's/.* ERROR:  *//p' | sort -u)
    [ "$st" = ok ] && [ -n "$refused" ] && st="FAIL" # an error the command did not report
    if [ "$st" = ok ]; then
        pass=$((pass + 1))
        echo "  ok   $name (the same output as on one server)"
    elif [ "$st" = DIFF ]; then
        fail=$((fail + 1))
    else
        fail=$((fail + 1))
        echo "  FAIL $name: $(tail -1 "$tmp/err" | cut -c1-200)"
        [ -n "$refused" ] && printf '%s\n' "$refused" | sed 's/^/         refused: /'
    fi
}
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@lcm.example"; };\n' >"$tmp/config"
chmod 600 "$tmp/config"
# (on $db: run() sets it to the single server's base for the second run)
lc() { "$bin" --config "$tmp/config" --db "$db" --today $today "$@"; }
echo "lcmtui on the distributed base ($(q -c "SELECT count(*) FROM enrollment") enrolments):"
run "summary" lc summary
run "risk update" lc risk update
run "risk list" lc risk list --limit 20
run "risk explain" lc risk explain "#$lid"
run "risk celebrations" lc risk celebrations
run "risk snooze" lc risk snooze "#$lid" --days 3 --reason "essai Citus"
run "risk update (a learner snoozed)" lc risk update
run "learners find" lc learners find "$lname"
run "learners show" lc learners show "#$lid"
run "checkin" lc checkin "#$lid" --channel call --note "appel de suivi"
run "agenda" lc agenda
run "report" lc report
run "outbox list" lc outbox list
run "inbox list" lc inbox list
run "team list" lc team list
run "sequences" lc sequences
tui() { env LCMTUI_SCRIPT="$tmp/tui.keys" "$bin" --config "$tmp/config" --db "$db" --today $today; }
run "TUI (headless: list, detail, search)" tui
# last: it changes the base on one server and not (yet) on the distributed one
run "import (tests/data/import/lms)" lc import --mapping "$top/data/mappings/example-lms.conf" \
    "$top"/tests/data/import/lms/*.csv
echo "$pass ok, $fail failed"
# HOLD=SECONDS: the nodes stay up that long, to look at them (. $tmp/c.env; psql)
[ -n "${HOLD:-}" ] && echo "holding: . $tmp/c.env" && sleep "$HOLD"
