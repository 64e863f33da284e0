#!/bin/sh
# e2e_risk_explain_at.sh — `risk explain LEARNER --at DAY|DATE` through the real binary on the
# demo: an ended enrolment explained at a past day (by days after the cohort start and by
# date: the same text), with its outcome; the day it ended refused (exit 1); a bad --at is a
# usage error (exit 2); the risk table is byte for byte the same afterwards.
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_risk_explain_at: $*" >&2; exit 1; }
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
run() { "$LCMTUI" --config "$tmp/en.conf" --db "$db" --today 2026-11-28 "$@"; }
db=$(db_target "$tmp/d.db")
q() { db_query "$db" "$1"; }

run demo >/dev/null 2>&1 || fail "demo failed"
run risk update >/dev/null || fail "risk update failed"
table() { q "SELECT * FROM risk ORDER BY enrollment_id" | md5sum; }
before=$(table)
[ "$(q 'SELECT count(*) FROM risk')" -gt 0 ] || fail "empty risk table"

# A withdrawn enrolment that lasted more than 20 days: its learner's #ID, the day it ended
# and the number of days from the cohort start to the day before.
span=$(db_pick "julianday(e.ended_day) - julianday(c.start_day)" \
    "CAST(e.ended_day AS date) - CAST(c.start_day AS date)")
row=$(q "SELECT e.learner_id, e.ended_day, $span - 1
         FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
         WHERE e.status = 'withdrawn' AND e.ended_day IS NOT NULL
           AND $span > 20
           AND NOT EXISTS (SELECT 1 FROM enrollment o WHERE o.learner_id = e.learner_id
                           AND o.id != e.id)
         ORDER BY e.id LIMIT 1")
[ -n "$row" ] || fail "the demo has no withdrawn enrolment to explain"
learner=$(echo "$row" | cut -d'|' -f1)
ended=$(echo "$row" | cut -d'|' -f2)
days=$(echo "$row" | cut -d'|' -f3 | sed 's/\.0$//')
eve=$(q "$(db_pick "SELECT date('$ended', '-1 day')" "SELECT CAST(date '$ended' - 1 AS text)")")

run risk explain "#$learner" >/dev/null 2>"$tmp/err" && fail "an ended enrolment explained today"
grep -q 'not active' "$tmp/err" || fail "today: $(cat "$tmp/err")"
run risk explain "#$learner" --at "$days" >"$tmp/by_day" 2>"$tmp/err" ||
    fail "--at $days: $(cat "$tmp/err")"
run risk explain --at "$eve" "#$learner" >"$tmp/by_date" 2>"$tmp/err" ||
    fail "--at $eve: $(cat "$tmp/err")"
cmp -s "$tmp/by_day" "$tmp/by_date" || fail "--at $days and --at $eve differ"
grep -q "^score [0-9.]* (.*) on $eve, cohort " "$tmp/by_day" || fail "header: $(cat "$tmp/by_day")"
grep -q "^outcome: withdrawn, ended $ended (scored as risk eval does, with data up to $eve)" \
    "$tmp/by_day" || fail "outcome: $(cat "$tmp/by_day")"
grep -q '^inactive ' "$tmp/by_day" || fail "no signal table: $(cat "$tmp/by_day")"
grep -q '^snoozed' "$tmp/by_day" && fail "a past day shows today's snooze"

set +e
run risk explain "#$learner" --at "$ended" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "--at the day it ended: exit $rc"
grep -q 'no longer registered' "$tmp/err" || fail "the day it ended: $(cat "$tmp/err")"
for bad in 28x 2026-02-30 ""; do
    run risk explain "#$learner" --at "$bad" >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "--at '$bad': exit $rc"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "--at '$bad': $(cat "$tmp/err")"
done
run risk explain "#$learner" "#$learner" >/dev/null 2>&1
[ $? -eq 2 ] || fail "two learners accepted"
set -e

[ "$(table)" = "$before" ] || fail "explain --at changed the risk table"
echo "e2e_risk_explain_at: ok (learner #$learner at day $days, $eve)"
