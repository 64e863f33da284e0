#!/bin/sh
# e2e_tui_live.sh — issue 16, "live data": the real binary in tmux (120x40, French) sees the
# writes of another process without a restart. While the TUI shows the overview with its
# cursor on a learner and a check-in form half typed, `lcmtui sequences` (as a cron would)
# writes drafts: within about a second the title counts them, the status line says « données
# mises à jour », the form and its typed text are still there, and after the form is
# cancelled the cursor is still on the same learner; the outbox then lists the new drafts.
# Screens are polled with a bounded loop (no fixed sleeps).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_tui_live: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-live-XXXXXX")
sock="lcmtui-live-$$"
session=live
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
    echo "e2e_tui_live: FAIL: $*" >&2
    echo "---- screen ----" >&2
    screen >&2 2>/dev/null
    exit 1
}

db=$(db_target "$tmp/lcmtui.db")
cfg="$tmp/config"
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "fr"; };\n' >"$cfg"
run() { "$LCMTUI" --config "$cfg" --db "$db" --today "2026-12-01 09:00" "$@"; }
run demo >/dev/null 2>&1 || fail "lcmtui demo failed"
[ "$(db_query "$db" "SELECT count(*) FROM message WHERE status = 'draft'")" = 0 ] ||
    fail "the demo already has drafts"

tmux -L "$sock" -u -f /dev/null new-session -d -s "$session" -x 120 -y 40 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color '$LCMTUI' --config '$cfg' --db '$db' --today '2026-12-01 09:00'; echo EXIT=\$?; sleep 60" ||
    fail "tmux new-session"
wait_for "à risque"
screen | grep -q "à valider" && fail "drafts in the title before the sequences ran"
# The cursor on the third learner of the list; a check-in form half typed over it (its
# title names the learner the cursor is on).
keys j j c Tab Tab Tab
text "appel en cours"
wait_for "appel en cours"
who=$(screen | sed -n 's/.*Suivi avec \(.*[^ ]\) *│.*/\1/p' | head -1)
[ -n "$who" ] || fail "the form does not name the learner"

run sequences >"$tmp/seq.out" 2>&1 || fail "lcmtui sequences: $(cat "$tmp/seq.out")"
n=$(db_query "$db" "SELECT count(*) FROM message WHERE status = 'draft'")
[ "$n" -gt 0 ] || fail "the sequences made no draft"
wait_for "données mises à jour"
wait_for " · $n à valider"
screen | grep -qF "appel en cours" || fail "the form in progress was lost by the reload"

# Esc twice (typed text: the first asks); the cursor is still on the same learner: c opens
# the form for them again.
keys Escape
wait_for "Échap encore une fois"
keys Escape
wait_gone "appel en cours"
keys c
wait_for "Suivi avec $who"
keys Escape
# ESC then O sent at once would read as one SS3 sequence: the form closes first.
wait_gone "Suivi avec"

# The outbox, opened now, lists them.
keys O
wait_for "$n brouillons à valider"
keys Q
wait_for "EXIT=0"
