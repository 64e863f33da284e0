#!/bin/sh
# e2e_tui_reply.sh — issue 19, the learners' questions answered from the TUI: the real binary in
# tmux at 80x24, in French, on SQLite or PostgreSQL (tests/db.sh). Three questions of a demo
# learner are in the inbox (as `inbox fetch` records them):
# - the oldest is shown above the triage with its key (R répondre; all three on a wider screen);
# - R opens the composer in reply mode: « Réponse à » the learner, « Re: Unité 3 » (never
#   « Re: Re: »), the question quoted under « Le 27 nov. 2026, <name> a écrit : »; Esc
#   cancels and nothing is written;
# - R again, a line typed above the quotation, y: the reply is queued (subject, quoted body,
#   In-Reply-To, References) and the question answered; the next one takes its place;
# - W asks, W again closes the second question without any message;
# - F on the third, with no trainer configured for the learner: one clear line, nothing changes;
# - no line of any screen is wider than 80 columns.
# Screens are polled with a bounded loop (no fixed sleeps).
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_tui_reply: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-reply-XXXXXX")
sock="lcmtui-reply-$$"
session=reply
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
    echo "e2e_tui_reply: FAIL: $*" >&2
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
cfg="$tmp/config"
# a trainer only for a cohort nobody is in: F has nobody to forward to
printf 'general: { lcm_name = "Camille Martin"; lcm_email = "camille@example.fr"; lang = "fr"; };\ninbox: { trainers = ( { cohort = "Nulle part"; email = "prof@example.fr"; } ); };\n' >"$cfg"
run() { "$LCMTUI" --config "$cfg" --db "$db" --today "2026-12-01 09:00" "$@"; }
q() { db_query "$db" "$1"; }
run demo >/dev/null 2>&1 || fail "lcmtui demo failed"

lid=$(q "SELECT l.id FROM learner l WHERE l.email <> '' AND EXISTS (SELECT 1 FROM enrollment e WHERE e.learner_id = l.id AND e.status = 'active') ORDER BY l.id LIMIT 1")
[ -n "$lid" ] || fail "no learner in the demo"
eid=$(q "SELECT id FROM enrollment WHERE learner_id = $lid ORDER BY id LIMIT 1")
email=$(q "SELECT email FROM learner WHERE id = $lid")
name=$(q "SELECT first_name || ' ' || last_name FROM learner WHERE id = $lid")
sqlname=$(printf '%s' "$name" | sed "s/'/''/g")
at=$(date -u -d "2026-11-27 08:15" +%s)
ask() { # N SUBJECT: question N, an hour after the one before
    q "INSERT INTO inbox_msg (dedup, folder, uidvalidity, uid, msgid, kind, status, learner_id, enrollment_id, from_addr, from_name, subject, sent_date, received_at, updated_at, body) VALUES ('q$1@example.fr', 'INBOX', 7, $1, 'q$1@example.fr', 'learner', 'open', $lid, $eid, '$email', '$sqlname', '$2', $((at + $1 * 3600)), $((at + $1 * 3600)), $((at + $1 * 3600)), 'Bonjour,
je ne trouve pas le test de l''unité $1.
Merci')" >/dev/null || fail "insert question $1"
}
ask 1 "Re: Re: Unité 3"
ask 2 "Attestation"
ask 3 "Grammaire"
status() { q "SELECT status FROM inbox_msg WHERE msgid = 'q$1@example.fr'"; }
messages() { q "SELECT count(*) FROM message"; }
before=$(messages)

tmux -L "$sock" -u -f /dev/null new-session -d -s "$session" -x 80 -y 24 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color '$LCMTUI' --config '$cfg' --db '$db' --today '2026-12-01 09:00'; echo EXIT=\$?; sleep 60" ||
    fail "tmux new-session"

# 1. The oldest question above the triage, with its keys.
wait_for "Question en attente depuis 3 jours"
wait_for "  R répondre"
screen | grep -F "Question en attente" | grep -qF "Re: Re: Uni" || fail "the oldest question is not the one shown"
narrow "overview"

# 2. R: the composer in reply mode; Esc cancels without change.
keys R
wait_for "Réponse à"
wait_for "Subject: Re: Unité 3"
screen | grep -q "Re: Re:" && fail "the reply's subject has Re: twice"
nb=$(printf '\302\240') # the non-breaking space of French typography, before ":"
wait_for "Le 27 nov. 2026, $name a écrit$nb:"
wait_for "> je ne trouve pas le test de l'unité 1."
narrow "composer"
keys Escape
wait_for "réponse annulée"
wait_gone "Réponse à"
[ "$(messages)" = "$before" ] || fail "Esc wrote a message"
[ "$(status 1)" = open ] || fail "Esc changed the question: $(status 1)"

# 3. R, a line above the quotation, y: queued, threaded, the question answered.
keys R
wait_for "Réponse à"
keys i
wait_for "édition (Échap"
text "Le test est dans l'onglet Évaluations."
wait_for "Le test est dans l'onglet Évaluations."
keys Escape
wait_gone "édition (Échap"
keys y
wait_for "réponse en file d’attente"
[ "$(status 1)" = answered ] || fail "the replied question is $(status 1)"
n=$(q "SELECT count(*) FROM message WHERE status = 'queued' AND learner_id = $lid AND to_addr = '$email' AND subject = 'Re: Unité 3' AND in_reply_to = '<q1@example.fr>' AND refs = '<q1@example.fr>' AND body LIKE 'Le test est dans l''onglet Évaluations.%' AND body LIKE '%Le 27 nov. 2026, $sqlname a écrit$nb:%' AND body LIKE '%> je ne trouve pas le test de l''unité 1.%'")
[ "$n" = 1 ] || fail "the queued reply: $(q "SELECT subject, in_reply_to, refs, body FROM message ORDER BY id DESC LIMIT 1")"
wait_for "Attestation" # the next question takes its place above the triage
narrow "after the reply"

# 4. W asks, W again closes; no message.
before=$(messages)
keys W
wait_for "W encore pour la clore"
[ "$(status 2)" = open ] || fail "a single W closed the question"
keys W
wait_for "question close"
[ "$(status 2)" = closed ] || fail "W W did not close the question: $(status 2)"
[ "$(messages)" = "$before" ] || fail "closing wrote a message"

# 5. F with no trainer for the learner: one clear line, nothing changes.
wait_for "Grammaire"
keys F
wait_for "aucun formateur configuré"
[ "$(status 3)" = open ] || fail "F without a trainer changed the question: $(status 3)"
[ "$(messages)" = "$before" ] || fail "F without a trainer wrote a message"
narrow "forward refused"

keys Q
wait_for "EXIT=0"
exit 0
