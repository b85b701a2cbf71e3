"""Read the graph (only the edge types a question needs) from the store into networkx."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from tsunagari.graph.store import GraphStore
from tsunagari.model import EDGES, NODES
from tsunagari.queries import run_query

log = logging.getLogger(__name__)

# Who works with whom: the ties of the collaboration network (hubs, resilience, the view).
# RUNS and SECRETARIAT_OF join PARTNERS_IN and MEMBER_OF so that a wide-area project's lead
# and a platform's secretariat are tied to the partners and members they work with.
COLLABORATION = (
    "PARTNERS_WITH",
    "REFERS_TO",
    "COMMISSIONS",
    "MEMBER_OF",
    "SECRETARIAT_OF",
    "OPERATES",
    "PARTNERS_IN",
    "RUNS",
)

_NODE_PROPS = ("name", "kind", "services", "prefecture_code", "population")


def node_id(label: str, key: str) -> str:
    """The networkx node of a graph node: `Label:key` (readable, JSON-safe, unique)."""
    return f"{label}:{key}"


def graph_from_store(
    store: GraphStore,
    *,
    edge_types: Iterable[str],
    prefecture: str | None = None,
    multi: bool = False,
) -> nx.Graph | nx.MultiDiGraph:
    """The nodes and edges of `edge_types`, read per table (one query per endpoint pair).

    Nodes are `Label:key` with label, key, name, kind, services and prefectures (the
    prefectures a node works in, see node_prefectures.cypher). `multi=False` gives the
    undirected simple graph metrics run on (edge attribute `types`); `multi=True` keeps
    every edge with its direction, type and properties. With `prefecture` (a 6-digit code)
    only nodes anchored in that prefecture are kept, with their neighbours anchored nowhere.
    """
    types = tuple(edge_types)
    unknown = [t for t in types if t not in EDGES]
    if unknown:
        raise ValueError(f"no edge types {unknown} in the model")
    labels = sorted({x for t in types for pair in EDGES[t].endpoints for x in pair})
    G: nx.Graph | nx.MultiDiGraph = nx.MultiDiGraph() if multi else nx.Graph()
    anchors = _anchors(store)
    for label in labels:
        t = NODES[label]
        have = {p.name for p in t.all_props}
        cols = ", ".join(f"n.{p} AS {p}" for p in _NODE_PROPS if p in have)
        for row in store.run(f"MATCH (n:{label}) RETURN n.{t.key} AS key, {cols}"):
            key = row.pop("key")
            nid = node_id(label, key)
            if label == "Prefecture":
                prefs: tuple[str, ...] = (key,)
            elif label == "Municipality":
                prefs = (row["prefecture_code"],) if row.get("prefecture_code") else ()
            else:
                prefs = tuple(sorted(anchors.get(nid, ())))
            row.pop("prefecture_code", None)
            G.add_node(nid, label=label, key=key, prefectures=prefs, **row)
    used: set[str] = set()
    for etype in types:
        e = EDGES[etype]
        own = [p.name for p in e.props] if multi else []
        ret = "".join(f", e.{p} AS {p}" for p in own)
        for a, b in e.endpoints:
            cypher = (
                f"MATCH (x:{a})-[e:{etype}]->(y:{b}) "
                f"RETURN x.{NODES[a].key} AS s, y.{NODES[b].key} AS t{ret}"
            )
            for row in store.run(cypher):
                u, v = node_id(a, row.pop("s")), node_id(b, row.pop("t"))
                used.update((u, v))
                if isinstance(G, nx.MultiDiGraph):
                    G.add_edge(u, v, type=etype, **row)
                elif G.has_edge(u, v):
                    G.edges[u, v]["types"].add(etype)
                else:
                    G.add_edge(u, v, types={etype})
    G.remove_nodes_from([n for n in list(G) if n not in used])
    if not multi:
        for _, _, data in G.edges(data=True):
            data["types"] = sorted(data["types"])
    if prefecture:
        G = prefecture_scope(G, prefecture)
    log.info("network %s: %d nodes, %d edges", ",".join(types), len(G), G.number_of_edges())
    return G


def _anchors(store: GraphStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for row in run_query(store, "node_prefectures"):
        if row["prefecture"]:
            out[node_id(row["label"], row["key"])].add(row["prefecture"])
    return out


def prefecture_scope(G: Any, prefecture: str) -> Any:
    """The nodes anchored in `prefecture` (a 6-digit code), with their neighbours anchored
    nowhere: what graph_from_store(prefecture=…) keeps, taken from a graph read already."""
    inside = {n for n, prefs in G.nodes(data="prefectures") if prefecture in prefs}
    nowhere = {
        n
        for n, prefs in G.nodes(data="prefectures")
        if not prefs and any(m in inside for m in nx.all_neighbors(G, n))
    }
    return G.subgraph(inside | nowhere).copy()


def collaboration_graph(store: GraphStore, *, prefecture: str | None = None) -> nx.Graph:
    """The undirected collaboration network (COLLABORATION edge types) for metrics and views."""
    G = graph_from_store(store, edge_types=COLLABORATION, prefecture=prefecture)
    assert isinstance(G, nx.Graph)
    return G
