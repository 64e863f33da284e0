# lms_fixture.sh — sourced by the sync tests (e2e_sync_*.sh): starts the fixture LMS
# (tests/fixtures/lms_server.py) and drives its control endpoints. The caller defines fail().
#
#   lms_start PORT_FILE ERR_FILE [SERVER ARGS...]
#       starts the server in the background on a free port and waits until it listens;
#       sets LMS_PID (the caller kills it) and LMS_PORT
#   lms_ctl PORT WHAT       GET /_control/WHAT (e.g. "fault?kind=500&count=1"), fails otherwise
lms_here=$(cd "$(dirname "$0")" && pwd)

lms_start() {
    lms_pf=$1
    lms_ef=$2
    shift 2
    /usr/bin/python3 "$lms_here/fixtures/lms_server.py" --port-file "$lms_pf" "$@" \
        >/dev/null 2>"$lms_ef" &
    LMS_PID=$!
    lms_n=0
    while [ ! -s "$lms_pf" ]; do
        lms_n=$((lms_n + 1))
        [ $lms_n -gt 100 ] && fail "fixture server did not start: $(cat "$lms_ef")"
        sleep 0.05
    done
    LMS_PORT=$(cat "$lms_pf")
}

lms_ctl() {
    /usr/bin/python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \
        "http://127.0.0.1:$1/_control/$2" || fail "control $2"
}
