#!/bin/sh
# A throwaway PostgreSQL cluster for the tests (the base for the PostgreSQL store, issue 17).
#
#   tests/pg_cluster.sh start      initdb + pg_ctl in a new temporary directory; prints the
#                                  environment to use it (as `env` does)
#   tests/pg_cluster.sh env        prints `export NAME='value'` lines for the running cluster:
#                                  PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSFILE and
#                                  LCMTUI_TEST_PG_URI (postgresql://lcmtui@127.0.0.1:PORT/lcmtui,
#                                  its password in the PGPASSFILE, as a team's .pgpass)
#   tests/pg_cluster.sh stop       stops it and removes its directory
#   tests/pg_cluster.sh restart    stops the running one and starts it again on its port, with
#                                  PG_CLUSTER_SERVER_OPTS (a benchmark's other settings)
#   tests/pg_cluster.sh run CMD..  starts one, runs CMD with that environment, stops it, and
#                                  exits with CMD's status; without PostgreSQL it runs CMD
#                                  alone (the tests needing it then skip)
#
# The server listens on a Unix socket in its directory (mode 0700) and on 127.0.0.1 at a free
# port, with a password (scram-sha-256) over TCP: other users of the machine cannot use it.
# PostgreSQL refuses to run as root: as root (CI) the server runs as nobody through runuser.
# The running cluster's directory is kept in $PG_CLUSTER_STATE (default
# build/pg_cluster.state). Exits 77 when PostgreSQL is not installed (start, env).
# PG_CLUSTER_SERVER_OPTS: the server's -c settings (default: fsync, full_page_writes and
# synchronous_commit off, for the tests; bench/bench_pg.sh sets "" for a durable server).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
state=${PG_CLUSTER_STATE:-$top/build/pg_cluster.state}

# The server binaries: PG_BIN, else Debian's newest /usr/lib/postgresql/N/bin, else PATH.
find_bin() {
    if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then
        echo "$PG_BIN"
        return 0
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d" && return 0
    done
    d=$(command -v initdb 2>/dev/null || true)
    [ -n "$d" ] && dirname "$d" && return 0
    return 1
}

# Runs a server command as the cluster's owner (nobody when we are root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

print_env() { # dir
    port=$(cat "$1/port")
    cat <<EOF
export PGHOST='$1/sock'
export PGPORT='$port'
export PGUSER='lcmtui'
export PGDATABASE='lcmtui'
export PGPASSFILE='$1/pgpass'
export LCMTUI_TEST_PG_URI='postgresql://lcmtui@127.0.0.1:$port/lcmtui'
EOF
}

start() {
    bin=$(find_bin) || { echo "pg_cluster: PostgreSQL is not installed (initdb not found)" >&2; exit 77; }
    if [ -f "$state" ] && [ -d "$(cat "$state")" ]; then
        echo "pg_cluster: one is running already in $(cat "$state") (stop it first)" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$state")"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-pg.XXXXXX")
    chmod 700 "$dir"
    mkdir "$dir/sock"
    pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$pw" >"$dir/pw"
    umask 077
    [ "$(id -u)" = 0 ] && chown -R nobody "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U lcmtui --pwfile="$dir/pw" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        exit 1
    }
    # Tests trade durability for speed; a benchmark sets PG_CLUSTER_SERVER_OPTS ("" for the
    # defaults: fsync on, as a team's server).
    server_opts=${PG_CLUSTER_SERVER_OPTS--c fsync=off -c full_page_writes=off -c synchronous_commit=off}
    tries=0
    while :; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 $server_opts" \
            start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 3 ]; then # another process took the port between the check and the start
            cat "$dir/server.log" >&2 2>/dev/null || true
            rm -rf "$dir"
            exit 1
        fi
    done
    echo "$port" >"$dir/port"
    rm -f "$dir/pw"
    # The password file belongs to whoever runs the tests (libpq ignores one others can read).
    printf '127.0.0.1:%s:*:lcmtui:%s\n' "$port" "$pw" >"$dir/pgpass"
    chown "$(id -u)" "$dir/pgpass"
    chmod 600 "$dir/pgpass"
    as_owner "$bin/psql" -q -h "$dir/sock" -p "$port" -U lcmtui -d postgres \
        -c "CREATE DATABASE lcmtui" >/dev/null
    echo "$dir" >"$state"
    print_env "$dir"
}

stop() {
    [ -f "$state" ] || return 0
    dir=$(cat "$state")
    bin=$(find_bin) || true
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in */lcmtui-pg.*) rm -rf "$dir" ;; esac
    rm -f "$state"
}

restart() {
    bin=$(find_bin) || { echo "pg_cluster: PostgreSQL is not installed" >&2; exit 77; }
    [ -f "$state" ] || { echo "pg_cluster: none running (tests/pg_cluster.sh start)" >&2; exit 1; }
    dir=$(cat "$state")
    server_opts=${PG_CLUSTER_SERVER_OPTS--c fsync=off -c full_page_writes=off -c synchronous_commit=off}
    as_owner "$bin/pg_ctl" -D "$dir/data" -w stop >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $(cat "$dir/port") -k $dir/sock -c listen_addresses=127.0.0.1 $server_opts" \
        start >/dev/null || { tail -5 "$dir/server.log" >&2; exit 1; }
}

case "${1:-}" in
start) start ;;
stop) stop ;;
restart) restart ;;
env)
    find_bin >/dev/null || { echo "pg_cluster: PostgreSQL is not installed" >&2; exit 77; }
    [ -f "$state" ] || { echo "pg_cluster: none running (tests/pg_cluster.sh start)" >&2; exit 1; }
    print_env "$(cat "$state")"
    ;;
run)
    shift
    [ "$#" -gt 0 ] || { echo "usage: $0 run CMD [ARG...]" >&2; exit 2; }
    if ! find_bin >/dev/null; then
        echo "pg_cluster: PostgreSQL is not installed: the tests needing it skip" >&2
        exec "$@"
    fi
    # A cluster of this run alone, whatever else runs.
    PG_CLUSTER_STATE=$(mktemp "${TMPDIR:-/tmp}/lcmtui-pg-state.XXXXXX")
    export PG_CLUSTER_STATE
    rm -f "$PG_CLUSTER_STATE"
    state=$PG_CLUSTER_STATE
    trap 'stop' EXIT
    trap 'exit 130' INT TERM
    envs=$(start)
    eval "$envs"
    rc=0
    "$@" || rc=$?
    exit "$rc"
    ;;
*)
    echo "usage: $0 start|stop|restart|env|run CMD [ARG...]" >&2
    exit 2
    ;;
esac
