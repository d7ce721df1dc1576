#!/usr/bin/env python3
"""Reference values for ModelCycle's drift statistics, computed with scipy on generated data.

Writes functions/core/src/test/resources/drift/reference.json, which DriftStatisticsReferenceTest and
DriftDetectorReferenceTest read. Every input is generated from a fixed seed and written next to its expected values,
so the Java tests never need Python; rerun this script only to change the cases:

    python3 scripts/drift_reference.py

Conventions the Java code shares (see io.modelcycle.core.drift.DriftStatistics):
- KS: scipy.stats.ks_2samp(a, b) with method="auto" (two-sided).
- Wasserstein: scipy.stats.wasserstein_distance(a, b); normalised by np.std(baseline) (ddof=0).
- Jensen-Shannon: scipy.spatial.distance.jensenshannon(p, q, base=2) on counts.
- Chi-squared: scipy.stats.chisquare(current, expected), expected = n_current * baseline shares, where a zero share is
  raised to EPS and shares renormalised; cells empty on both sides are dropped.
- PSI: sum((q - p) * ln(q / p)) with both shares floored at EPS, by hand in numpy.
- Baseline bin edges: every distinct value but the smallest when there are at most BINS; otherwise the sorted values
  at ranks floor(i * n / BINS), i = 1..BINS-1, deduplicated, above the minimum.
- Numeric cells for PSI/JS: bins grouped into COARSE groups, bin i in group min(C-1, floor(C * before_i / n)).
"""
import json
import os

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

EPS = 1e-4
BINS = 200
COARSE = 10
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "functions", "core", "src", "test", "resources",
                   "drift", "reference.json")


def derive_edges(values, bins=BINS):
    s = np.sort(values)
    n = len(s)
    u = np.unique(s)
    if len(u) <= bins:
        return u[1:]
    idx = (np.arange(1, bins, dtype=np.int64) * n) // bins
    c = np.unique(s[idx])
    return c[c > s[0]]


def bin_counts(values, edges):
    return np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)


def coarse(base_counts, cur_counts, groups=COARSE):
    total = base_counts.sum()
    before = np.concatenate([[0], np.cumsum(base_counts)[:-1]])
    g = np.minimum(groups - 1, (groups * before) // total)
    return np.bincount(g, weights=base_counts, minlength=groups).astype(np.int64), \
        np.bincount(g, weights=cur_counts, minlength=groups).astype(np.int64)


def psi(base, cur):
    p = np.maximum(base / base.sum(), EPS)
    q = np.maximum(cur / cur.sum(), EPS)
    return float(np.sum((q - p) * np.log(q / p)))


def chi2(base, cur):
    keep = (base != 0) | (cur != 0)
    b, c = base[keep], cur[keep]
    shares = np.maximum(b / b.sum(), EPS)
    shares = shares / shares.sum()
    res = stats.chisquare(c, shares * c.sum())
    return float(res.statistic), float(res.pvalue)


def ks(a, b):
    res = stats.ks_2samp(a, b)  # method="auto"
    return float(res.statistic), float(res.pvalue)


def samples_cases(rng):
    cases = []
    specs = [
        ("same-normal-300-300", lambda: (rng.normal(0, 1, 300), rng.normal(0, 1, 300))),
        ("shifted-normal-400-250", lambda: (rng.normal(0, 1, 400), rng.normal(0.3, 1, 250))),
        ("scaled-normal-1000-999", lambda: (rng.normal(0, 1, 1000), rng.normal(0, 1.3, 999))),
        ("ties-integers-500-700", lambda: (rng.integers(0, 12, 500).astype(float),
                                           rng.integers(1, 12, 700).astype(float))),
        ("lognormal-tail-120-80", lambda: (rng.lognormal(0, 1, 120), rng.lognormal(0.2, 1.2, 80))),
        ("tiny-7-5", lambda: (rng.normal(0, 1, 7), rng.normal(1, 1, 5))),
        ("disjoint-50-60", lambda: (rng.uniform(0, 1, 50), rng.uniform(2, 3, 60))),
        ("equal-size-ties-600-600", lambda: (np.round(rng.normal(0, 1, 600), 1), np.round(rng.normal(0.1, 1, 600), 1))),
    ]
    for name, make in specs:
        a, b = make()
        a = np.round(a, 4)
        b = np.round(b, 4)
        d, p = ks(a, b)
        cases.append({"name": name, "a": a.tolist(), "b": b.tolist(), "ksStatistic": d, "ksPValue": p,
                      "wasserstein": float(stats.wasserstein_distance(a, b)),
                      "normalisedWasserstein": float(stats.wasserstein_distance(a, b) / np.std(a))})
    return cases


def cells_cases(rng):
    cases = []
    specs = [
        ("uniform-vs-uniform", np.array([250, 240, 260, 250]), np.array([95, 105, 100, 100])),
        ("shifted-mass", np.array([500, 300, 150, 50]), np.array([100, 200, 300, 400])),
        ("new-category", np.array([400, 600, 0]), np.array([380, 590, 30])),
        ("empty-on-both", np.array([100, 0, 300, 50]), np.array([40, 0, 120, 25])),
        ("vanished-category", np.array([100, 200, 300]), np.array([0, 250, 350])),
        ("large-counts", rng.integers(1000, 100000, 12), rng.integers(1000, 100000, 12)),
    ]
    for name, base, cur in specs:
        stat, p = chi2(base, cur)
        cases.append({"name": name, "baseline": base.tolist(), "current": cur.tolist(),
                      "chiSquared": stat, "chiSquaredPValue": p,
                      "jensenShannon": float(jensenshannon(base, cur, base=2)),
                      "psi": psi(base.astype(float), cur.astype(float))})
    return cases


def binned_cases(rng):
    """Baselines of 5000-8000 values (edges derived from all of them) and current windows above the sample limit."""
    cases = []
    specs = [
        ("normal-shift", rng.normal(10, 2, 6000), rng.normal(10.5, 2, 4000)),
        ("normal-same", rng.normal(0, 1, 5000), rng.normal(0, 1, 3000)),
        ("lognormal-scale", rng.lognormal(1, 0.5, 8000), rng.lognormal(1, 0.8, 5000)),
        ("beyond-the-range", rng.uniform(0, 1, 5000), rng.uniform(0.5, 2.5, 2500)),
    ]
    for name, base, cur in specs:
        base = np.round(base, 3)
        cur = np.round(cur, 3)
        edges = derive_edges(base)
        bc = bin_counts(base, edges)
        cc = bin_counts(cur, edges)
        gb, gc = coarse(bc, cc)
        d, p = ks(base, cur)
        w = float(stats.wasserstein_distance(base, cur))
        cases.append({"name": name, "baseline": base.tolist(), "current": cur.tolist(),
                      "edges": edges.tolist(), "baselineCounts": bc.tolist(), "currentCounts": cc.tolist(),
                      "ksStatistic": d, "ksPValue": p, "wasserstein": w,
                      "normalisedWasserstein": w / float(np.std(base)),
                      "coarsePsi": psi(gb.astype(float), gc.astype(float)),
                      "coarseJensenShannon": float(jensenshannon(gb, gc, base=2))})
    return cases


def kolmogorov_table():
    rows = []
    for n in [100, 500, 1000, 5000]:
        for z in [0.2, 0.5, 0.8, 1.0, 1.2, 1.36, 1.63, 2.0, 2.5]:
            x = z / np.sqrt(n)
            rows.append({"n": n, "x": float(x), "sf": float(stats.kstwo.sf(x, n))})
    return rows


def main():
    rng = np.random.default_rng(20261129)
    data = {
        "generator": "scripts/drift_reference.py",
        "scipy": __import__("scipy").__version__,
        "numpy": np.__version__,
        "eps": EPS, "bins": BINS, "coarse": COARSE,
        "samples": samples_cases(rng),
        "cells": cells_cases(rng),
        "binned": binned_cases(rng),
        "kolmogorov": kolmogorov_table(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT) // 1024} KiB)")


if __name__ == "__main__":
    main()
