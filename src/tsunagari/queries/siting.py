"""Siting: where k more windows would newly reach the most people, the existing network fixed.

A maximal covering location problem (mclp.py) on the coverage model. Demand points are
municipalities (wards within their city) at their town hall, weighted by population or by
the estimated people in hikikomori state. A municipality counts as covered when a
municipality whose tier for the service is `covered_at` or better (default local: a
provider located in it or serving it alone) lies within the catchment: straight-line
(haversine) distance between town halls, inclusive at exactly the radius. Those existing
sites are fixed (catchments cross prefecture borders); planned sites (`add`) join them;
closing a provider (`close`) first removes it, and the centres it operates, as
resilience.py does. Candidate sites are town halls too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.errors import InputError, QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.queries import coverage as cov
from tsunagari.queries import run_query
from tsunagari.queries.access import CATCHMENT_KM, distance_km
from tsunagari.queries.mclp import Solution, exact, greedy

log = logging.getLogger(__name__)

K = 10
WEIGHTS = ("population", "estimated")
UNKNOWN = ("uncovered", "exclude")  # what a town of tier `unknown` (データなし) counts as
CANDIDATES = ("all", "no-provider")  # or a file of municipalities
# tiers at which a provider is in the data: every tier before "unknown" (then "none")
PROVIDER_TIERS = cov.TIERS[: cov.TIER_RANK["unknown"]]
EDGE_KM = 1e-9  # 1 µm: "exactly at the radius" survives floating point


@dataclass(frozen=True)
class SitingOptions:
    """One question: k more sites for one service (see the module docstring)."""

    service: str
    k: int = K
    catchment_km: float = CATCHMENT_KM
    prefecture: str | None = None  # 6-digit code: demand and default candidates in it
    candidates: str | tuple[str, ...] = "all"  # all | no-provider | municipality codes
    weight: str = "population"
    specialised: bool = False
    unknown: str = "uncovered"
    covered_at: str = "local"
    close: tuple[str, ...] = ()  # providers: Label:id, id or exact name
    add: tuple[str, ...] = ()  # municipality codes of planned sites
    since: str | None = None  # leave out facts dated before this year or date
    prevalence: float = PREVALENCE_DEFAULT
    time_limit: float = 60.0  # seconds for the exact solver


@dataclass
class Recommendation:
    options: SitingOptions
    exact: Solution
    greedy: Solution
    sites: list[dict[str, Any]]  # candidate towns, indexed as the solutions index them
    demand: list[dict[str, Any]]  # uncovered towns within reach of a candidate (with weight)
    total: float  # the weight of every demand town
    covered: float  # already within reach of an existing or planned site
    unreachable: float  # uncovered and out of every candidate's reach
    excluded: list[dict[str, Any]] = field(default_factory=list)  # unknown towns left out
    existing: int = 0  # existing sites (towns at covered_at or better)
    closed: list[str] = field(default_factory=list)  # providers closed, as Label:id
    left_out: int = 0  # towns without coordinates or population

    @property
    def gap(self) -> float | None:
        """(exact − greedy) / exact, the share greedy misses; None when nothing can be reached."""
        return (
            (self.exact.value - self.greedy.value) / self.exact.value if self.exact.value else None
        )

    def rows(self) -> list[dict[str, Any]]:
        """One row per chosen site: exact first, then greedy, each in order of marginal gain."""
        out = []
        for method, sol in (("exact", self.exact), ("greedy", self.greedy)):
            cumulative = 0.0
            for rank, (j, gain, adds) in enumerate(
                zip(sol.sites, sol.gains, sol.covered, strict=True), start=1
            ):
                cumulative += gain
                site = self.sites[j]
                towns = sorted((self.demand[i] for i in adds), key=lambda m: -m["weight"])
                out.append(
                    {
                        "method": method,
                        "rank": rank,
                        "code": site["code"],
                        "municipality": site["name"],
                        "prefecture": site["prefecture"],
                        "gain": round(gain),
                        "cumulative": round(cumulative),
                        "towns_reached": len(towns),
                        "reached": [m["name"] for m in towns],
                        "lat": site["lat"],
                        "lng": site["lng"],
                    }
                )
        return out

    def side_by_side(self) -> list[dict[str, Any]]:
        """The exact and greedy answers rank by rank, for people."""
        by: dict[str, list[dict[str, Any]]] = {"exact": [], "greedy": []}
        for r in self.rows():
            by[r["method"]].append(r)
        out = []
        for i in range(max(len(by["exact"]), len(by["greedy"]))):
            row: dict[str, Any] = {"rank": i + 1}
            for method in ("exact", "greedy"):
                if i < len(by[method]):
                    r = by[method][i]
                    row[f"{method}_site"] = f"{r['municipality']}（{r['prefecture']}）"
                    row[f"{method}_code"] = r["code"]
                    row[f"{method}_gain"] = r["gain"]
                    row[f"{method}_towns"] = r["towns_reached"]
            out.append(row)
        return out


SIDE_COLUMNS = ("rank", "exact_site", "exact_gain", "exact_towns", "greedy_site", "greedy_gain")
RECOMMEND_COLUMNS = (
    "method",
    "rank",
    "code",
    "municipality",
    "prefecture",
    "gain",
    "cumulative",
    "towns_reached",
    "reached",
    "lat",
    "lng",
)


@dataclass
class Problem:
    """One question read from the store, ready to solve without it (`solve`)."""

    options: SitingOptions
    weights: list[float]  # of each demand town
    reach: list[list[int]]  # per candidate site: the demand towns it reaches
    sites: list[dict[str, Any]]
    demand: list[dict[str, Any]]
    total: float
    covered: float
    unreachable: float
    excluded: list[dict[str, Any]]
    existing: int
    closed: list[str]
    left_out: int


def recommend(store: GraphStore, options: SitingOptions) -> Recommendation:
    """Choose up to k sites, exactly and greedily (see the module docstring)."""
    return solve(prepare(store, options))


def prepare(
    store: GraphStore,
    options: SitingOptions,
    *,
    coverage: list[dict[str, Any]] | None = None,
    towns: list[dict[str, Any]] | None = None,
) -> Problem:
    """Everything a question needs from the store: the demand, the candidates and whom each
    reaches. `coverage` is the national coverage table of this service and question when
    the caller has it (as `coverage_table` returns it), `towns` every municipality."""
    o = options
    _check(o)
    by_code = {m["code"]: m for m in (towns if towns is not None else cov.municipalities(store))}
    rows = coverage if coverage is not None else _coverage(store, o)
    tiers = {r["code"]: r["tier"] for r in rows}
    closed: list[str] = []
    if o.close:
        closed = _close(store, o, tiers, by_code)
    placed, near = within_reach(list(by_code.values()), o.catchment_km)
    at = {m["code"]: i for i, m in enumerate(placed)}
    missing = [c for c in o.add if c not in at]
    if missing:
        raise QueryError(f"planned sites without coordinates in the graph: {missing}")
    rank = cov.TIER_RANK[o.covered_at]
    existing = [c for c, t in tiers.items() if c in at and cov.TIER_RANK[t] <= rank]
    fixed = list(dict.fromkeys([*existing, *o.add]))

    in_scope = [r for r in rows if not o.prefecture or r["prefecture_code"] == o.prefecture]
    excluded = [r for r in in_scope if tiers[r["code"]] == "unknown" and o.unknown == "exclude"]
    gone = {r["code"] for r in excluded}
    demand_all = []
    left_out = 0
    for r in in_scope:
        w = r["population"] if o.weight == "population" else r["estimated"]
        if r["code"] not in at or not w:
            left_out += 1
        elif r["code"] not in gone:
            demand_all.append({**by_code[r["code"]], "weight": float(w)})
    total = sum(m["weight"] for m in demand_all)
    rows_of = [at[m["code"]] for m in demand_all]
    covered_now = _any_in_row(near[np.ix_(rows_of, [at[c] for c in fixed])])
    uncovered = [m for m, c in zip(demand_all, covered_now, strict=True) if not c]
    sites = _candidates(o, placed, tiers, by_code)
    reach_matrix = near[np.ix_([at[m["code"]] for m in uncovered], [at[m["code"]] for m in sites])]
    useful = _any_in_row(reach_matrix)
    demand = [m for m, u in zip(uncovered, useful, strict=True) if u]
    reachable = reach_matrix[np.array(useful, bool)]
    return Problem(
        options=o,
        weights=[m["weight"] for m in demand],
        reach=_columns(reachable),
        sites=sites,
        demand=demand,
        total=total,
        covered=total - sum(m["weight"] for m in uncovered),
        unreachable=sum(m["weight"] for m, u in zip(uncovered, useful, strict=True) if not u),
        excluded=excluded,
        existing=len(existing),
        closed=closed,
        left_out=left_out,
    )


def solve(p: Problem) -> Recommendation:
    """The exact and the greedy answer to a prepared question (needs no store: it can run in
    a thread while the caller goes on; HiGHS releases the GIL while it solves)."""
    o = p.options
    quick = greedy(p.weights, p.reach, o.k)
    best = exact(p.weights, p.reach, o.k, time_limit=o.time_limit, start=quick.sites)
    log.info(
        "siting %s: %d candidates, %d towns to reach, exact %.0f (%s, %.2fs), greedy %.0f",
        o.service, len(p.sites), len(p.demand), best.value, best.status, best.seconds, quick.value,
    )  # fmt: skip
    return Recommendation(
        options=o,
        exact=best,
        greedy=quick,
        sites=p.sites,
        demand=p.demand,
        total=p.total,
        covered=p.covered,
        unreachable=p.unreachable,
        excluded=p.excluded,
        existing=p.existing,
        closed=p.closed,
        left_out=p.left_out,
    )


def _check(o: SitingOptions) -> None:
    cov.check_service(o.service)
    if o.k < 1:
        raise QueryError(f"k must be at least 1, not {o.k}")
    if o.weight not in WEIGHTS:
        raise QueryError(f"unknown weight {o.weight!r} (one of {', '.join(WEIGHTS)})")
    if o.unknown not in UNKNOWN:
        raise QueryError(f"unknown --unknown {o.unknown!r} (one of {', '.join(UNKNOWN)})")
    if o.covered_at not in PROVIDER_TIERS:
        raise QueryError(f"covered_at {o.covered_at!r} is not one of {', '.join(PROVIDER_TIERS)}")
    if isinstance(o.candidates, str) and o.candidates not in CANDIDATES:
        raise QueryError(f"candidates {o.candidates!r}: one of {', '.join(CANDIDATES)} or a file")


def _coverage(store: GraphStore, o: SitingOptions) -> list[dict[str, Any]]:
    """Each municipality's tier nationally (existing sites across a border count too)."""
    return cov.coverage_table(
        store,
        service=o.service,
        prevalence=o.prevalence,
        specialised=o.specialised,
        since=o.since,
    )


def _close(
    store: GraphStore, o: SitingOptions, tiers: dict[str, str], towns: dict[str, dict[str, Any]]
) -> list[str]:
    """Recompute the tiers without the closed providers; returns them as Label:id.

    A provider is named among every provider of any service (and every operator), so that
    closing an organisation that gives general support closes the specialised centre it
    operates too."""
    from tsunagari.queries.network import node_id  # networkx: not for the report's worker

    operated = run_query(store, "operated_centres")
    known = {node_id(x.label, x.id): x.name for x in cov.coverage_links(store, since=o.since)}
    known.update({node_id("Organization", r["operator"]): r["operator_name"] for r in operated})
    closing: set[str] = set()
    for text in o.close:
        hits = {v for v, name in known.items() if text in (v, v.split(":", 1)[1], name)}
        if not hits:
            raise QueryError(
                f"no provider is {text!r}; give Label:id, the id or the exact name "
                "(the node column of `tsunagari resilience --format csv`)"
            )
        if len(hits) > 1:
            raise QueryError(f"{text!r} names several providers: {', '.join(sorted(hits))}")
        closing |= hits
    for r in operated:
        if node_id("Organization", r["operator"]) in closing:
            closing.add(node_id("SupportCenter", r["centre"]))
    links = cov.coverage_links(store, service=o.service, specialised=o.specialised, since=o.since)
    claims = cov.completeness_claims(store, since=o.since)
    parent = {c: m["parent_code"] for c, m in towns.items() if m["parent_code"]}
    by_key = cov.roll_up(links, parent)
    for (code, _), found in by_key.items():
        if any(node_id(x.label, x.id) in closing for x in found):
            rest = [x for x in found if node_id(x.label, x.id) not in closing]
            complete = cov.is_complete(claims, towns[code], o.service, specialised=o.specialised)
            tiers[code] = cov.best_tier(rest, complete=complete)
    return sorted(closing)


def _candidates(
    o: SitingOptions,
    placed: list[dict[str, Any]],
    tiers: dict[str, str],
    towns: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    if not isinstance(o.candidates, str):
        codes = list(dict.fromkeys(o.candidates))
        missing = [c for c in codes if c not in towns or towns[c]["lat"] is None]
        if missing:
            raise QueryError(f"candidate sites without coordinates in the graph: {missing}")
        return sorted((towns[c] for c in codes), key=lambda m: m["code"])
    out = [
        m
        for m in placed
        if m["code"] in tiers and (not o.prefecture or m["prefecture_code"] == o.prefecture)
    ]
    if o.candidates == "no-provider":
        out = [m for m in out if tiers[m["code"]] not in PROVIDER_TIERS]
    return out


def within_reach(
    towns: list[dict[str, Any]], km: float = CATCHMENT_KM
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """The towns with coordinates, and whether each pair of them is within `km` (computed
    once per list of towns: the report's worker asks for it ahead, while coverage is read)."""
    placed = [m for m in towns if m["lat"] is not None and m["lng"] is not None]
    return placed, _near(tuple((m["lat"], m["lng"]) for m in placed), km)


@lru_cache(maxsize=2)
def _near(points: tuple[tuple[float, float], ...], km: float) -> np.ndarray:
    """points × points: whether each pair is within `km` (inclusive), computed once for
    all the services of a report."""
    lat = [p[0] for p in points]
    lng = [p[1] for p in points]
    return np.asarray(distance_km(lat, lng, lat, lng) <= km + EDGE_KM, bool)


def _columns(m: np.ndarray) -> list[list[int]]:
    """The rows set in each column of a boolean matrix."""
    col, row = np.nonzero(m.T)  # ordered by column, then row
    return [
        x.tolist() for x in np.split(row, np.cumsum(np.bincount(col, minlength=m.shape[1]))[:-1])
    ]


def _any_in_row(m: np.ndarray) -> list[bool]:
    return [bool(v) for v in np.asarray(m.any(axis=1)).ravel()]


def read_sites(path: Path) -> tuple[str, ...]:
    """Municipality codes from a CSV or Excel sheet with a `municipality` column (name or
    code) and an optional `prefecture` column; every row that names no one municipality is
    reported as file:line, and nothing is read while any is."""
    from tsunagari.loaders.names import problem_for, resolve
    from tsunagari.loaders.tabular import read_sheets
    from tsunagari.records import Problem

    sheets, problems = read_sheets(path)
    if problems:
        raise InputError("\n".join(str(p) for p in problems))
    sheet = sheets[0]
    if "municipality" not in sheet.header:
        have = ", ".join(c for c in sheet.header if c) or "nothing"
        raise InputError(f"{sheet.file}: no column 'municipality'; the header has {have}")
    codes: list[str] = []
    for row in sheet.rows:
        text = row.cells["municipality"]
        res = resolve(text, prefecture=row.cells.get("prefecture") or None)
        problem = problem_for(res, file=sheet.file, line=row.line, field="municipality")
        if problem is None and res.label != "Municipality":
            problem = Problem(
                "not-a-municipality", sheet.file, row.line, "municipality", text,
                f"{text!r} is a prefecture; name a municipality (its town hall is the site)",
            )  # fmt: skip
        if problem is not None:
            problems.append(problem)
        elif res.code is not None:
            codes.append(res.code)
    if problems:
        raise InputError("\n".join(str(p) for p in problems))
    if not codes:
        raise InputError(f"{sheet.file}: no municipalities listed")
    return tuple(codes)


def method_lines(rec: Recommendation, *, lang: str = "ja", counts: bool = True) -> list[str]:
    """The method, the result, the service and every assumption, printed with each answer
    (in that order: the report shows the lines from the assumptions on, without the counts
    of one service's answer)."""
    from tsunagari.tables import VALUES_JA

    o = rec.options
    ja = lang == "ja"

    def word(x: str) -> str:
        return VALUES_JA.get(x, x) if ja else x.replace("_", " ")

    def n(x: object) -> str:  # a count of this answer, in brackets
        return "" if not counts else f"（{x}）" if ja else f" ({x})"

    ex, gr = rec.exact, rec.greedy
    gap = "—" if rec.gap is None else f"{rec.gap:.2%}"
    if ja:
        what = "人口" if o.weight == "population" else f"推計ひきこもり数（人口×{o.prevalence:g}）"
        kind = "ひきこもり専門の支援のみ" if o.specialised else "一般・専門を問わない"
        cands = {"all": "全市町村", "no-provider": "提供者のない市町村"}.get(
            o.candidates if isinstance(o.candidates, str) else "", "指定のファイル"
        )
        unknown = (
            "届いていないものとして数える"
            if o.unknown == "uncovered"
            else f"需要から除く{n(f'{len(rec.excluded)} 市町村')}"
        )
        lines = [
            f"方法: 最大被覆立地問題（MCLP, Church & ReVelle 1974）。既存の拠点は固定し、"
            f"あと {o.k} か所で新たに届く{what}が最大になる組を、HiGHS の混合整数計画で厳密に"
            f"（{word(ex.status)}, {ex.seconds:.2f} 秒）、貪欲法（1か所ずつ最も増える所, "
            f"{gr.seconds:.2f} 秒）でも選んだ。",
            f"結果: 厳密解 {ex.value:,.0f}、貪欲法 {gr.value:,.0f}（貪欲法の不足 {gap}）。"
            f"対象の{what} {rec.total:,.0f} のうち既に届いている {rec.covered:,.0f}、"
            f"どの候補からも届かない {rec.unreachable:,.0f}。"
            + (
                ""
                if ex.status == "optimal"
                else f"厳密解は {o.time_limit:g} 秒で打ち切り、最適とは確かめられていない"
                f"（上界 {'—' if ex.bound is None else f'{ex.bound:,.0f}'}）。"
            ),
            f"対象: 支援「{word(o.service)}」（{kind}）。",
            "仮定: 距離は市町村役場間の直線（大圏）距離。"
            f"「届く」は半径 {o.catchment_km:g} km 以内（ちょうど {o.catchment_km:g} km を含む）。"
            f"既存の拠点はカバーが「{word(o.covered_at)}」以上の市町村"
            f"{n(f'全国で {rec.existing} か所')}。"
            f"候補地は{cands}の役場{n(f'{len(rec.sites)} か所')}。データなしの市町村は{unknown}。"
            f"座標か人口のない市町村{n(rec.left_out)}は含まない。政令市は区をまとめて市役所の位置。",
            "「新たに届く」は、上の順位の拠点で既に届く分を除いた増分（限界効果）。",
        ]
        if rec.closed:
            lines.append(f"閉鎖を仮定（運営する拠点を含む）: {', '.join(rec.closed)}。")
        if o.add:
            lines.append(f"計画中の拠点を既存として追加: {', '.join(o.add)}。")
        if o.since:
            lines.append(f"{o.since} より前の日付の事実は除いた。")
        return lines
    what = (
        "population"
        if o.weight == "population"
        else f"estimated people in hikikomori state (population × {o.prevalence:g})"
    )
    kind = "hikikomori-specialised support only" if o.specialised else "general or specialised"
    cands = {"all": "every municipality", "no-provider": "municipalities with no provider"}.get(
        o.candidates if isinstance(o.candidates, str) else "", "the municipalities in the file"
    )
    unknown = (
        "count as not reached"
        if o.unknown == "uncovered"
        else f"are left out of the demand{n(len(rec.excluded))}"
    )
    lines = [
        "Method: maximal covering location (MCLP, Church & ReVelle 1974). The existing sites "
        f"are fixed; the {o.k} more sites newly reaching the most {what} were chosen exactly by "
        f"mixed-integer programming with HiGHS ({ex.status}, {ex.seconds:.2f} s) and greedily "
        f"(each step the site adding most, {gr.seconds:.2f} s).",
        f"Result: exact {ex.value:,.0f}, greedy {gr.value:,.0f} (greedy short by {gap}). Of "
        f"{rec.total:,.0f} in scope, {rec.covered:,.0f} are already reached and "
        f"{rec.unreachable:,.0f} are out of every candidate's reach."
        + (
            ""
            if ex.status == "optimal"
            else f" The exact solver stopped at {o.time_limit:g} s, not proven optimal "
            f"(bound {'—' if ex.bound is None else f'{ex.bound:,.0f}'})."
        ),
        f"Service: {o.service} ({kind}).",
        "Assumptions: distances are straight lines (great circle) "
        f"between town halls. Reached = within {o.catchment_km:g} km, inclusive at exactly "
        f"{o.catchment_km:g} km. Existing sites: municipalities at {word(o.covered_at)} coverage "
        f"or better{n(f'{rec.existing} in all of Japan')}. "
        f"Candidates: the town halls of {cands}{n(len(rec.sites))}. "
        f"Towns with no data (unknown) {unknown}. Municipalities without coordinates or "
        f"population{n(rec.left_out)} are left out. A designated city is one point, its city hall.",
        "Newly reached: what each site adds beyond the sites ranked above it (marginal gain).",
    ]
    if rec.closed:
        lines.append(f"Assumed closed (with the centres they operate): {', '.join(rec.closed)}.")
    if o.add:
        lines.append(f"Planned sites added as existing: {', '.join(o.add)}.")
    if o.since:
        lines.append(f"Facts dated before {o.since} are left out.")
    return lines
