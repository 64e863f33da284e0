#!/bin/sh
# e2e_tui_nothing_lost.sh — issue 16, "nothing lost by one key", on the real binary in
# headless mode (LCMTUI_SCRIPT) over the demo and its sequence drafts:
# - in the outbox, y then x skips the next draft (the cursor stays on its line), never the
#   message just queued; u undoes the skip; x on a queued message only asks; v lists the
#   skipped messages and u brings one back to draft;
# - the composer's edited text is not replaced by C, t or Q without a second press;
# - a form with typed text is not cancelled by one Esc.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-lost-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui_nothing_lost: FAIL: $*" >&2
    exit 1
}
export LC_ALL=C.UTF-8
db=$(db_target "$T/demo.db")
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "en"; };\n' >"$T/conf"
run() { "$LCMTUI" -c "$T/conf" -d "$db" --today "2026-12-01 09:00" "$@"; }
tui() { # KEYS: runs the TUI on them, the screen in $T/out
    printf '%s\n' "$1" >"$T/keys"
    LCMTUI_SCRIPT="$T/keys" run >"$T/out" 2>"$T/err" || fail "tui run ($1): $(cat "$T/err")"
}
q() { db_query "$db" "$1"; }
run demo >/dev/null 2>&1 || fail "demo"
run sequences >/dev/null 2>&1 || fail "sequences"
ndraft=$(q "SELECT count(*) FROM message WHERE status = 'draft'")
[ "$ndraft" -ge 3 ] || fail "the sequences made $ndraft drafts, want 3 or more"
nqueued=$(q "SELECT count(*) FROM message WHERE status = 'queued'")

# The outbox lists drafts newest first: the first two lines are the two newest drafts.
first=$(q "SELECT id FROM message WHERE status = 'draft' ORDER BY created_at DESC, id DESC LIMIT 1")
second=$(q "SELECT id FROM message WHERE status = 'draft' AND id <> $first ORDER BY created_at DESC, id DESC LIMIT 1")

# 1. y on the first draft, then x: the second draft is skipped, the first stays queued.
tui "O g y x <Dump> Q"
[ "$(q "SELECT status FROM message WHERE id = $first")" = queued ] || fail "y x: the approved message is $(q "SELECT status FROM message WHERE id = $first")"
[ "$(q "SELECT status FROM message WHERE id = $second")" = skipped ] || fail "y x: the next draft was not the one skipped"
grep -q "u restores it" "$T/out" || fail "the skip does not say u restores it"
grep -q "skipped (v shows them)" "$T/out" || fail "the outbox does not count the skipped messages"

# 2. u right after x restores the skipped message as a draft.
tui "O g x u <Dump> Q"
third=$(q "SELECT id FROM message WHERE status = 'draft' AND id NOT IN ($second) ORDER BY created_at DESC, id DESC LIMIT 1")
[ "$(q "SELECT count(*) FROM message WHERE status = 'skipped'")" = 1 ] || fail "x u: the skip was not undone"

# 3. x on a queued message asks; another key in between cancels the question.
q "UPDATE message SET status = 'skipped' WHERE status = 'draft'"
q "UPDATE message SET status = 'draft' WHERE id = $second"
tui "O g y x j x <Dump> Q" # the cursor's line now holds a queued message
[ "$(q "SELECT count(*) FROM message WHERE status = 'queued'")" = $((nqueued + 2)) ] ||
    fail "x on a queued message skipped it without asking"
grep -q "x again skips it" "$T/out" || fail "x on a queued message did not ask"

# 4. v shows the skipped messages; u on one brings it back to draft.
nskipped=$(q "SELECT count(*) FROM message WHERE status = 'skipped'")
tui "O v <Dump> Q"
grep -q "skipped (v hides them)" "$T/out" || fail "v does not show the skipped messages"
grep -q "^ skipped" "$T/out" || fail "no skipped line after v: $(sed -n 3,6p "$T/out")"
tui "O v G u <Dump> Q"
[ "$(q "SELECT count(*) FROM message WHERE status = 'skipped'")" = $((nskipped - 1)) ] ||
    fail "u on a skipped message did not restore it"
grep -q "back to draft" "$T/out" || fail "u does not say back to draft"

# 5. The composer: C on the edited nudge asks; Q asks; the second Q quits.
tui "/Marty <Enter> m i XYZ <Esc> C <Dump> Q"
grep -q "not saved: the same key again discards it" "$T/out" || fail "C replaced the edited message without asking"
grep -q "XYZ" "$T/out" || fail "the edited text is gone after one C"
tui "/Marty <Enter> m i XYZ <Esc> t <Dump> Q"
grep -q "XYZ" "$T/out" || fail "t replaced the edited text without asking"
printf '/Marty <Enter> m i XYZ <Esc> Q <Dump>\n' >"$T/keys"
LCMTUI_SCRIPT="$T/keys" run >"$T/out" 2>"$T/err"
grep -q "not saved" "$T/out" || fail "Q quit over an edited message without asking"

# 6. A form with typed text: one Esc asks, the second cancels.
tui "/Marty <Enter> c <Tab> <Tab> <Tab> rappel <Esc> <Dump> Q"
grep -q "Esc again cancels" "$T/out" || fail "one Esc discarded the typed note"
grep -q "rappel" "$T/out" || fail "the typed note is gone after one Esc"
tui "/Marty <Enter> c <Tab> <Tab> <Tab> rappel <Esc> <Esc> <Dump> Q"
grep -q "Esc again cancels" "$T/out" && fail "the second Esc did not cancel"
exit 0
