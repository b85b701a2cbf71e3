"""The report's "where one more window helps most": k more sites per service, as a section
and a CSV (the sites are not yet drawn on the boundary map)."""

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
from tsunagari.viz.report import Section, Table
from tsunagari.viz.text import t, word

SITING_K = 10
# (service, question) pairs: every service for any support, and specialised consultation
SITING_ASKED = (*((s, "any") for s in SERVICES), ("consultation", "specialised"))
SITING_SHOWN = (  # a table each on the first page
    ("consultation", "specialised"),
    ("consultation", "any"),
    ("employment_support", "any"),
)
SITING_COLUMNS = ("service", "question", *RECOMMEND_COLUMNS)
SUMMARY_COLUMNS = (
    "service",
    "question",
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
    asked: Sequence[tuple[str, str]] = SITING_ASKED,
    k: int = SITING_K,
    prevalence: float = PREVALENCE_DEFAULT,
) -> list[Recommendation]:
    """k more sites for each (service, question), the existing network fixed (defaults)."""
    return [
        recommend(
            store,
            SitingOptions(service=s, k=k, specialised=q == "specialised", prevalence=prevalence),
        )
        for s, q in asked
    ]


def question(r: Recommendation) -> str:
    """any | specialised, as coverage tables name the two questions."""
    return "specialised" if r.options.specialised else "any"


def siting_rows(results: Sequence[Recommendation]) -> list[dict[str, Any]]:
    """Every chosen site of every question, exact then greedy (the report's CSV)."""
    return [
        {"service": r.options.service, "question": question(r), **row}
        for r in results
        for row in r.rows()
    ]


def siting_section(
    results: Sequence[Recommendation],
    *,
    shown: Sequence[tuple[str, str]] = SITING_SHOWN,
    csv: str = "csv/siting.csv",
    lang: str = "ja",
) -> Section:
    """The section: a summary per service, then the sites of the `shown` services."""
    summary = [
        {
            "service": r.options.service,
            "question": word(question(r), lang),
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
    by = {(r.options.service, question(r)): r for r in results}
    for s, q in shown:
        if (s, q) in by:
            name = word(s, lang) + (t(lang, "（専門）", " (specialised)") if q != "any" else "")
            tables.append(
                Table(
                    t(lang, f"「{name}」: 厳密解と貪欲法", f"{name}: exact and greedy"),
                    SIDE_COLUMNS,
                    by[(s, q)].side_by_side(),
                )
            )
    lines = method_lines(results[0], lang=lang, counts=False)[3:] if results else []
    intro = t(
        lang,
        "いまの提供拠点はそのままに、窓口をあと数か所置くとしたら、まだ支援の届いていない人に"
        "最も多く届くのはどこか（最大被覆立地問題）。すべての支援は各支援について、専門の支援は"
        "相談について。地図では★（数字は順位、すべての支援）で示します。",
        "If a few more windows were funded, with today's providers where they are: where would "
        "they newly reach the most people (maximal covering location)? Any support for each "
        "service; specialised support for consultation. Stars on the map (the number is the "
        "rank; any support).",
    )
    return Section(
        t(lang, "あと1か所置くなら: 効果の大きい場所", "Where one more window helps most"),
        [intro, *lines],
        tables,
        anchor="siting",
    )
