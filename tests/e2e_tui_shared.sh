#!/bin/sh
# e2e_tui_shared.sh — issue 18, "live": two LCMs' TUIs on one base (one PostgreSQL server, or
# one SQLite file on one host), each in its own tmux session (120x40, French). Both show
# Marty's detail; A logs a call through the keys; B's screen shows A's note within two
# seconds of A's "suivi enregistré" (PostgreSQL: the commit's NOTIFY wakes B's loop through
# its listening socket; SQLite: B's connection reads data_version every 500 ms), with
# « données mises à jour » on its status line, while A's own status line does not say so (its
# own write is not news to it). Then B, on the overview with its cursor moved down, sees A's
# second check-in without the cursor moving. Screens are polled with a bounded loop: the
# two-second bound is measured, never slept.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_tui_shared: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-shared-XXXXXX")
sock="lcmtui-shared-$$"
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
tsock=$sock
session=a
. "$(dirname "$0")/tmux.sh"
fail() {
    echo "e2e_tui_shared: FAIL: $*" >&2
    for s in a b; do
        echo "---- screen $s ----" >&2
        tmux -L "$sock" capture-pane -p -t "$s" >&2 2>/dev/null
    done
    exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# within_2s SESSION TEXT T0: SESSION's screen shows TEXT no later than 2 s after T0 (ms).
within_2s() {
    while :; do
        tmux -L "$sock" capture-pane -p -t "$1" | grep -qF -- "$2" && break
        [ $(($(now_ms) - $3)) -le 2000 ] || fail "session $1 does not show \"$2\" 2 s after the save"
        sleep 0.02
    done
    echo "e2e_tui_shared: $DB_ENGINE: session $1 showed it after $(($(now_ms) - $3)) ms"
}

db=$(db_target "$tmp/lcmtui.db")
mkdir "$tmp/a" "$tmp/b"
printf 'general: { lcm_name = "Camille Martin"; lang = "fr"; };\n' >"$tmp/a/config"
printf 'general: { lcm_name = "Julien Roux"; lang = "fr"; };\n' >"$tmp/b/config"
"$LCMTUI" --config "$tmp/a/config" --db "$db" --today 2026-11-28 demo >/dev/null 2>&1 ||
    fail "lcmtui demo failed"
"$LCMTUI" --config "$tmp/a/config" --db "$db" --today 2026-11-28 risk update >/dev/null 2>&1 ||
    fail "lcmtui risk update failed"

for s in a b; do
    tmux -L "$sock" -u -f /dev/null new-session -d -s "$s" -x 120 -y 40 \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $(db_env) '$LCMTUI' --config '$tmp/$s/config' --db '$db' --today 2026-11-28; echo EXIT=\$?; sleep 60" ||
        fail "tmux new-session $s"
done
# Both on Marty's detail.
for s in a b; do
    session=$s
    wait_for "à risque"
    keys /
    text Marty
    keys Enter Enter
    wait_for "Historique"
done
session=b
screen | grep -qF "Appel partagé : rappel jeudi" && fail "B shows the note before A saved it"

# A logs a call with a note.
session=a
keys c
wait_for "Suivi avec Marty"
keys Tab Tab Tab
text "Appel partagé : rappel jeudi"
keys Enter
wait_for "suivi enregistré"
t0=$(now_ms)
within_2s b "Appel partagé : rappel jeudi" "$t0"
session=b
wait_for "données mises à jour"
session=a
screen | grep -qF "Appel partagé : rappel jeudi" || fail "A does not show its own check-in"
screen | grep -qF "données mises à jour" && fail "A's own write was reported to it as another's"

# B on the overview, its cursor on the third learner, a check-in form half typed over it; A
# logs a second call: B's form and its text are still there after the reload, and after
# cancelling it the cursor is still on the same learner.
session=b
keys q
wait_for "à risque"
keys j j c
wait_for "Suivi avec"
who=$(screen | sed -n 's/.*Suivi avec \(.*[^ ]\) *│.*/\1/p' | head -1)
[ -n "$who" ] || fail "B's form does not name the learner"
keys Tab Tab Tab
text "en cours de saisie"
wait_for "en cours de saisie"
screen | grep -qF "données mises à jour" && fail "B's status line still shows the first reload"
session=a
keys c
wait_for "Suivi avec Marty"
keys Tab Tab Tab
text "Deuxième appel partagé"
keys Enter
wait_for "suivi enregistré"
within_2s b "données mises à jour" "$(now_ms)"
session=b
screen | grep -qF "en cours de saisie" || fail "B's typed text was lost by the reload"
keys Escape
wait_for "Échap encore une fois"
keys Escape
wait_gone "en cours de saisie"
keys c
wait_for "Suivi avec $who"
keys Escape
wait_gone "Suivi avec"

# The base holds both check-ins, authored by A.
n=$(db_query "$db" "SELECT count(*) FROM checkin WHERE author = 'Camille Martin' AND note LIKE '%partagé%'")
[ "$n" = 2 ] || fail "the base holds $n of A's check-ins, not 2"
for s in a b; do
    tmux -L "$sock" send-keys -t "$s" Q
done
session=a
wait_for "EXIT=0"
session=b
wait_for "EXIT=0"
echo "e2e_tui_shared: ok ($DB_ENGINE)"
