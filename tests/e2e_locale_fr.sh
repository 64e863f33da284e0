#!/bin/sh
# e2e_locale_fr.sh — under a real French locale (fr_FR.UTF-8, built with localedef into a
# folder and found through LOCPATH, so no root and no system locale is needed), parsing and
# machine formats stay in the C locale: test_i18n's French-locale cases run and must not skip
# (strtod("0.75"), "%.2f", a double in the config, dates, the French forms a person reads),
# and the binary's machine outputs (risk scores, the CSV report) are byte for byte those it
# gives under C.UTF-8, while its messages are in French.
set -u
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
BUILD=${BUILD:-build}
fail() { echo "e2e_locale_fr: FAIL: $*" >&2; exit 1; }
command -v localedef >/dev/null || fail "localedef is missing (libc-bin)"
[ -f /usr/share/i18n/locales/fr_FR ] || fail "no fr_FR locale source (locales: make deps)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-locale-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
mkdir "$tmp/loc"
localedef -i fr_FR -f UTF-8 "$tmp/loc/fr_FR.UTF-8" >"$tmp/err" 2>&1 ||
    fail "localedef fr_FR.UTF-8: $(cat "$tmp/err")"
fr() { env -u LANGUAGE LOCPATH="$tmp/loc" LC_ALL=fr_FR.UTF-8 "$@"; }
c() { env -u LANGUAGE LC_ALL=C.UTF-8 "$@"; }

# 1. The unit cases, in the French locale (LCMTUI_FR_LOCALE: a missing locale fails them).
unit="$top/$BUILD/tests/test_i18n"
[ -x "$unit" ] || fail "$unit is missing (make check builds it)"
fr env LCMTUI_FR_LOCALE=1 "$unit" >"$tmp/unit" 2>&1 || fail "test_i18n under fr_FR.UTF-8: $(cat "$tmp/unit")"
grep -q SKIPPED "$tmp/unit" && fail "test_i18n skipped its French-locale cases: $(cat "$tmp/unit")"

# 2. The binary: the same machine outputs under both locales, French messages under fr_FR.
db=$(db_target "$tmp/db")
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
c "$LCMTUI" -c "$tmp/en.conf" --db "$db" --today 2026-12-01 demo >/dev/null 2>&1 || fail "demo failed"
for l in c fr; do
    $l "$LCMTUI" -c "$tmp/en.conf" --db "$db" --today 2026-12-01 risk list --level all --limit 40 >"$tmp/risk.$l" 2>&1 ||
        fail "risk list under $l: $(cat "$tmp/risk.$l")"
    $l "$LCMTUI" -c "$tmp/en.conf" --db "$db" --today 2026-12-01 report --format csv >"$tmp/csv.$l" 2>&1 ||
        fail "report under $l: $(cat "$tmp/csv.$l")"
done
grep -q '[0-9]\.[0-9]' "$tmp/risk.c" || fail "no decimal score in: $(head -3 "$tmp/risk.c")"
cmp -s "$tmp/risk.c" "$tmp/risk.fr" || fail "risk list differs under fr_FR: $(diff "$tmp/risk.c" "$tmp/risk.fr" | head -5)"
cmp -s "$tmp/csv.c" "$tmp/csv.fr" || fail "the CSV report differs under fr_FR: $(diff "$tmp/csv.c" "$tmp/csv.fr" | head -5)"
out=$(fr "$LCMTUI" --db "$db" bogus 2>&1)
echo "$out" | grep -q "commande inconnue" || fail "no French message under fr_FR.UTF-8: $out"
echo "e2e_locale_fr: ok"
