# db.sh — sourced by the e2e scripts that open a store, so that each runs on both engines
# (issue 17). The engine is LCMTUI_TEST_ENGINE (sqlite or postgresql; sqlite when unset), set
# by tests/run_all.sh, which runs such a script once per engine. On postgresql the server is
# the one tests/pg_cluster.sh exports (LCMTUI_TEST_PG_URI, its password in PGPASSFILE); without
# it (or without psql) sourcing this file exits 77 (skipped).
#
#   DB_ENGINE              sqlite or postgresql
#   db_target PATH         prints the target of a fresh store for --db or a config's `database`:
#                          PATH itself on sqlite (a file under the script's temporary directory);
#                          on postgresql the URI of a new empty database named after the
#                          script's PID, PATH's file name and a digest of PATH
#                          (e2e_PID_d_db_HASH), made on the first call; the same PATH always
#                          gives the same target
#   db_clone FROM TO       copies the store of path FROM (made by db_target) to path TO (not
#                          made yet) and prints TO's target: cp, or CREATE DATABASE ... TEMPLATE
#   db_query TARGET SQL    runs SQL on TARGET (sqlite3, or psql with ON_ERROR_STOP) and prints
#                          the rows as sqlite3 does (columns joined by |, NULL as nothing);
#                          exits non-zero on an error
#   db_pick SQLITE PG      prints its first argument on sqlite, its second on postgresql (for the
#                          few queries whose dialects differ: char() vs chr(), strftime...)
#   db_dump TARGET [TABLE...], db_digest TARGET [TABLE...]
#                          print the whole store as SQL, or its digest, schema and rows (sqlite3 .dump,
#                          pg_dump), leaving out the rows of the TABLEs named (and the
#                          sequences' positions, which a rolled-back insert moves on PostgreSQL:
#                          sqlite_sequence, setval; and pg_dump's random \restrict key); a
#                          digest of a failed dump or of one without a table is unique. On
#                          postgresql the lines come sorted: pg_dump writes the rows in their
#                          physical order, which an UPDATE changes
#   db_tables TARGET       prints how many tables TARGET holds (0: nothing was created in it)
#   db_is_pg               true on postgresql
#   db_cleanup             drops the databases this script made (call it from the EXIT trap)
#   db_env                 prints the VAR=value words a script running lcmtui under `env -i`
#                          must pass for the server's password (PGPASSFILE), nothing on sqlite
DB_ENGINE=${LCMTUI_TEST_ENGINE:-sqlite}
db_self=$(basename "$0" .sh)
case "$DB_ENGINE" in
sqlite)
    command -v sqlite3 >/dev/null 2>&1 || {
        echo "$db_self: skipped (no sqlite3 shell)"
        exit 77
    }
    ;;
postgresql)
    [ -n "${LCMTUI_TEST_PG_URI:-}" ] || {
        echo "$db_self: skipped (no PostgreSQL server: LCMTUI_TEST_PG_URI is unset)"
        exit 77
    }
    command -v psql >/dev/null 2>&1 || {
        echo "$db_self: skipped (no psql)"
        exit 77
    }
    ;;
*)
    echo "$db_self: LCMTUI_TEST_ENGINE must be sqlite or postgresql, not '$DB_ENGINE'" >&2
    exit 2
    ;;
esac
# $$ is the script's PID in its subshells too ($(db_target ...)).
db_prefix="e2e_$$_"

db_is_pg() { [ "$DB_ENGINE" = postgresql ]; }

db_pick() { # sqlite-text pg-text
    if db_is_pg; then printf '%s\n' "$2"; else printf '%s\n' "$1"; fi
}

db_admin() { # SQL: on the cluster's own database
    PGOPTIONS="-c client_min_messages=warning" \
        psql -X -q -v ON_ERROR_STOP=1 -d "$LCMTUI_TEST_PG_URI" -c "$1" >/dev/null
}

# The URI of the server with its database replaced by $1 (the part after the authority's '/').
db_uri_for() {
    printf '%s\n' "$LCMTUI_TEST_PG_URI" | sed "s|^\([a-z]*://[^/?]*\)[^?]*|\1/$1|"
}

# The PostgreSQL database of a path: its file name, readable, and a digest of the whole path
# (a/x.db and b/x.db differ).
db_name_of() { # path
    db_n="$db_prefix$(basename "$1" | tr -c 'A-Za-z0-9_\n' '_' | tr 'A-Z' 'a-z' | cut -c1-30)"
    printf '%s_%s\n' "$db_n" "$(printf '%s' "$1" | md5sum | cut -c1-8)"
}

db_target() { # path
    if ! db_is_pg; then
        printf '%s\n' "$1"
        return 0
    fi
    db_name=$(db_name_of "$1")
    [ "$(psql -X -A -t -d "$LCMTUI_TEST_PG_URI" \
        -c "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" = 1 ] ||
        db_admin "CREATE DATABASE $db_name" || {
        echo "$db_self: cannot create the PostgreSQL database $db_name" >&2
        exit 1
    }
    db_uri_for "$db_name"
}

db_clone() { # from-path to-path
    if ! db_is_pg; then
        cp "$1" "$2" && printf '%s\n' "$2"
        return
    fi
    db_admin "CREATE DATABASE $(db_name_of "$2") TEMPLATE $(db_name_of "$1")" || {
        echo "$db_self: cannot copy the PostgreSQL database of $1" >&2
        exit 1
    }
    db_uri_for "$(db_name_of "$2")"
}

db_query() { # target sql
    case "$1" in
    # SQL on stdin, as sqlite3 takes it: each statement on its own, every result printed
    postgresql://* | postgres://*) printf '%s\n' "$2" | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" ;;
    *) sqlite3 "$1" "$2" ;;
    esac
}

db_dump() { # target [table...]
    db_t=$1
    shift
    case "$db_t" in
    postgresql://* | postgres://*)
        db_x=""
        for db_e in "$@"; do db_x="$db_x --exclude-table-data=$db_e"; done
        # shellcheck disable=SC2086
        db_out=$(pg_dump --no-owner --inserts $db_x -d "$db_t") || return 1
        printf '%s\n' "$db_out" |
            grep -v -e '^--' -e 'pg_catalog.setval(' -e '^.\(un\)\{0,1\}restrict ' | LC_ALL=C sort ;;
    *)
        db_x="sqlite_sequence"
        for db_e in "$@"; do db_x="$db_x\|^INSERT INTO $db_e "; done
        db_out=$(sqlite3 "$db_t" .dump) || return 1
        printf '%s\n' "$db_out" | grep -v "$db_x" ;;
    esac
}

# A dump that failed or holds no table never equals another digest.
db_digest() { # target [table...]
    db_d=$(db_dump "$@")
    case "$db_d" in
    *"CREATE TABLE"*) printf '%s\n' "$db_d" | md5sum ;;
    *)
        echo "$db_self: no dump of $1" >&2
        echo "no dump $$ $(od -An -N8 -tx1 /dev/urandom | tr -d ' ')"
        ;;
    esac
}

db_tables() { # target
    db_query "$1" "$(db_pick "SELECT count(*) FROM sqlite_master WHERE type = 'table'" \
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")"
}

db_cleanup() {
    db_is_pg || return 0
    for db_d in $(psql -X -A -t -d "$LCMTUI_TEST_PG_URI" \
        -c "SELECT datname FROM pg_database WHERE starts_with(datname, '$db_prefix')" 2>/dev/null); do
        db_admin "DROP DATABASE IF EXISTS $db_d WITH (FORCE)" 2>/dev/null || true
    done
    return 0
}

db_env() {
    if db_is_pg && [ -n "${PGPASSFILE:-}" ]; then printf 'PGPASSFILE=%s\n' "$PGPASSFILE"; fi
}
