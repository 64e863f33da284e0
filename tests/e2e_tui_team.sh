#!/bin/sh
# e2e_tui_team.sh — issue 18 in the real TUI: tmux at 80x24, in French, on SQLite or
# PostgreSQL (tests/db.sh). Camille follows cohort 1, Bob cohort 2; Bob e-mailed one of
# Camille's learners at 08:00 (lcmtui checkin):
# - the overview opens on my learners (« moi » in the title at 80 columns), counts those « sans
#   LCM », and lists none of Bob's; e shows everyone's (« tous »), Bob's learners included;
# - c on the learner Bob e-mailed: the form says « déjà contacté : e-mail à 08:00 UTC par Bob
#   Durand » and keeps the check-in back; Enter again logs it, and the override is recorded;
# - no line of any screen is wider than 80 columns.
# Screens are polled with a bounded loop (no fixed sleeps).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_tui_team: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-tuiteam-XXXXXX")
sock="lcmtui-team-$$"
session=team
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
tsock=$sock
. "$(dirname "$0")/tmux.sh"
fail() {
    echo "e2e_tui_team: FAIL: $*" >&2
    echo "---- screen ----" >&2
    screen >&2 2>/dev/null
    exit 1
}
narrow() { # every line of the screen fits 80 columns
    screen >"$tmp/screen"
    /usr/bin/python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$tmp/screen" ||
        fail "a line wider than 80 columns ($1)"
}

db=$(db_target "$tmp/lcmtui.db")
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "fr"; };\n' >"$tmp/camille"
printf 'general: { lcm_name = "Bob Durand"; lcm_email = "bob@example.fr"; lang = "fr"; };\n' >"$tmp/bob"
as() { who=$1; shift; "$LCMTUI" --config "$tmp/$who" --db "$db" "$@"; }
q() { db_query "$db" "$1"; }
as camille --today "2026-12-01 07:00" demo >/dev/null 2>&1 || fail "lcmtui demo failed"
c1=$(q "SELECT id FROM cohort ORDER BY id LIMIT 1")
c2=$(q "SELECT id FROM cohort ORDER BY id LIMIT 1 OFFSET 1")
as camille --today "2026-12-01 07:00" team assign --cohort "#$c1" --to camille@example.fr >/dev/null 2>&1 ||
    fail "assign cohort 1"
as bob --today "2026-12-01 07:00" team assign --cohort "#$c2" --to bob@example.fr >/dev/null 2>&1 ||
    fail "assign cohort 2"
lid=$(q "SELECT learner_id FROM enrollment WHERE cohort_id = $c1 AND status = 'active' ORDER BY id LIMIT 1")
name=$(q "SELECT first_name || ' ' || last_name FROM learner WHERE id = $lid")
bobs=$(q "SELECT l.first_name || ' ' || l.last_name FROM learner l JOIN enrollment e ON e.learner_id = l.id WHERE e.cohort_id = $c2 AND e.status = 'active' ORDER BY l.id LIMIT 1")
as bob --today "2026-12-01 08:00" checkin "#$lid" --channel email >/dev/null 2>&1 || fail "bob's e-mail"
none=$(q "SELECT count(*) FROM enrollment e WHERE e.status = 'active' AND e.cohort_id NOT IN ($c1, $c2)")

tmux -L "$sock" -u -f /dev/null new-session -d -s "$session" -x 80 -y 24 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color '$LCMTUI' --config '$tmp/camille' --db '$db' --today '2026-12-01 09:00'; echo EXIT=\$?; sleep 60" ||
    fail "tmux new-session"

# 1. My learners (at 80 columns, « moi »), the unassigned counted; e: everyone's (« tous »).
wait_for "Apprenant"
title() { screen | head -1; }
title | grep -qF " · moi " || fail "the title does not say « moi »: $(title)"
title | grep -qF "$none sans LCM" || fail "the title does not count $none sans LCM: $(title)"
narrow "overview"
keys /
text "$bobs"
keys Enter
wait_for "/$bobs"
screen | grep -v "^/" | grep -qF "$bobs" && fail "Bob's learner $bobs is in my list"
keys e
wait_for " · tous "
screen | grep -v "^/" | grep -qF "$bobs" || fail "e does not show Bob's learner $bobs"
narrow "everyone"
keys q # the search goes
keys e
wait_for " · moi "

# 2. The learner Bob e-mailed: refused, then on purpose.
keys /
text "$name"
keys Enter
wait_for "/$name"
keys c
wait_for "Suivi avec"
before=$(q "SELECT count(*) FROM checkin WHERE learner_id = $lid")
keys Enter
wait_for "déjà contacté : e-mail à 08:00 UTC par Bob Durand"
narrow "refused"
[ "$(q "SELECT count(*) FROM checkin WHERE learner_id = $lid")" = "$before" ] ||
    fail "the refused check-in was written"
keys Enter
wait_for "suivi enregistré"
[ "$(q "SELECT count(*) FROM checkin WHERE learner_id = $lid")" = $((before + 1)) ] ||
    fail "Enter again did not log the check-in"
[ "$(q "SELECT count(*) FROM contact_override o JOIN lcm_user u ON u.id = o.user_id
        WHERE o.learner_id = $lid AND u.email = 'camille@example.fr' AND o.checkin_id IS NOT NULL")" = 1 ] ||
    fail "the override was not recorded"

keys Q
wait_for "EXIT=0"
echo "e2e_tui_team: ok ($DB_ENGINE)"
exit 0
