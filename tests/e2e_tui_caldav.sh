#!/bin/sh
# e2e_tui_caldav.sh — the TUI pushes follow-ups to a real CalDAV server (Debian's radicale on
# 127.0.0.1, a free port, an htpasswd user, a calendar made with MKCALENDAR) in the background:
# a call scheduled in the headless TUI is on the server afterwards, at the typed time, and the
# status line shows the push; cancelling it in the agenda deletes it from the server.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-tuicaldav-XXXXXX")
trap 'stop_server; rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui_caldav: FAIL: $*" >&2
    [ -f "$tmp/radicale.log" ] && tail -5 "$tmp/radicale.log" >&2
    exit 1
}
. "$(dirname "$0")/radicale.sh"
export LC_ALL=C.UTF-8
radicale_setup
start_server
make_calendar

cat >"$tmp/config" <<EOF
calendar: { url = "$cal"; user = "lcm"; password_env = "E2E_CALDAV_PW"; timeout = 5; };
sync: { auto_hours = 0; };
EOF
chmod 600 "$tmp/config"
export E2E_CALDAV_PW=s3cr3t-pw
db=$(db_target "$tmp/lcmtui.db")
at=$(date -u -d "2026-12-01 15:30" +%s)
run() { "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }
sql() { db_query "$db" "$1"; }
run demo >/dev/null || fail "lcmtui demo failed"
run agenda --push >"$tmp/push.out" 2>&1 || fail "first push of the demo follow-ups failed: $(tail -3 "$tmp/push.out")"

# 1. Schedule a call for Marty on Tue 1 Dec 15:30 (UTC) in the TUI: pushed in the background.
printf '/ Marty <Enter> s 01/12/2026 <Space> 15:30 <Enter> Q\n' >"$tmp/s.keys"
LCMTUI_SCRIPT="$tmp/s.keys" run >"$tmp/s.out" 2>"$tmp/err" || fail "TUI run: $(cat "$tmp/err")"
id=$(sql "SELECT id FROM followup WHERE kind = 'call' AND due_at = $at")
[ -n "$id" ] || fail "the call was not saved"
grep -q "calendar pushed: 1 created" "$tmp/s.out" || fail "no push result on the status line: $(tail -2 "$tmp/s.out")"
uid=$(sql "SELECT uid FROM followup WHERE id = $id")
href="$cal$(printf '%s' "$uid" | sed 's/@/%40/').ics"
dav "$href" | tr -d '\r' >"$tmp/ev" || fail "GET the event"
grep -q "^UID:$uid$" "$tmp/ev" || fail "the server does not hold the new call: $(head -5 "$tmp/ev")"
grep -q '^DTSTART:20261201T153000Z$' "$tmp/ev" || fail "wrong DTSTART: $(grep DTSTART "$tmp/ev")"
[ "$(sql "SELECT push_state FROM followup WHERE id = $id")" = clean ] || fail "still dirty after the push"

# 2. Cancel it in the agenda (X twice on its line): deleted from the server.
printf 'a g\n' >"$tmp/c.keys"
n=$(LCMTUI_SCRIPT="$tmp/c.keys" LCMTUI_SIZE=120x80 run 2>/dev/null | grep -n "Tue 01/12 15:30" | head -1 | cut -d: -f1)
[ -n "$n" ] || fail "the call is not in the agenda"
printf 'a g\n' >"$tmp/c.keys"
# walk down until the cursor is on the call: the agenda lists follow-ups in order
pos=$(sql "SELECT count(*) FROM followup WHERE status = 'planned' AND (due_at < $at OR (due_at = $at AND id < $id))")
k=0
while [ "$k" -lt "$pos" ]; do printf 'j\n' >>"$tmp/c.keys"; k=$((k + 1)); done
printf 'X X Q\n' >>"$tmp/c.keys"
LCMTUI_SCRIPT="$tmp/c.keys" run >"$tmp/c.out" 2>"$tmp/err" || fail "cancel run: $(cat "$tmp/err")"
[ "$(sql "SELECT status FROM followup WHERE id = $id")" = cancelled ] ||
    fail "the call was not cancelled: $(grep -a 'cancel' "$tmp/c.out" | head -2)"
grep -q "calendar pushed: 0 created, 0 updated, 1 deleted" "$tmp/c.out" || fail "no delete push: $(tail -2 "$tmp/c.out")"
code=$(dav -o /dev/null -w '%{http_code}' "$href")
[ "$code" = 404 ] || fail "the cancelled call is still on the server ($code)"
echo "e2e_tui_caldav: ok"; exit 0
