# radicale.sh — sourced by the CalDAV end-to-end scripts (not run on its own): a real
# Debian radicale on 127.0.0.1, a free port, an htpasswd user lcm, and a calendar made with
# MKCALENDAR. The caller defines `tmp` (a private directory) and `fail MESSAGE` first, then
# calls radicale_setup, start_server and make_calendar; its EXIT trap calls stop_server.
PY=/usr/bin/python3
pid=""

stop_server() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        # radicale may ignore SIGTERM while a request is open: give it 5 s, then SIGKILL.
        n=0
        while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        pid=""
    fi
}

# Checks the tools, picks a free port, writes the users file and the server config; sets
# port, base (the server URL) and cal (the calendar collection URL).
radicale_setup() {
    for tool in curl sqlite3; do
        command -v "$tool" >/dev/null || fail "$tool is required"
    done
    $PY -c 'import radicale' 2>/dev/null ||
        fail "Debian's radicale is required (apt-get install radicale)"
    port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base="http://127.0.0.1:$port"
    cal="$base/lcm/calendar/"
    printf 'lcm:s3cr3t-pw\n' >"$tmp/users"
    cat >"$tmp/radicale.conf" <<EOF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $tmp/users
htpasswd_encryption = plain
[rights]
type = owner_only
[storage]
filesystem_folder = $tmp/collections
[logging]
level = warning
EOF
}

# Starts the server and waits until it answers (a bounded poll, about 10 s).
start_server() {
    $PY -m radicale --config "$tmp/radicale.conf" >>"$tmp/radicale.log" 2>&1 &
    pid=$!
    i=0
    until curl -s -o /dev/null "$base/"; do
        i=$((i + 1))
        [ $i -le 200 ] || fail "radicale did not listen on port $port"
        kill -0 "$pid" 2>/dev/null || fail "radicale exited"
        sleep 0.05
    done
}

dav() { curl -s -u lcm:s3cr3t-pw "$@"; }

# Creates the calendar collection (after start_server).
make_calendar() {
    code=$(dav -o /dev/null -w '%{http_code}' -X MKCALENDAR "$cal")
    [ "$code" = 201 ] || fail "MKCALENDAR returned $code"
}
