#!/bin/sh
# bench_lock.sh — how long an interactive write (a check-in, BEGIN IMMEDIATE) waits behind two
# background `lcmtui risk update` loops on a 20,000-learner demo database: each write is timed
# from BEGIN IMMEDIATE to the lock, retrying every millisecond as the store's busy handler
# does; prints writes, errors, max / p99 / median wait. Target: no write waits a second.
# Usage: bench/bench_lock.sh [path/to/lcmtui]   (env LEARNERS, default 20000; WRITES, 300)
set -eu
bin=${1:-build/lcmtui}
L=${LEARNERS:-20000}
W=${WRITES:-300}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
"$bin" --db "$T/db" --today 2026-11-28 demo --learners "$L" >/dev/null 2>&1
cat >"$T/writer.py" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
n = int(sys.argv[2]); waits = []; errors = 0
lid = db.execute("select id from learner limit 1").fetchone()[0]
for i in range(n):
    t0 = time.monotonic()
    while True:
        try:
            db.execute("BEGIN IMMEDIATE"); break
        except sqlite3.OperationalError:
            if time.monotonic() - t0 > 30:
                errors += 1; break
            time.sleep(0.001)
    t1 = time.monotonic()
    db.execute("INSERT INTO checkin(learner_id, at, channel, note) VALUES (?, ?, 'note', ?)",
               (lid, 1764000000 + i, "bench %d" % i))
    db.execute("COMMIT")
    waits.append(t1 - t0)
    time.sleep(0.02)
waits.sort()
print("%d writes, %d errors; wait max %.3f s, p99 %.3f s, median %.4f s"
      % (len(waits), errors, waits[-1], waits[int(len(waits) * 0.99) - 1], waits[len(waits) // 2]))
PY
loop() { for _ in 1 2 3; do "$bin" --db "$T/db" --today 2026-11-28 risk update >/dev/null 2>&1; done; }
loop & a=$!
loop & b=$!
/usr/bin/python3 "$T/writer.py" "$T/db" "$W"
wait "$a" "$b"
