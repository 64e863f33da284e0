#!/bin/sh
# e2e_tui_search.sh — issue 16, "French names": the overview's search (/) on the real binary
# in headless mode over the demo ignores case and accents and matches the e-mail too;
# "lefevre", "LEFÈVRE" and "Lefèvre" find Marty Lefèvre, "helene" Hélène; / starts a new
# search (the last one's text goes) and Esc clears one left on.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-search-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui_search: FAIL: $*" >&2
    exit 1
}
export LC_ALL=C.UTF-8
db=$(db_target "$T/demo.db")
printf 'general: { lcm_name = "Camille Martin"; lang = "en"; };\n' >"$T/conf"
run() { "$LCMTUI" -c "$T/conf" -d "$db" --today "2026-12-01 09:00" "$@"; }
# rows KEYS: the overview's learner lines after KEYS (the screen is 120x40: title, header,
# 37 rows, then the search and status lines)
rows() {
    printf '%s <Dump> Q\n' "$1" >"$T/keys"
    LCMTUI_SCRIPT="$T/keys" run >"$T/out" 2>"$T/err" || fail "tui run ($1): $(cat "$T/err")"
    sed -n '3,38p' "$T/out" | grep -v '^ *$'
}
run demo >/dev/null 2>&1 || fail "demo"
db_query "$db" "UPDATE learner SET email = 'Marty.Lefevre@Example.ORG' WHERE first_name = 'Marty' AND last_name = 'Lefèvre'" ||
    fail "cannot set the e-mail"

for q in lefevre LEFÈVRE Lefèvre "marty<Space>lefevre" "LEFEVRE<Space>marty" marty.lefevre@example; do
    rows "/$q<Enter>" | grep -q "Marty Lefèvre" || fail "/$q does not find Marty Lefèvre: $(rows "/$q<Enter>")"
done
rows "/helene<Enter>" | grep -q "Hélène" || fail "/helene does not find Hélène"
rows "/HÉLÈNE<Enter>" | grep -q "Hélène" || fail "/HÉLÈNE does not find Hélène"
[ "$(rows "/marty.lefevre@example<Enter>" | wc -l)" = 1 ] || fail "the e-mail search finds more than Marty"

# / starts a new search: "Marty", then / and "Bobby" finds Bobby (not "MartyBobby").
rows "/Marty<Enter> /Bobby<Enter>" | grep -q "Bobby" || fail "/ appended to the last search"
# Esc clears a search left on: the whole list again (the same first row as with none).
none=$(rows "")
[ "$(rows "/helene<Enter> <Esc>")" = "$none" ] || fail "Esc did not clear the search"
grep -q "no action here" "$T/out" && fail "Esc after a search is 'no action here'"
exit 0
