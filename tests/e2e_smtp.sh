#!/bin/sh
# e2e_smtp.sh — the outbox against real SMTP servers on 127.0.0.1:
# - tests/fixtures/smtp_auth_server.py (aiosmtpd Controller): STARTTLS required with a
#   self-signed certificate made here with openssl (libcurl verifies it through smtp.ca_file),
#   AUTH required (password from password_env), a recipient answered 550, a DATA handler that
#   can be held on a marker file;
# - Debian's plain `python3 -m aiosmtpd ... -c aiosmtpd.handlers.Mailbox DIR`.
# Checks what arrives (headers, the accented subject decoded by Python's email package, body,
# one message per learner, Bcc only in the envelope), header injection refused, 451 retried,
# 550 failed and not retried, wrong password kept queued, STARTTLS required, smtps://, server down then
# delivered, and a process killed (or timed out) while the server holds the message: no
# duplicate, no loss.
set -u
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
KEEP=${KEEP:-}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-smtp-XXXXXX")
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    [ -n "$KEEP" ] || rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_smtp: FAIL: $*" >&2
    [ -f "$tmp/server.log" ] && tail -5 "$tmp/server.log" >&2
    exit 1
}
. "$here/db.sh"
command -v openssl >/dev/null || fail "openssl is required"
$PY -c 'import aiosmtpd' 2>/dev/null || fail "Debian's python3-aiosmtpd is required"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { # port: polls until something listens (bounded, ~10 s)
    i=0
    until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $1)))"; do
        i=$((i + 1))
        [ $i -le 200 ] || fail "nothing listens on port $1"
        sleep 0.05
    done
}

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 || fail "openssl req failed"

P1=$(free_port)
mkdir -p "$tmp/box"
$PY "$here/fixtures/smtp_auth_server.py" --port "$P1" --dir "$tmp/box" --cert "$tmp/cert.pem" \
    --key "$tmp/key.pem" --user lcm --password 's3cr3t pw' \
    --reject sophie.carpentier@acme-industrie.example --hold "$tmp/hold" --tempfail "$tmp/tempfail" \
    >"$tmp/server.log" 2>&1 &
pids="$pids $!"
wait_port "$P1"

db=$(db_target "$tmp/lcmtui.db")
conf="$tmp/config"
cat >"$conf" <<EOF
general: { lcm_name = "Claire Martin"; lcm_email = "claire@lcm.example"; lang = "fr"; }; # French: the messages and the command line's output
smtp: {
  url = "smtp://127.0.0.1:$P1";
  username = "lcm";
  password_env = "E2E_SMTP_PW";
  ca_file = "$tmp/cert.pem";
  reply_to = "suivi@lcm.example";
  bcc_self = true;
  timeout = 20;
};
EOF
chmod 600 "$conf"
export E2E_SMTP_PW='s3cr3t pw'
run() { "$LCMTUI" --config "$conf" --db "$db" --today 2026-11-28 "$@"; }
q() { db_query "$db" "$1"; }
nl() { db_pick "char(10)" "chr(10)"; }
epoch() { db_pick "strftime('%s', '$1')" "CAST(extract(epoch FROM timestamp '$1') AS BIGINT)"; }
yes1() { printf 'CASE WHEN %s THEN 1 ELSE 0 END' "$1"; } # a condition as 1 or 0 on both engines

run demo >/dev/null || fail "demo failed"
# A hostile first name: CR LF and a Bcc line (the never-started learner Zoé Faure).
q "UPDATE learner SET first_name = 'Zoé' || $(db_pick "char(13, 10)" "chr(13) || chr(10)") || 'Bcc: victim@evil.example'
   WHERE email = 'zoe.faure@acme-industrie.example';"
out=$(run sequences) || fail "sequences: $out"
drafts=$(q "SELECT count(*) FROM message WHERE status = 'draft'")
[ "$drafts" -ge 20 ] || fail "expected the demo drafts, got $drafts"
[ "$(q "SELECT count(DISTINCT learner_id) FROM message")" = "$drafts" ] ||
    fail "a learner got two drafts"
run outbox approve --all | grep -q "$drafts messages mis en file" || fail "approve --all"

# 1. Delivery through STARTTLS + AUTH.
out=$(run outbox send 2>&1)
[ $? = 1 ] || fail "send must exit 1 when a message failed: $out"
sent=$(q "SELECT count(*) FROM message WHERE status = 'sent'")
# One refused by the server (550); Zoé's, her name cleaned to one line, sent like the others.
[ "$sent" = $((drafts - 1)) ] || fail "expected $((drafts - 1)) sent, got $sent: $out"
n=$(ls "$tmp/box" | grep -c '\.eml$')
[ "$n" = "$sent" ] || fail "server got $n messages, the outbox says $sent"

# What arrived: decoded with Python's email package.
# The sent messages as the store holds them, one JSON line (bodies hold newlines).
q "$(db_pick "SELECT json_group_array(json_array(to_addr, msgid, subject, body))" \
    "SELECT coalesce(json_agg(json_build_array(to_addr, msgid, subject, body) ORDER BY id), '[]')") \
    FROM message WHERE status = 'sent'" >"$tmp/sent.json" || fail "cannot read the sent messages"
$PY - "$tmp/box" "$tmp/sent.json" <<'PYEOF' || fail "message checks failed"
import email, email.policy, glob, json, os, sys
box = sys.argv[1]
rows = {}
for to_addr, msgid, subject, body in json.load(open(sys.argv[2])):
    rows.setdefault(to_addr, (msgid, subject, body))
assert rows, "no sent message in the store"
to_count = {}
for path in sorted(glob.glob(os.path.join(box, "*.eml"))):
    raw = open(path, "rb").read()
    env = json.load(open(path[:-4] + ".json"))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    to = msg["To"].addresses[0].addr_spec
    to_count[to] = to_count.get(to, 0) + 1
    assert env["mail_from"] == "claire@lcm.example", env
    assert sorted(env["rcpt_tos"]) == sorted([to, "claire@lcm.example"]), env  # Bcc: envelope only
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert msg["Bcc"] is None and b"\nBcc:" not in head, path
    # the hostile name's text stays inside To's encoded display name: no header line holds it
    assert b"victim" not in head, (path, head)
    assert not any("victim" in r for r in env["rcpt_tos"]), env
    assert msg["From"].addresses[0].display_name == "Claire Martin"
    assert msg["Reply-To"].addresses[0].addr_spec == "suivi@lcm.example"
    assert msg["Date"] is not None and msg["MIME-Version"] == "1.0"
    for line in raw.split(b"\r\n"):
        assert len(line) <= 998
    row = rows.get(to)
    assert row and msg["Message-ID"] == row[0], (msg["Message-ID"], row)
    assert str(msg["Subject"]) == row[1], (msg["Subject"], row[1])
    body = msg.get_body(("plain",)).get_content()
    assert body.replace("\r\n", "\n") == row[2], path
    assert msg.get_body(("plain",))["Content-Transfer-Encoding"] == "quoted-printable"
assert all(n == 1 for n in to_count.values()), to_count
bobby = [p for p in glob.glob(os.path.join(box, "*.eml"))
         if b"bobby.lemaire@" in open(p, "rb").read()]
assert len(bobby) == 1
m = email.message_from_bytes(open(bobby[0], "rb").read(), policy=email.policy.default)
assert str(m["Subject"]) == "Bobby, je pense à vous", str(m["Subject"])
assert b"=?UTF-8?B?" in open(bobby[0], "rb").read()
text = m.get_body(("plain",)).get_content()
assert "Bonjour Bobby," in text and "Voilà 21 jours" in text and "Claire Martin" in text, text
cam = [p for p in glob.glob(os.path.join(box, "*.eml")) if b"camille.rousseau@" in open(p, "rb").read()]
m = email.message_from_bytes(open(cam[0], "rb").read(), policy=email.policy.default)
assert str(m["Subject"]) == "Camille, 75 % de votre parcours : bravo !", str(m["Subject"])
PYEOF

# Every sent message is a check-in in the learner's timeline.
[ "$(q "SELECT count(*) FROM checkin c JOIN message m ON m.id = c.message_id
        WHERE c.channel = 'email' AND c.direction = 'out' AND m.checkin_id = c.id")" = "$sent" ] ||
    fail "sent messages without their check-in"

# 2. 550: failed with the server's reply, not retried.
st=$(q "SELECT status || '|' || attempts || '|' || error FROM message
        WHERE to_addr = 'sophie.carpentier@acme-industrie.example'")
case "$st" in failed\|1\|550*Recipient\ address\ rejected*) ;; *) fail "550 not recorded: $st" ;; esac
# Header injection: the hostile name is cleaned to one line (its To header checked above), the
# message sent once.
st=$(q "SELECT status || '|' || attempts FROM message
        WHERE to_addr = 'zoe.faure@acme-industrie.example'")
[ "$st" = "sent|1" ] || fail "the message to the learner with a hostile name: $st"
out=$(run outbox send --retry-now) || fail "an empty run must succeed: $out"
echo "$out" | grep -q "envoyés 0, à réessayer 0, en échec 0" || fail "something was retried: $out"
[ "$(q "SELECT attempts FROM message WHERE to_addr = 'sophie.carpentier@acme-industrie.example'")" = 1 ] ||
    fail "the 550 was retried"

new_msg() { # to subject: a queued message, prints its id
    q "INSERT INTO message(learner_id, to_addr, subject, body, status, created_at, updated_at)
       SELECT id, '$1', '$2', 'Bonjour,' || $(nl) || 'à bientôt.' || $(nl), 'queued',
              $(epoch 2026-11-28), $(epoch 2026-11-28) FROM learner
       WHERE email = '$1' RETURNING id"
}

# 2b. 451: a temporary failure stays queued with the reply and a back-off, then goes out.
touch "$tmp/tempfail"
id=$(new_msg loic.barbier@acme-industrie.example "Premiers pas sur la plateforme")
run outbox send >/dev/null 2>&1 && fail "a 451 must not count as sent"
st=$(q "SELECT status || '|' || attempts || '|' || $(yes1 "next_attempt_at > updated_at") || '|' || error
        FROM message WHERE id = $id")
case "$st" in queued\|1\|1\|*451*) ;; *) fail "451 not kept for a retry: $st" ;; esac
rm -f "$tmp/tempfail"
run outbox send --retry-now >/dev/null 2>&1 || fail "retry after the 451"
[ "$(q "SELECT status || '|' || attempts FROM message WHERE id = $id")" = "sent|2" ] ||
    fail "not sent on the retry"

# 3. Wrong password: the message stays queued with the 535, the run stops.
id=$(new_msg bobby.lemaire@acme-industrie.example "Réponse à votre question")
E2E_SMTP_PW=wrong run outbox send >/dev/null 2>"$tmp/err" && fail "a wrong password must fail"
grep -q "535" "$tmp/err" || fail "no 535 in the error: $(cat "$tmp/err")"
[ "$(q "SELECT status FROM message WHERE id = $id")" = queued ] || fail "not kept queued"

# 4. Killed while the server holds the message: no duplicate, no loss.
touch "$tmp/hold"
"$LCMTUI" --config "$conf" --db "$db" --today 2026-11-28 outbox send --retry-now >/dev/null 2>&1 &
lp=$! # lcmtui itself, not a subshell
i=0
until [ -f "$tmp/box/holding" ]; do
    i=$((i + 1))
    [ $i -le 400 ] || fail "the server never got the held message"
    sleep 0.05
done
[ "$(q "SELECT status || '|' || $(yes1 "msgid IS NOT NULL") FROM message WHERE id = $id")" = "sending|1" ] ||
    fail "not marked sending with its Message-ID before the SMTP call"
kill -9 "$lp"
wait "$lp" 2>/dev/null
rm -f "$tmp/hold"
msgid=$(q "SELECT msgid FROM message WHERE id = $id")
out=$(run outbox send --retry-now 2>&1)
echo "$out" | grep -q "interrompus avant 1" || fail "the interrupted message was not found: $out"
st=$(q "SELECT status || '|' || error FROM message WHERE id = $id")
case "$st" in failed\|unknown:*) ;; *) fail "interrupted message not held for the LCM: $st" ;; esac
sleep 0.3 # the server may still be writing the held message
copies=$(grep -l "$msgid" "$tmp/box"/*.eml 2>/dev/null | wc -l)
[ "$copies" -le 1 ] || fail "the interrupted message arrived $copies times"
out=$(run outbox send --retry-now 2>&1)
copies2=$(grep -l "$msgid" "$tmp/box"/*.eml 2>/dev/null | wc -l)
[ "$copies2" = "$copies" ] || fail "the interrupted message was resent automatically"
run outbox retry "$id" >/dev/null || fail "retry"
run outbox send >/dev/null 2>&1 || fail "send after the LCM's retry"
[ "$(q "SELECT status FROM message WHERE id = $id")" = sent ] || fail "not sent after retry"

# 4b. The whole message went out but no reply came (timeout): unknown, not retried.
sed 's/timeout = 20;/timeout = 2;/' "$conf" >"$tmp/config_t"
chmod 600 "$tmp/config_t"
id=$(new_msg djilali.benali@acme-industrie.example "Un point cette semaine ?")
rm -f "$tmp/box/holding"
touch "$tmp/hold"
"$LCMTUI" --config "$tmp/config_t" --db "$db" --today 2026-11-28 outbox send >/dev/null 2>&1 &&
    fail "a send without a final reply must not succeed"
rm -f "$tmp/hold"
st=$(q "SELECT status || '|' || error FROM message WHERE id = $id")
case "$st" in failed\|unknown:*) ;; *) fail "no-reply outcome not held for the LCM: $st" ;; esac
msgid=$(q "SELECT msgid FROM message WHERE id = $id")
run outbox send --retry-now >/dev/null 2>&1
sleep 0.3
[ "$(grep -l "$msgid" "$tmp/box"/*.eml 2>/dev/null | wc -l)" -le 1 ] || fail "sent twice after a timeout"

# 4c. smtps:// (TLS from the first byte) with AUTH.
P3=$(free_port)
$PY "$here/fixtures/smtp_auth_server.py" --port "$P3" --dir "$tmp/box3" --cert "$tmp/cert.pem" \
    --key "$tmp/key.pem" --user lcm --password 's3cr3t pw' --implicit >"$tmp/server3.log" 2>&1 &
pids="$pids $!"
wait_port "$P3"
sed "s|smtp://127.0.0.1:$P1|smtps://127.0.0.1:$P3|" "$conf" >"$tmp/config_s"
chmod 600 "$tmp/config_s"
id=$(new_msg anais.morel@acme-industrie.example "Vos accès à la plateforme")
out=$("$LCMTUI" --config "$tmp/config_s" --db "$db" --today 2026-11-28 outbox send 2>&1) ||
    fail "smtps: $out"
[ "$(ls "$tmp/box3" | grep -c '\.eml$')" = 1 ] || fail "smtps: nothing arrived"
[ "$(q "SELECT status FROM message WHERE id = $id")" = sent ] || fail "smtps: not marked sent"

# 5. Server down: queued with the error; delivered on the next run (Debian's Mailbox server).
P2=$(free_port)
sed -e "s|127.0.0.1:$P1|127.0.0.1:$P2|" -e 's|username = "lcm";|require_tls = false;|' \
    -e '/password_env/d' -e '/ca_file/d' "$conf" >"$tmp/config2"
chmod 600 "$tmp/config2"
run2() { "$LCMTUI" --config "$tmp/config2" --db "$db" --today 2026-11-28 "$@"; }
id=$(new_msg marty.lefevre@acme-industrie.example "Votre rendez-vous à 10 h")
run2 outbox send >/dev/null 2>&1 && fail "send with the server down must fail"
st=$(q "SELECT status || '|' || attempts || '|' || $(yes1 "next_attempt_at > updated_at") FROM message WHERE id = $id")
[ "$st" = "queued|1|1" ] || fail "server down: expected queued with a back-off, got $st"
q "SELECT error FROM message WHERE id = $id" | grep -qi "connect" || fail "no connection error kept"
$PY -m aiosmtpd -n -l "127.0.0.1:$P2" -c aiosmtpd.handlers.Mailbox "$tmp/maildir" \
    >"$tmp/mailbox.log" 2>&1 &
pids="$pids $!"
wait_port "$P2"
# STARTTLS is required by default: the same plain server is refused, the message kept queued.
sed -e 's|require_tls = false;|username = "lcm";|' "$tmp/config2" >"$tmp/config3"
chmod 600 "$tmp/config3"
E2E_SMTP_PW=x "$LCMTUI" --config "$tmp/config3" --db "$db" --today 2026-11-28 outbox send \
    --retry-now >/dev/null 2>"$tmp/err" && fail "a server without STARTTLS must be refused"
grep -qi "ssl\|tls" "$tmp/err" || fail "unclear TLS error: $(cat "$tmp/err")"
[ "$(q "SELECT status FROM message WHERE id = $id")" = queued ] || fail "not kept queued (TLS)"
[ "$(ls "$tmp/maildir/new" | wc -l)" = 0 ] || fail "sent in clear text"
out=$(run2 outbox send 2>&1) || fail "a run before the back-off must succeed: $out"
echo "$out" | grep -q "envoyés 0" || fail "sent before the back-off: $out"
out=$(run2 outbox send --retry-now 2>&1) || fail "send after the server came back: $out"
echo "$out" | grep -q "envoyés 1," || fail "not delivered on the next run: $out"
[ "$(ls "$tmp/maildir/new" | wc -l)" = 1 ] || fail "the Mailbox server did not get it"
grep -q "^Subject: =?UTF-8?B?" "$tmp/maildir/new"/* || fail "subject not encoded"

# 6. The outbox lists errors; stats run.
run outbox list --status failed | grep -q "550" || fail "outbox list does not show the 550"
run outbox stats | grep -q "nudge_21" || fail "stats without nudge_21"
echo "e2e_smtp: ok ($DB_ENGINE)"
