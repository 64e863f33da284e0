#!/bin/sh
# e2e_report.sh — `lcmtui report` on the demo cohort at a fixed --today: CSV and Markdown equal
# to tests/expected/report_demo.{csv,md}; HTML well-formed (Python's html.parser, and Debian's
# tidy) with each chart; the LCM's notes never in a manager-facing report;
# --manager restricts, --anonymous hides names, -o writes 0600, usage errors exit 2; in French
# (LANGUAGE=fr) equal to tests/expected/report_demo_fr.md, no English heading or label left,
# HTML lang="fr", French numbers and dates, French CSV headers; general.lang = "en" wins.
# After a deliberate change, regenerate the expected files with UPDATE_EXPECTED=1 and check
# their figures before committing.
set -eu
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_report: $*" >&2; exit 1; }
nbsp=$(printf '\302\240')

cat >"$tmp/config" <<'CONF'
kpi: {
  cost_per_enrollment = 1300.0;
  cost_per_hour = 20.0;
  baseline_dropout_rate = 0.5;
  currency = "EUR";
};
CONF
chmod 600 "$tmp/config"
# English unless a step says otherwise (no general.lang: the locale's language).
db=$(db_target "$tmp/demo.db")
run() { LANGUAGE=en "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }
runfr() { LANGUAGE=fr "$LCMTUI" --config "$tmp/config" --db "$db" --today 2026-11-28 "$@"; }
run demo >/dev/null 2>&1 || fail "lcmtui demo failed"
# The expected files pin this module's figures on the demo's data, not the risk module's
# tuning (its scores change with its defaults): drop the risk rows the demo computed. Flag
# to contact figures are checked by hand in tests/test_kpi.c.
db_query "$db" "DELETE FROM risk" || fail "cannot clear the risk table"

# 1. CSV and Markdown equal the expected files.
run report --by department --format csv -o "$tmp/report.csv" || fail "csv report failed"
run report --by department --format md -o "$tmp/report.md" || fail "md report failed"

# 1b. Figures of the CSV checked against independent SQL on the same database.
q() { db_query "$db" "$1"; }
csv_value() { awk -F, -v k="$1" '$1 == k { print $2; exit }' "$tmp/report.csv"; }
check() {
    got=$(csv_value "$1")
    [ "$got" = "$2" ] || fail "CSV '$1' is '$got', SQL says '$2'"
}
check Enrolled "$(q "SELECT count(*) FROM enrollment WHERE start_day <= '2026-11-28'")"
check Completed "$(q "SELECT count(*) FROM enrollment WHERE status = 'completed'")"
check Withdrawn "$(q "SELECT count(*) FROM enrollment WHERE status = 'withdrawn'")"
check "Active in the last 7 days" "$(q "SELECT count(DISTINCT enrollment_id) FROM activity_day
    WHERE day > '2026-11-21' AND day <= '2026-11-28' AND (sessions > 0 OR minutes > 0)")"
check "Active in the last 30 days" "$(q "SELECT count(DISTINCT enrollment_id) FROM activity_day
    WHERE day > '2026-10-29' AND day <= '2026-11-28' AND (sessions > 0 OR minutes > 0)")"
check Sessions "$(q "SELECT sum(sessions) FROM activity_day WHERE day <= '2026-11-28'")"
check "Training time" "$(q "SELECT sum(minutes) FROM activity_day WHERE day <= '2026-11-28'")"
check Check-ins "$(q "SELECT count(*) FROM checkin WHERE at < $(date -u -d 2026-11-29 +%s)")"
check "Learners contacted" "$(q "SELECT count(DISTINCT learner_id) FROM checkin
    WHERE direction = 'out' AND channel <> 'note' AND at < $(date -u -d 2026-11-29 +%s)")"
# flagged = at risk, as the TUI's title counts it: in progress, high, not snoozed
check "Flagged learners" "$(q "SELECT count(*) FROM risk r JOIN enrollment e ON e.id = r.enrollment_id
    WHERE r.level = 2 AND e.status = 'active' AND NOT EXISTS (SELECT 1 FROM snooze z
    WHERE z.enrollment_id = r.enrollment_id AND z.active = 1 AND z.until_day > '2026-11-28')")"

# 1b'. One cohort (by its id), and a past period: enrolled and sessions against SQL.
run report --cohort demo-c02 --format csv -o "$tmp/c02.csv" || fail "cohort report failed"
got=$(awk -F, '$1 == "Enrolled" { print $2 }' "$tmp/c02.csv")
want=$(q "SELECT count(*) FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
          WHERE c.ext_id = 'demo-c02'")
[ "$got" = "$want" ] || fail "cohort demo-c02: $got enrolled, SQL says $want"
run report --from 2026-10-01 --to 2026-10-31 --format csv -o "$tmp/oct.csv" || fail "period failed"
got=$(awk -F, '$1 == "Sessions" { print $2 }' "$tmp/oct.csv")
# the scope: enrollments started by the end and not ended before the start of the period
want=$(q "SELECT sum(a.sessions) FROM activity_day a JOIN enrollment e ON e.id = a.enrollment_id
          WHERE a.day BETWEEN '2026-10-01' AND '2026-10-31' AND e.start_day <= '2026-10-31'
          AND (e.ended_day IS NULL OR e.ended_day >= '2026-10-01')")
[ "$got" = "$want" ] || fail "October: $got sessions, SQL says $want"
grep -q '^Period,2026-10-01,2026-10-31' "$tmp/oct.csv" || fail "October: wrong period line"

# 1c. ... and the whole CSV and Markdown equal the expected files.
for f in csv md; do
    if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
        cp "$tmp/report.$f" "$here/expected/report_demo.$f"
    fi
    diff -u "$here/expected/report_demo.$f" "$tmp/report.$f" >&2 ||
        fail "report_demo.$f differs from the expected file"
done

# 2. HTML: well-formed, every chart present, no script.
run report --format html --by manager -o "$tmp/report.html" || fail "html report failed"
$PY - "$tmp/report.html" <<'PYEOF' || fail "HTML is not well-formed or lacks a chart"
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.svgs, self.titles = [], [], [], 0
    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.errors.append("script element")
        if any(k.startswith("on") for k, _ in attrs):
            self.errors.append("event handler attribute")
        if tag == "svg":
            self.svgs.append(dict(attrs).get("id"))
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("unexpected </%s> at %s" % (tag, self.getpos()))
            return
        self.stack.pop()
c = Check()
c.feed(open(sys.argv[1], encoding="utf-8").read())
c.close()
if c.stack:
    c.errors.append("unclosed: %s" % c.stack[-3:])
want = ["chart-weekly-active", "chart-funnel", "chart-risk-levels", "chart-checkins",
        "chart-cohorts"]
missing = [w for w in want if w not in c.svgs]
if missing:
    c.errors.append("missing charts: %s" % missing)
for e in c.errors[:5]:
    print(e, file=sys.stderr)
sys.exit(1 if c.errors else 0)
PYEOF
grep -q '@media print' "$tmp/report.html" || fail "no print rules"
command -v tidy >/dev/null || fail "tidy is required (make deps)"
tidy -e -q "$tmp/report.html" >&2 || fail "tidy reports problems in the HTML"

# 3. Private notes never in manager-facing reports; the private report has them.
mgr=jean-francois.bailly@acme-industrie.example
run report --manager "$mgr" --format html -o "$tmp/team.html" || fail "team html failed"
run report --manager "$mgr" --format csv -o "$tmp/team.csv" || fail "team csv failed"
run report --manager "$mgr" --format md -o "$tmp/team.md" || fail "team md failed"
run report --learners --by manager --format md -o "$tmp/all.md" || fail "learners md failed"
run report --private --format md -o "$tmp/private.md" || fail "private report failed"
db_query "$db" "SELECT note FROM checkin WHERE note <> ''" >"$tmp/notes"
[ -s "$tmp/notes" ] || fail "the demo has no check-in notes to look for"
while IFS= read -r note; do
    for f in report.csv report.md report.html team.html team.csv team.md all.md; do
        ! grep -qF -- "$note" "$tmp/$f" || fail "a private note appears in $f: $note"
    done
done <"$tmp/notes"
grep -qF "$(head -1 "$tmp/notes")" "$tmp/private.md" || fail "the private report lacks the notes"
set +e
run report --private --manager "$mgr" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--private --manager: exit code not 2"
set -e

# 4. --manager restricts to the team; --anonymous hides the names.
team=$(db_query "$db" "SELECT count(*) FROM learner WHERE manager_email = '$mgr'")
rows=$(sed -n '/^## Learners/,/^## Definitions/p' "$tmp/team.md" | grep -c '^| ')
rows=$((rows - 1)) # the header row; the |---| separator does not start with "| "
[ "$rows" -eq "$team" ] || fail "team report lists $rows learners, the team has $team"
other=$(db_query "$db" "SELECT last_name FROM learner WHERE manager_email <> '$mgr' AND last_name NOT IN (SELECT last_name FROM learner WHERE manager_email = '$mgr') LIMIT 1")
! grep -qF "| $other," "$tmp/team.md" || fail "team report shows $other from another team"
run report --manager "$mgr" --anonymous --format csv -o "$tmp/anon.csv" || fail "anonymous failed"
db_query "$db" "SELECT last_name FROM learner WHERE manager_email = '$mgr'" >"$tmp/names"
while IFS= read -r n; do
    ! grep -qF -- "$n" "$tmp/anon.csv" || fail "anonymous report shows the name $n"
done <"$tmp/names"
grep -q 'Learner [0-9][0-9][0-9]' "$tmp/anon.csv" || fail "no pseudonyms in the anonymous report"
! grep -qF "$(db_query "$db" "SELECT email FROM learner WHERE manager_email = '$mgr' LIMIT 1")" "$tmp/anon.csv" ||
    fail "anonymous report shows an e-mail address"

# 5. French Excel, file mode, usage errors.
run report --format csv --sep ';' --bom -o "$tmp/fr.csv" || fail "French csv failed"
head -c 3 "$tmp/fr.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM"
grep -q '^Drop-out rate;2,5;%;' "$tmp/fr.csv" || fail "no decimal comma with --sep ';'"
[ "$(stat -c %a "$tmp/fr.csv")" = 600 ] || fail "report file is not 0600"
echo old >"$tmp/old.md"
chmod 644 "$tmp/old.md"
run report -o "$tmp/old.md" || fail "cannot replace an existing report"
[ "$(stat -c %a "$tmp/old.md")" = 600 ] || fail "a replaced report is not 0600"

# 6. In French: the Markdown equals its expected file; none of the English report's headings,
# table headers or labels is left; HTML lang="fr" with French charts; French CSV headers with
# the same figures; general.lang = "en" keeps English under a French locale.
runfr report --by department --learners --format md -o "$tmp/fr.md" || fail "French md failed"
if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
    cp "$tmp/fr.md" "$here/expected/report_demo_fr.md"
fi
diff -u "$here/expected/report_demo_fr.md" "$tmp/fr.md" >&2 ||
    fail "report_demo_fr.md differs from the expected file"
run report --by department --learners --format md -o "$tmp/en.md" || fail "English md failed"
# every heading, table header cell, indicator name and summary title of the English report
{ grep '^#' "$tmp/en.md" | sed 's/^#* //; s/:.*//'
  awk '/^\| / && prev !~ /^\|/ { print } { prev = $0 }' "$tmp/en.md" | tr '|' '\n'
  sed -n '/^## Indicators/,/^## Progress/p' "$tmp/en.md" | cut -d'|' -f2
  sed -n 's/^- \*\*\([^:]*\):.*/\1/p' "$tmp/en.md"; } |
    sed 's/^ *//; s/ *$//' | grep -E '[A-Za-z]{3}' | sort -u >"$tmp/en.words"
[ "$(wc -l <"$tmp/en.words")" -gt 40 ] || fail "too few English headings to look for"
while IFS= read -r w; do
    case $w in Sessions | Messages | Manager | Notes | E-mails | Chats) continue ;; esac
    ! grep -qwF -- "$w" "$tmp/fr.md" || fail "French report still says '$w'"
done <"$tmp/en.words"
for w in "Training report" "Summary" "Definitions" "Period" "Drop-out" "enrolled" "learners" \
    "never" "in progress" "baseline"; do
    ! grep -qiF -- "$w" "$tmp/fr.md" || fail "French report still says '$w'"
done
grep -q '^# Rapport de formation' "$tmp/fr.md" || fail "French report: no French title"
grep -q 'Période du 1 juil\. 2026 au 28 nov\. 2026\.' "$tmp/fr.md" || fail "French report: dates"
grep -q "| Taux d’abandon (abandons / inscrits) | 2,5${nbsp}% |" "$tmp/fr.md" ||
    fail "French report: no decimal comma and no-break space before %"
grep -q "1${nbsp}300 EUR" "$tmp/fr.md" || fail "French report: no French thousands"
runfr report --format html -o "$tmp/fr.html" || fail "French html failed"
grep -q '<html lang="fr">' "$tmp/fr.html" || fail "French HTML: lang is not fr"
grep -q '<title>Rapport de formation' "$tmp/fr.html" || fail "French HTML: title"
grep -q '>S4[0-9]</text>' "$tmp/fr.html" || fail "French HTML: week labels of the charts"
for w in "Weekly active learners" "Risk levels over time" "Summary" "Definitions" "Charts" \
    "Completion" "Drop-out"; do
    ! grep -qF -- "$w" "$tmp/fr.html" || fail "French HTML still says '$w'"
done
tidy -e -q "$tmp/fr.html" >&2 || fail "tidy reports problems in the French HTML"
grep -q '<html lang="en">' "$tmp/report.html" || fail "English HTML: lang is not en"
runfr report --format csv --sep ';' -o "$tmp/fr2.csv" || fail "French csv failed"
grep -q '^Indicateur;Valeur;Unité;Définition' "$tmp/fr2.csv" || fail "French CSV: no French header"
grep -q '^Période;2026-07-01;2026-11-28' "$tmp/fr2.csv" || fail "French CSV: dates not ISO"
en=$(awk -F, '$1 == "Enrolled" { print $2 }' "$tmp/report.csv")
fr=$(awk -F';' '$1 == "Inscrits" { print $2 }' "$tmp/fr2.csv")
[ -n "$en" ] && [ "$en" = "$fr" ] || fail "French CSV: Inscrits '$fr', English Enrolled '$en'"
grep -q '^Taux d’abandon;2,5;%;' "$tmp/fr2.csv" || fail "French CSV: no decimal comma with ';'"
runfr report --format csv -o "$tmp/fr3.csv" || fail "French csv with ',' failed"
grep -q '^Taux d’abandon,2.5,%,' "$tmp/fr3.csv" || fail "French CSV with ',': decimals not '.'"
printf 'general: { lang = "en"; };\n' >>"$tmp/config"
runfr report --by department --format md -o "$tmp/en2.md" || fail "general.lang en failed"
diff -u "$here/expected/report_demo.md" "$tmp/en2.md" >&2 ||
    fail "general.lang = \"en\" under LANGUAGE=fr: not the English report"

set +e
run report -o /dev/full 2>/dev/null; [ $? -eq 1 ] || fail "a full device: exit code not 1"
[ -c /dev/full ] || fail "the report replaced /dev/full"
run report --format pdf >/dev/null 2>&1; [ $? -eq 2 ] || fail "--format pdf: exit code not 2"
run report --from 2026-12-01 --to 2026-11-01 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad period accepted"
run report --sep x >/dev/null 2>&1; [ $? -eq 2 ] || fail "--sep x accepted"
set -e
exit 0
