#!/bin/sh
# e2e_help_fr.sh — every command's --help in French (LANGUAGE=fr, no general.lang) and in
# English (LANGUAGE=en): the French one starts "usage : lcmtui", shares no sentence with the
# English one (only option synopses may be equal), and English comes back with LANGUAGE=en or
# general.lang = "en".
set -u
# e2e-engines: none
LCMTUI=${LCMTUI:-build/lcmtui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "e2e_help_fr: FAIL: $*" >&2; exit 1; }
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
for c in agenda demo import learners outbox post report risk sequences summary sync team; do
    LANGUAGE=fr "$LCMTUI" --db "$tmp/db" "$c" --help >"$tmp/fr.$c" 2>&1 || fail "$c --help (fr) failed"
    LANGUAGE=en "$LCMTUI" --db "$tmp/db" "$c" --help >"$tmp/en.$c" 2>&1 || fail "$c --help (en) failed"
    LANGUAGE=fr "$LCMTUI" --config "$tmp/en.conf" --db "$tmp/db" "$c" --help >"$tmp/en2.$c" 2>&1 ||
        fail "$c --help (general.lang en) failed"
    head -1 "$tmp/fr.$c" | grep -q '^usage : lcmtui' || fail "$c --help is not French: $(head -1 "$tmp/fr.$c")"
    head -1 "$tmp/en.$c" | grep -q '^usage: lcmtui' || fail "$c --help is not English: $(head -1 "$tmp/en.$c")"
    cmp -s "$tmp/en.$c" "$tmp/en2.$c" || fail "$c --help: general.lang = \"en\" is not English"
    # a line of the English help left in the French one, unless it is only a synopsis (at most
    # one lowercase word, the subcommand, outside brackets and options)
    grep -vxF '' "$tmp/en.$c" | grep -xF -f - "$tmp/fr.$c" |
        sed 's/\[[^]]*\]//g; s/--[a-z-]*//g' |
        awk '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[a-z]+$/) n++ } n > 1' >"$tmp/same"
    [ -s "$tmp/same" ] && fail "$c --help: English left in French: $(head -3 "$tmp/same")"
done
exit 0
