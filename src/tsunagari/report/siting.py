"""The report's "where one more window helps most": k more sites per service, as a section,
a CSV and stars on the boundary map."""

from __future__ import annotations

import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries.coverage import coverage_by_question, municipalities
from tsunagari.queries.siting import (
    RECOMMEND_COLUMNS,
    SIDE_COLUMNS,
    Recommendation,
    SitingOptions,
    method_lines,
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


class SitingWorker:
    """The worker process of the report's siting questions (_siting_worker.py), started
    before they are asked: its imports and the towns' distances are done while the report
    reads coverage. Stopped on the way out of a `with` block if it was never asked."""

    def __init__(self, store: GraphStore) -> None:
        self.towns = municipalities(store)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tsunagari.report._siting_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.asked = False
        self._jobs: queue.Queue[bytes] = queue.Queue(1)
        self._done: list[tuple[bytes, bytes]] = []
        # fed and read in a thread: the towns and the questions are more than a pipe holds,
        # and the child reads them only when it has started
        first = pickle.dumps(self.towns, protocol=pickle.HIGHEST_PROTOCOL)
        self._talk = threading.Thread(target=self._feed, args=(first,), daemon=True)
        self._talk.start()

    def _feed(self, first: bytes) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(first)
            self.proc.stdin.flush()
        except BrokenPipeError:  # the worker ended early: what it said is read below
            pass
        self._done.append(self.proc.communicate(self._jobs.get()))

    def ask(self, jobs: list[tuple[SitingOptions, list[dict[str, Any]]]]) -> None:
        self.asked = True
        self._jobs.put(pickle.dumps(jobs, protocol=pickle.HIGHEST_PROTOCOL))

    def answers(self) -> list[Recommendation]:
        self._talk.join()
        out, error = self._done[0] if self._done else (b"", b"")
        if self.proc.returncode:
            said = error.decode(errors="replace").strip().splitlines() or ["no reason given"]
            raise QueryError(f"the siting worker failed: {said[-1]}")  # its exception
        results: list[Recommendation] = pickle.loads(out)
        return results

    def __enter__(self) -> SitingWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.asked:
            self.proc.kill()
            self._jobs.put(b"")
            self._talk.join()


def start_siting(
    store: GraphStore,
    *,
    asked: Sequence[tuple[str, str]] = SITING_ASKED,
    k: int = SITING_K,
    prevalence: float = PREVALENCE_DEFAULT,
    coverage: Sequence[dict[str, Any]] | None = None,
    worker: SitingWorker | None = None,
) -> Callable[[], list[Recommendation]]:
    """Hand every question to a worker process (`worker`, started already, or a new one) to
    set up and solve while the caller writes the rest of the report; call the result to
    wait for the answers (it raises when the worker failed).

    `coverage` is the national coverage table of every service for both questions (rows
    with "service" and "question", as `coverage_table` ranks them) when the caller has it;
    else it is read here. Each question needs only its rows' ROW_KEYS.
    """
    if coverage is None:
        any_, special = coverage_by_question(store, prevalence=prevalence)
        coverage = [*any_, *special]
    by_question: dict[tuple[str, str], list[dict[str, Any]]] = {q: [] for q in asked}
    for r in coverage:
        rows = by_question.get((r["service"], r["question"]))
        if rows is not None:
            rows.append({c: r[c] for c in ROW_KEYS})
    worker = worker or SitingWorker(store)
    worker.ask(
        [
            (
                SitingOptions(
                    service=s, k=k, specialised=q == "specialised", prevalence=prevalence
                ),
                by_question[s, q],
            )
            for s, q in asked
        ]
    )
    return worker.answers


# what setting up a question reads of each coverage row (queries.siting.prepare)
ROW_KEYS = ("code", "tier", "prefecture_code", "population", "estimated")


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
