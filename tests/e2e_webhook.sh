#!/bin/sh
# e2e_webhook.sh — `lcmtui post` against a real HTTP server on 127.0.0.1 standing in for a
# Slack/Mattermost incoming webhook: the JSON that arrives, the URL read from url_env, an
# error that names the host but never the secret path, nothing sent without a URL.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-webhook-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_webhook: FAIL: $*" >&2; exit 1; }
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tmp/server.py" <<'PYEOF'
import http.server, sys
out = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/hooks/T000/B000/s3cr3tt0ken":
            self.send_response(404); self.end_headers(); self.wfile.write(b"no_such_hook"); return
        with open(out, "ab") as f:
            f.write(self.headers.get("Content-Type", "").encode() + b"\n" + body + b"\n")
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PYEOF
$PY "$tmp/server.py" "$port" "$tmp/posts" &
pid=$!
i=0
until $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; do
    i=$((i + 1)); [ $i -le 200 ] || fail "the server did not listen"; sleep 0.05
done
cat >"$tmp/config" <<EOF
webhook: { url_env = "E2E_HOOK"; username = "Claire (LCM)"; channel = "#cohorte-b2"; };
EOF
chmod 600 "$tmp/config"
db=$(db_target "$tmp/db")
run() { "$LCMTUI" --config "$tmp/config" --db "$db" "$@"; }

E2E_HOOK="http://127.0.0.1:$port/hooks/T000/B000/s3cr3tt0ken" \
    run post "Question de la semaine : « to be used to » ou « to use to » ?" >/dev/null ||
    fail "post failed"
$PY - "$tmp/posts" <<'PYEOF' || fail "unexpected post: $(cat "$tmp/posts")"
import json, sys
ctype, body = open(sys.argv[1], encoding="utf-8").read().splitlines()[:2]
assert ctype == "application/json", ctype
o = json.loads(body)
assert o == {"text": "Question de la semaine : « to be used to » ou « to use to » ?",
             "username": "Claire (LCM)", "channel": "#cohorte-b2"}, o
PYEOF
E2E_HOOK="http://127.0.0.1:$port/hooks/T000/B000/wrong" run outbox post "x" 2>"$tmp/err" &&
    fail "a 404 must fail"
grep -q "127.0.0.1:$port" "$tmp/err" || fail "error does not name the host: $(cat "$tmp/err")"
grep -q "B000" "$tmp/err" && fail "error leaks the webhook path: $(cat "$tmp/err")"
"$LCMTUI" --db "$db" post "x" 2>"$tmp/err" && fail "posting without a URL must fail"
grep -q "webhook.url is not set" "$tmp/err" || fail "unclear error: $(cat "$tmp/err")"
exit 0
