#!/bin/sh
# e2e_invite_smtp.sh — a call invitation and its cancellation delivered for real: `lcmtui agenda
# --invite/--cancel` then `lcmtui outbox send` to Debian's aiosmtpd (Mailbox handler) on
# 127.0.0.1; Python's email package reads what arrived: the text part from call_proposal,
# a text/calendar; method=REQUEST part whose VEVENT has the call's UID, ORGANIZER, ATTENDEE,
# then method=CANCEL with STATUS:CANCELLED and a higher SEQUENCE.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-invite-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_invite_smtp: FAIL: $*" >&2
    exit 1
}
$PY -c 'import aiosmtpd' 2>/dev/null || fail "Debian's python3-aiosmtpd is required"
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$PY -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$tmp/maildir" \
    >"$tmp/smtp.log" 2>&1 &
pid=$!
i=0
until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; do
    i=$((i + 1))
    [ $i -le 200 ] || fail "aiosmtpd did not listen on port $port"
    sleep 0.05
done
cat >"$tmp/config" <<EOF
general: { lcm_name = "Camille Martin"; lcm_email = "camille@lcm.example"; lang = "fr"; };
smtp: { url = "smtp://127.0.0.1:$port"; require_tls = false; };
calendar: { timezone = "Europe/Paris"; };
EOF
db=$(db_target "$tmp/lcmtui.db")
run() { "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }
run demo >/dev/null || fail "demo failed"
call=$(db_query "$db" "SELECT f.id FROM followup f JOIN learner l ON l.id = f.learner_id
    WHERE f.kind = 'call' AND f.status = 'planned' AND l.email <> '' ORDER BY f.due_at DESC LIMIT 1")
uid=$(db_query "$db" "SELECT uid FROM followup WHERE id = $call")
to=$(db_query "$db" "SELECT l.email FROM followup f JOIN learner l ON l.id = f.learner_id WHERE f.id = $call")

# Reads the newest message in the Mailbox: prints method, UID, SEQUENCE, STATUS, attendee, To.
read_last() {
    $PY - "$tmp/maildir" <<'EOF'
import email, email.policy, os, sys
d = os.path.join(sys.argv[1], "new")
path = max((os.path.join(d, f) for f in os.listdir(d)), key=os.path.getmtime)
msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
cal = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
text = [p for p in msg.walk() if p.get_content_type() == "text/plain"]
assert cal, "no text/calendar part"
ics = cal[0].get_content().replace("\r\n ", "").replace("\n ", "")
def prop(name):
    for line in ics.splitlines():
        if line.split(";")[0].split(":")[0] == name:
            return line.split(":", 1)[1].strip()
    return ""
att = [l for l in ics.splitlines() if l.startswith("ATTENDEE")]
print(cal[0].get_param("method"), prop("UID"), prop("SEQUENCE"), prop("STATUS"),
      att[0].rsplit("mailto:", 1)[1] if att else "-", msg["To"].addresses[0].addr_spec,
      prop("ORGANIZER"),
      "body-ok" if text and "Camille Martin" in text[0].get_content() else "body-bad")
EOF
}

out=$(run agenda --invite "$call") || fail "--invite failed: $out"
out=$(run outbox send 2>&1) || fail "outbox send failed: $out"
[ "$(ls "$tmp/maildir/new" | wc -l)" = 1 ] || fail "the invitation did not arrive: $out"
got=$(read_last) || fail "cannot read the invitation"
[ "$got" = "REQUEST $uid 0 CONFIRMED $to $to mailto:camille@lcm.example body-ok" ] || fail "invitation: $got"

out=$(run agenda --cancel "$call") || fail "--cancel failed: $out"
out=$(run outbox send --retry-now 2>&1) || fail "outbox send (cancel) failed: $out"
[ "$(ls "$tmp/maildir/new" | wc -l)" = 2 ] || fail "the cancellation did not arrive: $out"
got=$(read_last) || fail "cannot read the cancellation"
[ "$got" = "CANCEL $uid 1 CANCELLED $to $to mailto:camille@lcm.example body-ok" ] || fail "cancellation: $got"
echo "e2e_invite_smtp: ok"
