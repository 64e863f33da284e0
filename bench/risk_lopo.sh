#!/bin/sh
# risk_lopo.sh — how the risk defaults were chosen (README "Risk", leave one presentation
# out): imports the two OULAD presentations of ../shared/data (or $LCMTUI_DATA), scores the
# grid of settings below at the weekly cuts 14..112 on each (bench/risk_lopo.c, built here
# against build/libcore.a), chooses on one presentation and measures on the other, both ways,
# then prints the defaults' curve on both. A few minutes on two cores. Not run by make bench.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
data=${LCMTUI_DATA:-$top/../shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top"
make --no-print-directory all >/dev/null
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Icore -I. \
    $(pkg-config --cflags sqlite3 libconfig jansson) -o "$tmp/lopo" bench/risk_lopo.c \
    build/libcore.a $(pkg-config --libs ncursesw sqlite3 libcurl libconfig jansson libical) \
    -lcsv -lpthread -lm
for m in AAA BBB; do
    build/lcmtui --db "$tmp/$m.db" import --mapping data/mappings/oulad.conf \
        "$data/oulad-$m-2013J"/*.csv >/dev/null 2>&1
done
base="inactive_weight=35 peers_weight=20 missed_weight=60 low_score_weight=70"
base="$base low_score_gap_full=50 risk_score=50 watch_score=30 drop_weight=5"
for go in 0.25 0.5; do for ig in 0 5; do for pp in 2 3; do for vs in 0 0.5; do
    for ifd in 21 28; do for pc in 50 100; do
        echo "$base group_others=$go inactive_grace_days=$ig peers_power=$pp" \
            "peers_volume_share=$vs inactive_full_days=$ifd peers_percentile=$pc"
    done; done
done; done; done; done >"$tmp/grid"
"$tmp/lopo" "$tmp/AAA.db" "$tmp/BBB.db" <"$tmp/grid" >"$tmp/out"
python3 - "$tmp/out" <<'PY'
import re, sys
rows = []
for block in open(sys.argv[1]).read().split('## ')[1:]:
    lines = block.strip().split('\n')
    d = {}
    for l in lines[1:]:
        m = re.match(r'\S*(AAA|BBB)\.db mean (\S+) d28 (\S+) d56 (\S+) mingap (\S+) '
                     r'maxdrop (\S+) maxshare (\S+)', l)
        if m:
            d[m[1]] = [float(x) for x in m.groups()[1:]]
    rows.append((lines[0], d))
ok = lambda r, k: r[1][k][5] <= 0.60
for tr, te in (('AAA', 'BBB'), ('BBB', 'AAA')):
    pick = max((r for r in rows if ok(r, tr)), key=lambda r: r[1][tr][0])
    best = max(r[1][te][0] for r in rows if ok(r, te))
    print(f"chosen on {tr}: mean AUC {pick[1][tr][0]:.4f} in sample; on {te} "
          f"{pick[1][te][0]:.4f} (best there {best:.4f}, lost {best - pick[1][te][0]:.4f})")
    print(f"  {pick[0]}")
both = max((r for r in rows if ok(r, 'AAA') and ok(r, 'BBB')),
           key=lambda r: r[1]['AAA'][0] + r[1]['BBB'][0])
print(f"best on both: {both[0]}")
PY
echo "defaults:"
echo "" | V=1 "$tmp/lopo" "$tmp/AAA.db" "$tmp/BBB.db" | sed 's|^[^ ]*/||'
