#!/bin/sh
# e2e_tui.sh — the real binary in a real terminal (tmux, 120x40) on a fresh demo database with
# a pinned today: the triage list shows Marty, Bobby, Sophie and Djilali at risk with their
# reason; open Marty; log a call; schedule a call next Tuesday 14:30; the agenda shows it;
# compose a nudge and queue it; resize to 80x24 and below; quit; the database holds the
# check-in, the follow-up and the queued message. Also: an escape sequence in a learner's
# name is shown made visible, never interpreted; Ctrl-C and SIGSEGV restore the terminal.
# Screens are polled with a bounded loop (no fixed sleeps).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_tui: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-tui-XXXXXX")
sock="lcmtui-test-$$"
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null
    # the server leaves its socket file behind: remove ours
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
    echo "e2e_tui: FAIL: $*" >&2
    echo "---- screen ----" >&2
    tmux -L "$sock" capture-pane -p -t "$session" >&2 2>/dev/null
    exit 1
}

db=$(db_target "$tmp/lcmtui.db")
cfg="$tmp/config"
printf 'general: { lcm_name = "Camille Martin"; lang = "fr"; };\n' >"$cfg"
# $EDITOR for the composer: rewrites the greeting, so the test sees the text came back.
printf '#!/bin/sh\nsed -i "s/^Bonjour Marty/Hello Marty/" "$1"\n' >"$tmp/editor.sh"
chmod +x "$tmp/editor.sh"
run() { "$LCMTUI" --config "$cfg" --db "$db" --today 2026-11-28 "$@"; }
run demo >/dev/null 2>&1 || fail "lcmtui demo failed"
run risk update >/dev/null 2>&1 || fail "lcmtui risk update failed"
# A hostile name: ESC [2J (clear screen) and BEL inside a learner's last name.
db_query "$db" "UPDATE learner SET last_name = 'Faure' || $(db_pick char chr)(27) || '[2J' || $(db_pick char chr)(7) WHERE first_name = 'Zoé' AND last_name = 'Faure'" ||
    fail "the hostile name was not set"

session=main
tsock=$sock
. "$(dirname "$0")/tmux.sh"
# wait_for TEXT: polls the screen (up to ~10 s) until it contains TEXT (fixed string).

start() {
    tmux -L "$sock" -u -f /dev/null new-session -d -s "$session" -x 120 -y 40 \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color EDITOR='$tmp/editor.sh' '$LCMTUI' --config '$cfg' --db '$db' --today 2026-11-28; echo EXIT=\$?; sleep 60" ||
        fail "tmux new-session"
}

start
wait_for "données de démo"
wait_for "à risque"
screen | grep -q "^   Apprenant" || fail "no column header"

# The four learners inactive for 21 days are at risk, with the inactivity reason.
for name in Marty Bobby Sophie Djilali; do
    keys /
    text "$name"
    keys Enter
    wait_for "/$name"
    line=$(screen | grep -F "$name" | grep -v "^/" | head -1)
    case "$line" in
    '!! '*) ;;
    *) fail "$name is not at risk: $line" ;;
    esac
    echo "$line" | grep -q "21 j" || fail "$name: no 21 j inactivity: $line"
    echo "$line" | grep -Eq "21 jours|21 days|manqué|missed" || fail "$name: no reason: $line"
    keys q # clears the search
    wait_gone "/$name"
done

# The escape sequence in a name is shown made visible.
keys /
text "Zoé"
keys Enter
wait_for "Faure^[[2J^G"
wait_for "données de démo" # the screen was not cleared by the name
keys q
wait_gone "/Zoé"

# Open Marty.
keys /
text Marty
keys Enter Enter
wait_for "Pourquoi l’alerte"
wait_for "Marty"
wait_for "Historique"

# Log a call: channel call, outgoing, outcome reached, a note.
keys c
wait_for "Suivi avec Marty"
keys Tab Tab Tab
text "Appel e2e : reprend lundi"
keys Enter
wait_for "suivi enregistré"
wait_for "Appel e2e : reprend lundi"

# Schedule a call next Tuesday 14:30 (today is Saturday 2026-11-28).
keys s
wait_for "Planifier un appel avec Marty"
text "mardi 14h30"
wait_for "mardi 1 décembre, 14 h 30, libre"
keys Enter
wait_for "appel prévu le mardi 1 décembre, 14 h 30"

# The agenda shows it.
keys a
wait_for "Cette semaine"
screen | grep -F "mar 01/12 14:30" | grep -q "Marty" || fail "agenda misses Marty's call"

# Compose a nudge and queue it.
keys q
wait_for "Pourquoi l’alerte"
keys m
wait_for "modèle nudge_21"
wait_for "Bonjour Marty"
keys E # $EDITOR, then back in the composer with its text
wait_for "Hello Marty"
keys y
wait_for "1 message mis en file d’envoi"

# Resize to 80x24: the panes reflow; below it, a clear message; back again.
tmux -L "$sock" resize-window -t "$session" -x 80 -y 24
wait_for "Progrès"
# (characters, not bytes: every character on these screens is one column wide)
screen | /usr/bin/python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in sys.stdin))' ||
    fail "a line wider than 80 columns"
[ "$(screen | wc -l)" -le 24 ] || fail "more than 24 lines"
tmux -L "$sock" resize-window -t "$session" -x 60 -y 20
wait_for "terminal trop petit"
tmux -L "$sock" resize-window -t "$session" -x 80 -y 24
wait_gone "terminal trop petit"
wait_for "28/11 démo" # at 80 columns: the date and the short freshness

# Quit: q goes back from the detail to the overview, q clears the search, q quits; the shell
# then prints the exit status on a restored terminal.
keys q
wait_for "/Marty"
keys q
wait_gone "/Marty"
keys q
wait_for "EXIT=0"
screen | grep -q "Pourquoi l’alerte" && fail "the TUI screen was not cleared on exit"

# The database holds the check-in, the follow-up and the queued message.
marty="(SELECT id FROM learner WHERE first_name = 'Marty')"
[ "$(db_query "$db" "SELECT count(*) FROM checkin WHERE learner_id = $marty AND channel = 'call' AND note = 'Appel e2e : reprend lundi'")" = 1 ] ||
    fail "no check-in in the database"
[ "$(db_query "$db" "SELECT count(*) FROM followup WHERE learner_id = $marty AND kind = 'call' AND status = 'planned' AND due_at = $(date -u -d '2026-12-01 14:30' +%s)")" = 1 ] ||
    fail "no follow-up on 2026-12-01 14:30 in the database"
[ "$(db_query "$db" "SELECT count(*) FROM message WHERE learner_id = $marty AND status = 'queued' AND template = 'nudge_21' AND body LIKE 'Hello Marty%Camille Martin%'")" = 1 ] ||
    fail "no queued message in the database"

# Ctrl-C restores the terminal too (exit 130). (A second session, so the server stays up.)
session=ctrlc
start
wait_for "données de démo"
keys C-c
wait_for "EXIT=130"

# A fatal signal (SIGSEGV) restores the terminal before the process dies with it (139).
session=segv
start
wait_for "données de démo"
shell=$(tmux -L "$sock" list-panes -t "$session" -F '#{pane_pid}')
pid=$(pgrep -P "$shell" -x lcmtui) || fail "no lcmtui process under the pane's shell"
kill -SEGV "$pid"
wait_for "EXIT=139"
screen | grep -q "Apprenant" && fail "the TUI screen was left after SIGSEGV"
exit 0
