#!/bin/sh
# e2e_po.sh — the catalogs are complete: every msgid the sources mark (_(), N_(), ngettext,
# extracted by xgettext exactly as `make pot` does) is in po/LANG.po, translated and not
# fuzzy (msgcmp), and msgfmt -c accepts each catalog with 0 untranslated and 0 fuzzy
# messages (format strings checked against their msgids, French plurals plural=(n > 1)).
# Fails naming the missing msgids: run `make pot`, translate, commit po/.
set -u
# e2e-engines: none
top=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "e2e_po: FAIL: $*" >&2; exit 1; }
command -v xgettext >/dev/null || fail "xgettext is missing (gettext: make deps)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top" "$@"; }
xg=$(mk print-XGETTEXT) && src=$(mk print-I18N_SRC) && langs=$(mk print-LINGUAS) ||
    fail "make print-XGETTEXT failed"
cd "$top" || exit 1
# shellcheck disable=SC2086
$xg -o "$tmp/fresh.pot" $src 2>"$tmp/err" || fail "xgettext: $(cat "$tmp/err")"
n=$(grep -c '^msgid ' "$tmp/fresh.pot")
[ "$n" -gt 1 ] || fail "xgettext found no message"
for l in $langs; do
    po=po/$l.po
    [ -f "$po" ] || fail "$po is missing"
    grep -q '^"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' "$po" || [ "$l" != fr ] ||
        fail "$po: French plurals must be plural=(n > 1)"
    msgcmp "$po" "$tmp/fresh.pot" >"$tmp/cmp" 2>&1 ||
        fail "$po lacks msgids used in the code (make pot, then translate):
$(grep -A1 'this message' "$tmp/cmp" | head -40)"
    msgfmt -c --statistics -o /dev/null "$po" 2>"$tmp/stat" || fail "msgfmt -c $po: $(cat "$tmp/stat")"
    grep -q 'untranslated\|fuzzy' "$tmp/stat" && fail "$po: $(cat "$tmp/stat")"
    echo "e2e_po: $po: $(cat "$tmp/stat")"
done
# The committed template is the one the sources give (headers aside).
strip() { sed -e '/^"POT-Creation-Date/d' "$1"; }
strip po/lcmtui.pot >"$tmp/a"
strip "$tmp/fresh.pot" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "po/lcmtui.pot is stale (make pot): $(diff "$tmp/a" "$tmp/b" | head -20)"
echo "e2e_po: ok ($((n - 1)) messages)"
