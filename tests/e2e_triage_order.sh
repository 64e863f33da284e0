#!/bin/sh
# The TUI's triage list and `lcmtui risk list` rank the at-risk learners the same way,
# including the many tied at score 100 (ordered by the unclamped sum, not by name).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-order-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
fail() { echo "e2e_triage_order: $*" >&2; exit 1; }
db=$(db_target "$tmp/d.db")
"$LCMTUI" --today 2026-11-28 --db "$db" demo >/dev/null 2>&1 || fail "demo failed"
ties=$(db_query "$db" "SELECT count(*) FROM risk WHERE score >= 100")
[ "$ties" -ge 5 ] || fail "the demo should have several learners tied at 100 (has $ties)"
printf '<Dump>\nq\n' > "$tmp/keys"
LCMTUI_SIZE=120x40 LCMTUI_SCRIPT="$tmp/keys" "$LCMTUI" --today 2026-11-28 --db "$db" \
    > "$tmp/screen" 2>&1 || fail "headless TUI failed"
# Names on the first 12 rows of the list (after the title and header lines).
sed -n '3,14p' "$tmp/screen" | cut -c4-27 | sed 's/ *$//' > "$tmp/tui"
"$LCMTUI" --today 2026-11-28 --db "$db" risk list --limit 12 | cut -c17-44 | sed 's/ *$//' \
    > "$tmp/cli"
diff "$tmp/tui" "$tmp/cli" >&2 || fail "the TUI and risk list disagree on the order"
sort "$tmp/tui" | cmp -s - "$tmp/tui" && fail "top rows are in name order: ties are not ranked"
echo "e2e_triage_order: ok"
