#!/bin/sh
# Runs every unit test binary in BUILD/tests and every end-to-end script tests/e2e_*.sh.
# Prints each cmocka summary and a last line "N passed, N failed"; exits 1 when any failed.
BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
passed=0
failed=0
failures=""
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    # A hung test must fail, not stall CI: every binary and script runs under a time limit.
    if out=$(timeout -k 10 300 "$t" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $name"
        printf '%s\n' "$out" | sed "s/^/$name: /" | tail -40
    fi
    printf '%s\n' "$out" | grep -E '^\[  (PASSED|FAILED)  \]' | sed "s/^/$name: /"
done
for s in "$here"/e2e_*.sh; do
    [ -x "$s" ] || continue
    name=$(basename "$s" .sh)
    if out=$(LCMTUI="$top/$BUILD/lcmtui" BUILD="$BUILD" timeout -k 10 600 "$s" 2>&1); then
        passed=$((passed + 1))
        printf '%s: ok\n' "$name"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        printf '%s\n' "$out" | sed "s/^/$name: /" | tail -40
        printf '%s: FAILED\n' "$name"
    fi
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
