#!/bin/sh
# Public functions are named after their file (module_verb): every global function defined in
# BUILD/{core/*,tui,cli}/X.o starts with "X_" (or is X itself). Exceptions, by design:
# main; status.c's lcm_* family (the project's error model, used everywhere);
# a subcommand file cmd_X.c may define cmd_X*.
# Prints each offending symbol as "file.c: symbol" and exits 1 when there is one.
BUILD=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
bad=0
for o in "$BUILD"/core/*/*.o "$BUILD"/tui/*.o "$BUILD"/cli/*.o; do
    [ -f "$o" ] || continue
    stem=$(basename "$o" .o)
    src=${o#"$BUILD"/}
    src=${src%.o}.c
    [ -f "$src" ] || continue # a stale object of a file that is gone
    for sym in $(nm -g --defined-only "$o" | awk '$2 == "T" { print $3 }'); do
        case "$sym" in
        main) [ "$stem" = main ] && continue ;;
        "$stem" | "$stem"_*) continue ;;
        lcm_*) [ "$stem" = status ] && continue ;;
        esac
        echo "$src: $sym"
        bad=1
    done
done
[ "$bad" -eq 0 ] && echo "check_names: ok"
exit "$bad"
