#!/bin/sh
# bench_calendar.sh — calendar figures: `agenda` and `agenda --ics` over 20000 follow-ups,
# `--import` of an .ics with 2000 events, and `agenda --push` of 300 follow-ups to a local
# radicale (skipped when radicale is missing).
bin=${1:-build/lcmtui}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lcmtui-bench-cal-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db="$tmp/b.db"
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }

"$bin" --db "$db" --today 2026-11-28 demo >/dev/null || exit 1
# 20000 follow-ups spread over 200 days around today, on the demo learners.
sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
  INSERT INTO followup(learner_id, kind, due_at, duration_min, status, title, created_at, updated_at)
  SELECT (SELECT min(id) FROM learner) + i % 150, 'call',
         1795910400 + (i % 200 - 100) * 86400 + (i % 9) * 3600, 30,
         CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'planned' END, 'Bench call ' || i,
         1790000000, 1790000000 FROM n;
  UPDATE followup SET uid = printf('lcmtui-followup-%d-%d@lcmtui', id, created_at) WHERE uid IS NULL;"
t0=$(now)
"$bin" --db "$db" --today 2026-11-28 agenda >/dev/null || exit 1
t1=$(now)
"$bin" --db "$db" --today 2026-11-28 agenda --ics --from 2026-01-01 -o "$tmp/all.ics" || exit 1
t2=$(now)
echo "agenda listing, 20005 follow-ups in the base: $(secs "$t0" "$t1") s"
echo "agenda --ics of $(grep -c '^BEGIN:VEVENT' "$tmp/all.ics") events ($(($(stat -c %s "$tmp/all.ics") / 1024)) KiB): $(secs "$t1" "$t2") s"

{
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n'
    i=0
    while [ $i -lt 2000 ]; do
        printf 'BEGIN:VEVENT\r\nUID:b%d@x\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:2026%02d%02dT%02d0000Z\r\nDURATION:PT1H\r\nSUMMARY:Meeting %d\r\nEND:VEVENT\r\n' \
            $i $((12 - i % 2)) $((1 + i % 28)) $((8 + i % 9)) $i
        i=$((i + 1))
    done
    printf 'END:VCALENDAR\r\n'
} >"$tmp/busy.ics"
t0=$(now)
"$bin" --db "$db" --today 2026-11-28 agenda --import "$tmp/busy.ics" >/dev/null || exit 1
t1=$(now)
echo "agenda --import of 2000 events: $(secs "$t0" "$t1") s"

$PY -c 'import radicale' 2>/dev/null || { echo "radicale missing: push figure skipped"; exit 0; }
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'u:p\n' >"$tmp/users"
printf '[server]\nhosts = 127.0.0.1:%s\n[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\n[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = %s\n[logging]\nlevel = warning\n' \
    "$port" "$tmp/users" "$tmp/col" >"$tmp/r.conf"
$PY -m radicale --config "$tmp/r.conf" >"$tmp/r.log" 2>&1 &
pid=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do
    i=$((i + 1)); [ $i -le 200 ] || { echo "radicale did not start"; exit 1; }; sleep 0.05
done
curl -s -o /dev/null -u u:p -X MKCALENDAR "http://127.0.0.1:$port/u/c/"
printf 'calendar: { url = "http://127.0.0.1:%s/u/c/"; user = "u"; password_env = "BENCH_PW"; };\n' "$port" >"$tmp/cfg"
chmod 600 "$tmp/cfg"
sqlite3 "$db" "UPDATE followup SET push_state = 'clean' WHERE id > 300"
t0=$(now)
BENCH_PW=p "$bin" --config "$tmp/cfg" --db "$db" --today 2026-11-28 agenda --push | tail -1
t1=$(now)
echo "agenda --push of 300 follow-ups to radicale: $(secs "$t0" "$t1") s"
