#!/bin/sh
# e2e_tui_headless.sh — the real binary driven by a key script on a virtual screen
# (LCMTUI_SCRIPT, as tig's tests): key S runs a sync in the background (a CSV source) and the
# overview then lists the synced learners; the help overlay is generated from the action list;
# an 80x24 screen never overflows; rebinding a key in the config works; the first frame and
# keystroke figures print with LCMTUI_BENCH.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
top=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-tuih-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui_headless: FAIL: $*" >&2
    exit 1
}
export LC_ALL=C.UTF-8

# 1. S syncs a CSV source in the background; the list shows the learners afterwards.
cat >"$T/conf" <<CONF
sources = ({ name = "exports"; type = "csv"; path = "$top/tests/data/import/lms/*.csv";
             mapping = "$top/data/mappings/example-lms.conf"; });
sync: { auto_hours = 0; };
CONF
printf 'S\n' >"$T/sync.keys"
LCMTUI_SCRIPT="$T/sync.keys" "$LCMTUI" -c "$T/conf" -d "$(db_target "$T/sync.db")" --today 2026-11-28 >"$T/out" 2>"$T/err" ||
    fail "sync run: $(cat "$T/err")"
grep -q "sync done" "$T/out" || fail "no 'sync done' on the status line: $(tail -3 "$T/out")"
n=$(db_query "$(db_target "$T/sync.db")" "SELECT count(*) FROM learner")
[ "$n" -gt 0 ] || fail "the sync wrote no learner"
grep -q "synced [0-9][0-9]:[0-9][0-9]" "$T/out" || fail "title does not say synced HH:MM"
first=$(db_query "$(db_target "$T/sync.db")" "SELECT last_name FROM learner ORDER BY last_name LIMIT 1")
grep -qF "$first" "$T/out" || fail "the synced learner $first is not listed"

# 2. The demo at 80x24: nothing wider than 80 columns; the help lists every action.
db=$(db_target "$T/demo.db")
"$LCMTUI" -d "$db" --today 2026-11-28 demo >/dev/null 2>&1 || fail "demo"
printf '? <Dump> q Q\n' >"$T/help.keys"
LCMTUI_SIZE=80x24 LCMTUI_SCRIPT="$T/help.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/help" ||
    fail "help run"
/usr/bin/python3 - "$T/help" <<'PY' || fail "a line wider than 80 columns"
import sys
sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))
PY
grep -q "closes the help" "$T/help" || fail "no help overlay"
grep -q "terminal too small" "$T/help" && fail "80x24 is not too small"
printf '? g <Dump> <Space> <Dump> <Space> <Dump> <Space> <Dump> <Space> <Dump> <Space> <Dump> q Q\n' >"$T/helpall.keys"
LCMTUI_SIZE=120x80 LCMTUI_SCRIPT="$T/helpall.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/helpall"
for a in $(sed -n 's/^ *X(ACT_[A-Z_]*, "\([a-z-]*\)".*/\1/p' "$top/tui/actions.h"); do
    grep -q " $a " "$T/helpall" || fail "help misses the action $a"
done

# 3. Rebinding: down on n, the default j no longer moves.
printf 'keys: { down = "n"; };\n' >"$T/keys.conf"
printf 'n n <Dump> Q\n' >"$T/n.keys"
printf 'j j <Dump> Q\n' >"$T/j.keys"
LCMTUI_SCRIPT="$T/n.keys" "$LCMTUI" -c "$T/keys.conf" -d "$db" --today 2026-11-28 | head -41 >"$T/n" ||
    fail "rebind run"
LCMTUI_SCRIPT="$T/j.keys" "$LCMTUI" -c "$T/keys.conf" -d "$db" --today 2026-11-28 | head -41 >"$T/j"
grep -q "j: no action here" "$T/j" || fail "j still bound after rebinding down"
cmp -s "$T/n" "$T/j" && fail "n did not move the cursor"

# 4. Busy times imported from an .ics (the LCM's other meetings) clash when scheduling a call
#    in the TUI, with the meeting's summary; the first Enter only warns.
cat >"$T/work.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:jury-1@example
DTSTAMP:20261101T000000Z
DTSTART:20261201T090000Z
DTEND:20261201T100000Z
SUMMARY:Jury de soutenance
END:VEVENT
END:VCALENDAR
ICS
"$LCMTUI" -d "$db" --today 2026-11-28 agenda --import "$T/work.ics" >/dev/null 2>"$T/err" ||
    fail "agenda --import: $(cat "$T/err")"
printf '/ Marty <Enter> s 01/12/2026 <Space> 09:30 <Enter> <Dump> <Esc> Q\n' >"$T/busy.keys"
LCMTUI_SCRIPT="$T/busy.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/busy" 2>"$T/err" ||
    fail "busy run: $(cat "$T/err")"
sed -n '1,40p' "$T/busy" | grep -q 'Schedule a call with Marty' || fail "the clash closed the form"
sed -n '1,40p' "$T/busy" | grep -q 'clashes with "Jury de soutenance" at Tue 01/12 09:00' ||
    fail "no clash with the imported meeting: $(sed -n '1,40p' "$T/busy")"
[ "$(db_query "$db" "SELECT count(*) FROM followup WHERE due_at = $(date -u -d '2026-12-01 09:30' +%s)")" = 0 ] ||
    fail "the clashing call was saved without confirmation"

# 5. O: y approves the draft under the cursor (the KPI and outbox screens themselves are
#    golden screens: tests/screens/kpi.screen, outbox.screen).
db_query "$db" "INSERT INTO message (learner_id, subject, status, created_at, updated_at) SELECT id, 'Relance', 'draft', 1, 1 FROM learner LIMIT 1"
printf 'O y Q\n' >"$T/ob.keys"
LCMTUI_SCRIPT="$T/ob.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/ob" 2>"$T/err" || fail "outbox run: $(cat "$T/err")"
[ "$(db_query "$db" "SELECT status FROM message WHERE subject = 'Relance'")" = queued ] || fail "y did not approve the draft"

# 6. The bench figures print, and a too small screen says so.
printf '<Resize:70x20> <Dump> Q\n' >"$T/small.keys"
LCMTUI_BENCH=1 LCMTUI_SCRIPT="$T/small.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/small" 2>"$T/bench" ||
    fail "small run"
grep -q "terminal too small: 70x20" "$T/small" || fail "no 'terminal too small' message"
grep -q "^first_frame_ms=[0-9.]* first_frame_cpu_ms=[0-9.]* from_start_ms=[0-9.]* keys=1 " "$T/bench" || fail "bench: $(cat "$T/bench")"
# 7. A database others could read: tightened to 0600 at start, and the status line says so
#    (the CLI prints store_notice() on stderr; the TUI has no stderr to show). A file: SQLite.
db_is_pg && exit 0
chmod 644 "$db"
printf '<Dump> Q\n' >"$T/notice.keys"
LCMTUI_SIZE=100x24 LCMTUI_SCRIPT="$T/notice.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/notice" 2>"$T/err" ||
    fail "notice run: $(cat "$T/err")"
[ "$(stat -c %a "$db")" = 600 ] || fail "the database was not tightened: $(stat -c %a "$db")"
sed -n '24p' "$T/notice" | grep -q "^ demo.db: others could read or write it (mode 644); tightened to 0600" ||
    fail "no notice on the status line: $(sed -n '24p' "$T/notice")"
printf '<Dump> Q\n' >"$T/notice.keys"
LCMTUI_SIZE=100x24 LCMTUI_SCRIPT="$T/notice.keys" "$LCMTUI" -d "$db" --today 2026-11-28 >"$T/notice" 2>"$T/err"
sed -n '24p' "$T/notice" | grep -q "others could read" && fail "the notice again on a 0600 database"
exit 0
