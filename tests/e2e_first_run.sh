#!/bin/sh
# e2e_first_run.sh — the first-run form in headless mode (LCMTUI_FIRST_RUN=1, as the day is
# pinned): name, e-mail and time zone typed, written into the configuration (mode 0600, its
# other keys and comments kept), asked once (without a pinned day, by itself); a bad e-mail keeps the form open; with the
# keys set, nothing is asked; until they are, the composer names the missing config key.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-first-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_first_run: FAIL: $*" >&2
    exit 1
}
export LC_ALL=C.UTF-8 TZ=UTC
db=$(db_target "$T/d.db")
real=$(db_target "$T/real.db")
"$LCMTUI" -d "$db" --today 2026-11-28 demo >/dev/null 2>&1 || fail "demo"
mkdir -p "$T/cfg"
cat >"$T/cfg/config" <<'CONF'
# my own settings, keep this comment
general: { lang = "en"; };
sync: { auto_hours = 0; };
CONF
chmod 644 "$T/cfg/config"
run() { LCMTUI_SIZE=100x30 "$LCMTUI" -c "$T/cfg/config" -d "$db" --today 2026-11-28 "$@"; }

# Not asked when the day is pinned (tests, demos) ...
printf '<Dump> q Q\n' >"$T/none.keys"
LCMTUI_SCRIPT="$T/none.keys" run >"$T/out0" || fail "run without the form"
grep -q "Welcome" "$T/out0" && fail "the form opened with the day pinned"
# ... and, until the name is set, the composer says which key is missing.
printf '/Bobby <Enter> m <Dump> y <Dump> q Q\n' >"$T/miss.keys"
LCMTUI_SCRIPT="$T/miss.keys" run >"$T/out1" || fail "composer run"
grep -q "general.lcm_name" "$T/out1" || fail "the missing key is not named: $(grep -i 'value' "$T/out1" | head -3)"
grep -q "still has no value" "$T/out1" && fail "the old message"

# Asked when forced: a bad e-mail keeps the form; then saved.
cat >"$T/form.keys" <<'KEYS'
<Dump>
Claire <Space> Martin <Tab> claire-at-example <Enter> <Dump>
<C-u> claire@example.org <Tab> <C-u> Europe/Paris <Enter> <Dump> q Q
KEYS
LCMTUI_FIRST_RUN=1 LCMTUI_SCRIPT="$T/form.keys" run >"$T/out2" || fail "form run"
grep -q "Welcome: who signs the messages" "$T/out2" || fail "no first-run form"
grep -q "is not an e-mail address" "$T/out2" || fail "a bad e-mail was not refused"
grep -q "saved in $T/cfg/config" "$T/out2" || fail "not saved: $(tail -2 "$T/out2")"
[ "$(stat -c %a "$T/cfg/config")" = 600 ] || fail "config mode $(stat -c %a "$T/cfg/config")"
grep -q '^# my own settings, keep this comment$' "$T/cfg/config" || fail "comment lost"
grep -q 'auto_hours = 0;' "$T/cfg/config" || fail "another key lost"
grep -q 'lcm_name = "Claire Martin";' "$T/cfg/config" || fail "name not written: $(cat "$T/cfg/config")"
grep -q 'lcm_email = "claire@example.org";' "$T/cfg/config" || fail "e-mail not written"
grep -q 'timezone = "Europe/Paris";' "$T/cfg/config" || fail "time zone not written"
grep -q 'lang = "en";' "$T/cfg/config" || fail "lang lost"

# Without a pinned day it is asked by itself, and once: Esc, and the next start asks nothing.
printf 'general: { lang = "en"; };\n' >"$T/cfg/other"
printf '<Dump> <Esc> q Q\n' >"$T/esc.keys"
env -u LCMTUI_TODAY LCMTUI_SIZE=100x30 LCMTUI_SCRIPT="$T/esc.keys" "$LCMTUI" -c "$T/cfg/other" \
    -d "$real" >"$T/out4" 2>/dev/null || fail "run on the real clock"
grep -q "Welcome: who signs the messages" "$T/out4" || fail "not asked on a first real start"
env -u LCMTUI_TODAY LCMTUI_SIZE=100x30 LCMTUI_SCRIPT="$T/none.keys" "$LCMTUI" -c "$T/cfg/other" \
    -d "$real" >"$T/out5" 2>/dev/null || fail "second run on the real clock"
grep -q "Welcome" "$T/out5" && fail "asked a second time"

# Everything set: not asked again, even when forced.
LCMTUI_FIRST_RUN=1 LCMTUI_SCRIPT="$T/none.keys" run >"$T/out3" || fail "run after setup"
grep -q "Welcome" "$T/out3" && fail "asked again with every key set"
echo "e2e_first_run: ok"
