"""Read the graph (only the edge types a question needs) from the store into networkx."""

from __future__ import annotations

import gc
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx

from tsunagari.graph.store import GraphStore
from tsunagari.model import EDGES, INT, NODES, STRING
from tsunagari.queries import load_query

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

# `stated`: a fact stated in aggregate ("every prefecture has a centre"), name not loaded;
# read where the model has it, and kept out of every network metric (DESIGN: stated vs named)
_NODE_PROPS = (
    "name",
    "kind",
    "services",
    "prefecture_code",
    "population",
    "alternate_names",
    "stated",
)


def node_id(label: str, key: str) -> str:
    """The networkx node of a graph node: `Label:key` (readable, JSON-safe, unique)."""
    return f"{label}:{key}"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Cyclic garbage collection paused while a graph's hundreds of thousands of dicts are
    made: each full pass rescans them all, and none is garbage yet (halves the CPU time of
    reading and projecting the 158k-node, 499k-tie benchmark network)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    Tables are read as columns and the graph built in one pass (row by row, `add_edge`
    took 11.7 s of the 200k-node benchmark).
    """
    with paused_gc():
        return _graph_from_store(store, tuple(edge_types), prefecture=prefecture, multi=multi)


def _graph_from_store(
    store: GraphStore, types: tuple[str, ...], *, prefecture: str | None, multi: bool
) -> nx.Graph | nx.MultiDiGraph:
    unknown = [t for t in types if t not in EDGES]
    if unknown:
        raise ValueError(f"no edge types {unknown} in the model")
    nodes = read_nodes(store, types)
    edges = _edges(store, types, multi=multi)
    used = {x for u, v, _ in edges for x in (u, v)}
    G: nx.Graph | nx.MultiDiGraph = nx.MultiDiGraph() if multi else nx.Graph()
    G.add_nodes_from((v, d) for v, d in nodes.items() if v in used)
    G.add_edges_from(edges)
    if prefecture:
        G = prefecture_scope(G, prefecture)
    log.info(
        "network of %s (%s): %d nodes, %d edges",
        f"prefecture {prefecture}" if prefecture else "all prefectures",
        ",".join(types),
        len(G),
        G.number_of_edges(),
    )
    return G


def read_nodes(
    store: GraphStore, types: Iterable[str], *, offsets: dict[str, list[int]] | None = None
) -> dict[str, dict[str, Any]]:
    """Every node of the labels `types` join, by id (`Label:key`), with label, key, name,
    kind, services, population, alternate names, stated (where the label has them) and
    prefectures (see node_prefectures.cypher); label by label, each in the order read.
    `offsets` (the embedded store only) is filled with each label's engine offsets, in the
    same order: edges read as offsets come without their keys (7× faster at 155k edges)."""
    labels = sorted({x for t in types for pair in EDGES[t].endpoints for x in pair})
    anchors = _anchors(store)
    nodes: dict[str, dict[str, Any]] = {}
    for label in labels:
        t = NODES[label]
        props = {p.name: p.type for p in t.all_props if p.name in _NODE_PROPS}
        fields = [p for p in _NODE_PROPS if p in props]
        cypher = f"MATCH (n:{label}) RETURN n.{t.key} AS key, " + ", ".join(
            f"n.{p} AS {p}" for p in fields
        )
        wanted = {"key": STRING, **{p: props[p] for p in fields}}
        if offsets is not None:
            cypher += ", offset(id(n)) AS offset"
            wanted["offset"] = INT
        cols = columns(store, cypher, wanted)
        if offsets is not None:
            offsets[label] = cols.pop("offset")
        keys = cols.pop("key")
        codes = cols.pop("prefecture_code", None)
        prefs: list[tuple[str, ...]]
        if label == "Prefecture":
            prefs = [(key,) for key in keys]
        elif label == "Municipality" and codes:
            prefs = [(code,) if code else () for code in codes]
        else:
            mine = anchors.get(label, {})
            prefs = [mine.get(key, ()) for key in keys]
        names = list(cols)
        for key, where, *values in zip(keys, prefs, *cols.values(), strict=True):
            attrs = {"label": label, "key": key, "prefectures": where}
            attrs.update(zip(names, values, strict=True))
            nodes[node_id(label, key)] = attrs
    return nodes


def _edges(
    store: GraphStore, types: tuple[str, ...], *, multi: bool
) -> list[tuple[str, str, dict[str, Any]]]:
    """Every edge of `types` as (u, v, attributes), in the order read: with `multi` each
    with its type and properties; else one per pair of nodes, either direction, with the
    sorted `types` that tie them (in the direction first read)."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    pairs: dict[tuple[str, str], set[str]] = {}
    for etype in types:
        e = EDGES[etype]
        own = {p.name: p.type for p in e.props} if multi else {}
        for a, b in e.endpoints:
            cols = edge_columns(store, etype, a, b, own)
            us = [node_id(a, k) for k in cols.pop("s")]
            vs = [node_id(b, k) for k in cols.pop("t")]
            if multi:
                values = list(zip(*cols.values(), strict=True)) if cols else [()] * len(us)
                out.extend(
                    (u, v, {"type": etype, **dict(zip(cols, row, strict=True))})
                    for u, v, row in zip(us, vs, values, strict=True)
                )
                continue
            for u, v in zip(us, vs, strict=True):
                tied = pairs.get((u, v)) or pairs.get((v, u))
                if tied is None:
                    pairs[u, v] = {etype}
                else:
                    tied.add(etype)
    if not multi:
        out = [(u, v, {"types": sorted(tied)}) for (u, v), tied in pairs.items()]
    return out


def edge_columns(
    store: GraphStore, etype: str, a: str, b: str, own: Mapping[str, str] | None = None
) -> dict[str, list[Any]]:
    """The `etype` edges from label `a` to label `b`: keys of their ends (s, t) and the
    properties `own` (name → model type)."""
    ret = "".join(f", e.{p} AS {p}" for p in own or {})
    cypher = (
        f"MATCH (x:{a})-[e:{etype}]->(y:{b}) "
        f"RETURN x.{NODES[a].key} AS s, y.{NODES[b].key} AS t{ret}"
    )
    return columns(store, cypher, {"s": STRING, "t": STRING, **(own or {})})


def columns(store: GraphStore, cypher: str, types: Mapping[str, str]) -> dict[str, list[Any]]:
    """The rows of `cypher` as one list per column of `types` (name → model type), null as
    None, exactly as `store.run` gives them. The embedded store reads them by columns (see
    LadybugStore.columns); any other store gives its rows."""
    read = getattr(store, "columns", None)
    if read is None:
        rows = store.run(cypher)
        return {c: [r[c] for r in rows] for c in types}
    cols = read(cypher)
    return {c: cols[c] for c in types}


def _anchors(store: GraphStore) -> dict[str, dict[str, tuple[str, ...]]]:
    """label → key → the prefectures the node works in (sorted, each once)."""
    cols = columns(
        store,
        load_query("node_prefectures").text,
        {"label": STRING, "key": STRING, "prefecture": STRING},
    )
    found: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for label, key, pref in zip(cols["label"], cols["key"], cols["prefecture"], strict=True):
        if pref:
            by_key = found[label]
            prefs = by_key.get(key)
            if prefs is None:
                by_key[key] = {pref}
            else:
                prefs.add(pref)
    return {
        label: {key: tuple(sorted(prefs)) for key, prefs in by_key.items()}
        for label, by_key in found.items()
    }


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


def is_stated(data: Mapping[str, Any]) -> bool:
    """A node that stands for a stated fact, not a named body (never ranked in metrics)."""
    return data.get("stated") is True


def collaboration_graph(store: GraphStore, *, prefecture: str | None = None) -> nx.Graph:
    """The undirected collaboration network (COLLABORATION edge types) for metrics: stated,
    unnamed nodes left out, and so are the nodes that only they tied in."""
    G = graph_from_store(store, edge_types=COLLABORATION, prefecture=prefecture)
    assert isinstance(G, nx.Graph)
    return drop_stated(G)


def drop_stated(G: nx.Graph) -> nx.Graph:
    """`G` without its stated nodes, and without the nodes only they were tied to."""
    stated = [v for v, d in G.nodes(data=True) if is_stated(d)]
    if stated:
        lonely = {u for v in stated for u in G[v]}
        G.remove_nodes_from(stated)
        G.remove_nodes_from([v for v in lonely if v in G and G.degree(v) == 0])
    return G


def stated_nodes(store: GraphStore) -> set[str]:
    """Every node marked `stated = true`, for the labels whose schema has that property."""
    out: set[str] = set()
    for label, t in NODES.items():
        if "stated" in {p.name for p in t.all_props}:
            rows = store.run(f"MATCH (n:{label}) WHERE n.stated = true RETURN n.{t.key} AS key")
            out.update(node_id(label, r["key"]) for r in rows)
    return out


def find_node(G: nx.Graph | nx.MultiDiGraph, text: str) -> str:
    """The node `text` names: its id (`Label:key`), key, name or alternate name — exactly,
    then after NFKC and dropping spaces, then as the one node whose name contains it.
    Several matches raise an error that lists them with their ids."""
    from tsunagari.errors import QueryError

    def norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).replace(" ", "").casefold()

    query = text.strip()
    if query in G:
        return query
    names = {
        v: [str(d.get("key") or ""), str(d.get("name") or ""), *(d.get("alternate_names") or ())]
        for v, d in G.nodes(data=True)
    }
    for same in (lambda s: s == query, lambda s: norm(s) == norm(query)):
        found = sorted(v for v, ns in names.items() if any(n and same(n) for n in ns))
        if found:
            break
    else:
        found = sorted(v for v, ns in names.items() if any(norm(query) in norm(n) for n in ns))
    if len(found) == 1:
        return found[0]
    if not found:
        raise QueryError(
            f"no node named {text!r} in the network; give its id, name or alternate name"
        )
    listed = ", ".join(f"{G.nodes[v].get('name')} ({v})" for v in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    raise QueryError(f"{text!r} names {len(found)} nodes: {listed}{more}; give the id")


def ego_network(G: nx.MultiDiGraph, centre: str, *, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within `depth` ties of `centre` (either direction) and every tie among them."""
    near, frontier = {centre}, [centre]
    for _ in range(depth):
        frontier = list(dict.fromkeys(u for v in frontier for u in nx.all_neighbors(G, v)))
        frontier = [u for u in frontier if u not in near]
        near.update(frontier)
    return nx.MultiDiGraph(G.subgraph(near))
