#!/bin/sh
# e2e_learner_rights.sh — the learner's rights through the real binary (issue 21):
# 1. export: one JSON file, mode 0600, with identity, enrolments, activity, check-ins;
# 2. erase: refused without a terminal and without --yes (one line, nothing erased), done
#    with --yes; on a terminal (script(1)) only when the learner's name is typed; the register
#    keeps no name;
# 3. a re-sync from the fixture LMS (tests/lms_fixture.sh) does not bring the learner back
#    when the LMS no longer lists them, and makes them anew, saying so once, when it does;
# 4. the copies of an erased learner's calls on a real CalDAV server (Debian's radicale)
#    are gone after the next push, the others stay;
# 5. privacy purge: --dry-run changes nothing, the report's figures stay the same, the
#    report says how many enrolments were purged (in French too), a second purge does nothing.
set -u
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-rights-XXXXXX")
LMS_PID=""
cleanup() {
    [ -n "$LMS_PID" ] && kill "$LMS_PID" 2>/dev/null
    stop_server
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_learner_rights: FAIL: $*" >&2
    exit 1
}
. "$here/lms_fixture.sh"
. "$here/radicale.sh"
. "$here/db.sh"

# --- 1-3: a Moodle source -------------------------------------------------------------
lms_start "$tmp/port" "$tmp/srv.err" --learners 6 --courses 1 --statements 0
cat >"$tmp/conf" <<CONF
general: { lcm_name = "Camille Martin"; lang = "en"; };
sync: { timeout = 2.0; retries = 1; retry_max_wait = 0.05; };
sources = ( { name = "lms"; type = "moodle"; url = "http://127.0.0.1:$LMS_PORT";
              token = "fixture-token-123"; page_size = 5; } );
CONF
chmod 600 "$tmp/conf"
db=$(db_target "$tmp/lms.db")
run() { LANGUAGE=en "$LCMTUI" --config "$tmp/conf" --db "$db" --today 2026-09-22 "$@"; }
q() { db_query "$db" "$1"; }

run sync >"$tmp/out" 2>"$tmp/err" || fail "first sync: $(cat "$tmp/err")"
[ "$(q "select count(*) from learner where source = 'lms'")" = 6 ] || fail "6 learners expected"
lid=$(q "select id from learner where source = 'lms' and ext_id = '101'")
[ -n "$lid" ] || fail "learner lms:101 not synced"
run checkin "lms:101" --channel call --note "PRIVATE-NOTE-e2e rights" >/dev/null 2>"$tmp/err" ||
    fail "checkin: $(cat "$tmp/err")"

# 1. export
run learner export lms:101 -o "$tmp/export.json" 2>"$tmp/err" || fail "export: $(cat "$tmp/err")"
[ "$(stat -c %a "$tmp/export.json")" = 600 ] || fail "export is not 0600"
/usr/bin/python3 - "$tmp/export.json" <<'PY' || fail "export content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "lcmtui-learner-export", d.get("format")
assert d["learner"]["email"] == "learner1@example.org", d["learner"]
t = d["tables"]
for name in ("enrollment", "checkin", "activity_day", "risk", "learner_key"):
    assert name in t, name
assert t["enrollment"], "no enrolment"
assert any("PRIVATE-NOTE-e2e" in (c.get("note") or "") for c in t["checkin"]), "no note"
assert d["enrolments"], "no enrolment summary"
PY

# 2. erase: no terminal and no --yes: refused, one line, nothing erased
run learner erase lms:101 </dev/null >"$tmp/out" 2>"$tmp/err" && fail "erase without --yes ran"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "refusal is not one line: $(cat "$tmp/err")"
grep -q -- "--yes" "$tmp/err" || fail "refusal does not name --yes: $(cat "$tmp/err")"
[ "$(q "select count(*) from learner where id = $lid")" = 1 ] || fail "refused erase erased"
run learner erase lms:101 --yes >"$tmp/out" 2>"$tmp/err" || fail "erase: $(cat "$tmp/err")"
grep -q "learner #$lid erased" "$tmp/out" || fail "erase output: $(cat "$tmp/out")"
[ "$(q "select count(*) from learner where id = $lid")" = 0 ] || fail "learner still there"
[ "$(q "select count(*) from checkin where note like '%PRIVATE-NOTE-e2e%'")" = 0 ] ||
    fail "the check-in note survived"
q "select * from erase_register" | grep -q -e "Léa1" -e "learner1@" && fail "register holds personal data"

# 3a. the LMS no longer lists them: a re-sync does not bring them back and says nothing
lms_ctl "$LMS_PORT" "unenrol?user=1"
run sync >"$tmp/out" 2>"$tmp/err" || fail "sync after unenrol: $(cat "$tmp/err")"
[ "$(q "select count(*) from learner where source = 'lms' and ext_id = '101'")" = 0 ] ||
    fail "an erased learner the LMS no longer lists came back"
grep -q "erased" "$tmp/err" && fail "sync spoke of an erase: $(cat "$tmp/err")"
# 3b. the LMS lists them again: made anew, said once
lms_ctl "$LMS_PORT" "enrol?user=1"
run sync >"$tmp/out" 2>"$tmp/err" || fail "sync after enrol: $(cat "$tmp/err")"
[ "$(q "select count(*) from learner where source = 'lms' and ext_id = '101'")" = 1 ] ||
    fail "the LMS lists the learner: they must be made anew"
grep -q "lms still lists a learner erased on 2026-09-22" "$tmp/err" ||
    fail "the sync did not say the erased learner is back: $(cat "$tmp/err")"
grep -q "Léa1" "$tmp/err" && fail "the warning names the learner"
run sync >"$tmp/out" 2>"$tmp/err" || fail "third sync: $(cat "$tmp/err")"
grep -q "erased" "$tmp/err" && fail "said twice: $(cat "$tmp/err")"
kill "$LMS_PID" 2>/dev/null
LMS_PID=""

# --- 4: CalDAV copies --------------------------------------------------------------------
radicale_setup
start_server
make_calendar
cat >"$tmp/config" <<EOF
general: { lcm_name = "Camille Martin"; lang = "en"; };
calendar: { url = "$cal"; user = "lcm"; password_env = "E2E_CALDAV_PW"; timeout = 5; };
privacy: { retention_days = 30; };
EOF
chmod 600 "$tmp/config"
export E2E_CALDAV_PW=s3cr3t-pw
db=$(db_target "$tmp/demo.db")
drun() { LANGUAGE=en "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-12-03 "$@"; }
server_uids() {
    dav -X REPORT -H 'Depth: 1' -H 'Content-Type: application/xml' --data \
        '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter></c:calendar-query>' \
        "$cal" | tr -d '\r' | sed -n 's/^UID:\(.*\)$/\1/p' | sort
}
drun demo >/dev/null 2>&1 || fail "demo"
drun agenda --push >"$tmp/out" 2>&1 || fail "push: $(cat "$tmp/out")"
total=$(server_uids | wc -l)
[ "$total" -ge 2 ] || fail "the server holds $total events"
# on a terminal (script(1) gives one): the name typed must match, else nothing is erased
other=$(q "select id from learner where id not in (select learner_id from followup) limit 1")
name=$(q "select first_name || ' ' || last_name from learner where id = $other")
printf 'not the name\n' | script -qec "LANGUAGE=en '$LCMTUI' --config '$tmp/config' --db '$db' --today 2026-12-03 learner erase '#$other'" /dev/null >"$tmp/tty" 2>&1 &&
    fail "a wrong name erased"
grep -q "Type their name to confirm" "$tmp/tty" || fail "no prompt on the terminal: $(cat "$tmp/tty")"
grep -q "nothing erased" "$tmp/tty" || fail "wrong name: $(cat "$tmp/tty")"
[ "$(q "select count(*) from learner where id = $other")" = 1 ] || fail "a wrong name erased"
printf '%s\n' "$name" | script -qec "LANGUAGE=en '$LCMTUI' --config '$tmp/config' --db '$db' --today 2026-12-03 learner erase '#$other'" /dev/null >"$tmp/tty" 2>&1 ||
    fail "erase with the name typed: $(cat "$tmp/tty")"
[ "$(q "select count(*) from learner where id = $other")" = 0 ] || fail "the name typed did not erase"
victim=$(q "select learner_id from followup group by learner_id order by count(*) desc limit 1")
q "select uid from followup where learner_id = $victim" | sort >"$tmp/victim_uids"
nv=$(wc -l <"$tmp/victim_uids")
[ "$nv" -ge 1 ] || fail "no follow-up to erase"
drun learner erase "#$victim" --yes >"$tmp/out" 2>&1 || fail "erase: $(cat "$tmp/out")"
grep -q "agenda --push" "$tmp/out" || fail "erase does not tell about the next push"
drun agenda --push >"$tmp/out" 2>&1 || fail "push after erase: $(cat "$tmp/out")"
grep -q "$nv deleted" "$tmp/out" || fail "push after erase: $(cat "$tmp/out")"
server_uids >"$tmp/left"
[ -z "$(comm -12 "$tmp/left" "$tmp/victim_uids")" ] ||
    fail "copies of the erased learner's calls left on the server: $(comm -12 "$tmp/left" "$tmp/victim_uids")"
[ "$(wc -l <"$tmp/left")" -eq $((total - nv)) ] || fail "other learners' calls were deleted"
[ "$(q "select count(*) from caldav_state where followup_id not in (select id from followup)")" = 0 ] ||
    fail "caldav_state still names the erased calls"

# --- 5: retention -------------------------------------------------------------------------
strip() { grep -v "data purged"; }
drun report --format md | strip >"$tmp/before.md" || fail "report"
db_dump "$db" >"$tmp/dump0" || fail "dump"
drun privacy purge --dry-run >"$tmp/out" 2>&1 || fail "dry run: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "dry run: not one line: $(cat "$tmp/out")"
grep -q "(dry run): [1-9][0-9]* enrolments ended more than 30 days ago" "$tmp/out" ||
    fail "dry run: $(cat "$tmp/out")"
db_dump "$db" | cmp -s - "$tmp/dump0" || fail "the dry run changed the database"
drun privacy purge >"$tmp/out" 2>&1 || fail "purge: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "purge: not one line: $(cat "$tmp/out")"
n=$(sed -n 's/^privacy purge: \([0-9]*\) enrolments.*/\1/p' "$tmp/out")
[ "${n:-0}" -gt 0 ] || fail "purge: $(cat "$tmp/out")"
drun report --format md >"$tmp/after_full.md" || fail "report after purge"
grep -q "Detailed data purged for $n enrolments ended more than 30 days ago" "$tmp/after_full.md" ||
    fail "the report does not say what was purged"
strip <"$tmp/after_full.md" | cmp -s - "$tmp/before.md" ||
    fail "report figures changed: $(strip <"$tmp/after_full.md" | diff "$tmp/before.md" -)"
sed -i 's/lang = "en"; //' "$tmp/config"
LANGUAGE=fr "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-12-03 report --format md \
    >"$tmp/fr.md" 2>/dev/null || fail "French report"
grep -qi "données détaillées purgées pour $n inscriptions terminées depuis plus de 30 jours" \
    "$tmp/fr.md" || fail "the French report does not say what was purged"
drun privacy purge >"$tmp/out" 2>&1 || fail "second purge: $(cat "$tmp/out")"
grep -q "^privacy purge: 0 enrolments" "$tmp/out" || fail "second purge: $(cat "$tmp/out")"
drun report --format md | strip | cmp -s - "$tmp/before.md" || fail "figures changed after a second purge"
# off: nothing done, and said
sed -i 's/retention_days = 30/retention_days = 0/' "$tmp/config"
drun privacy purge >"$tmp/out" 2>&1 || fail "purge off: $(cat "$tmp/out")"
grep -q "is 0 (off)" "$tmp/out" || fail "purge off: $(cat "$tmp/out")"
echo "e2e_learner_rights: ok ($DB_ENGINE)"
