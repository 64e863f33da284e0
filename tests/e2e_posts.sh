#!/bin/sh
# e2e_posts.sh — scheduled posts to the cohorts' channels (issue 20) against a real HTTP server
# on 127.0.0.1 standing for the chat webhooks: a post drafted with --at leaves at its time and
# not before, once approved; a 500 is retried after the back-off, a 429's Retry-After is
# honoured; re-running `outbox send` posts nothing twice, and a post left `sending` by a dead
# run is not posted again; each cohort's post goes to its own channel (its `webhooks` entry,
# else its programme's, else `webhook`), with a Slack/Mattermost-shaped JSON body; the content
# calendar's files are drafted by `sequences` once per content, a bad front matter is one
# warning naming the file and line; hostile text never reaches the terminal raw.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-posts-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_posts: FAIL: $*" >&2; exit 1; }
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The server answers each path with the statuses listed in the file plan (one "PATH STATUS
# [RETRY-AFTER]" a line, used in order), then 200; every request is logged as one JSON line.
cat >"$tmp/server.py" <<'PYEOF'
import http.server, json, sys
log, plan_file = sys.argv[2], sys.argv[3]
used = {}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        plan = [l.split() for l in open(plan_file) if l.strip()]
        mine = [p for p in plan if p[0] == self.path]
        k = used.get(self.path, 0)
        used[self.path] = k + 1
        status, ra = (int(mine[k][1]), mine[k][2] if len(mine[k]) > 2 else None) if k < len(mine) else (200, None)
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"path": self.path, "status": status,
                                "ctype": self.headers.get("Content-Type", ""),
                                "body": json.loads(body)}) + "\n")
        self.send_response(status)
        if ra:
            self.send_header("Retry-After", ra)
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"\x1b[31mboom\x1b[0m")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PYEOF
: >"$tmp/plan"
: >"$tmp/log"
$PY "$tmp/server.py" "$port" "$tmp/log" "$tmp/plan" &
pid=$!
i=0
until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; do
    i=$((i + 1)); [ $i -le 200 ] || fail "the server did not listen"; sleep 0.05
done
hook="http://127.0.0.1:$port/hooks"
mkdir "$tmp/posts"
cat >"$tmp/cfg" <<EOF
webhook: { url_env = "E2E_HOOK"; username = "Claire (LCM)"; retry_base = 60; max_attempts = 3; };
webhooks = (
  { cohort = "FR-B1"; url_env = "E2E_HOOK_B1"; channel = "#fr-b1"; },
  { program = "ENG"; url_env = "E2E_HOOK_ENG"; channel = "#anglais"; },
  { cohort = "PY-1"; url_env = "E2E_HOOK_PY"; }
);
posts: { dir = "$tmp/posts"; lead_days = 2; };
EOF
chmod 600 "$tmp/cfg"
export E2E_HOOK="$hook/default/s3cr3t" E2E_HOOK_B1="$hook/b1/s3cr3t" E2E_HOOK_ENG="$hook/eng/s3cr3t"
export E2E_HOOK_PY="$hook/py/s3cr3t"
db=$(db_target "$tmp/db")
run() { LANGUAGE=en "$LCMTUI" --config "$tmp/cfg" --db "$db" "$@"; }
q() { db_query "$db" "$1"; }
posts_to() { grep -c "\"path\": \"/hooks/$1/s3cr3t\"" "$tmp/log"; }
status_of() { q "SELECT status FROM message WHERE id = $1"; }

run outbox list >/dev/null || fail "cannot create the store"
q "INSERT INTO program(source, ext_id, name) VALUES ('t', 'ENG', 'Anglais B2'), ('t', 'DEV', 'Python')"
q "INSERT INTO cohort(program_id, source, ext_id, name) SELECT id, 't', 'FR-B1', 'Cohorte B1' FROM program WHERE ext_id = 'ENG'"
q "INSERT INTO cohort(program_id, source, ext_id, name) SELECT id, 't', 'FR-B2', 'Cohorte B2' FROM program WHERE ext_id = 'ENG'"
q "INSERT INTO cohort(program_id, source, ext_id, name) SELECT id, 't', 'PY-1', 'Python 1' FROM program WHERE ext_id = 'DEV'"

# Thursday 2026-12-03 10:00: one post for Monday 9h, one for now (to FR-B2: its programme's channel).
T0="2026-12-03 10:00"
run --today "$T0" post --cohort FR-B1 --at "lundi 9h" "Question de la semaine : « used to » ?" >"$tmp/o1" ||
    fail "post --at: $(cat "$tmp/o1")"
grep -q "^post #1 drafted for #Cohorte B1, not before 2026-12-07 09:00; approve it" "$tmp/o1" ||
    fail "unexpected: $(cat "$tmp/o1")"
printf 'Débat\n\033[31mrouge\033]0;pwned\007 fin' >"$tmp/text"
run --today "$T0" post --cohort "Cohorte B2" --title "Débat du jeudi" --file "$tmp/text" >/dev/null ||
    fail "post --file"
run --today "$T0" post --program DEV "Bienvenue" >/dev/null || fail "post --program"
# refused before anything is stored
run post --cohort FR-B1 --title "$(printf 'a\033[2Jb')" "x" 2>"$tmp/err" && fail "a title with ESC"
run post --cohort NOPE "x" 2>"$tmp/err" && fail "an unknown cohort"
grep -q 'cohort "NOPE" not found' "$tmp/err" || fail "unclear: $(cat "$tmp/err")"
run post --at "lundi 9h" "x" 2>/dev/null && fail "--at without --cohort must be a usage error"
[ "$(q "SELECT count(*) FROM message")" -eq 3 ] || fail "a refused post was stored"

# Drafts are not sent; once approved, each at or after its time.
echo "/hooks/eng/s3cr3t 500" >>"$tmp/plan"
echo "/hooks/default/s3cr3t 429 600" >>"$tmp/plan"
run --today "$T0" outbox send >"$tmp/s0" 2>&1 || fail "send with drafts only: $(cat "$tmp/s0")"
[ -s "$tmp/log" ] && fail "a draft was posted: $(cat "$tmp/log")"
run outbox approve --all >/dev/null || fail "approve"
run --today "$T0" outbox send >"$tmp/s1" 2>&1 && fail "a retry must exit 1"
grep -q "sent 0, retry later 2, failed 0" "$tmp/s1" || fail "first send: $(cat "$tmp/s1")"
[ "$(posts_to eng)" -eq 1 ] && [ "$(posts_to default)" -eq 1 ] && [ "$(posts_to b1)" -eq 0 ] ||
    fail "first send posted: $(cat "$tmp/log")"
grep -q "s3cr3t" "$tmp/s1" && fail "the webhook URL leaked: $(cat "$tmp/s1")"
$PY -c 'import sys; sys.exit(b"\x1b" in open(sys.argv[1], "rb").read())' "$tmp/s1" ||
    fail "the server's escape sequences reached the terminal"
[ "$(status_of 2)" = queued ] && [ "$(status_of 3)" = queued ] || fail "not back to queued"
# 500: the back-off (retry_base 60 s); 429: its Retry-After (600 s)
[ "$(q "SELECT next_attempt_at - $(q "SELECT updated_at FROM message WHERE id = 2") FROM message WHERE id = 2")" -eq 60 ] ||
    fail "500 back-off: $(q "SELECT next_attempt_at, updated_at, error FROM message WHERE id = 2")"
[ "$(q "SELECT next_attempt_at - updated_at FROM message WHERE id = 3")" -eq 600 ] ||
    fail "429 Retry-After not honoured: $(q "SELECT next_attempt_at, updated_at FROM message WHERE id = 3")"
# the same minute: nothing is due again
run --today "$T0" outbox send >"$tmp/s2" 2>&1
[ "$(wc -l <"$tmp/log")" -eq 2 ] || fail "resent before the back-off: $(cat "$tmp/log")"
# two minutes later the 500 is retried and goes; the 429 waits its 10 minutes
run --today "2026-12-03 10:02" outbox send >"$tmp/s3" 2>&1 || fail "second send: $(cat "$tmp/s3")"
grep -q "sent 1, retry later 0" "$tmp/s3" || fail "second send: $(cat "$tmp/s3")"
[ "$(posts_to eng)" -eq 2 ] && [ "$(posts_to default)" -eq 1 ] || fail "10:02: $(cat "$tmp/log")"
[ "$(status_of 2)" = sent ] || fail "#2 is $(status_of 2)"
run --today "2026-12-03 10:11" outbox send >/dev/null 2>&1 || fail "third send"
[ "$(posts_to default)" -eq 2 ] && [ "$(status_of 3)" = sent ] || fail "429 not retried"
# running send again posts nothing twice
run --today "2026-12-03 10:30" outbox send >"$tmp/s4" 2>&1 || fail "fourth send"
grep -q "sent 0, retry later 0, failed 0" "$tmp/s4" || fail "fourth send: $(cat "$tmp/s4")"
[ "$(wc -l <"$tmp/log")" -eq 4 ] || fail "posted twice: $(cat "$tmp/log")"
# Monday 8:59: not yet; 9:00: it leaves, to its cohort's own channel
run --today "2026-12-07 08:59" outbox send >/dev/null 2>&1 || fail "send 8:59"
[ "$(posts_to b1)" -eq 0 ] || fail "posted before its time"
[ "$(status_of 1)" = queued ] || fail "#1 is $(status_of 1)"
run --today "2026-12-07 09:00" outbox send >/dev/null 2>&1 || fail "send 9:00"
[ "$(posts_to b1)" -eq 1 ] && [ "$(status_of 1)" = sent ] || fail "not posted at its time"
run --today "2026-12-07 09:05" outbox send >/dev/null 2>&1 || fail "send 9:05"
[ "$(wc -l <"$tmp/log")" -eq 5 ] || fail "posted twice: $(cat "$tmp/log")"
[ "$(q "SELECT sent_at FROM message WHERE id = 1")" -eq "$(q "SELECT not_before FROM message WHERE id = 1")" ] ||
    fail "sent_at is not 9:00"

# The payloads: Slack/Mattermost JSON, each channel's settings, control characters dropped.
$PY - "$tmp/log" <<'PYEOF' || fail "unexpected payloads: $(cat "$tmp/log")"
import json, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ok = [g for g in got if g["status"] == 200]
by = {g["path"].split("/")[2]: g for g in ok}
assert all(g["ctype"] == "application/json" for g in got), got
assert by["b1"]["body"] == {"text": "Question de la semaine : « used to » ?",
                            "username": "Claire (LCM)", "channel": "#fr-b1"}, by["b1"]
assert by["eng"]["body"] == {"text": "Débat\n[31mrouge]0;pwned fin",
                             "username": "Claire (LCM)", "channel": "#anglais"}, by["eng"]
assert by["default"]["body"] == {"text": "Bienvenue", "username": "Claire (LCM)"}, by["default"]
# the 500 then 200 carried the same post
e = [g for g in got if g["path"].startswith("/hooks/eng/")]
assert [g["status"] for g in e] == [500, 200] and e[0]["body"] == e[1]["body"], e
PYEOF

# A run that died between the POST and the mark: the post stays out, failed "unknown:".
run --today "2026-12-07 10:00" post --cohort FR-B2 "Relance" >/dev/null || fail "post 4"
run outbox approve 4 >/dev/null || fail "approve 4"
q "UPDATE message SET status = 'sending', attempts = 1 WHERE id = 4"
run --today "2026-12-07 10:00" outbox send >"$tmp/s5" 2>&1 && fail "an interrupted post must exit 1"
[ "$(status_of 4)" = failed ] || fail "#4 is $(status_of 4)"
q "SELECT error FROM message WHERE id = 4" | grep -q "^unknown:" || fail "no unknown: error"
[ "$(wc -l <"$tmp/log")" -eq 5 ] || fail "an interrupted post was posted again"

# The list and the show: posts with their channel, hostile text made visible, never raw.
run outbox list >"$tmp/list" 2>&1 || fail "list"
grep -Eq "^ +2  sent +2026-12-03 10:02  post +#Cohorte B2 +Débat du jeudi" "$tmp/list" ||
    fail "list: $(cat "$tmp/list")"
grep -Eq "^ +1  sent +2026-12-07 09:00  post +#Cohorte B1 +Question de la semaine" "$tmp/list" ||
    fail "list: $(cat "$tmp/list")"
run outbox show 2 >"$tmp/show" 2>&1 || fail "show"
grep -q "^To: #Cohorte B2$" "$tmp/show" || fail "show: $(cat "$tmp/show")"
$PY -c 'import sys; d = open(sys.argv[1], "rb").read() + open(sys.argv[2], "rb").read(); sys.exit(b"\x1b" in d or b"\x07" in d)' \
    "$tmp/list" "$tmp/show" || fail "raw escape sequences in outbox list/show"

# The content calendar: files due within lead_days drafted once, a later one waits, a bad one
# is named with its line and the others go on.
cat >"$tmp/posts/01-lunch.md" <<'EOF'
---
# Learning Lunch du jeudi
at: 2026-12-10 09:00
cohort: FR-B1
title: "Learning Lunch"
---

Learning Lunch jeudi 12h30, salle 4 : venez nombreux !
EOF
printf -- '---\nat: 2026-12-09 09:00\ncohort: FR-B2\nplace: salle 4\n---\nx\n' >"$tmp/posts/02-bad.md"
printf -- '---\nat: 2027-01-04 09:00\nprogram: ENG\n---\nBonne année !\n' >"$tmp/posts/03-later.md"
printf 'not a post' >"$tmp/posts/notes.org"
run --today "2026-12-08 10:00" sequences >"$tmp/q1" 2>"$tmp/q1.err" && fail "a bad file must exit 1"
grep -q "posts: 1 drafted from the calendar, 1 later, 1 files with errors" "$tmp/q1" ||
    fail "calendar: $(cat "$tmp/q1" "$tmp/q1.err")"
[ "$(grep -c "02-bad.md" "$tmp/q1.err")" -eq 1 ] || fail "one line for the bad file: $(cat "$tmp/q1.err")"
grep -q '02-bad.md:4: unknown key "place"' "$tmp/q1.err" || fail "file:line: $(cat "$tmp/q1.err")"
id=$(q "SELECT id FROM message WHERE rule = 'calendar'")
[ -n "$id" ] || fail "nothing drafted from the calendar"
[ "$(q "SELECT status || '|' || subject FROM message WHERE id = $id")" = "draft|Learning Lunch" ] ||
    fail "calendar draft: $(q "SELECT status, subject FROM message WHERE id = $id")"
[ "$(q "SELECT body FROM message WHERE id = $id")" = "Learning Lunch jeudi 12h30, salle 4 : venez nombreux !" ] ||
    fail "calendar body: $(q "SELECT body FROM message WHERE id = $id")"
n=$(q "SELECT count(*) FROM message")
run --today "2026-12-08 11:00" sequences >"$tmp/q2" 2>/dev/null
[ "$(q "SELECT count(*) FROM message")" -eq "$n" ] || fail "a file was drafted twice"
# a changed file is drafted again, with a warning naming the earlier post
printf '\nEt apportez vos questions.\n' >>"$tmp/posts/01-lunch.md"
run --today "2026-12-08 12:00" sequences >"$tmp/q3" 2>"$tmp/q3.err"
[ "$(q "SELECT count(*) FROM message WHERE rule = 'calendar'")" -eq 2 ] || fail "a changed file not drafted again"
grep -q "01-lunch.md changed since post #$id was drafted from it" "$tmp/q3.err" ||
    fail "no warning for the changed file: $(cat "$tmp/q3.err")"
# approved, it goes at its time through FR-B1's channel
run outbox approve "$id" >/dev/null || fail "approve calendar post"
run --today "2026-12-10 08:59" outbox send >/dev/null 2>&1
[ "$(posts_to b1)" -eq 1 ] || fail "calendar post sent early"
run --today "2026-12-10 09:00" outbox send >/dev/null 2>&1
[ "$(posts_to b1)" -eq 2 ] && [ "$(status_of "$id")" = sent ] || fail "calendar post not sent"

# Posts are not outreach to a learner: the outreach effect leaves them out.
run --today 2026-12-20 outbox stats --by rule >"$tmp/st" 2>&1 || fail "stats: $(cat "$tmp/st")"
grep -q "calendar" "$tmp/st" && fail "a post counted in the outreach effect: $(cat "$tmp/st")"

# Failures: a server that refuses the connection is retried (its host named, never its
# path); three 503 in a row fail the post (max_attempts 3, after 60 then 120 s); a 400 fails
# it at once, and `outbox retry` sends it again.
closed=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
T1="2026-12-11 10"
run --today "$T1:00" post --cohort PY-1 "Refusé puis passé" >/dev/null || fail "post py 1"
a=$(q "SELECT max(id) FROM message")
run outbox approve "$a" >/dev/null || fail "approve $a"
E2E_HOOK_PY="http://127.0.0.1:$closed/hooks/py/s3cr3t" run --today "$T1:00" outbox send >"$tmp/r1" 2>&1 &&
    fail "a refused connection must exit 1"
[ "$(q "SELECT status || '|' || attempts FROM message WHERE id = $a")" = "queued|1" ] ||
    fail "refused: $(q "SELECT status, attempts, error FROM message WHERE id = $a")"
grep -q "127.0.0.1:$closed" "$tmp/r1" || fail "the host is not named: $(cat "$tmp/r1")"
grep -q "s3cr3t" "$tmp/r1" && fail "the URL leaked: $(cat "$tmp/r1")"
run --today "$T1:01" outbox send >/dev/null 2>&1 || fail "after the refusal"
[ "$(status_of "$a")" = sent ] && [ "$(posts_to py)" -eq 1 ] || fail "not sent after the refusal"
printf '/hooks/py/s3cr3t 200\n/hooks/py/s3cr3t 503\n/hooks/py/s3cr3t 503\n/hooks/py/s3cr3t 503\n/hooks/py/s3cr3t 400\n' >>"$tmp/plan"
run --today "$T1:05" post --cohort PY-1 "Trois 503" >/dev/null && b=$(q "SELECT max(id) FROM message")
run outbox approve "$b" >/dev/null || fail "approve $b"
run --today "$T1:05" outbox send >/dev/null 2>&1
run --today "$T1:06" outbox send >/dev/null 2>&1
[ "$(q "SELECT status || '|' || attempts FROM message WHERE id = $b")" = "queued|2" ] ||
    fail "second 503: $(q "SELECT status, attempts FROM message WHERE id = $b")"
run --today "$T1:07" outbox send >/dev/null 2>&1
[ "$(posts_to py)" -eq 3 ] || fail "retried before its 120 s back-off"
run --today "$T1:08" outbox send >"$tmp/r2" 2>&1 && fail "a post given up must exit 1"
[ "$(status_of "$b")" = failed ] || fail "three 503: $(status_of "$b")"
q "SELECT error FROM message WHERE id = $b" | grep -q "^gave up after 3 attempts: webhook 127.0.0.1:$port: HTTP 503" ||
    fail "error: $(q "SELECT error FROM message WHERE id = $b")"
run --today "$T1:10" post --cohort PY-1 "Un 400" >/dev/null && c=$(q "SELECT max(id) FROM message")
run outbox approve "$c" >/dev/null || fail "approve $c"
run --today "$T1:10" outbox send >/dev/null 2>&1 && fail "a 400 must exit 1"
[ "$(q "SELECT status || '|' || attempts FROM message WHERE id = $c")" = "failed|1" ] ||
    fail "a 400 is not failed at once: $(q "SELECT status, attempts FROM message WHERE id = $c")"
run outbox retry "$c" >/dev/null || fail "retry $c"
run --today "$T1:11" outbox send >/dev/null 2>&1 || fail "send after retry"
[ "$(status_of "$c")" = sent ] && [ "$(posts_to py)" -eq 6 ] || fail "not sent after outbox retry"

# Without any URL a post stays queued, untried, and says why.
run --today "2026-12-10 12:00" post --program DEV "y" >/dev/null && run outbox approve --all >/dev/null
E2E_HOOK="" run --today "2026-12-10 12:00" outbox send >"$tmp/s6" 2>&1 && fail "a waiting post must exit 1"
grep -q "stays queued" "$tmp/s6" || fail "no reason: $(cat "$tmp/s6")"
[ "$(q "SELECT count(*) FROM message WHERE status = 'queued' AND attempts = 0")" -ge 1 ] ||
    fail "a post without URL was claimed"
exit 0
