"""The map: municipalities as points on inline SVG, coloured by coverage tier, sized by
population; drawn in the page from its own data, no tiles or anything else fetched.

Town-hall coordinates are projected equirectangularly (longitude scaled by the cosine of
the middle latitude), which is close enough at this scale. No boundary data is bundled,
so there are no real outlines: a one-prefecture map draws the convex hull of its town
halls, labelled as such; the country map draws none and says so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tsunagari.model import COVERAGE_TIERS
from tsunagari.viz.html import esc, page, script_json
from tsunagari.viz.text import t, word

TIERS = COVERAGE_TIERS
TIER_COLOURS = {
    "local": "#1a9850",
    "wide_area": "#91cf60",
    "prefecture": "#fdd049",
    "unknown": "#bdbdbd",  # neutral: the data cannot say
    "none": "#d73027",
}
WIDTH = 1000.0
MAX_RADIUS = 14.0
SHOWN_PROVIDERS = 5


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    prefecture: str
    population: int | None
    lat: float
    lng: float
    tiers: tuple[str, ...]  # one per service of MapData.services
    providers: tuple[tuple[str, ...], ...] = ()  # names at the best tier, per service


@dataclass(frozen=True)
class Marker:
    """A recommended site drawn over the points (siting.py): shown with its service."""

    service: str
    rank: int
    code: str  # the municipality: a map of boundaries can place it at the town's label point
    name: str
    prefecture: str
    lat: float
    lng: float
    gain: int  # people (or the estimate) it newly reaches
    towns: int  # municipalities it newly reaches
    question: str = "any"  # any | specialised support (this map colours any support)


@dataclass
class MapData:
    points: list[MapPoint]
    services: Sequence[str]
    title: str
    scope: str
    service: str | None = None  # shown first
    hull: bool = False  # draw the convex hull of the points (one-prefecture maps)
    notes: list[str] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


def render_map(data: MapData, *, lang: str = "ja") -> str:
    """The whole HTML page of a map."""
    pts = data.points
    xy, width, height = _project(pts, extra=data.markers)
    where = xy[len(pts) :]
    xy = xy[: len(pts)]
    biggest = max((p.population or 0 for p in pts), default=0) or 1
    rows = []
    for p, (x, y) in zip(pts, xy, strict=True):
        r = 1.6 + (MAX_RADIUS - 1.6) * math.sqrt((p.population or 0) / biggest)
        rows.append(
            [
                round(x, 1),
                round(y, 1),
                round(r, 2),
                p.name,
                p.prefecture,
                p.population,
                [TIERS.index(tier) for tier in p.tiers],
                [list(names[:SHOWN_PROVIDERS]) for names in p.providers],
            ]
        )
    first = data.service if data.service in data.services else data.services[0]
    assert first is not None
    markers = [
        [round(x, 1), round(y, 1), list(data.services).index(m.service), m.rank, m.name,
         m.prefecture, m.gain, m.towns]
        for m, (x, y) in zip(data.markers, where, strict=True)
        if m.service in data.services and m.question == "any"
    ]  # fmt: skip
    payload = {
        "points": rows,
        "markers": markers,
        "services": [word(s, lang) for s in data.services],
        "first": list(data.services).index(first),
        "tiers": [word(x, lang) for x in TIERS],
        "colours": [TIER_COLOURS[x] for x in TIERS],
        "hull": _hull(xy) if data.hull else [],
        "labels": _labels(pts, xy),
        "width": round(width, 1),
        "height": round(height, 1),
        "text": {
            "population": t(lang, "人口", "population"),
            "coverage": t(lang, "カバー", "coverage"),
            "providers": t(lang, "提供者", "providers"),
            "towns": t(lang, "市町村", "municipalities"),
            "unknown": t(lang, "不明", "unknown"),
            "site": t(lang, "あと1か所置くなら 第{rank}位", "one more window: #{rank}"),
            "gain": t(
                lang,
                "新たに届く人: {gain}（{towns} 市町村）",
                "newly reached: {gain} ({towns} towns)",
            ),
        },
    }
    options = "".join(
        f"<option value='{i}'{' selected' if s == first else ''}>{esc(word(s, lang))}</option>"
        for i, s in enumerate(data.services)
    )
    legend = "".join(
        f"<span><i class='swatch' style='background:{TIER_COLOURS[x]}'></i>{esc(word(x, lang))}"
        f" <b class='count' data-tier='{i}'></b></span>"
        for i, x in enumerate(TIERS)
    )
    if data.markers:
        legend += (
            "<span><b class='site-key'>★</b>"
            + esc(t(lang, "あと1か所置くなら（上位）", "where one more window helps most"))
            + "</span>"
        )
    outline_note = (
        t(
            lang,
            "破線: この県の市町村役場の位置の凸包（実際の県境ではありません）。",
            "Dashed: the convex hull of this prefecture's town halls (not its boundary).",
        )
        if data.hull
        else t(
            lang,
            "境界データは同梱していないため、都道府県の輪郭は描いていません。",
            "No boundary data is bundled, so prefecture outlines are not drawn.",
        )
    )
    size_note = t(
        lang,
        "点: 市町村役場の位置（政令市は市役所、区はまとめて市として表示）。大きさ: 人口。"
        "ホイールで拡大・縮小、ドラッグで移動、ダブルクリックで全体表示。",
        "Points: town halls (a designated city as one point with its wards). Size: population. "
        "Wheel to zoom, drag to move, double-click to reset.",
    )
    notes = "".join(f"<p class='note'>{esc(n)}</p>" for n in [size_note, outline_note, *data.notes])
    towns = t(lang, "市町村", "municipalities")
    body = (
        f"<main><h1>{esc(data.title)}</h1>"
        f"<p class='note'>{esc(data.scope)} — {len(pts):,} {esc(towns)}</p>"
        f"<p><label>{esc(t(lang, '支援', 'service'))}: "
        f"<select id='service'>{options}</select></label> "
        f"<span class='legend'>{legend}</span></p>"
        "<div id='map'></div><div id='tip' class='tip'></div>"
        f"{notes}</main>"
        f"<script type='application/json' id='map-data'>{script_json(payload)}</script>"
    )
    return page(title=data.title, body=body, lang=lang, css=_CSS, scripts=[_DRAW])


def _project(
    pts: Sequence[MapPoint], *, extra: Sequence[Marker] = ()
) -> tuple[list[tuple[float, float]], float, float]:
    """Points (then `extra`) in a frame that the points fill, whose longer side is WIDTH (y
    down, with a margin): xy, width, height."""
    if not pts:
        return [], WIDTH, WIDTH / 2
    lats = [p.lat for p in pts]
    lngs = [p.lng for p in pts]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lngs) - min(lngs)) * k, 0.01)
    span_y = max(max(lats) - min(lats), 0.01)
    margin = 20.0
    scale = (WIDTH - 2 * margin) / max(span_x, span_y)
    located: list[MapPoint | Marker] = [*pts, *extra]
    xy = [
        (margin + (p.lng - min(lngs)) * k * scale, margin + (max(lats) - p.lat) * scale)
        for p in located
    ]  # both have lat and lng
    return xy, span_x * scale + 2 * margin, span_y * scale + 2 * margin


def _labels(pts: Sequence[MapPoint], xy: Sequence[tuple[float, float]]) -> list[list[Any]]:
    """Each prefecture's name at the median of its town halls (only when there are several)."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for p, q in zip(pts, xy, strict=True):
        groups.setdefault(p.prefecture, []).append(q)
    if len(groups) < 2:
        return []
    return [
        [
            name,
            round(statistics.median(x for x, _ in g), 1),
            round(statistics.median(y for _, y in g), 1),
        ]
        for name, g in groups.items()
    ]


def _hull(xy: Sequence[tuple[float, float]]) -> list[list[float]]:
    """Convex hull (Andrew's monotone chain) of the projected points."""
    pts = sorted(set(xy))
    if len(pts) < 3:
        return [[round(x, 1), round(y, 1)] for x, y in pts]

    def cross(o: Any, a: Any, b: Any) -> float:
        return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return [[round(x, 1), round(y, 1)] for x, y in lower[:-1] + upper[:-1]]


_CSS = """
#map svg{display:block;max-width:100%;height:80vh;margin:auto;background:#eef3f7;
border:1px solid #ccd}
#map circle{stroke:#333;fill-opacity:.85}
#map circle:hover{stroke:#000}
#map text.pref{fill:#334;paint-order:stroke;stroke:#fff;text-anchor:middle;
pointer-events:none;opacity:.75}
#map svg{cursor:grab;user-select:none}
#map g.site path{fill:#6a00a8;stroke:#fff;stroke-linejoin:round}
#map g.site text{fill:#fff;font-weight:700;text-anchor:middle;dominant-baseline:central;
pointer-events:none}
b.site-key{color:#6a00a8;margin:0 .2rem 0 .6rem}
.tip{position:fixed;display:none;pointer-events:none;background:#fffdf5;border:1px solid #888;
border-radius:3px;padding:4px 8px;font-size:13px;white-space:pre-line;box-shadow:2px 2px 8px #0003;
max-width:360px;z-index:5}
"""

# Builds the SVG from the JSON (text only through textContent), recolours on a service change.
_DRAW = """
(function () {
  var d = JSON.parse(document.getElementById('map-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';  // page() writes it as http:\\/\\/…: same string
  var svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + d.width + ' ' + d.height);
  if (d.hull.length > 2) {
    var poly = document.createElementNS(NS, 'polygon');
    poly.setAttribute('points', d.hull.map(function (p) { return p.join(','); }).join(' '));
    poly.setAttribute('fill', '#fff');
    poly.setAttribute('stroke', '#667');
    poly.setAttribute('stroke-dasharray', '6 4');
    svg.appendChild(poly);
  }
  var order = d.points.map(function (p, i) { return i; });
  order.sort(function (a, b) { return d.points[b][2] - d.points[a][2]; });  // small on top
  var circles = [];
  order.forEach(function (i) {
    var p = d.points[i], c = document.createElementNS(NS, 'circle');
    c.setAttribute('cx', p[0]); c.setAttribute('cy', p[1]); c.setAttribute('r', p[2]);
    c.dataset.i = i;
    svg.appendChild(c);
    circles.push(c);
  });
  var size = Math.max(d.width, d.height) / 80, labels = [];
  d.labels.forEach(function (l) {
    var text = document.createElementNS(NS, 'text');
    text.setAttribute('x', l[1]); text.setAttribute('y', l[2]);
    text.setAttribute('font-size', size);
    text.setAttribute('class', 'pref');
    text.textContent = l[0];
    svg.appendChild(text);
    labels.push(text);
  });
  var sites = d.markers.map(function (m, i) {  // recommended sites: a star with the rank
    var g = document.createElementNS(NS, 'g'), star = document.createElementNS(NS, 'path');
    var pts = [];
    for (var k = 0; k < 10; k++) {
      var a = Math.PI / 5 * k - Math.PI / 2, r = k % 2 ? 0.45 : 1;
      pts.push((r * Math.cos(a)).toFixed(3) + ',' + (r * Math.sin(a)).toFixed(3));
    }
    star.setAttribute('d', 'M' + pts.join('L') + 'Z');
    star.dataset.m = i;
    var label = document.createElementNS(NS, 'text');
    label.setAttribute('y', 0.12);
    label.setAttribute('font-size', 0.7);
    label.textContent = m[3];
    g.setAttribute('class', 'site');
    g.appendChild(star);
    g.appendChild(label);
    svg.appendChild(g);
    return g;
  });
  document.getElementById('map').appendChild(svg);
  // wheel to zoom at the cursor, drag to pan, double-click to see everything again
  var full = [0, 0, d.width, d.height], view = full.slice();
  function show() {  // labels keep their size on screen; points grow slower than the map
    var z = view[2] / full[2];
    svg.setAttribute('viewBox', view.join(' '));
    labels.forEach(function (t) {
      t.setAttribute('font-size', size * z);
      t.setAttribute('stroke-width', 3 * z);
    });
    circles.forEach(function (c) {
      c.setAttribute('r', d.points[+c.dataset.i][2] * Math.pow(z, 0.7));
      c.setAttribute('stroke-width', 0.4 * z);
    });
    sites.forEach(function (g, i) {
      var m = d.markers[i], s = 14 * Math.pow(z, 0.8);
      g.setAttribute('transform', 'translate(' + m[0] + ',' + m[1] + ') scale(' + s + ')');
      g.firstChild.setAttribute('stroke-width', 0.08);
    });
  }
  function at(e) {
    var r = svg.getBoundingClientRect(), k = Math.max(view[2] / r.width, view[3] / r.height);
    return [view[0] + (e.clientX - r.left) * k, view[1] + (e.clientY - r.top) * k, k];
  }
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var p = at(e), f = e.deltaY < 0 ? 0.8 : 1.25;
    var w = Math.min(full[2], Math.max(full[2] / 40, view[2] * f));
    f = w / view[2];
    view = [p[0] - (p[0] - view[0]) * f, p[1] - (p[1] - view[1]) * f, view[2] * f, view[3] * f];
    show();
  }, {passive: false});
  var drag = null;
  svg.addEventListener('mousedown', function (e) {
    drag = [e.clientX, e.clientY, view[0], view[1]];
  });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    var k = at(e)[2];
    view[0] = drag[2] - (e.clientX - drag[0]) * k;
    view[1] = drag[3] - (e.clientY - drag[1]) * k;
    show();
  });
  svg.addEventListener('dblclick', function () { view = full.slice(); show(); });
  var select = document.getElementById('service'), tip = document.getElementById('tip');
  function paint() {
    var s = +select.value, counts = d.tiers.map(function () { return 0; });
    circles.forEach(function (c) {
      var tier = d.points[+c.dataset.i][6][s];
      counts[tier] += 1;
      c.setAttribute('fill', d.colours[tier]);
    });
    document.querySelectorAll('.count').forEach(function (b) {
      b.textContent = counts[+b.dataset.tier].toLocaleString();
    });
    sites.forEach(function (g, i) {
      g.style.display = d.markers[i][2] === s ? '' : 'none';
    });
  }
  select.addEventListener('change', paint);
  svg.addEventListener('mousemove', function (e) {
    var c = e.target;
    if (c.dataset.m !== undefined) {
      var m = d.markers[+c.dataset.m];
      tip.textContent = [d.text.site.replace('{rank}', m[3]), m[5] + ' ' + m[4],
        d.text.gain.replace('{gain}', m[6].toLocaleString()).replace('{towns}', m[7])].join('\\n');
      tip.style.display = 'block';
      tip.style.left = (e.clientX + 14) + 'px';
      tip.style.top = (e.clientY + 10) + 'px';
      return;
    }
    if (c.tagName !== 'circle') { tip.style.display = 'none'; return; }
    var p = d.points[+c.dataset.i], s = +select.value, x = d.text;
    var pop = p[5] === null ? x.unknown : p[5].toLocaleString();
    var lines = [p[4] + ' ' + p[3], x.population + ': ' + pop,
                 d.services[s] + ' ' + x.coverage + ': ' + d.tiers[p[6][s]]];
    var names = p[7][s] || [];
    if (names.length) lines.push(x.providers + ': ' + names.join('、'));
    tip.textContent = lines.join('\\n');
    tip.style.display = 'block';
    tip.style.left = (e.clientX + 14) + 'px';
    tip.style.top = (e.clientY + 10) + 'px';
  });
  svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  show();
  paint();
  window.tsunagari = {points: circles.length, sites: sites.length, ready: true};
})();
"""
