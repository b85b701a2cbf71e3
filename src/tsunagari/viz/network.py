"""The network view: a vis-network page of one scope of the graph, safe and offline.

The nodes, edges and options are plain vis-network data (pyvis only ships the library:
its Network adds nothing here but an import of 0.2 s and a quadratic add_node); the page
is our own template, because pyvis's writes its `heading` and select-menu ids unescaped,
links Bootstrap from a CDN, and switches every tooltip to raw HTML when one contains
"href". Here node ids are opaque numbers, every title is plain text (vis-network 9 shows
a string title as text), and all data travels as JSON escaped for a <script> element.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from tsunagari.viz.assets import NETWORK_SCRIPT, TOOLTIP_CSS, VIS_FILE, vis_network_js
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
    """A scope with more nodes than a browser layout handles (`ja`: the message in Japanese)."""

    def __init__(self, scope: str, n_nodes: int, limit: int) -> None:
        super().__init__(
            f"{scope}: {n_nodes:,} nodes is more than a network view shows ({limit}); "
            "choose a smaller scope with --prefecture, --municipality or --around"
        )
        self.ja = (
            f"{scope}: {n_nodes:,} ノードはネットワーク図に描ける数（{limit}）を超えています。"
            "--prefecture、--municipality か --around で範囲を絞ってください"
        )


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
    centre: Any = None  # the node an ego view is drawn around
    links: Mapping[Any, str] = field(default_factory=dict)  # node → page it opens on click


def check_size(n_nodes: int, *, scope: str, limit: int | None = None) -> None:
    limit = NODE_LIMIT if limit is None else limit
    if n_nodes > limit:
        raise TooLargeError(scope, n_nodes, limit)


def render_network(
    data: NetworkData, *, lang: str = "ja", limit: int | None = None, assets: str | None = None
) -> str:
    """The whole HTML page of a network view; TooLargeError above `limit` (NODE_LIMIT) nodes.
    With `assets` (a report's folder) vis-network, the page script and the style are the
    report's shared files (network_script(), NETWORK_CSS), else inlined.

    Tie types can be switched off in the page (a node left with no visible tie hides too),
    nodes found by name or alternate name, and labels drawn by importance (centrality)
    where they do not overlap a more important one, so more appear as one zooms in.
    """
    G = data.graph
    check_size(len(G), scope=data.scope, limit=NODE_LIMIT if limit is None else limit)
    nodes, edges, order = _vis_data(data, lang=lang)
    counts = t(
        lang,
        f"{len(nodes):,} ノード・{len(edges):,} 本の関係",
        f"{len(nodes):,} nodes, {len(edges):,} ties",
    )
    size_note = t(
        lang,
        f"ノードの大きさ: このビュー内の{_centrality_word(data.centrality, lang)}。"
        "名前は重要な順に、重ならない分だけ表示します（拡大すると増えます）。"
        "配置は安定したあと固定されます（ドラッグで動かせます）。",
        f"Node size: {_centrality_word(data.centrality, lang)} within this view. Names are "
        "shown by importance where they do not overlap (zoom in for more). The layout "
        "freezes once it settles (drag to move nodes).",
    )
    if data.links:
        size_note += t(
            lang,
            "都道府県をクリックすると、その都道府県のビューを開きます。",
            " Click a prefecture to open its view.",
        )
    notes = "".join(f"<p class='note'>{esc(n)}</p>" for n in data.notes)
    words = {
        "done": t(lang, "配置を固定しました", "layout frozen"),
        "found": t(lang, "件", " found"),
        "none": t(lang, "見つかりません", "not found"),
    }
    payload = {
        "nodes": nodes,
        "edges": edges,
        "order": order,
        "options": _options(),
        "words": words,
    }
    search = t(lang, "名前・別名で検索", "find by name or alternate name")
    body = (
        f"<header><div class='top'><h1>{esc(data.title)}</h1>"
        f"<p id='status' class='status'>{esc(t(lang, 'レイアウト計算中…', 'laying out…'))}</p>"
        f"</div><p class='note'>{esc(data.scope)} — {esc(counts)}</p>"
        f"<div class='tools'><input id='search' type='search' placeholder='{esc(search)}' "
        f"aria-label='{esc(search)}'> <span id='found' class='note'></span></div>"
        f"{_legend(G, lang)}{_toggles(G, lang, arrows=not data.aggregate)}</header>\n"
        "<div id='net'></div>\n"
        f"<footer><p class='note'>{esc(size_note)}</p>{notes}</footer>\n"
        f"<script type='application/json' id='net-data'>"
        f"{script_json(payload)}</script>"
    )
    if assets is not None:
        return page(
            title=data.title,
            body=body,
            lang=lang,
            assets=assets,
            script_files=[VIS_FILE, NETWORK_SCRIPT],
        )
    return page(
        title=data.title,
        body=body,
        lang=lang,
        css=NETWORK_CSS,
        scripts=[vis_network_js(), _BOOT],
    )


def network_script() -> str:
    """The page script of every network view, for a report's shared file."""
    return _BOOT


def _centrality_word(name: str, lang: str) -> str:
    words = {
        "betweenness": t(lang, "媒介中心性", "betweenness centrality"),
        "actors": t(lang, "主体の数", "number of actors"),
    }
    return words.get(name, name)


def _vis_data(
    data: NetworkData, *, lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
    """vis-network nodes and edges, and the node ids by importance (the order of labels)."""
    G = data.graph
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    index = {v: i for i, v in enumerate(sorted(G, key=str))}
    pos = _layout(G)
    for v, i in index.items():
        d = G.nodes[v]
        colour, shape = NODE_STYLE.get(d.get("label", ""), ("#cccccc", "dot"))
        c = d.get("centrality") or 0.0
        name = d.get("name") or d.get("key") or ""
        x, y = pos[v]
        extra: dict[str, Any] = {"href": data.links[v]} if v in data.links else {}
        if v == data.centre:  # the ego view's centre: a dark ring
            extra["borderWidth"] = 4
        nodes.append(
            {
                "color": (
                    {"background": colour, "border": "#222222"} if v == data.centre else colour
                ),
                "title": _node_title(d, data, lang),
                "size": 10 + 30 * math.sqrt(max(0.0, min(1.0, c))),
                "x": round(x, 1),
                "y": round(y, 1),
                "name": name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…",
                "find": [str(d.get("key") or ""), name, *(d.get("alternate_names") or ())],
                **extra,
                "id": i,
                "label": " ",  # names are drawn by the page, by importance (see _BOOT)
                "shape": shape,
            }
        )
    edge_list = sorted(G.edges(data=True), key=lambda e: (index[e[0]], index[e[1]], e[2]["type"]))
    for n, (u, v, d) in enumerate(edge_list):
        style = FAMILY_STYLE[tie_family(d["type"])]
        if data.aggregate:  # a count of ties both ways: no arrow, wider with more, numbered
            style = {
                **style,
                "arrows": "",
                "width": style["width"] + math.log2(d.get("ties", 1)),
                "label": f"{d.get('ties', 1):,}",
                "font": {"size": 11, "align": "middle", "strokeWidth": 3},
            }
        edges.append(
            {
                "id": n,
                "etype": d["type"],
                "title": _edge_title(G, u, v, d, data, lang),
                **style,
                "from": index[u],
                "to": index[v],
            }
        )
    order = sorted(
        G,
        key=lambda v: (
            v != data.centre,
            -(G.nodes[v].get("centrality") or 0.0),
            -G.degree(v),
            str(v),
        ),
    )
    return nodes, edges, [index[v] for v in order]


def _layout(G: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Positions computed here (seeded, so the page is the same each time); vis.js then
    only settles overlaps before it freezes."""
    if len(G) == 0:
        return {}
    # built in a fixed order: the graph's own order follows how it was read (set order
    # changes from one process to the next), and the layout follows the order it is given
    import random

    import igraph as ig
    import numpy as np

    nodes = sorted(G, key=str)
    at = {v: i for i, v in enumerate(nodes)}
    ties = sorted({tuple(sorted((at[u], at[v]))) for u, v in G.edges() if u != v})
    U = ig.Graph(n=len(nodes), edges=ties)
    start = np.random.default_rng(7).uniform(-1, 1, (len(nodes), 2)) * math.sqrt(len(nodes))
    # Fruchterman–Reingold in igraph's C core (networkx's took ~10× as long for the 48
    # views of a report); its random choices seeded, and the global generator put back
    ig.set_random_number_generator(random.Random(7))
    try:
        raw = U.layout_fruchterman_reingold(seed=start.tolist(), niter=300, grid="nogrid")
    finally:
        ig.set_random_number_generator(random)
    xy = np.asarray(raw.coords, float)
    xy -= xy.mean(axis=0)
    xy /= max(float(np.abs(xy).max()), 1e-9)  # into [-1, 1] as networkx's was
    scale = 45 * math.sqrt(len(nodes))
    return {v: (float(xy[i, 0]) * scale, float(xy[i, 1]) * scale) for v, i in at.items()}


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
    family = word(tie_family(d["type"]), lang)
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


def tie_family(edge_type: str) -> str:
    """The family of an edge type; an aggregated tie carries the family itself as its type."""
    return edge_type if edge_type in FAMILY_STYLE else FAMILY_OF.get(edge_type, "partnership")


_SHAPES = {  # the vis-network shapes, drawn the same way in the legend (16 × 16)
    "dot": "<circle cx='8' cy='8' r='6'/>",
    "diamond": "<polygon points='8,1 15,8 8,15 1,8'/>",
    "square": "<rect x='2' y='2' width='12' height='12'/>",
    "triangle": "<polygon points='8,1 15,14 1,14'/>",
    "star": "<polygon points='8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6'/>",
}


def _legend(G: nx.MultiDiGraph, lang: str) -> str:
    """The node types present, each with its own shape and colour."""
    present = {d.get("label") for _, d in G.nodes(data=True)}
    parts = []
    for lab, (colour, shape) in NODE_STYLE.items():
        if lab in present:
            parts.append(
                f"<span class='key' data-shape='{shape}'><svg width='16' height='16' "
                f"fill='{colour}' stroke='#0006'>{_SHAPES[shape]}</svg>"
                f"{esc(word(lab, lang))}</span>"
            )
    return f"<p class='legend'>{''.join(parts)}</p>"


def _toggles(G: nx.MultiDiGraph, lang: str, *, arrows: bool = True) -> str:
    """One checkbox per tie type present, drawn as its line; unticking hides those ties."""
    counts: Counter[str] = Counter()
    for *_, d in G.edges(data=True):
        counts[d["type"]] += d.get("ties", 1)  # an aggregated tie stands for `ties` of them
    order = [*FAMILY_OF, *FAMILY_STYLE]
    parts = []
    for etype in sorted(counts, key=lambda x: (order.index(x) if x in order else len(order), x)):
        s = FAMILY_STYLE[tie_family(etype)]
        dash = " ".join(str(x) for x in s["dashes"]) if s["dashes"] else "none"
        arrow = "→" if s["arrows"] and arrows else ""
        parts.append(
            f"<label><input type='checkbox' class='tie' value='{esc(etype)}' checked>"
            f"<svg width='30' height='10'><line x1='0' y1='5' x2='30' y2='5' "
            f"stroke='{s['color']}' stroke-width='{s['width']}' stroke-dasharray='{dash}'/>"
            f"</svg>{arrow} {esc(word(etype, lang))} ({counts[etype]:,})</label>"
        )
    title = t(lang, "関係の種類", "Tie types")
    return f"<fieldset class='ties'><legend>{esc(title)}</legend>{''.join(parts)}</fieldset>"


def _options() -> dict[str, Any]:
    return {
        "nodes": {
            "font": {"size": 15, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
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
        "layout": {"randomSeed": 7, "improvedLayout": False},
    }


NETWORK_CSS = (
    """
header{padding:.4rem 1rem;background:#fff;border-bottom:1px solid #ddd}
header .top{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
.status{margin:0;font-size:.8rem;color:#555;background:#f3f3f3;padding:.1rem .5rem;
border-radius:3px;white-space:nowrap}
header p{margin:.2rem 0}.tools{margin:.2rem 0}#search{width:18rem;font-size:.9rem}
.legend .key{display:inline-flex;align-items:center;gap:.25rem;margin-right:1rem}
fieldset.ties{border:0;padding:0;margin:.2rem 0;font-size:.85rem}
fieldset.ties legend{float:left;margin-right:.6rem;color:#555}
fieldset.ties label{margin-right:.9rem;white-space:nowrap;cursor:pointer}
#net{width:100%;height:calc(100vh - 12rem);min-height:420px;background:#fff}
footer{padding:0 1rem}
"""
    + TOOLTIP_CSS
)

# Reads the JSON, draws, turns physics off once the layout has settled; tie-type toggles,
# search by name or alternate name, names drawn by importance where they do not overlap,
# and a click on a node with a page (the national view's prefectures) opens it.
_BOOT = """
(function () {
  var data = JSON.parse(document.getElementById('net-data').textContent);
  var W = data.words;
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById('net'),
                                {nodes: nodes, edges: edges}, data.options);
  var T = window.tsunagari = {network: network, nodes: nodes, edges: edges, frozen: false,
                              labelled: [], found: []};
  var stopped = false;
  function freeze() {
    if (stopped) return;
    stopped = true;
    network.setOptions({physics: false});
    network.once('afterDrawing', function () {  // frozen once the settled layout is on screen
      T.frozen = true;
      document.getElementById('status').textContent = W.done;
    });
    network.redraw();
  }
  network.once('stabilizationIterationsDone', freeze);
  network.once('stabilized', freeze);
  if (data.nodes.length === 0) freeze();

  // names: most important first, each only where it overlaps no name already drawn
  network.on('afterDrawing', function (ctx) {
    var scale = network.getScale(), pos = network.getPositions(), placed = [], shown = [];
    var size = 13 / scale, pad = 2 / scale;
    ctx.font = size + 'px sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.lineJoin = 'round';
    data.order.forEach(function (id) {
      var n = nodes.get(id);
      if (!n || n.hidden || !pos[id]) return;
      var w = ctx.measureText(n.name).width, top = pos[id].y + n.size + pad;
      var box = [pos[id].x - w / 2 - pad, top, pos[id].x + w / 2 + pad, top + size * 1.25];
      for (var i = 0; i < placed.length; i++) {
        var b = placed[i];
        if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) return;
      }
      placed.push(box);
      shown.push(id);
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeText(n.name, pos[id].x, top);
      ctx.fillStyle = '#222222';
      ctx.fillText(n.name, pos[id].x, top);
    });
    T.labelled = shown;
    T.labelBoxes = placed.map(function (b) {
      var a = network.canvasToDOM({x: b[0], y: b[1]}), c = network.canvasToDOM({x: b[2], y: b[3]});
      return [a.x, a.y, c.x, c.y];
    });
  });

  // tie types: unticked types hide their ties; a node left with no visible tie hides too
  function applyToggles() {
    var off = {};
    document.querySelectorAll('input.tie').forEach(function (c) { off[c.value] = !c.checked; });
    var seen = {};
    edges.update(edges.get().map(function (e) {
      var hidden = !!off[e.etype];
      if (!hidden) { seen[e.from] = true; seen[e.to] = true; }
      return {id: e.id, hidden: hidden};
    }));
    var linked = {};
    data.edges.forEach(function (e) { linked[e.from] = true; linked[e.to] = true; });
    nodes.update(nodes.get().map(function (n) {
      return {id: n.id, hidden: !!linked[n.id] && !seen[n.id]};
    }));
  }
  document.querySelectorAll('input.tie').forEach(function (c) {
    c.addEventListener('change', applyToggles);
  });

  // search: id, name or any alternate name, width- and case-folded
  function fold(s) { return String(s).normalize('NFKC').replace(/\\s+/g, '').toLowerCase(); }
  document.getElementById('search').addEventListener('input', function (ev) {
    var q = fold(ev.target.value), ids = [];
    if (q) {
      data.order.forEach(function (id) {
        var n = nodes.get(id);
        if (n.find.some(function (x) { return x && fold(x).indexOf(q) >= 0; })) ids.push(id);
      });
    }
    T.found = ids;
    network.selectNodes(ids);
    if (ids.length) network.focus(ids[0], {scale: Math.max(network.getScale(), 1.2)});
    document.getElementById('found').textContent =
        q ? (ids.length ? ids.length + W.found : W.none) : '';
  });

  network.on('click', function (p) {
    var n = p.nodes.length ? nodes.get(p.nodes[0]) : null;
    if (n && n.href) window.location.href = n.href;
  });
})();
"""
