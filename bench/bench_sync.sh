#!/bin/sh
# bench_sync.sh — sync figures against the local fixture LMS (tests/fixtures/lms_server.py):
#   xAPI: STATEMENTS statements (default 1,000,000; target < 30 s), max RSS
#   xAPI: a tenth of them, max RSS (memory must stay flat in the number of statements)
#   Moodle: 3,000 learners over 20 courses, per-user calls 8 in parallel
# Usage: bench/bench_sync.sh [path/to/lcmtui]   (env STATEMENTS, LEARNERS, COURSES)
set -u
bin=${1:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
N=${STATEMENTS:-1000000}
L=${LEARNERS:-3000}
C=${COURSES:-20}
T=$(mktemp -d)
SP=""
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM

start_server() { # statements learners courses
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    rm -f "$T/port"
    rm -f "$T/log"
    /usr/bin/python3 "$top/tests/fixtures/lms_server.py" --port-file "$T/port" --statements "$1" \
        --learners "$2" --courses "$3" --page-max 2000 --log "$T/log" >/dev/null 2>&1 &
    SP=$!
    while [ ! -s "$T/port" ]; do sleep 0.05; done
    P=$(cat "$T/port")
    cat >"$T/conf" <<CONF
sync: { parallel = 8; };
sources = (
  { name = "lms"; type = "moodle"; url = "http://127.0.0.1:$P"; token = "fixture-token-123";
    page_size = 200; },
  { name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P/xapi"; user = "lrs-key";
    password = "lrs-secret-456"; page_size = 2000; }
);
CONF
    chmod 600 "$T/conf"
}

srv_cpu() { # CPU seconds used so far by the fixture server (utime + stime)
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$SP/stat"
}

measure() { # label source [pages: sample RSS until the last page has arrived]
    rm -f "$T/db" "$T/db-wal" "$T/db-shm"
    c0=$(srv_cpu)
    s=$(date +%s.%N)
    /usr/bin/time -v "$bin" -c "$T/conf" -d "$T/db" sync --verbose --source "$2" >"$T/out" \
        2>"$T/time" &
    tp=$!
    # RSS while pulling pages (not during the risk rescoring that ends every sync), sampled
    pull=0
    while kill -0 "$tp" 2>/dev/null; do
        lp=$(pgrep -P "$tp" 2>/dev/null | head -1)
        got=$(grep -c 'xapi: GET' "$T/time" 2>/dev/null)
        if [ -n "$lp" ] && [ -n "${3:-}" ] && [ "${got:-0}" -lt "$3" ]; then
            r=$(awk '/VmRSS/ { print $2 }' "/proc/$lp/status" 2>/dev/null)
            [ -n "$r" ] && [ "$r" -gt "$pull" ] && pull=$r
        fi
        sleep 0.2
    done
    wait "$tp" || { echo "$1: FAILED"; grep 'lcmtui: [a-z]*: ' "$T/time" | tail -3; return 1; }
    e=$(date +%s.%N)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
    cpu=$(sed -n 's/.*User time (seconds): //p' "$T/time")
    c1=$(srv_cpu)
    printf '%-30s %6.1f s  lcmtui CPU %5.1f s, server CPU %5.1f s  RSS pulling %6s KiB, max %6d KiB\n' \
        "$1" "$(echo "$e - $s" | bc)" "$cpu" "$(echo "$c1 - $c0" | bc)" \
        "$([ -n "${3:-}" ] && echo "$pull" || echo -)" "$rss"
    echo "    $(head -1 "$T/out")"
}

status=0
echo "  (load average before: $(cut -d' ' -f1-3 /proc/loadavg); elapsed times depend on it, CPU times less)"
start_server "$((N / 10))" 1000 4
measure "xapi $((N / 10)) statements" lrs $((N / 10 / 2000)) || status=1
start_server "$N" 1000 4
measure "xapi $N statements" lrs $((N / 2000)) || status=1
start_server 0 "$L" "$C"
measure "moodle $L learners, $C courses" lms || status=1
conc=$(/usr/bin/python3 -c 'import json, sys, urllib.request
print(json.loads(urllib.request.urlopen(sys.argv[1]).read())["max"])' "http://127.0.0.1:$P/_test/maxconc")
echo "  moodle: $(grep -c '"/webservice/rest/server.php"' "$T/log") requests, at most $conc in flight (sync.parallel = 8)"
exit $status
