#!/bin/sh
# e2e_holdout.sh — sequence rules with a holdout (control group) through the real binary: the
# demo with holdout = 50 %, each holdout recorded and none messaged, a second run holds out
# nobody new, then (every messaged learner coming back two days later, no held-out one) the
# effect against the holdout in `outbox stats --by rule` / `--by template` and in the report
# (md, csv), in English and in French.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
fail() { echo "e2e_holdout: FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/db.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-holdout-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
cat >"$tmp/cfg" <<'CFG'
general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; };
sequences: { holdout = 50; holdout_min = 5; holdout_seed = "e2e"; };
CFG
db=$(db_target "$tmp/db")
run() { "$LCMTUI" --config "$tmp/cfg" --db "$db" "$@"; }
q() { db_query "$db" "$1"; }
LANGUAGE=en run --today 2026-11-28 demo >/dev/null 2>&1 || fail "demo failed"
LANGUAGE=en run --today 2026-11-28 sequences >"$tmp/seq" 2>&1 || fail "sequences: $(cat "$tmp/seq")"
held=$(q "SELECT count(*) FROM sequence_holdout")
[ "$held" -gt 0 ] || fail "nobody held out: $(cat "$tmp/seq")"
grep -q "^$held learners held out on purpose (control group: no message)$" "$tmp/seq" ||
    fail "sequences did not count the $held holdouts: $(cat "$tmp/seq")"
# nobody held out got a message of that rule, and every holdout has its day and template
[ "$(q "SELECT count(*) FROM sequence_holdout h JOIN enrollment e ON e.id = h.enrollment_id
        JOIN message m ON m.learner_id = e.learner_id AND m.rule = h.rule")" -eq 0 ] ||
    fail "a held-out learner got a message of the rule that held them out"
[ "$(q "SELECT count(*) FROM sequence_holdout WHERE day <> '2026-11-28' OR template = ''")" -eq 0 ] ||
    fail "a holdout without its day or template"
msgs=$(q "SELECT count(*) FROM message")
LANGUAGE=en run --today 2026-11-29 sequences >"$tmp/seq2" 2>&1 || fail "second run"
[ "$(q "SELECT count(*) FROM sequence_holdout")" -eq "$held" ] || fail "a second run held out more"
[ "$(q "SELECT count(*) FROM message")" -eq "$msgs" ] || fail "a second run made messages"
grep -q "held out" "$tmp/seq2" && fail "a second run reported holdouts: $(cat "$tmp/seq2")"

# Every messaged learner comes back two days after the rule fired; no held-out one does.
q "INSERT INTO activity_day(learner_id, enrollment_id, day, sessions, minutes, actions)
   SELECT learner_id, enrollment_id, $(db_pick "date(day, '+2 days')" \
       "to_char(CAST(day AS date) + 2, 'YYYY-MM-DD')"), 1, 20, 3 FROM sequence_fired
   WHERE message_id IS NOT NULL ON CONFLICT DO NOTHING"
LANGUAGE=en run --today 2026-12-20 outbox stats --by rule >"$tmp/st" 2>&1 || fail "stats: $(cat "$tmp/st")"
grep -q "Against the holdout" "$tmp/st" || fail "no holdout section: $(cat "$tmp/st")"
n1=$(q "SELECT count(*) FROM sequence_fired WHERE rule = 'congrats' AND message_id IS NOT NULL")
n0=$(q "SELECT count(*) FROM sequence_holdout WHERE rule = 'congrats'")
grep -q "The rule congrats brings back 100 points more learners within 7 days than no message (95 % CI [0-9]* to 100; $n1 vs $n0 learners)." "$tmp/st" ||
    fail "no congrats sentence ($n1 vs $n0): $(cat "$tmp/st")"
grep -Eq "^  congrats +\+100 \([0-9]+ to 100\) +\+100" "$tmp/st" || fail "no congrats row: $(cat "$tmp/st")"
LANGUAGE=en run --today 2026-12-20 outbox stats --by template >"$tmp/tp" 2>&1 || fail "stats by template"
grep -q "The template nudge_21 " "$tmp/tp" || fail "no template row: $(cat "$tmp/tp")"
# too early: the 7-day window has not closed yet
LANGUAGE=en run --today 2026-12-02 outbox stats --by rule >"$tmp/early" 2>&1 || fail "early stats"
grep -q "The rule congrats: not enough data yet for 7 days (0 vs 0 learners, 5 needed in each group)." "$tmp/early" ||
    fail "too early should say not enough data: $(cat "$tmp/early")"
LANGUAGE=fr run --today 2026-12-20 outbox stats --by rule >"$tmp/fr" 2>&1 || fail "stats fr"
grep -q "La règle congrats ramène 100 points d’apprenants de plus sous 7 jours que l’absence de message (IC à 95 % de [0-9]* à 100 ; $n1 contre $n0 apprenants)." "$tmp/fr" ||
    fail "no French sentence: $(cat "$tmp/fr")"
grep -q "Against\|brings back" "$tmp/fr" && fail "English in the French output: $(cat "$tmp/fr")"

LANGUAGE=en run --today 2026-12-20 report --format md >"$tmp/r.md" 2>&1 || fail "report md"
grep -q "^### Outreach against a control group$" "$tmp/r.md" || fail "no report section"
grep -q "^- The rule congrats brings back 100 points more" "$tmp/r.md" || fail "no report sentence"
LANGUAGE=en run --today 2026-12-20 report --format csv >"$tmp/r.csv" 2>&1 || fail "report csv"
grep -q "^congrats,7,$n1,$n1,$n0,0,100.0,[0-9.]*,100.0" "$tmp/r.csv" ||
    fail "no csv row: $(grep -A4 '^Rule,' "$tmp/r.csv")"
LANGUAGE=fr run --today 2026-12-20 report --format md >"$tmp/rf.md" 2>&1 || fail "report md fr"
grep -q "^### Relances face à un groupe témoin$" "$tmp/rf.md" || fail "no French report section"
echo "e2e_holdout: ok ($DB_ENGINE, $held held out, congrats $n1 vs $n0)"
