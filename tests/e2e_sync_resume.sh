#!/bin/sh
# e2e_sync_resume.sh — every fault the fixture LMS injects, hitting mid-way (after=K, once
# some pages are written), stops its source with a one-line error naming the source and the
# URL; the pages before it are whole and stay; and one clean sync then ends exactly where a
# sync that never met the fault ends: the dump of that database equals the dump of a
# database synced once without fault (all but the run history, see same()).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
SP=""
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"; db_cleanup; }
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_sync_resume: $*" >&2; exit 1; }

# 24 learners in 3 courses (Moodle pages of 5: 2 full pages and an empty one per course),
# 160 statements (xAPI pages of 20: 8 pages)
. "$here/lms_fixture.sh"
lms_start "$T/port" "$T/srv.err" --log "$T/srv.log" \
    --learners 24 --courses 3 --statements 160 --page-max 20
SP=$LMS_PID
P=$LMS_PORT
ctl() { lms_ctl "$P" "$1"; }

# parallel = 4: the fixture listens with Python's default backlog of 5 (more connections at
# once have their SYN dropped and retried a second later)
cat >"$T/conf" <<CONF
sync: { timeout = 0.5; connect_timeout = 1.0; retries = 1; retry_max_wait = 0.05;
        parallel = 4; };
sources = (
  { name = "lms"; type = "moodle"; url = "http://127.0.0.1:$P"; token = "fixture-token-123";
    page_size = 5; },
  { name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P/xapi"; user = "lrs-key";
    password_env = "E2E_LRS_PW"; page_size = 20; }
);
CONF
chmod 600 "$T/conf"
export E2E_LRS_PW=lrs-secret-456
# the clock is pinned, date and time: every timestamp a sync writes (sync_state.updated_at,
# sync_run.started_at, milestone_done.day for an undated completion, risk) is the same in
# every run
run() { # db [sync options]
    db=$1
    shift
    "$LCMTUI" -c "$T/conf" -d "$db" --today "2026-09-22 10:00" sync "$@" >"$T/out" 2>"$T/err"
}
q() { db_query "$1" "$2"; }
# The database as text, but for what is history and not state:
# - sync_run: one row per run; the faulted database ran twice, with a failure recorded;
# - sqlite_sequence: AUTOINCREMENT counters, moved by those extra sync_run rows (on
#   PostgreSQL the sequences' positions, setval).
# Nothing else is left out: with the clock pinned, sync_state.updated_at and every other
# timestamp are equal (checked by this very comparison).
dump() { db_dump "$1" sync_run || echo "no dump of $1"; }

# A: one clean sync of each source (each case runs its source alone, so that the row ids,
# given in insertion order, do not depend on the other source running in between)
for src in lms lrs; do
    run "$(db_target "$T/a-$src.db")" --source "$src" || fail "clean sync of $src failed: $(cat "$T/err")"
    dump "$(db_target "$T/a-$src.db")" >"$T/a-$src.sql"
done
[ "$(q "$(db_target "$T/a-lrs.db")" 'select count(*) from sync_seen')" = 160 ] || fail "A: statements"
[ "$(q "$(db_target "$T/a-lms.db")" "select count(*) from learner where source = 'lms'")" = 24 ] ||
    fail "A: learners"

# The number of rows a source wrote: Moodle's learners, xAPI's statements.
written() { # db source
    case $2 in
    lms) q "$1" "select count(*) from learner where source = 'lms'" ;;
    lrs) q "$1" "select count(*) from sync_seen where source = 'lrs'" ;;
    esac
}

n=0
converge() { # kind source after-K expected-error-text
    kind=$1 src=$2 after=$3 want=$4
    n=$((n + 1))
    db=$(db_target "$T/b$n.db")
    on=moodle
    [ "$src" = lrs ] && on=xapi
    full=24
    [ "$src" = lrs ] && full=160
    ctl clear
    ctl "fault?kind=$kind&on=$on&after=$after&delay=2"
    if run "$db" --source "$src"; then fail "$kind on $src: the sync succeeded"; fi
    ! grep -q -e fixture-token-123 -e lrs-secret-456 "$T/out" "$T/err" ||
        fail "$kind on $src: secret printed"
    lines=$(grep -c "^lcmtui: $src: " "$T/err")
    [ "$lines" = 1 ] || fail "$kind on $src: $lines error lines: $(cat "$T/err")"
    line=$(grep "^lcmtui: $src: " "$T/err")
    printf '%s\n' "$line" | grep -q -- "$want" || fail "$kind on $src: unexpected error: $line"
    printf '%s\n' "$line" | grep -q "(http://127.0.0.1:$P/" || fail "$kind on $src: no URL: $line"
    # mid-way: some pages written and kept, not all
    w=$(written "$db" "$src")
    [ "$w" -gt 0 ] && [ "$w" -lt "$full" ] ||
        fail "$kind on $src after $after: $w of $full written, expected a part"
    ctl clear
    run "$db" --source "$src" ||
        fail "$kind on $src: the clean sync after the fault failed: $(cat "$T/err")"
    dump "$db" >"$T/b.sql"
    if ! cmp -s "$T/a-$src.sql" "$T/b.sql"; then
        diff "$T/a-$src.sql" "$T/b.sql" | head -20 >&2
        fail "$kind on $src after $after requests: the clean sync did not end where a sync without the fault ends"
    fi
    echo "e2e_sync_resume: $kind on $src after $after requests ($w of $full kept): converged"
}

# Every fault the fixture injects, where it applies (invalidtoken is Moodle's answer, a
# looping more link an LRS's). Moodle: the course list, then per course the pages of users
# and 2 calls per user; 30 requests reach the second course.
converge 500 lms 30 "lms: moodle: HTTP 500 Internal Server Error after 2 attempts"
converge 429 lms 30 "lms: moodle: HTTP 429"
converge invalidtoken lms 30 "lms: moodle: invalidtoken: Invalid token - token not found"
converge cut lms 30 "lms: moodle: transfer closed"
converge badjson lms 30 "lms: moodle: invalid JSON at line [0-9]* column [0-9]*: "
converge slow lms 30 "lms: moodle: Operation timed out"
# xAPI: 3 pages answer, the 4th meets the fault (the loop: a page whose more link is itself).
# With 24 learners a page of 20 statements holds at most one of each learner-day, so these
# cases do not depend on where the pages fall; part 2 is about that.
converge 500 lrs 3 "lrs: xapi: HTTP 500 Internal Server Error after 2 attempts"
converge 429 lrs 3 "lrs: xapi: HTTP 429"
converge cut lrs 3 "lrs: xapi: transfer closed"
converge badjson lrs 3 "lrs: xapi: invalid JSON at line [0-9]* column [0-9]*: "
converge slow lrs 3 "lrs: xapi: Operation timed out"
converge loop lrs 3 "lrs: xapi: the LRS's more link loops"

# ---- Part 2: where the pages fall ----
# A resumed xAPI sync cuts its pages elsewhere than a sync that met no fault: its first page
# starts again at the last statement kept (the cursor is that statement's `stored` less 1 ms,
# so that statements stored in the same millisecond are not lost), so every later page is
# shifted by one statement. What a sync writes must not depend on where its pages fall.
# 5 learners: a page of 20 holds 4 statements of each learner-day, with launched and
# initialized ones. Checked twice: resumed after a fault (page 2 fails), and pages of 7.
#
# sessions (the max of initialized and launched) and minutes (rounded) are not additive: the
# source keeps each day's raw counts and milliseconds across pages (sync_value "day:...") and
# writes what the totals give, so the whole dump, activity_day and those totals included,
# must be equal (it was not, by one or two sessions or minutes, before that).
S2=""
cleanup2() { [ -n "$S2" ] && kill "$S2" 2>/dev/null; cleanup; }
trap cleanup2 EXIT
lms_start "$T/port2" "$T/srv2.err" --learners 5 --statements 160 --page-max 20
S2=$LMS_PID
P2=$LMS_PORT
ctl2() { lms_ctl "$P2" "$1"; }
conf2() { # page-size
    cat >"$T/conf2" <<CONF
sync: { timeout = 0.5; retries = 0; };
sources = ({ name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P2/xapi"; user = "lrs-key";
             password_env = "E2E_LRS_PW"; page_size = $1; });
CONF
    chmod 600 "$T/conf2"
}
run2() { "$LCMTUI" -c "$T/conf2" -d "$1" --today "2026-09-22 10:00" sync >"$T/out" 2>"$T/err"; }
split_same() { # label db
    dump "$2" >"$T/x.sql"
    dump "$(db_target "$T/c.db")" >"$T/c.sql"
    if ! cmp -s "$T/c.sql" "$T/x.sql"; then
        diff "$T/c.sql" "$T/x.sql" | head -10 >&2
        fail "$1: not what the sync in pages of 20 without fault wrote"
    fi
    echo "e2e_sync_resume: $1: converged"
}
conf2 20
run2 "$(db_target "$T/c.db")" || fail "part 2: clean sync failed: $(cat "$T/err")"
ctl2 "fault?kind=500&on=xapi&after=1"
if run2 "$(db_target "$T/d.db")"; then fail "part 2: the sync succeeded through the fault"; fi
[ "$(q "$(db_target "$T/d.db")" 'select count(*) from sync_seen')" = 20 ] || fail "part 2: page 1 not kept"
ctl2 clear
run2 "$(db_target "$T/d.db")" || fail "part 2: the sync after the fault failed: $(cat "$T/err")"
split_same "resumed after a fault on page 2" "$(db_target "$T/d.db")"
conf2 7
run2 "$(db_target "$T/e.db")" || fail "part 2: sync in pages of 7 failed: $(cat "$T/err")"
split_same "pages of 7" "$(db_target "$T/e.db")"
exit 0
