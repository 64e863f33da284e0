#!/bin/sh
# e2e_sync_kill.sh — a sync killed (SIGKILL) in the middle keeps the pages it committed, and
# the next run resumes from the cursor without counting any statement twice.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
SP=""
LP=""
cleanup() {
    [ -n "$LP" ] && kill -9 "$LP" 2>/dev/null
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    rm -rf "$T"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_sync_kill: $*" >&2; exit 1; }

. "$here/lms_fixture.sh"
export LMS_SLOW_SECONDS=20
lms_start "$T/port" "$T/srv.err" --learners 10 --statements 200 --page-max 50
SP=$LMS_PID
P=$LMS_PORT
ctl() { lms_ctl "$P" "$1"; }
cat >"$T/conf" <<CONF
sources = ({ name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P/xapi"; user = "lrs-key";
             password = "lrs-secret-456"; page_size = 50; timeout = 30.0; });
CONF
chmod 600 "$T/conf"
db=$(db_target "$T/db")
q() { db_query "$db" "$1"; }

# pages 1 and 2 answer, page 3 hangs: the process is killed while waiting for it
ctl "fault?kind=slow&on=xapi&after=2"
"$LCMTUI" -c "$T/conf" -d "$db" sync >/dev/null 2>&1 &
LP=$!
i=0
until [ "$(q 'select count(*) from sync_seen' 2>/dev/null)" = 100 ]; do
    i=$((i + 1)); [ $i -gt 200 ] && fail "two pages never committed"
    sleep 0.05
done
kill -9 "$LP"
wait "$LP" 2>/dev/null
LP=""
[ "$(q 'select count(*) from sync_seen')" = 100 ] || fail "seen after kill"
[ "$(q 'select sum(actions) from activity_day')" = 100 ] || fail "actions after kill"
[ "$(q "select cursor from sync_state where source = 'lrs'")" = "2026-09-01T15:02:49.999Z" ] ||
    fail "cursor after kill: $(q 'select cursor from sync_state')"
[ "$(q "select status from sync_run")" = running ] || fail "the killed run should show running"

# resume: the rest arrives, nothing twice; the interrupted run is closed
ctl clear
"$LCMTUI" -c "$T/conf" -d "$db" sync >"$T/out" 2>"$T/err" || fail "resume: $(cat "$T/err")"
[ "$(q 'select count(*) from sync_seen')" = 200 ] || fail "seen after resume"
[ "$(q 'select sum(actions) from activity_day')" = 200 ] || fail "a statement counted twice"
[ "$(q "select count(*) from sync_run where status = 'ok'")" = 1 ] || fail "resumed run not ok"
[ "$(q "select error from sync_run where id = 1")" = "interrupted (the process stopped)" ] ||
    fail "interrupted run not closed: $(q 'select * from sync_run')"
exit 0
