#!/bin/sh
# e2e_team.sh — a team of two LCMs on one base through the real binary (issue 18), on either
# engine (db.sh): caseloads by cohort (team assign, team list with the unassigned count); the
# second LCM's call on a learner the first e-mailed the same morning refused with who, when and
# how, then --override (logged); two `lcmtui sequences` of two LCMs at once queue each nudge
# once (the same messages as one run alone on a copy of the base, no learner twice); the
# handover of a cohort (its drafts move, a note in each timeline); report --by lcm.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
LCMTUI=${LCMTUI:-$top/build/lcmtui}
fail() { echo "e2e_team: FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/db.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-team-XXXXXX")
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
cat >"$tmp/alice" <<'CFG'
general: { lcm_name = "Alice Martin"; lcm_email = "alice@example.org"; };
CFG
cat >"$tmp/bob" <<'CFG'
general: { lcm_name = "Bob Durand"; lcm_email = "bob@example.org"; };
CFG
db=$(db_target "$tmp/db")
as() { who=$1; shift; LANGUAGE=en "$LCMTUI" --config "$tmp/$who" --db "$db" "$@"; }
q() { db_query "$db" "$1"; }
as alice --today 2026-11-28 demo >/dev/null 2>&1 || fail "demo failed"
c1=$(q "SELECT id FROM cohort ORDER BY id LIMIT 1")
c2=$(q "SELECT id FROM cohort ORDER BY id LIMIT 1 OFFSET 1")
as alice --today 2026-11-28 team assign --cohort "#$c1" --to alice@example.org >"$tmp/o" 2>&1 ||
    fail "assign: $(cat "$tmp/o")"
grep -q "handed over from another LCM" "$tmp/o" || fail "assign said: $(cat "$tmp/o")"
as bob --today 2026-11-28 team assign --cohort "#$c2" --to bob@example.org >"$tmp/o" 2>&1 ||
    fail "assign bob: $(cat "$tmp/o")"
active=$(q "SELECT count(DISTINCT learner_id) FROM enrollment WHERE status = 'active'")
mine=$(q "SELECT count(DISTINCT learner_id) FROM enrollment WHERE status = 'active' AND cohort_id IN ($c1, $c2)")
as alice team list >"$tmp/list" 2>&1 || fail "team list: $(cat "$tmp/list")"
grep -q "Alice Martin .*alice@example.org" "$tmp/list" || fail "no Alice: $(cat "$tmp/list")"
grep -q "Bob Durand .*bob@example.org" "$tmp/list" || fail "no Bob: $(cat "$tmp/list")"
grep -q "^$((active - mine)) learners unassigned (visible to every LCM)$" "$tmp/list" ||
    fail "unassigned count ($active - $mine): $(cat "$tmp/list")"
as alice team assign --to alice@example.org >"$tmp/o" 2>&1 && fail "assign without learner"
as alice team frobnicate >"$tmp/o" 2>&1; [ $? -eq 2 ] || fail "unknown subcommand: not a usage error"

# The same morning: Alice e-mails a learner, Bob's call is refused, then made on purpose.
lid=$(q "SELECT learner_id FROM enrollment WHERE cohort_id = $c1 AND status = 'active' ORDER BY id LIMIT 1")
as alice --today "2026-11-28 09:12" checkin "#$lid" --channel email >"$tmp/o" 2>&1 ||
    fail "alice's check-in: $(cat "$tmp/o")"
as bob --today "2026-11-28 10:30" checkin "#$lid" --channel call >"$tmp/o" 2>&1
[ $? -eq 1 ] || fail "bob's call was not refused: $(cat "$tmp/o")"
grep -q "already contacted: e-mail at 09:12 UTC by Alice Martin (--override to log it anyway)" "$tmp/o" ||
    fail "the refusal said: $(cat "$tmp/o")"
as bob --today "2026-11-28 10:31" checkin "#$lid" --channel note --note "saw it" >"$tmp/o" 2>&1 ||
    fail "a note was refused: $(cat "$tmp/o")"
as bob --today "2026-11-28 10:32" checkin "#$lid" --channel call --override >"$tmp/o" 2>&1 ||
    fail "override: $(cat "$tmp/o")"
[ "$(q "SELECT count(*) FROM contact_override o JOIN lcm_user u ON u.id = o.user_id
        WHERE o.learner_id = $lid AND u.email = 'bob@example.org' AND o.checkin_id IS NOT NULL")" -eq 1 ] ||
    fail "the override was not logged"
[ "$(q "SELECT count(*) FROM checkin c JOIN lcm_user u ON u.id = c.author_id
        WHERE c.learner_id = $lid AND u.name = 'Bob Durand'")" -eq 2 ] || fail "Bob's check-ins unsigned"

# Two LCMs run the sequences at once; a copy of the base runs them once, alone.
alone=$(db_clone "$tmp/db" "$tmp/alone")
LANGUAGE=en "$LCMTUI" --config "$tmp/alice" --db "$alone" --today "2026-11-28 11:00" sequences \
    >"$tmp/s0" 2>&1 || fail "sequences alone: $(cat "$tmp/s0")"
as alice --today "2026-11-28 11:00" sequences >"$tmp/s1" 2>&1 &
p1=$!
as bob --today "2026-11-28 11:00" sequences >"$tmp/s2" 2>&1 &
p2=$!
wait $p1 || fail "alice's sequences: $(cat "$tmp/s1")"
wait $p2 || fail "bob's sequences: $(cat "$tmp/s2")"
n0=$(db_query "$alone" "SELECT count(*) FROM message WHERE rule IS NOT NULL")
n=$(q "SELECT count(*) FROM message WHERE rule IS NOT NULL")
[ "$n0" -gt 0 ] || fail "the sequences made nothing: $(cat "$tmp/s0")"
[ "$n" -eq "$n0" ] || fail "two runs at once made $n messages, one run $n0"
[ "$(q "SELECT count(*) FROM (SELECT learner_id FROM message WHERE rule IS NOT NULL
        GROUP BY learner_id HAVING count(*) > 1) x")" -eq 0 ] || fail "a learner nudged twice"
[ "$(q "SELECT count(*) FROM message m JOIN contact_claim c ON c.message_id = m.id
        WHERE m.rule IS NOT NULL")" -eq "$n" ] || fail "a sequence message without its claim"
[ "$(q "SELECT count(*) FROM message WHERE learner_id = $lid AND rule IS NOT NULL")" -eq 0 ] ||
    fail "the learner Alice e-mailed got a nudge"

# Handover: cohort 1 from Alice to Bob; its drafts go to Bob, each learner's timeline says so.
drafts=$(q "SELECT count(*) FROM message m JOIN enrollment e ON e.learner_id = m.learner_id
            WHERE e.cohort_id = $c1 AND m.status = 'draft'")
as bob --today "2026-11-29" team assign --cohort "#$c1" --to bob@example.org >"$tmp/o" 2>&1 ||
    fail "handover: $(cat "$tmp/o")"
grep -q "drafts moved" "$tmp/o" || fail "handover said: $(cat "$tmp/o")"
[ "$(q "SELECT count(*) FROM message m JOIN enrollment e ON e.learner_id = m.learner_id
        JOIN lcm_user u ON u.id = m.owner_id
        WHERE e.cohort_id = $c1 AND m.status = 'draft' AND u.email = 'bob@example.org'")" -eq "$drafts" ] ||
    fail "the cohort's $drafts drafts did not move to Bob"
notes=$(q "SELECT count(*) FROM checkin WHERE channel = 'note' AND note LIKE 'handover: Alice Martin -> Bob Durand%'")
[ "$notes" -eq "$(q "SELECT count(DISTINCT learner_id) FROM enrollment WHERE cohort_id = $c1")" ] ||
    fail "$notes handover notes"

as bob --today 2026-11-29 report --by lcm --format csv >"$tmp/r.csv" 2>&1 || fail "report: $(cat "$tmp/r.csv")"
grep -q '^"LCM","e-mail","learners followed","contacts"' "$tmp/r.csv" || fail "report header: $(cat "$tmp/r.csv")"
grep -q '^"Alice Martin","alice@example.org","0","1","1"' "$tmp/r.csv" || fail "Alice's row: $(cat "$tmp/r.csv")"
grep -q "^\"Bob Durand\",\"bob@example.org\",\"$mine\",\"1\",\"1\"" "$tmp/r.csv" ||
    fail "Bob's row ($mine learners): $(cat "$tmp/r.csv")"
as bob --today 2026-11-29 report --by lcm >"$tmp/r.md" 2>&1 || fail "report md: $(cat "$tmp/r.md")"
grep -q "^| Bob Durand | bob@example.org | $mine | 1 | 1 |" "$tmp/r.md" || fail "md row: $(cat "$tmp/r.md")"
as bob --today 2026-11-29 report --by lcm --format html -o "$tmp/r.html" >"$tmp/o" 2>&1 ||
    fail "report html: $(cat "$tmp/o")"
grep -q "<td>Alice Martin</td><td>alice@example.org</td>" "$tmp/r.html" || fail "html row"
[ "$(stat -c %a "$tmp/r.html")" = 600 ] || fail "the report file is not 0600"
LANGUAGE=fr "$LCMTUI" --config "$tmp/bob" --db "$db" --today 2026-11-29 report --by lcm >"$tmp/fr.md" 2>&1 ||
    fail "report fr"
grep -q "^# L’équipe des LCM" "$tmp/fr.md" || fail "no French title: $(head -3 "$tmp/fr.md")"
as bob report --by lcm --cohort "#$c1" >"$tmp/o" 2>&1; [ $? -eq 2 ] || fail "--by lcm --cohort accepted"
echo "e2e_team: ok ($DB_ENGINE, $n nudges queued once by two runs)"
