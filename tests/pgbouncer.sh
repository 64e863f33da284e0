# pgbouncer.sh — sourced (not run on its own) by tests/e2e_pgbouncer.sh and bench/bench_pg.sh:
# Debian's pgbouncer in front of the throwaway cluster of tests/pg_cluster.sh, on 127.0.0.1 at a
# free port, session pooling with its default reset (DISCARD ALL), SCRAM with the cluster's
# password. The caller has the cluster's environment (LCMTUI_TEST_PG_URI, PGPASSFILE), and
# defines `fail MESSAGE` first. pgb_start DIR POOL_SIZE starts it in DIR (a private directory
# under a directory others may traverse: as root the pooler runs as nobody) and sets pgb_port
# (after a failure: fail called, status 1); PGPASSFILE then names a copy with a line for the pooler's port too;
# pgb_uri DB prints the pooled URI of database DB; pgb_stop stops it.
pgb_start() {
    pgb_dir=$1
    _host=$(printf '%s\n' "$LCMTUI_TEST_PG_URI" | sed 's|^[a-z]*://[^@]*@||; s|/.*||')
    _port=${_host##*:}
    _host=${_host%:*}
    _pw=$(awk -F: -v h="$_host" -v p="$_port" '$1 == h && $2 == p { print $5; exit }' "$PGPASSFILE")
    [ -n "$_pw" ] || { fail "no password for $_host:$_port in $PGPASSFILE"; return 1; }
    pgb_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$pgb_dir/pgb.ini" <<EOF2
[databases]
* = host=$_host port=$_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $pgb_port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $pgb_dir/users.txt
pool_mode = session
default_pool_size = $2
query_wait_timeout = 30
max_client_conn = 50
logfile = $pgb_dir/pgb.log
pidfile = $pgb_dir/pgb.pid
EOF2
    printf '"lcmtui" "%s"\n' "$_pw" >"$pgb_dir/users.txt"
    chmod 600 "$pgb_dir/users.txt"
    { printf '127.0.0.1:%s:*:lcmtui:%s\n' "$pgb_port" "$_pw"; cat "$PGPASSFILE"; } >"$pgb_dir/pgpass"
    chmod 600 "$pgb_dir/pgpass"
    PGPASSFILE=$pgb_dir/pgpass
    export PGPASSFILE
    if [ "$(id -u)" = 0 ]; then # pgbouncer refuses to run as root
        chown nobody "$pgb_dir" "$pgb_dir/pgb.ini" "$pgb_dir/users.txt"
        runuser -u nobody -- pgbouncer -d "$pgb_dir/pgb.ini" || { fail "pgbouncer did not start"; return 1; }
    else
        pgbouncer -d "$pgb_dir/pgb.ini" || { fail "pgbouncer did not start"; return 1; }
    fi
    _i=0
    until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $pgb_port), 1)" 2>/dev/null; do
        _i=$((_i + 1))
        [ $_i -lt 50 ] || { fail "pgbouncer is not listening on $pgb_port: $(tail -3 "$pgb_dir/pgb.log" 2>&1)"; return 1; }
        /usr/bin/python3 -c 'import time; time.sleep(0.1)'
    done
}

pgb_uri() { echo "postgresql://lcmtui@127.0.0.1:$pgb_port/$1"; }

pgb_stop() {
    [ -n "${pgb_dir:-}" ] && [ -f "$pgb_dir/pgb.pid" ] && kill "$(cat "$pgb_dir/pgb.pid")" 2>/dev/null
    return 0
}
