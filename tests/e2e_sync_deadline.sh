#!/bin/sh
# e2e_sync_deadline.sh — a source's `deadline` bounds its whole run: against the fixture LMS
# answering slowly (fault `slow`, 5 s a request), a source with deadline = 2 whose requests
# alone would take minutes (timeout = 1.5, retries = 3: 4 attempts and 3 back-off waits per
# request) stops within the deadline plus a margin, exits 1 with the deadline line, keeps the
# pages written before it, and the next clean sync resumes. Also: the setting's validation.
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
fail() { echo "e2e_sync_deadline: $*" >&2; exit 1; }

. "$here/lms_fixture.sh"
lms_start "$T/port" "$T/srv.err" --log "$T/srv.log" \
    --learners 40 --courses 3 --statements 200 --page-max 50
SP=$LMS_PID
P=$LMS_PORT
ctl() { lms_ctl "$P" "$1"; }

# deadline = 2 on each source; the `sync` group's deadline (the default) is larger on purpose.
# parallel = 4: the fixture listens with Python's default backlog of 5, and more connections
# opened at once have their SYN dropped and retried a second later by the kernel.
cat >"$T/conf" <<CONF
sync: { deadline = 600; timeout = 1.5; retries = 3; parallel = 4; };
sources = (
  { name = "lms"; type = "moodle"; url = "http://127.0.0.1:$P"; token = "fixture-token-123";
    page_size = 10; deadline = 2; },
  { name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P/xapi"; user = "lrs-key";
    password_env = "E2E_LRS_PW"; page_size = 50; deadline = 2; }
);
CONF
chmod 600 "$T/conf"
export E2E_LRS_PW=lrs-secret-456
run() { "$LCMTUI" -c "$T/conf" -d "$db" --today "2026-09-22 10:00" sync "$@" >"$T/out" 2>"$T/err"; }
now() { date +%s.%N; }
# elapsed seconds since $1, with 2 decimals
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# true when $1 <= $2 (decimal numbers)
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
MARGIN=1.5 # process start, the fixture's answers before the fault, the risk rescoring

deadline_run() { # source after-K path
    ctl clear
    ctl "fault?kind=slow&delay=5&after=$2"
    : >"$T/srv.log"
    t0=$(now)
    if run --source "$1"; then fail "$1: sync succeeded against a slow server"; fi
    took=$(since "$t0")
    echo "e2e_sync_deadline: $1 stopped after $took s (deadline 2 s)"
    le "$took" "$(awk -v m=$MARGIN 'BEGIN { print 2 + m }')" ||
        fail "$1: took $took s, more than the deadline (2 s) plus $MARGIN s"
    grep -qx "lcmtui: $1: stopped after 2 s (the source's deadline; set \`deadline\` in sync or the source)" \
        "$T/err" || fail "$1: no deadline line: $(cat "$T/err")"
    ! grep -q 'timed out' "$T/err" || fail "$1: a bare timeout was reported: $(cat "$T/err")"
    ! grep -q -e fixture-token-123 -e lrs-secret-456 "$T/out" "$T/err" || fail "secret printed"
    # each slow request was tried at most twice (its first attempt, and one retry cut at the
    # deadline), not the 4 attempts that retries = 3 allows
    n=$(/usr/bin/python3 -c 'import collections, json, sys
c = collections.Counter(json.dumps([e["path"], e["form"]], sort_keys=True)
                        for e in map(json.loads, open(sys.argv[1])) if e["path"] == sys.argv[2])
print(max(c.values()))' "$T/srv.log" "$3")
    [ "$n" -le 2 ] || fail "$1: a request to $3 was tried $n times, expected at most 2"
}

# xAPI: two pages of 50 arrive, the third is slow: the two pages stay
deadline_run lrs 2 /xapi/statements
[ "$(db_query "$db" 'select count(*) from sync_seen')" = 100 ] ||
    fail "the pages before the deadline did not stay: $(db_query "$db" 'select count(*) from sync_seen')"
[ "$(db_query "$db" "select status from sync_run where source = 'lrs'")" = failed ] ||
    fail "the stopped run is not recorded as failed"
db_query "$db" "select error from sync_run where source = 'lrs'" | grep -q "^lrs: stopped after 2 s" ||
    fail "sync_run.error: $(db_query "$db" "select error from sync_run where source = 'lrs'")"

# Moodle: the course list and the first page of users arrive, the per-user calls are slow
deadline_run lms 2 /webservice/rest/server.php

# resume: the next clean sync ends the work
ctl clear
run || fail "resume failed: $(cat "$T/err")"
grep -q '^lrs (xapi): ok' "$T/out" || fail "resume: $(cat "$T/out")"
[ "$(db_query "$db" 'select count(*) from sync_seen')" = 200 ] || fail "sync_seen after resume"
[ "$(db_query "$db" "select count(*) from learner where source = 'lms'")" = 40 ] ||
    fail "moodle learners after resume"

# validation: 1..86400, in the sync group and per source, reported with file and line
bad_conf() { # text expected
    printf '%s\n' "$1" >"$T/bad.conf"
    chmod 600 "$T/bad.conf"
    if "$LCMTUI" -c "$T/bad.conf" -d "$db" sync --check >"$T/out" 2>"$T/err"; then
        fail "accepted: $1"
    fi
    grep -q -- "$2" "$T/err" || fail "unexpected error for '$1': $(cat "$T/err")"
}
bad_conf 'sync: { deadline = 0; };' "bad.conf:1: .*deadline must be a number from 1 to 86400"
bad_conf "sources = (
  { name = \"lrs\"; type = \"xapi\"; url = \"http://127.0.0.1:$P/xapi\"; user = \"u\";
    deadline = 86401; }
);" "bad.conf:3: .*deadline must be a number from 1 to 86400"
bad_conf 'sync: { deadline = "soon"; };' "bad.conf:1: .*deadline must be a number"
exit 0
