#!/bin/sh
# e2e_checkin.sh — `lcmtui checkin` from a script: an incoming SMS question and an outgoing
# "wants to stop" call are logged with the LCM's name (general.lcm_name) at --today;
# a bad channel, direction or outcome is one line listing the valid
# values (exit 2) and writes nothing; an unknown learner exits 1; the log stays append-only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
. "$(dirname "$0")/db.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_checkin: $*" >&2; exit 1; }
printf 'general: { lang = "en"; lcm_name = "Claire Martin"; };\n' >"$tmp/en.conf"
db=$(db_target "$tmp/d.db")
run() { "$LCMTUI" --config "$tmp/en.conf" --db "$db" --today "2026-11-28 10:15" "$@"; }
q() { db_query "$db" "$1"; }

run demo >/dev/null 2>&1 || fail "demo failed"
marty=$(q "SELECT id FROM learner WHERE first_name = 'Marty'")
before=$(q "SELECT count(*) FROM checkin")

run checkin Marty --channel sms --direction in --outcome question \
    --note "Où est le module 4 ?" >"$tmp/out" || fail "sms check-in failed"
grep -q "check-in #[0-9]* logged (sms, in, question)" "$tmp/out" || fail "no confirmation: $(cat "$tmp/out")"
[ "$(q "SELECT count(*) FROM checkin WHERE learner_id = $marty AND channel = 'sms'
        AND direction = 'in' AND outcome = 'question' AND note = 'Où est le module 4 ?'
        AND author = 'Claire Martin' AND at = $(db_pick "strftime('%s', '2026-11-28 10:15')" \
            "extract(epoch FROM timestamp '2026-11-28 10:15')")")" = 1 ] ||
    fail "the sms check-in is not stored as given"
run checkin "#$marty" --channel video --outcome "wants to stop" --next "appeler la RH" \
    >/dev/null || fail "video check-in failed"
[ "$(q "SELECT direction || '|' || next_step FROM checkin WHERE learner_id = $marty
        AND channel = 'video' AND outcome = 'wants to stop'")" = "out|appeler la RH" ] ||
    fail "the video check-in is not stored as given"

for bad in "--channel fax" "--direction sideways" "--outcome maybe"; do
    set +e
    # shellcheck disable=SC2086
    run checkin Marty $bad >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "$bad: exit $rc, not 2"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$bad: not one line: $(cat "$tmp/err")"
    grep -q "valid: " "$tmp/err" || fail "$bad: valid values not listed: $(cat "$tmp/err")"
done
grep -q "reached, no answer, .*wants to stop, rescheduled, other" "$tmp/err" ||
    fail "outcomes not listed: $(cat "$tmp/err")"
set +e
run checkin "Nobody Atall" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "unknown learner: exit $rc, not 1"
[ "$(q "SELECT count(*) FROM checkin")" -eq $((before + 2)) ] || fail "a refused check-in was written"
if q "UPDATE checkin SET note = 'x' WHERE channel = 'sms'" 2>/dev/null; then
    fail "a check-in could be edited"
fi
echo "e2e_checkin: ok"
