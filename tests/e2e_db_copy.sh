#!/bin/sh
# lcmtui db copy: the demo base (SQLite) copied into a new PostgreSQL database, then from there
# into a new SQLite file; `lcmtui summary`, `risk list` and the headless TUI's first frame are
# the same on all three; a second copy changes nothing; a target holding other data is refused
# in one line (exit 1), replaced with --replace; the password of a URI is never printed.
# Skips (77) without the server.
set -u
# e2e-engines: postgresql
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
fail() { echo "e2e_db_copy: $*" >&2; exit 1; }
uri=${LCMTUI_TEST_PG_URI:-}
[ -n "$uri" ] || { echo "e2e_db_copy: skipped: no PostgreSQL server (LCMTUI_TEST_PG_URI)"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "e2e_db_copy: skipped: no psql"; exit 77; }
name="lcmtui_e2e_copy_$$"
psql -q -d "$uri" -c "CREATE DATABASE $name" || fail "cannot create the database"
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-copy-XXXXXX")
trap 'rm -rf "$T"; psql -q -d "$uri" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1' EXIT
pg=$(printf '%s\n' "$uri" | sed "s|/[^/?]*\(?.*\)\{0,1\}$|/$name\1|")
run() { "$LCMTUI" --today 2026-11-28 "$@"; }
run --db "$T/a.db" demo >/dev/null 2>&1 || fail "demo failed"
run --db "$T/a.db" risk update >/dev/null 2>&1 || fail "risk update failed"
out=$(run --db "$T/a.db" db copy --to "$pg" 2>&1) || fail "copy to PostgreSQL: $out"
# every table of the file (the schema's, whatever its version)
ntab=$(sqlite3 "$T/a.db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
[ "$ntab" -ge 20 ] || fail "only $ntab tables in the demo base"
echo "$out" | grep -q "^copied [0-9]* rows ($ntab tables) from $T/a.db to postgresql://" ||
    fail "unexpected: $out"
out=$(run --db "$pg" db copy --to "$T/b.db" 2>&1) || fail "copy back to SQLite: $out"
echo "$out" | grep -q "^copied [0-9]* rows" || fail "unexpected: $out"
# the same on all three (the first line names the base)
for db in "$T/a.db" "$pg" "$T/b.db"; do
    run --db "$db" summary | tail -n +2 >>"$T/summaries" || fail "summary of $db failed"
    run --db "$db" risk list >>"$T/risks" || fail "risk list of $db failed"
done
n=$(wc -l <"$T/summaries")
[ "$n" -ge 9 ] || fail "summary too short: $(cat "$T/summaries")"
[ "$(sort "$T/summaries" | uniq -c | awk '$1 != 3' | wc -l)" -eq 0 ] ||
    fail "summaries differ: $(cat "$T/summaries")"
run --db "$T/a.db" summary | tail -n +2 >"$T/one"
grep -q "160 learners, 160 enrolments" "$T/one" || fail "counts missing: $(cat "$T/one")"
run --db "$T/a.db" risk list >"$T/r1"
cat "$T/r1" "$T/r1" "$T/r1" | cmp -s - "$T/risks" || fail "risk lists differ"
printf '<Dump> Q\n' >"$T/keys"
tui() {
    env -i PATH="$PATH" HOME="$T" TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 LCMTUI_SIZE=120x40 \
        ${PGPASSFILE+PGPASSFILE="$PGPASSFILE"} ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
        ${UBSAN_OPTIONS+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
        LCMTUI_SCRIPT="$T/keys" "$LCMTUI" --today "2026-11-28 09:00" --db "$1"
}
tui "$T/a.db" >"$T/a.screen" 2>"$T/err" || fail "TUI on a.db: $(cat "$T/err")"
tui "$pg" >"$T/pg.screen" 2>"$T/err" || fail "TUI on PostgreSQL: $(cat "$T/err")"
tui "$T/b.db" >"$T/b.screen" 2>"$T/err" || fail "TUI on b.db: $(cat "$T/err")"
[ "$(grep -c . "$T/a.screen")" -ge 10 ] || fail "first frame empty: $(cat "$T/a.screen")"
cmp -s "$T/a.screen" "$T/pg.screen" || fail "first frame differs on PostgreSQL"
cmp -s "$T/a.screen" "$T/b.screen" || fail "first frame differs after the round trip"
# again: nothing to do, exit 0
out=$(run --db "$T/a.db" db copy --to "$pg" 2>&1) || fail "second copy failed: $out"
echo "$out" | grep -q "already holds the same data" || fail "second copy: $out"
# other data on the target: refused in one line, nothing changed; --replace replaces it
run --db "$T/b.db" checkin 'Jeanne Martin' --channel note --note "only in b" >/dev/null 2>&1 ||
    run --db "$T/b.db" checkin '#1' --channel note --note "only in b" >/dev/null || fail "checkin"
out=$(run --db "$T/a.db" db copy --to "$T/b.db" 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "other data: exit $rc: $out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "not one line: $out"
echo "$out" | grep -q "already holds other data (table checkin differs)" || fail "refusal: $out"
run --db "$T/b.db" summary | tail -n +2 | cmp -s - "$T/one" && fail "b.db changed by a refused copy"
out=$(run --db "$T/a.db" db copy --to "$T/b.db" --replace 2>&1) || fail "--replace: $out"
echo "$out" | grep -q "replacing its data" || fail "--replace: $out"
run --db "$T/b.db" summary | tail -n +2 | cmp -s - "$T/one" || fail "b.db differs after --replace"
# a password in the target URI is never printed
withpw=$(printf '%s\n' "$pg" | sed 's|://\([^@]*\)@|://\1:s3cretpw@|')
out=$(run --db "$T/a.db" db copy --to "$withpw" 2>&1)
echo "$out" | grep -q s3cretpw && fail "password printed: $out"
# usage
run --db "$T/a.db" db copy >/dev/null 2>&1
[ $? -eq 2 ] || fail "db copy without --to: not a usage error"
echo "e2e_db_copy: ok"
