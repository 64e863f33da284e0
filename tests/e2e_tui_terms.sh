#!/bin/sh
# e2e_tui_terms.sh — issue 16, "real terminals": under TERM=xterm-256color, tmux-256color and
# screen-256color in tmux, escape sequences the terminal's terminfo may not know (Home/End of
# the other terminals: ESC [ 1 ~, ESC [ 4 ~, ESC O H, ESC O F, ESC [ H, ESC [ F; modified
# keys: ESC [ 1 ; 5 H; the bracketed paste markers ESC [ 200 ~ / ESC [ 201 ~; Insert) arrive
# while a nudge is edited in the composer. Each is read whole: mapped (Home, End) or dropped,
# never an Esc that ends the edit followed by letters that run as commands (O the outbox, H,
# F, ~ ...). The text typed around them lands where Home puts it and the edit goes on; Esc
# then O with nothing after stay two keys.
# A terminal whose terminfo entry is missing is skipped; all missing: exit 77.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_tui_terms: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-terms-XXXXXX")
sock="lcmtui-terms-$$" # one server per terminal: $sock-1, -2, -3
session=terms
cleanup() {
    for k in 1 2 3; do
        tmux -L "$sock-$k" kill-server 2>/dev/null
        rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock-$k"
    done
    rm -rf "$tmp"
    db_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$(dirname "$0")/tmux.sh" # tsock: set per terminal below
fail() {
    echo "e2e_tui_terms: FAIL ($term): $*" >&2
    echo "---- screen ----" >&2
    screen >&2 2>/dev/null
    exit 1
}

db=$(db_target "$tmp/lcmtui.db")
cfg="$tmp/config"
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "fr"; };\n' >"$cfg"
"$LCMTUI" --config "$cfg" --db "$db" --today "2026-12-01 09:00" demo >/dev/null 2>&1 || {
    term=- k=0
    fail "lcmtui demo failed"
}
ran=0
k=0
for term in xterm-256color tmux-256color screen-256color; do
    if ! infocmp "$term" >/dev/null 2>&1; then
        echo "e2e_tui_terms: no terminfo entry for $term: skipped"
        continue
    fi
    k=$((k + 1))
    tsock="$sock-$k"
    tmux -L "$sock-$k" -u -f /dev/null new-session -d -s "$session" -x 120 -y 40 \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$term '$LCMTUI' --config '$cfg' --db '$db' --today '2026-12-01 09:00'; echo EXIT=\$?; sleep 60" ||
        fail "tmux new-session"
    wait_for "à risque"
    # A box's lines drawn as lines (the help), not the VT100 set's letters ("lqqk").
    keys '?'
    wait_for "Échap ferme l’aide"
    screen | grep -q "┌─" || fail "$term: the help's box is not drawn with lines: $(screen | grep -m1 "qqq")"
    screen | grep -q "lqqq\|mqqq" && fail "$term: the box drawn as letters"
    keys Escape
    wait_gone "Échap ferme l’aide"
    keys m
    wait_for "i édite"
    keys i
    wait_for "édition (Échap pour finir)"
    text "XYZ"
    wait_for "XYZ"
    hex 1b 5b 31 7e             # ESC [ 1 ~   Home (vt220: tmux, screen)
    hex 1b 5b 34 7e             # ESC [ 4 ~   End
    hex 1b 5b 31 3b 35 48       # ESC [ 1 ; 5 H   Ctrl-Home
    hex 1b 5b 32 30 30 7e       # ESC [ 200 ~ paste start
    hex 1b 5b 32 30 31 7e       # ESC [ 201 ~ paste end
    hex 1b 5b 32 7e             # ESC [ 2 ~   Insert
    hex 1b 5b 46                # ESC [ F     End (xterm, normal mode)
    hex 1b 4f 46                # ESC O F     End (xterm, application mode)
    hex 1b 5b 48                # ESC [ H     Home
    hex 1b 4f 48                # ESC O H     Home, last: the cursor at the line's start
    text "Q"
    wait_for "QXYZ"
    s=$(screen)
    printf '%s\n' "$s" | grep -qF "édition (Échap pour finir)" || fail "the edit ended"
    printf '%s\n' "$s" | grep -q "Envois ·" && fail "a sequence's letters opened the outbox"
    printf '%s\n' "$s" | grep -qF "aucune action" && fail "a sequence's bytes ran as keys"
    printf '%s\n' "$s" | grep -qE '\[1~|\[4~|200~|~Q|HQ|FQ' && fail "a sequence's bytes were typed"
    # A lone Esc still ends the edit (and Q then quits, asking first: the text was edited).
    keys Escape
    wait_gone "édition (Échap pour finir)" # a lone Esc ends the edit
    # Esc and O in one write, nothing after: the two keys (Esc, then O opens the outbox).
    hex 1b 4f
    wait_for "Envois ·"
    keys Q
    wait_for "pas enregistré"
    keys Q
    wait_for "EXIT=0"
    ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "e2e_tui_terms: no terminfo entry for any of the three terminals"; exit 77; }
exit 0
