#!/bin/sh
# e2e_screens.sh — whole screens compared with golden files (tig's `assert_equals
# 'main-default.screen'`). Each tests/screens/NAME.keys is a key script for the real binary in
# headless mode (LCMTUI_SCRIPT) on a fresh copy of the demo database; its whole dump must equal
# tests/screens/NAME.screen, else a unified diff is printed and the test fails.
#
# In NAME.keys, "# size: COLSxROWS" sets the screen (default 120x40) and "# config: FILE" the
# configuration in tests/screens (default lcmtui.conf, in French; lcmtui-en.conf is the same in
# English: the interface's language follows general.lang); the TUI skips "#" lines.
# An optional NAME.setup is a shell fragment run before the TUI, with two helpers on the
# scenario's database: `lcm ARGS` (the binary, pinned like the TUI) and `sql SQL` (sqlite3 or
# psql: tests/db.sh; $chr is SQLite's char() or PostgreSQL's chr()). The same golden files on
# both engines.
#
# With SCREENS_UPDATE=1 (`make screens`) the dumps are written to the .screen files instead,
# to review with `git diff tests/screens`.
#
# Stability: nothing is filtered. Every input that varies between runs is pinned:
# - the day and the time of day by --today "YYYY-MM-DD HH:MM" (the program's clock then stands
#   still at that moment: base/app.c app_now), which decides what is overdue, the free slots of
#   the agenda and the counts in the title;
# - the environment by env -i: C.UTF-8 locale, TZ=UTC, NO_COLOR, a HOME with no configuration,
#   no LCMTUI_TODAY, TERMINFO or XDG variable from the caller; the sanitizer options pass;
# - the configuration by -c tests/screens/lcmtui.conf (or the scenario's "# config:"), the data/ and themes/ by LCMTUI_SHARE;
# - the data by the demo's fixed seed and day, built in a fresh directory under the same pins.
# The database path is never shown on these screens, so the temporary directory does not matter.
set -u
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
dir=$top/tests/screens
TODAY=2026-12-01
NOW="$TODAY 09:00"
fail() {
    echo "e2e_screens: FAIL: $*" >&2
    exit 1
}
[ -x "$LCMTUI" ] || fail "$LCMTUI is not an executable (make all)"
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-screens-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
mkdir "$T/home"

# Runs the binary with the pinned environment: pinned ARGS... With $keys set, the TUI runs
# headless on that key script at $size; without, ARGS is a command.
keys=""
size=""
conf=""
pinned() {
    env -i PATH="$PATH" HOME="$T/home" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1 \
        LCMTUI_SHARE="$top" $(db_env) ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
        ${UBSAN_OPTIONS+UBSAN_OPTIONS="$UBSAN_OPTIONS"} ${keys:+LCMTUI_SCRIPT="$keys"} \
        ${keys:+LCMTUI_SIZE="${size:-120x40}"} \
        "$LCMTUI" -c "$dir/${conf:-lcmtui.conf}" --today "$NOW" "$@"
}
# The setup helpers, on the scenario's database $db (called from the NAME.setup files).
# shellcheck disable=SC2317
lcm() { pinned --db "$db" "$@"; }
# shellcheck disable=SC2317
sql() { db_query "$db" "$1"; }
chr=$(db_pick char chr)

demo=$(db_target "$T/demo.db")
pinned --db "$demo" demo >"$T/demo.out" 2>&1 || fail "demo: $(cat "$T/demo.out")"

n=0
bad=""
for k in "$dir"/*.keys; do
    name=$(basename "$k" .keys)
    db=$(db_clone "$T/demo.db" "$T/$name.db")
    keys=""
    conf=$(sed -n 's/^# config: *\([A-Za-z0-9._-]*\) *$/\1/p' "$k" | tail -1)
    if [ -f "$dir/$name.setup" ]; then
        # shellcheck disable=SC1090
        (. "$dir/$name.setup") >"$T/$name.err" 2>&1 || fail "$name.setup: $(cat "$T/$name.err")"
    fi
    size=$(sed -n 's/^# size: *\([0-9]*x[0-9]*\) *$/\1/p' "$k" | tail -1)
    keys=$k
    pinned --db "$db" >"$T/$name.screen" 2>"$T/$name.err" </dev/null
    rc=$?
    [ $rc = 0 ] || fail "$name: exit $rc: $(cat "$T/$name.err")"
    [ -s "$T/$name.err" ] && fail "$name: wrote on stderr: $(cat "$T/$name.err")"
    n=$((n + 1))
    if [ "${SCREENS_UPDATE:-}" = 1 ]; then
        if ! cmp -s "$T/$name.screen" "$dir/$name.screen"; then
            cp "$T/$name.screen" "$dir/$name.screen"
            echo "e2e_screens: wrote tests/screens/$name.screen"
        fi
    elif [ ! -f "$dir/$name.screen" ]; then
        echo "e2e_screens: $name: no tests/screens/$name.screen (make screens)" >&2
        bad="$bad $name"
    elif ! diff -u --label "tests/screens/$name.screen" --label "$name (this binary)" \
        "$dir/$name.screen" "$T/$name.screen"; then
        bad="$bad $name"
    fi
done
[ "$n" -gt 0 ] || fail "no scenario in tests/screens"
for s in "$dir"/*.screen; do
    [ ! -f "$s" ] || [ -f "${s%.screen}.keys" ] && continue
    echo "e2e_screens: $(basename "$s") has no .keys (remove it)" >&2
    bad="$bad $(basename "$s")"
done
[ -z "$bad" ] || fail "screens differ from the golden files:$bad (if intended: make screens, git diff tests/screens)"
exit 0
