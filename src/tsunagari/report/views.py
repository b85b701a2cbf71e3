"""What the pages show, read from the store: one scope of the network, the map's towns."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.graph.store import GraphStore
from tsunagari.model import EDGES, NODES, SERVICES
from tsunagari.queries import run_query
from tsunagari.queries.coverage import (
    TIERS,
    Link,
    coverage_by_question,
    coverage_links,
    municipalities,
)
from tsunagari.queries.hubs import betweenness
from tsunagari.queries.network import (
    COLLABORATION,
    ego_network,
    find_node,
    graph_from_store,
    node_id,
    prefecture_scope,
)
from tsunagari.queries.places import Place
from tsunagari.queries.resources import Catalogue, first_label, read_catalogue, served_codes
from tsunagari.viz import network as network_view
from tsunagari.viz.map import MapData, MapTown
from tsunagari.viz.network import FAMILY_OF, NetworkData
from tsunagari.viz.text import t

Progress = Callable[[str, int, int], None]
VIEW_EDGES = (*COLLABORATION, "FUNDS")  # the network view: who works with whom, and money
TOWN_EDGES = ("COVERS", "LOCATED_IN")  # a town's view adds who serves it


def source_titles(store: GraphStore) -> dict[str, str]:
    return {r["id"]: r["title"] or r["id"] for r in run_query(store, "loaded_sources")}


def network_data(
    store: GraphStore,
    *,
    prefecture: Place | None = None,
    municipality: Place | None = None,
    around: str | None = None,
    depth: int = 1,
    types: Sequence[str] | None = None,
    country: nx.MultiDiGraph | None = None,
    sources: Mapping[str, str] | None = None,
    lang: str = "ja",
    annotate: bool | None = None,
) -> NetworkData:
    """The nodes and ties of one scope: the country, a prefecture, one town's providers with
    their direct partners, or the ties within `depth` of one node (`around`: its id, name or
    alternate name); only the tie `types` asked for (default VIEW_EDGES, and TOWN_EDGES for a
    town); sized by betweenness within the scope.

    Sources and centrality are attached when the scope fits a view (or `annotate=True`,
    for exports that are not drawn here). `country` (the graph of the country view, read
    already, with attach_provenance done) saves reading the store again for each prefecture
    of a report (the default tie types only), and `sources` (source titles by id, read
    already) asking for them again."""
    asked = VIEW_EDGES if types is None else tuple(types)
    view_types = tuple(x for x in asked if municipality is None or x not in TOWN_EDGES)
    pref = municipality.prefecture_code if municipality else prefecture.code if prefecture else None
    if country is not None and municipality is None and around is None and types is None:
        G = prefecture_scope(country, pref) if pref else country.copy()
    else:
        G = graph_from_store(store, edge_types=view_types, prefecture=pref, multi=True)
    assert isinstance(G, nx.MultiDiGraph)
    centre = None
    if around is not None:
        centre = find_node(G, around)
        G = ego_network(G, centre, depth=depth)
        name = G.nodes[centre].get("name") or centre
        title = t(lang, f"{name}の周りのつながり", f"Ties around {name}")
        scope = t(
            lang,
            f"{name}から{depth}段以内の主体と、その間の関係",
            f"everything within {depth} tie(s) of {name}, and the ties among them",
        )
    elif municipality is not None:
        town_types = tuple(x for x in TOWN_EDGES if types is None or x in types)
        G = _town_scope(store, G, municipality, town_types)
        title = t(
            lang, f"{municipality.name}の支援ネットワーク", f"Support network: {municipality.name}"
        )
        scope = t(
            lang,
            f"{municipality.name}を対象とする提供者と、その直接の連携先",
            f"providers serving {municipality.name} and their direct partners",
        )
    elif prefecture is not None:
        title = t(
            lang, f"{prefecture.name}の支援ネットワーク", f"Support network: {prefecture.name}"
        )
        scope = t(
            lang,
            f"{prefecture.name}で活動する団体・拠点・事業と、その連携先",
            f"organisations, centres and projects working in {prefecture.name}, and their partners",
        )
    else:
        title = t(lang, "全国の支援ネットワーク", "Support network: all of Japan")
        scope = t(lang, "読み込んだデータ全体", "all loaded data")
    if annotate or (annotate is None and len(G) <= network_view.NODE_LIMIT):
        # a larger view is refused or summed, not drawn
        if country is None:
            attach_provenance(store, G)
        _attach_centrality(G)
    return NetworkData(
        graph=G,
        title=title,
        scope=scope,
        sources=source_titles(store) if sources is None else sources,
        centre=centre,
    )


def _town_scope(
    store: GraphStore, G: nx.MultiDiGraph, town: Place, town_types: Sequence[str]
) -> nx.MultiDiGraph:
    towns = {m["code"]: m for m in municipalities(store, prefecture=town.prefecture_code)}
    parent = towns.get(town.code, {}).get("parent_code")
    codes = [town.code] + ([parent] if parent else [])
    links = coverage_links(store, codes=codes)
    seeds = {node_id("Municipality", c) for c in codes}
    seeds |= {node_id(x.label, x.id) for x in links}
    keep = {v for v in seeds if v in G}
    for v in list(keep):
        keep.update(nx.all_neighbors(G, v))
    H = nx.MultiDiGraph(G.subgraph(keep))
    reach = (
        graph_from_store(store, edge_types=town_types, prefecture=town.prefecture_code, multi=True)
        if town_types
        else nx.MultiDiGraph()
    )
    targets = {node_id("Municipality", c) for c in codes}
    for u, v, d in reach.edges(data=True):
        if v in targets and u in seeds:
            for x in (u, v):
                if x not in H:
                    H.add_node(x, **reach.nodes[x])
            H.add_edge(u, v, **d)
    for c in codes:  # the town itself, even when nothing reaches it
        x = node_id("Municipality", c)
        if x not in H:
            m = towns[c]
            H.add_node(x, label="Municipality", key=c, name=m["name"], kind=m["kind"])
    return H


def attach_provenance(store: GraphStore, G: nx.MultiDiGraph) -> None:
    """Each node's and edge's source and locator (labels and types from the schema only)."""
    by_label: dict[str, list[str]] = {}
    for _, d in G.nodes(data=True):
        by_label.setdefault(d["label"], []).append(d["key"])
    for label, keys in by_label.items():
        key = NODES[label].key
        rows = store.run(
            f"MATCH (n:{label}) WHERE n.{key} IN $keys "
            f"RETURN n.{key} AS key, n.source AS source, n.locator AS locator",
            {"keys": keys},
        )
        for r in rows:
            G.nodes[node_id(label, r["key"])].update(source=r["source"], locator=r["locator"])
    # one query per tie type, every pair of labels at once (a property a node's table lacks
    # reads as null); each pair's facts in the order of their source and locator
    for etype in sorted({d["type"] for _, _, d in G.edges(data=True)}):
        assert etype in EDGES
        rows = store.run(
            f"MATCH (x)-[e:{etype}]->(y) RETURN labels(x) AS a, coalesce(x.id, x.code) AS s, "
            "labels(y) AS b, coalesce(y.id, y.code) AS t, e.source AS source, "
            "e.locator AS locator ORDER BY source, locator"
        )
        found: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in rows:
            ends = (node_id(first_label(r["a"]), r["s"]), node_id(first_label(r["b"]), r["t"]))
            found.setdefault(ends, []).append(r)
        for (u, v), facts in found.items():
            if not G.has_edge(u, v):
                continue
            mine = [d for d in G.get_edge_data(u, v).values() if d["type"] == etype]
            for d, r in zip(mine, facts, strict=False):
                d.update(source=r["source"], locator=r["locator"])


def _attach_centrality(G: nx.MultiDiGraph) -> None:
    U = nx.Graph()  # in a fixed order, so the sums (and sizes) are the same every time
    U.add_nodes_from(sorted(G, key=str))
    U.add_edges_from(sorted((sorted((u, v), key=str) for u, v in G.edges() if u != v), key=str))
    values = betweenness(U).values if len(U) > 2 else dict.fromkeys(U, 0.0)
    top = max(values.values(), default=0.0) or 1.0
    for v, x in values.items():
        G.nodes[v]["centrality_value"] = x
        G.nodes[v]["centrality"] = x / top


def map_data(
    store: GraphStore,
    *,
    prefecture: Place | None = None,
    service: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
    specialised: bool = False,
    lang: str = "ja",
) -> MapData:
    """Every municipality (wards within their city) with its tier for each service; with
    `specialised`, for hikikomori-specialised support only."""
    pref = prefecture.code if prefecture else None
    rows, special = coverage_by_question(store, prefecture=pref, prevalence=prevalence)
    cat = read_catalogue(store, prefecture=pref)
    sources = run_query(store, "loaded_sources")
    data = map_from_rows(
        cat, rows, special, sources=sources, prefecture=prefecture, service=service, lang=lang
    )
    data.first_mode = data.modes.index("specialised") if specialised else 0
    return data


def map_from_rows(
    cat: Catalogue,
    rows: Iterable[dict[str, Any]],
    specialised: Iterable[dict[str, Any]] | None,
    *,
    sources: Iterable[Mapping[str, Any]] = (),
    prefecture: Place | None = None,
    service: str | None = None,
    href: str | None = None,
    lang: str = "ja",
) -> MapData:
    """The map of coverage rows (and specialised rows, when known); each town's providers
    at its best tier, with their source, from the catalogue."""
    modes = [("all", rows)] + ([("specialised", specialised)] if specialised is not None else [])
    tiers: dict[str, list[list[str]]] = defaultdict(list)
    towns: dict[str, dict[str, Any]] = {}
    for _, mode_rows in modes:
        per: dict[str, dict[str, str]] = defaultdict(dict)
        for r in mode_rows:
            per[r["code"]][r["service"]] = r["tier"]
            towns.setdefault(r["code"], r)
        for code in towns:
            tiers[code].append([per[code].get(s, "none") for s in SERVICES])
    out = []
    for code, r in towns.items():
        links: dict[str, list[Link]] = defaultdict(list)  # by service
        for x in (x for c in served_codes(cat, code) for x in cat.links.get(c, [])):
            links[x.service].append(x)
        provs = tuple(
            tuple(
                _named(cat, links[s], s, tier, specialised_only=name == "specialised")
                for s, tier in zip(SERVICES, tiers[code][m], strict=True)
            )
            for m, (name, _) in enumerate(modes)
        )
        out.append(
            MapTown(
                code=code,
                name=r["municipality"],
                prefecture_code=r["prefecture_code"],
                prefecture=r["prefecture"],
                population=r["population"],
                tiers=tuple(tuple(x) for x in tiers[code]),
                providers=provs,
            )
        )
    out.sort(key=lambda tw: tw.code)
    where = prefecture.name if prefecture else t(lang, "全国", "all of Japan")
    return MapData(
        towns=out,
        services=SERVICES,
        tiers=TIERS,
        title=t(lang, f"支援のカバー地図（{where}）", f"Coverage map ({where})"),
        scope=where,
        modes=[m for m, _ in modes],
        service=service,
        prefecture=prefecture.code if prefecture else None,
        sources={s["id"]: short_title(s.get("title") or s["id"]) for s in sources},
        href=href,
    )


def _named(
    cat: Catalogue, links: Iterable[Link], service: str, tier: str, *, specialised_only: bool
) -> tuple[tuple[str, str], ...]:
    """The providers of `service` at `tier` among `links`, as (name, source id)."""
    found = set()
    for x in links:
        d = cat.details.get((x.label, x.id)) or {}
        if (
            x.service == service
            and x.tier == tier
            and (d.get("specialised") or not specialised_only)
        ):
            found.add((x.name, d.get("source") or ""))
    return tuple(sorted(found))


def short_title(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def prefecture_aggregate(
    country: NetworkData,
    names: Mapping[str, str],
    *,
    links: Mapping[str, str] | None = None,
    lang: str = "ja",
) -> NetworkData:
    """The country too large to draw node by node: one node per prefecture (sized by the
    nodes anchored there; a node working in several counts for the first), one tie per pair
    of prefectures and family, with the number of ties it stands for. `links`: the page
    each prefecture opens on click (its own view), by code."""
    # the national grant funds projects everywhere: its ties would tie every prefecture to
    # "no prefecture", so the summary leaves grants out
    G = country.graph.subgraph(
        [v for v, d in country.graph.nodes(data=True) if d.get("label") != "Grant"]
    )
    group = {v: (d.get("prefectures") or ("",))[0] for v, d in G.nodes(data=True)}
    size = Counter(group.values())
    A = nx.MultiDiGraph()
    nowhere = t(lang, "都道府県なし", "no prefecture")
    for code, n in sorted(size.items()):
        name = f"{names.get(code, code) if code else nowhere}（{n:,}）"
        A.add_node(code, label="Prefecture", key=code, name=name, centrality=n / max(size.values()))
    ties: Counter[tuple[str, str, str]] = Counter()
    for u, v, d in G.edges(data=True):
        a, b = sorted((group[u], group[v]))
        if a != b:
            ties[(a, b, FAMILY_OF.get(d["type"], "partnership"))] += 1
    for (a, b, family), n in sorted(ties.items()):
        A.add_edge(a, b, type=family, ties=n)
    return NetworkData(
        graph=A,
        title=t(
            lang, "全国の支援ネットワーク（都道府県別の集計）", "Support network by prefecture"
        ),
        scope=t(
            lang,
            f"全国 {len(G):,} ノードは1枚に描ける上限を超えるため、都道府県ごとにまとめました。"
            "ノード: その都道府県で活動する主体の数、線: 都道府県をまたぐ関係（数字は関係の数。"
            "全国の交付金は除く）。",
            f"All of Japan ({len(G):,} nodes) is more than one view can draw, so it is summed "
            "by prefecture. Nodes: the actors working there; lines: ties across prefectures "
            "(numbered; the national grant left out).",
        ),
        centrality="actors",
        aggregate=True,
        links=dict(links or {}),
    )
