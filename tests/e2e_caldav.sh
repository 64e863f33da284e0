#!/bin/sh
# e2e_caldav.sh — `lcmtui agenda --push` against a real CalDAV server: Debian's radicale on
# 127.0.0.1 (a free port), an htpasswd user, a calendar made with MKCALENDAR. Creates,
# reschedules, cancels calls and checks with GET/REPORT what the server holds; a conflict
# (412) kept then forced; the server stopped mid-way: nothing lost, pushed after a restart.
# Follow-ups are changed with the same SQL as store_followup_move/_set_status (as the TUI
# would) through the sqlite3 CLI (psql on PostgreSQL: tests/db.sh).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-caldav-XXXXXX")
trap 'stop_server; rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_caldav: FAIL: $*" >&2
    [ -f "$tmp/radicale.log" ] && tail -5 "$tmp/radicale.log" >&2
    exit 1
}
. "$(dirname "$0")/radicale.sh"
radicale_setup
start_server
make_calendar

cat >"$tmp/config" <<EOF
general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "en"; };
calendar: {
  url = "$cal";
  user = "lcm";
  password_env = "E2E_CALDAV_PW";
  timezone = "Europe/Paris";
  alarm_minutes = 10;
  timeout = 5;
};
EOF
chmod 600 "$tmp/config"
export E2E_CALDAV_PW=s3cr3t-pw
db=$(db_target "$tmp/lcmtui.db")
run() { "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }
sql() { db_query "$db" "$1"; }

run demo >/dev/null || fail "lcmtui demo failed"
n=$(sql "SELECT count(*) FROM followup WHERE status <> 'cancelled'")
[ "$n" -ge 3 ] || fail "the demo has $n follow-ups, expected at least 3"
uid_of() { sql "SELECT uid FROM followup WHERE id = $1"; }
href_of() { printf '%s%s.ics' "$cal" "$(uid_of "$1" | sed 's/@/%40/')"; }

# REPORT calendar-query: the UIDs the server holds, sorted.
server_uids() {
    dav -X REPORT -H 'Depth: 1' -H 'Content-Type: application/xml' --data \
        '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter></c:calendar-query>' \
        "$cal" | tr -d '\r' | sed -n 's/^UID:\(.*\)$/\1/p' | sort
}

# 1. Create: every follow-up is PUT.
out=$(run agenda --push 2>&1) || fail "first push failed: $out"
echo "$out" | grep -q "caldav: $n created, 0 updated" || fail "first push: $out"
[ "$(server_uids | wc -l)" -eq "$n" ] || fail "server holds $(server_uids | wc -l) events, expected $n"
[ "$(server_uids)" = "$(sql "SELECT uid FROM followup ORDER BY uid" | sort)" ] || fail "UIDs differ"
[ "$(sql "SELECT count(*) FROM followup WHERE push_state = 'dirty' OR etag IS NULL")" = 0 ] ||
    fail "follow-ups still dirty or without ETag after a push"
dav "$(href_of 3)" | tr -d '\r' >"$tmp/ev3" || fail "GET 3"
grep -q '^SEQUENCE:0$' "$tmp/ev3" || fail "event 3 has no SEQUENCE:0"
grep -q '^DTSTART;TZID=Europe/Paris:' "$tmp/ev3" || fail "event 3 is not in Europe/Paris"
grep -q '^BEGIN:VALARM$' "$tmp/ev3" || fail "event 3 has no alarm"
grep -q '^METHOD' "$tmp/ev3" && fail "a CalDAV resource must not have METHOD"
out=$(run agenda --push 2>&1) || fail "idle push failed: $out"
echo "$out" | grep -q "0 created, 0 updated, 0 deleted, 0 failed" || fail "idle push: $out"

# 1b. One push at a time: while another holds the lock (cron and the TUI), a push waits for
#     the next run instead of racing it. (flock: util-linux, an essential package.) On
#     PostgreSQL the lock is the base's advisory lock "lcmcal", held here by a psql session.
if db_is_pg; then
    mkfifo "$tmp/fifo"
    : >"$tmp/psql.out"
    psql -X -q -d "$db" <"$tmp/fifo" >"$tmp/psql.out" 2>&1 &
    holder=$!
    exec 3>"$tmp/fifo"
    echo "SELECT pg_advisory_lock(x'6c636d63616c'::bigint); SELECT 'held';" >&3
    i=0
    until grep -q held "$tmp/psql.out" || [ $i -ge 400 ]; do
        i=$((i + 1))
        sleep 0.05
    done
    grep -q held "$tmp/psql.out" || fail "psql did not take the lock: $(cat "$tmp/psql.out")"
    out=$(run agenda --push 2>&1) && fail "a push while another runs must exit 1"
    exec 3>&-
    wait "$holder"
else
    out=$(flock "$db.caldav.lock" "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 \
        agenda --push 2>&1) && fail "a push while another runs must exit 1"
fi
echo "$out" | grep -q "another push is running" || fail "concurrent push: $out"
out=$(run agenda --push 2>&1) || fail "push after the lock's release failed: $out"

# 2. Reschedule follow-up 3 by one hour: PUT with If-Match, SEQUENCE 1, new DTSTART.
old_start=$(sed -n 's/^DTSTART;TZID=Europe\/Paris://p' "$tmp/ev3")
sql "UPDATE followup SET due_at = due_at + 3600, sequence = sequence + 1, push_state = 'dirty' WHERE id = 3"
out=$(run agenda --push 2>&1) || fail "reschedule push failed: $out"
echo "$out" | grep -q "0 created, 1 updated" || fail "reschedule push: $out"
dav "$(href_of 3)" | tr -d '\r' >"$tmp/ev3b"
grep -q '^SEQUENCE:1$' "$tmp/ev3b" || fail "rescheduled event has no SEQUENCE:1"
new_start=$(sed -n 's/^DTSTART;TZID=Europe\/Paris://p' "$tmp/ev3b")
[ "$new_start" != "$old_start" ] && [ -n "$new_start" ] || fail "DTSTART did not move ($old_start)"
want=$(TZ=Europe/Paris date -d "@$(sql "SELECT due_at FROM followup WHERE id = 3")" +%Y%m%dT%H%M%S)
[ "$new_start" = "$want" ] || fail "DTSTART $new_start, expected $want (Paris time of due_at)"
grep -q '^STATUS:CONFIRMED$' "$tmp/ev3b" || fail "rescheduled event is not CONFIRMED"

# 3. Cancel follow-up 4: DELETE, the server no longer has it.
sql "UPDATE followup SET status = 'cancelled', sequence = sequence + 1, push_state = 'dirty' WHERE id = 4"
out=$(run agenda --push 2>&1) || fail "cancel push failed: $out"
echo "$out" | grep -q "1 deleted" || fail "cancel push: $out"
code=$(dav -o /dev/null -w '%{http_code}' "$(href_of 4)")
[ "$code" = 404 ] || fail "cancelled event still on the server (GET $code)"
server_uids | grep -qx "$(uid_of 4)" && fail "REPORT still lists the cancelled event"

# 4. Conflict: the event changed on the server (a calendar app), then locally: 412 is reported,
#    the local change kept; --force overwrites.
dav "$(href_of 2)" | tr -d '\r' | sed 's/^SUMMARY:.*/SUMMARY:Moved in Thunderbird/' >"$tmp/ev2"
code=$(dav -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: text/calendar' \
    --data-binary @"$tmp/ev2" "$(href_of 2)")
[ "$code" = 201 ] || [ "$code" = 204 ] || fail "external PUT returned $code"
sql "UPDATE followup SET due_at = due_at + 1800, sequence = sequence + 1, push_state = 'dirty' WHERE id = 2"
out=$(run agenda --push 2>&1) && fail "a 412 conflict must exit 1: $out"
echo "$out" | grep -q "412" || fail "conflict not reported: $out"
echo "$out" | grep -q "1 conflicts" || fail "conflict not counted: $out"
[ "$(sql "SELECT push_state FROM followup WHERE id = 2")" = dirty ] || fail "conflict lost the change"
dav "$(href_of 2)" | grep -q "Moved in Thunderbird" || fail "the server copy was overwritten"
out=$(run agenda --push --force 2>&1) || fail "forced push failed: $out"
echo "$out" | grep -q "1 updated" || fail "forced push: $out"
dav "$(href_of 2)" | grep -q "Moved in Thunderbird" && fail "--force did not overwrite"

# 4b. A PUT whose answer was lost (the server has our event, we have no ETag): the next push
#     meets 412 on If-None-Match, sees its own UID at the same SEQUENCE and adopts it.
sql "UPDATE followup SET etag = NULL, push_state = 'dirty' WHERE id = 2; DELETE FROM caldav_state WHERE followup_id = 2"
out=$(run agenda --push 2>&1) || fail "a lost answer must be adopted, not a conflict: $out"
[ "$(sql "SELECT push_state || CASE WHEN etag IS NOT NULL THEN 1 ELSE 0 END FROM followup WHERE id = 2")" = clean1 ] ||
    fail "adopted event not clean with an ETag"

# 5. Outage: the server stops; changes stay dirty with the error, exit 1; pushed after restart.
stop_server
sql "UPDATE followup SET due_at = due_at + 7200, sequence = sequence + 1, push_state = 'dirty' WHERE id = 3"
sql "UPDATE followup SET status = 'cancelled', sequence = sequence + 1, push_state = 'dirty' WHERE id = 1"
out=$(run agenda --push 2>&1) && fail "a push to a stopped server must exit 1: $out"
echo "$out" | grep -q "1 not tried" || fail "after the outage the rest must wait: $out"
echo "$out" | grep -q "127.0.0.1:$port" || fail "the outage error does not name the server: $out"
echo "$out" | grep -q "s3cr3t" && fail "the password leaked: $out"
[ "$(sql "SELECT count(*) FROM followup WHERE id IN (1, 3) AND push_state = 'dirty'")" = 2 ] ||
    fail "the outage lost local changes"
[ "$(sql "SELECT count(*) FROM caldav_state WHERE followup_id IN (1, 3) AND error IS NOT NULL")" = 2 ] ||
    fail "the outage error was not recorded"
run agenda --days 14 | grep -q "(not pushed)" || fail "the agenda does not show unpushed calls"
start_server
out=$(run agenda --push 2>&1) || fail "push after restart failed: $out"
echo "$out" | grep -q "1 updated, 1 deleted, 0 failed" || fail "push after restart: $out"
dav "$(href_of 3)" | tr -d '\r' | grep -q '^SEQUENCE:2$' || fail "event 3 not at SEQUENCE:2"
code=$(dav -o /dev/null -w '%{http_code}' "$(href_of 1)")
[ "$code" = 404 ] || fail "event 1 not deleted after restart (GET $code)"
[ "$(sql "SELECT count(*) FROM followup WHERE push_state = 'dirty'")" = 0 ] || fail "still dirty"
[ "$(sql "SELECT count(*) FROM caldav_state WHERE error IS NOT NULL")" = 0 ] || fail "errors kept"

# 6. A learner erased (their data gone): the remote copies of their calls go on the next push.
lid=$(sql "SELECT learner_id FROM followup WHERE id = 5")
href5=$(href_of 5)
[ "$(dav -o /dev/null -w '%{http_code}' "$href5")" = 200 ] || fail "event 5 not on the server"
db_query "$db" "$(db_pick "PRAGMA foreign_keys = ON;" "")INSERT INTO erase_request VALUES ($lid);
    DELETE FROM learner WHERE id = $lid; DELETE FROM erase_request;"
out=$(run agenda --push 2>&1) || fail "push after erase failed: $out"
echo "$out" | grep -q "1 deleted" || fail "push after erase: $out"
[ "$(dav -o /dev/null -w '%{http_code}' "$href5")" = 404 ] || fail "erased learner's call still on the server"
[ "$(sql "SELECT count(*) FROM caldav_state WHERE followup_id = 5")" = 0 ] || fail "orphan state kept"

# 7. Wrong password: 401 reported, nothing lost.
sql "UPDATE followup SET due_at = due_at + 600, sequence = sequence + 1, push_state = 'dirty' WHERE id = 3"
out=$(E2E_CALDAV_PW=wrong run agenda --push 2>&1) && fail "a 401 must exit 1"
echo "$out" | grep -q "401" || fail "401 not reported: $out"
[ "$(sql "SELECT push_state FROM followup WHERE id = 3")" = dirty ] || fail "401 lost the change"
echo "e2e_caldav: ok"
