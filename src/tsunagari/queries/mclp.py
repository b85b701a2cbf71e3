"""Maximal covering location (Church & ReVelle 1974): k sites reaching the most weight.

Given demand weights w_i and, for each candidate site j, the demand points N_j it would
newly reach, choose at most k sites maximising the weight reached at least once. Solved
two ways: greedily (each step the site adding the most; within 1 − 1/e of the optimum,
Nemhauser, Wolsey & Fisher 1978) and exactly as a mixed-integer program with HiGHS:

    maximise Σ w_i y_i  subject to  y_i ≤ Σ_{j ∋ i} x_j,  Σ x_j ≤ k,  x_j ∈ {0,1}, 0 ≤ y_i ≤ 1

(y may be continuous: at any integer x the best y_i is min(1, Σ x_j), which is 0 or 1).
Before it is solved the model is reduced without changing its optimum (`reduce`): demand
points reached by the same candidates become one point with their summed weight, and a
candidate reaching a subset of what another reaches is dropped (the other is at least as
good in any solution). HiGHS's own presolve and symmetry detection are off: on the reduced
national problems they cost more than they save (the ten report questions at k = 10: 4.5 s
with the original model and defaults, 1.5 s reduced without them; BENCHMARKS.md).
HiGHS (highspy, MIT) is a 3.2 MB wheel; measured against the national problem in
benchmarks/bench_siting.py.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Solution:
    """Sites chosen (candidate indices, in the order of their marginal gains) and their value."""

    sites: tuple[int, ...]
    gains: tuple[float, ...]  # each site's weight reached beyond the sites before it
    covered: tuple[tuple[int, ...], ...]  # the demand indices each site adds
    value: float
    seconds: float
    status: str  # "optimal", "greedy", or HiGHS's status when it stopped early
    bound: float | None = None  # the solver's upper bound on the optimum (exact only)


def marginal(
    weights: Sequence[float], reach: Sequence[Sequence[int]], chosen: Sequence[int]
) -> tuple[tuple[int, ...], tuple[float, ...], tuple[tuple[int, ...], ...]]:
    """Order `chosen` greedily: each next the one adding the most weight not yet reached.

    Ties go to the lower candidate index, so the order is reproducible.
    """
    among = sorted(set(chosen))
    return _pick(weights, reach, among, len(among), keep_useless=True)


def greedy(weights: Sequence[float], reach: Sequence[Sequence[int]], k: int) -> Solution:
    """At most k sites, each step the one adding the most weight; stops when none adds any."""
    start = time.perf_counter()
    sites, gains, adds = _pick(weights, reach, range(len(reach)), k, keep_useless=False)
    return Solution(sites, gains, adds, float(sum(gains)), time.perf_counter() - start, "greedy")


def _pick(
    weights: Sequence[float],
    reach: Sequence[Sequence[int]],
    among: Sequence[int],
    k: int,
    *,
    keep_useless: bool,
) -> tuple[tuple[int, ...], tuple[float, ...], tuple[tuple[int, ...], ...]]:
    """Up to k of `among` (ascending), each step the one adding the most weight not yet
    reached (the lowest index of equals); a site adding no one ends it unless kept.

    Gains are summed per site with bincount over (site, point) pairs: no BLAS, whose threads
    made a 1,741 × 1,579 greedy take 0.04–0.4 s on a busy machine (0.03 s this way)."""
    w = np.asarray(weights, float)
    site = np.repeat(np.arange(len(among)), [len(reach[j]) for j in among])
    point = np.fromiter((i for j in among for i in reach[j]), np.int64, count=len(site))
    open_ = np.ones(len(w), bool)
    taken = np.zeros(len(among), bool)
    order: list[int] = []
    gains: list[float] = []
    adds: list[tuple[int, ...]] = []
    for _ in range(min(k, len(among))):
        g = np.bincount(site, weights=np.where(open_[point], w[point], 0.0), minlength=len(among))
        g[taken] = -1.0
        c = int(np.argmax(g))
        if g[c] <= 0 and not keep_useless:
            break
        taken[c] = True
        add = tuple(i for i in reach[among[c]] if open_[i])
        open_[list(add)] = False
        order.append(among[c])
        gains.append(float(sum(weights[i] for i in add)))
        adds.append(add)
    return tuple(order), tuple(gains), tuple(adds)


def exact(
    weights: Sequence[float],
    reach: Sequence[Sequence[int]],
    k: int,
    *,
    time_limit: float = 60.0,
    start: Sequence[int] = (),
) -> Solution:
    """The optimum by mixed-integer programming (HiGHS); `start` is a feasible set to begin from.

    If HiGHS stops at `time_limit`, the best set found is returned with its status and bound.
    """
    import highspy

    t0 = time.perf_counter()
    if not any(reach):  # nobody left to reach: nothing to solve
        return Solution((), (), (), 0.0, time.perf_counter() - t0, "optimal", bound=0.0)
    w, reduced, kept, better = reduce(weights, reach)
    n_sites, n_demand = len(reduced), len(w)
    # columns: x_0 … x_{n_sites−1}, then y_0 … y_{n_demand−1}; rows: one per demand, then Σx ≤ k
    starts, index, value = [0], [], []
    for r in reduced:
        index += [*r, n_demand]
        value += [-1.0] * len(r) + [1.0]
        starts.append(len(index))
    for i in range(n_demand):
        index.append(i)
        value.append(1.0)
        starts.append(len(index))
    lp = highspy.HighsLp()
    lp.num_col_ = n_sites + n_demand
    lp.num_row_ = n_demand + 1
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([np.zeros(n_sites), np.asarray(w, float)])
    lp.col_lower_ = np.zeros(lp.num_col_)
    lp.col_upper_ = np.ones(lp.num_col_)
    lp.row_lower_ = np.full(lp.num_row_, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.zeros(n_demand), [float(k)]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(starts, np.int32)
    lp.a_matrix_.index_ = np.asarray(index, np.int32)
    lp.a_matrix_.value_ = np.asarray(value, float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_sites + [
        highspy.HighsVarType.kContinuous
    ] * n_demand
    h = _highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)  # weights are whole people: within one is exact
    h.setOptionValue("presolve", "off")  # the model is reduced above; see the module docstring
    h.setOptionValue("mip_detect_symmetry", False)
    h.passModel(lp)
    if start:  # each start site, or the kept site that reaches all it reaches
        sol = highspy.HighsSolution()
        given = np.zeros(lp.num_col_)
        column = {j: c for c, j in enumerate(kept)}
        given[[column[better[j]] for j in start if j in better]] = 1.0
        for c, r in enumerate(reduced):
            if given[c]:
                given[[n_sites + i for i in r]] = 1.0
        sol.col_value = list(given)
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    x: np.ndarray | None = None
    if info.primal_solution_status:
        x = np.asarray(h.getSolution().col_value[:n_sites])
    chosen = [kept[int(c)] for c in np.flatnonzero(x > 0.5)] if x is not None else list(start)
    sites, gains, adds = marginal(weights, reach, chosen)
    useful = sum(1 for g in gains if g > 0)  # a site adding no one is no answer (Σ x ≤ k)
    sites, gains, adds = sites[:useful], gains[:useful], adds[:useful]
    name = (
        "optimal" if status == highspy.HighsModelStatus.kOptimal else h.modelStatusToString(status)
    )
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return Solution(
        sites, gains, adds, float(sum(gains)), time.perf_counter() - t0, name, bound=bound
    )


def reduce(
    weights: Sequence[float], reach: Sequence[Sequence[int]]
) -> tuple[list[float], list[list[int]], list[int], dict[int, int]]:
    """The same problem, smaller: (merged weights, each kept candidate's merged points, the
    kept candidates' indices, every candidate's kept equal-or-better one).

    Points reached by the same set of candidates are merged (their weights summed); a
    candidate whose points are a subset of another's is dropped, of equal sets the lowest
    index kept. The optimum is unchanged: a dropped site can be swapped for its better one.
    """
    by_point: list[list[int]] = [[] for _ in weights]
    for j, r in enumerate(reach):
        for i in r:
            by_point[i].append(j)
    merged: dict[tuple[int, ...], int] = {}
    w: list[float] = []
    point_of = []
    for i, js in enumerate(by_point):
        m = merged.setdefault(tuple(js), len(merged))
        if m == len(w):
            w.append(0.0)
        w[m] += weights[i]
        point_of.append(m)
    sets = [frozenset(point_of[i] for i in r) for r in reach]
    groups = list(merged)  # merged point → the candidates reaching it
    better: dict[int, int] = {}
    for j, s in enumerate(sets):
        if not s:
            continue
        rivals = groups[next(iter(s))]  # any candidate containing s reaches this point too
        wider = [
            other
            for other in rivals
            if other != j and s <= sets[other] and (len(sets[other]) > len(s) or other < j)
        ]
        if not wider:
            better[j] = j
    for j, s in enumerate(sets):
        if s and j not in better:  # the kept candidate (a maximal set) containing s
            better[j] = max(
                (o for o in groups[next(iter(s))] if better.get(o) == o and s <= sets[o]),
                key=lambda o: (len(sets[o]), -o),
            )
    kept = sorted(j for j, b in better.items() if b == j)
    return w, [sorted(sets[j]) for j in kept], kept, better


def _highs() -> Any:
    """A HiGHS instance; its once-per-process banner (printed on C stdout) is dropped, so that
    it can never land in our CSV or JSON."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()
        if os.name == "posix":
            ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h
