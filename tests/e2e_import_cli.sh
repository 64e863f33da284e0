#!/bin/sh
# e2e_import_cli.sh — `lcmtui import` through the real binary on the fixture export in
# tests/data/import/lms/ (BOM, ';', CRLF, quoted separators and newlines, timestamps, decimal
# commas) with data/mappings/example-lms.conf: values, re-import, dry run, error exit codes;
# and a second export's learners matched by e-mail.
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
map="$top/data/mappings/example-lms.conf"
fx="$top/tests/data/import/lms"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
db=$(db_target "$tmp/t.db")
gc=$(db_pick group_concat string_agg)
fail() { echo "e2e_import_cli: $*" >&2; exit 1; }
q() { db_query "$db" "$1"; }
expect() { [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"; }
state() { q "SELECT (SELECT $gc(ext_id || status || coalesce(ended_day, ''), ',') FROM enrollment)
             || (SELECT count(*) FROM learner) || (SELECT sum(minutes) FROM activity_day)
             || (SELECT $gc(CAST(score AS TEXT), ',') FROM milestone_done)"; }

# Usage errors exit 2 and touch nothing.
set +e
"$LCMTUI" --db "$db" import "$fx/users.csv" 2>"$tmp/err"; rc=$?
set -e
expect "exit without --mapping" "$rc" 2

# Dry run without a database: a report, and no database file (e2e_no_create.sh checks more).
"$LCMTUI" --db "$db" import --dry-run --mapping "$map" "$fx"/*.csv >"$tmp/out"
grep -Eq 'enrollments +3 +\(3 new' "$tmp/out" || fail "dry run: $(cat "$tmp/out")"
if db_is_pg; then
    [ "$(db_tables "$db")" = 0 ] || fail "the dry run created tables"
else
    [ ! -e "$db" ] || fail "the dry run created the database"
fi
LANGUAGE=fr "$LCMTUI" --db "$db" import --dry-run --mapping "$map" "$fx"/*.csv >"$tmp/out.fr"
grep -q "^essai à blanc.: importerait [0-9]* fichiers, [0-9]* lignes ([0-9]* gardées).; rien d’écrit$" \
    "$tmp/out.fr" || fail "French dry run: $(head -1 "$tmp/out.fr")"

"$LCMTUI" --db "$db" import --mapping "$map" "$fx"/*.csv >"$tmp/out" 2>"$tmp/err" \
    || fail "import: $(cat "$tmp/err")"
expect "accents and BOM" "$(q "SELECT first_name || ' ' || last_name FROM learner WHERE ext_id = '101'")" "Hélène Dupré"
expect "quoted separator" "$(q "SELECT manager FROM learner WHERE ext_id = '101'")" "Martin; Paul"
expect "embedded newline" "$(q "SELECT department FROM learner WHERE ext_id = '102'")" "$(printf 'Logistique\r\nNord')"
expect "status map" "$(q "SELECT $gc(status, ',') FROM (SELECT status FROM enrollment ORDER BY ext_id) AS t")" "active,withdrawn,completed"
expect "percent progress" "$(q "SELECT progress FROM enrollment WHERE ext_id = 'ENG-B2-2026-09-101'")" "0.42"
expect "events per day" "$(q "SELECT sessions || ' ' || minutes || ' ' || actions FROM activity_day WHERE day = '2026-09-02'")" "1 35 2"
expect "timestamp with T" "$(q "SELECT last_activity_day FROM enrollment WHERE ext_id = 'ENG-B2-2026-09-103'")" "2026-09-09"
expect "decimal comma" "$(q "SELECT score FROM milestone_done ORDER BY day DESC LIMIT 1")" "14.5"
good=$(state)

# Re-import: same state.
"$LCMTUI" --db "$db" import --mapping "$map" "$fx"/*.csv >/dev/null 2>&1 || fail "re-import failed"
expect "state after re-import" "$(state)" "$good"

# A bad value in the last file: exit 1, one line naming file:line and column, nothing written.
cp "$fx"/*.csv "$tmp/"
printf 'user_id;course;group;enrolled;status;completion\r\n101;ENG-B2;ENG-B2-2026-09;2026-09-01;Abandon;50%%\r\n102;ENG-B2;ENG-B2-2026-09;2026-09-01;Abandonné;10%%\r\n' >"$tmp/enrolments.csv"
set +e
"$LCMTUI" --db "$db" import --mapping "$map" "$tmp"/*.csv >/dev/null 2>"$tmp/err"; rc=$?
set -e
expect "exit on bad value" "$rc" 1
expect "error line" "$(cat "$tmp/err")" \
    'lcmtui: enrolments.csv:3: column status: unknown value "Abandonné" (expected En cours, Terminé, Abandon, Échec)'
expect "state after failed import" "$(state)" "$good"

# Another export (source "hr") naming the same people: a learner known by this e-mail, in
# other case, is updated and not made twice; a homonym with another e-mail is a new learner.
sed 's/^source = "lms";/source = "hr";/' "$map" >"$tmp/hr.conf"
mkdir "$tmp/hr"
printf 'user_id;Prénom;Nom;E-mail;Service;Manager\nH1;Hélène;Dupré; HELENE.DUPRE@Example.FR ;Achats Nord;\nH2;Hélène;Dupré;helene.dupre@autre.example;Ventes;\n' >"$tmp/hr/users-hr.csv"
n0=$(q "SELECT count(*) FROM learner")
"$LCMTUI" --db "$db" import --mapping "$tmp/hr.conf" "$tmp/hr/users-hr.csv" >/dev/null 2>"$tmp/err" ||
    fail "hr import: $(cat "$tmp/err")"
expect "learners after the hr export" "$(q "SELECT count(*) FROM learner")" "$((n0 + 1))"
expect "matched by e-mail" "$(q "SELECT l.ext_id || ' ' || l.department FROM learner_key k JOIN learner l ON l.id = k.learner_id WHERE k.kind = 'id' AND k.value = 'hr|H1'")" "101 Achats Nord"
expect "homonym" "$(q "SELECT source || ' ' || ext_id FROM learner WHERE email = 'helene.dupre@autre.example'")" "hr H2"
echo ok
