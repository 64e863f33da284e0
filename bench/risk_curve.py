#!/usr/bin/python3
"""risk_curve.py — formats `lcmtui risk eval --curve ... --json` outputs as markdown tables (one
per presentation, the issue's goals checked under each) and optionally as an SVG plot.

    risk_curve.py [--svg FILE] "NAME=curve.json" ...

Python 3 standard library only; bench/risk_curve.sh runs it."""
import json
import sys

GOAL_MARGIN = 0.05  # AUC at least the best single-signal baseline + 0.05 at every cut
GOAL_DROP = 0.02  # AUC never lower than at an earlier cut by more than 0.02
GOAL_SHARE = 0.60  # the at-risk level never holding more than 60 % of the enrolments


def fmt(v, spec=".3f"):
    return "-" if v is None else format(v, spec)


def table(name, cuts):
    out = [
        f"**{name}** (`lcmtui risk eval --curve "
        f"{cuts[0]['day']}..{cuts[-1]['day']}/{step(cuts)}`)",
        "",
        "| day | enrolments (positive) | AUC | P@20 | at risk | recall of \"at risk\" "
        "| AUC days inactive | AUC total activity | best baseline | AUC − best |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cuts:
        b = c["baselines"]
        best = c["best_baseline"]
        margin = None if best is None or c["auc"] is None else c["auc"] - best["auc"]
        share = None if c["at_risk_share"] is None else 100 * c["at_risk_share"]
        out.append(
            f"| {c['day']} | {c['enrollments']} ({c['positives']}) | **{fmt(c['auc'])}** "
            f"| {fmt(c['precision_at_20'], '.2f')} | {fmt(share, '.0f')} % "
            f"| {fmt(c['recall_at_risk'], '.2f')} | {fmt(b['days_inactive'])} "
            f"| {fmt(b['total_activity'])} "
            f"| {'-' if best is None else best['name'] + ' ' + fmt(best['auc'])} "
            f"| {fmt(margin, '+.3f')} |")
    out += ["", goals(cuts), ""]
    return "\n".join(out)


def step(cuts):
    return cuts[1]["day"] - cuts[0]["day"] if len(cuts) > 1 else 1


def goals(cuts):
    """One line: each of the issue's three goals, its worst figure and where."""
    scored = [c for c in cuts if c["auc"] is not None and c["best_baseline"] is not None]
    if not scored:
        return "Goals: no cut with both classes."
    worst = min(scored, key=lambda c: c["auc"] - c["best_baseline"]["auc"])
    margin = worst["auc"] - worst["best_baseline"]["auc"]
    drop, drop_at, peak, peak_day = 0.0, None, None, None
    for c in scored:
        if peak is not None and peak - c["auc"] > drop:
            drop, drop_at = peak - c["auc"], (peak_day, c["day"])
        if peak is None or c["auc"] > peak:
            peak, peak_day = c["auc"], c["day"]
    shares = [c for c in cuts if c["at_risk_share"] is not None]
    most = max(shares, key=lambda c: c["at_risk_share"])

    def mark(ok):
        return "met" if ok else "**not met**"

    drop_text = (f"largest fall below an earlier cut {drop:.3f} (day {drop_at[0]} → "
                 f"{drop_at[1]})" if drop_at else "never below an earlier cut")
    return (f"Goals: AUC ≥ best baseline + {GOAL_MARGIN:.2f} at every cut: "
            f"{mark(margin >= GOAL_MARGIN)} (smallest margin {margin:+.3f}, day {worst['day']}); "
            f"never {GOAL_DROP:.2f} below an earlier cut: {mark(drop <= GOAL_DROP)} "
            f"({drop_text}); at risk ≤ {100 * GOAL_SHARE:.0f} %: "
            f"{mark(most['at_risk_share'] <= GOAL_SHARE)} (at most "
            f"{100 * most['at_risk_share']:.1f} %, day {most['day']}).")


COLOURS = ["#1f77b4", "#d95f02", "#2ca02c", "#7570b3"]


def svg(series, path):
    """Two panels over the days: AUC (solid) and best baseline (dashed); at-risk share (solid)
    and recall of "at risk" (dashed)."""
    w, h, left, right, top, gap, ph = 680, 520, 60, 170, 30, 50, 190
    days = [c["day"] for _, cuts in series for c in cuts]
    d0, d1 = min(days), max(days)
    if d1 == d0:
        d1 = d0 + 1

    def x(d):
        return left + (w - left - right) * (d - d0) / (d1 - d0)

    def panel(y_top, lo, hi):
        return lambda v: y_top + ph * (hi - v) / (hi - lo)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>']
    panels = [("ROC AUC: risk score (solid), best single-signal baseline (dashed)", top, 0.5,
               1.0, "auc", lambda c: c["best_baseline"] and c["best_baseline"]["auc"]),
              ("Share of enrolments at risk (solid), recall of \"at risk\" (dashed)",
               top + ph + gap, 0.0, 1.0, "at_risk_share", lambda c: c["recall_at_risk"])]
    for title, y_top, lo, hi, key, second in panels:
        y = panel(y_top, lo, hi)
        parts.append(f'<text x="{left}" y="{y_top - 8}" font-weight="bold">{title}</text>')
        ticks = 5
        for i in range(ticks + 1):
            v = lo + (hi - lo) * i / ticks
            parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                         f'stroke="#ddd"/>')
            parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
                         f'{v:.1f}</text>')
        for _, cuts in series[:1]:
            for c in cuts:
                parts.append(f'<text x="{x(c["day"]):.1f}" y="{y_top + ph + 16}" '
                             f'text-anchor="middle">{c["day"]}</text>')
        for k, (name, cuts) in enumerate(series):
            col = COLOURS[k % len(COLOURS)]
            for get, dash in ((lambda c, key=key: c[key], ""),
                              (second, ' stroke-dasharray="5,4"')):
                pts = " ".join(f"{x(c['day']):.1f},{y(get(c)):.1f}" for c in cuts
                               if get(c) is not None)
                if pts:
                    parts.append(f'<polyline points="{pts}" fill="none" stroke="{col}" '
                                 f'stroke-width="2"{dash}/>')
        if key == "at_risk_share":
            parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(GOAL_SHARE):.1f}" '
                         f'y2="{y(GOAL_SHARE):.1f}" stroke="#999" stroke-dasharray="2,3"/>')
            parts.append(f'<text x="{w - right + 4}" y="{y(GOAL_SHARE) + 4:.1f}" '
                         f'fill="#666">60 % goal</text>')
    parts.append(f'<text x="{(left + w - right) / 2}" y="{h - 8}" text-anchor="middle">'
                 f'days after the cohort start</text>')
    for k, (name, _) in enumerate(series):
        col = COLOURS[k % len(COLOURS)]
        ly = top + 20 + 20 * k
        parts.append(f'<line x1="{w - right + 10}" x2="{w - right + 40}" y1="{ly}" y2="{ly}" '
                     f'stroke="{col}" stroke-width="2"/>')
        parts.append(f'<text x="{w - right + 46}" y="{ly + 4}">{name}</text>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")


def main(argv):
    svg_path = None
    if len(argv) >= 2 and argv[0] == "--svg":
        svg_path, argv = argv[1], argv[2:]
    if not argv or any("=" not in a for a in argv):
        sys.exit("usage: risk_curve.py [--svg FILE] NAME=curve.json ...")
    series = []
    for a in argv:
        name, path = a.split("=", 1)
        with open(path, encoding="utf-8") as f:
            series.append((name, json.load(f)))
    print("\n".join(table(name, cuts) for name, cuts in series), end="")
    if svg_path:
        svg(series, svg_path)


if __name__ == "__main__":
    main(sys.argv[1:])
