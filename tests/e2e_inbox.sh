#!/bin/sh
# e2e_inbox.sh — the inbox against real servers on 127.0.0.1: Debian's dovecot-imapd (a
# passwd-file user, a Maildir, STARTTLS with a certificate made here; started as a non-root
# process by tests/dovecot.sh) and Debian's aiosmtpd (Mailbox handler) for what lcmtui sends.
# The demo base sends its messages; mail-client-shaped replies (tests/fixtures/mail: Thunderbird,
# Gmail, Outlook-style Latin-1, an auto-reply, a bounce, an HTML-only newsletter, malformed ones,
# one over the size limit) are appended to the folder with their In-Reply-To set to the real
# Message-IDs. Checks: replies matched (check-in, replied), questions opened, answered (the reply
# delivered through aiosmtpd, threaded and quoted) and closed, a forward to the trainer and the
# trainer's answer threaded back, a second fetch adds nothing, the folder's flags untouched, a
# changed UIDVALIDITY does not duplicate, the connection cut mid-fetch loses nothing; the TUI's
# title and triage show the questions, and its background fetch (tmux) records new mail.
set -u
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
KEEP=${KEEP:-}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
fix="$here/fixtures/mail"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-inbox-XXXXXX")
pids=""
fail() {
    echo "e2e_inbox: FAIL: $*" >&2
    [ -f "$tmp/dovecot/dovecot.log" ] && tail -3 "$tmp/dovecot/dovecot.log" >&2
    exit 1
}
. "$here/dovecot.sh"
. "$here/db.sh"
cleanup() {
    [ -n "${tsock:-}" ] && tmux -L "$tsock" kill-server 2>/dev/null
    dovecot_stop
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    [ -n "$KEEP" ] || rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
for tool in openssl curl; do
    command -v "$tool" >/dev/null || fail "$tool is required"
done
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
dovecot_setup
dovecot_start
SMTP=$(free_port)

$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP" -c aiosmtpd.handlers.Mailbox "$tmp/box" >"$tmp/smtp.log" 2>&1 &
pids="$pids $!"
wait_port "$SMTP"

db=$(db_target "$tmp/lcmtui.db")
conf="$tmp/config"
write_conf() { # url extra: the config with the IMAP server at url
    cat >"$conf" <<EOF
general: { lcm_name = "Claire Martin"; lcm_email = "claire@lcm.example"; lang = "fr"; };
smtp: { url = "smtp://127.0.0.1:$SMTP"; require_tls = false; timeout = 20; };
inbox: {
  url = "$1";
  username = "lcm";
  password_cmd = "printf 's3cr3t pw'";
  ca_file = "$tmp/cert.pem";
  max_size = 65536;
  timeout = 10;
  $2
  trainers = (
    { program = "$prog"; email = "formateur@ecole.example"; name = "Paul Formateur"; }
  );
};
EOF
    chmod 600 "$conf"
}
prog=""
write_conf "imap://127.0.0.1:$imap_port" ""
run() { "$LCMTUI" --config "$conf" --db "$db" --today 2026-12-02 "$@"; }
q() { db_query "$db" "$1"; }
imap() { curl -s -S --url "imap://127.0.0.1:$imap_port/INBOX" -u 'lcm:s3cr3t pw' "$@"; }

run demo >/dev/null || fail "demo failed"
prog=$(q "SELECT name FROM program ORDER BY id LIMIT 1")
write_conf "imap://127.0.0.1:$imap_port" ""
run sequences >/dev/null || fail "sequences"
run outbox approve --all >/dev/null || fail "approve --all"
run outbox send >"$tmp/send.out" 2>&1 || fail "outbox send: $(tail -2 "$tmp/send.out")"
[ "$(q "SELECT count(*) FROM message WHERE status = 'sent'")" -ge 4 ] || fail "the demo sent too little"
# Four sent messages (id|msgid|address) and a learner who got none.
q "SELECT m.id, m.msgid, l.email FROM message m JOIN learner l ON l.id = m.learner_id
   WHERE m.status = 'sent' ORDER BY m.id LIMIT 4" >"$tmp/sent"
field() { sed -n "$1p" "$tmp/sent" | cut -d'|' -f"$2"; }
L5=$(q "SELECT email FROM learner WHERE email LIKE '%@%' AND id NOT IN
        (SELECT learner_id FROM message WHERE learner_id IS NOT NULL) ORDER BY id LIMIT 1")
[ -n "$L5" ] || fail "no learner without a message"
up() { printf '%s' "$1" | tr '[:lower:]' '[:upper:]'; }

# The messages, as mail clients write them, answering the real Message-IDs.
sed -e "s/<lcmtui\.42\.1764662400@lcm\.example>/$(field 1 2)/" \
    -e "s/Camille\.Martin@Example\.FR/$(up "$(field 1 3)")/" "$fix/thunderbird_reply.eml" >"$tmp/1.eml"
sed -e "s/<lcmtui\.44\.1764666720@lcm\.example>/$(field 2 2)/g" \
    -e "s/sam\.oneil@gmail\.example/$(field 2 3)/" "$fix/gmail_reply.eml" >"$tmp/2.eml"
sed -e "s/<lcmtui\.45\.1764666720@lcm\.example>/$(field 3 2)/" \
    -e "s/nadia\.benali@entreprise\.example/$(field 3 3)/" "$fix/auto_reply.eml" >"$tmp/3.eml"
sed -e "s/<lcmtui\.46\.1764663178@lcm\.example>/$(field 4 2)/" "$fix/bounce.eml" >"$tmp/4.eml"
sed -e "s/francois\.leger@example\.fr/$L5/" "$fix/latin1_subject.eml" >"$tmp/5.eml"
cp "$fix/html_only.eml" "$tmp/6.eml"
cp "$fix/garbage_8bit.eml" "$tmp/7.eml"
{
    printf 'From: big@example.org\r\nSubject: big\r\nMessage-ID: <big@example.org>\r\n\r\n'
    $PY -c 'print(("x" * 76 + "\r") * 1200)'
} >"$tmp/8.eml"
for i in 1 2 3 4 5 6 7 8; do dovecot_append "$tmp/$i.eml"; done
imap -X 'STORE 1:* -FLAGS (\Seen)' >/dev/null || fail "cannot clear the flags"

# 1. STARTTLS is required (the default) and used: a fetch with a wrong CA is refused.
write_conf "imap://127.0.0.1:$imap_port" 'ca_file = "/nonexistent.pem";'
run inbox fetch >"$tmp/f0.out" 2>&1 && fail "a fetch with a wrong CA succeeded"
[ "$(q "SELECT count(*) FROM inbox_msg")" = 0 ] || fail "the refused fetch recorded something"
write_conf "imap://127.0.0.1:$imap_port" ""
grep -q "s3cr3t" "$tmp/f0.out" && fail "the password was printed"

# 2. The fetch: one summary line on stdout, the refused message named on stderr.
run inbox fetch >"$tmp/f1.out" 2>"$tmp/f1.err" || fail "fetch: $(cat "$tmp/f1.out" "$tmp/f1.err")"
[ "$(wc -l <"$tmp/f1.out")" = 1 ] || fail "fetch printed more than one line: $(cat "$tmp/f1.out")"
grep -qx "7 nouveaux, 2 réponses, 3 questions, 2 ignorés, 1 réponse automatique, 1 retour en erreur, 1 refusé" "$tmp/f1.out" ||
    fail "summary: $(cat "$tmp/f1.out")"
grep -q "INBOX.*UID 8.*65536" "$tmp/f1.err" || fail "the big message was not named: $(cat "$tmp/f1.err")"
grep -q "s3cr3t" "$tmp/f1.out" "$tmp/f1.err" && fail "the password was printed"
[ "$(q "SELECT kind FROM inbox_msg WHERE uid = 1")" = reply ] || fail "Thunderbird's reply not matched"
[ "$(q "SELECT kind FROM inbox_msg WHERE uid = 2")" = reply ] || fail "Gmail's reply not matched"
[ "$(q "SELECT kind FROM inbox_msg WHERE uid = 3")" = auto ] || fail "the auto-reply"
[ "$(q "SELECT kind FROM inbox_msg WHERE uid = 4")" = bounce ] || fail "the bounce"
[ "$(q "SELECT kind FROM inbox_msg WHERE uid = 5")" = learner ] || fail "the known learner's mail"
[ "$(q "SELECT kind FROM inbox_msg WHERE uid = 6")" = other ] || fail "the newsletter"
[ "$(q "SELECT body FROM inbox_msg WHERE uid = 6")" = "" ] || fail "a stranger's text was kept"
m1=$(field 1 1)
[ "$(q "SELECT count(*) FROM message WHERE id = $m1 AND replied_at IS NOT NULL")" = 1 ] || fail "message $m1 not replied"
[ "$(q "SELECT count(*) FROM message WHERE id = $(field 3 1) AND replied_at IS NULL")" = 1 ] || fail "an auto-reply counted as a reply"
[ "$(q "SELECT count(*) FROM message WHERE id = $(field 4 1) AND bounced_at IS NOT NULL")" = 1 ] || fail "the bounce did not mark its message"
[ "$(q "SELECT count(*) FROM checkin WHERE direction = 'in' AND channel = 'email'")" = 3 ] ||
    fail "expected 3 inbound check-ins"
[ "$(q "SELECT count(*) FROM checkin WHERE direction = 'in' AND message_id = $m1 AND outcome = 'replied'")" = 1 ] ||
    fail "the reply's check-in is not linked to its message"
[ "$(q "SELECT last_uid FROM inbox_cursor")" = 8 ] || fail "the cursor is not past the refused UID 8"
# read-only: no flag set, nothing expunged
imap -X 'FETCH 1:* (FLAGS)' >"$tmp/flags" || fail "flags"
[ "$(grep -c FETCH "$tmp/flags")" = 8 ] || fail "the folder lost messages: $(cat "$tmp/flags")"
grep -q 'Seen' "$tmp/flags" && fail "fetch flagged mail: $(cat "$tmp/flags")"
run outbox stats | grep -q "répon" || fail "outbox stats without the replies"

# 3. A second fetch adds nothing.
run inbox fetch >"$tmp/f2.out" 2>&1 || fail "second fetch: $(cat "$tmp/f2.out")"
grep -q "^0 nouveau" "$tmp/f2.out" || fail "second fetch: $(cat "$tmp/f2.out")"
[ "$(q "SELECT count(*) FROM inbox_msg")" = 7 ] || fail "the second fetch changed the inbox"

# 4. The list: the questions and their age (two days later).
"$LCMTUI" --config "$conf" --db "$db" --today 2026-12-04 inbox >"$tmp/list" 2>&1 || fail "inbox list"
grep -q "^3 questions en attente" "$tmp/list" || fail "list: $(head -3 "$tmp/list")"
[ "$(grep -c "Question en attente depuis 2 jours" "$tmp/list")" = 3 ] || fail "ages: $(cat "$tmp/list")"
# The TUI: the questions in the title and above the triage (read through core, at 80x24).
printf '<Dump>\n' >"$tmp/keys"
LC_ALL=C.UTF-8 LCMTUI_SIZE=80x24 LCMTUI_SCRIPT="$tmp/keys" "$LCMTUI" --config "$conf" --db "$db" \
    --today 2026-12-04 >"$tmp/screen" 2>&1 || fail "TUI: $(tail -3 "$tmp/screen")"
head -1 "$tmp/screen" | grep -q "3 questions" || fail "title: $(head -1 "$tmp/screen")"
sed -n 2p "$tmp/screen" | grep -q "^ Question en attente depuis 2 jours" ||
    fail "triage top: $(sed -n 2p "$tmp/screen")"
q1=$(q "SELECT id FROM inbox_msg WHERE uid = 1")
q2=$(q "SELECT id FROM inbox_msg WHERE uid = 2")
q5=$(q "SELECT id FROM inbox_msg WHERE uid = 5")
run inbox show "$q5" >"$tmp/show5" || fail "show"
grep -q "François" "$tmp/show5" || fail "the Latin-1 sender's name: $(head -3 "$tmp/show5")"

# 5. Answered: the reply goes out threaded, quoted, Re:.
run inbox reply "$q1" --text "Très bien, bonne reprise de l'unité 3 !" >"$tmp/r1" || fail "reply: $(cat "$tmp/r1")"
run inbox reply "$q1" --text "encore" >/dev/null 2>&1 && fail "a question answered twice"
run inbox close "$q2" >/dev/null || fail "close"
run inbox reply "$q2" --text "x" >/dev/null 2>&1 && fail "a closed question answered"
# 6. Forwarded to the programme's trainer.
run inbox forward "$q5" --note "Pouvez-vous lui répondre ?" >"$tmp/fw" || fail "forward: $(cat "$tmp/fw")"
run outbox send >"$tmp/send2.out" 2>&1 || fail "outbox send: $(cat "$tmp/send2.out")"
$PY - "$tmp/box" "$(q "SELECT msgid FROM inbox_msg WHERE id = $q1")" "$(field 1 3)" <<'PYEOF' || fail "the sent reply or forward"
import email, email.policy, glob, os, sys
box, irt, learner = sys.argv[1], "<%s>" % sys.argv[2], sys.argv[3]
msgs = [email.message_from_bytes(open(p, "rb").read(), policy=email.policy.default)
        for p in glob.glob(os.path.join(box, "new", "*"))]
reply = [m for m in msgs if m["In-Reply-To"] == irt]
assert len(reply) == 1, [m["In-Reply-To"] for m in msgs]
r = reply[0]
assert r["To"].addresses[0].addr_spec.lower() == learner.lower(), r["To"]
assert str(r["Subject"]) == "Re: Votre parcours d'anglais : où en êtes-vous ?", str(r["Subject"])
assert irt in r["References"] and "<lcmtui." in r["References"], r["References"]
text = r.get_body(("plain",)).get_content()
assert "bonne reprise de l'unité 3" in text, text
assert "> " in text and "je reprends l'unité 3" in text, text
assert "Je n'ai pas vu de connexion" not in text, text  # the learner's own quote is cut
fwd = [m for m in msgs if m["To"].addresses[0].addr_spec == "formateur@ecole.example"]
assert len(fwd) == 1, len(fwd)
t = fwd[0].get_body(("plain",)).get_content()
assert "Bonjour Paul Formateur" in t and "Pouvez-vous lui répondre ?" in t, t
subj = str(fwd[0]["Subject"])  # the learner as the base names them, the question's subject
assert subj.startswith("Question de ") and "Rédiger un e-mail" in subj, subj
PYEOF
[ "$(q "SELECT status FROM inbox_msg WHERE id = $q5")" = forwarded ] || fail "not forwarded"
fwd_id=$(q "SELECT msgid FROM message WHERE to_addr = 'formateur@ecole.example' AND status = 'sent'")
[ -n "$fwd_id" ] || fail "the forward was not sent"
# The trainer answers: threaded to the question, which is the LCM's again.
printf 'From: Paul Formateur <formateur@ecole.example>\r\nTo: claire@lcm.example\r\nSubject: Re: question\r\nMessage-ID: <prof-1@ecole.example>\r\nIn-Reply-To: %s\r\nReferences: %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nIl faut revoir le passé composé, unité 4.\r\n' \
    "$fwd_id" "$fwd_id" >"$tmp/9.eml"
dovecot_append "$tmp/9.eml"
run inbox fetch >"$tmp/f3.out" 2>&1 || fail "fetch 3: $(cat "$tmp/f3.out")"
grep -q "1 réponse du formateur" "$tmp/f3.out" || fail "fetch 3: $(cat "$tmp/f3.out")"
[ "$(q "SELECT status FROM inbox_msg WHERE id = $q5")" = open ] || fail "the trainer's answer did not reopen the question"
[ "$(q "SELECT question_id FROM inbox_msg WHERE msgid = 'prof-1@ecole.example'")" = "$q5" ] || fail "not threaded"
run inbox show "$q5" | grep -q "passé composé" || fail "show does not give the trainer's answer"
run inbox | grep -q "le formateur a répondu" || fail "the list does not say the trainer answered"

# 7. A changed UIDVALIDITY (the folder rebuilt): read again, nothing doubled.
before=$(q "SELECT count(*) FROM inbox_msg")
v1=$(curl -s --url "imap://127.0.0.1:$imap_port/" -u 'lcm:s3cr3t pw' -X 'STATUS INBOX (UIDVALIDITY)')
dovecot_stop
rm -f "$tmp/mail/Maildir/dovecot-uidlist" "$tmp/mail/Maildir/dovecot.index"*
dovecot_start
v2=$(curl -s --url "imap://127.0.0.1:$imap_port/" -u 'lcm:s3cr3t pw' -X 'STATUS INBOX (UIDVALIDITY)')
[ "$v1" != "$v2" ] || fail "the UIDVALIDITY did not change ($v1)"
run inbox fetch >"$tmp/f4.out" 2>"$tmp/f4.err" || fail "fetch 4: $(cat "$tmp/f4.out" "$tmp/f4.err")"
grep -q "UIDVALIDITY" "$tmp/f4.err" || fail "no word of the new UIDVALIDITY: $(cat "$tmp/f4.err")"
grep -q "^0 nouveau" "$tmp/f4.out" || fail "fetch 4: $(cat "$tmp/f4.out")"
[ "$(q "SELECT count(*) FROM inbox_msg")" = "$before" ] || fail "the new UIDVALIDITY doubled messages"

# 8. The connection cut in the middle of a fetch (a proxy drops it at the third message):
# what was recorded stays, the next fetch takes the rest, nothing lost or doubled.
for i in 1 2 3 4 5; do
    printf 'From: %s\r\nSubject: Question %s\r\nMessage-ID: <late-%s@example.org>\r\n\r\nQuestion numero %s\r\n' \
        "$L5" "$i" "$i" "$i" >"$tmp/late$i.eml"
    dovecot_append "$tmp/late$i.eml"
done
PROXY=$(free_port)
$PY - "$PROXY" "$imap_port" <<'PYEOF' >"$tmp/proxy.log" 2>&1 &
import socket, sys, threading
lp, up = int(sys.argv[1]), int(sys.argv[2])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", lp)); srv.listen(4)
while True:
    c, _ = srv.accept()
    s = socket.create_connection(("127.0.0.1", up))
    def down(c=c, s=s):  # server -> client, STARTTLS hidden so the exchange stays readable
        try:
            while True:
                d = s.recv(65536)
                if not d: break
                c.sendall(d.replace(b"STARTTLS", b"XSTARTT"))
        except OSError: pass
        c.close()
    threading.Thread(target=down, daemon=True).start()
    n = 0
    try:
        while True:
            d = c.recv(65536)
            if not d: break
            n += d.count(b"BODY.PEEK[]")
            if n >= 3:  # the third message: the server is gone
                break
            s.sendall(d)
    except OSError: pass
    s.close(); c.close()
PYEOF
pids="$pids $!"
wait_port "$PROXY"
before=$(q "SELECT count(*) FROM inbox_msg")
write_conf "imap://127.0.0.1:$PROXY" "require_tls = false;"
run inbox fetch >"$tmp/f5.out" 2>"$tmp/f5.err" && fail "the cut fetch succeeded: $(cat "$tmp/f5.out")"
[ "$(wc -l <"$tmp/f5.err")" = 1 ] || fail "the cut is not one line: $(cat "$tmp/f5.err")"
grep -q "127.0.0.1:$PROXY" "$tmp/f5.err" || fail "the error does not name the server: $(cat "$tmp/f5.err")"
[ "$(q "SELECT count(*) FROM inbox_msg")" = $((before + 2)) ] || fail "expected 2 recorded before the cut"
write_conf "imap://127.0.0.1:$imap_port" ""
run inbox fetch >"$tmp/f6.out" 2>&1 || fail "fetch after the cut: $(cat "$tmp/f6.out")"
grep -q "^3 nouveaux" "$tmp/f6.out" || fail "after the cut: $(cat "$tmp/f6.out")"
[ "$(q "SELECT count(*) FROM inbox_msg WHERE msgid LIKE 'late-%'")" = 5 ] || fail "late messages lost or doubled"
# 9. The TUI fetches in the background at start: a new question shows on the status line and in
# the title without a key (tmux, a real terminal).
if command -v tmux >/dev/null; then
    tsock="lcmtui-inbox-$$"
    session=inbox
    . "$here/tmux.sh"
    printf 'From: %s\r\nSubject: Question TUI\r\nMessage-ID: <tui-1@example.org>\r\n\r\nEt la TUI ?\r\n' \
        "$L5" >"$tmp/tui.eml"
    dovecot_append "$tmp/tui.eml"
    tmux -L "$tsock" new-session -d -s "$session" -x 120 -y 30 \
        "LC_ALL=C.UTF-8 '$LCMTUI' --config '$conf' --db '$db' --today 2026-12-02; echo EXIT=\$?; sleep 30" ||
        fail "tmux"
    wait_for "1 nouveau, 0 réponse, 1 question"
    keys q
    wait_for "EXIT=0" # ended by itself, its connections closed, before the base is read
    tmux -L "$tsock" kill-server 2>/dev/null
    [ "$(q "SELECT count(*) FROM inbox_msg WHERE msgid = 'tui-1@example.org'")" = 1 ] ||
        fail "the background fetch did not record the message"
fi
# The server down: one line, exit 1, nothing changed.
dovecot_stop
run inbox fetch >"$tmp/f7.out" 2>"$tmp/f7.err" && fail "a fetch with the server down succeeded"
[ "$(wc -l <"$tmp/f7.err")" = 1 ] || fail "server down: $(cat "$tmp/f7.err")"
[ "$(q "SELECT count(*) FROM inbox_msg WHERE msgid LIKE 'late-%'")" = 5 ] || fail "the failed fetch changed the inbox"
echo "e2e_inbox: ok ($DB_ENGINE)"
