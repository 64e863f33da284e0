#!/bin/sh
# e2e_hostile.sh — every command that prints learner data, fed a hostile learner, checked byte by
# byte. The learners, cohort, programme and milestone come in through `lcmtui import` (the
# example mapping); what no import writes (a check-in note, a follow-up, an outbox message,
# invalid UTF-8 left by an older tool) through the engine's shell (tests/db.sh: sqlite3 or psql;
# PostgreSQL itself refuses invalid UTF-8, so that row is SQLite's only, and on both engines
# lcmtui refuses invalid UTF-8 given on its command line in one line, writing nothing); a Moodle error text from the fixture LMS;
# busy times from an .ics. Their texts hold ESC sequences (CSI, OSC ended by BEL), C1 controls
# as UTF-8 (U+009B, U+009D, U+009C), bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069), invalid UTF-8, CR LF, a 100 kB field, SQL metacharacters, CSV formula
# prefixes and HTML. tests/hostile_check.py then checks every stdout, stderr and file:
#   terminal output (every CLI command, the TUI's headless screens on several panes, the raw
#   bytes tmux received from the TUI): valid UTF-8, no C0 but '\n', no DEL, C1 or bidi control;
#   CSV: valid UTF-8, no control, every cell starting with = + - @ neutralised (or a number);
#   HTML and SVG: well-formed where XML, no raw markup from the data, no control;
#   iCalendar: CRLF lines of at most 75 octets, TEXT values escaped, no control;
#   mail (through aiosmtpd): headers ASCII, folded (at most 78 columns), no injected header.
set -u
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-hostile-XXXXXX")
pids=""
sock="lcmtui-hostile-$$"
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    tmux -L "$sock" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_hostile: FAIL: $*" >&2
    exit 1
}
. "$here/db.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "e2e_hostile: skipped: python3-aiosmtpd is missing"; exit 77; }

export LC_ALL=C.UTF-8 LANGUAGE=en
db=$(db_target "$tmp/lcmtui.db")
out="$tmp/out" # every output to check: NAME.KIND (term, csv, html, svg, ics, md)
mkdir -p "$out" "$tmp/csv"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SMTP_PORT=$(free_port)
cat >"$tmp/config" <<EOF
general: { lcm_name = "Camille Martin"; lcm_email = "camille@lcm.example"; lang = "en"; };
calendar: { timezone = "Europe/Paris"; };
smtp: { url = "smtp://127.0.0.1:$SMTP_PORT"; require_tls = false; timeout = 20; };
EOF
chmod 600 "$tmp/config"
run() { "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }
# cmd NAME ARGS...: runs lcmtui ARGS, stdout to NAME.term, stderr to NAME.err.term; the exit
# code is kept in $rc (a command may fail on purpose: its error line is checked too).
cmd() {
    n=$1
    shift
    run "$@" >"$out/$n.term" 2>"$out/$n.err.term"
    rc=$?
}
ok() { # NAME ARGS...: cmd, and it must succeed
    cmd "$@"
    [ "$rc" = 0 ] || fail "lcmtui $2 exited $rc: $(head -c 600 "$out/$1.err.term")"
}
q() { db_query "$db" "$1"; }
ch() { # code points: the SQL text of those characters on the engine
    if db_is_pg; then
        ch_s=""
        for ch_c in "$@"; do ch_s="${ch_s:+$ch_s || }chr($ch_c)"; done
        printf '%s\n' "$ch_s"
    else
        (IFS=,; printf 'char(%s)\n' "$*")
    fi
}
epoch() { db_pick "strftime('%s', '$1')" "CAST(extract(epoch FROM timestamp '$1') AS BIGINT)"; }

# ---- the hostile data ----------------------------------------------------------------------
# H is the hostile text; the CSV export of the example mapping's shape (tests/data/import/lms).
$PY - "$tmp" <<'PY' || fail "cannot write the hostile files"
import sys
d = sys.argv[1]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
H = "\x1b[2J\x1b[31m" "\x1b]0;pwned\x07" "\u009b31m\u009d0;t\u009c" + BIDI
SQL, HTML = "'; DROP TABLE learner; --", "<script>alert(1)</script>&amp;"
open(d + "/H", "w").write(H)
def q(s): return '"' + s.replace('"', '""') + '"'
users = ["user_id;Prénom;Nom;E-mail;Service;Manager",
         ";".join(["901", q('=HYPERLINK("http://evil.example")' + H), q("Evil" + SQL + HTML),
                   "evil@example.org", q("+SUM(A1)" + H), q("@cmd" + H)]),
         # a name with a line break and a Bcc line: a mail to her must be refused
         ";".join(["902", q("Crlf"), q("Inject\r\nBcc: victim@evil.example"), "crlf@example.org",
                   "-1+1", "Mgr"]),
         # a 100 kB name, with bidi controls but no C0 or C1 one (a mail can go to her)
         ";".join(["903", q("-2" + BIDI + "Huge " + SQL + HTML), q("Huge" + "x" * 100000),
                   "huge@example.org", "Dept", "Mgr"])]
open(d + "/csv/users.csv", "w", newline="").write("\r\n".join(users) + "\r\n")
G = q("G=" + H + SQL)
open(d + "/csv/enrolments.csv", "w", newline="").write(
    "user_id;course;group;enrolled;status;completion\r\n" +
    "".join("%s;%s;%s;2026-09-01;En cours;10%%\r\n" % (u, q("@P" + H + HTML), G)
            for u in (901, 902, 903)))
open(d + "/csv/grades.csv", "w", newline="").write(
    "test;name;due;user_id;group;date;grade\r\n"
    "U1;%s;2026-09-20;901;%s;2026-09-19;12\r\n" % (q("=M" + H + HTML), G))
open(d + "/csv/logs.csv", "w", newline="").write(
    "time;user_id;group;minutes;event\r\n2026-09-02 09:15:00;901;%s;25;viewed\r\n" % G)
# a bad value quoted by the import's error
import os; os.mkdir(d + "/bad"); open(d + "/bad/enrolments.csv", "w", newline="").write(
    "user_id;course;group;enrolled;status;completion\r\n901;C;G;2026-09-01;%s;10%%\r\n" % q("X" + H))
open(d + "/busy.ics", "w", newline="").write(
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\n"
    "UID:evil@x\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261130T100000Z\r\n"
    "DTEND:20261130T110000Z\r\nSUMMARY:Meeting %s\\, =1+1 %s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    % (H, HTML))
PY
H=$(cat "$tmp/H")

ok demo demo
run import --mapping "$top/data/mappings/example-lms.conf" "$tmp/csv"/*.csv >"$out/import.term" \
    2>"$out/import.err.term" || fail "import: $(cat "$out/import.err.term")"
evil=$(q "SELECT id FROM learner WHERE ext_id = '901'")
huge=$(q "SELECT id FROM learner WHERE ext_id = '903'")
[ -n "$evil" ] && [ -n "$huge" ] || fail "the hostile learners were not imported"
enr=$(q "SELECT id FROM enrollment WHERE learner_id = $evil")
# A demo learner with a call today, renamed with invalid UTF-8 (what an older tool could leave).
inv=$(q "SELECT learner_id FROM followup WHERE status = 'planned' AND due_at >= $(epoch 2026-11-28)
         ORDER BY due_at LIMIT 1")
if db_is_pg; then
    # PostgreSQL stores no invalid UTF-8 (the server refuses it): the same name without it.
    q "$(printf "UPDATE learner SET first_name = 'Inv\377' WHERE id = %s" "$inv")" 2>/dev/null &&
        fail "PostgreSQL stored invalid UTF-8"
    q "UPDATE learner SET first_name = 'Inv' || chr(27) || '[1m', last_name = 'Bad' || chr(8206)
       WHERE id = $inv" || fail "psql hostile name"
else
    q "UPDATE learner SET first_name = CAST(X'496e76ff' AS TEXT) || char(27) || '[1m',
         last_name = 'Bad' || CAST(X'c0afe2808e' AS TEXT) WHERE id = $inv" || fail "sqlite3 invalid UTF-8"
fi
# What the LCM typed (or a colleague's base holds): a check-in, a call today, a failed message.
# (H as an SQL literal: its quotes doubled; it holds no backslash and no NUL.)
h="'$(printf '%s' "$H" | sed "s/'/''/g")'"
big=$(db_pick "printf('%.100000c', 'n')" "repeat('n', 100000)")
q "INSERT INTO checkin (learner_id, enrollment_id, at, channel, outcome, note, next_step, author)
  VALUES ($evil, $enr, $(epoch '2026-11-27 10:00'), 'call', 'reached',
          'Note ' || $h || '<script>x</script> =1+1' || $(ch 13 10) || 'line 2 ' || $big,
          '@next ' || $h, 'LCM ' || $h);
INSERT INTO followup (learner_id, enrollment_id, kind, due_at, title, note, created_at, updated_at, uid)
  VALUES ($evil, $enr, 'call', $(epoch '2026-11-28 15:00'), '=Call ' || $h || ';,\\' || $(ch 10) || 'x',
          'Private ' || $h, 1, 1, 'hostile-1@lcm.example');
INSERT INTO message (learner_id, enrollment_id, template, lang, rule, to_addr, subject, body, status,
                     error, msgid, att_type, att_name, att_data, created_at, updated_at)
  VALUES ($evil, $enr, 'nudge_7' || $h, 'en' || $h, 'rule' || $h, 'evil@example.org', 'Subject ' || $h,
          'Body ' || $h || $(ch 10) || '<script>x</script>', 'failed', '550 ' || $h || ' refused',
          '<id' || $h || '@x>', 'text/plain' || $h, 'a' || $h || '.txt', 'x', 1, 1);" >/dev/null ||
    fail "hostile rows"
# The hostile learner as an LRS actor no identity rule matched (the source's name too).
q "INSERT INTO learner_key (kind, value, learner_id, source)
  VALUES ('unmatched', 'lrs' || $(ch 27) || ']0;pwned' || $(ch 7 8238), $evil, 'lrs')" ||
    fail "hostile unmatched key"
# Invalid UTF-8 on lcmtui's command line: the store refuses it on both engines, in one line
# (the error does not echo the bytes), and writes nothing.
nck=$(q "SELECT count(*) FROM checkin")
cmd checkin_invalid checkin "#$evil" --channel call --note "$(printf 'bad \377 \033[2J')"
[ "$rc" = 1 ] || fail "a check-in note with invalid UTF-8 exited $rc"
{ [ "$(wc -l <"$out/checkin_invalid.err.term")" = 1 ] &&
    grep -q "parameter [0-9]* is not valid UTF-8" "$out/checkin_invalid.err.term"; } ||
    fail "invalid UTF-8 refused unclearly: $(cat "$out/checkin_invalid.err.term")"
[ "$(q "SELECT count(*) FROM checkin")" = "$nck" ] || fail "the refused check-in was written"
hmsg=$(q "SELECT id FROM message WHERE error LIKE '550 %'")
ok risk_update risk update

# ---- the command line -------------------------------------------------------------------
ok summary summary
ok risk_list risk list --level all --limit 1000
ok risk_explain risk explain "#$evil"
ok risk_explain_huge risk explain "#$huge"
ok risk_explain_inv risk explain "#$inv"
ok risk_celebrations risk celebrations --limit 1000
ok snooze risk snooze "#$evil" --days 3 --reason "why $H"
ok feedback risk feedback "#$evil" "feedback $H"
ok risk_list_snoozed risk list --level all --limit 1000
ok learners_find learners find Evil
ok learners_show learners show "#$evil"
ok learners_show_huge learners show "#$huge"
ok learners_show_inv learners show "#$inv"
ok learners_unmatched learners unmatched
cmd learners_nomatch learners show "nobody $H"
[ "$rc" = 1 ] || fail "learners show of nobody exited $rc"
cmd usage learners "find$H"
[ "$rc" = 2 ] || fail "an unknown learners command exited $rc"
cmd usage_cmd "no$H"
[ "$rc" = 2 ] || fail "an unknown command exited $rc"
"$LCMTUI" --db "$db" --today "2026$H" summary >"$out/usage_today.term" 2>"$out/usage_today.err.term"
[ $? = 2 ] || fail "a bad --today must be a usage error"
LCMTUI_TODAY="2026$H" "$LCMTUI" --db "$db" summary >"$out/usage_env.term" 2>"$out/usage_env.err.term"
[ $? = 2 ] || fail "a bad LCMTUI_TODAY must be a usage error"
# The learner with invalid UTF-8 in her name gets no message: a template error, exit 1.
# (SQLite only: PostgreSQL holds no such name, and there the sequences succeed.)
seq_rc=$(db_pick 1 0)
cmd sequences_dry sequences --dry-run
[ "$rc" = "$seq_rc" ] || fail "sequences --dry-run exited $rc: $(head -c 600 "$out/sequences_dry.err.term")"
cmd sequences sequences
[ "$rc" = "$seq_rc" ] || fail "sequences exited $rc: $(head -c 600 "$out/sequences.err.term")"
if db_is_pg; then
    [ "$(q "SELECT count(*) FROM message WHERE learner_id = $inv AND status = 'draft'")" -ge 1 ] ||
        fail "sequences made no draft for the learner with the escape in her name"
else
    grep -q "not valid UTF-8" "$out/sequences.err.term" || fail "sequences: $(cat "$out/sequences.err.term")"
fi
ok outbox_list outbox list --limit 1000
ok outbox_list_evil outbox list --learner "#$evil"
for id in $(q "SELECT id FROM message WHERE learner_id IN ($evil, $huge, $inv)"); do
    ok "outbox_show_$id" outbox show "$id"
done
ok outbox_stats outbox stats --by template
ok agenda agenda --days 30
ok agenda_ics agenda --ics --with-notes -o "$out/agenda.ics"
ok agenda_ics_stdout agenda --ics
mv "$out/agenda_ics_stdout.term" "$out/agenda_stdout.ics"
ok agenda_import agenda --import "$tmp/busy.ics" --name "cal$H"
ok agenda_busy agenda --days 7
ok agenda_ics_busy agenda --ics -o "$out/agenda_busy.ics"
cmd import_error import --mapping "$top/data/mappings/example-lms.conf" "$tmp/bad/enrolments.csv"
[ "$rc" = 1 ] || fail "the bad import exited $rc"
grep -q 'unknown value' "$out/import_error.err.term" || fail "import error: $(cat "$out/import_error.err.term")"
for f in md html csv; do
    ok "report_$f" report --format "$f" --learners --private -o "$out/report.$f"
    ok "report_${f}_by" report --format "$f" --by manager --learners -o "$out/report_by.$f"
done
ok report_md_stdout report --learners --private
ok report_csv_semicolon report --format csv --sep ';' --learners --private -o "$out/report_semi.csv"

# A Moodle error text with escape sequences, through sync.
. "$here/lms_fixture.sh"
lms_start "$tmp/port" "$tmp/srv.err" --learners 3 --courses 1 --statements 0
pids="$pids $LMS_PID"
lms_ctl "$LMS_PORT" "fault?kind=hostile"
cat >"$tmp/sync.conf" <<EOF
sync: { timeout = 5.0; connect_timeout = 2.0; retries = 0; };
sources = ({ name = "lms"; type = "moodle"; url = "http://127.0.0.1:$LMS_PORT"; token = "fixture-token-123"; });
EOF
chmod 600 "$tmp/sync.conf"
"$LCMTUI" --config "$tmp/sync.conf" --db "$db" --today 2026-11-28 sync >"$out/sync.term" 2>"$out/sync.err.term"
[ $? = 1 ] || fail "sync against the hostile Moodle should fail"
grep -q "Denied" "$out/sync.err.term" || fail "the Moodle error is not quoted: $(cat "$out/sync.err.term")"
"$LCMTUI" --config "$tmp/sync.conf" --db "$db" --today 2026-11-28 sync --check >"$out/sync_check.term" \
    2>"$out/sync_check.err.term"

# A webhook that answers with escape sequences: the error line quotes the reply.
HOOK_PORT=$(free_port)
cat >"$tmp/hook.py" <<'PYEOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(400)
        self.end_headers()
        self.wfile.write("bad\x1b]0;pwned\x07 \u009b2J \u202eevil\r\nX".encode() + b"\xff")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PYEOF
$PY "$tmp/hook.py" "$HOOK_PORT" &
pids="$pids $!"
i=0
until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $HOOK_PORT)))"; do
    i=$((i + 1))
    [ $i -le 200 ] || fail "the webhook server did not start"
    sleep 0.05
done
printf 'webhook: { url_env = "E2E_HOOK"; };\n' >"$tmp/hook.conf"
chmod 600 "$tmp/hook.conf"
E2E_HOOK="http://127.0.0.1:$HOOK_PORT/hooks/x" "$LCMTUI" --config "$tmp/hook.conf" --db "$db" \
    post "hello $H" >"$out/post.term" 2>"$out/post.err.term" && fail "post to a 400 must fail"
grep -q "bad" "$out/post.err.term" || fail "the webhook reply is not quoted: $(cat "$out/post.err.term")"

# An invitation to the hostile call: its iCalendar part is checked as a file.
fid=$(q "SELECT id FROM followup WHERE uid = 'hostile-1@lcm.example'")
ok invite agenda --invite "$fid" --draft
q "SELECT att_data FROM message WHERE id = (SELECT max(id) FROM message)" >"$tmp/invite.ics"
$PY -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d[:-1] if d.endswith(b"\n") else d)' \
    "$tmp/invite.ics" "$out/invite.ics"
grep -q "METHOD:REQUEST" "$out/invite.ics" || fail "no invitation"
ok merge_dry learners merge "#$huge" "#$evil" --dry-run

# Mail: the hostile learners' drafts sent to aiosmtpd. Inject's (CR LF Bcc) is refused; the
# others go out with clean, folded headers.
$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$tmp/box" \
    >"$tmp/smtp.log" 2>&1 &
pids="$pids $!"
i=0
until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $SMTP_PORT)))"; do
    i=$((i + 1))
    [ $i -le 200 ] || fail "aiosmtpd did not start: $(cat "$tmp/smtp.log")"
    sleep 0.05
done
q "UPDATE message SET status = 'skipped' WHERE status IN ('draft', 'queued')
     AND learner_id NOT IN ($evil, $huge, $(q "SELECT id FROM learner WHERE ext_id = '902'"))"
[ "$(q "SELECT count(*) FROM message WHERE status = 'draft'")" -ge 2 ] ||
    fail "the sequences made no draft for the hostile learners"
ok approve outbox approve --all
cmd send outbox send
sent=$(q "SELECT count(*) FROM message WHERE status = 'sent'")
[ "$sent" -ge 1 ] || fail "no message sent: $(cat "$out/send.err.term")"
[ "$(ls "$tmp/box/new" | wc -l)" = "$sent" ] || fail "the server got $(ls "$tmp/box/new" | wc -l), $sent sent"
# The CR LF name: cleaned to one line in To (a space), the mail sent; the checker below finds
# no header the data made in any delivered mail.
st=$(q "SELECT status FROM message m JOIN learner l ON l.id = m.learner_id WHERE l.ext_id = '902'")
[ "$st" = sent ] || fail "the mail to the learner with a CR LF name: $st"
grep -l "crlf@example.org" "$tmp/box/new/"* >/dev/null 2>&1 || fail "the CR LF name's mail did not arrive"
for m in "$tmp/box/new/"*; do # the header part only: a body line may quote the name
    awk '/^\r?$/ { exit } { print }' "$m" | grep -q "^Bcc:" && fail "a delivered mail has a Bcc header: $m"
done
ok outbox_list_sent outbox list --limit 1000

# ---- the TUI ----------------------------------------------------------------------------
# Headless: the overview on the hostile learner, her detail, the composer, the agenda, the
# outbox and the KPI panes (each screen dumped), at 80x24 and 160x50.
printf '/ Evil <Enter> <Dump> <Enter> <Dump> c <Dump> <Esc> s <Dump> <Esc> z <Dump> <Esc> m <Dump> <Esc> q a <Dump> q O <Dump> q K <Dump> Q\n' >"$tmp/keys"
printf '/ Inv <Enter> <Dump> <Enter> <Dump> q / Huge <Enter> <Enter> <Dump> Q\n' >"$tmp/keys2"
printf 'x / hyperlink <Enter> <Enter> <Dump> c <Dump> <Esc> m <Dump> <Esc> Q\n' >"$tmp/keys3"
for size in 80x24 160x50; do
    for k in keys keys2 keys3; do
        LCMTUI_SIZE=$size LCMTUI_SCRIPT="$tmp/$k" "$LCMTUI" --config "$tmp/config" --db "$db" \
            --today 2026-11-28 >"$out/tui_${k}_$size.term" 2>"$out/tui_${k}_$size.err.term" ||
            fail "TUI script $k at $size: $(cat "$out/tui_${k}_$size.err.term")"
    done
done
grep -q "Inject" "$out/tui_keys_160x50.term" || fail "the TUI did not show the CR LF learner"
grep -q "Note" "$out/tui_keys3_160x50.term" || fail "the TUI did not show the hostile check-in note"
grep -q "Huge" "$out/tui_keys2_160x50.term" || fail "the TUI did not show the 100 kB name"

# A real terminal: tmux records every byte the TUI writes (pipe-pane); none of the data's
# sequences may be among them (the TUI's own escape sequences are, of course).
if command -v tmux >/dev/null; then
    tmux -L "$sock" -f /dev/null new-session -d -s h -x 120 -y 40 \
        "LC_ALL=C.UTF-8 LANGUAGE=en $LCMTUI --config $tmp/config --db '$db' --today 2026-11-28; sleep 30" ||
        fail "tmux"
    tmux -L "$sock" pipe-pane -o -t h "cat >>$out/tmux.raw"
    tsock=$sock
    session=h
    . "$here/tmux.sh"
    wait_for "Enter open"
    for k in / E v i l Enter; do keys "$k"; done
    wait_for "Evil"
    keys Enter
    wait_for "Timeline"
    for k in q a; do keys "$k"; done
    wait_for "Call"
    for k in q O; do keys "$k"; done
    wait_for "Subject"
    keys Q
    i=0
    while tmux -L "$sock" list-panes -t h -F '#{pane_current_command}' 2>/dev/null | grep -q lcmtui; do
        i=$((i + 1))
        [ $i -le 200 ] || fail "tmux: lcmtui did not quit"
        sleep 0.05
    done
    screen >"$out/tmux_screen.term"
fi

# ---- the bytes ----------------------------------------------------------------------------
# Each command printed the hostile learner (else the check below proves nothing).
for n in learners_unmatched risk_list risk_explain learners_find learners_show outbox_list "outbox_show_$hmsg" agenda; do
    grep -q -e Evil -e HYPERLINK -e Call -e Subject "$out/$n.term" || fail "$n did not show the hostile learner: $(head -c 400 "$out/$n.term")"
done
grep -q "Meeting" "$out/agenda_busy.term" || fail "the hostile busy time is not in the agenda"
grep -q "Denied" "$out/sync.err.term" || fail "sync error"
$PY "$here/hostile_check.py" "$out" "$tmp/box/new" || fail "hostile bytes got through (above)"
# The data made visible where a person reads it: the CSI as ^[[2J, the C1 CSI as \x9B, the
# override as \u202E; invalid bytes as \xFF.
grep -qF '^[[2J^[[31m^[]0;pwned^G\x9B31m\x9D0;t\x9C\u202A' "$out/learners_show.term" ||
    fail "learners show does not show the controls made visible"
if db_is_pg; then
    grep -qF 'Inv^[[1m' "$out/learners_show_inv.term" || fail "the escape in the name not made visible"
else
    grep -qF 'Inv\xFF^[[1m' "$out/learners_show_inv.term" || fail "invalid UTF-8 not made visible"
fi
[ "$(q "SELECT count(*) FROM learner")" -gt 3 ] || fail "the SQL metacharacters did something"
echo "e2e_hostile: ok ($DB_ENGINE)"
