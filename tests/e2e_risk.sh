#!/bin/sh
# e2e_risk.sh — `lcmtui risk` through the real binary: update, list, explain (English and
# French; reasons in the reader's language, not the update's), snooze (hidden, then back on its day), celebrations, usage errors (exit 2).
# The memory bound is in e2e_risk_memory.sh, eval / fit on real outcomes in e2e_risk_oulad.sh.
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_risk: $*" >&2; exit 1; }
db=$(db_target "$tmp/demo.db")
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
run() { "$LCMTUI" --config "$tmp/en.conf" --db "$db" --today 2026-11-28 "$@"; }

run demo >/dev/null 2>&1 || fail "demo failed"
run risk update >"$tmp/up" 2>&1 || fail "update: $(cat "$tmp/up")"
grep -Eq '^risk: [0-9]+ enrolments scored in [0-9]+ ms: [0-9]+ at risk' "$tmp/up" ||
    fail "update output: $(cat "$tmp/up")"

# The four learners inactive for exactly 21 days are at risk, with that reason first (the
# inactivity rule: risk.inactive_days), whatever else is wrong or not.
run risk list --level risk --limit 1000 >"$tmp/list" || fail "list failed"
for who in "Bobby Lemaire" "Sophie Carpentier" "Djilali Benali" "Marty Lef"; do
    grep "$who" "$tmp/list" | grep -Eq 'at risk .* demo-l[0-9]+ +No activity for 21 days' ||
        fail "$who not at risk with the inactivity reason first: $(grep "$who" "$tmp/list")"
done
# Highest level and score first.
awk '{ print $1 }' "$tmp/list" | sort -rn -c 2>/dev/null || fail "list not ordered by score"
# The level in the screen's language: "à risque" in French (no general.lang, LANGUAGE=fr),
# the column as wide as the longest French label.
LANGUAGE=fr "$LCMTUI" --db "$db" --today 2026-11-28 risk list --level all --limit 1000 \
    >"$tmp/list.fr" || fail "French list failed"
grep -q '^100\.0  à risque      ' "$tmp/list.fr" || fail "French list: $(head -2 "$tmp/list.fr")"
grep -q '  à surveiller  ' "$tmp/list.fr" || fail "French list: no 'à surveiller'"
grep -Eq '  (at risk|watch)  ' "$tmp/list.fr" && fail "French list: English level names"
[ "$(wc -l <"$tmp/list.fr")" -gt "$(wc -l <"$tmp/list")" ] || fail "French list lost rows"

run risk explain Bobby >"$tmp/ex" || fail "explain failed"
for s in inactive never_started pace missed late low_score peers drop stalled outreach debt; do
    grep -q "^$s " "$tmp/ex" || fail "explain lacks signal $s"
done
# the groups: each signal's, and each group's total (never past its largest weight)
grep -Eq '^inactive +engagement ' "$tmp/ex" || fail "explain: inactive not in engagement"
grep -Eq '^missed +submission ' "$tmp/ex" || fail "explain: missed not in submission"
grep -Eq '^groups: engagement [0-9.]+ progress [0-9.]+ submission [0-9.]+ performance [0-9.]+ contact [0-9.]+$' "$tmp/ex" ||
    fail "explain: no groups line: $(grep '^groups' "$tmp/ex")"
sed -n '/^reasons:/{n;p;}' "$tmp/ex" | grep -q '^  No activity for 21 days$' ||
    fail "explain reasons: $(cat "$tmp/ex")"
# no general.lang: the reasons speak the locale's language, as the screen does
LANGUAGE=fr "$LCMTUI" --db "$db" --today 2026-11-28 risk explain Bobby >"$tmp/ex.fr"
grep -q 'Aucune activité depuis 21 jours' "$tmp/ex.fr" || fail "no French reason under a French locale"
grep -q '^score [0-9.]* (à risque) le 2026-11-28, cohorte ' "$tmp/ex.fr" ||
    fail "French explain heading: $(head -1 "$tmp/ex.fr")"
grep -q "^motifs$(printf '\302\240'):$" "$tmp/ex.fr" || fail "French explain: no 'motifs :' line"
grep -Eq '^(reasons:|score .* on )' "$tmp/ex.fr" && fail "English left in the French explain"
LANGUAGE=en LC_ALL=C.UTF-8 "$LCMTUI" --db "$db" --today 2026-11-28 risk explain Bobby |
    grep -q '^  No activity for 21 days$' || fail "no English reason under an English locale"

# Reasons are rendered when shown, in the reader's language, whatever the language of the
# update that stored them: scored under French, read in English and in French.
LANGUAGE=fr "$LCMTUI" --db "$db" --today 2026-11-28 risk update >/dev/null 2>&1 ||
    fail "French update failed"
[ "$(db_query "$db" "SELECT count(*) FROM risk WHERE reasons LIKE '%activit%'")" = 0 ] ||
    fail "the risk table stores sentences, not signals"
LANGUAGE=en "$LCMTUI" --db "$db" --today 2026-11-28 risk list --level risk --limit 1000 |
    grep 'Bobby Lemaire' | grep -q 'No activity for 21 days' || fail "English list after a French update"
LANGUAGE=fr "$LCMTUI" --db "$db" --today 2026-11-28 risk list --level risk --limit 1000 |
    grep 'Bobby Lemaire' | grep -q 'Aucune activité depuis 21 jours' || fail "French list"
LANGUAGE=fr "$LCMTUI" --db "$db" --today 2026-11-28 risk list --level all --limit 1000 |
    grep -Eq 'No activity|Missed|behind schedule|No answer' && fail "English reasons in the French list"

# Snooze: gone from the list at once, back on its day.
run risk snooze Bobby --days 3 --reason "on holiday" >"$tmp/sn" || fail "snooze failed"
grep -q 'snoozed until 2026-12-01' "$tmp/sn" || fail "snooze output: $(cat "$tmp/sn")"
run risk list --limit 1000 | grep -q 'Bobby' && fail "snoozed Bobby still listed"
"$LCMTUI" --config "$tmp/en.conf" --db "$db" --today 2026-12-01 risk update >/dev/null 2>&1
"$LCMTUI" --config "$tmp/en.conf" --db "$db" --today 2026-12-01 risk list --limit 1000 |
    grep -q 'Bobby' || fail "Bobby not back after the snooze"
run risk feedback Bobby "not useful" || fail "feedback failed"

# Celebrations: Camille crossed 75 % yesterday.
run risk celebrations --limit 1000 | grep 'Camille Rousseau' | grep -q '75 %' ||
    fail "Camille's 75 % is not to celebrate"

# Names from the LMS never reach the terminal raw: an escape sequence in a name is made visible.
db_query "$db" "UPDATE learner SET last_name = 'Lemaire' || $(db_pick char chr)(27) || '[2J' || $(db_pick char chr)(10) || 'x'
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
echo "e2e_risk: ok"
