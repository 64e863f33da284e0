#!/bin/sh
# lcmtui on a PostgreSQL database (--db postgresql://...): the demo loads into a new database
# of the test server (tests/pg_cluster.sh exports LCMTUI_TEST_PG_URI), summary and risk list
# read it back with the same counts as on SQLite, a password in the URI is never printed
# (nor on a failed connection), the headless TUI (LCMTUI_SCRIPT) shows the same screens as on
# a SQLite demo (the first frame, the name order, a learner's detail), and a schema newer than
# the binary is refused, and `outbox send` is refused while another session holds its advisory
# lock.
# Skips (77) without the server.
set -u
# e2e-engines: postgresql
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
fail() { echo "e2e_pg_store: $*" >&2; exit 1; }
uri=${LCMTUI_TEST_PG_URI:-}
[ -n "$uri" ] || { echo "e2e_pg_store: skipped: no PostgreSQL server (LCMTUI_TEST_PG_URI)"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "e2e_pg_store: skipped: no psql"; exit 77; }
name="lcmtui_e2e_$$"
psql -q -d "$uri" -c "CREATE DATABASE $name" || fail "cannot create the database"
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-pg-XXXXXX")
trap 'rm -rf "$T"; psql -q -d "$uri" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1' EXIT
db=$(printf '%s\n' "$uri" | sed "s|/[^/?]*\(?.*\)\{0,1\}$|/$name\1|")
"$LCMTUI" --today 2026-11-28 --db "$db" demo >/dev/null 2>&1 || fail "demo failed"
out=$("$LCMTUI" --today 2026-11-28 --db "$db" summary) || fail "summary failed"
echo "$out" | grep -q "160 learners, 160 enrolments" || fail "counts missing: $out"
[ "$(echo "$out" | grep -c 'enrolled$')" -eq 4 ] || fail "expected 4 cohorts: $out"
"$LCMTUI" --today 2026-11-28 --db "$db" risk list >/dev/null || fail "risk list failed"
# the TUI's screens on both engines, byte for byte: first frame, sorted by name, a detail
printf '<Dump> o <Dump> <Enter> <Dump> Q\n' >"$T/keys"
tui() {
    env -i PATH="$PATH" HOME="$T" TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 LCMTUI_SIZE=120x40 \
        ${PGPASSFILE+PGPASSFILE="$PGPASSFILE"} ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
        ${UBSAN_OPTIONS+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
        LCMTUI_SCRIPT="$T/keys" "$LCMTUI" --today "2026-11-28 09:00" --db "$1"
}
"$LCMTUI" --today 2026-11-28 --db "$T/demo.db" demo >/dev/null 2>&1 || fail "SQLite demo failed"
tui "$T/demo.db" >"$T/sqlite.screens" 2>"$T/err" || fail "TUI on SQLite: $(cat "$T/err")"
tui "$db" >"$T/pg.screens" 2>"$T/err" || fail "TUI on PostgreSQL: $(cat "$T/err")"
[ "$(grep -c '^----' "$T/pg.screens")" -ge 2 ] || fail "fewer than 3 screens: $(head -5 "$T/pg.screens")"
grep -q '\[name\]' "$T/pg.screens" || fail "o did not sort by name"
diff "$T/sqlite.screens" "$T/pg.screens" >"$T/diff" || fail "the TUI differs on PostgreSQL: $(head -20 "$T/diff")"
# outbox send: refused while another session (here psql) holds the outbox's advisory lock,
# free again once that session ends
printf 'smtp: { url = "smtp://127.0.0.1:9"; from = "lcm@example.org"; };\n' >"$T/conf"
mkfifo "$T/fifo"
psql -q -d "$db" <"$T/fifo" >"$T/psql.out" 2>&1 &
exec 3>"$T/fifo"
echo "SELECT pg_advisory_lock(x'6c636d6f7574'::bigint); SELECT 'held';" >&3
i=0
while ! grep -q held "$T/psql.out" && [ $i -lt 500 ]; do
    i=$((i + 1))
    psql -qAt -d "$db" -c "SELECT 1" >/dev/null
done
grep -q held "$T/psql.out" || fail "psql did not take the lock: $(cat "$T/psql.out")"
if out=$("$LCMTUI" -c "$T/conf" --db "$db" outbox send 2>&1); then fail "outbox send ran under a held lock: $out"; fi
echo "$out" | grep -q 'another outbox run is delivering' || fail "no reason given: $out"
exec 3>&-
wait
out=$("$LCMTUI" -c "$T/conf" --db "$db" outbox send 2>&1) || fail "outbox send after the release: $out"
# a wrong password in the URI: refused, and neither it nor the user shown
bad=$(printf '%s\n' "$db" | sed 's|://\([^@/]*\)@|://\1:Sekr3tPw@|')
if out=$("$LCMTUI" --db "$bad" summary 2>&1); then fail "a wrong password was accepted"; fi
echo "$out" | grep -q 'Sekr3tPw' && fail "the password was printed: $out"
echo "$out" | grep -q '\*\*\*@' || fail "the target should be named without its user: $out"
# the config's general.database_password_cmd, without .pgpass: it connects; a wrong one is
# refused without being printed; none at all is refused too (the server asks for a password)
pw=$(sed -n 's/^[^:]*:[^:]*:[^:]*:lcmtui:\(.*\)$/\1/p' "$PGPASSFILE")
[ -n "$pw" ] || fail "no password in $PGPASSFILE"
printf '%s\n' "$pw" >"$T/pw"
printf 'Wr0ngPw\n' >"$T/badpw"
chmod 600 "$T/pw" "$T/badpw"
pwconf() { # file password-file
    printf 'general = { database = "%s"; database_password_cmd = "cat %s"; };\n' "$db" "$2" >"$1"
    chmod 600 "$1"
}
nopass() { env -u PGPASSFILE -u PGPASSWORD HOME="$T" "$LCMTUI" "$@"; }
pwconf "$T/pw.conf" "$T/pw"
out=$(nopass -c "$T/pw.conf" summary 2>&1) || fail "database_password_cmd: $out"
echo "$out" | grep -q "160 learners" || fail "database_password_cmd: wrong summary: $out"
echo "$out" | grep -q "$pw" && fail "the password was printed: $out"
pwconf "$T/bad.conf" "$T/badpw"
if out=$(nopass -c "$T/bad.conf" summary 2>&1); then fail "a wrong database_password_cmd was accepted"; fi
echo "$out" | grep -q 'Wr0ngPw' && fail "the wrong password was printed: $out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "not one line: $out"
printf 'general = { database = "%s"; };\n' "$db" >"$T/none.conf"
if out=$(nopass -c "$T/none.conf" summary 2>&1); then fail "no password at all was accepted"; fi
psql -q -d "$db" -c "UPDATE lcm_schema_version SET v = v + 1" || fail "psql update"
if out=$("$LCMTUI" --db "$db" summary 2>&1); then fail "a newer schema was opened"; fi
echo "$out" | grep -q 'newer than this lcmtui knows' || fail "no reason given: $out"
echo "e2e_pg_store: ok"
