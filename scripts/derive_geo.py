"""Derive the bundled map boundaries from the reference TopoJSON (a maintainer's script).

Run from the repository root with the reference folder beside it:
    python scripts/derive_geo.py ../shared/data
It reads `geo/` there and the bundled `src/tsunagari/data/municipalities.csv` (codes,
populations) and writes `src/tsunagari/data/geo/japan.json`: every municipality and
prefecture as an SVG path already projected (Albers equal-area, standard parallels 30°
and 42°, centred on 137°E 35°N) in quarter-kilometre units with relative integer steps,
a label point per polygon, and for each prefecture the view a prefecture map opens on.
It is not used at run time or in tests; its output is committed.
"""

from __future__ import annotations

import csv
import heapq
import json
import math
import sys
from pathlib import Path

OUT = Path("src/tsunagari/data/geo/japan.json")
MASTER = Path("src/tsunagari/data/municipalities.csv")
SOURCE = "mlit-n03-2021"
CREDIT = "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成"
UNIT_KM = 0.25
R_KM = 6371.0
PHI1, PHI2, PHI0, LAM0 = 30.0, 42.0, 35.0, 137.0
# the frame: the four main islands, Okinawa and the Ogasawara islands; 南鳥島 (153.98°E)
# and 沖ノ鳥島 (20.4°N) fall outside it and are not drawn
FRAME = (122.5, 24.0, 146.5, 46.0)  # lng, lat, lng, lat
MIN_RING_UNITS2 = 2.0  # rings smaller than 0.125 km² are dropped (a town keeps its largest)
POINT_RADIUS = 6  # units: the circle drawn for a town whose shape the simplification lost
VIEW_GAP_KM = 40.0  # towns within this gap of each other form one group of a prefecture
VIEW_SHARE = 0.02  # a prefecture map opens on the groups holding at least this population share


def main(ref: Path) -> None:
    master = _master()
    munis = json.loads((ref / "geo" / "municipalities_designated_city_merged.topojson").read_text())
    prefs = json.loads((ref / "geo" / "prefectures.topojson").read_text())
    by5 = {code[:5]: code for code in master}
    pref_by_name = {r["prefecture"]: r["pref_code"] for r in master.values()}
    pref_code6 = {r["pref_code"]: code for code, r in master.items() if r["kind"] == "prefecture"}
    x0, y0, x1, y1 = _frame_box()

    def shift(poly: list[list[tuple[float, float]]]) -> list[list[tuple[int, int]]]:
        return [[(round(x - x0), round(y - y0)) for x, y in ring] for ring in poly]

    towns: dict[str, list[list[list[tuple[int, int]]]]] = {}
    skipped: set[str] = set()
    for geom in _geometries(munis):
        code5 = geom["properties"].get("N03_007")
        if code5 not in by5:
            skipped.add(code5 or "")  # 所属未定地, and the 6 villages of the 北方領土
            continue
        code = by5[code5]
        if geom["type"] is None:
            continue  # seven small islands lost their shape to the simplification
        towns.setdefault(code, []).extend(shift(p) for p in _polygons(munis, geom))
    missing = sorted(c for c, r in master.items() if r["kind"] not in ("prefecture", "ward"))
    # a town with no shape left is drawn as a small circle around its town hall (and says so)
    points = [c for c in missing if not _clean(towns.get(c, []))]
    for code in points:
        x, y = _project(float(master[code]["lng"]), float(master[code]["lat"]))
        towns[code] = [[_circle(round(x - x0), round(y - y0))]]
    outlines: dict[str, list[list[list[tuple[int, int]]]]] = {}
    for geom in _geometries(prefs):
        code = pref_code6[pref_by_name[geom["properties"]["N03_001"]]]
        outlines.setdefault(code, []).extend(shift(p) for p in _polygons(prefs, geom))
    out_towns = {}
    for code in sorted(towns):
        polys = _clean(towns[code])
        out_towns[code] = [_path(polys), *_label(polys)]
    out_prefs = {}
    for code in sorted(outlines):
        polys = _clean(outlines[code])
        members = [c for c, r in master.items() if r["pref_code"] == code[:2] and c in towns]
        view = _view([(_clean(towns[c]), master[c]["population"]) for c in members])
        out_prefs[code] = [_path(polys), *_label(polys), view]
    doc = {
        "source": SOURCE,
        "credit": CREDIT,
        "projection": f"Albers equal-area {PHI1}/{PHI2}, centre {LAM0}E {PHI0}N",
        "unit_km": UNIT_KM,
        "width": round(x1 - x0),
        "height": round(y1 - y0),
        "points": points,
        "towns": out_towns,
        "prefectures": out_prefs,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    size = OUT.stat().st_size
    print(f"not in the master, not drawn: {sorted(skipped)}")
    print(f"{OUT}: {len(out_towns)} municipalities, {len(out_prefs)} prefectures, {size:,} bytes")


def _master() -> dict[str, dict[str, object]]:
    with MASTER.open(encoding="utf-8") as f:
        return {
            r["code"]: {**r, "population": int(r["population"]) if r["population"] else 0}
            for r in csv.DictReader(f)
        }


def _project(lng: float, lat: float) -> tuple[float, float]:
    """Albers equal-area conic, in UNIT_KM units, y down."""
    p1, p2, p0 = (math.radians(v) for v in (PHI1, PHI2, PHI0))
    n = (math.sin(p1) + math.sin(p2)) / 2
    c = math.cos(p1) ** 2 + 2 * n * math.sin(p1)
    rho0 = math.sqrt(c - 2 * n * math.sin(p0)) / n
    rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
    theta = n * math.radians(lng - LAM0)
    k = R_KM / UNIT_KM
    return rho * math.sin(theta) * k, -(rho0 - rho * math.cos(theta)) * k


def _circle(x: int, y: int, r: int = POINT_RADIUS) -> list[tuple[int, int]]:
    return [
        (x + round(r * math.cos(a * math.pi / 6)), y + round(r * math.sin(a * math.pi / 6)))
        for a in range(12)
    ]


def _frame_box() -> tuple[float, float, float, float]:
    lng0, lat0, lng1, lat1 = FRAME
    corners = [
        _project(lng, lat)
        for lng in (lng0, (lng0 + lng1) / 2, lng1)
        for lat in (lat0, lat1)
    ]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _inside_frame(lng: float, lat: float) -> bool:
    lng0, lat0, lng1, lat1 = FRAME
    return lng0 <= lng <= lng1 and lat0 <= lat <= lat1


def _geometries(topo: dict) -> list[dict]:
    (obj,) = topo["objects"].values()
    return obj["geometries"]


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    cache = topo.setdefault("_decoded", None)
    if cache is not None:
        return cache
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        decoded.append(pts)
    topo["_decoded"] = decoded
    return decoded


def _ring(topo: dict, indexes: list[int]) -> list[tuple[float, float]]:
    arcs = _arcs(topo)
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc[1:] if pts else arc)
    return pts


def _polygons(topo: dict, geom: dict) -> list[list[list[tuple[float, float]]]]:
    """The geometry's polygons (rings of projected points), those outside the frame left out."""
    parts = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    out = []
    for polygon in parts:
        rings = [_ring(topo, r) for r in polygon]
        if not any(_inside_frame(*p) for p in rings[0]):
            continue
        out.append([[_project(*p) for p in ring] for ring in rings])
    return out


def _area(ring: list[tuple[int, int]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def _clean(polys: list[list[list[tuple[int, int]]]]) -> list[list[list[tuple[int, int]]]]:
    """Rings without repeated points; tiny rings dropped, the largest polygon kept."""
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            dedup = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
            if len(dedup) > 1 and dedup[0] == dedup[-1]:
                dedup.pop()
            if len(dedup) >= 3:
                rings.append(dedup)
        if rings:
            out.append(rings)
    out.sort(key=lambda p: -_area(p[0]))
    return [p for i, p in enumerate(out) if i == 0 or _area(p[0]) >= MIN_RING_UNITS2]


def _path(polys: list[list[list[tuple[int, int]]]]) -> str:
    """An SVG path of absolute moves and relative integer lines, numbers packed."""
    parts = []
    for poly in polys:
        for ring in poly:
            (x, y), rest = ring[0], ring[1:]
            steps = []
            for px, py in rest:
                steps += [px - x, py - y]
                x, y = px, py
            parts.append(f"M{ring[0][0]} {ring[0][1]}l{_pack(steps)}z")
    return "".join(parts)


def _pack(numbers: list[int]) -> str:
    out = []
    for i, n in enumerate(numbers):
        if i and n >= 0:
            out.append(" ")
        out.append(str(n))
    return "".join(out)


def _label(polys: list[list[list[tuple[int, int]]]]) -> list[int]:
    """The pole of inaccessibility of the largest polygon (where a label fits best)."""
    return [round(v) for v in _polylabel(polys[0])]


def _polylabel(poly: list[list[tuple[int, int]]], precision: float = 1.0) -> tuple[float, float]:
    """mapbox/polylabel: the inside point farthest from the outline, by cell subdivision."""
    xs = [p[0] for p in poly[0]]
    ys = [p[1] for p in poly[0]]
    minx, miny, maxx, maxy = min(xs), min(ys), max(xs), max(ys)
    size = min(maxx - minx, maxy - miny)
    if size == 0:
        return float(minx), float(miny)

    def dist(x: float, y: float) -> float:
        inside, best = False, math.inf
        for ring in poly:
            for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
                if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                    inside = not inside
                best = min(best, _seg_dist2(x, y, ax, ay, bx, by))
        return (1 if inside else -1) * math.sqrt(best)

    def cell(x: float, y: float, h: float) -> tuple[float, float, float, float, float]:
        d = dist(x, y)
        return (-(d + h * math.sqrt(2)), d, x, y, h)

    h = size / 2
    queue = [
        cell(x + h, y + h, h)
        for x in _frange(minx, maxx, size)
        for y in _frange(miny, maxy, size)
    ]
    heapq.heapify(queue)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    best = cell(cx, cy, 0)
    while queue:
        c = heapq.heappop(queue)
        if c[1] > best[1]:
            best = c
        if -c[0] - best[1] <= precision:
            continue
        h = c[4] / 2
        for dx in (-h, h):
            for dy in (-h, h):
                heapq.heappush(queue, cell(c[2] + dx, c[3] + dy, h))
    return best[2], best[3]


def _frange(start: float, stop: float, step: float) -> list[float]:
    out, v = [], start
    while v < stop:
        out.append(v)
        v += step
    return out


def _seg_dist2(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    if dx or dy:
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        ax, ay = ax + t * dx, ay + t * dy
    return (px - ax) ** 2 + (py - ay) ** 2


def _view(towns: list[tuple[list[list[list[tuple[int, int]]]], int]]) -> list[int]:
    """The box a prefecture map opens on: the groups of towns (gap ≤ VIEW_GAP_KM) that hold
    at least VIEW_SHARE of its population, so that remote islands do not shrink the rest."""
    boxes = [_box(polys) for polys, _ in towns]
    gap = VIEW_GAP_KM / UNIT_KM
    group = list(range(len(towns)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]:
                group[root(i)] = root(j)
    total = sum(pop for _, pop in towns) or 1
    share: dict[int, int] = {}
    for i, (_, pop) in enumerate(towns):
        share[root(i)] = share.get(root(i), 0) + pop
    keep = [b for i, b in enumerate(boxes) if share[root(i)] / total >= VIEW_SHARE]
    return [
        min(b[0] for b in keep),
        min(b[1] for b in keep),
        max(b[2] for b in keep),
        max(b[3] for b in keep),
    ]


def _box(polys: list[list[list[tuple[int, int]]]]) -> tuple[int, int, int, int]:
    pts = [p for poly in polys for p in poly[0]]
    return (
        min(p[0] for p in pts),
        min(p[1] for p in pts),
        max(p[0] for p in pts),
        max(p[1] for p in pts),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
