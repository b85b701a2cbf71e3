"""The report's "where one more window helps most": k more sites per service, as a section,
a CSV and markers over the map."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries.siting import (
    RECOMMEND_COLUMNS,
    SIDE_COLUMNS,
    Recommendation,
    SitingOptions,
    method_lines,
    recommend,
)
from tsunagari.viz.map import Marker
from tsunagari.viz.report import Section, Table
from tsunagari.viz.text import t, word

SITING_K = 10
SITING_SHOWN = ("consultation", "employment_support")  # a table each on the first page
SITING_COLUMNS = ("service", *RECOMMEND_COLUMNS)
SUMMARY_COLUMNS = (
    "service",
    "exact_total",
    "greedy_total",
    "gap_share",
    "covered",
    "total",
    "solver_status",
)


def siting_results(
    store: GraphStore,
    *,
    services: Sequence[str] = SERVICES,
    k: int = SITING_K,
    prevalence: float = PREVALENCE_DEFAULT,
) -> list[Recommendation]:
    """k more sites for each service, the existing network fixed (default options)."""
    return [
        recommend(store, SitingOptions(service=s, k=k, prevalence=prevalence)) for s in services
    ]


def siting_rows(results: Sequence[Recommendation]) -> list[dict[str, Any]]:
    """Every chosen site of every service, exact then greedy (the report's CSV)."""
    return [{"service": r.options.service, **row} for r in results for row in r.rows()]


def siting_markers(results: Sequence[Recommendation]) -> list[Marker]:
    """The exact answer's sites, for the map."""
    return [
        Marker(
            service=r.options.service,
            rank=row["rank"],
            code=row["code"],
            name=row["municipality"],
            prefecture=row["prefecture"],
            lat=row["lat"],
            lng=row["lng"],
            gain=row["gain"],
            towns=row["towns_reached"],
        )
        for r in results
        for row in r.rows()
        if row["method"] == "exact"
    ]


def siting_section(
    results: Sequence[Recommendation],
    *,
    shown: Sequence[str] = SITING_SHOWN,
    csv: str = "csv/siting.csv",
    lang: str = "ja",
) -> Section:
    """The section: a summary per service, then the sites of the `shown` services."""
    summary = [
        {
            "service": r.options.service,
            "exact_total": round(r.exact.value),
            "greedy_total": round(r.greedy.value),
            "gap_share": r.gap,
            "covered": round(r.covered),
            "total": round(r.total),
            "solver_status": word(r.exact.status, lang),
        }
        for r in results
    ]
    k = results[0].options.k if results else SITING_K
    tables = [
        Table(
            t(lang, f"支援ごと: あと {k} か所で新たに届く人", f"By service: {k} more sites"),
            SUMMARY_COLUMNS,
            summary,
            csv=csv,
        )
    ]
    for r in results:
        if r.options.service in shown:
            name = word(r.options.service, lang)
            tables.append(
                Table(
                    t(lang, f"「{name}」: 厳密解と貪欲法", f"{name}: exact and greedy"),
                    SIDE_COLUMNS,
                    r.side_by_side(),
                )
            )
    lines = method_lines(results[0], lang=lang, counts=False)[3:] if results else []
    intro = t(
        lang,
        "いまの提供拠点はそのままに、窓口をあと数か所置くとしたら、まだ支援の届いていない人に"
        "最も多く届くのはどこか（最大被覆立地問題）。地図では★（数字は順位）で示します。",
        "If a few more windows were funded, with today's providers where they are: where would "
        "they newly reach the most people (maximal covering location)? Stars on the map (the "
        "number is the rank).",
    )
    return Section(
        t(lang, "あと1か所置くなら: 効果の大きい場所", "Where one more window helps most"),
        [intro, *lines],
        tables,
        anchor="siting",
    )
