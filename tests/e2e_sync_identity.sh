#!/bin/sh
# e2e_sync_identity.sh — one person, one learner whichever source comes first: an HR export
# imported before the first Moodle sync names a student by e-mail (other case); the sync
# updates that learner (keeping the HR fields Moodle leaves empty) instead of making a second;
# an HR-only person stays one learner; a second sync makes nothing; and a learner merged away
# (`learners merge`) is not made again by the next sync of its source.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
T=$(mktemp -d)
S=""
cleanup() { [ -n "$S" ] && kill "$S" 2>/dev/null; rm -rf "$T"; db_cleanup; }
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_sync_identity: $*" >&2; exit 1; }
db=$(db_target "$T/db")
q() { db_query "$db" "$1"; }
. "$here/lms_fixture.sh"
lms_start "$T/port" "$T/srv.err" --learners 6 --courses 1 --statements 0
S=$LMS_PID
cat >"$T/conf" <<CONF
sources = ({ name = "lms"; type = "moodle"; url = "http://127.0.0.1:$LMS_PORT";
             token = "fixture-token-123"; });
CONF
run() { "$LCMTUI" -c "$T/conf" -d "$db" --today 2026-11-28 "$@"; }

sed 's/^source = "lms";/source = "hr";/' "$top/data/mappings/example-lms.conf" >"$T/hr.conf"
mkdir "$T/hr"
# H1: Moodle user 102's mailbox (learner2@example.org) in upper case (the same person); H2: a person of its own.
printf 'user_id;Prénom;Nom;E-mail;Service;Manager\nH1;Jean2;Martin; LEARNER2@Example.ORG ;Achats;\nH2;Zoé;Martin;zoe.martin@example.org;Ventes;\n' \
    >"$T/hr/users.csv"
run import --mapping "$T/hr.conf" "$T/hr/users.csv" >/dev/null 2>"$T/err" || fail "import: $(cat "$T/err")"
[ "$(q "select count(*) from learner")" = 2 ] || fail "import: $(q "select count(*) from learner") learners"
run sync >"$T/out" 2>"$T/err" || fail "sync: $(cat "$T/err")"
moodle=$(q "select count(distinct learner_id) from learner_key where kind = 'id' and value like 'lms|%'")
[ "$moodle" -ge 6 ] || fail "moodle learners: $moodle"
[ "$(q "select count(*) from learner")" = "$((moodle + 1))" ] ||
    fail "$(q "select count(*) from learner") learners for $moodle Moodle users and one HR-only person"
same=$(q "select count(distinct learner_id) from learner_key where kind = 'id' and value in ('hr|H1', 'lms|102')")
[ "$same" = 1 ] || fail "HR's H1 and Moodle's 102 are $same learners"
[ "$(q "select department from learner l join learner_key k on k.learner_id = l.id
        where k.kind = 'id' and k.value = 'lms|102'")" = Achats ] || fail "the HR fields were lost"
# a second sync changes nothing
run sync >"$T/out2" 2>"$T/err" || fail "second sync: $(cat "$T/err")"
[ "$(q "select count(*) from learner")" = "$((moodle + 1))" ] || fail "second sync made learners"
# merged away, not made again: merge Moodle's 103 into HR's Zoé (a stand-in for a wrong
# record), then sync: 103's record now names the kept learner
run learners merge lms:103 hr:H2 >/dev/null 2>"$T/err" || fail "merge: $(cat "$T/err")"
n=$(q "select count(*) from learner")
run sync >/dev/null 2>"$T/err" || fail "sync after merge: $(cat "$T/err")"
[ "$(q "select count(*) from learner")" = "$n" ] || fail "the sync made the merged learner again"
kept=$(q "select learner_id from learner_key where kind = 'id' and value = 'hr|H2'")
[ "$(q "select learner_id from learner_key where kind = 'id' and value = 'lms|103'")" = "$kept" ] ||
    fail "lms:103 does not name the kept learner"
echo "e2e_sync_identity: ok"
