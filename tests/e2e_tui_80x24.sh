#!/bin/sh
# e2e_tui_80x24.sh — issue 16, "80x24", on the real binary in headless mode over the demo
# (French, 80x24):
# - the columns give way by priority: the reason is shown whole ("Aucune activité depuis 21
#   jours"), the cohort by its short name ("Cohorte 2", never cut with "…"), no line wider
#   than 80 columns;
# - with a cohort filter on, the title keeps the date and the freshness, and its counts are
#   the cohort's (checked against the database);
# - I shows the learners idle for tui.idle_days (21) days or more and only them (checked
#   against the database), and says how many; I again shows everyone; tui.idle_days = 30
#   moves the threshold.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
T=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-80x24-XXXXXX")
trap 'rm -rf "$T"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui_80x24: FAIL: $*" >&2
    exit 1
}
export LC_ALL=C.UTF-8
db=$(db_target "$T/demo.db")
today=2026-12-01
printf 'general: { lcm_name = "Camille Martin"; lang = "fr"; };\n' >"$T/conf"
run() { # KEYS [CONFIG]: headless at 80x24, the screen in $T/out
    printf '%s <Dump> Q\n' "$1" >"$T/keys"
    LCMTUI_SIZE=80x24 LCMTUI_SCRIPT="$T/keys" "$LCMTUI" -c "${2:-$T/conf}" -d "$db" \
        --today "$today 09:00" >"$T/out" 2>"$T/err" || fail "run $1: $(cat "$T/err")"
    /usr/bin/python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$T/out" ||
        fail "a line wider than 80 columns after $1"
}
q() { db_query "$db" "$1"; }
"$LCMTUI" -c "$T/conf" -d "$db" --today "$today 09:00" demo >/dev/null 2>&1 || fail "demo"

# 1. The reason whole, the cohort by its short name.
run "/Marty<Space>Lef <Enter>"
line=$(grep "Marty Lefèvre" "$T/out" | head -1)
printf '%s\n' "$line" | grep -q "Aucune activité depuis 21 jours$" || fail "the reason is cut: $line"
cohort=$(q "SELECT c.name FROM cohort c JOIN enrollment e ON e.cohort_id = c.id JOIN learner l ON l.id = e.learner_id WHERE l.first_name = 'Marty' AND l.last_name = 'Lefèvre'")
short=${cohort%% – *}
printf '%s\n' "$line" | grep -qF " $short " || fail "the cohort is not shown by its short name ($short): $line"
run ""
grep -q "Cohorte [0-9]…" "$T/out" && fail "a cohort's short name is cut"
sed -n 3p "$T/out" | grep -q "depuis [0-9]* jours$" || fail "the first reason is cut: $(sed -n 3p "$T/out")"

# 1b. Drafts waiting make the counts longest: the freshness still shows whole.
"$LCMTUI" -c "$T/conf" -d "$db" --today "$today 09:00" sequences >/dev/null 2>&1 || fail "sequences"
run ""
sed -n 1p "$T/out" | grep -q "^ 01/12 démo .*à valider *$" || fail "with drafts, the title lost the freshness or the drafts: $(sed -n 1p "$T/out")"

# 2. A cohort filter: the title keeps the date and the freshness; its counts are the cohort's.
cid=$(q "SELECT id FROM cohort ORDER BY start_day, name, id LIMIT 1 OFFSET 1")
run "f <Right> <Right> <Enter>" # the second cohort of the form's list
title=$(sed -n 1p "$T/out")
printf '%s\n' "$title" | grep -q "^ 01/12 démo · Cohorte [0-9]" || fail "the filtered title lost the date or the freshness: $title"
risk=$(q "SELECT count(*) FROM enrollment e JOIN risk r ON r.enrollment_id = e.id WHERE e.status = 'active' AND e.cohort_id = $cid AND r.level = 2 AND NOT EXISTS (SELECT 1 FROM snooze z WHERE z.enrollment_id = e.id AND z.active = 1 AND z.until_day >= '$today')")
all=$(q "SELECT count(*) FROM enrollment e JOIN risk r ON r.enrollment_id = e.id WHERE e.status = 'active' AND r.level = 2")
[ "$risk" != "$all" ] || fail "the test needs a cohort with fewer at risk than all ($risk)"
printf '%s\n' "$title" | grep -q " $risk à risque" || fail "the title does not count the cohort's $risk at risk: $title"

# 3. I: the learners idle for 21 days or more, and only them.
cut=$(date -u -d "$today - 21 days" +%F)
idle=$(q "SELECT count(*) FROM enrollment e WHERE e.status = 'active' AND COALESCE(e.last_activity_day, e.start_day, '0000') <= '$cut' AND NOT EXISTS (SELECT 1 FROM snooze z WHERE z.enrollment_id = e.id AND z.active = 1 AND z.until_day >= '$today')")
[ "$idle" -gt 0 ] || fail "nobody idle for 21 days in the demo"
run "I"
grep -q "$idle apprenants inactifs depuis 21 jours ou plus" "$T/out" ||
    fail "I does not say $idle learners: $(tail -1 "$T/out")"
sed -n 1p "$T/out" | grep -q "^ 01/12 démo · inact. 21 j+" || fail "the title does not show the idle filter: $(sed -n 1p "$T/out")"
sed -n '3,22p' "$T/out" | grep -v '^ *$' >"$T/rows"
while IFS= read -r l; do
    v=$(printf '%s\n' "$l" | sed -n 's/.* \([0-9][0-9]*\) j .*/\1/p;s/.* jamais .*/999/p' | head -1)
    [ -n "$v" ] && [ "$v" -ge 21 ] || fail "a learner idle for less than 21 days is listed: $l"
done <"$T/rows"
run "I I"
grep -q "tous les apprenants" "$T/out" || fail "I again does not show everyone"
sed -n 1p "$T/out" | grep -q "inactifs" && fail "the title still shows the idle filter"
printf 'general: { lang = "fr"; }; tui: { idle_days = 30; };\n' >"$T/conf30"
run "I" "$T/conf30"
grep -q "inactifs depuis 30 jours ou plus" "$T/out" || fail "tui.idle_days = 30 is not used"
exit 0
