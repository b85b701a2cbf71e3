"""Accessibility: a two-step floating catchment (2SFCA) score per municipality and service.

Luo & Wang (2003). Step 1: each provider j gets R_j = S_j / Σ_{k: d_kj ≤ d0} P_k, its
capacity over the population within the catchment d0. Step 2: each municipality i gets
A_i = Σ_{j: d_ij ≤ d0} R_j, shown per 100,000 people. Implemented here with numpy rather
than PySAL `access` (1.1.10): it requires geopandas and scipy, which would add pyogrio
(GDAL, 33 MB wheel), scipy (35 MB), pyproj (PROJ, 9.5 MB) and shapely (2.3 MB) — 81 MB of
wheels measured with `pip download`, none otherwise needed — for these two matrix products
over ~1,700 × a few thousand points. Checked against a hand-worked case in tests/test_access.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries import run_query
from tsunagari.queries.coverage import check_service, municipalities

CATCHMENT_KM = 30.0
EARTH_KM = 6371.0088  # mean Earth radius (IUGG)
PER = 100_000


def distance_km(lat1: Any, lng1: Any, lat2: Any, lng2: Any) -> np.ndarray:
    """Great-circle (haversine) distances, a matrix of len(lat1) × len(lat2)."""
    a1, o1 = (
        np.radians(np.asarray(lat1, float))[:, None],
        np.radians(np.asarray(lng1, float))[:, None],
    )
    a2, o2 = (
        np.radians(np.asarray(lat2, float))[None, :],
        np.radians(np.asarray(lng2, float))[None, :],
    )
    h = np.sin((a2 - a1) / 2) ** 2 + np.cos(a1) * np.cos(a2) * np.sin((o2 - o1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def two_step_fca(
    demand: np.ndarray, supply: np.ndarray, dist: np.ndarray, catchment: float
) -> np.ndarray:
    """A_i for demand points i (population P) and supply points j (capacity S); dist is i × j.

    A provider with nobody within reach serves no one (R_j = 0).
    """
    within = (dist <= catchment).astype(float)
    reached = within.T @ demand  # Σ P_k within reach of each provider
    ratio = np.divide(supply, reached, out=np.zeros_like(supply, dtype=float), where=reached > 0)
    return within @ ratio


@dataclass(frozen=True)
class AccessResult:
    rows: list[dict[str, Any]]
    catchment_km: float
    providers: int  # located providers used as supply
    unlocated: int  # municipalities left out for want of coordinates or population


def access_table(
    store: GraphStore,
    *,
    service: str | None = None,
    prefecture: str | None = None,
    catchment_km: float = CATCHMENT_KM,
    specialised: bool = False,
) -> AccessResult:
    """2SFCA score per municipality (wards left out; their city stands for them) and service.

    Demand: each municipality's population at its town hall. Supply: each organisation or
    centre LOCATED_IN a municipality (or ward), capacity 1, at that town hall; it supplies
    a service its node or its COVERS edges list (with `specialised`, only hikikomori-
    specialised ones). Scores are computed over all of Japan (catchments cross prefecture
    borders), then `prefecture` filters the rows.
    """
    check_service(service)
    towns = municipalities(store)
    where = {m["code"]: (m["lat"], m["lng"]) for m in towns if m["lat"] is not None}
    demand = [m for m in towns if m["kind"] != "ward" and m["code"] in where and m["population"]]
    left_out = sum(1 for m in towns if m["kind"] != "ward") - len(demand)
    supply: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # service → code → n
    located = 0
    for r in run_query(store, "provider_locations"):
        if r["code"] not in where or (specialised and not r["specialised"]):
            continue
        located += 1
        offered = set(r["services"]).union(*(s or [] for s in r["covers_services"]))
        for s in offered:
            supply[s][r["code"]] += 1
    population = np.array([m["population"] for m in demand], float)
    lat = [where[m["code"]][0] for m in demand]
    lng = [where[m["code"]][1] for m in demand]
    rows = []
    for s in [service] if service else SERVICES:
        codes = sorted(supply.get(s, {}))
        if codes:
            dist = distance_km(lat, lng, [where[c][0] for c in codes], [where[c][1] for c in codes])
            capacity = np.array([supply[s][c] for c in codes], float)
            score = two_step_fca(population, capacity, dist, catchment_km)
            in_reach = (dist <= catchment_km).astype(float) @ capacity
            nearest = dist.min(axis=1)
        else:
            score = in_reach = np.zeros(len(demand))
            nearest = np.full(len(demand), np.nan)
        for i, m in enumerate(demand):
            if prefecture and m["prefecture_code"] != prefecture:
                continue
            rows.append(
                {
                    "rank": 0,
                    "code": m["code"],
                    "municipality": m["name"],
                    "prefecture": m["prefecture"],
                    "service": s,
                    "score": round(float(score[i]) * PER, 4),
                    "providers_in_reach": int(in_reach[i]),
                    "nearest_km": None if np.isnan(nearest[i]) else round(float(nearest[i]), 1),
                    "population": m["population"],
                }
            )
    rows.sort(key=lambda r: (r["score"], -r["population"], r["code"], SERVICES.index(r["service"])))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return AccessResult(rows, catchment_km, located, left_out)


ACCESS_COLUMNS = (
    "rank",
    "code",
    "municipality",
    "prefecture",
    "service",
    "score",
    "providers_in_reach",
    "nearest_km",
    "population",
)

_METHOD = {
    "ja": (
        "方法: 2段階浮動集水域法（2SFCA, Luo & Wang 2003）。score = 距離 {d:g} km 以内の"
        "支援機関それぞれについて「1 ÷ その機関から {d:g} km 以内の人口」を合計し、"
        "10万人あたりに直した値。",
        "仮定: 各機関の容量は1（職員数などのデータがないため）。位置は所在地の"
        "市区町村の役所の座標、需要は市町村の総人口を役所の位置に置いたもの。距離は直線"
        "（大圏距離）で、道路や交通は考えない。所在地のない機関（{n} 件の機関のみ使用）と"
        "座標・人口のない市町村（{u} 件）は含まない。",
    ),
    "en": (
        "Method: two-step floating catchment (2SFCA, Luo & Wang 2003). score = the sum, over "
        "providers within {d:g} km, of 1 ÷ the population within {d:g} km of that provider, "
        "per 100,000 people.",
        "Assumptions: every provider has capacity 1 (no staffing data). A provider sits at the "
        "town hall of the municipality it is LOCATED_IN; demand is each municipality's total "
        "population at its town hall. Distances are straight-line (great-circle), not roads or "
        "transit. Providers without a location are left out ({n} located providers used), as "
        "are municipalities without coordinates or population ({u}).",
    ),
}


def method_lines(result: AccessResult, *, lang: str = "ja") -> list[str]:
    """The method and its assumptions, printed with every accessibility answer."""
    text = _METHOD.get(lang, _METHOD["en"])
    return [t.format(d=result.catchment_km, n=result.providers, u=result.unlocated) for t in text]
