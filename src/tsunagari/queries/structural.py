"""Structural holes and brokerage: Burt's constraint and effective size, Gould–Fernandez roles.

Burt (1992) on an undirected weighted graph, as networkx defines them: p_ij = w_ij / Σ_k w_ik
(the share of i's ties that go to j), constraint c_i = Σ_j (p_ij + Σ_q p_iq p_qj)², effective
size e_i = Σ_j (1 − Σ_q p_iq m_jq) with m_jq = w_jq / max_k w_jk. Computed here in one pass
over the common neighbours of each tie (networkx's own took 290 s for 4,000 nodes unweighted);
tests check both against networkx.

Gould & Fernandez (1989): b brokers between two of its contacts a and c that are not tied to
each other. With groups (communities or prefectures) the pair is one of: coordinator (a, b,
c in one group), itinerant (a and c in one group, b in another), gatekeeper/representative
(b shares a group with one of them; on undirected ties the two roles are the same) and
liaison (all three in different groups). Contacts with no group are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx

ROLES = ("coordinator", "itinerant", "gatekeeper", "liaison")


def structural_holes(
    G: nx.Graph, *, weight: str | None = "weight"
) -> dict[Any, tuple[float, float]]:
    """(constraint, effective size) of each node with ties; isolated nodes are left out."""
    w = {
        i: {j: float(d.get(weight, 1) if weight else 1) for j, d in G[i].items() if j != i}
        for i in G
    }
    p = {}
    m = {}
    for i, ties in w.items():
        total, top = sum(ties.values()), max(ties.values(), default=0.0)
        p[i] = {j: x / total for j, x in ties.items()} if total else {}
        m[i] = {j: x / top for j, x in ties.items()} if top else {}
    out = {}
    for i, pi in p.items():
        if not pi:
            continue
        constraint = effective = 0.0
        for j, pij in pi.items():
            pj = p[j]
            common = pi.keys() & pj.keys()
            constraint += (pij + sum(pi[q] * p[q][j] for q in common)) ** 2
            effective += 1 - sum(pi[q] * m[j][q] for q in common)
        out[i] = (constraint, effective)
    return out


def brokerage_roles(G: nx.Graph, group_of: Mapping[Any, Any]) -> dict[Any, dict[str, int] | None]:
    """Gould–Fernandez role counts of each node (None when the node has no group).

    Every pair of contacts is counted from the group sizes, then the pairs tied to each
    other are taken off, counted per contact with set operations (each pair seen twice).
    """
    out: dict[Any, dict[str, int] | None] = {}
    adjacent = {v: set(G[v]) for v in G}
    for b in G:
        gb = group_of.get(b)
        if gb is None:
            out[b] = None
            continue
        contacts = {a for a in adjacent[b] if a != b and group_of.get(a) is not None}
        by_group: dict[Any, set[Any]] = {}
        for a in contacts:
            by_group.setdefault(group_of[a], set()).add(a)
        roles = _pair_roles(Counter({g: len(m) for g, m in by_group.items()}), gb)
        own = by_group.get(gb, set())
        closed = dict.fromkeys(ROLES, 0)
        for a in contacts:
            tied = adjacent[a] & contacts
            if not tied:
                continue
            ga, n_own = group_of[a], len(tied & own)
            if ga == gb:
                closed["coordinator"] += n_own
                closed["gatekeeper"] += len(tied) - n_own
            else:
                n_same = len(tied & by_group[ga])
                closed["itinerant"] += n_same
                closed["gatekeeper"] += n_own
                closed["liaison"] += len(tied) - n_same - n_own
        out[b] = {r: roles[r] - closed[r] // 2 for r in ROLES}
    return out


def _pair_roles(counts: Counter[Any], gb: Any) -> dict[str, int]:
    """Role counts over every unordered pair of contacts, from the group sizes alone."""
    k = sum(counts.values())
    own = counts.get(gb, 0)
    other = k - own
    same_other = sum(n * (n - 1) // 2 for g, n in counts.items() if g != gb)
    squares = sum(n * n for g, n in counts.items() if g != gb)
    return {
        "coordinator": own * (own - 1) // 2,
        "itinerant": same_other,
        "gatekeeper": own * other,
        "liaison": (other * other - squares) // 2,
    }
