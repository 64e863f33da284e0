#!/bin/sh
# e2e_learners.sh — learners named without ambiguity through the real binary: #ID, a bare
# number (the local id only), SOURCE:EXT_ID, an e-mail in any case, a name without accents;
# homonyms listed with id and cohort (exit 2); `learners merge` (dry run, then for real: one
# learner left, no check-in lost, the merge logged); `learners show`, `unmatched`; a name
# with escape sequences never reaches the terminal raw.
set -eu
. "$(dirname "$0")/db.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_learners: $*" >&2; exit 1; }
printf 'general: { lang = "en"; };\n' >"$tmp/en.conf"
run() { "$LCMTUI" --config "$tmp/en.conf" --db "$db" --today 2026-11-28 "$@"; }
db=$(db_target "$tmp/d.db")
q() { db_query "$db" "$1"; }

run demo >/dev/null 2>&1 || fail "demo failed"
bobby=$(q "SELECT id FROM learner WHERE first_name = 'Bobby'")
# A homonym in another cohort, from a CSV, with a check-in; a name with an escape sequence.
q "INSERT INTO learner(source, ext_id, first_name, last_name, email)
     VALUES ('csv', 'b-2', 'Bobby', 'Lemaire', 'b.lemaire@autre.example');
   INSERT INTO enrollment(learner_id, cohort_id, source, ext_id, start_day, last_activity_day)
     SELECT (SELECT id FROM learner WHERE ext_id = 'b-2'), (SELECT max(id) FROM cohort), 'csv', 'e-b-2', '2026-10-01',
            '2026-11-27';
   INSERT INTO checkin(learner_id, enrollment_id, at, channel, note)
     SELECT learner_id, id, 1764000000, 'call', 'appel homonyme' FROM enrollment
     WHERE ext_id = 'e-b-2';
   INSERT INTO learner(source, ext_id, first_name, last_name)
     VALUES ('csv', 'x', $(db_pick char chr)(27) || '[31mRouge', 'Evil');"
homonym=$(q "SELECT id FROM learner WHERE ext_id = 'b-2'")

# Homonyms: both listed with their id and cohort, exit 2.
set +e
run risk explain "Bobby Lemaire" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "homonyms: exit $rc, not 2"
grep -q "#$bobby .*Bobby Lemaire.*Cohorte 1" "$tmp/err" || fail "homonyms: #$bobby not listed: $(cat "$tmp/err")"
grep -q "#$homonym .*Bobby Lemaire" "$tmp/err" || fail "homonyms: #$homonym not listed"

# Each way of naming one learner.
for ref in "#$bobby" "$bobby" "demo:demo-l000001" "BOBBY.Lemaire@acme-industrie.example" \
    "mailto:bobby.lemaire@acme-industrie.example"; do
    run risk explain "$ref" >"$tmp/out" 2>"$tmp/err" || fail "'$ref': $(cat "$tmp/err")"
    head -1 "$tmp/out" | grep -q "^Bobby Lemaire (demo-l000001)" || fail "'$ref' named $(head -1 "$tmp/out")"
done
run risk explain "helene dupre" >/dev/null 2>&1 || fail "a name without accents"
run outbox list --learner "#$bobby" >/dev/null || fail "outbox list --learner #ID"
# A number is the local id and nothing else; no match exits 1.
set +e
run risk explain 99999 >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "unknown #: not exit 1"
grep -q "no learner matches '99999'" "$tmp/err" || fail "unknown #: $(cat "$tmp/err")"
run learners merge "#$bobby" "#$bobby" >/dev/null 2>&1
[ $? -eq 1 ] || fail "merge into itself: not refused"
run learners merge "#$homonym" >/dev/null 2>&1
[ $? -eq 2 ] || fail "merge with one learner: not a usage error"
set -e

# Hostile names are shown with their escapes made visible.
run learners find Evil >"$tmp/out" || fail "find Evil"
esc=$(printf '\033')
grep -q "$esc" "$tmp/out" && fail "raw escape sequence in the output"
grep -q '\^\[\[31mRouge Evil' "$tmp/out" || fail "escape not made visible: $(cat "$tmp/out")"

# Error lines quote what was typed or read: sanitised too (ESC, C1 CSI, bidi override).
csi=$(printf '\302\233')
rlo=$(printf '\342\200\256')
run outbox list "--x${esc}[2J${csi}31m${rlo}" >/dev/null 2>"$tmp/err" && fail "bogus option accepted"
grep -q "$esc" "$tmp/err" && fail "raw ESC in a usage error"
grep -q "$csi" "$tmp/err" && fail "raw C1 CSI in a usage error"
grep -q "$rlo" "$tmp/err" && fail "raw bidi override in a usage error"
grep -q '\^\[\[2J\\x9B31m\\u202E' "$tmp/err" || fail "usage error not made visible: $(cat "$tmp/err")"

# Merge: a dry run changes nothing.
before=$(q "SELECT count(*) FROM learner"); checkins=$(q "SELECT count(*) FROM checkin")
run learners merge "#$homonym" "#$bobby" --dry-run >"$tmp/out" || fail "dry run: $(cat "$tmp/out")"
grep -q "^would merge #$homonym Bobby Lemaire into #$bobby Bobby Lemaire: 0 enrolments folded, 1 moved" "$tmp/out" ||
    fail "dry run said: $(cat "$tmp/out")"
[ "$(q "SELECT count(*) FROM learner")" = "$before" ] || fail "dry run wrote"
run learners merge "csv:b-2" "demo:demo-l000001" >"$tmp/out" || fail "merge: $(cat "$tmp/out")"
grep -q "^merged #$homonym" "$tmp/out" || fail "merge said: $(cat "$tmp/out")"
[ "$(q "SELECT count(*) FROM learner")" = "$((before - 1))" ] || fail "merge: learner count"
[ "$(q "SELECT count(*) FROM checkin")" = "$checkins" ] || fail "merge lost a check-in"
[ "$(q "SELECT count(*) FROM checkin WHERE learner_id = $bobby AND note = 'appel homonyme'")" = 1 ] ||
    fail "the homonym's check-in did not follow"
[ "$(q "SELECT count(*) FROM learner_merge WHERE kept_id = $bobby AND merged_ext_id = 'b-2'")" = 1 ] ||
    fail "merge not logged"
run risk explain "Bobby Lemaire" >/dev/null 2>&1 || fail "one Bobby left, still ambiguous"
run learners show "csv:b-2" >"$tmp/show" || fail "show by the merged record"
grep -q "^#$bobby Bobby Lemaire" "$tmp/show" || fail "show: $(head -1 "$tmp/show")"
[ "$(grep -c '^  #[0-9]' "$tmp/show")" = 2 ] || fail "show: not 2 enrolments: $(cat "$tmp/show")"
run learners unmatched | grep -q "^no unmatched learner" || fail "unmatched on the demo"
run learners bogus >/dev/null 2>&1 && fail "unknown subcommand accepted"
echo "e2e_learners: ok"
