#!/bin/sh
# e2e_db_readonly.sh — issue 18, the manager's view: a read-only access to the base that the
# server itself enforces.
#   PostgreSQL: `lcmtui db grant-readonly ROLE` creates the role and says what it granted
#   (again: "updated"; refused for oneself); connected as ROLE, psql's own INSERT and
#   lcmtui's check-in are refused by the server (SQLSTATE 42501) in one line, not retried,
#   the base unchanged, while reading works, on a table created later too (default
#   privileges); the manager's TUI (tmux, 120x40; the config asks for French) says « lecture seule » in its title
#   and shows the refusal of a check-in in one line, the form kept, then quits cleanly.
#   `--read-only` with the owner's role: the session is read-only (SQLSTATE 25006).
#   SQLite: `db grant-readonly` is refused in one line; `--read-only` opens the file
#   read-only: a check-in refused in one line, the file unchanged, a missing file not
#   created; the TUI as above.
set -u
. "$(dirname "$0")/db.sh"
LCMTUI=${LCMTUI:-$(pwd)/build/lcmtui}
command -v tmux >/dev/null || { echo "e2e_db_readonly: tmux is missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-e2e-ro-XXXXXX")
sock="lcmtui-ro-$$"
session=ro
role="lcm_manager_$$"
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    rm -rf "$tmp"
    db_cleanup
    if db_is_pg; then db_admin "DROP ROLE IF EXISTS $role" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
tsock=$sock
. "$(dirname "$0")/tmux.sh"
fail() {
    echo "e2e_db_readonly: FAIL: $*" >&2
    echo "---- screen ----" >&2
    screen >&2 2>/dev/null
    exit 1
}

db=$(db_target "$tmp/lcmtui.db")
cfg="$tmp/config"
printf 'general: { lcm_name = "Claire Dubois"; lang = "fr"; };\n' >"$cfg"
run() { "$LCMTUI" --config "$cfg" --today 2026-11-28 "$@"; }
run --db "$db" demo >/dev/null 2>&1 || fail "lcmtui demo failed"
checkins=$(db_query "$db" "SELECT count(*) FROM checkin")

# one_line FILE WORDS: FILE holds exactly one line, containing WORDS.
one_line() {
    [ "$(wc -l <"$1")" = 1 ] || fail "expected one line, got: $(cat "$1")"
    grep -qF -- "$2" "$1" || fail "expected \"$2\" in: $(cat "$1")"
}

if db_is_pg; then
    run --db "$db" db grant-readonly "$role" >"$tmp/grant.out" 2>&1 ||
        fail "grant-readonly: $(cat "$tmp/grant.out")"
    grep -q "^rôle $role créé" "$tmp/grant.out" || fail "not created: $(cat "$tmp/grant.out")"
    grep -q "USAGE sur le schéma public, SELECT sur ses [0-9]* tables" "$tmp/grant.out" ||
        fail "what was granted is not said: $(cat "$tmp/grant.out")"
    run --db "$db" db grant-readonly "$role" >"$tmp/grant2.out" 2>&1 ||
        fail "grant-readonly again: $(cat "$tmp/grant2.out")"
    grep -q "^rôle $role mis à jour" "$tmp/grant2.out" || fail "second run: $(cat "$tmp/grant2.out")"
    run --db "$db" db grant-readonly lcmtui >"$tmp/self.out" 2>&1 && fail "granted to oneself"
    one_line "$tmp/self.out" "est celui qui lance cette commande"
    # The manager connects through the server's Unix socket (trust there, as peer would be).
    dbname=${db##*/}
    ro="postgresql://$role@/$dbname?host=$PGHOST&port=$PGPORT"
    [ "$(db_query "$ro" "SELECT count(*) FROM checkin")" = "$checkins" ] ||
        fail "the manager cannot read the check-ins"
    # The server refuses the role's writes, whoever sends them.
    db_query "$ro" "INSERT INTO kv(key, value) VALUES ('x', 'y')" >"$tmp/psql.out" 2>&1 &&
        fail "the server let the read-only role write"
    grep -q "permission denied for table kv" "$tmp/psql.out" || fail "psql: $(cat "$tmp/psql.out")"
    run --db "$ro" checkin Marty --note "par le manager" >"$tmp/ci.out" 2>&1 &&
        fail "the read-only role logged a check-in"
    one_line "$tmp/ci.out" "SQLSTATE 42501"
    grep -qF "lecture seule" "$tmp/ci.out" || fail "the refusal does not say read-only: $(cat "$tmp/ci.out")"
    # A table created later by the owner is readable by default.
    db_query "$db" "CREATE TABLE later_t (x int); INSERT INTO later_t VALUES (7)"
    [ "$(db_query "$ro" "SELECT x FROM later_t")" = 7 ] || fail "no SELECT on a later table"
    # --read-only for the owner: a read-only session.
    run --read-only --db "$db" checkin Marty --note "lecture" >"$tmp/ro.out" 2>&1 &&
        fail "--read-only logged a check-in"
    one_line "$tmp/ro.out" "SQLSTATE 25006"
    tui_db=$ro
    tui_opts=""
else
    run --db "$db" db grant-readonly manager >"$tmp/grant.out" 2>&1 && fail "a role on SQLite"
    one_line "$tmp/grant.out" "--read-only"
    before=$(db_digest "$db")
    run --read-only --db "$db" checkin Marty --note "lecture" >"$tmp/ro.out" 2>&1 &&
        fail "--read-only logged a check-in"
    one_line "$tmp/ro.out" "lecture seule"
    [ "$(db_digest "$db")" = "$before" ] || fail "--read-only changed the file"
    run --read-only --db "$db" summary >/dev/null 2>&1 || fail "--read-only cannot read"
    run --read-only --db "$tmp/none.db" summary >"$tmp/none.out" 2>&1 && fail "a missing base opened"
    one_line "$tmp/none.out" "none.db"
    [ -e "$tmp/none.db" ] && fail "--read-only created the missing file"
    tui_db=$db
    tui_opts="--read-only"
fi
[ "$(db_query "$db" "SELECT count(*) FROM checkin")" = "$checkins" ] || fail "a check-in was written"

# The manager's TUI: read-only in the title; a check-in refused on one line, the form kept.
tmux -L "$sock" -u -f /dev/null new-session -d -s "$session" -x 120 -y 40 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $(db_env) '$LCMTUI' $tui_opts --config '$cfg' --db '$tui_db' --today 2026-11-28; echo EXIT=\$?; sleep 60" ||
    fail "tmux new-session"
wait_for "lecture seule"
keys /
text Marty
keys Enter Enter
wait_for "Historique"
keys c
wait_for "Suivi avec Marty"
keys Tab Tab Tab
text "tentative du manager"
keys Enter
wait_for "lecture seule ici"
screen | grep -qF "tentative du manager" || fail "the refused form lost its text"
keys Escape
wait_for "Échap encore une fois"
keys Escape
wait_gone "tentative du manager"
keys Q
wait_for "EXIT=0"
[ "$(db_query "$db" "SELECT count(*) FROM checkin")" = "$checkins" ] || fail "the TUI wrote a check-in"
echo "e2e_db_readonly: ok ($DB_ENGINE)"
