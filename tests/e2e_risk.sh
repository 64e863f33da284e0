#!/bin/sh
# e2e_risk.sh — `lcmtui risk` through the real binary: update, list, explain (English and
# French), snooze (hidden, then back on its day), celebrations, usage errors (exit 2), and
# eval / fit on the real OULAD AAA presentation when it is there (the fitted fragment must load
# back as a config without warnings, and beat the baselines).
set -eu
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "e2e_risk: $*" >&2; exit 1; }
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
run() { "$LCMTUI" --config "$tmp/en.conf" --db "$tmp/demo.db" --today 2026-11-28 "$@"; }

run demo >/dev/null 2>&1 || fail "demo failed"
run risk update >"$tmp/up" 2>&1 || fail "update: $(cat "$tmp/up")"
grep -Eq '^risk: [0-9]+ enrolments scored in [0-9]+ ms: [0-9]+ at risk' "$tmp/up" ||
    fail "update output: $(cat "$tmp/up")"

# Peak resident size bounded by a cohort, not the database: scoring 10,000 learners (a 44 MB
# file, all of it read) takes at most 40 MB more than the small demo (a memory map kept every
# page read resident: about 90 MB more). Not under ASan, whose quarantine keeps freed memory.
peak() {
    /usr/bin/time -f 'maxrss %M' "$LCMTUI" --config "$tmp/en.conf" --db "$1" \
        --today 2026-11-28 risk update 2>&1 >/dev/null | awk '/^maxrss/ { print $2 }'
}
if [ -x /usr/bin/time ] && [ -z "${ASAN_OPTIONS:-}" ]; then
    "$LCMTUI" --db "$tmp/big.db" --today 2026-11-28 demo --learners 10000 >/dev/null 2>&1 ||
        fail "demo --learners 10000 failed"
    small=$(peak "$tmp/demo.db") big=$(peak "$tmp/big.db")
    [ -n "$small" ] && [ -n "$big" ] || fail "no peak resident size measured"
    [ $((big - small)) -lt 40000 ] ||
        fail "risk update peak resident size $big KB on 10000 learners, $small KB on the demo"
fi

# The four learners inactive for exactly 21 days are at risk, with the reason.
run risk list --level risk --limit 1000 >"$tmp/list" || fail "list failed"
for who in "Bobby Lemaire" "Sophie Carpentier" "Djilali Benali" "Marty Lef"; do
    grep "$who" "$tmp/list" | grep -q 'at risk.*No activity for 21 days' ||
        fail "$who not at risk with the inactivity reason: $(grep "$who" "$tmp/list")"
done
# Highest level and score first.
awk '{ print $1 }' "$tmp/list" | sort -rn -c 2>/dev/null || fail "list not ordered by score"

run risk explain Bobby >"$tmp/ex" || fail "explain failed"
for s in inactive never_started pace missed late low_score peers drop stalled outreach debt; do
    grep -q "^$s " "$tmp/ex" || fail "explain lacks signal $s"
done
grep -q '^  No activity for 21 days' "$tmp/ex" || fail "explain reasons: $(cat "$tmp/ex")"
"$LCMTUI" --db "$tmp/demo.db" --today 2026-11-28 risk explain Bobby | grep -q 'Aucune activité depuis 21 jours' ||
    fail "no French reason by default"

# Snooze: gone from the list at once, back on its day.
run risk snooze Bobby --days 3 --reason "on holiday" >"$tmp/sn" || fail "snooze failed"
grep -q 'snoozed until 2026-12-01' "$tmp/sn" || fail "snooze output: $(cat "$tmp/sn")"
run risk list --limit 1000 | grep -q 'Bobby' && fail "snoozed Bobby still listed"
"$LCMTUI" --config "$tmp/en.conf" --db "$tmp/demo.db" --today 2026-12-01 risk update >/dev/null 2>&1
"$LCMTUI" --config "$tmp/en.conf" --db "$tmp/demo.db" --today 2026-12-01 risk list --limit 1000 |
    grep -q 'Bobby' || fail "Bobby not back after the snooze"
run risk feedback Bobby "not useful" || fail "feedback failed"

# Celebrations: Camille crossed 75 % yesterday.
run risk celebrations --limit 1000 | grep 'Camille Rousseau' | grep -q '75 %' ||
    fail "Camille's 75 % is not to celebrate"

# Names from the LMS never reach the terminal raw: an escape sequence in a name is made visible.
sqlite3 "$tmp/demo.db" "UPDATE learner SET last_name = 'Lemaire' || char(27) || '[2J' || char(10) || 'x'
    WHERE first_name = 'Bobby'"
run risk list --level all --limit 1000 >"$tmp/hostile"
run risk explain Bobby >>"$tmp/hostile"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/hostile"; then fail "an escape byte reached the output"; fi

# Usage errors exit 2, unknown learners 1.
set +e
run risk >/dev/null 2>&1; [ $? -eq 2 ] || fail "risk without a command: not 2"
run risk bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown subcommand: not 2"
run risk snooze Bobby --days 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--days 0: not 2"
run risk eval >/dev/null 2>&1; [ $? -eq 2 ] || fail "eval without --at: not 2"
run risk eval --at soon >/dev/null 2>&1; [ $? -eq 2 ] || fail "--at soon: not 2"
run risk explain Nobody-Such >/dev/null 2>&1; [ $? -eq 1 ] || fail "unknown learner: not 1"
set -e

# Evaluation and fitting on real outcomes.
aaa="$top/../shared/data/oulad-AAA-2013J"
[ -f "$aaa/studentInfo.csv" ] || { echo "e2e_risk: OULAD part skipped (no data)"; exit 0; }
db="$tmp/aaa.db"
"$LCMTUI" --db "$db" import --mapping "$top/data/mappings/oulad.conf" "$aaa"/*.csv >/dev/null 2>&1 ||
    fail "OULAD import failed"
"$LCMTUI" --db "$db" risk eval --at 56 >"$tmp/ev" || fail "eval failed"
grep -q '^day 56 after the cohort start: 365 enrolments' "$tmp/ev" || fail "eval: $(cat "$tmp/ev")"
model=$(awk '/^risk score/ { print $3 }' "$tmp/ev")
base=$(awk '/^days inactive/ { print $3 }' "$tmp/ev")
awk -v m="$model" -v b="$base" 'BEGIN { exit !(m >= 0.78 && m > b) }' ||
    fail "AUC $model (baseline $base) below 0.78 at day 56"
"$LCMTUI" --db "$db" risk eval --at 28 --json >"$tmp/ev.json" || fail "eval --json failed"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert 0.5 < d["model"]["auc"] <= 1, d' \
    "$tmp/ev.json" || fail "eval --json: $(cat "$tmp/ev.json")"
"$LCMTUI" --db "$db" risk fit --at 56 -o "$tmp/fit.conf" || fail "fit failed"
"$LCMTUI" --config "$tmp/fit.conf" --db "$db" risk eval --at 56 >"$tmp/ev2" 2>"$tmp/ev2.err" ||
    fail "eval with the fitted weights failed: $(cat "$tmp/ev2.err")"
[ -s "$tmp/ev2.err" ] && fail "fitted config warns: $(cat "$tmp/ev2.err")"
fitted=$(awk '/^risk score/ { print $3 }' "$tmp/ev2")
awk -v m="$fitted" 'BEGIN { exit !(m >= 0.78) }' || fail "fitted AUC $fitted below 0.78"
echo "e2e_risk: ok (AUC day 56: default $model, fitted in sample $fitted)"
