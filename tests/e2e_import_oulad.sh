#!/bin/sh
# e2e_import_oulad.sh — imports the real OULAD files with data/mappings/oulad.conf through the
# real binary and checks the database (sqlite3 or psql: tests/db.sh) against figures computed here from the CSV
# files themselves (and the README's row counts). Skips (exit 77) when the data is not there:
# the AAA and BBB presentations in ../shared/data beside the source tree, or $LCMTUI_DATA.
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
data=${LCMTUI_DATA:-$top/../shared/data}
aaa="$data/oulad-AAA-2013J"
bbb="$data/oulad-BBB-2013J"
LCMTUI=${LCMTUI:-$top/build/lcmtui}
for d in "$aaa" "$bbb"; do
    if [ ! -f "$d/studentInfo.csv" ]; then
        echo "e2e_import_oulad: skipped: no OULAD data in $d; LCMTUI_DATA names its folder"
        exit 77
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
db=$(db_target "$tmp/oulad.db")
fail() { echo "e2e_import_oulad: $*" >&2; exit 1; }
q() { db_query "$db" "$1"; }
expect() { [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"; }

# A dry run first: it reports but writes nothing.
"$LCMTUI" --db "$db" import --dry-run --mapping "$top/data/mappings/oulad.conf" "$aaa"/*.csv \
    >"$tmp/dry.out" 2>"$tmp/dry.err" || fail "dry run failed: $(cat "$tmp/dry.err")"
grep -q 'dry run' "$tmp/dry.out" || fail "dry run output: $(cat "$tmp/dry.out")"
grep -Eq 'learners +383 +\(383 new' "$tmp/dry.out" || fail "dry run counts: $(cat "$tmp/dry.out")"
if db_is_pg; then
    [ "$(db_tables "$db")" = 0 ] || fail "the dry run created tables"
else
    [ ! -e "$db" ] || fail "the dry run created the database"
fi

"$LCMTUI" --db "$db" import --mapping "$top/data/mappings/oulad.conf" "$aaa"/*.csv \
    >"$tmp/out" 2>"$tmp/err" || fail "import failed: $(cat "$tmp/err")"

# The README's figures.
expect learners "$(q 'SELECT count(*) FROM learner')" 383
expect enrollments "$(q 'SELECT count(*) FROM enrollment')" 383
expect milestones "$(q "SELECT count(*) FROM milestone WHERE kind = 'test'")" 6
expect submissions "$(q 'SELECT count(*) FROM milestone_done')" 1633
expect "cohort length" "$(q "SELECT start_day || ' ' || end_day FROM cohort")" "2013-10-01 2014-06-26"

# Outcomes, counted independently from studentInfo.csv (final_result is the last column).
awk -F, 'NR > 1 { n[$NF]++ } END { for (k in n) print k "|" n[k] }' "$aaa/studentInfo.csv" \
    | tr -d '\r' | sort >"$tmp/want"
q 'SELECT outcome, count(*) FROM enrollment GROUP BY outcome ORDER BY outcome' >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "outcomes differ: $(cat "$tmp/got") vs $(cat "$tmp/want")"
expect "withdrawn = Withdrawn" "$(q "SELECT count(*) FROM enrollment WHERE status = 'withdrawn'")" \
    "$(grep -c ',Withdrawn' "$aaa/studentInfo.csv")"
expect "completed = Pass + Distinction" \
    "$(q "SELECT count(*) FROM enrollment WHERE status = 'completed'")" \
    "$(grep -Ec ',(Pass|Distinction)' "$aaa/studentInfo.csv")"
# Withdrawal day = base date + date_unregistration, for every unregistered student.
expect "ended days" "$(q 'SELECT count(*) FROM enrollment WHERE ended_day IS NOT NULL')" \
    "$(awk -F, 'NR > 1 && $5 != "" && $5 != "\r"' "$aaa/studentRegistration.csv" | wc -l | tr -d ' ')"
want_end=$(awk -F, 'NR > 1 && $5 ~ /[0-9]/ { sub(/\r$/, "", $5); print $3, $5; exit }' "$aaa/studentRegistration.csv")
sid=${want_end% *}
off=${want_end#* }
expect "ended_day of $sid" "$(q "SELECT $(db_pick "julianday(ended_day) - julianday('2013-10-01')" \
        "(CAST(ended_day AS date) - date '2013-10-01') || '.0'") FROM enrollment e JOIN learner l ON l.id = e.learner_id WHERE l.ext_id = '$sid' AND ended_day IS NOT NULL")" \
    "$(printf '%s.0' "$off")"
expect "progress unknown" "$(q 'SELECT count(*) FROM enrollment WHERE progress IS NOT NULL')" 0

# Activity: clicks summed per student-day; distinct (student, day) pairs are the days.
clicks=$(awk -F, 'NR > 1 { s += $6 } END { print s }' "$aaa/studentVle.csv")
days=$(awk -F, 'NR > 1 { print $3 "," $5 }' "$aaa/studentVle.csv" | sort -u | wc -l | tr -d ' ')
expect "clicks" "$(q 'SELECT sum(actions) FROM activity_day')" "$clicks"
expect "activity days" "$(q 'SELECT count(*) FROM activity_day')" "$days"
expect "sessions" "$(q 'SELECT sum(sessions) FROM activity_day')" "$days"

# Re-import: same rows, nothing doubled.
"$LCMTUI" --db "$db" import --mapping "$top/data/mappings/oulad.conf" "$aaa"/*.csv \
    >"$tmp/out2" 2>"$tmp/err2" || fail "re-import failed: $(cat "$tmp/err2")"
grep -Eq 'learners +383 +\(0 new, 383 updated\)' "$tmp/out2" || fail "re-import: $(cat "$tmp/out2")"
expect "learners after re-import" "$(q 'SELECT count(*) FROM learner')" 383
expect "clicks after re-import" "$(q 'SELECT sum(actions) FROM activity_day')" "$clicks"

# Another module with only --set changes.
"$LCMTUI" --db "$db" import --mapping "$top/data/mappings/oulad.conf" --set code_module=BBB \
    "$bbb"/*.csv >"$tmp/out3" 2>"$tmp/err3" || fail "BBB import failed: $(cat "$tmp/err3")"
n=$(($(wc -l <"$bbb/studentInfo.csv") - 1))
expect "BBB enrollments" "$(q "SELECT count(*) FROM enrollment e JOIN cohort c ON c.id = e.cohort_id WHERE c.ext_id = 'BBB-2013J'")" "$n"
expect "AAA untouched" "$(q 'SELECT sum(actions) FROM activity_day a JOIN enrollment e ON e.id = a.enrollment_id JOIN cohort c ON c.id = e.cohort_id WHERE c.ext_id = '"'AAA-2013J'"'')" "$clicks"
echo "ok"
