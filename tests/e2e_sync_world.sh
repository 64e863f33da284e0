#!/bin/sh
# e2e_sync_world.sh — one Moodle source and one xAPI source over the same 120 students, as real
# Moodle 4.x and LRS (xAPI 1.0.3, cmi5) data looks (tests/fixtures/lms_server.py --world; the
# cast is listed in its class World): one person one learner, scores on 0-100, failed attempts,
# cmi5 unit progress, suspended enrolments, real module names, a first sync that is not a flood
# of celebrations, true counts, and faults that end where a sync without them ends.
#
# Some checks meet bugs of the C code that are not fixed yet. Each is behind a *_BUG variable
# set to 1: the check still runs, and a difference is reported (not failed) with the variable's
# name; when the behaviour becomes right the test says so, and the variable must be set to 0
# (then the check fails on a regression). Each variable's comment says where the bug is.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-build/lcmtui}
here=$(cd "$(dirname "$0")" && pwd)
name=e2e_sync_world
for c in /usr/bin/python3; do
    command -v "$c" >/dev/null || { echo "$name: skipped: $c not found"; exit 77; }
done
[ -x "$LCMTUI" ] || { echo "$name: skipped: $LCMTUI not built"; exit 77; }
T=$(mktemp -d)
SP=""
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"; db_cleanup; }
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "$name: $*" >&2; exit 1; }
say() { echo "$name: $*"; }
known() { # VARIABLE what...: a known bug's check failed
    v=$1
    shift
    say "KNOWN BUG ($v): $*"
}
fixed() { # VARIABLE: a known bug's check passed
    say "$1: the check passes now: set $1=0"
}

# ---- known bugs, each with where it is ----
# core/sync/src_moodle.c asks core_enrol_get_enrolled_users with onlyactive = 1 only, so an
# enrolment suspended before the first sync is never seen; src_xapi.c (actor_learner ->
# actor_guest) then makes the student's LRS actor (account on the Moodle site) a new learner of
# the LRS's own cohort: counted unmatched, active and in the triage; once reactivated, Moodle
# makes a second learner for the same person.
SUSPENDED_UNSEEN_BUG=0
# core/risk/risk_run.c (risk_run_load): h->source_progress = run->any_progress, true when ANY
# enrolment of the run has a progress figure, so an enrolment whose progress is unknown (Moodle
# answers progress null) is scored as 0 % done: "N points behind schedule", "Logs in without
# progress for N days" (risk_score.c, sig_pace / sig_stalled, progress_now()).
RISK_UNKNOWN_PROGRESS_BUG=0
# A quiz's xAPI object id is its Moodle module URL (core_course_get_contents' url, recorded by
# src_moodle.c module_store as "iri:URL" -> cohort): src_xapi.c milestone_reached still makes a
# milestone of its own ("PROGRAM|IRI") beside Moodle's "cm:ID", so one pass is two milestones
# and two entries to celebrate, and a fail the LRS scored 20 reads "Failed ... (scored 0)" in the
# triage (Moodle's copy has no score, read as 0 by risk_run.c on_done, the lowest wins).
MILESTONE_TWICE_BUG=0
# A first sync's summary counts as "updated" rows written new in the same run, some several
# times: src_xapi.c aggs_flush counts an enrolment as updated once per PAGE whose activity moves
# it (its `touched` map lives for one page), the enrolments it made itself on an earlier page
# included (here 13 "updated" for the 5 enrolments the LRS makes, Moodle's 118 untouched);
# activity days Moodle wrote minutes before, or split over two pages, are counted new then
# updated (store_entity_activity_sum); a pass replacing a fail of the same run is "updated".
SYNC_UPDATED_COUNT_BUG=0
# When the Moodle source fails mid-way, sync.c still runs the xAPI source, whose actor_guest
# (src_xapi.c) makes a learner of every actor Moodle has not written yet; the next clean sync
# makes the Moodle learners beside them: one person, two learners, for good.
MOODLE_FAULT_GUESTS_BUG=0
# core/store/store_risk.c store_risk_find matches "l.ext_id = ?1 OR CAST(l.id AS TEXT) = ?1":
# a number is matched against two id spaces, SOURCE:EXT_ID and e-mails are not accepted, and
# cli/cmd_risk.c resolve exits 1 (not 2) on a name matching several learners.
LEARNER_NAMES_BUG=0
# As in e2e_sync_resume.sh: a day split over two pages gets sessions and minutes per page.
XAPI_DAY_SPLIT_BUG=0

TODAY=2026-11-16
NOW="$TODAY 10:00"
. "$here/lms_fixture.sh"
lms_start "$T/port" "$T/srv.err" --world --today "$TODAY" --seed 12
SP=$LMS_PID
P=$LMS_PORT
ctl() { lms_ctl "$P" "$1"; }
facts() { # what: the fixture's "ID VALUE" lines
    /usr/bin/python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
        "http://127.0.0.1:$P/_control/facts?what=$1" || fail "facts $1"
}

# Moodle pages of 25 (63 members a course: 3 pages, the teachers first), LRS pages of 250 (the
# fixture serves its statement 249 again as 250: the repeat opens page 2)
cat >"$T/conf" <<CONF
general: { lang = "en"; };
risk: { celebrate_days = 14; };
sync: { timeout = 5.0; connect_timeout = 1.0; retries = 1; retry_max_wait = 0.05; parallel = 4; };
sources = (
  { name = "lms"; type = "moodle"; url = "http://127.0.0.1:$P"; token = "fixture-token-123";
    page_size = 25; },
  { name = "lrs"; type = "xapi"; url = "http://127.0.0.1:$P/xapi"; user = "lrs-key";
    password_env = "E2E_LRS_PW"; page_size = 250; }
);
CONF
chmod 600 "$T/conf"
export E2E_LRS_PW=lrs-secret-456
DB=$(db_target "$T/main.db")
lcm() { "$LCMTUI" -c "$T/conf" -d "$DB" --today "$NOW" "$@"; }
sync_to() { # db: one sync, summary in $T/out, errors in $T/err
    "$LCMTUI" -c "$T/conf" -d "$1" --today "$NOW" sync >"$T/out" 2>"$T/err"
}
q() { db_query "$DB" "$1"; }
# The learner row of a Moodle user id, "" when none.
lid() { q "select id from learner where source = 'lms' and ext_id = '$1'"; }
# The state a sync leaves, by natural keys (row ids depend on the order things were written):
# learners and their keys, enrolments, activity days, milestones reached, risk, cursors.
state() { # db
    db_query "$1" "
    create temp view lk as select id, source || ':' || ext_id as k from learner;
    create temp view ek as select e.id, e.source || ':' || e.ext_id as k from enrollment e;
    create temp view mk as select id, source || ':' || ext_id as k from milestone;
    select 'learner', source, ext_id, first_name, last_name, email from learner order by 2, 3;
    select 'key', kind, value, (select k from lk where id = learner_id), source from learner_key
      order by 2, 3, 4;
    select 'enrollment', e.source, e.ext_id, (select k from lk where id = e.learner_id),
      c.source || ':' || c.ext_id, e.status, e.start_day, e.expected_end_day, e.ended_day,
      e.progress, e.last_activity_day from enrollment e join cohort c on c.id = e.cohort_id order by 2, 3;
    select 'day', (select k from ek where id = enrollment_id) as e, day, actions, progress
      from activity_day order by 2, 3;
    select 'milestone', source, ext_id, name, kind, threshold from milestone order by 2, 3;
    select 'done', (select k from ek where id = enrollment_id) as e,
      (select k from mk where id = milestone_id) as m, day, score, failed, celebrated_at
      from milestone_done order by 2, 3;
    select 'risk', (select k from ek where id = enrollment_id) as e, day, score, level, reasons
      from risk order by 2;
    select 'seen', source, count(*) from sync_seen group by 1;
    select 'value', source, item_id, value from sync_value order by 2, 3;
    select 'cursor', source, cursor from sync_state order by 2;"
}
# sessions and minutes apart (XAPI_DAY_SPLIT_BUG)
state_split() { # db
    db_query "$1" "select (select source || ':' || ext_id from enrollment where id = enrollment_id)
      as e, day, sessions, minutes from activity_day order by 1, 2"
}

# `risk list` rows: "SCORE  LEVEL  NAME EXT_ID REASONS" (names have no digits; a Moodle
# learner's ext_id is its user id).
ranks() { # file: "RANK USERID" for each Moodle learner's row
    awk '{ l = $0; sub(/^ *[0-9.]+ +(at risk|watch|ok) +/, "", l)
           if (match(l, /(^| )[0-9]+( |$)/)) { id = substr(l, RSTART, RLENGTH); gsub(/ /, "", id)
                                               print NR, id } }' "$1"
}
row() { # file userid: that learner's row
    sed -n "$(ranks "$1" | awk -v u="$2" '$2 == u {print $1}' | head -1)p" "$1"
}

# =============================== the first sync ===============================
sync_to "$DB" || fail "first sync failed: $(cat "$T/err")"
cp "$T/out" "$T/out1"
grep -q '^lms (moodle): ok' "$T/out" && grep -q '^lrs (xapi): ok' "$T/out" ||
    fail "first sync: $(cat "$T/out")"
# the statement served twice (same id, across pages 1 and 2) is read twice, counted once
set -- $(facts statements)
grep -q "^lrs (xapi): ok, $1 records" "$T/out" || fail "statements read: $(grep lrs "$T/out")"
[ "$(q "select count(*) from sync_seen where source = 'lrs'")" = "$2" ] || fail "statements kept"
# actions: one a statement, and Moodle's one a learner's day of last access
n=$(q "select sum(actions) from activity_day")
[ "$n" = $(($2 + 118)) ] || fail "actions: $n, expected $2 statements + 118 Moodle days"
say "$1 statements read, $2 kept: the one served on two pages counted once"
state "$DB" >"$T/state1"
state_split "$DB" >"$T/split1"

# ---- one person, one learner ----
SUSP="121 196" # suspended from the start: left out of the per-student comparisons
nosusp() { grep -v -e '^121 ' -e '^196 '; }
GUESTS="mbox:mailto:Invite.Externe@Partenaire.example
account:https://moodle.example.org|ancien.stagiaire
sha1:$(printf 'mailto:auditeur.libre@cabinet-conseil.example' | sha1sum | cut -c1-40)"
n=$(q "select count(*) from learner")
[ "$n" = 123 ] || fail "learners: $n, expected 123 (120 students and 3 guests)"
# 118 listed; the 2 suspended before the first sync may be known too, but withdrawn
n=$(q "select count(*) from learner where source = 'lms'")
w=$(q "select count(*) from enrollment where source = 'lms' and status = 'withdrawn' and
       (ext_id like '121@%' or ext_id like '196@%')")
[ "$n" = 118 ] || { [ "$n" = 120 ] && [ "$w" = 2 ]; } ||
    fail "Moodle learners: $n, expected the 118 students with an active enrolment"
n=$(q "select count(*) from learner where source = 'lms' and cast(ext_id as integer) < 100")
[ "$n" = 0 ] || fail "$n teachers made learners"
q "select count(*) from learner where last_name in ('Marchand', 'Tessier', 'Besson')" | grep -qx 0 ||
    fail "a teacher is a learner"
# the LRS made learners of its 3 guests, no one else
q "select ext_id from learner where source = 'lrs' order by 1" >"$T/lrs_learners"
printf '%s\n' "$GUESTS" | sort >"$T/guests"
extra=$(sort "$T/lrs_learners" | comm -23 - "$T/guests")
sort "$T/lrs_learners" | comm -13 - "$T/guests" | grep -q . && fail "a guest is not a learner"
unmatched_line=$(grep 'LRS actors matched no learner' "$T/out")
nkeys=$(q "select count(*) from learner_key where kind = 'unmatched'")
if [ -z "$extra" ] && [ "$nkeys" = 3 ] &&
    printf '%s\n' "$unmatched_line" | grep -q '^sync: 3 LRS actors matched no learner'; then
    [ "$SUSPENDED_UNSEEN_BUG" = 1 ] && fixed SUSPENDED_UNSEEN_BUG
    say "one person one learner: 118 Moodle learners, 3 guests, \"$unmatched_line\""
else
    # the only tolerated difference: the two students suspended from the start, as guests
    want_extra="account:https://moodle.example.org|joel.riviere
sha1:$(printf 'mailto:ines.lemaitre@acme-formation.fr' | sha1sum | cut -c1-40)"
    [ "$SUSPENDED_UNSEEN_BUG" = 1 ] && [ "$extra" = "$want_extra" ] && [ "$nkeys" = 5 ] ||
        fail "LRS learners beyond the 3 guests: $extra; unmatched keys $nkeys; $unmatched_line"
    known SUSPENDED_UNSEEN_BUG "the 2 students suspended before the first sync became LRS" \
        "guests ($unmatched_line)"
fi
# every active student's LRS activity is in their Moodle enrolment (all four actor forms:
# account by username, account by id, mbox in mixed case, mbox_sha1sum): minutes come only
# from the LRS
n=$(q "select count(*) from enrollment e where e.source = 'lms' and
       (select coalesce(sum(minutes), 0) from activity_day a where a.enrollment_id = e.id) = 0")
[ "$n" = 0 ] || fail "$n Moodle enrolments got none of their LRS activity"
n=$(q "select count(*) from enrollment where source = 'lrs' and learner_id in
       (select id from learner where source = 'lms')")
[ "$n" = 0 ] || fail "$n LRS enrolments of Moodle learners (a cohort of the LRS's own)"
# homonyms: two learners, each with their own activity
n=$(q "select count(*) from learner where first_name = 'Camille' and last_name = 'Lefèvre'")
[ "$n" = 2 ] || fail "homonyms: $n learners named Camille Lefèvre"
facts last | nosusp >"$T/last_want"
q "select l.ext_id || ' ' || e.last_activity_day from enrollment e join learner l
   on l.id = e.learner_id where e.source = 'lms' order by 1" | nosusp >"$T/last_got"
cmp -s "$T/last_want" "$T/last_got" || {
    diff "$T/last_want" "$T/last_got" | head >&2
    fail "last activity days are not each student's own"
}
facts actions | nosusp >"$T/act_want"
q "select l.ext_id || ' ' || (select sum(actions) from activity_day a where a.enrollment_id = e.id)
   from enrollment e join learner l on l.id = e.learner_id where e.source = 'lms' order by 1" |
    nosusp >"$T/act_got"
cmp -s "$T/act_want" "$T/act_got" || {
    diff "$T/act_want" "$T/act_got" | head >&2
    fail "actions per enrolment are not each student's own statements"
}
say "homonyms stay two, every student's statements in their own enrolment"

# ---- scores, failed attempts ----
n=$(q "select count(*) from milestone_done where score < 0 or score > 100")
[ "$n" = 0 ] || fail "$n scores outside 0-100"
n=$(q "select count(*) from milestone_done where score is not null")
[ "$n" -gt 100 ] || fail "only $n scores stored"
# each quiz's LRS score as the fixture meant it: scaled (0.82 is 82, -0.2 is 0), raw within
# min..max (16 of 0..20 is 80), a raw without its range no score; 116's pass, not its fail
facts scores | nosusp >"$T/sc_want"
# a quiz of the Moodle site is Moodle's milestone (cm:ID): one attempt, one milestone
q "select l.ext_id || ' ' || case when m.source = 'lms' then substr(m.ext_id, 4)
     else substr(m.ext_id, $(db_pick instr strpos)(m.ext_id, '?id=') + 4) end || ' ' ||
   case when d.score is null then 'null' else cast(cast(round(d.score) as integer) as text) end
   from milestone_done d join milestone m on m.id = d.milestone_id
   join enrollment e on e.id = d.enrollment_id join learner l on l.id = e.learner_id
   where ((m.source = 'lrs' and m.ext_id like '%/mod/quiz/%') or
          (m.source = 'lms' and m.ext_id like 'cm:%')) and l.source = 'lms' order by 1" |
    nosusp | awk 'NR == FNR { k[$1 " " $2] = 1; next } ($1 " " $2) in k' "$T/sc_want" - >"$T/sc_got"
n=$(q "select count(*) from milestone where source = 'lrs' and ext_id like '%moodle.example.org/mod/%'")
[ "$n" = 0 ] || fail "$n milestones of the LRS for Moodle modules (a second copy of Moodle's)"
cmp -s "$T/sc_want" "$T/sc_got" || {
    diff "$T/sc_want" "$T/sc_got" | head >&2
    fail "LRS scores are not on 0-100 as the statements say"
}
grep -q ' null$' "$T/sc_want" && grep -q ' 0$' "$T/sc_want" || fail "the fixture lost its odd scores"
# every Moodle "complete, failed" (state 3) is a failed attempt, never to celebrate
facts failed | nosusp >"$T/failed_want"
q "select l.ext_id || ' ' || substr(m.ext_id, 4) from milestone_done d
   join milestone m on m.id = d.milestone_id join enrollment e on e.id = d.enrollment_id
   join learner l on l.id = e.learner_id where m.source = 'lms' and d.failed = 1 order by 1" |
    nosusp >"$T/failed_got"
cmp -s "$T/failed_want" "$T/failed_got" || {
    diff "$T/failed_want" "$T/failed_got" | head >&2
    fail "failed attempts recorded are not Moodle's state 3"
}
n=$(q "select count(*) from milestone_done where failed = 1 and celebrated_at is null")
[ "$n" = 0 ] || fail "$n failed attempts to celebrate"
# 116 failed the unit-3 test, passed it 5 days later: not at risk for a failed test
L116=$(lid 116)
[ -n "$L116" ] || fail "no learner 116"
n=$(q "select count(*) from milestone_done d join enrollment e on e.id = d.enrollment_id
       where e.learner_id = $L116 and d.failed = 1")
[ "$n" = 0 ] || fail "116's failed attempt was not replaced by the later pass"
lcm risk explain "Aurélien Brûlé" >"$T/explain" 2>&1 || fail "risk explain 116: $(cat "$T/explain")"
sed -n '/^reasons:/,$p' "$T/explain" | grep -qi 'fail' &&
    fail "116 at risk for a failed test: $(cat "$T/explain")"
lcm risk list --level all --limit 500 >"$T/triage" || fail "risk list"
row "$T/triage" 116 | grep -qi 'failed' && fail "116's triage line: a failed test"
# the learners who failed in Moodle are flagged for it
for u in $(cut -d' ' -f1 "$T/failed_want" | sort -u); do
    row "$T/triage" "$u" | grep -q "Failed '" ||
        fail "$u failed a test and the triage does not say so: $(row "$T/triage" "$u")"
done
say "scores within 0-100, failed attempts recorded and flagged, a fail replaced by a later pass"

# ---- progress: Moodle's, never a cmi5 unit's ----
facts progress | nosusp >"$T/prog_want"
q "select l.ext_id || ' ' || case when e.progress is null then 'null'
   else $(db_pick "printf('%.4f', e.progress)" "to_char(e.progress, 'FM0.0000')") end from enrollment e join learner l on l.id = e.learner_id
   where e.source = 'lms' order by 1" | nosusp >"$T/prog_got"
cmp -s "$T/prog_want" "$T/prog_got" || {
    diff "$T/prog_want" "$T/prog_got" | head >&2
    fail "enrolment progress is not what Moodle says (a unit's progress read as the course's?)"
}
n=$(q "select count(*) from enrollment where progress >= 1")
c=$(q "select count(*) from enrollment where progress >= 1 and status = 'completed'")
[ "$n" = 4 ] && [ "$c" = 4 ] || fail "$n enrolments at 100 % ($c completed), expected the 4 completed"
n=$(q "select count(*) from enrollment where source = 'lrs' and progress is not null")
[ "$n" = 0 ] || fail "$n guests with a progress (their units' only)"
# unknown progress (113, 173: Moodle says null) is not 0 %
bad=$( (row "$T/triage" 113; row "$T/triage" 173) | grep -e 'behind schedule' -e 'without progress')
if [ -z "$bad" ]; then
    [ "$RISK_UNKNOWN_PROGRESS_BUG" = 1 ] && fixed RISK_UNKNOWN_PROGRESS_BUG
elif [ "$RISK_UNKNOWN_PROGRESS_BUG" = 1 ]; then
    known RISK_UNKNOWN_PROGRESS_BUG "unknown progress scored as 0 %:"
    printf '%s\n' "$bad" | sed 's/^/    /'
else
    fail "unknown progress scored as 0 %: $bad"
fi
say "progress is Moodle's; 4 at 100 %, all completed; cmi5 unit progress never the course's"

# ---- the suspended are out of the triage ----
for u in $SUSP; do
    [ -z "$(lid "$u")" ] || [ "$(q "select status from enrollment where source = 'lms' and
        ext_id like '$u@%'")" = withdrawn ] || fail "suspended $u is an active Moodle learner"
done
bad=$(grep -e 'Joël Rivière' -e 'Inès Lemaître' "$T/triage")
if [ -z "$bad" ]; then
    [ "$SUSPENDED_UNSEEN_BUG" = 1 ] && fixed SUSPENDED_UNSEEN_BUG
elif [ "$SUSPENDED_UNSEEN_BUG" = 1 ]; then
    known SUSPENDED_UNSEEN_BUG "students suspended in Moodle are in the triage (as LRS guests):"
    printf '%s\n' "$bad" | sed 's/^/    /'
else
    fail "suspended students in the triage: $bad"
fi

# ---- gone for 3 to 4 weeks: at risk, that reason, at the top ----
# Each ranks above every learner active in the last 4 days who failed no test.
top_active=$(ranks "$T/triage" | while read -r i u; do
    grep -q "^$u " "$T/failed_want" && continue
    last=$(grep "^$u " "$T/last_want" | cut -d' ' -f2)
    [ "$last" \> "2026-11-11" ] && { echo "$i"; break; }
done)
[ -n "$top_active" ] || fail "no active learner in the triage"
gone=""
for ud in 108:22 134:25 167:27 202:30; do
    u=${ud%:*} d=${ud#*:}
    line=$(row "$T/triage" "$u")
    printf '%s\n' "$line" | grep -q "at risk" || fail "gone learner $u not at risk: $line"
    printf '%s\n' "$line" | grep -q "No activity for $d days" ||
        fail "gone learner $u: not \"No activity for $d days\": $line"
    rank=$(ranks "$T/triage" | awk -v u="$u" '$2 == u {print $1}')
    [ "$rank" -lt "$top_active" ] ||
        fail "gone learner $u ranks $rank, behind an active learner with no failed test (rank $top_active)"
    gone="$gone $rank"
done
say "the 4 learners gone 22-30 days are at risk with \"No activity for N days\", ranks$gone" \
    "(the first active learner with no failed test: $top_active)"

# ---- milestones named as Moodle names its modules ----
n=$(q "select count(*) from milestone where source = 'lms' and (name $(db_pick "glob '[a-z]* [0-9]*'" "~ '^[a-z].* [0-9]'")
       or name not in ('Unité 1 : Se présenter', 'Quiz de l''unité 1', 'Unité 2 : Au téléphone',
       'Quiz de l''unité 2', 'Unité 3 : Animer une réunion', 'Test de l''unité 3',
       'Examen blanc'))")
[ "$n" = 0 ] || fail "$n Moodle milestones not named by core_course_get_contents: $(
    q "select name from milestone where source = 'lms' limit 3")"
[ "$(q "select count(*) from milestone where source = 'lms'")" -gt 10 ] || fail "too few milestones"

# ---- a first sync is not a flood: only crossings of the last celebrate_days wait ----
SINCE=2026-11-02 # today - 14
n=$(q "select count(*) from milestone_done where celebrated_at is null and day < '$SINCE'")
[ "$n" = 0 ] || fail "$n crossings older than 14 days to celebrate"
n=$(q "select count(*) from milestone_done where celebrated_at is not null and failed = 0
       and day >= '$SINCE'")
[ "$n" = 0 ] || fail "$n recent crossings acknowledged already"
facts celebrate | nosusp >"$T/cel_want"
q "select l.ext_id || ' ' || substr(m.ext_id, 4) from milestone_done d
   join milestone m on m.id = d.milestone_id join enrollment e on e.id = d.enrollment_id
   join learner l on l.id = e.learner_id where m.source = 'lms' and d.celebrated_at is null
   order by 1" | nosusp >"$T/cel_got"
cmp -s "$T/cel_want" "$T/cel_got" || {
    diff "$T/cel_want" "$T/cel_got" | head >&2
    fail "Moodle completions to celebrate are not those of the last 14 days"
}
lcm risk celebrations --limit 10000 >"$T/cel" || fail "risk celebrations"
[ -s "$T/cel" ] || fail "nothing to celebrate"
old=$(awk -v s="$SINCE" '$1 < s' "$T/cel" | head -3)
[ -z "$old" ] || fail "old crossings listed to celebrate: $old"
twice=$(q "select l.ext_id || ' ' || m.name from milestone_done d join milestone m
   on m.id = d.milestone_id join enrollment e on e.id = d.enrollment_id join learner l
   on l.id = e.learner_id where d.celebrated_at is null group by e.id, m.name
   having count(*) > 1 order by 1")
if [ -z "$twice" ]; then
    [ "$MILESTONE_TWICE_BUG" = 1 ] && fixed MILESTONE_TWICE_BUG
elif [ "$MILESTONE_TWICE_BUG" = 1 ]; then
    known MILESTONE_TWICE_BUG "$(printf '%s\n' "$twice" | wc -l) passes to celebrate twice" \
        "(Moodle's and the LRS's), e.g. $(printf '%s\n' "$twice" | head -1)"
else
    fail "one pass, two milestones: $twice"
fi
# and a second symptom: a learner whose every fail the LRS scored above 0 reads "(scored 0)",
# Moodle's scoreless copy of the attempt (state 3 has no grade) being read as 0 by risk_run.c
# on_done ("a fail without its score: the lowest a test can say")
zero=$(awk 'NR == FNR { f[$1 " " $2] = 1; next } ($1 " " $2) in f { print $1, $3 }' \
    "$T/failed_want" "$T/sc_want" | awk '{ if ($2 == "0") z[$1] = 1; else s[$1] = 1 }
    END { for (u in s) if (!(u in z)) print u }' | sort | while read -r u; do
    row "$T/triage" "$u" | grep -q '(scored 0)' && echo "$u"
done)
if [ -z "$zero" ]; then
    [ "$MILESTONE_TWICE_BUG" = 1 ] && fixed MILESTONE_TWICE_BUG
elif [ "$MILESTONE_TWICE_BUG" = 1 ]; then
    known MILESTONE_TWICE_BUG "\"(scored 0)\" for fails the LRS scored above 0:" $zero
else
    fail "\"(scored 0)\" for fails the LRS scored above 0: $zero"
fi
say "$(wc -l <"$T/cel" | tr -d ' ') to celebrate, all from $SINCE on; real module names"

# ---- the first summary's counts are what was written ----
count() { # kind column (new updated unchanged) of $T/out1
    sed -n "s/^sync: $1  *\([0-9]*\) new,  *\([0-9]*\) updated,  *\([0-9]*\) unchanged$/\1 \2 \3/p" \
        "$T/out1" | cut -d' ' -f"$2"
}
[ "$(count learners 1)" = 123 ] || fail "summary: learners new $(count learners 1)"
[ "$(count enrolments 1)" = "$(q "select count(*) from enrollment")" ] || fail "summary: enrolments new"
[ "$(count 'activity days' 1)" = "$(q "select count(*) from activity_day")" ] || fail "summary: days new"
[ "$(count milestones 1)" = "$(q "select count(*) from milestone_done d join milestone m on
    m.id = d.milestone_id where m.source in ('lms', 'lrs')")" ] || fail "summary: milestones new"
upd="$(count learners 2) $(count enrolments 2) $(count 'activity days' 2) $(count milestones 2)"
if [ "$upd" = "0 0 0 0" ]; then
    [ "$SYNC_UPDATED_COUNT_BUG" = 1 ] && fixed SYNC_UPDATED_COUNT_BUG
elif [ "$SYNC_UPDATED_COUNT_BUG" = 1 ]; then
    known SYNC_UPDATED_COUNT_BUG "a first sync says updated (learners, enrolments, days, milestones): $upd"
else
    fail "a first sync says updated: $upd"
fi

# ---- learners named without ambiguity (issue 12) ----
lcm risk explain lms:116 >"$T/x" 2>&1
r1=$?
lcm risk explain "Camille Lefèvre" >"$T/y" 2>&1
r2=$?
if [ $r1 = 0 ] && grep -q 'Aurélien Brûlé' "$T/x" && [ $r2 = 2 ] &&
    [ "$(grep -c 'Camille Lefèvre' "$T/y")" -ge 2 ]; then
    [ "$LEARNER_NAMES_BUG" = 1 ] && fixed LEARNER_NAMES_BUG
elif [ "$LEARNER_NAMES_BUG" = 1 ]; then
    known LEARNER_NAMES_BUG "risk explain lms:116 exits $r1 ($(head -1 "$T/x"));" \
        "a homonym's name exits $r2 (expected 2)"
else
    fail "learner names: lms:116 exit $r1, homonym exit $r2"
fi

# =============================== a sync with no change ===============================
sync_to "$DB" || fail "second sync failed: $(cat "$T/err")"
for k in learners enrolments 'activity days' milestones; do
    grep -q "^sync: $k  *0 new,  *0 updated, " "$T/out" || fail "second sync: $(grep "^sync: $k" "$T/out")"
done
! grep -q -e withdrawn -e 'matched no learner' "$T/out" || fail "second sync: $(cat "$T/out")"
grep -q '^sync: 0 newly at risk' "$T/out" || fail "second sync: $(cat "$T/out")"
grep -q '^lrs (xapi): ok, 0 records' "$T/out" || fail "second sync read statements again"
state "$DB" >"$T/state2"
cmp -s "$T/state1" "$T/state2" || {
    diff "$T/state1" "$T/state2" | head >&2
    fail "a sync with no change changed the database"
}
say "a second sync: 0 new, 0 updated, the database as it was"

# =============================== faults, then one clean sync ===============================
converge() { # label fault-spec expected-error bug-variable
    db=$(db_target "$T/f-$1.db")
    ctl clear
    ctl "fault?$2"
    if sync_to "$db"; then fail "$1: the sync succeeded through the fault"; fi
    grep -q -- "$3" "$T/err" || fail "$1: unexpected error: $(cat "$T/err")"
    ctl clear
    sync_to "$db" || fail "$1: the clean sync failed: $(cat "$T/err")"
    state "$db" >"$T/state_f"
    if ! cmp -s "$T/state1" "$T/state_f"; then
        if [ "$4" != - ] && eval "[ \"\$$4\" = 1 ]"; then
            known "$4" "$1: after one clean sync, not the state of a sync without the fault:" \
                "$(diff "$T/state1" "$T/state_f" | grep -c '^[<>]') lines differ," \
                "$(db_query "$db" 'select count(*) from learner') learners (123 without the fault)"
            return
        fi
        diff "$T/state1" "$T/state_f" | head -20 >&2
        fail "$1: one clean sync does not end where a sync without the fault ends"
    fi
    [ "$4" != - ] && eval "[ \"\$$4\" = 1 ]" && fixed "$4"
    state_split "$db" >"$T/split_f"
    if cmp -s "$T/split1" "$T/split_f"; then
        say "$1: converged"
    elif [ "$XAPI_DAY_SPLIT_BUG" = 1 ]; then
        say "$1: converged but for $(diff "$T/split1" "$T/split_f" | grep -c '^<') days'" \
            "sessions/minutes (XAPI_DAY_SPLIT_BUG)"
    else
        diff "$T/split1" "$T/split_f" | head >&2
        fail "$1: sessions/minutes differ"
    fi
}
converge "xapi 500 on page 3" "kind=500&on=xapi&after=2" "lrs: xapi: HTTP 500" -
converge "xapi cut on page 2" "kind=cut&on=xapi&after=1" "lrs: xapi: transfer closed" -
# Moodle: site info, courses, 2 contents, then course 2's 3 pages (61 members listed) and 2
# calls for each of its 59 students: 125 requests; the 141st is in course 3's first page.
converge "moodle 500 in course 3" "kind=500&on=moodle&after=140" "lms: moodle: HTTP 500" \
    MOODLE_FAULT_GUESTS_BUG

# =============================== suspended, then reactivated ===============================
ctl clear
ctl "suspend?user=131"
ctl "suspend?user=171"
sync_to "$DB" || fail "sync after suspending: $(cat "$T/err")"
grep -q '^sync: 2 enrolments withdrawn' "$T/out" || fail "suspended: $(cat "$T/out")"
for u in 131 171; do
    [ "$(q "select status from enrollment where source = 'lms' and ext_id like '$u@%'")" = withdrawn ] ||
        fail "suspended $u not withdrawn"
done
# withdrawn: these two, and 121 and 196, suspended before the first sync (known, withdrawn)
[ "$(q "select count(*) from enrollment where status = 'withdrawn'")" = 4 ] || fail "others withdrawn"
[ "$(q "select count(*) from enrollment where status = 'withdrawn' and source = 'lms'
        and (ext_id like '121@%' or ext_id like '196@%')")" = 2 ] ||
    fail "121 and 196 (suspended from the start) not withdrawn"
lcm risk list --level all --limit 500 >"$T/triage2" || fail "risk list"
ranks "$T/triage2" | grep -qE ' (131|171)$' && fail "a suspended enrolment is in the triage"
ctl "reactivate?user=131"
ctl "reactivate?user=171"
sync_to "$DB" || fail "sync after reactivating: $(cat "$T/err")"
for u in 131 171; do
    [ "$(q "select status from enrollment where source = 'lms' and ext_id like '$u@%'")" = active ] ||
        fail "reactivated $u not active"
done
lcm risk list --level all --limit 500 >"$T/triage3" || fail "risk list"
[ "$(ranks "$T/triage3" | grep -cE ' (131|171)$')" = 2 ] ||
    fail "reactivated enrolments not back in the triage"
say "suspended enrolments withdrawn and out of the triage; reactivated, back"
# a student suspended before the first sync, reactivated: one learner
ctl "reactivate?user=121"
sync_to "$DB" || fail "sync after reactivating 121: $(cat "$T/err")"
n=$(q "select count(*) from learner where first_name = 'Joël' and last_name = 'Rivière'")
if [ "$n" = 1 ]; then
    [ "$SUSPENDED_UNSEEN_BUG" = 1 ] && fixed SUSPENDED_UNSEEN_BUG
    [ "$(q "select status from enrollment where source = 'lms' and ext_id like '121@%'")" = active ] ||
        fail "121 reactivated: not active"
    say "121, suspended before the first sync and reactivated: one learner, active"
elif [ "$SUSPENDED_UNSEEN_BUG" = 1 ]; then
    known SUSPENDED_UNSEEN_BUG "121, suspended before the first sync and reactivated: $n learners"
else
    fail "121 reactivated: $n learners"
fi
exit 0
