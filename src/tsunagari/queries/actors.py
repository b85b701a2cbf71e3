"""The collaboration network as arrays in one canonical order, and its actor projection.

What `hubs` measures, read by columns straight from the store (no networkx graph: at
200k nodes and 1M edges building one took most of the call) or taken from a networkx
graph; the same nodes, attributes and ties either way, in an order that depends on the
ids alone, never on the order the store returns its rows in.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from tsunagari.graph.store import GraphStore
from tsunagari.model import EDGES
from tsunagari.queries.network import (
    COLLABORATION,
    edge_columns,
    is_stated,
    paused_gc,
    read_nodes,
)
from tsunagari.queries.structural import Ties, canonical, ties_of


@dataclass(frozen=True, eq=False)
class Network:
    """Nodes (sorted by id) with their attributes, and ties each once (`Ties`); per tie,
    the services of the projects that make it (`services`, the actor projection only)."""

    ties: Ties
    data: Sequence[Mapping[str, Any]]
    services: list[list[str]] | None = None


def network_of(G: nx.Graph, *, weight: str | None = "weight") -> Network:
    """`G` as a `Network`: each tie's `weight` (1 without) and `services` kept."""
    t = ties_of(G, weight=weight)
    data = [G.nodes[v] for v in t.nodes]
    services = [list(G.edges[t.nodes[u], t.nodes[v]].get("services") or ()) for u, v in t.pairs()]
    return Network(t, data, services if any(services) else None)


def read_network(store: GraphStore, *, prefecture: str | None = None) -> Network:
    """The collaboration network (network.collaboration_graph: the same nodes with the same
    attributes and the same ties), read by columns."""
    read_columns = getattr(store, "columns", None)  # the embedded store's bulk read
    with paused_gc():
        offsets: dict[str, list[int]] | None = {} if read_columns is not None else None
        nodes = read_nodes(store, COLLABORATION, offsets=offsets)
        read = list(nodes)  # label by label, each in the order read
        rank = np.empty(len(read), dtype=np.int64)
        rank[np.argsort(np.array(read, dtype=object))] = np.arange(len(read))
        ids = [read[i] for i in np.argsort(rank).tolist()]
        ends: list[np.ndarray] = []
        if read_columns is not None and offsets is not None:
            number = _by_offset(offsets, rank)
            for etype in COLLABORATION:
                for x, y in EDGES[etype].endpoints:
                    cols = read_columns(
                        f"MATCH (s:{x})-[e:{etype}]->(t:{y}) "
                        "RETURN offset(id(s)) AS s, offset(id(t)) AS t"
                    )
                    at_s, at_t = (np.asarray(cols[c], dtype=np.int64) for c in ("s", "t"))
                    ends += [number[x][at_s], number[y][at_t]]
        else:
            by_key = _by_key(ids, nodes)
            for etype in COLLABORATION:
                for x, y in EDGES[etype].endpoints:
                    cols = edge_columns(store, etype, x, y)
                    ends += [by_key(x, cols["s"]), by_key(y, cols["t"])]
        n = len(ids)
        u = np.concatenate(ends[0::2]) if ends else np.zeros(0, dtype=np.int64)
        v = np.concatenate(ends[1::2]) if ends else np.zeros(0, dtype=np.int64)
        pair = np.unique(np.minimum(u, v) * n + np.maximum(u, v))  # either direction, once
        a, b = pair // n, pair % n
        data = [nodes[x] for x in ids]
        keep = np.zeros(n, dtype=bool)
        keep[a] = keep[b] = True  # only the nodes some tie joins
        if prefecture:
            keep = _in_prefecture(data, a, b, keep, prefecture)
            a, b = _among(keep, a, b)
        keep, a, b = _without_stated(data, a, b, keep)
        return _subset(ids, data, keep, a, b, np.ones(len(a)))


def _by_offset(offsets: Mapping[str, list[int]], rank: np.ndarray) -> dict[str, np.ndarray]:
    """label → an array from the engine's offset of a node to its position in id order
    (`rank`: the position of each node read, labels in `offsets`' order)."""
    out: dict[str, np.ndarray] = {}
    start = 0
    for label, found in offsets.items():
        at = np.asarray(found, dtype=np.int64)
        lookup = np.full(int(at.max()) + 1 if at.size else 0, -1, dtype=np.int64)
        lookup[at] = rank[start : start + at.size]
        out[label] = lookup
        start += at.size
    return out


def _by_key(
    ids: list[str], nodes: Mapping[str, Mapping[str, Any]]
) -> Callable[[str, list[str]], np.ndarray]:
    """A lookup from (label, keys) to the keys' positions in `ids`, by hash in bulk."""
    by_label: dict[str, tuple[list[str], list[int]]] = {}
    for i, v in enumerate(ids):
        keys, at = by_label.setdefault(nodes[v]["label"], ([], []))
        keys.append(nodes[v]["key"])
        at.append(i)
    index = {label: (pd.Index(keys), np.array(at)) for label, (keys, at) in by_label.items()}

    def number(label: str, keys: list[str]) -> np.ndarray:
        if not keys:
            return np.zeros(0, dtype=np.int64)
        known, at = index[label]
        return np.asarray(at[known.get_indexer(keys)], dtype=np.int64)

    return number


def _among(keep: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    both = keep[a] & keep[b]
    return a[both], b[both]


def _in_prefecture(
    data: Sequence[Mapping[str, Any]], a: np.ndarray, b: np.ndarray, keep: np.ndarray, pref: str
) -> np.ndarray:
    """network.prefecture_scope: the nodes anchored in `pref`, with their neighbours
    anchored nowhere."""
    inside = keep & np.array([pref in d["prefectures"] for d in data], dtype=bool)
    nowhere = keep & np.array([not d["prefectures"] for d in data], dtype=bool)
    near = np.zeros(len(data), dtype=bool)
    near[b[inside[a]]] = True
    near[a[inside[b]]] = True
    return inside | (nowhere & near)


def _without_stated(
    data: Sequence[Mapping[str, Any]], a: np.ndarray, b: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """network.drop_stated: stated nodes out, and the nodes only they were tied to."""
    stated = keep & np.array([is_stated(d) for d in data], dtype=bool)
    if not stated.any():
        return keep, a, b
    touched = stated[a] | stated[b]
    lonely = np.zeros(len(data), dtype=bool)
    lonely[a[touched]] = lonely[b[touched]] = True
    a, b = a[~touched], b[~touched]
    tied = np.zeros(len(data), dtype=bool)
    tied[a] = tied[b] = True
    return keep & ~stated & ~(lonely & ~tied), a, b


def _subset(
    ids: list[str],
    data: Sequence[Mapping[str, Any]],
    keep: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    weight: np.ndarray,
    services: list[list[str]] | None = None,
) -> Network:
    """The kept nodes (still in id order) and the ties (vertex numbers into `ids`)."""
    number = np.cumsum(keep) - 1
    kept = np.flatnonzero(keep).tolist()
    order, t = canonical([ids[i] for i in kept], number[a], number[b], weight)
    listed = [services[k] for k in order.tolist()] if services is not None else None
    return Network(t, [data[i] for i in kept], listed)


def actor_network(net: Network) -> Network:
    """The bodies that act, with each funded project turned into ties among its participants.

    A bipartite projection: two participants of one project are tied; the tie's weight
    counts the projects they share, plus one when they are also tied directly (a stated
    partnership, commission, membership ...); its services are the projects' services. A
    project with one participant gives no tie; a body left with no tie is left out.
    """
    t = net.ties
    n = len(t.nodes)
    project = np.array([d.get("label") == "Project" for d in net.data], dtype=bool)
    direct = ~project[t.a] & ~project[t.b]
    a, b = [t.a[direct]], [t.b[direct]]
    # each project's participants, in id order: all the pairs of them
    joins = project[t.a] != project[t.b]
    p = np.where(project[t.a], t.a, t.b)[joins]
    x = np.where(project[t.a], t.b, t.a)[joins]
    order = np.lexsort((x, p))
    p, x = p[order].tolist(), x[order].tolist()
    shared: dict[tuple[int, int], set[str]] = {}
    for q, group in itertools.groupby(range(len(p)), key=p.__getitem__):
        members = [x[i] for i in group]
        if len(members) < 2:
            continue
        pairs = np.array(list(itertools.combinations(members, 2)), dtype=np.int64)
        a.append(pairs[:, 0])
        b.append(pairs[:, 1])
        services = net.data[q].get("services") or ()
        for i, j in pairs.tolist():
            shared.setdefault((i, j), set()).update(services)
    key = np.concatenate(a) * n + np.concatenate(b)
    pair, count = np.unique(key, return_counts=True)  # one per shared project or direct tie
    u, v = pair // n, pair % n
    ends = zip(u.tolist(), v.tolist(), strict=True)
    tie_services = [sorted(shared.get(end, ())) for end in ends]
    keep = np.zeros(n, dtype=bool)
    keep[u] = keep[v] = True
    return _subset(
        t.nodes, net.data, keep, u, v, count.astype(float), tie_services if shared else None
    )
