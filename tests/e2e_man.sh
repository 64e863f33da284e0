#!/bin/sh
# e2e_man.sh — doc/lcmtui.1 renders without a single groff warning (-ww), and keeps up with
# the code: every command of cli/main.c's table has its own entry (.SS NAME), every global
# option of main.c is described, and every environment variable the C sources read with
# getenv() is in ENVIRONMENT.
set -u
# e2e-engines: none
top=$(cd "$(dirname "$0")/.." && pwd)
man="$top/doc/lcmtui.1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "e2e_man: $*" >&2; exit 1; }
command -v groff >/dev/null || fail "groff is required (groff-base: make deps)"

LC_ALL=C.UTF-8 groff -man -Tutf8 -ww "$man" >"$tmp/out" 2>"$tmp/err" || fail "groff failed: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "groff warns: $(head -5 "$tmp/err")"
for sec in SYNOPSIS OPTIONS COMMANDS ENVIRONMENT FILES "EXIT STATUS"; do
    grep -q "^\.SH $sec\$" "$man" || fail "no $sec section"
done

# The commands: {"name", cmd_name, "help"} in main.c.
cmds=$(sed -n 's/^ *{"\([a-z]*\)", cmd_[a-z_]*, .*/\1/p' "$top/cli/main.c")
[ -n "$cmds" ] || fail "no command table found in cli/main.c"
for c in $cmds; do
    grep -q "^\.SS $c\$" "$man" || fail "command $c has no entry (.SS $c) in doc/lcmtui.1"
done
# The global options: each {"name", ..._argument, ...} of main.c's getopt table (however
# clang-format lays them out).
for o in $(grep -o '{"[a-z-]*", [a-z_]*_argument' "$top/cli/main.c" | sed 's/{"\([a-z-]*\)".*/\1/'); do
    oe=$(printf '%s\n' "$o" | sed 's/-/\\\\-/g') # read-only: read\-only in the page
    grep -q -- "\\\\-\\\\-$oe" "$man" || fail "global option --$o is not described"
done
# The environment: every getenv("NAME") in core/, cli/, tui/.
vars=$(cat "$top"/core/*/*.c "$top"/cli/*.c "$top"/tui/*.c | grep -o 'getenv("[A-Z_]*")' |
    sed 's/getenv("\(.*\)")/\1/' | sort -u)
[ -n "$vars" ] || fail "no getenv() found"
sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$man" >"$tmp/env"
for v in $vars; do
    grep -q "$v" "$tmp/env" || fail "environment variable $v (read by the code) is not in ENVIRONMENT"
done
echo "e2e_man: ok ($(echo "$cmds" | wc -w) commands, $(echo "$vars" | wc -w) variables)"
