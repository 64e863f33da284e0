#!/bin/sh
# e2e_cli_fr.sh — the command line in French, read as a French LCM reads it: on the demo with
# its sequences' drafts, each everyday command run with LANGUAGE=fr prints no English label
# (a list of the English words these commands print in English, each checked to be there under
# LANGUAGE=en first, so the test cannot pass by printing nothing).
set -u
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
fail() { echo "e2e_cli_fr: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-clifr-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; };\n' >"$tmp/cfg"
db=$(db_target "$tmp/db")
run() { "$LCMTUI" --config "$tmp/cfg" --db "$db" --today "2026-12-01 09:00" "$@"; }
LANGUAGE=en run demo >/dev/null 2>&1 || fail "demo failed"
LANGUAGE=en run sequences >/dev/null 2>&1 || fail "sequences failed"
id=$(db_query "$db" "SELECT min(id) FROM message")
[ -n "$id" ] || fail "the sequences made no message"
all() { # lang: every command's output in one file
    for cmd in "summary" "risk list --level all --limit 30" "outbox list" "outbox show $id" \
        "outbox stats --by template" "outbox stats --by rule" "agenda"; do
        # shellcheck disable=SC2086
        LANGUAGE=$1 run $cmd >>"$tmp/out.$1" 2>&1 || fail "$cmd (LANGUAGE=$1): $(tail -3 "$tmp/out.$1")"
    done
}
all en
all fr
# Each phrase: printed in English, and never in French.
for w in " drafts, " " queued, " "Subject: " "Created: " "Attempts: " "back in 3 d" "back in 7 d" \
    " template " " rule " "at risk" "No activity for"; do
    grep -qF -- "$w" "$tmp/out.en" || fail "the English output lacks '$w' (the check would prove nothing)"
    if grep -F -- "$w" "$tmp/out.fr" >"$tmp/hit"; then
        fail "English '$w' in the French output: $(head -2 "$tmp/hit")"
    fi
done
# outbox draft: a queued message, and a skipped one, back to draft (the TUI's u, for scripts).
LANGUAGE=en run outbox approve "$id" >/dev/null || fail "approve $id"
[ "$(db_query "$db" "SELECT status FROM message WHERE id = $id")" = queued ] || fail "approve did not queue"
LANGUAGE=fr run outbox draft "$id" >"$tmp/d" 2>&1 || fail "outbox draft: $(cat "$tmp/d")"
grep -q "revenu en brouillon" "$tmp/d" || fail "outbox draft said: $(cat "$tmp/d")"
[ "$(db_query "$db" "SELECT status FROM message WHERE id = $id")" = draft ] || fail "the queued message is not a draft again"
LANGUAGE=en run outbox skip "$id" >/dev/null && LANGUAGE=en run outbox draft "$id" >/dev/null ||
    fail "skip then draft"
[ "$(db_query "$db" "SELECT status FROM message WHERE id = $id")" = draft ] || fail "the skipped message is not a draft again"
# a sent one cannot be: one line, exit 1, nothing changed
db_query "$db" "UPDATE message SET status = 'sent', sent_at = 1 WHERE id = $id"
LANGUAGE=en run outbox draft "$id" >"$tmp/d" 2>&1 && fail "a sent message went back to draft"
[ "$(wc -l <"$tmp/d")" = 1 ] || fail "not one line: $(cat "$tmp/d")"
[ "$(db_query "$db" "SELECT status FROM message WHERE id = $id")" = sent ] || fail "the sent message changed"
exit 0
