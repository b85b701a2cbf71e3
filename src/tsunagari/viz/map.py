"""The map: every municipality drawn as its boundary, filled by its coverage tier, with
prefecture outlines on top; inline SVG built in the page, no tiles, nothing fetched.

The boundaries are bundled (data/geo/japan.json, derived by scripts/derive_geo.py from
国土数値情報 行政区域, credited on every map) already projected, as SVG path strings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from tsunagari.viz.html import esc, page, script_json
from tsunagari.viz.text import t, word
from tsunagari.viz.town import tier_colour

SHOWN_PROVIDERS = 5
GEO_SCRIPT = "geo.js"  # the report's one copy of the boundaries (sets window.TSUNAGARI_GEO)


@dataclass(frozen=True)
class MapTown:
    code: str
    name: str
    prefecture_code: str
    prefecture: str
    population: int | None
    # per mode (all support, then specialised when known), per service of MapData.services
    tiers: tuple[tuple[str, ...], ...]
    providers: tuple[tuple[tuple[tuple[str, str], ...], ...], ...] = ()  # (name, source id)


@dataclass
class MapData:
    towns: list[MapTown]
    services: Sequence[str]
    tiers: Sequence[str]  # best first (coverage.TIERS)
    title: str
    scope: str
    modes: Sequence[str] = ("all",)  # "all" and, when the model knows it, "specialised"
    service: str | None = None  # shown first
    first_mode: int = 0  # the index in modes shown first
    prefecture: str | None = None  # a one-prefecture map: its code
    sources: dict[str, str] = field(default_factory=dict)  # source id → short title
    href: str | None = None  # a town's page, "{code}" and "{pref}" (2 digits) replaced
    notes: list[str] = field(default_factory=list)
    # stars: per (mode, service) the sites where one more window helps most, best first,
    # as report/siting.py's rows (code, rank, gain = people newly reached, towns_reached)
    sites: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    sites_k: int = 0  # how many more sites each answer places


@cache
def geo() -> dict[str, Any]:
    """The bundled boundaries (see scripts/derive_geo.py)."""
    text = (files("tsunagari") / "data" / "geo" / "japan.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def geo_script() -> str:
    """The boundaries as a script file of a report (JSON cannot be read from file:// pages)."""
    return f"window.TSUNAGARI_GEO={script_json(geo())};\n"


def _geo_subset(codes: set[str], prefectures: set[str]) -> dict[str, Any]:
    g = geo()
    return {
        **g,
        "towns": {c: v for c, v in g["towns"].items() if c in codes},
        "prefectures": {c: v for c, v in g["prefectures"].items() if c in prefectures},
    }


def render_map(data: MapData, *, lang: str = "ja", assets: str | None = None) -> str:
    """The whole HTML page of a map; with `assets` the boundaries come from the report's
    shared geo.js instead of being inlined."""
    g = geo()
    pref_names: dict[str, str] = {}
    for tw in data.towns:
        pref_names.setdefault(tw.prefecture_code, tw.prefecture)
    pref_index = {c: i for i, c in enumerate(pref_names)}
    source_index = {s: i for i, s in enumerate(data.sources)}
    names: dict[tuple[str, str], int] = {}
    rows = []
    for tw in data.towns:
        provs = []  # per mode: [service index, provider ids] of the services with any
        for mode in tw.providers:
            provs.append(
                [
                    [s, [names.setdefault(n, len(names)) for n in found[:SHOWN_PROVIDERS]]]
                    for s, found in enumerate(mode)
                    if found
                ]
            )
        rows.append(
            [
                tw.code,
                tw.name,
                pref_index[tw.prefecture_code],
                tw.population,
                ["".join(str(data.tiers.index(x)) for x in mode) for mode in tw.tiers],
                provs,
            ]
        )
    first = data.service if data.service in data.services else data.services[0]
    assert first is not None
    town_index = {tw.code: i for i, tw in enumerate(data.towns)}
    stars = [  # per mode, per service: [town index, rank, people newly reached, towns]
        [
            [
                [town_index[r["code"]], r["rank"], r["gain"], r["towns_reached"]]
                for r in data.sites.get((m, s), [])
                if r["code"] in town_index
            ]
            for s in data.services
        ]
        for m in data.modes
    ]
    view = None
    if data.prefecture and data.prefecture in g["prefectures"]:
        view = g["prefectures"][data.prefecture][3]
    payload = {
        "towns": rows,
        "prefectures": [[c, n] for c, n in pref_names.items()],
        "services": [word(s, lang) for s in data.services],
        "first": list(data.services).index(first),
        "modes": [_mode_word(m, lang) for m in data.modes],
        "tiers": [word(x, lang) for x in data.tiers],
        "colours": [tier_colour(x) for x in data.tiers],
        "providers": [[n, source_index.get(s, -1)] for n, s in names],
        "sources": list(data.sources.values()),
        "href": data.href,
        "stars": stars,
        "scope": data.scope,
        "view": view,
        "text": {
            "population": t(lang, "人口", "population"),
            "providers": t(lang, "提供者", "providers"),
            "unknown": t(lang, "不明", "unknown"),
            "towns": t(lang, "市町村", "municipalities"),
            "people": t(lang, "人", "people"),
            "open": t(lang, "クリックで市町村のページ", "click: the town's page"),
            "star": t(
                lang,
                f"あと {data.sites_k} か所置くなら {{rank}} 番目の候補地（厳密解）",
                f"site {{rank}} of {data.sites_k} more (exact answer)",
            ),
            "reach": t(
                lang,
                "新たに届く: {people} 人（{towns} 市町村）",
                "newly reached: {people} people ({towns} municipalities)",
            ),
            "stars": t(lang, "（{n} か所を表示）", "({n} shown)"),
            "no_stars": t(lang, "この支援の候補地は未計算", "no sites computed for this service"),
        },
    }
    options = "".join(
        f"<option value='{i}'{' selected' if s == first else ''}>{esc(word(s, lang))}</option>"
        for i, s in enumerate(data.services)
    )
    mode_choice = ""
    if len(data.modes) > 1:
        mode_choice = "".join(
            f"<label class='mode'><input type='radio' name='mode' value='{i}'"
            f"{' checked' if i == data.first_mode else ''}>{esc(_mode_word(m, lang))}</label>"
            for i, m in enumerate(data.modes)
        )
    star_choice = ""
    if data.sites:
        star_choice = (
            "<label class='mode'><input type='checkbox' id='stars' checked>"
            f"★ {esc(t(lang, f'あと {data.sites_k} か所の候補地', f'{data.sites_k} more sites'))}"
            " <b id='star-count'></b></label>"
        )
    legend = "".join(
        f"<span><i class='swatch' style='background:{tier_colour(x)}'></i>{esc(word(x, lang))}"
        f" <b class='count' data-tier='{i}'></b></span>"
        for i, x in enumerate(data.tiers)
    )
    missing = [c for c in g.get("points", []) if c in {tw.code for tw in data.towns}]
    notes = [
        t(
            lang,
            "ホイールで拡大・縮小、ドラッグで移動、ダブルクリックで最初の表示に戻ります。"
            "市町村名は入りきるときだけ表示します（重ならないよう省略）。",
            "Wheel to zoom, drag to move, double-click to go back. Names are shown where "
            "they fit (left out rather than overlapping).",
        ),
        *data.notes,
    ]
    if missing:
        notes.append(
            t(
                lang,
                f"境界データの簡略化で形が失われた{len(missing)}市町村（小さな島など）は、"
                "役場の位置に小さな円で描いています。",
                f"{len(missing)} municipalities whose shape the boundary simplification lost "
                "(small islands) are drawn as a small circle at the town hall.",
            )
        )
    notes.append(
        t(
            lang,
            "南鳥島・沖ノ鳥島は図の枠外のため描いていません。",
            "Minamitorishima and Okinotorishima lie outside the frame and are not drawn.",
        )
    )
    towns = t(lang, "市町村", "municipalities")
    note_html = "".join(f"<p class='note'>{esc(n)}</p>" for n in notes)
    geo_json = ""
    if assets is None:
        prefs = {data.prefecture} if data.prefecture else set(g["prefectures"])
        subset = _geo_subset({tw.code for tw in data.towns}, prefs)
        geo_json = f"<script type='application/json' id='map-geo'>{script_json(subset)}</script>"
    body = (
        f"<main><h1>{esc(data.title)}</h1>"
        f"<p class='note'>{esc(data.scope)} — {len(data.towns):,} {esc(towns)}</p>"
        f"<p class='controls'><label>{esc(t(lang, '支援', 'service'))}: "
        f"<select id='service'>{options}</select></label> {mode_choice}{star_choice}</p>"
        f"<p class='legend'>{legend}</p>"
        "<figure><div id='map'></div>"
        f"<figcaption class='credit'>{esc(g['credit'])}</figcaption></figure>"
        "<div id='tip' class='tip'></div>"
        f"{note_html}</main>"
        f"<script type='application/json' id='map-data'>{script_json(payload)}</script>"
        f"{geo_json}"
    )
    return page(
        title=data.title,
        body=body,
        lang=lang,
        css=MAP_CSS,
        scripts=[_DRAW],
        assets=assets,
        script_files=[GEO_SCRIPT] if assets is not None else (),
    )


def _mode_word(mode: str, lang: str) -> str:
    if mode == "specialised":
        return t(lang, "ひきこもり専門の支援だけ", "hikikomori-specialised only")
    return t(lang, "すべての支援（一般の相談窓口を含む）", "all support (general windows too)")


MAP_CSS = """
#map svg{display:block;width:100%;height:78vh;background:#eef3f7;border:1px solid #ccd;
cursor:grab;user-select:none}
#map path.town{stroke:#fff;stroke-opacity:.6;stroke-width:.4;vector-effect:non-scaling-stroke}
#map path.town:hover{stroke:#000;stroke-opacity:1;stroke-width:1.5}
#map path.out{fill-opacity:.35}
#map path.pref{fill:none;stroke:#334;stroke-width:1;vector-effect:non-scaling-stroke;
pointer-events:none}
#map text{fill:#223;paint-order:stroke;stroke:#fff;stroke-width:3px;text-anchor:middle;
dominant-baseline:middle;pointer-events:none;font-size:12px}
#map text.pref{font-weight:600;font-size:13px}
#map g.star{cursor:pointer}
#map g.star path{fill:#ffd21f;stroke:#1b1b1b;stroke-width:1.2}
#map g.star text{font-size:9px;font-weight:700;stroke:none;fill:#1b1b1b;pointer-events:none}
figure{margin:0}.credit{font-size:.75rem;color:#444;text-align:right}
.legend span{margin-right:1rem;white-space:nowrap}.mode{margin-left:1rem}
.tip{position:fixed;display:none;pointer-events:none;background:#fffdf5;border:1px solid #888;
border-radius:3px;padding:4px 8px;font-size:13px;white-space:pre-line;box-shadow:2px 2px 8px #0003;
max-width:380px;z-index:5}
"""

# Builds the SVG from the JSON (names only through textContent); recolours on a change of
# service or mode; labels are placed greedily (largest population first) where they fit.
_DRAW = """
(function () {
  var d = JSON.parse(document.getElementById('map-data').textContent);
  var el = document.getElementById('map-geo');
  var g = el ? JSON.parse(el.textContent) : window.TSUNAGARI_GEO;
  var NS = 'http://www.w3.org/2000/svg';  // page() writes it as http:\\/\\/…: same string
  var svg = document.createElementNS(NS, 'svg');
  var towns = [], gt = document.createElementNS(NS, 'g'), gp = document.createElementNS(NS, 'g');
  var gl = document.createElementNS(NS, 'g'), gs = document.createElementNS(NS, 'g');
  var box = null;
  gs.setAttribute('class', 'stars');
  var STAR = (function () {  // a five-pointed star of radius 10 px around 0,0
    var pts = [];
    for (var i = 0; i < 10; i++) {
      var r = i % 2 ? 4.2 : 10, a = Math.PI / 5 * i - Math.PI / 2;
      pts.push((r * Math.cos(a)).toFixed(2) + ' ' + (r * Math.sin(a)).toFixed(2));
    }
    return 'M' + pts.join('L') + 'Z';
  })();
  function grow(b) {
    box = box ? [Math.min(box[0], b.x), Math.min(box[1], b.y),
                 Math.max(box[2], b.x + b.width), Math.max(box[3], b.y + b.height)]
              : [b.x, b.y, b.x + b.width, b.y + b.height];
  }
  d.towns.forEach(function (tw, i) {
    var shape = g.towns[tw[0]];
    if (!shape) return;
    var p = document.createElementNS(NS, 'path');
    p.setAttribute('d', shape[0]);
    p.setAttribute('class', 'town');
    p.dataset.i = i;
    gt.appendChild(p);
    towns.push({path: p, town: tw, label: [shape[1], shape[2]]});
  });
  Object.keys(g.prefectures).forEach(function (code) {
    var p = document.createElementNS(NS, 'path');
    p.setAttribute('d', g.prefectures[code][0]);
    p.setAttribute('class', 'pref');
    gp.appendChild(p);
  });
  svg.appendChild(gt); svg.appendChild(gp); svg.appendChild(gl); svg.appendChild(gs);
  var byIndex = {};  // d.towns index → drawn town
  towns.forEach(function (t) { byIndex[t.path.dataset.i] = t; });
  document.getElementById('map').appendChild(svg);
  towns.forEach(function (t) { var b = t.path.getBBox(); t.box = b; grow(b); });
  var pad = 10, full = [box[0] - pad, box[1] - pad, box[2] - box[0] + 2 * pad,
                        box[3] - box[1] + 2 * pad];
  function fit(b) {  // a box [x0, y0, x1, y1] widened to the shape of the drawing area
    var r = svg.getBoundingClientRect(), w = b[2] - b[0], h = b[3] - b[1];
    var k = Math.max(w / r.width, h / r.height) * 1.12;
    var cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    return [cx - r.width * k / 2, cy - r.height * k / 2, r.width * k, r.height * k];
  }
  var hash = location.hash.replace('#', '');
  var start = d.view ? fit(d.view) : fit([full[0], full[1], full[0] + full[2], full[1] + full[3]]);
  var focusPref = g.prefectures[hash] ? hash : null;
  if (g.prefectures[hash]) {  // a prefecture: zoom to it, its neighbours faded
    start = fit(g.prefectures[hash][3]);
    d.prefectures.forEach(function (p) {
      var h1 = document.querySelector('h1'), sub = document.querySelector('h1 + .note');
      if (p[0] !== hash) return;
      h1.textContent = h1.textContent.replace(d.scope, p[1]);
      var n = towns.filter(function (t) { return d.prefectures[t.town[2]][0] === hash; });
      sub.textContent = p[1] + ' — ' + n.length.toLocaleString() + ' ' + d.text.towns;
    });
    towns.forEach(function (t) {
      if (d.prefectures[t.town[2]][0] !== hash) t.path.setAttribute('class', 'town out');
    });
  }
  var focus = null;
  towns.forEach(function (t) { if (t.town[0] === hash) focus = t; });
  if (focus) {
    var b = focus.box, m = Math.max(b.width, b.height) * 4 + 40;
    start = fit([b.x + b.width / 2 - m, b.y + b.height / 2 - m,
                 b.x + b.width / 2 + m, b.y + b.height / 2 + m]);
  }
  var view = start.slice();
  var prefLabels = Object.keys(g.prefectures).map(function (code) {
    var name = '';
    d.prefectures.forEach(function (p) { if (p[0] === code) name = p[1]; });
    return {name: name, x: g.prefectures[code][1], y: g.prefectures[code][2], pref: true,
            weight: 1e12};
  }).filter(function (l) { return l.name; });
  var townLabels = towns.map(function (t) {
    var mine = !g.prefectures[hash] || d.prefectures[t.town[2]][0] === hash;
    return {name: t.town[1], x: t.label[0], y: t.label[1], box: t.box,
            weight: (t.town[3] || 0) + (mine ? 1e9 : 0), path: t.path};
  });
  function starSites() {  // the sites shown now: [town, rank, people, towns]
    var box = document.getElementById('stars');
    if (!box || !box.checked || !d.stars.length) return [];
    return (d.stars[mode()] || [])[+select.value] || [];
  }
  function stars(r, k) {  // drawn in pixels over the map; returns their boxes for labels
    while (gs.firstChild) gs.removeChild(gs.firstChild);
    var boxes = [], shown = starSites();
    shown.slice().reverse().forEach(function (s) {  // the best drawn last, on top
      var t = byIndex[s[0]];
      if (!t) return;
      var sx = (t.label[0] - view[0]) / k, sy = (t.label[1] - view[1]) / k;
      var star = document.createElementNS(NS, 'g'), p = document.createElementNS(NS, 'path');
      star.setAttribute('class', 'star');
      star.setAttribute('transform', 'translate(' + sx + ' ' + sy + ')');
      p.setAttribute('d', STAR);
      p.dataset.s = shown.indexOf(s);
      var n = document.createElementNS(NS, 'text');
      n.setAttribute('class', 'rank');
      n.textContent = s[1];
      star.appendChild(p); star.appendChild(n); gs.appendChild(star);
      boxes.push([sx - 11, sy - 11, sx + 11, sy + 11]);
    });
    var count = document.getElementById('star-count');
    if (count) {
      count.textContent = shown.length ? d.text.stars.replace('{n}', shown.length)
                                       : (d.stars.length ? d.text.no_stars : '');
    }
    window.tsunagari.stars = gs.childNodes.length;
    return boxes;
  }
  function labels() {  // greedy: no two labels overlap, a town's name only where it fits
    while (gl.firstChild) gl.removeChild(gl.firstChild);
    var r = svg.getBoundingClientRect(), k = view[2] / r.width;  // units per pixel
    var placed = stars(r, k), size = 12, shown = 0;
    var zoomedIn = k < (full[2] / r.width) / 4;
    var cands = zoomedIn ? townLabels : prefLabels.concat(townLabels);
    cands = cands.slice().sort(function (a, b) { return b.weight - a.weight; });
    cands.forEach(function (l) {
      var sx = (l.x - view[0]) / k, sy = (l.y - view[1]) / k;
      if (sx < 0 || sy < 0 || sx > r.width || sy > r.height) return;
      var w = l.name.length * (l.pref ? 13 : size) + 4, h = size + 4;
      if (!l.pref && (l.box.width / k < w * 0.8 || l.box.height / k < h)) return;
      var rect = [sx - w / 2, sy - h / 2, sx + w / 2, sy + h / 2];
      for (var i = 0; i < placed.length; i++) {
        var q = placed[i];
        if (rect[0] < q[2] && q[0] < rect[2] && rect[1] < q[3] && q[1] < rect[3]) return;
      }
      placed.push(rect);
      var text = document.createElementNS(NS, 'text');
      text.setAttribute('x', sx); text.setAttribute('y', sy);
      if (l.pref) text.setAttribute('class', 'pref');
      text.textContent = l.name;
      gl.appendChild(text);
      shown += 1;
    });
    window.tsunagari.labels = shown;
  }
  function show() {
    svg.setAttribute('viewBox', view.join(' '));
    var tf = 'translate(' + view[0] + ' ' + view[1] + ') scale(' +
             view[2] / svg.getBoundingClientRect().width + ')';
    gl.setAttribute('transform', tf);
    gs.setAttribute('transform', tf);
    labels();
  }
  function at(e) {
    var r = svg.getBoundingClientRect(), k = view[2] / r.width;
    return [view[0] + (e.clientX - r.left) * k, view[1] + (e.clientY - r.top) * k, k];
  }
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var p = at(e), f = e.deltaY < 0 ? 0.8 : 1.25;
    var w = Math.min(full[2] * 1.5, Math.max(full[2] / 400, view[2] * f));
    f = w / view[2];
    view = [p[0] - (p[0] - view[0]) * f, p[1] - (p[1] - view[1]) * f, view[2] * f, view[3] * f];
    show();
  }, {passive: false});
  var drag = null, moved = false;
  svg.addEventListener('mousedown', function (e) {
    drag = [e.clientX, e.clientY, view[0], view[1]]; moved = false;
  });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    if (Math.abs(e.clientX - drag[0]) + Math.abs(e.clientY - drag[1]) > 3) moved = true;
    var k = at(e)[2];
    view[0] = drag[2] - (e.clientX - drag[0]) * k;
    view[1] = drag[3] - (e.clientY - drag[1]) * k;
    show();
  });
  svg.addEventListener('dblclick', function () { view = start.slice(); show(); });
  var select = document.getElementById('service'), tip = document.getElementById('tip');
  function mode() {
    var m = document.querySelector('input[name=mode]:checked');
    return m ? +m.value : 0;
  }
  function paint() {
    var s = +select.value, md = mode(), counts = d.tiers.map(function () { return 0; });
    towns.forEach(function (t) {  // a prefecture's map counts its own towns
      var tier = +t.town[4][md][s];
      if (!focusPref || d.prefectures[t.town[2]][0] === focusPref) counts[tier] += 1;
      t.path.setAttribute('fill', d.colours[tier]);
    });
    document.querySelectorAll('.count').forEach(function (b) {
      b.textContent = counts[+b.dataset.tier].toLocaleString();
    });
  }
  function repaint() { paint(); labels(); }
  select.addEventListener('change', repaint);
  document.querySelectorAll('input[name=mode]').forEach(function (r) {
    r.addEventListener('change', repaint);
  });
  var starBox = document.getElementById('stars');
  if (starBox) starBox.addEventListener('change', labels);
  function townOf(c) {  // the town index a path stands for (a town, or a star on it)
    if (c.tagName !== 'path') return null;
    if (c.dataset.i) return +c.dataset.i;
    if (c.dataset.s) return starSites()[+c.dataset.s][0];
    return null;
  }
  svg.addEventListener('click', function (e) {
    var i = townOf(e.target);
    if (moved || !d.href || i === null) return;
    var code = d.towns[i][0];
    location.href = d.href.replace('{pref}', code.slice(0, 2)).replace('{code}', code);
  });
  svg.addEventListener('mousemove', function (e) {
    var c = e.target, ti = townOf(c);
    if (drag || ti === null) { tip.style.display = 'none'; return; }
    var tw = d.towns[ti], s = +select.value, md = mode(), x = d.text;
    var pop = tw[3] === null ? x.unknown : tw[3].toLocaleString() + ' ' + x.people;
    var lines = [tw[1] + '（' + d.prefectures[tw[2]][1] + '）', x.population + ': ' + pop,
                 d.services[s] + ': ' + d.tiers[+tw[4][md][s]]];
    starSites().forEach(function (st) {
      if (st[0] !== ti) return;
      lines.push('★ ' + x.star.replace('{rank}', st[1]));
      lines.push(x.reach.replace('{people}', st[2].toLocaleString())
                        .replace('{towns}', st[3].toLocaleString()));
    });
    var found = [];
    (tw[5][md] || []).forEach(function (f) { if (f[0] === s) found = f[1]; });
    if (found.length) {
      lines.push(x.providers + ':');
      found.forEach(function (i) {
        var p = d.providers[i];
        lines.push('・' + p[0] + (p[1] >= 0 ? '（' + d.sources[p[1]] + '）' : ''));
      });
    }
    if (d.href) lines.push(x.open);
    tip.textContent = lines.join('\\n');
    tip.style.display = 'block';
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 390) + 'px';
    tip.style.top = (e.clientY + 10) + 'px';
  });
  svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  window.addEventListener('hashchange', function () { location.reload(); });
  window.tsunagari = {towns: towns.length, labels: 0, stars: 0};
  show();
  paint();
  window.tsunagari.ready = true;
})();
"""
