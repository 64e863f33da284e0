#!/bin/sh
# run.sh BUILD TARGET... — runs each libFuzzer target BUILD/tests/fuzz/fuzz_TARGET for
# $FUZZ_SECONDS seconds (default 10) on its own corpus, BUILD/fuzz-corpus/TARGET, seeded from
# tests/data/fuzz/TARGET and the files listed in seeds() below. A crash, a leak, a sanitizer
# report or a unit slower than $FUZZ_TIMEOUT seconds (default 20) fails the run: the input is
# saved as BUILD/fuzz-artifacts/TARGET-crash-..., and the last lines of the log are printed.
# Reproduce with: BUILD/tests/fuzz/fuzz_TARGET BUILD/fuzz-artifacts/TARGET-crash-...
set -u
BUILD=${1:?usage: run.sh BUILD TARGET...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
S=${FUZZ_SECONDS:-10}
TO=${FUZZ_TIMEOUT:-20}
JOBS=${FUZZ_JOBS:-1} # more than 1: libFuzzer's -fork=N, N processes per target

# Extra seed files for a target, beyond tests/data/fuzz/TARGET/.
seeds() {
    case "$1" in
    csv) ls tests/data/import/lms/*.csv ;;
    mapping) ls tests/data/import/t.conf data/mappings/*.conf data/lcmtui.conf.example ;;
    template) ls data/templates/*.en.txt ;;
    inmail) ls tests/fixtures/mail/*.eml ;;
    esac
}

status=0
for t in "$@"; do
    bin=$BUILD/tests/fuzz/fuzz_$t
    corpus=$BUILD/fuzz-corpus/$t
    art=$BUILD/fuzz-artifacts
    mkdir -p "$corpus" "$art"
    [ -d "tests/data/fuzz/$t" ] && cp -n tests/data/fuzz/"$t"/* "$corpus"/ 2>/dev/null
    for f in $(seeds "$t"); do cp -n "$f" "$corpus"/ 2>/dev/null; done
    log=$BUILD/fuzz-$t.log
    par=""
    [ "$JOBS" -gt 1 ] && par="-fork=$JOBS"
    # shellcheck disable=SC2086 # $par is one option or none
    if ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$top/tests/fuzz/lsan.supp \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$S" -timeout="$TO" -rss_limit_mb=2048 -max_len=16384 $par \
        -print_final_stats=1 -artifact_prefix="$art/$t-" "$corpus" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "fuzz $t: ok (${runs:-?} runs in ${S} s, $cov, corpus $(ls "$corpus" | wc -l))"
    else
        echo "fuzz $t: FAILED (log $log)"
        grep -E 'ERROR|SUMMARY|assertion failed|Test unit written|timeout' "$log" | head -20
        status=1
    fi
done
exit $status
