#!/bin/sh
# e2e_sync_csv.sh — a CSV export source syncs like `lcmtui import` (same rows), twice without
# doubling anything; a glob matching nothing is a warning; --check fails on a missing mapping.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
T=$(mktemp -d)
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_sync_csv: $*" >&2; exit 1; }
q() { db_query "$1" "$2"; }
import=$(db_target "$T/import.db") sync=$(db_target "$T/sync.db") fr=$(db_target "$T/fr.db")
fig() { q "$1" "select (select count(*) from learner), (select count(*) from enrollment),
                       (select sum(actions) from activity_day), (select count(*) from milestone_done)"; }

"$LCMTUI" -d "$import" import --mapping "$top/data/mappings/example-lms.conf" \
    "$top"/tests/data/import/lms/*.csv >/dev/null 2>&1 || fail "import failed"
cat >"$T/conf" <<CONF
sources = ({ name = "exports"; type = "csv"; path = "$top/tests/data/import/lms/*.csv";
             mapping = "$top/data/mappings/example-lms.conf"; },
           { name = "none"; type = "csv"; path = "$T/nothing-*.csv";
             mapping = "$top/data/mappings/example-lms.conf"; });
CONF
"$LCMTUI" -c "$T/conf" -d "$sync" sync >"$T/out" 2>"$T/err" || fail "sync: $(cat "$T/err")"
grep -q '^exports (csv): ok' "$T/out" || fail "output: $(cat "$T/out")"
grep -q 'warning: none: no file matches' "$T/err" || fail "no warning for an empty glob"
[ "$(fig "$sync")" = "$(fig "$import")" ] || fail "sync and import differ"
# the summary and core's warnings in French under a French locale (no general.lang)
LANGUAGE=fr "$LCMTUI" -c "$T/conf" -d "$fr" sync >"$T/out.fr" 2>"$T/err.fr" ||
    fail "French sync: $(cat "$T/err.fr")"
grep -Eq '^sync.: apprenants +[0-9]+ nouveaux, +[0-9]+ mis à jour, +[0-9]+ inchangés$' "$T/out.fr" ||
    fail "French sync summary: $(cat "$T/out.fr")"
grep -q 'none: aucun fichier ne correspond à ' "$T/err.fr" || fail "French warning: $(cat "$T/err.fr")"
grep -Eq ' new,| updated,|no file matches' "$T/out.fr" "$T/err.fr" && fail "English in the French sync"
"$LCMTUI" -c "$T/conf" -d "$sync" sync >/dev/null 2>&1 || fail "second sync"
[ "$(fig "$sync")" = "$(fig "$import")" ] || fail "a second sync changed the figures"
# a database file others can read is tightened by the sync too, and said (SQLite: a server's
# database has no file)
if ! db_is_pg; then
    chmod 644 "$T/sync.db"
    "$LCMTUI" -c "$T/conf" -d "$sync" sync >/dev/null 2>"$T/err" || fail "sync on a 0644 database"
    grep -q "sync.db: others could read or write it (mode 644); tightened to 0600" "$T/err" ||
        fail "no notice for a 0644 database: $(cat "$T/err")"
    [ "$(stat -c %a "$T/sync.db")" = 600 ] || fail "database not tightened to 0600"
fi
sed 's/example-lms.conf/missing.conf/' "$T/conf" >"$T/conf2"
if "$LCMTUI" -c "$T/conf2" -d "$sync" sync --check --source exports >"$T/out" 2>"$T/err"; then
    fail "check passed without a mapping"
fi
grep -q "exports: csv: .*missing.conf: cannot read the mapping" "$T/err" || fail "check: $(cat "$T/err")"
exit 0
