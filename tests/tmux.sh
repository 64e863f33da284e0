# tmux.sh — sourced by the end-to-end scripts that drive the real binary in tmux (not run on
# its own). The caller sets `tsock` (its tmux server's socket name, tmux -L) and `session`,
# and defines `fail MESSAGE` first; `screen` is what the pane shows now. No sleep times a
# result: the waits poll the screen until the text is there (or gone), 10 s at most.
screen() { tmux -L "$tsock" capture-pane -p -t "$session"; }
keys() { tmux -L "$tsock" send-keys -t "$session" "$@"; }
text() { tmux -L "$tsock" send-keys -t "$session" -l "$1"; }
hex() { tmux -L "$tsock" send-keys -t "$session" -H "$@"; }
wait_for() {
    i=0
    while [ $i -lt 200 ]; do
        screen | grep -qF -- "$1" && return 0
        i=$((i + 1))
        sleep 0.05
    done
    fail "timed out waiting for: $1"
}
wait_gone() {
    i=0
    while [ $i -lt 200 ]; do
        screen | grep -qF -- "$1" || return 0
        i=$((i + 1))
        sleep 0.05
    done
    fail "still on screen: $1"
}
