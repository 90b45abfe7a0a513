#!/usr/bin/env python3
"""Proven optima of the site-choice benchmark, by exact MIP (HiGHS, PyPI `highspy`).

OR-Library's pmed files are not shipped by any package registry reachable here, so the
p-median and maximal-coverage benchmark uses the published TSPLIB point sets fetched by
fetch.sh (every point is both a demand of weight 1 and a candidate; cost = the TSPLIB
integer distance). This script solves each case to proven optimality (MIP gap 0) and
writes site_optima.csv: name, instance, n, p, objective, radius, optimum, seconds.

Usage: python3 data/instances/site_optima.py   (after fetch.sh; `pip install highspy numpy`)
"""

import csv
import sys
import time
from pathlib import Path

import highspy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_vroom import CACHE, parse_tsplib  # noqa: E402

HERE = Path(__file__).resolve().parent

# (instance, p, objective, radius)
CASES = [
    ("kroA100", 5, "median", None), ("kroA100", 10, "median", None), ("kroA100", 20, "median", None),
    ("ch130", 10, "median", None), ("ch130", 30, "median", None),
    ("qa194", 10, "median", None), ("qa194", 40, "median", None),
    ("lin318", 20, "median", None), ("lin318", 80, "median", None),
    ("kroA100", 5, "coverage", 600), ("ch130", 10, "coverage", 60),
    ("qa194", 10, "coverage", 60), ("lin318", 20, "coverage", 300), ("att532", 30, "coverage", 150),
    ("att532", 50, "median", None), ("att532", 200, "median", None),
]


def solve(d, p, objective, radius, time_limit=600.0):
    n = d.shape[0]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", time_limit)
    inf = highspy.kHighsInf
    if objective == "median":
        # y_j open, x_ij assign (continuous: integral at optimum once y is integral).
        for j in range(n):
            h.addVar(0, 1)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * n))
        h.addVars(n * n, np.zeros(n * n), np.ones(n * n))
        costs = np.concatenate([np.zeros(n), d.reshape(-1)])
        h.changeColsCost(n + n * n, np.arange(n + n * n, dtype=np.int32), costs)
        h.addRow(p, p, n, np.arange(n, dtype=np.int32), np.ones(n))
        for i in range(n):
            idx = n + i * n + np.arange(n, dtype=np.int32)
            h.addRow(1, 1, n, idx, np.ones(n))
        # x_ij <= y_j
        for i in range(n):
            for j in range(n):
                h.addRow(-inf, 0, 2, np.array([n + i * n + j, j], dtype=np.int32), np.array([1.0, -1.0]))
        h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    else:
        # y_j open, z_i covered; max Σ z_i, z_i <= Σ_{j: d_ij <= r} y_j.
        h.addVars(2 * n, np.zeros(2 * n), np.ones(2 * n))
        h.changeColsIntegrality(2 * n, np.arange(2 * n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * (2 * n)))
        h.changeColsCost(2 * n, np.arange(2 * n, dtype=np.int32),
                         np.concatenate([np.zeros(n), np.ones(n)]))
        h.addRow(p, p, n, np.arange(n, dtype=np.int32), np.ones(n))
        for i in range(n):
            cov = np.nonzero(d[i] <= radius)[0].astype(np.int32)
            idx = np.concatenate([[n + i], cov]).astype(np.int32)
            vals = np.concatenate([[1.0], -np.ones(len(cov))])
            h.addRow(-inf, 0, len(idx), idx, vals)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    start = time.perf_counter()
    h.run()
    secs = time.perf_counter() - start
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return None, secs
    return h.getInfo().objective_function_value, secs


def main():
    """Appends each proven optimum as soon as it is found; cases already listed are kept."""
    out = HERE / "site_optima.csv"
    header = ["name", "instance", "n", "p", "objective", "radius", "optimum", "mip_seconds"]
    done = set()
    if out.exists():
        done = {row["name"] for row in csv.DictReader(out.open())}
    else:
        with out.open("w", newline="") as f:
            csv.writer(f).writerow(header)
    for inst, p, objective, radius in CASES:
        name = f"{inst}-p{p}-{objective}" + (f"-r{radius}" if radius else "")
        if name in done:
            continue
        d = np.array(parse_tsplib(CACHE / "tsplib" / f"{inst}.tsp"), dtype=float)
        opt, secs = solve(d, p, objective, radius)
        print(f"{name}: {opt} ({secs:.1f} s)", flush=True)
        if opt is not None:
            with out.open("a", newline="") as f:
                csv.writer(f).writerow([name, inst, d.shape[0], p, objective, radius or "", round(opt), f"{secs:.1f}"])
    print(f"écrit {out}")


if __name__ == "__main__":
    main()
