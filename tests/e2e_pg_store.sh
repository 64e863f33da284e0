#!/bin/sh
# lcmtui on a PostgreSQL database (--db postgresql://...): the demo loads into a new database
# of the test server (tests/pg_cluster.sh exports LCMTUI_TEST_PG_URI), summary and risk list
# read it back with the same counts as on SQLite, a password in the URI is never printed
# (nor on a failed connection), and a schema newer than the binary is refused. Skips (77)
# without the server.
set -u
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
fail() { echo "e2e_pg_store: $*" >&2; exit 1; }
uri=${LCMTUI_TEST_PG_URI:-}
[ -n "$uri" ] || { echo "e2e_pg_store: skipped: no PostgreSQL server (LCMTUI_TEST_PG_URI)"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "e2e_pg_store: skipped: no psql"; exit 77; }
name="lcmtui_e2e_$$"
psql -q -d "$uri" -c "CREATE DATABASE $name" || fail "cannot create the database"
trap 'psql -q -d "$uri" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1' EXIT
db=$(printf '%s\n' "$uri" | sed "s|/[^/?]*\(?.*\)\{0,1\}$|/$name\1|")
"$LCMTUI" --today 2026-11-28 --db "$db" demo >/dev/null 2>&1 || fail "demo failed"
out=$("$LCMTUI" --today 2026-11-28 --db "$db" summary) || fail "summary failed"
echo "$out" | grep -q "160 learners, 160 enrolments" || fail "counts missing: $out"
[ "$(echo "$out" | grep -c 'enrolled$')" -eq 4 ] || fail "expected 4 cohorts: $out"
"$LCMTUI" --today 2026-11-28 --db "$db" risk list >/dev/null || fail "risk list failed"
# a wrong password in the URI: refused, and neither it nor the user shown
bad=$(printf '%s\n' "$db" | sed 's|://\([^@/]*\)@|://\1:Sekr3tPw@|')
if out=$("$LCMTUI" --db "$bad" summary 2>&1); then fail "a wrong password was accepted"; fi
echo "$out" | grep -q 'Sekr3tPw' && fail "the password was printed: $out"
echo "$out" | grep -q '\*\*\*@' || fail "the target should be named without its user: $out"
psql -q -d "$db" -c "UPDATE lcm_schema_version SET v = v + 1" || fail "psql update"
if out=$("$LCMTUI" --db "$db" summary 2>&1); then fail "a newer schema was opened"; fi
echo "$out" | grep -q 'newer than this lcmtui knows' || fail "no reason given: $out"
echo "e2e_pg_store: ok"
