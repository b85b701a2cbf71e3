"""The report's "where one more window helps most": k more sites per service, as a section,
a CSV and stars on the boundary map."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries.coverage import municipalities
from tsunagari.queries.siting import (
    RECOMMEND_COLUMNS,
    SIDE_COLUMNS,
    Problem,
    Recommendation,
    SitingOptions,
    method_lines,
    prepare,
    solve,
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


def start_siting(
    store: GraphStore,
    *,
    asked: Sequence[tuple[str, str]] = SITING_ASKED,
    k: int = SITING_K,
    prevalence: float = PREVALENCE_DEFAULT,
    coverage: Sequence[dict[str, Any]] | None = None,
) -> Callable[[], list[Recommendation]]:
    """Read what every question needs from the store now, and solve them in a thread (HiGHS
    releases the GIL) while the caller writes the rest of the report; call the result to
    wait for the answers (it raises what the solving raised). Given `coverage`, the
    questions are also set up in that thread: they need nothing more from the store.

    `coverage` is the national coverage table of every service for both questions (rows
    with "service" and "question", as `coverage_table` ranks them) when the caller has it;
    else each question reads its own.
    """
    towns = municipalities(store)
    by_question: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in coverage or ():
        by_question.setdefault((r["service"], r["question"]), []).append(r)

    def problem(s: str, q: str) -> Problem:  # reads the store only when not given coverage
        return prepare(
            store,
            SitingOptions(service=s, k=k, specialised=q == "specialised", prevalence=prevalence),
            coverage=None if coverage is None else by_question.get((s, q), []),
            towns=towns,
        )

    pool = ThreadPoolExecutor(1, thread_name_prefix="siting")
    if coverage is None:  # the store is used by this thread only
        problems = [problem(s, q) for s, q in asked]
        answers = pool.submit(lambda: [solve(p) for p in problems])
    else:
        answers = pool.submit(lambda: [solve(problem(s, q)) for s, q in asked])
    pool.shutdown(wait=False)
    return answers.result


def map_sites(results: Sequence[Recommendation]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The exact answer's sites of each (map mode, service), for the stars on the map."""
    return {
        ("specialised" if r.options.specialised else "all", r.options.service): [
            row for row in r.rows() if row["method"] == "exact"
        ]
        for r in results
    }


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
        "相談について。地図（map.html）では、選んだ支援の厳密解の場所を★と順位で示します。",
        "If a few more windows were funded, with today's providers where they are: where would "
        "they newly reach the most people (maximal covering location)? Any support for each "
        "service; specialised support for consultation. The map (map.html) shows the exact "
        "answer's sites of the chosen service as stars with their rank.",
    )
    return Section(
        t(lang, "あと1か所置くなら: 効果の大きい場所", "Where one more window helps most"),
        [intro, *lines],
        tables,
        anchor="siting",
    )
