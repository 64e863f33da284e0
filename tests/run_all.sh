#!/bin/sh
# Runs every unit test binary in BUILD/tests and every end-to-end script tests/e2e_*.sh.
# Prints each cmocka summary, a line "PASS|FAIL|SKIP NAME.sh [ENGINE]" per script and engine,
# and a last line "N passed, N failed, N skipped"; exits 1 when any failed. A script that
# passes on one engine and fails on the other is a failure.
#
# Skips follow automake's convention: a script that cannot run here (data absent, a check
# that cannot work under ASan) prints one line with its reason and exits 77; it is counted
# as skipped, never as passed, and listed as "NAME: skipped (reason)". A cmocka binary counts
# as one pass, and each test it skipped (cmocka's skip(), "[  SKIPPED ] name") as one skip.
BUILD=${1:-build}
# calendar.timezone unset means the system's zone: the same one for every test, on any machine
# (the tests of that default set TZ themselves).
TZ=UTC
export TZ
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
passed=0
failed=0
skipped=0
failures=""

# The reason a script gave: its last line, without a leading "NAME: " or "skipped: ".
reason_of() { # name output
    printf '%s\n' "$2" | sed '/^[[:space:]]*$/d' | tail -1 |
        sed -e "s/^$1: *//" -e 's/^[Ss]kip\(ped\)\{0,1\}[:,]* *//'
}

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
    # cmocka prints "[  SKIPPED ] test" when the test skips and again in its closing list,
    # after "[  SKIPPED ] N test(s), listed below:".
    for s in $(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([A-Za-z0-9_]*\)$/\1/p' | sort -u); do
        skipped=$((skipped + 1))
        printf '%s: skipped (%s: skip() in the test)\n' "$name" "$s"
    done
done
# Which engines a script runs on: those that source tests/db.sh run on both (sqlite, then
# postgresql, each reported on its own line); a line "# e2e-engines: LIST" says otherwise
# ("none" for a script that opens no store: it runs once, as "[no store]"); any other script
# runs once, on SQLite, and is listed at the end as not yet run on PostgreSQL.
engines_of() { # script
    e=$(sed -n 's/^# e2e-engines: *//p' "$1" | head -1)
    if [ -n "$e" ]; then
        echo "$e"
    elif grep -q '^\. .*/db\.sh"' "$1"; then
        echo "sqlite postgresql"
    else
        echo "sqlite-only"
    fi
}
sqlite_only=""
for s in "$here"/e2e_*.sh; do
    [ -x "$s" ] || continue
    name=$(basename "$s" .sh)
    for engine in $(engines_of "$s"); do
        case "$engine" in
        none) label="no store" engine="" ;;
        sqlite-only) label="sqlite" engine=sqlite sqlite_only="$sqlite_only $name" ;;
        *) label=$engine ;;
        esac
        if [ "$engine" = postgresql ] && [ -z "${LCMTUI_TEST_PG_URI:-}" ]; then
            skipped=$((skipped + 1))
            printf 'SKIP %s.sh [%s] (no PostgreSQL server: run under tests/pg_cluster.sh)\n' "$name" "$label"
            continue
        fi
        out=$(LCMTUI="$top/$BUILD/lcmtui" BUILD="$BUILD" LCMTUI_TEST_ENGINE="$engine" \
            timeout -k 10 600 "$s" 2>&1)
        rc=$?
        if [ "$rc" -eq 0 ]; then
            passed=$((passed + 1))
            printf 'PASS %s.sh [%s]\n' "$name" "$label"
        elif [ "$rc" -eq 77 ]; then
            skipped=$((skipped + 1))
            printf 'SKIP %s.sh [%s] (%s)\n' "$name" "$label" "$(reason_of "$name" "$out")"
        else
            failed=$((failed + 1))
            failures="$failures $name[$label]"
            printf '%s\n' "$out" | sed "s/^/$name [$label]: /" | tail -40
            printf 'FAIL %s.sh [%s] (exit %d)\n' "$name" "$label" "$rc"
        fi
    done
done
[ -n "$sqlite_only" ] && echo "run on SQLite only (they do not source tests/db.sh):$sqlite_only"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
