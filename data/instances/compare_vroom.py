#!/usr/bin/env python3
"""TSP quality of maillage-plan and of VROOM (pyvroom, PyPI) on the same TSPLIB matrices.

Runs both in the same session and prints one table: instance, n, optimum, then for each
solver the tour found, the gap to the optimum in % and the time. Maillage runs through
`cargo run --release -p maillage-plan --example tsp_quality -- --json` (1 s per instance
up to 200 points, 10 s beyond); VROOM runs at exploration level 5 with the same time limit
(`--vroom-timeout-factor` scales it; 0 = no limit) on 2 threads.

Needs: data/instances/fetch.sh run once, `pip install pyvroom`.
Usage: python3 data/instances/compare_vroom.py [--vroom-timeout-factor F] [--skip-maillage]
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("MAILLAGE_INSTANCE_CACHE", HERE.parent / "cache" / "instances"))


def parse_tsplib(path):
    kind, dim, coords, in_coords = "", 0, [], False
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if in_coords:
            f = line.split()
            if len(f) >= 3:
                coords.append((float(f[1]), float(f[2])))
                continue
            in_coords = False
        if ":" in line:
            key, value = (s.strip() for s in line.split(":", 1))
            if key == "EDGE_WEIGHT_TYPE":
                kind = value
            elif key == "DIMENSION":
                dim = int(value)
        elif line.startswith("NODE_COORD_SECTION"):
            in_coords = True
    assert len(coords) == dim, f"{path}: {len(coords)} coordonnées pour {dim}"

    def euc(a, b):
        return int(math.floor(math.hypot(a[0] - b[0], a[1] - b[1]) + 0.5))

    def att(a, b):
        r = math.sqrt(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) / 10.0)
        t = int(math.floor(r + 0.5))
        return t + 1 if t < r else t

    dist = {"EUC_2D": euc, "ATT": att}[kind]
    return [[0 if i == j else dist(coords[i], coords[j]) for j in range(dim)] for i in range(dim)]


def run_vroom(matrix, timeout_s):
    import vroom

    n = len(matrix)
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    problem.add_vehicle(vroom.Vehicle(1, start=0, end=0, profile="car"))
    problem.add_job([vroom.Job(i, location=i) for i in range(1, n)])
    start = time.perf_counter()
    kwargs = {"exploration_level": 5, "nb_threads": 2}
    if timeout_s:
        kwargs["timeout"] = timedelta(seconds=timeout_s)
    solution = problem.solve(**kwargs)
    elapsed = time.perf_counter() - start
    return int(solution.summary.cost), elapsed


def run_maillage():
    root = HERE.parent.parent
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "maillage-plan", "--example",
         "tsp_quality", "--", "--json"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout
    return {r["instance"]: r for r in map(json.loads, out.splitlines()) if r}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vroom-timeout-factor", type=float, default=1.0)
    ap.add_argument("--skip-maillage", action="store_true")
    args = ap.parse_args()
    optima = {}
    for line in (HERE / "tsplib_optima.csv").read_text().splitlines()[1:]:
        name, n, opt, _ = line.split(",", 3)
        optima[name] = (int(n), float(opt))
    ours = {} if args.skip_maillage else run_maillage()
    print(f"{'instance':<10} {'n':>5} {'optimum':>8} | {'maillage':>8} {'gap %':>6} {'s':>6}"
          f" | {'vroom':>8} {'gap %':>6} {'s':>6}")
    gaps = {"m_small": [], "m_large": [], "v_small": [], "v_large": []}
    for name, (n, opt) in optima.items():
        path = CACHE / "tsplib" / f"{name}.tsp"
        if not path.exists():
            sys.exit(f"{path} introuvable : lancez data/instances/fetch.sh")
        limit = (1.0 if n <= 200 else 10.0) * args.vroom_timeout_factor
        cost, secs = run_vroom(parse_tsplib(path), limit)
        vgap = 100.0 * (cost - opt) / opt
        m = ours.get(name)
        mcol = f"{m['found']:>8.0f} {m['gap']:>6.2f} {m['time']:>6.2f}" if m else f"{'-':>8} {'-':>6} {'-':>6}"
        print(f"{name:<10} {n:>5} {opt:>8.0f} | {mcol} | {cost:>8} {vgap:>6.2f} {secs:>6.2f}")
        bucket = "small" if n <= 200 else "large" if n <= 600 else None
        if bucket:
            gaps[f"v_{bucket}"].append(vgap)
            if m:
                gaps[f"m_{bucket}"].append(m["gap"])

    def mean(v):
        return sum(v) / len(v) if v else float("nan")

    print(f"mean gap ≤ 200 points: maillage {mean(gaps['m_small']):.2f} %, vroom {mean(gaps['v_small']):.2f} %")
    print(f"mean gap 201–600 points: maillage {mean(gaps['m_large']):.2f} %, vroom {mean(gaps['v_large']):.2f} %")


if __name__ == "__main__":
    main()
