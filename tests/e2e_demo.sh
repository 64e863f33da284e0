#!/bin/sh
# e2e_demo.sh — `lcmtui demo` through the real binary: output, usage errors, refusal of a
# non-demo database, --force, and the automatic demo database of a first `lcmtui` run.
set -u
. "$(dirname "$0")/db.sh"
: "${LCMTUI:?LCMTUI must name the binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; db_cleanup' EXIT
trap 'exit 1' INT TERM
fail() { echo "e2e_demo: $*" >&2; exit 1; }
T=2026-11-28
a=$(db_target "$tmp/a.db") b=$(db_target "$tmp/b.db") real=$(db_target "$tmp/real.db")

out=$("$LCMTUI" --db "$a" --today $T demo 2>&1) || fail "demo failed: $out"
echo "$out" | grep -q "160 learners in 4 cohorts" || fail "unexpected output: $out"
db_is_pg || [ "$(stat -c %a "$tmp/a.db")" = 600 ] || fail "database not 0600"
n=$(db_query "$a" "SELECT count(*) FROM learner l JOIN enrollment e ON e.learner_id = l.id
    WHERE l.first_name IN ('Bobby','Sophie','Djilali','Marty')
    AND e.last_activity_day = '$(date -u -d "$T - 21 days" +%F)'")
[ "$n" = 4 ] || fail "expected the 4 learners gone for 21 days, got $n"

for args in "--learners 0" "--learners 12x" "--seed -1" "--seed 99999999999999999999" \
    "--learners" "--bogus" "extra"; do
    # shellcheck disable=SC2086
    "$LCMTUI" --db "$a" --today $T demo $args >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] || fail "demo $args: exit $rc, expected 2"
    grep -q "lcmtui demo:" "$tmp/err" || fail "demo $args: no usage line"
done
"$LCMTUI" demo --help | grep -q -- "--learners" || fail "demo --help"

# Same seed and day: the same database content (risk scores included).
"$LCMTUI" --db "$b" --today $T demo --seed 2026 >/dev/null 2>&1 || fail "second demo"
q=$(db_pick "SELECT group_concat(x, ',') FROM (SELECT sum(minutes) || '/' || count(*) AS x FROM activity_day
   UNION ALL SELECT group_concat(score) FROM (SELECT score FROM risk ORDER BY enrollment_id))" \
    "SELECT (SELECT sum(minutes) || '/' || count(*) FROM activity_day) || ',' ||
       (SELECT string_agg(CAST(score AS text), ',' ORDER BY enrollment_id) FROM risk)")
[ "$(db_query "$a" "$q")" = "$(db_query "$b" "$q")" ] || fail "not deterministic"
case "$(db_query "$a" "$q")" in *,*,*) ;; *) fail "no risk scores compared: $(db_query "$a" "$q")" ;; esac

# A database with real data is refused without --force, and left as it was.
"$LCMTUI" --db "$real" summary >/dev/null || fail "summary on a new database"
db_query "$real" "INSERT INTO learner(source, ext_id, first_name) VALUES ('csv','1','Réel')"
"$LCMTUI" --db "$real" --today $T demo >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || fail "non-demo database: exit $rc, expected 1"
grep -q -- "--force" "$tmp/err" || fail "refusal does not mention --force: $(cat "$tmp/err")"
[ "$(db_query "$real" "SELECT count(*) FROM learner")" = 1 ] || fail "refused but changed"
"$LCMTUI" --db "$real" --today $T demo --force >/dev/null 2>&1 || fail "--force failed"
[ "$(db_query "$real" "SELECT count(*) FROM learner")" = 161 ] || fail "--force count"

# First run with nothing configured: the demo database is created beside the default one
# (a SQLite file: the default database; the same on both engines, run once).
db_is_pg && exit 0
mkdir -p "$tmp/home"
env -u LCMTUI_TODAY HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" \
    XDG_CONFIG_HOME="$tmp/home/config" TERM=dumb \
    timeout 20 "$LCMTUI" --today $T </dev/null >"$tmp/out" 2>&1
demo="$tmp/home/data/lcmtui/demo.db"
[ -f "$demo" ] || fail "no demo database after the first run: $(cat "$tmp/out")"
[ "$(sqlite3 "$demo" "SELECT value FROM kv WHERE key = 'demo_today'")" = $T ] || fail "demo_today"
[ "$(sqlite3 "$demo" "SELECT count(*) FROM learner")" = 160 ] || fail "demo learners"
[ ! -e "$tmp/home/data/lcmtui/lcmtui.db" ] || fail "the default database was created"
# A second run keeps it (the LCM's own demo check-ins are not thrown away).
env -u LCMTUI_TODAY HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" \
    XDG_CONFIG_HOME="$tmp/home/config" TERM=dumb \
    timeout 20 "$LCMTUI" --today 2026-11-29 </dev/null >/dev/null 2>&1
[ "$(sqlite3 "$demo" "SELECT value FROM kv WHERE key = 'demo_today'")" = $T ] || fail "regenerated"
exit 0
