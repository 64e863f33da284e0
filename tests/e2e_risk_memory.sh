#!/bin/sh
# e2e_risk_memory.sh — `lcmtui risk update` keeps its peak resident size bounded by a cohort,
# not by the database: scoring 10,000 learners (a 44 MB file, all of it read) takes at most
# 40 MB more than the small demo (a memory map kept every page read resident: about 90 MB
# more). Measured with GNU time (Debian's `time`). Skips (exit 77) under ASan, whose
# quarantine keeps freed memory.
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
fail() { echo "e2e_risk_memory: $*" >&2; exit 1; }
if [ -n "${ASAN_OPTIONS:-}" ] || grep -q __asan_init "$LCMTUI"; then
    echo "e2e_risk_memory: skipped: resident size means nothing under ASan"
    exit 77
fi
[ -x /usr/bin/time ] || fail "/usr/bin/time is required (Debian's time package: make deps)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
peak() {
    /usr/bin/time -f 'maxrss %M' "$LCMTUI" --config "$tmp/en.conf" --db "$1" \
        --today 2026-11-28 risk update 2>&1 >/dev/null | awk '/^maxrss/ { print $2 }'
}
demo=$(db_target "$tmp/demo.db") big=$(db_target "$tmp/big.db")
"$LCMTUI" --db "$demo" --today 2026-11-28 demo >/dev/null 2>&1 || fail "demo failed"
"$LCMTUI" --db "$big" --today 2026-11-28 demo --learners 10000 >/dev/null 2>&1 ||
    fail "demo --learners 10000 failed"
small=$(peak "$demo") big=$(peak "$big")
[ -n "$small" ] && [ -n "$big" ] || fail "no peak resident size measured"
[ $((big - small)) -lt 40000 ] ||
    fail "risk update peak resident size $big KB on 10000 learners, $small KB on the demo"
echo "e2e_risk_memory: ok ($small KB on the demo, $big KB on 10000 learners)"
