"""The network view: a pyvis/vis-network page of one scope of the graph, safe and offline.

pyvis assembles the nodes, edges and options; the page is our own template, because
pyvis's writes its `heading` and select-menu ids unescaped, links Bootstrap from a CDN,
and switches every tooltip to raw HTML when one contains "href". Here node ids are
opaque numbers, every title is plain text (vis-network 9 shows a string title as text),
and all data travels as JSON escaped for a <script> element.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from tsunagari.viz.assets import TOOLTIP_CSS, vis_network_js
from tsunagari.viz.html import esc, page, script_json
from tsunagari.viz.text import t, word

# A browser layout stays usable up to a few hundred nodes: vis.js physics took 20 s to
# settle 500 nodes and 5 minutes for 5,000 in Chromium (PERF_NOTES.md). Larger scopes
# are refused with a message (the report aggregates the country by prefecture instead).
NODE_LIMIT = 300

NODE_STYLE: dict[str, tuple[str, str]] = {  # label → (colour, shape)
    "Organization": ("#4e79a7", "dot"),
    "SupportCenter": ("#59a14f", "dot"),
    "Platform": ("#f28e2b", "diamond"),
    "Project": ("#b07aa1", "square"),
    "Grant": ("#edc948", "star"),
    "Prefecture": ("#9c755f", "triangle"),
    "Municipality": ("#bab0ac", "triangle"),
}
FAMILY_STYLE: dict[str, dict[str, Any]] = {  # edge family → vis-network edge options
    "funding": {"color": "#c9a227", "dashes": False, "width": 2.5, "arrows": "to"},
    "partnership": {"color": "#555555", "dashes": False, "width": 1.5, "arrows": ""},
    "commissioning": {"color": "#e15759", "dashes": [8, 4], "width": 2, "arrows": "to"},
    "referral": {"color": "#17a2b8", "dashes": [2, 4], "width": 2.5, "arrows": "to"},
    "membership": {"color": "#aaaaaa", "dashes": [5, 5], "width": 1, "arrows": "to"},
    "coverage": {"color": "#8cd17d", "dashes": [1, 3], "width": 1.5, "arrows": "to"},
}
FAMILY_OF = {
    "FUNDS": "funding",
    "RUNS": "funding",
    "PARTNERS_IN": "partnership",
    "PARTNERS_WITH": "partnership",
    "COMMISSIONS": "commissioning",
    "OPERATES": "commissioning",
    "REFERS_TO": "referral",
    "MEMBER_OF": "membership",
    "SECRETARIAT_OF": "membership",
    "COVERS": "coverage",
    "LOCATED_IN": "coverage",
}
_EDGE_FACTS = (
    "kind",
    "role",
    "services",
    "scope",
    "cost_thousand_yen",
    "amount_thousand_yen",
    "note",
    "ties",
)
LABEL_CHARS = 14


class TooLargeError(ValueError):
    """A scope with more nodes than a browser layout handles."""


@dataclass
class NetworkData:
    """One scope of the graph, ready to draw.

    `graph` nodes carry label, name, kind, services, source, locator and `centrality`
    (0..1, sizes the node); edges carry type, source, locator and their own facts.
    `sources` maps a source id to its title for the tooltips.
    """

    graph: nx.MultiDiGraph
    title: str
    scope: str
    sources: Mapping[str, str] = field(default_factory=dict)
    centrality: str = "betweenness"
    notes: list[str] = field(default_factory=list)
    aggregate: bool = False  # nodes are groups, ties are counts: no single source each


def check_size(n_nodes: int, *, scope: str, limit: int | None = None) -> None:
    limit = NODE_LIMIT if limit is None else limit
    if n_nodes > limit:
        raise TooLargeError(
            f"{scope}: {n_nodes:,} nodes is more than a network view shows ({limit}); "
            "choose a smaller scope with --prefecture or --municipality"
        )


def render_network(data: NetworkData, *, lang: str = "ja", limit: int | None = None) -> str:
    """The whole HTML page of a network view; TooLargeError above `limit` (NODE_LIMIT) nodes."""
    G = data.graph
    check_size(len(G), scope=data.scope, limit=NODE_LIMIT if limit is None else limit)
    nodes, edges = _vis_data(data, lang=lang)
    counts = t(
        lang,
        f"{len(nodes):,} ノード・{len(edges):,} 本の関係",
        f"{len(nodes):,} nodes, {len(edges):,} ties",
    )
    size_note = t(
        lang,
        f"ノードの大きさ: このビュー内の{_centrality_word(data.centrality, lang)}。"
        "配置は安定したあと固定されます（ドラッグで動かせます）。",
        f"Node size: {_centrality_word(data.centrality, lang)} within this view. "
        "The layout freezes once it settles (drag to move nodes).",
    )
    notes = "".join(f"<p class='note'>{esc(n)}</p>" for n in data.notes)
    body = (
        f"<header><h1>{esc(data.title)}</h1>"
        f"<p class='note'>{esc(data.scope)} — {esc(counts)} "
        f"<span id='status'>{esc(t(lang, 'レイアウト計算中…', 'laying out…'))}</span></p>"
        f"{_legend(G, lang)}</header>\n"
        "<div id='net'></div>\n"
        f"<footer><p class='note'>{esc(size_note)}</p>{notes}</footer>\n"
        f"<script type='application/json' id='net-data'>"
        f"{script_json({'nodes': nodes, 'edges': edges, 'options': _options()})}</script>"
    )
    done = t(lang, "配置を固定しました", "layout frozen")
    return page(
        title=data.title,
        body=body,
        lang=lang,
        css=_CSS + TOOLTIP_CSS,
        scripts=[vis_network_js(), _BOOT.replace("__DONE__", script_json(done))],
    )


def _centrality_word(name: str, lang: str) -> str:
    words = {
        "betweenness": t(lang, "媒介中心性", "betweenness centrality"),
        "actors": t(lang, "主体の数", "number of actors"),
    }
    return words.get(name, name)


def _vis_data(data: NetworkData, *, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from pyvis.network import Network

    G = data.graph
    net = Network(directed=True)
    index = {v: i for i, v in enumerate(sorted(G, key=str))}
    pos = _layout(G)
    for v, i in index.items():
        d = G.nodes[v]
        colour, shape = NODE_STYLE.get(d.get("label", ""), ("#cccccc", "dot"))
        c = d.get("centrality") or 0.0
        name = d.get("name") or d.get("key") or ""
        label = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        x, y = pos[v]
        net.add_node(
            i,
            label=label,
            title=_node_title(d, data, lang),
            color=colour,
            shape=shape,
            size=10 + 30 * math.sqrt(max(0.0, min(1.0, c))),
            x=round(x, 1),
            y=round(y, 1),
        )
    for u, v, d in sorted(
        G.edges(data=True), key=lambda e: (index[e[0]], index[e[1]], e[2]["type"])
    ):
        style = FAMILY_STYLE[_family(d["type"])]
        if data.aggregate:  # a count of ties both ways: no arrow, wider with more ties
            style = {**style, "arrows": "", "width": style["width"] + math.log2(d.get("ties", 1))}
        net.add_edge(index[u], index[v], title=_edge_title(G, u, v, d, data, lang), **style)
    return net.nodes, net.edges


def _layout(G: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Positions computed here (seeded, so the page is the same each time); vis.js then
    only settles overlaps before it freezes."""
    if len(G) == 0:
        return {}
    U = nx.Graph(G.to_undirected())
    # below 500 nodes networkx uses its dense numpy solver (from 500 on it needs scipy)
    raw = nx.spring_layout(U, seed=7, k=1.5 / math.sqrt(len(U)), iterations=100)
    scale = 45 * math.sqrt(len(U))
    return {v: (float(p[0]) * scale, float(p[1]) * scale) for v, p in raw.items()}


def _source_line(d: Mapping[str, Any], data: NetworkData, lang: str) -> str:
    if data.aggregate:
        return t(lang, "出典: 集計（個々の出典は都道府県別のビューに）", "source: aggregated "
                 "(each fact's source is in the per-prefecture views)")  # fmt: skip
    src = d.get("source")
    if not src:
        return t(lang, "出典: 不明", "source: unknown")
    title = data.sources.get(src, src)
    loc = d.get("locator")
    if not loc:
        return t(lang, f"出典: {title}", f"source: {title}")
    return t(lang, f"出典: {title}（{loc}）", f"source: {title} ({loc})")


def _node_title(d: Mapping[str, Any], data: NetworkData, lang: str) -> str:
    lines = [str(d.get("name") or d.get("key") or "")]
    kind = word(d.get("label"), lang)
    if d.get("kind"):
        kind += t(lang, f"（{word(d['kind'], lang)}）", f" ({word(d['kind'], lang)})")
    lines.append(kind)
    if d.get("services"):
        services = ", ".join(word(s, lang) for s in d["services"])
        lines.append(t(lang, f"支援: {services}", f"services: {services}"))
    if d.get("centrality_value") is not None:
        value = f"{d['centrality_value']:.3g}"
        lines.append(f"{_centrality_word(data.centrality, lang)}: {value}")
    lines.append(_source_line(d, data, lang))
    return "\n".join(lines)


def _edge_title(
    G: nx.MultiDiGraph, u: Any, v: Any, d: Mapping[str, Any], data: NetworkData, lang: str
) -> str:
    a, b = G.nodes[u].get("name") or u, G.nodes[v].get("name") or v
    family = word(_family(d["type"]), lang)
    if d["type"] in FAMILY_STYLE:  # an aggregated tie: its type is the family
        lines = [f"{a} — {b}", family]
    else:
        lines = [f"{a} → {b}", word(d["type"], lang) + t(lang, f"（{family}）", f" ({family})")]
    for k in _EDGE_FACTS:
        value = d.get(k)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(word(x, lang) for x in value)
        elif isinstance(value, int):
            value = f"{value:,}"
        if k == "ties":
            lines.append(t(lang, f"関係の数: {value}", f"ties: {value}"))
        else:
            lines.append(f"{k}: {word(value, lang) if k == 'scope' else value}")
    lines.append(_source_line(d, data, lang))
    return "\n".join(lines)


def _family(edge_type: str) -> str:
    """The family of an edge type; an aggregated tie carries the family itself as its type."""
    return edge_type if edge_type in FAMILY_STYLE else FAMILY_OF.get(edge_type, "partnership")


def _legend(G: nx.MultiDiGraph, lang: str) -> str:
    labels = [
        lab for lab in NODE_STYLE if any(d.get("label") == lab for _, d in G.nodes(data=True))
    ]
    families = [
        f for f in FAMILY_STYLE if any(_family(d["type"]) == f for *_, d in G.edges(data=True))
    ]
    parts = []
    for lab in labels:
        colour = NODE_STYLE[lab][0]
        parts.append(
            f"<span><i class='swatch' style='background:{colour}'></i>{esc(word(lab, lang))}</span>"
        )
    for f in families:
        s = FAMILY_STYLE[f]
        dash = " ".join(str(x) for x in s["dashes"]) if s["dashes"] else "none"
        arrow = "→" if s["arrows"] else ""
        types = "・".join(word(x, lang) for x, fam in FAMILY_OF.items() if fam == f)
        parts.append(
            f"<span title='{esc(types)}'><svg width='34' height='10'><line x1='0' y1='5' x2='34' "
            f"y2='5' stroke='{s['color']}' stroke-width='{s['width']}' "
            f"stroke-dasharray='{dash}'/></svg>{arrow} {esc(word(f, lang))}</span>"
        )
    return f"<p class='legend'>{''.join(parts)}</p>"


def _options() -> dict[str, Any]:
    return {
        "nodes": {
            "font": {"size": 15, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            "scaling": {"label": {"drawThreshold": 4}},
        },
        "edges": {"smooth": False, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -2500,
                "centralGravity": 0.5,
                "springLength": 110,
                "springConstant": 0.04,
                "avoidOverlap": 0.5,
            },
            "stabilization": {"enabled": True, "iterations": 300, "fit": True},
        },
    }


_CSS = """
header{padding:.5rem 1rem;background:#fff;border-bottom:1px solid #ddd}
#net{width:100%;height:calc(100vh - 9rem);min-height:420px;background:#fff}
footer{padding:0 1rem}
"""

# Reads the JSON, draws, and turns physics off once the layout has settled.
_BOOT = """
(function () {
  var data = JSON.parse(document.getElementById('net-data').textContent);
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById('net'),
                                {nodes: nodes, edges: edges}, data.options);
  window.tsunagari = {network: network, nodes: nodes, edges: edges, frozen: false};
  var stopped = false;
  function freeze() {
    if (stopped) return;
    stopped = true;
    network.setOptions({physics: false});
    network.once('afterDrawing', function () {  // frozen once the settled layout is on screen
      window.tsunagari.frozen = true;
      document.getElementById('status').textContent = __DONE__;
    });
    network.redraw();
  }
  network.once('stabilizationIterationsDone', freeze);
  network.once('stabilized', freeze);
  if (data.nodes.length === 0) freeze();
})();
"""
