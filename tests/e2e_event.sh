#!/bin/sh
# e2e_event.sh — a group event end to end against real servers, on the engine of
# LCMTUI_TEST_ENGINE (tests/db.sh): `lcmtui event add` for a demo cohort with a hostile title
# and place, `outbox send` to Debian's aiosmtpd (one mail per learner, only their own address
# in it, a text/calendar; method=REQUEST part with one ATTENDEE, theirs, and the event's UID),
# `agenda --push` to radicale (the event on the LCM's calendar), the iTIP REPLY shapes of
# Thunderbird, Outlook and Google Calendar (tests/data/rsvp) read from dovecot by `inbox fetch`
# (answers matched, a stranger's not), `event show`, `event attend` (a meeting check-in),
# `event cancel` (METHOD:CANCEL, the event deleted from the calendar).
set -u
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
rsvp="$here/data/rsvp"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-event-XXXXXX")
smtp_pid=""
fail() {
    echo "e2e_event: FAIL: $*" >&2
    exit 1
}
. "$here/db.sh"
. "$here/dovecot.sh"
. "$here/radicale.sh"
cleanup() {
    dovecot_stop
    stop_server
    [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null && wait "$smtp_pid" 2>/dev/null
    rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
$PY -c 'import aiosmtpd' 2>/dev/null || fail "Debian's python3-aiosmtpd is required"
smtp=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$PY -m aiosmtpd -n -l "127.0.0.1:$smtp" -c aiosmtpd.handlers.Mailbox "$tmp/box" >"$tmp/smtp.log" 2>&1 &
smtp_pid=$!
dovecot_setup
dovecot_start
radicale_setup
start_server
make_calendar
i=0
until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $smtp)))"; do
    i=$((i + 1))
    [ $i -le 200 ] || fail "aiosmtpd did not listen"
    sleep 0.05
done
cat >"$tmp/config" <<EOF
general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "fr"; };
smtp: { url = "smtp://127.0.0.1:$smtp"; require_tls = false; timeout = 20; };
inbox: { url = "imap://127.0.0.1:$imap_port"; username = "lcm"; password = "s3cr3t pw";
         require_tls = false; timeout = 10; };
calendar: { url = "$cal"; user = "lcm"; password = "s3cr3t-pw"; timezone = "Europe/Paris"; };
events: { remind = "accepted,none"; };
EOF
chmod 600 "$tmp/config"
db=$(db_target "$tmp/lcmtui.db")
run() { "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-12-01 "$@"; }
q() { db_query "$db" "$1"; }
run demo >/dev/null || fail "demo failed"
cohort=$(q "SELECT id FROM cohort ORDER BY id DESC LIMIT 1")
want=$(q "SELECT count(DISTINCT l.id) FROM enrollment e JOIN learner l ON l.id = e.learner_id
          WHERE e.cohort_id = $cohort AND e.status = 'active' AND l.email LIKE '%@%'")
[ "$want" -ge 3 ] || fail "the demo cohort has $want learners with an address"

# 1. The event, hostile text in its title and place.
esc=$(printf '\033')
title=$(printf 'Learning Lunch\r\nBcc: all@evil.example %s[31m' "$esc")
place=$(printf 'Salle B; 3e %s]0;pwned%s' "$esc" "$(printf '\007')")
out=$(run event add --cohort "$cohort" --title "$title" --at "jeudi 12h30" --duration 60 \
    --place "$place" 2>&1) || fail "event add: $out"
echo "$out" | grep -q "$want message" || fail "event add: $out (expected $want)"
uid=$(q "SELECT uid FROM event WHERE id = 1")
run event list >"$tmp/list.out" 2>&1 || fail "event list"
grep -q "$esc" "$tmp/list.out" && fail "an escape reached the terminal in event list"
run event show 1 >"$tmp/show.out" 2>&1 || fail "event show"
grep -q "$esc" "$tmp/show.out" && fail "an escape reached the terminal in event show"
run agenda >"$tmp/agenda.out" 2>&1 || fail "agenda"
grep -q "Learning Lunch" "$tmp/agenda.out" || fail "the event is not in the agenda"
grep -q "$esc" "$tmp/agenda.out" && fail "an escape reached the terminal in the agenda"

# 2. The invitations, one per learner, each with only their own address.
out=$(run outbox send 2>&1) || fail "outbox send: $out"
got=$(find "$tmp/box/new" -type f | wc -l)
[ "$got" = "$want" ] || fail "$got mails arrived, expected $want"
q "SELECT l.email FROM event_invitee i JOIN learner l ON l.id = i.learner_id WHERE i.event_id = 1" \
    >"$tmp/addrs"
mkdir "$tmp/ics"
$PY - "$tmp/box/new" "$tmp/addrs" "$uid" "$tmp/ics" <<'EOF' || fail "the invitations are not right"
import email, email.policy, os, sys
box, addrs, uid = sys.argv[1], open(sys.argv[2]).read().split(), sys.argv[3]
seen = set()
for f in os.listdir(box):
    raw = open(os.path.join(box, f), "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    to = [a.addr_spec for a in msg["To"].addresses]
    assert len(to) == 1 and msg["Cc"] is None and msg["Bcc"] is None, (f, to)
    for a in addrs:  # nobody else's address anywhere in the message
        assert a == to[0] or a.encode() not in raw, (f, a)
    assert "\x1b" not in str(msg["Subject"]) and "\n" not in str(msg["Subject"]), msg["Subject"]
    assert b"\r\nBcc:" not in raw.split(b"\r\n\r\n")[0]
    cal = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(cal) == 1 and cal[0].get_param("method") == "REQUEST", f
    ics = cal[0].get_content().replace("\r\n ", "").replace("\n ", "")
    att = [l for l in ics.splitlines() if l.startswith("ATTENDEE")]
    assert len(att) == 1 and att[0].rsplit("mailto:", 1)[1].lower() == to[0].lower(), att
    assert "UID:" + uid in ics.splitlines(), f
    assert "\x1b" not in ics and "\x07" not in ics, f
    seen.add(to[0].lower())
    open(os.path.join(sys.argv[4], f + ".ics"), "w").write(cal[0].get_content())
assert len(seen) == len(addrs), (len(seen), len(addrs))
EOF
# every invitation through libical (test_event's check of a directory)
LCMTUI_ICS_DIR="$tmp/ics" "${BUILD:-build}/tests/test_event" >"$tmp/ics.out" 2>&1 ||
    fail "libical: $(tail -5 "$tmp/ics.out")"

# 3. On the LCM's calendar.
out=$(run agenda --push 2>&1) || fail "push: $out"
dav "$cal" -X PROPFIND -H 'Depth: 1' >"$tmp/dav.xml"
dav "$(printf '%s%s.ics' "$cal" "$(printf '%s' "$uid" | sed 's/@/%40/')")" >"$tmp/ev.ics"
grep -q "^UID:$uid" "$tmp/ev.ics" || fail "the event is not on the calendar: $(head -c 300 "$tmp/ev.ics")"
grep -q "^LOCATION:Salle B" "$tmp/ev.ics" || fail "no LOCATION on the calendar's copy"
grep -q "ATTENDEE" "$tmp/ev.ics" && fail "the calendar's copy lists attendees"

# 4. The answers, in the three clients' shapes; a stranger's.
q "SELECT l.email FROM event_invitee i JOIN learner l ON l.id = i.learner_id WHERE i.event_id = 1
   AND l.email LIKE '%@%' ORDER BY l.id LIMIT 3" >"$tmp/three"
a1=$(sed -n 1p "$tmp/three"); a2=$(sed -n 2p "$tmp/three"); a3=$(sed -n 3p "$tmp/three")
up=$(printf '%s' "$a1" | tr '[:lower:]' '[:upper:]')
fill() { # file from attendee n
    sed -e "s/@FROM@/$2/g" -e "s/@ATT@/$3/g" -e "s/@UID@/$uid/g" -e "s/@N@/$4/g" "$rsvp/$1"
}
fill thunderbird.eml "$a1" "$up" 1 >"$tmp/1.eml"
b64=$(fill outlook.ics.in "$a2" "$a2" 2 | $PY -c 'import base64,sys; print(base64.encodebytes(sys.stdin.buffer.read()).decode().replace("\n","\r\n"), end="")')
fill outlook.eml "$a2" "$a2" 2 | $PY -c '
import sys; sys.stdout.write(sys.stdin.read().replace("@B64@", sys.argv[1]))' "$b64" >"$tmp/2.eml"
fill google.eml "$a3" "alias.of.someone@gmail.example" 3 >"$tmp/3.eml"
fill thunderbird.eml "mallory@evil.example" "mallory@evil.example" 4 >"$tmp/4.eml"
printf 'From: <%s>\r\nTo: camille@example.fr\r\nSubject: Re: Learning Lunch\r\nMessage-ID: <plain@x>\r\n\r\nje viens !\r\n' "$a3" >"$tmp/5.eml"
for n in 1 2 3 4 5; do dovecot_append "$tmp/$n.eml"; done
out=$(run inbox fetch 2>&1) || fail "inbox fetch: $out"
ps() { q "SELECT i.partstat FROM event_invitee i JOIN learner l ON l.id = i.learner_id
          WHERE i.event_id = 1 AND l.email = '$1'"; }
[ "$(ps "$a1")" = accepted ] || fail "Thunderbird's answer (ATTENDEE in upper case): $(ps "$a1"); $out"
[ "$(ps "$a2")" = declined ] || fail "Outlook's answer: $(ps "$a2"); $out"
[ "$(ps "$a3")" = tentative ] || fail "Google's answer (an alias, matched by From): $(ps "$a3"); $out"
[ "$(q "SELECT count(*) FROM event_invitee WHERE event_id = 1 AND partstat <> 'none'")" = 3 ] ||
    fail "a stranger's answer counted"
[ "$(q "SELECT count(*) FROM inbox_msg WHERE status = 'open'")" = 1 ] ||
    fail "the plain-text reply is not the one question"
[ "$(q "SELECT count(*) FROM inbox_msg WHERE from_addr = 'mallory@evil.example' AND kind = 'other'")" = 1 ] ||
    fail "the stranger's answer not recorded as other"
run event show 1 >"$tmp/show.out" 2>&1 || fail "event show"
grep -q "1 yes, 1 no, 1 maybe, $((want - 3)) no answer\|1 oui, 1 non, 1 peut-être, $((want - 3)) sans réponse" "$tmp/show.out" ||
    fail "event show: $(grep -i answer "$tmp/show.out")"

# 5. Attendance: a meeting check-in.
out=$(run event attend 1 "$a1" 2>&1) || fail "attend: $out"
[ "$(q "SELECT count(*) FROM checkin c JOIN learner l ON l.id = c.learner_id
       WHERE c.channel = 'meeting' AND l.email = '$a1'")" = 1 ] || fail "no meeting check-in"
run event attend 1 "$a1" >/dev/null 2>&1 || fail "attend again"
[ "$(q "SELECT count(*) FROM checkin c JOIN learner l ON l.id = c.learner_id
       WHERE c.channel = 'meeting' AND l.email = '$a1'")" = 1 ] || fail "ticked twice"

# 6. The reminder the day before, drafted by `sequences`: to who accepted or did not answer.
"$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-12-02 sequences >"$tmp/seq.out" 2>&1 ||
    fail "sequences: $(cat "$tmp/seq.out")"
[ "$(q "SELECT count(*) FROM message WHERE template = 'event_reminder' AND status = 'draft'")" = $((want - 2)) ] ||
    fail "reminders: $(q "SELECT count(*) FROM message WHERE template = 'event_reminder'") (expected $((want - 2)))"
[ "$(q "SELECT count(*) FROM message m JOIN learner l ON l.id = m.learner_id
       WHERE m.template = 'event_reminder' AND l.email IN ('$a2', '$a3')")" = 0 ] ||
    fail "a reminder went to who declined or answered maybe"
"$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-12-02 sequences >/dev/null 2>&1
[ "$(q "SELECT count(*) FROM message WHERE template = 'event_reminder'")" = $((want - 2)) ] ||
    fail "the reminder was drafted twice"

# 7. The KPI report after the event.
"$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-12-10 report --format csv -o "$tmp/r.csv" ||
    fail "report"
grep -q "^\(Group events\|Événements de groupe\),1," "$tmp/r.csv" || fail "report: $(head -c 600 "$tmp/r.csv")"

# 8. The cancellation: CANCEL to everyone, off the calendar.
out=$(run event cancel 1 2>&1) || fail "cancel: $out"
out=$(run outbox send 2>&1) || fail "outbox send (cancel): $out"
[ "$(grep -l 'method=CANCEL' "$tmp"/box/new/* | wc -l)" = "$want" ] || fail "the cancellations"
out=$(run agenda --push 2>&1) || fail "push (cancel): $out"
echo "$out" | grep -q "1 deleted\|1 supprimés" || fail "push (cancel): $out"
echo "e2e_event: ok"
