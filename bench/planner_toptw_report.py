"""Tables for BENCHMARKS.md from planner_toptw.py's results and its same-run plain-PyVRP anchor.

    .venv/bin/python bench/planner_toptw_report.py --results results.csv --anchor anchor.csv \
        --bks ../shared/bench/toptw/bks.csv [--vehicles 1,4]

When a CSV holds several runs of the same instance and fleet size (repeated runs), the
median score of each is used.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from collections import defaultdict
from pathlib import Path


def family(name: str) -> str:
    if name.startswith("pr"):
        return "pr01-10" if int(name[2:]) <= 10 else "pr11-20"
    if name.startswith("rc"):
        return "rc" + name[2]
    return name[0] + name[1]


def load(path: Path) -> dict[tuple[str, int], dict]:
    runs: dict[tuple[str, int], list[dict]] = defaultdict(list)
    with path.open() as fh:
        for row in csv.DictReader(fh):
            runs[(row["instance"], int(row["vehicles"]))].append(row)
    out = {}
    for key, rows in runs.items():
        out[key] = {
            "score": statistics.median(int(r["score"]) for r in rows),
            "feasible": all(r["feasible"] == "True" for r in rows),
            "seconds": statistics.median(float(r["seconds"]) for r in rows),
            "runs": len(rows),
        }
    return out


def gap(bks: int, score: float) -> float:
    return 100 * (bks - score) / bks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", type=Path, required=True)
    ap.add_argument("--anchor", type=Path, required=True)
    ap.add_argument("--bks", type=Path, required=True)
    ap.add_argument("--vehicles", default="1,4")
    args = ap.parse_args(argv)
    fleets = {int(v) for v in args.vehicles.split(",")}
    ours, plain = load(args.results), load(args.anchor)
    with args.bks.open() as fh:
        bks = {(r["instance"], int(r["vehicles"])): int(r["bks_score"]) for r in csv.DictReader(fh)}

    keys = sorted(k for k in ours if k in plain and k in bks and k[1] in fleets)
    print("| instance | m | BKS | nightout | gap % | plain PyVRP | gap % | nightout s | plain s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for k in keys:
        o, p, b = ours[k], plain[k], bks[k]
        flag = "" if o["feasible"] else " INFEASIBLE"
        pflag = "" if p["feasible"] else " INFEASIBLE"
        print(f"| {k[0]} | {k[1]} | {b} | {o['score']:g}{flag} | {gap(b, o['score']):+.2f} | "
              f"{p['score']:g}{pflag} | {gap(b, p['score']):+.2f} | {o['seconds']:.1f} | "
              f"{p['seconds']:.1f} |")

    print()
    print("| family | m | n | nightout mean gap % | plain mean gap % | nightout worst % "
          "| plain worst % | nightout score sum | plain score sum |")
    print("|---|---|---|---|---|---|---|---|---|")
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for k in keys:
        for label in (family(k[0]), "all"):
            for m in (str(k[1]), "1+4"):
                groups[(label, m)].append(k)
    order = sorted(groups, key=lambda g: (g[0] == "all", g[0], g[1]))
    for label, m in order:
        ks = groups[(label, m)]
        og = [gap(bks[k], ours[k]["score"]) for k in ks]
        pg = [gap(bks[k], plain[k]["score"]) for k in ks]
        print(f"| {label} | {m} | {len(ks)} | {statistics.mean(og):+.2f} | "
              f"{statistics.mean(pg):+.2f} | "
              f"{max(og):+.2f} | {max(pg):+.2f} | {sum(ours[k]['score'] for k in ks):g} | "
              f"{sum(plain[k]['score'] for k in ks):g} |")
    pr = [k for k in keys if k[0].startswith("pr")]
    if pr:
        print()
        print(f"pr family (m in {sorted(fleets)}): nightout mean gap "
              f"{statistics.mean(gap(bks[k], ours[k]['score']) for k in pr):+.2f} %, plain "
              f"{statistics.mean(gap(bks[k], plain[k]['score']) for k in pr):+.2f} %")
    infeasible = [k for k in keys if not ours[k]["feasible"]]
    print(f"infeasible nightout plans: {len(infeasible)} of {len(keys)}")
    worse = [k for k in keys if ours[k]["score"] < plain[k]["score"]]
    print(f"instances where nightout scores below plain PyVRP: {len(worse)} "
          + ", ".join(f"{k[0]}/{k[1]}" for k in worse))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
