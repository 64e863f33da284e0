#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR: the installed binary finds its data
# (mappings, templates, themes) beside itself, whatever PREFIX the objects were built with.
set -u
. "$(dirname "$0")/db.sh"
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-install-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
fail() { echo "e2e_install: $*" >&2; exit 1; }
cd "$top" || fail "no source tree"
make -s install BUILD="$BUILD" DESTDIR="$tmp/root" PREFIX=/opt/lcm >/dev/null || fail "make install"
bin="$tmp/root/opt/lcm/bin/lcmtui"
[ -x "$bin" ] || fail "no installed binary"
[ -f "$tmp/root/opt/lcm/share/man/man1/lcmtui.1" ] || fail "no man page"
[ -f "$tmp/root/opt/lcm/share/lcmtui/themes/dark.conf" ] || fail "no themes"
[ -f "$tmp/root/opt/lcm/share/lcmtui/data/templates/nudge_7.fr.txt" ] || fail "no templates"
[ -f "$tmp/root/opt/lcm/share/locale/fr/LC_MESSAGES/lcmtui.mo" ] || fail "no French catalog"
# Run it away from the source tree, so only the installed data can be found.
cd "$tmp" || fail "cd"
"$bin" --version | grep -q '^lcmtui ' || fail "--version"
db=$(db_target "$tmp/i.db")
printf 'code_module,code_presentation,module_presentation_length\nAAA,2013J,268\n' > courses.csv
out=$("$bin" --db "$db" import --mapping oulad --dry-run courses.csv 2>&1) ||
    fail "the installed binary cannot use its installed mapping: $out"
echo "$out" | grep -q "programs *1" || fail "dry run output: $out"
# The installed catalog: French from PREFIX/share/locale (a locale no machine has, so the
# note about it shows, in French).
out=$(LANGUAGE=fr LC_ALL=xx_XX.UTF-8 "$bin" --db "$db" summary 2>&1 >/dev/null)
echo "$out" | grep -q "n’est pas installée" || fail "the installed binary is not in French: $out"
cd "$top" || fail "cd"
make -s uninstall BUILD="$BUILD" DESTDIR="$tmp/root" PREFIX=/opt/lcm >/dev/null || fail "make uninstall"
left=$(find "$tmp/root" -type f | wc -l)
[ "$left" -eq 0 ] || fail "uninstall left $left files"
echo "e2e_install: ok"
