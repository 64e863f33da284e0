#!/bin/sh
# e2e_agenda.sh — the real binary: `lcmtui agenda` on the demo cohort (overdue, today, week),
# the system's time zone when calendar.timezone is unset, the iCalendar export (file mode, stable bytes, time zone), the .ics import of busy times
# and the clash it makes, usage errors.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-agenda-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
fail() {
    echo "e2e_agenda: FAIL: $*" >&2
    exit 1
}
db=$(db_target "$tmp/lcmtui.db")
chr=$(db_pick char chr)
nbsp=$(printf '\302\240')
printf 'calendar: { timezone = "Europe/Paris"; alarm_minutes = 5; };\n' >"$tmp/config"
run() { "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }

run demo >/dev/null || fail "lcmtui demo failed"
out=$(run agenda) || fail "agenda failed"
echo "$out" | grep -q "^Agenda for Sat 2026-11-28, times in Europe/Paris" || fail "header: $out"
echo "$out" | grep -q "^Overdue ([1-9]" || fail "no overdue follow-up: $out"
# the demo books its calls on working days: none on this Saturday, none on a weekend
echo "$out" | grep -q "^Today (0)" || fail "a follow-up on a Saturday: $out"
echo "$out" | grep -q "^Next 6 days, to 2026-12-04 ([1-9]" || fail "no follow-up this week: $out"
echo "$out" | grep -Eq "^  (Sat|Sun) " && fail "a follow-up on a weekend: $out"
# calendar.timezone unset: the system's zone (TZ here)
printf 'general: { lang = "en"; };\n' >"$tmp/notz"
out2=$(TZ=America/New_York "$LCMTUI" --config "$tmp/notz" --db "$db" --today 2026-11-28 agenda) ||
    fail "agenda without calendar.timezone failed"
echo "$out2" | grep -q "times in America/New_York" || fail "not the system's zone: $out2"
echo "$out2" | grep -q "Thu 2026-11-26 06:00-06:30" || fail "not New York times: $out2"
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\033')" && fail "escape sequence in the output"
# a hostile learner (C1 CSI, bidi override, ESC in the name): made visible, never raw
db_query "$db" "UPDATE learner SET first_name = 'X' || $chr(155) || '31m' || $chr(8238) || 'Y' ||
  $chr(27) || '[2J' WHERE id = (SELECT learner_id FROM followup WHERE status = 'planned'
  ORDER BY due_at LIMIT 1)"
out=$(run agenda) || fail "agenda with a hostile name failed"
for b in '\302\233' '\342\200\256' '\033'; do
    printf '%s' "$out" | LC_ALL=C grep -q "$(printf "$b")" && fail "raw $b in the agenda"
done
printf '%s' "$out" | grep -q 'X\\x9B31m\\u202EY^\[\[2J' || fail "hostile name not made visible: $out"

# Export: a 0600 file, one VEVENT per follow-up, byte-stable between runs, no private notes.
umask 022
run agenda --ics -o "$tmp/a.ics" || fail "export failed"
[ "$(stat -c %a "$tmp/a.ics")" = 600 ] || fail "export mode $(stat -c %a "$tmp/a.ics")"
ls "$tmp" | grep -q 'a\.ics\.tmp' && fail "a temporary file was left behind"
# A symlink at the output path is replaced, never written through (the temporary file is made
# with mkstemp, like report -o's).
echo keep >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/c.ics"
run agenda --ics -o "$tmp/c.ics" || fail "export over a symlink failed"
[ "$(cat "$tmp/victim")" = keep ] || fail "the export wrote through a symlink"
[ -L "$tmp/c.ics" ] && fail "the symlink is still there"
n=$(db_query "$db" "SELECT count(*) FROM followup")
[ "$(grep -c '^BEGIN:VEVENT' "$tmp/a.ics")" = "$n" ] || fail "expected $n VEVENTs"
grep -q '^BEGIN:VTIMEZONE' "$tmp/a.ics" || fail "no VTIMEZONE"
grep -q '^TRIGGER:-PT5M' "$tmp/a.ics" || fail "no 5-minute alarm"
run agenda --ics >"$tmp/b.ics" || fail "export to stdout failed"
cmp -s "$tmp/a.ics" "$tmp/b.ics" || fail "two exports differ"
notes=$(db_query "$db" "SELECT count(*) FROM followup WHERE note <> ''")
if [ "$notes" -gt 0 ]; then
    note=$(db_query "$db" "SELECT substr(note, 1, 12) FROM followup WHERE note <> '' LIMIT 1")
    grep -qF "$note" "$tmp/a.ics" && fail "a private note was exported"
fi

# Import: a meeting over the week's first call (Monday: the demo books none on a weekend)
# makes a clash; re-import replaces.
first=$(db_query "$db" "SELECT $(db_pick "strftime('%Y%m%dT%H%M%SZ', due_at, 'unixepoch')" \
    "to_char(to_timestamp(due_at) AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"')") FROM followup \
    WHERE due_at >= $(date -u -d 2026-11-28 +%s) AND due_at < $(date -u -d 2026-12-05 +%s) \
    AND status = 'planned' ORDER BY due_at LIMIT 1")
[ -n "$first" ] || fail "no planned call this week in the demo"
cat >"$tmp/work.ics" <<EOF
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:meeting-1@example
DTSTAMP:20261101T000000Z
DTSTART:$first
DURATION:PT1H
SUMMARY:Comité de pilotage
END:VEVENT
BEGIN:VEVENT
UID:meeting-2@example
DTSTAMP:20261101T000000Z
DTSTART:20261201T070000Z
DTEND:20261201T080000Z
SUMMARY:Weekly
RRULE:FREQ=WEEKLY;COUNT=3
END:VEVENT
END:VCALENDAR
EOF
out=$(run agenda --import "$tmp/work.ics") || fail "import failed: $out"
echo "$out" | grep -q "^4 busy time(s) imported from work.ics" || fail "import: $out"
out=$(run agenda --import "$tmp/work.ics") || fail "re-import failed"
[ "$(db_query "$db" "SELECT count(*) FROM busy_time")" = 4 ] || fail "re-import duplicated"
out=$(run agenda) || fail "agenda after import failed"
echo "$out" | grep -q "CLASH: Comité de pilotage" || fail "no clash shown: $out"
echo "$out" | grep -q "^Busy (imported) (2)" || fail "busy times of the week: $out"
printf 'not a calendar\n' >"$tmp/bad.ics"
run agenda --import "$tmp/bad.ics" 2>"$tmp/err" && fail "a bad .ics must fail"
grep -q "bad.ics" "$tmp/err" || fail "the error does not name the file"
[ "$(db_query "$db" "SELECT count(*) FROM busy_time")" = 4 ] || fail "a failed import changed data"

# Invitations through the outbox: METHOD:REQUEST then METHOD:CANCEL, with the iCalendar part.
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; };\ncalendar: { timezone = "Europe/Paris"; };\n' >"$tmp/inv.conf"
inv() { "$LCMTUI" --config "$tmp/inv.conf" --db "$db" --today 2026-11-28 agenda "$@"; }
last_msg() { db_query "$db" "SELECT $1 FROM message WHERE id = (SELECT max(id) FROM message)"; }
callid=$(db_query "$db" "SELECT f.id FROM followup f JOIN learner l ON l.id = f.learner_id
    WHERE f.kind = 'call' AND f.status = 'planned' AND l.email <> '' ORDER BY f.due_at DESC LIMIT 1")
[ -n "$callid" ] || fail "no planned call to invite to"
uid=$(db_query "$db" "SELECT uid FROM followup WHERE id = $callid")
out=$(inv --invite "$callid") || fail "--invite failed: $out"
echo "$out" | grep -q "queued: invitation for follow-up $callid" || fail "--invite: $out"
[ "$(last_msg "template || '|' || status || '|' || att_type")" = "call_proposal|queued|text/calendar; method=REQUEST" ] ||
    fail "invitation message: $(last_msg "template || '|' || status || '|' || att_type")"
last_msg att_data | grep -q "^METHOD:REQUEST" || fail "no METHOD:REQUEST in the invitation"
last_msg att_data | tr -d '\r' | grep -qx "UID:$uid" || fail "the invitation has not the call's UID"
last_msg att_data | grep -q "ATTENDEE" || fail "no ATTENDEE"
out=$(inv --cancel "$callid" --draft) || fail "--cancel failed: $out"
[ "$(db_query "$db" "SELECT status || ' ' || sequence || ' ' || push_state FROM followup WHERE id = $callid")" = "cancelled 1 dirty" ] ||
    fail "--cancel did not cancel the call"
[ "$(last_msg "template || '|' || status || '|' || att_type")" = "call_cancel|draft|text/calendar; method=CANCEL" ] ||
    fail "cancellation message: $(last_msg "template || '|' || status || '|' || att_type")"
last_msg att_data | tr -d '\r' | grep -qx "SEQUENCE:1" || fail "the CANCEL has not SEQUENCE:1"
# In French (LANGUAGE=fr, a French learner): the CLI's line, the e-mail's slot with French
# day, month and "14 h 30" times, the invitation's SUMMARY and DESCRIPTION; nothing English.
frid=$(db_query "$db" "SELECT f.id FROM followup f JOIN learner l ON l.id = f.learner_id
    WHERE f.kind = 'call' AND f.status = 'planned' AND l.email <> '' AND l.lang IN ('fr', '')
    ORDER BY f.due_at DESC LIMIT 1")
[ -n "$frid" ] || fail "no planned call of a French learner to invite to"
out=$(LANGUAGE=fr inv --invite "$frid") || fail "French --invite failed: $out"
echo "$out" | grep -q "en file d’envoi${nbsp}: invitation pour le rappel $frid" || fail "French --invite: $out"
echo "$out" | grep -qi "queued\|invitation for" && fail "English in the French --invite line: $out"
last_msg body | grep -Eq "(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) [0-9]+ (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) 20[0-9][0-9], de [0-9]+ h( [0-9][0-9])? à [0-9]+ h( [0-9][0-9])? \(Europe/Paris\)" ||
    fail "French slot: $(last_msg body | grep -i créneau)"
last_msg body | grep -q "[0-9]:[0-9][0-9]" && fail "an English time in the French e-mail"
last_msg att_data | tr -d '\r' | grep -qx "SUMMARY:Entretien individuel - Camille Martin" ||
    fail "French SUMMARY: $(last_msg att_data | grep SUMMARY)"
last_msg att_data | tr -d '\r' | grep -q "^DESCRIPTION:Entretien individuel de suivi" ||
    fail "French DESCRIPTION: $(last_msg att_data | grep DESCRIPTION)"
last_msg att_data | grep -qi "one-on-one" && fail "English in the French invitation"
remid=$(db_query "$db" "SELECT id FROM followup WHERE kind = 'reminder' LIMIT 1")
if [ -n "$remid" ]; then
    inv --invite "$remid" >/dev/null 2>&1 && fail "a reminder cannot be sent as an invitation"
    # core's error in the screen's language
    LANGUAGE=fr inv --invite "$remid" >/dev/null 2>"$tmp/err" && fail "a reminder invited (fr)"
    grep -q "le rappel $remid est un reminder, pas un appel" "$tmp/err" || fail "French error: $(cat "$tmp/err")"
    inv --invite "$remid" 2>&1 >/dev/null | grep -q "is a reminder, not a call" || fail "English error"
fi

# Usage errors exit 2; --push without calendar.url fails with 1.
run agenda --ics --push >/dev/null 2>&1
[ $? = 2 ] || fail "--ics --push must be a usage error"
run agenda --days 0 >/dev/null 2>&1
[ $? = 2 ] || fail "--days 0 must be a usage error"
run agenda --push 2>"$tmp/err"
[ $? = 1 ] || fail "--push without calendar.url must exit 1"
grep -q "calendar.url" "$tmp/err" || fail "the error does not name calendar.url"
printf 'calendar: { timezone = "Mars/Base"; };\n' >"$tmp/bad.conf"
"$LCMTUI" --config "$tmp/bad.conf" --db "$db" agenda 2>"$tmp/err" && fail "a bad time zone must fail"
grep -q "bad.conf:1: calendar.timezone" "$tmp/err" || fail "tz error: $(cat "$tmp/err")"
echo "e2e_agenda: ok"
