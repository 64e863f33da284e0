#!/bin/sh
# risk_lopo.sh — how the risk defaults were chosen (README "Risk", leave one presentation
# out): imports the two OULAD presentations of ../shared/data (or $LCMTUI_DATA), scores the
# grid of settings below (192) at the weekly cuts 14..112 on each (bench/risk_lopo.c, built here
# against build/libcore.a), chooses on one presentation and measures on the other, both ways,
# then prints the defaults' curve on both. A few minutes on two cores. Not run by make bench.
#   bench/risk_lopo.sh [--wide]
# --wide runs the second round instead (README "Risk", what did not carry over): 64 settings
# over the early-engagement and hand-in options (peers power, weight and volume share, the
# inactive, late and last-minute weights) around the defaults, the same choice both ways, and
# how far the engagement signals can go at day 14: `risk fit --at 14` fitted on one
# presentation, measured on both, beside the best single signal.
set -eu
wide=0
case "${1:-}" in
--wide) wide=1 ;;
"") ;;
*) echo "usage: bench/risk_lopo.sh [--wide]" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
data=${LCMTUI_DATA:-$top/../shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top"
make --no-print-directory all >/dev/null
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Icore -I. \
    $(pkg-config --cflags sqlite3 libconfig jansson libpq) -o "$tmp/lopo" bench/risk_lopo.c \
    build/libcore.a $(pkg-config --libs ncursesw sqlite3 libcurl libconfig jansson libical libpq) \
    -lcsv -lpthread -lm
for m in AAA BBB; do
    build/lcmtui --db "$tmp/$m.db" import --mapping data/mappings/oulad.conf \
        "$data/oulad-$m-2013J"/*.csv >/dev/null 2>&1
done
if [ "$wide" = 1 ]; then
    base="missed_weight=60 low_score_weight=70 group_others=0.5 inactive_grace_days=5"
    base="$base inactive_full_days=28 peers_percentile=100"
    for pp in 2 3; do for pw in 20 35; do for vs in 0.5 1; do for lm in 0 10; do
        for lw in 20 30; do for iw in 35 50; do
            echo "$base peers_power=$pp peers_weight=$pw peers_volume_share=$vs" \
                "last_minute_weight=$lm late_weight=$lw inactive_weight=$iw"
        done; done
    done; done; done; done >"$tmp/grid"
else
    base="inactive_weight=35 peers_weight=20 missed_weight=60 low_score_weight=70"
    base="$base low_score_gap_full=50 risk_score=50 watch_score=30 drop_weight=5"
    for go in 0.25 0.5; do for ig in 0 5; do for pp in 2 3; do for vs in 0 0.5; do
        for ifd in 21 28; do for pc in 50 100; do for ew in 0 50 100; do
            echo "$base group_others=$go inactive_grace_days=$ig peers_power=$pp" \
                "peers_volume_share=$vs inactive_full_days=$ifd peers_percentile=$pc" \
                "peers_early_weight=$ew"
        done; done; done
    done; done; done; done >"$tmp/grid"
fi
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
if [ "$wide" = 1 ]; then
    : >"$tmp/none.conf"
    echo "day 14, weights fitted by risk fit --at 14 (AUC; the best single signal):"
    for f in AAA BBB; do
        build/lcmtui --config "$tmp/none.conf" --db "$tmp/$f.db" risk fit --at 14 \
            -o "$tmp/fit$f.conf" >/dev/null 2>&1
        for m in AAA BBB; do
            build/lcmtui --config "$tmp/fit$f.conf" --db "$tmp/$m.db" risk eval --curve 14..14 |
                awk -v f="$f" -v m="$m" 'NR == 2 { printf "  fitted on %s, on %s: %s (%s %s)\n",
                    f, m, $4, $(NF - 2), $(NF - 1) }'
        done
    done
fi
echo "defaults:"
echo "" | V=1 "$tmp/lopo" "$tmp/AAA.db" "$tmp/BBB.db" | sed 's|^[^ ]*/||'
