#!/bin/sh
# e2e_sync_faults.sh — `lcmtui sync` against the fixture LMS (tests/fixtures/lms_server.py):
# a full sync, an incremental one that asks only for what is new, every injected fault (from
# the source's first request) leaving the database unchanged with a clear one-line error, then
# resuming. Faults in the middle of a sync: e2e_sync_resume.sh.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
db=$(db_target "$T/db")
SP=""
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"; db_cleanup; }
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_sync_faults: $*" >&2; exit 1; }

. "$here/lms_fixture.sh"
lms_start "$T/port" "$T/srv.err" --log "$T/srv.log" \
    --learners 40 --courses 3 --statements 200 --page-max 50
SP=$LMS_PID
P=$LMS_PORT
ctl() { lms_ctl "$P" "$1"; }

cat >"$T/conf" <<CONF
sync: { timeout = 1.0; connect_timeout = 1.0; retries = 1; retry_max_wait = 0.05; parallel = 4; };
sources = (
  { name = "lms"; type = "moodle"; url = "http://127.0.0.1:$P"; token = "fixture-token-123";
    page_size = 10; },
  { name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P/xapi"; user = "lrs-key";
    password_env = "E2E_LRS_PW"; page_size = 50; }
);
CONF
chmod 600 "$T/conf"
export E2E_LRS_PW=lrs-secret-456
run() { "$LCMTUI" -c "$T/conf" -d "$db" --today 2026-09-22 sync "$@" >"$T/out" 2>"$T/err"; }
# everything but the run history (a failed run is recorded, on purpose)
dump() { db_digest "$db" sync_run; }
secrets() { ! grep -q -e fixture-token-123 -e lrs-secret-456 "$T/out" "$T/err" || fail "secret printed"; }

# 1. first full sync
run || fail "first sync failed: $(cat "$T/err")"
secrets
grep -q '^lms (moodle): ok, 48 records' "$T/out" || fail "moodle records: $(cat "$T/out")"
grep -q '^lrs (xapi): ok, 200 records' "$T/out" || fail "xapi records: $(cat "$T/out")"
[ "$(db_query "$db" 'select count(*) from sync_seen')" = 200 ] || fail "sync_seen"
[ "$(db_query "$db" "select count(*) from sync_run where status='ok'")" = 2 ] || fail "sync_run"
[ "$(db_query "$db" "select count(*) from learner where source='lms'")" = 40 ] || fail "learners"

# --verbose: one line per request, still no secret (token in the POST body, password in auth)
run --verbose || fail "verbose sync failed: $(cat "$T/err")"
secrets
grep -q "moodle: POST http://127.0.0.1:$P/webservice/rest/server.php -> 200" "$T/err" ||
    fail "verbose: no request lines: $(head -5 "$T/err")"
grep -q "xapi: GET http://127.0.0.1:$P/xapi/statements?ascending=true&limit=50&since=" "$T/err" ||
    fail "verbose: no xapi request line"

# 2. incremental: only the new statements, asked with since=<consistent-through>
ctl "add_statements?n=30"
ctl "touch?users=3&ts=1790100000"
: >"$T/srv.log"
run || fail "second sync failed: $(cat "$T/err")"
grep -q '^lrs (xapi): ok, 30 records' "$T/out" || fail "incremental xapi: $(cat "$T/out")"
grep '"/xapi/statements"' "$T/srv.log" | head -1 | grep -q '"since": "2026-09-01T15:52:50.000Z"' ||
    fail "second sync did not ask since the watermark: $(grep xapi "$T/srv.log" | head -1)"
n=$(grep -c core_enrol_get_users_courses "$T/srv.log")
[ "$n" = 4 ] || fail "expected 4 per-user calls for the 3 touched learners (4 enrolments), got $n"
[ "$(db_query "$db" "select count(*) from activity_day a join enrollment e on e.id = a.enrollment_id
     where e.source = 'lms' and a.day = '2026-09-22'")" = 4 ] || fail "touched day not active"

# unenrolled in Moodle -> withdrawn; enrolled again -> active again
ctl "unenrol?user=1"
run --source lms || fail "sync after unenrol: $(cat "$T/err")"
[ "$(db_query "$db" "select status from enrollment where source='lms' and ext_id='101@3'")" = withdrawn ] ||
    fail "unenrolled learner not withdrawn"
[ "$(db_query "$db" "select count(*) from enrollment where source='lms' and status='withdrawn'")" = 1 ] ||
    fail "others withdrawn too"
ctl "enrol?user=1"
run --source lms || fail "sync after enrol: $(cat "$T/err")"
[ "$(db_query "$db" "select status from enrollment where source='lms' and ext_id='101@3'")" = active ] ||
    fail "re-enrolled learner not active"

# 3. faults: each leaves the database as it was, with a clear error; then resume
ctl "add_statements?n=20"
ctl "touch?users=6&ts=1790200000"
before=$(dump)
check_fault() { # kind source expected-text
    ctl clear
    ctl "fault?kind=$1"
    if run --source "$2"; then fail "fault $1: sync succeeded"; fi
    secrets
    grep -q -- "$3" "$T/err" || fail "fault $1: unexpected error: $(cat "$T/err")"
    [ "$(wc -l <"$T/err" | tr -d ' ')" -ge 1 ] || fail "fault $1: no error line"
    [ "$(dump)" = "$before" ] || fail "fault $1 changed the database"
}
check_fault 500 lrs "lrs: xapi: HTTP 500 Internal Server Error after 2 attempts (http://127.0.0.1:$P/xapi/statements?"
check_fault 429 lrs "xapi: HTTP 429"
check_fault cut lrs "xapi: transfer closed"
check_fault badjson lrs "xapi: invalid JSON at line [0-9]* column [0-9]*: "
check_fault slow lrs "xapi: Operation timed out"
check_fault loop lrs "more link loops"
check_fault invalidtoken lms "lms: moodle: invalidtoken: Invalid token - token not found (http://127.0.0.1:$P/webservice/rest/server.php)"
check_fault 500 lms "moodle: HTTP 500"
check_fault cut lms "moodle: transfer closed"
[ "$(db_query "$db" "select count(*) from sync_run where status='failed' and error like '%: %'")" = 9 ] ||
    fail "failed runs not recorded"

# a wrong password: one source fails, the other still syncs, exit 1
ctl clear
E2E_LRS_PW=wrong run && fail "wrong password accepted"
grep -q "lrs: xapi: HTTP 401" "$T/err" || fail "401 not reported: $(cat "$T/err")"
grep -q '^lms (moodle): ok' "$T/out" || fail "moodle did not sync beside the failing LRS"

# resume: everything new arrives once
run || fail "resume failed: $(cat "$T/err")"
grep -q '^lrs (xapi): ok, 20 records' "$T/out" || fail "resume: $(cat "$T/out")"
[ "$(db_query "$db" 'select count(*) from sync_seen')" = 250 ] || fail "sync_seen after resume"
run --check || fail "check failed: $(cat "$T/err")"
grep -q '^lrs (xapi): ok$' "$T/out" || fail "check output: $(cat "$T/out")"
exit 0
