"""Resilience: what would be lost if one organisation or centre closed.

Two losses, both "in the loaded data":
- coverage: the municipalities left with no provider of a service (at any tier) — the
  closing node was their only one; closing an organisation also closes the centres it
  operates (OPERATES), since the place cannot run without its operator;
- network: the organisations and centres of the collaboration network cut off from every
  provider of employment support (or of consultation) when the node itself is removed —
  computed for all nodes at once on the block-cut tree (articulation points are where the
  network splits).
Rows are ranked by the people affected: the population of the municipalities that lose a
service, then by the organisations cut off. Stated centres (name not loaded) and the
national layer's 自立相談支援 windows (every municipality must run one, 生活困窮者自立支援法)
count as providers but are never the one that closes (docs/coverage.md). With
`specialised`, only hikikomori-specialised providers count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.graph.store import GraphStore
from tsunagari.loaders.national import FIXED_PREFIXES
from tsunagari.model import SERVICES
from tsunagari.queries.coverage import Link, coverage_links, estimate, municipalities, roll_up
from tsunagari.queries.network import collaboration_graph, node_id, stated_nodes

CANDIDATES = ("Organization", "SupportCenter")
SUPPORT = {  # a node provides this when its services list it or its kind is one of these
    "employment_support": {"saposute", "hello_work", "employment_center"},
    "consultation": {"consultation_window", "regional_center"},
}
_PROVIDER_LABELS = ("Organization", "SupportCenter", "Project")


def provides(data: dict[str, Any], service: str) -> bool:
    """Whether a network node (its attributes) provides `service` (SUPPORT, above)."""
    if data.get("label") not in _PROVIDER_LABELS:
        return False
    return service in (data.get("services") or ()) or data.get("kind") in SUPPORT[service]


@dataclass(frozen=True)
class _Piece:
    org: int
    prov: int


def cut_off_counts(G: nx.Graph, service: str) -> dict[str, int]:
    """Organisations and centres that lose every path to a provider of `service` without v.

    For each node v: the pieces its component falls into without v (one piece unless v is
    an articulation point); a piece with no provider left whose component had one counts
    its organisations and centres. Linear in the graph, via the block-cut tree.
    """
    org = {v: int(d.get("label") in CANDIDATES) for v, d in G.nodes(data=True)}
    prov = {v: int(provides(d, service)) for v, d in G.nodes(data=True)}
    out = dict.fromkeys(G, 0)
    cut_points = set(nx.articulation_points(G))
    for comp in nx.connected_components(G):
        total = _Piece(sum(org[v] for v in comp), sum(prov[v] for v in comp))
        if total.prov == 0 or len(comp) < 2:
            continue
        H = G.subgraph(comp)
        for v in comp:
            if v not in cut_points:
                rest = _Piece(total.org - org[v], total.prov - prov[v])
                out[v] = rest.org if rest.prov == 0 else 0
        for v, pieces in _pieces_at_cut_points(H, cut_points & comp, org, prov, total).items():
            out[v] = sum(p.org for p in pieces if p.prov == 0)
    return out


def _pieces_at_cut_points(
    H: nx.Graph,
    cut_points: set[str],
    org: dict[str, int],
    prov: dict[str, int],
    total: _Piece,
) -> dict[str, list[_Piece]]:
    """For each articulation point of a connected graph: the pieces left without it."""
    blocks = [set(b) for b in nx.biconnected_components(H)]
    tree = nx.Graph()
    weight: dict[Any, list[int]] = {}
    for i, b in enumerate(blocks):
        weight[("B", i)] = [0, 0]
        for v in b:
            if v in cut_points:
                tree.add_edge(("B", i), ("A", v))
            else:
                weight[("B", i)][0] += org[v]
                weight[("B", i)][1] += prov[v]
        tree.add_node(("B", i))
    for v in cut_points:
        weight[("A", v)] = [org[v], prov[v]]
    root: Any = ("B", 0)
    parent: dict[Any, Any] = {root: None}
    order: list[Any] = [root]
    for x in order:  # breadth-first: parents before children
        for y in tree[x]:
            if y not in parent:
                parent[y] = x
                order.append(y)
    sub = {x: list(weight[x]) for x in order}
    for x in reversed(order):
        if parent[x] is not None:
            sub[parent[x]][0] += sub[x][0]
            sub[parent[x]][1] += sub[x][1]
    out: dict[str, list[_Piece]] = {}
    for v in cut_points:
        a = ("A", v)
        pieces = [_Piece(*sub[c]) for c in tree[a] if c != parent[a]]
        above = _Piece(total.org - sub[a][0], total.prov - sub[a][1])
        out[v] = [*pieces, above]
    return out


def resilience_table(
    store: GraphStore,
    *,
    prefecture: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
    top: int | None = None,
    specialised: bool = False,
    since: str | None = None,
    links: Sequence[Link] | None = None,
    graph: nx.Graph | None = None,
) -> list[dict[str, Any]]:
    """One row per organisation or centre whose closing loses something, and per
    articulation point of the collaboration network; ranked by people affected.

    `links` (the coverage links of these options) and `graph` (the collaboration network of
    the prefecture, which is changed) are passed by a caller that has read them already."""
    towns = municipalities(store, prefecture=prefecture)
    parent = {m["code"]: m["parent_code"] for m in towns if m["parent_code"]}
    info = {m["code"]: m for m in towns}
    if links is None:
        links = coverage_links(store, prefecture=prefecture, specialised=specialised, since=since)
    by_key = roll_up(links, parent)
    G = graph if graph is not None else collaboration_graph(store, prefecture=prefecture)
    operated: dict[str, set[str]] = defaultdict(set)  # organisation → centres it operates
    for u, v, types in G.edges(data="types"):
        if "OPERATES" in types:
            o, c = (u, v) if G.nodes[u]["label"] == "Organization" else (v, u)
            operated[o].add(c)
    operators: dict[str, set[str]] = defaultdict(set)
    for o, cs in operated.items():
        for c in cs:
            operators[c].add(o)

    names: dict[str, tuple[str, str, str | None]] = {}  # node → (label, name, kind)
    lost: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (code, service), links in by_key.items():
        providers = {node_id(x.label, x.id) for x in links}
        for x in links:
            names.setdefault(node_id(x.label, x.id), (x.label, x.name, None))
        for closing in _closers(providers, operators):
            if closing.split(":", 1)[-1].startswith(FIXED_PREFIXES):
                continue
            if providers <= {closing, *operated.get(closing, ())}:
                lost[closing].add((code, service))

    employment = cut_off_counts(G, "employment_support")
    consultation = cut_off_counts(G, "consultation")
    cut_points = set(nx.articulation_points(G))
    candidates = set(lost) | cut_points
    candidates -= stated_nodes(store)  # stated, name not loaded: never ranked (DESIGN)
    candidates |= {
        v for v in G if G.nodes[v]["label"] in CANDIDATES and (employment[v] or consultation[v])
    }
    rows: list[dict[str, Any]] = []
    for v in candidates:
        data = G.nodes[v] if v in G else {}
        label, name, kind = names.get(v, (data.get("label"), data.get("name"), None))
        label = data.get("label", label)
        if label not in CANDIDATES and v not in cut_points:
            continue
        if v.split(":", 1)[-1].startswith(FIXED_PREFIXES):
            continue
        towns_lost = sorted({code for code, _ in lost.get(v, ())})
        people = sum(info[c]["population"] or 0 for c in towns_lost)
        rows.append(
            {
                "rank": 0,
                "node": v,
                "name": data.get("name", name),
                "label": label,
                "kind": data.get("kind", kind),
                "articulation_point": v in cut_points,
                "municipalities_losing": len(towns_lost),
                "lost": [
                    f"{info[c]['name']}:{s}"
                    for c, s in sorted(
                        lost.get(v, ()), key=lambda cs: (cs[0], SERVICES.index(cs[1]))
                    )
                ],
                "people_affected": people,
                "estimated": estimate(people, prevalence),
                "cut_off_employment": employment.get(v, 0),
                "cut_off_consultation": consultation.get(v, 0),
                "operates": sorted(G.nodes[c].get("name") or c for c in operated.get(v, ())),
            }
        )
    rows.sort(
        key=lambda r: (
            -r["people_affected"],
            -(r["cut_off_employment"] + r["cut_off_consultation"]),
            -r["municipalities_losing"],
            not r["articulation_point"],
            r["name"] or "",
            r["node"],
        )
    )
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows[:top] if top else rows


def _closers(providers: set[str], operators: dict[str, set[str]]) -> set[str]:
    """Nodes whose closing could take every one of `providers` with it."""
    if len(providers) == 1:
        (only,) = providers
        return {only, *operators.get(only, ())}
    shared = set.intersection(*(operators.get(p, set()) | {p} for p in providers))
    return shared


RESILIENCE_COLUMNS = (
    "rank",
    "name",
    "label",
    "kind",
    "articulation_point",
    "municipalities_losing",
    "lost",
    "people_affected",
    "estimated",
    "cut_off_employment",
    "cut_off_consultation",
    "operates",
    "node",
)
