#!/bin/sh
# lcmtui summary and risk list: counts of a demo database, and no escape sequence from the
# data reaches the terminal (an OSC title sequence or a C1 CSI is shown made visible).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-summary-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
fail() { echo "e2e_summary: $*" >&2; exit 1; }
db=$(db_target "$tmp/d.db")
chr=$(db_pick char chr)
"$LCMTUI" --today 2026-11-28 --db "$db" demo >/dev/null 2>&1 || fail "demo failed"
out=$("$LCMTUI" --today 2026-11-28 --db "$db" summary) || fail "summary failed"
echo "$out" | grep -q "160 learners, 160 enrolments" || fail "counts missing: $out"
[ "$(echo "$out" | grep -c 'enrolled$')" -eq 4 ] || fail "expected 4 cohorts: $out"
db_query "$db" "UPDATE cohort SET name = 'Coh' || $chr(27) || ']0;pwned' || $chr(7) WHERE id = 1"
"$LCMTUI" --today 2026-11-28 --db "$db" summary > "$tmp/out" || fail "summary failed"
if tr -d '\n' < "$tmp/out" | LC_ALL=C grep -q "$(printf '[\033\007]')"; then
    fail "a control character from the data reached the output"
fi
grep -q 'pwned' "$tmp/out" || fail "the hostile name should still be shown, made visible"
# The same for a learner's name in `risk list` (cli_put_clean): ESC, BEL and the one-byte
# C1 CSI (U+009B, which some terminals obey) all made visible.
db_query "$db" "UPDATE learner SET last_name = $chr(155) || 'J' || $chr(27) || ']0;x' || $chr(7)"
"$LCMTUI" --today 2026-11-28 --db "$db" risk list > "$tmp/risk" || fail "risk list failed"
if LC_ALL=C grep -q "$(printf '[\033\007]\|\302\233')" "$tmp/risk"; then
    fail "a control character from a learner's name reached risk list"
fi
grep -q '\\x9BJ^\[\]0;x^G' "$tmp/risk" || fail "the hostile name should be shown made visible"
"$LCMTUI" summary --help | grep -q "usage: lcmtui summary" || fail "--help"
echo "e2e_summary: ok"
