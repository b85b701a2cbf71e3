"""Maximal covering location (Church & ReVelle 1974): k sites reaching the most weight.

Given demand weights w_i and, for each candidate site j, the demand points N_j it would
newly reach, choose at most k sites maximising the weight reached at least once. Solved
two ways: greedily (each step the site adding the most; within 1 − 1/e of the optimum,
Nemhauser, Wolsey & Fisher 1978) and exactly as a mixed-integer program with HiGHS:

    maximise Σ w_i y_i  subject to  y_i ≤ Σ_{j ∋ i} x_j,  Σ x_j ≤ k,  x_j ∈ {0,1}, 0 ≤ y_i ≤ 1

(y may be continuous: at any integer x the best y_i is min(1, Σ x_j), which is 0 or 1).
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
    left = list(chosen)
    reached: set[int] = set()
    order: list[int] = []
    gains: list[float] = []
    adds: list[tuple[int, ...]] = []
    while left:
        best, best_gain, best_add = -1, -1.0, tuple[int, ...]()
        for j in sorted(left):
            add = tuple(i for i in reach[j] if i not in reached)
            gain = float(sum(weights[i] for i in add))
            if gain > best_gain:
                best, best_gain, best_add = j, gain, add
        left.remove(best)
        reached.update(best_add)
        order.append(best)
        gains.append(best_gain)
        adds.append(best_add)
    return tuple(order), tuple(gains), tuple(adds)


def greedy(weights: Sequence[float], reach: Sequence[Sequence[int]], k: int) -> Solution:
    """At most k sites, each step the one adding the most weight; stops when none adds any."""
    start = time.perf_counter()
    w = np.asarray(weights, float)
    A = np.zeros((len(reach), len(w)))
    for j, r in enumerate(reach):
        A[j, list(r)] = 1.0
    chosen: list[int] = []
    for _ in range(min(k, len(reach))):
        gains = A @ w
        j = int(np.argmax(gains))  # the first of equal gains: the lowest index
        if gains[j] <= 0:
            break
        chosen.append(j)
        w = np.where(A[j] > 0, 0.0, w)
    sites, gains_, adds = marginal(weights, reach, chosen)
    value = float(sum(gains_))
    return Solution(sites, gains_, adds, value, time.perf_counter() - start, "greedy")


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
    n_sites, n_demand = len(reach), len(weights)
    if not any(reach):  # nobody left to reach: nothing to solve
        return Solution((), (), (), 0.0, time.perf_counter() - t0, "optimal", bound=0.0)
    by_demand: list[list[int]] = [[] for _ in range(n_demand)]
    for j, r in enumerate(reach):
        for i in r:
            by_demand[i].append(j)
    # columns: x_0 … x_{n_sites−1}, then y_0 … y_{n_demand−1}; rows: one per demand, then Σx ≤ k
    starts, index, value = [0], [], []
    for r in reach:
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
    lp.col_cost_ = np.concatenate([np.zeros(n_sites), np.asarray(weights, float)])
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
    h.passModel(lp)
    if start:
        sol = highspy.HighsSolution()
        given = np.zeros(lp.num_col_)
        given[list(start)] = 1.0
        for i, js in enumerate(by_demand):
            given[n_sites + i] = 1.0 if any(given[j] for j in js) else 0.0
        sol.col_value = list(given)
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    x: np.ndarray | None = None
    if info.primal_solution_status:
        x = np.asarray(h.getSolution().col_value[:n_sites])
    chosen = [int(j) for j in np.flatnonzero(x > 0.5)] if x is not None else list(start)
    sites, gains, adds = marginal(weights, reach, chosen)
    kept = sum(1 for g in gains if g > 0)  # a site adding no one is no answer (Σ x ≤ k)
    sites, gains, adds = sites[:kept], gains[:kept], adds[:kept]
    name = (
        "optimal" if status == highspy.HighsModelStatus.kOptimal else h.modelStatusToString(status)
    )
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return Solution(
        sites, gains, adds, float(sum(gains)), time.perf_counter() - t0, name, bound=bound
    )


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
