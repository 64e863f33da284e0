#!/bin/sh
# e2e_no_create.sh — the modes that write nothing create no database either: `import
# --dry-run` and `sync --check` with --db naming a file that does not exist (nor its folder)
# still report, and leave no file behind, nor -wal/-shm/-journal, nor the folder; a dry run
# on an existing database leaves its bytes as they were. The normal modes create the
# database (0600).
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
map="$top/data/mappings/example-lms.conf"
fx="$top/tests/data/import/lms"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_no_create: $*" >&2; exit 1; }
cat >"$tmp/conf" <<CONF
sources = ({ name = "exports"; type = "csv"; path = "$fx/*.csv"; mapping = "$map"; });
CONF
# Only the config file in $tmp: no database, no folder, nothing else.
# On PostgreSQL: the databases named stay without a table.
new=$(db_target "$tmp/new/lcmtui.db") top_db=$(db_target "$tmp/lcmtui.db")
only_conf() {
    [ "$(ls -A "$tmp")" = conf ] || fail "$1 left: $(cd "$tmp" && ls -A | tr '\n' ' ')"
    if db_is_pg; then
        [ "$(db_tables "$new")" = 0 ] && [ "$(db_tables "$top_db")" = 0 ] ||
            fail "$1 created tables: $(db_tables "$new") and $(db_tables "$top_db")"
    fi
}

# import --dry-run: the report as on an empty database, no file.
out=$("$LCMTUI" --db "$new" import --dry-run --mapping "$map" "$fx"/*.csv) ||
    fail "import --dry-run failed: $out"
echo "$out" | grep -Eq 'learners +3 +\(3 new' || fail "dry run report: $out"
only_conf "import --dry-run (new folder)"
"$LCMTUI" --db "$top_db" import -n --mapping "$map" "$fx"/*.csv >/dev/null ||
    fail "import -n failed"
only_conf "import -n"

# sync --check: the check runs, no file; a failing check creates nothing either.
out=$("$LCMTUI" -c "$tmp/conf" --db "$new" sync --check 2>&1) ||
    fail "sync --check failed: $out"
echo "$out" | grep -q '^exports (csv): ok$' || fail "sync --check output: $out"
only_conf "sync --check"
sed 's/example-lms.conf/missing.conf/' "$tmp/conf" >"$tmp/bad.conf"
"$LCMTUI" -c "$tmp/bad.conf" --db "$top_db" sync --check >/dev/null 2>&1 &&
    fail "sync --check passed without its mapping"
rm -f "$tmp/bad.conf"
only_conf "a failed sync --check"

# The normal modes create the database, private.
imp=$(db_target "$tmp/new/import.db") sync=$(db_target "$tmp/sync.db")
"$LCMTUI" --db "$imp" import --mapping "$map" "$fx"/*.csv >/dev/null ||
    fail "import failed"
if ! db_is_pg; then
    [ -f "$tmp/new/import.db" ] || fail "import created no database"
    [ "$(stat -c %a "$tmp/new/import.db")" = 600 ] || fail "database mode $(stat -c %a "$tmp/new/import.db")"
fi
[ "$(db_query "$imp" 'SELECT count(*) FROM learner')" = 3 ] || fail "import wrote no learner"
"$LCMTUI" -c "$tmp/conf" --db "$sync" sync >/dev/null 2>&1 || fail "sync failed"
[ "$(db_query "$sync" 'SELECT count(*) FROM learner')" = 3 ] || fail "sync created no database"

# A dry run and a check on an existing database change none of its bytes.
# (on PostgreSQL: none of its schema and rows, pg_dump's view)
bytes() { if db_is_pg; then db_digest "$imp"; else md5sum <"$tmp/new/import.db"; fi; }
sum=$(bytes)
"$LCMTUI" --db "$imp" import --dry-run --mapping "$map" "$fx"/*.csv >/dev/null ||
    fail "dry run on an existing database failed"
"$LCMTUI" -c "$tmp/conf" --db "$imp" sync --check >/dev/null 2>&1 ||
    fail "check on an existing database failed"
[ "$(bytes)" = "$sum" ] || fail "a dry run or a check changed the database"
echo "e2e_no_create: ok"
