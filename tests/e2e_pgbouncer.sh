#!/bin/sh
# e2e_pgbouncer.sh — a team's base behind PgBouncer (Debian's pgbouncer, session pooling with
# its default reset, DISCARD ALL): the demo load, `risk update`, check-ins, `summary` and the
# headless TUI all work through it, with a pool of two server connections for every client in
# turn (`risk update` scores on two at once; each session finds what the one before it left
# reset: its prepared statements, temporary staging tables, writer lock and LISTEN gone); the
# results are those of a direct connection. Skips (77) without the server or pgbouncer.
set -u
# e2e-engines: postgresql
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
fail() {
    echo "e2e_pgbouncer: $*" >&2
    [ -f "${T:-/nonexistent}/pgb.log" ] && tail -5 "$T/pgb.log" >&2
    exit 1
}
uri=${LCMTUI_TEST_PG_URI:-}
[ -n "$uri" ] || { echo "e2e_pgbouncer: skipped: no PostgreSQL server (LCMTUI_TEST_PG_URI)"; exit 77; }
command -v pgbouncer >/dev/null 2>&1 || { echo "e2e_pgbouncer: skipped: pgbouncer is not installed"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "e2e_pgbouncer: skipped: no psql"; exit 77; }
name="lcmtui_e2e_pgb_$$"
psql -q -d "$uri" -c "CREATE DATABASE $name" || fail "cannot create the database"
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-pgb-XXXXXX")
cleanup() {
    pgb_stop
    rm -rf "$T"
    psql -q -d "$uri" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$(dirname "$0")/pgbouncer.sh"
pgb_start "$T" 2
direct=$(printf '%s\n' "$uri" | sed "s|/[^/?]*\(?.*\)\{0,1\}$|/$name\1|")
pooled=$(pgb_uri "$name")
run() { "$LCMTUI" --today "2026-11-28 10:15" "$@"; }

out=$(run --db "$pooled" demo 2>&1) || fail "demo through pgbouncer: $out"
out=$(run --db "$pooled" risk update 2>&1) || fail "risk update through pgbouncer: $out"
out=$(run --db "$pooled" risk update 2>&1) || fail "a second risk update (its staging table made again): $out"
checkins() { psql -XAtq -d "$direct" -c "SELECT count(*) FROM checkin"; }
before=$(checkins)
out=$(run --db "$pooled" checkin Marty --channel sms --direction in --outcome question 2>&1) ||
    fail "check-in through pgbouncer: $out"
out=$(run --db "$pooled" checkin Marty --channel video --outcome reached 2>&1) ||
    fail "a second check-in (the writer lock of the first released): $out"
[ "$(checkins)" = $((before + 2)) ] || fail "the check-ins are not in the base: $before, then $(checkins)"
# two server connections served every client (risk update scores on two at once)
servers=$(psql -XAtq -d "$direct" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$name' AND application_name <> 'psql'")
[ "$servers" -le 2 ] || fail "$servers server connections for a pool of two"
# the same answers as a direct connection
run --db "$pooled" summary | tail -n +2 >"$T/pooled" || fail "summary through pgbouncer failed"
run --db "$direct" summary | tail -n +2 >"$T/direct" || fail "summary failed"
cmp -s "$T/pooled" "$T/direct" || fail "summaries differ: $(diff "$T/pooled" "$T/direct")"
grep -q "160 learners, 160 enrolments" "$T/pooled" || fail "counts missing: $(cat "$T/pooled")"
run --db "$pooled" risk list >"$T/rp" && run --db "$direct" risk list >"$T/rd" ||
    fail "risk list failed"
cmp -s "$T/rp" "$T/rd" || fail "risk lists differ"
# the TUI, twice (the second on the server connection the first left)
printf 'Q\n' >"$T/q.keys"
for n in 1 2; do
    LCMTUI_SCRIPT="$T/q.keys" LCMTUI_SIZE=100x30 run --db "$pooled" >"$T/screen.$n" 2>"$T/err" ||
        fail "TUI run $n through pgbouncer: $(cat "$T/err")"
done
LCMTUI_SCRIPT="$T/q.keys" LCMTUI_SIZE=100x30 run --db "$direct" >"$T/screen.d" 2>"$T/err" ||
    fail "TUI direct: $(cat "$T/err")"
cmp -s "$T/screen.1" "$T/screen.d" || fail "the TUI's screen differs through pgbouncer"
cmp -s "$T/screen.2" "$T/screen.d" || fail "the second TUI run's screen differs"
[ "$(grep -c '[[:alpha:]]' "$T/screen.d")" -ge 10 ] || fail "an empty screen: $(cat "$T/screen.d")"
echo "e2e_pgbouncer: ok (demo, risk update twice, check-ins, summary, risk list and the TUI through a pool of two server connections)"
