#!/bin/sh
# e2e_tui_help.sh — issue 16, the help (?) on the real binary in headless mode at 80x24, in
# French and in English: pages by section (Space next, PgUp back), the first line of every
# page says how to close it and which page it is, every line fits inside the box (no text
# cut with "…"), every action of tui/actions.h is on some page, opened from a pane (the
# overview, the outbox) it shows that pane's keys, g goes to the first page, Esc closes it.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
top=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-help-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui_help: FAIL: $*" >&2
    exit 1
}
export LC_ALL=C.UTF-8
db=$(db_target "$T/demo.db")
"$LCMTUI" -d "$db" --today "2026-12-01 09:00" demo >/dev/null 2>&1 || fail "demo"
pages=""
for lang in fr en; do
    printf 'general: { lcm_name = "Camille Martin"; lang = "%s"; };\n' "$lang" >"$T/$lang.conf"
    if [ "$lang" = fr ]; then close="Échap ferme l’aide"; else close="Esc closes the help"; fi
    run() { # KEYS: headless at 80x24, the dumps in $T/out
        printf '%s\n' "$1" >"$T/keys"
        LCMTUI_SIZE=80x24 LCMTUI_SCRIPT="$T/keys" "$LCMTUI" -c "$T/$lang.conf" -d "$db" \
            --today "2026-12-01 09:00" >"$T/out" 2>"$T/err" || fail "$lang: run $1: $(cat "$T/err")"
    }
    # ? then Space until the last page (10 dumps: more than there are pages)
    run "? g <Dump> $(printf '<Space> <Dump> %.0s' 1 2 3 4 5 6 7 8 9) <Esc> <Dump> Q"
    n=$(sed -n "s/.*$close · .* \([0-9]*\)\/\([0-9]*\) *|.*/\2/p" "$T/out" | head -1)
    [ -n "$n" ] && [ "$n" -ge 4 ] || fail "$lang: no help pages (first line: $(sed -n 3p "$T/out"))"
    pages="$pages $lang:$n"
    # each dump is 24 lines and "----"; dump k (k <= n) shows page k, its first box line first
    /usr/bin/python3 - "$T/out" "$close" "$n" <<'PY' || fail "$lang: a help page does not fit"
import sys
text = open(sys.argv[1], encoding="utf-8").read()
close, n = sys.argv[2], int(sys.argv[3])
dumps = [d.strip("\n").split("\n") for d in ("\n" + text).split("\n----\n") if d.strip()]
for k, d in enumerate(dumps[:n]):
    assert len(d) == 24, (k, len(d))
    assert all(len(l) <= 80 for l in d), k
    box = [l for l in d if l[4:5] == "|"]
    assert box, k
    first = box[0][5:75].strip()  # the box: columns 4 to 75 of 80
    assert first.startswith(close) and first.endswith("%d/%d" % (k + 1, n)), (k, first)
    for l in box:
        assert "…|" not in l, (k, l)
# past the last page: still the last; Esc closed it
assert "%d/%d" % (n, n) in "\n".join(dumps[n]), "past the last page"
assert not any(l[4:5] == "|" for l in dumps[-1]), "Esc did not close the help"
PY
    cat "$T/out" >>"$T/all"
    # PgUp goes back a page
    run "? g <Space> <Space> <PgUp> <Dump> Q"
    grep -q "$close · .* 2/$n" "$T/out" || fail "$lang: PgUp does not go back a page"
    # opened from the overview: the overview's own keys (I, the idle filter)
    run "? <Dump> Q"
    grep -q " idle " "$T/out" || fail "$lang: the help opened from the overview misses its keys"
    # opened from the outbox: the outbox's keys
    run "O ? <Dump> Q"
    grep -q "approve-all" "$T/out" || fail "$lang: the help opened from the outbox misses its keys"
done
for a in $(sed -n 's/^ *X(ACT_[A-Z_]*, "\([a-z-]*\)".*/\1/p' "$top/tui/actions.h"); do
    grep -q " $a " "$T/all" || fail "the help misses the action $a"
done
echo "e2e_tui_help: pages at 80x24:$pages"
exit 0
