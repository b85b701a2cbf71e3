"""The main job: run the analyses once, then write index.html, the views and every table as CSV."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tsunagari.config import Config
from tsunagari.graph.stats import stats_rows
from tsunagari.graph.store import GraphStore
from tsunagari.queries import run_query
from tsunagari.queries.coverage import (
    COVERAGE_COLUMNS,
    SERVICE_SUMMARY_COLUMNS,
    SUMMARY_COLUMNS,
    coverage_table,
    municipalities,
    prefecture_summary,
    summarise,
)
from tsunagari.queries.funding import NO_SERVICE_COLUMNS, projects_without_service
from tsunagari.queries.hubs import (
    COMMUNITY_COLUMNS,
    HUB_COLUMNS,
    HubResult,
    hub_table,
    measure_lines,
    scope_lines,
)
from tsunagari.queries.places import Place
from tsunagari.queries.provenance import note_lines, provenance
from tsunagari.queries.resilience import RESILIENCE_COLUMNS, resilience_table
from tsunagari.report.siting import (
    SITING_COLUMNS,
    siting_markers,
    siting_results,
    siting_rows,
    siting_section,
)
from tsunagari.report.views import Progress, map_from_rows, network_data, prefecture_aggregate
from tsunagari.tables import to_csv
from tsunagari.viz import network as network_view
from tsunagari.viz.map import render_map
from tsunagari.viz.network import NetworkData, render_network
from tsunagari.viz.report import build_page, render_report
from tsunagari.viz.text import t

log = logging.getLogger(__name__)


@dataclass
class ReportResult:
    out: Path
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # views left out, with the reason


# the gap tables on the first page: (service, question); a town is listed when nothing
# nearer than the prefecture is known to serve it
UNSERVED_SHOWN = (("consultation", "specialised"), ("employment_support", "any"))
NOT_NEAR = ("prefecture", "unknown", "none")
TOP = 15


def write_report(
    config: Config,
    out: Path,
    *,
    lang: str = "ja",
    progress: Progress | None = None,
) -> ReportResult:
    """Build the embedded graph if needed, then write index.html, the views and the CSVs."""
    from tsunagari.graph.store import open_store
    from tsunagari.pipeline import ensure_built

    ensure_built(config, progress=progress)
    step = _stepper(progress, "report", 8)
    result = ReportResult(out=out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "csv").mkdir(exist_ok=True)
    (out / "network").mkdir(exist_ok=True)
    with open_store(config) as store:
        sources = run_query(store, "loaded_sources")
        counts = [r for r in stats_rows(store) if r["kind"] in ("node", "edge") and r["count"]]
        step()
        coverage = coverage_table(store, prevalence=config.prevalence)
        specialised = coverage_table(store, specialised=True, prevalence=config.prevalence)
        summary = prefecture_summary(store, prevalence=config.prevalence)
        step()
        hubs = hub_table(store, lang=lang)
        step()
        resilience = resilience_table(store, prevalence=config.prevalence)
        step()
        siting = siting_results(store, prevalence=config.prevalence)
        step()
        views = _write_networks(store, out, lang=lang, result=result, progress=progress)
        step()
        coverage_map = map_from_rows(store, coverage, lang=lang)
        coverage_map.markers = siting_markers(siting)
        _write(out / "map.html", render_map(coverage_map, lang=lang), result)
        step()
        notes = note_lines(provenance(store, prevalence=config.prevalence), lang=lang)
        idle = projects_without_service(store)
    tables = _tables(
        sources, counts, [*coverage, *specialised], summary, hubs, resilience, views, lang=lang
    )
    tables["projects_without_service"] = (NO_SERVICE_COLUMNS, idle)
    tables["siting"] = (SITING_COLUMNS, siting_rows(siting))
    for name, (columns, rows) in tables.items():
        _write(out / "csv" / f"{name}.csv", to_csv(rows, columns), result)
    bc = hubs.betweenness
    method = (
        t(lang, "厳密計算", "exact")
        if bc.method == "exact"
        else t(
            lang,
            f"{bc.sources} 始点の抽出による推定",
            f"estimated from {bc.sources} sampled sources",
        )
    )
    page = build_page(
        tables,
        notes=notes,
        betweenness_method=method,
        analyst_notes=scope_lines(among=hubs.among, lang=lang),
        measures=measure_lines(groups=hubs.groups, lang=lang),
        skipped=result.skipped,
        unserved_services=UNSERVED_SHOWN,
        top=TOP,
        lang=lang,
    )
    page.sections.insert(2, siting_section(siting, lang=lang))
    _write(out / "index.html", render_report(page, lang=lang), result)
    step()
    log.info("report %s: %d files", out, len(result.files))
    return result


def _stepper(progress: Progress | None, name: str, total: int) -> Callable[[], None]:
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(name, done[0], total)

    if progress:
        progress(name, 0, total)
    return step


def _write(path: Path, text: str, result: ReportResult) -> None:
    path.write_text(text, encoding="utf-8")
    result.files.append(path)


def _write_networks(
    store: GraphStore, out: Path, *, lang: str, result: ReportResult, progress: Progress | None
) -> list[dict[str, Any]]:
    """One view per prefecture with any ties, then the country: node by node when small
    enough, else summed by prefecture, each prefecture opening its own view on click."""
    views: list[dict[str, Any]] = []
    limit = network_view.NODE_LIMIT
    country = network_data(store, lang=lang)
    names = {m["prefecture_code"]: m["prefecture"] for m in municipalities(store)}
    anchored = sorted({p for _, ps in country.graph.nodes(data="prefectures") for p in ps or ()})
    written: dict[str, str] = {}
    for i, code in enumerate(anchored, start=1):
        place = Place("Prefecture", code, names.get(code, code), None, code, None)
        data = network_data(store, prefecture=place, lang=lang)
        file = f"network/{code}.html"
        n = len(data.graph)
        if n > limit:
            result.skipped.append(
                t(
                    lang,
                    f"{place.name}: {n:,} ノードは上限 {limit} を超えるため省略"
                    "（tsunagari network --municipality で市町村ごとに描けます）。",
                    f"{place.name}: {n:,} nodes is over the {limit} limit; left out "
                    "(draw one town with tsunagari network --municipality).",
                )
            )
        else:
            _write(out / file, render_network(data, lang=lang), result)
            views.append(_view_row(place.name, file, data))
            written[code] = file
        if progress:
            progress("network", i, len(anchored))
    if len(country.graph) <= limit:
        _write(out / "network.html", render_network(country, lang=lang), result)
        views.insert(0, _view_row(t(lang, "全国", "all of Japan"), "network.html", country))
    else:
        summary = prefecture_aggregate(country, names, links=written, lang=lang)
        _write(out / "network.html", render_network(summary, lang=lang), result)
        views.insert(0, _view_row(summary.title, "network.html", summary))
    return views


def _view_row(name: str, file: str, data: NetworkData) -> dict[str, Any]:
    G = data.graph
    return {"view": name, "nodes": len(G), "edges": G.number_of_edges(), "file": file}


def _tables(
    sources: list[dict[str, Any]],
    counts: list[dict[str, Any]],
    coverage: list[dict[str, Any]],
    summary: list[dict[str, Any]],
    hubs: HubResult,
    resilience: list[dict[str, Any]],
    views: list[dict[str, Any]],
    *,
    lang: str,
) -> dict[str, tuple[Sequence[str], list[dict[str, Any]]]]:
    """Every table of the report, whole (the CSVs); the page shows the top rows."""
    by_service = summarise(coverage)
    unserved = []  # by service and question, then the order of the coverage table
    for s, question in UNSERVED_SHOWN:
        rows = [
            dict(r)
            for r in coverage
            if r["service"] == s and r["question"] == question and r["tier"] in NOT_NEAR
        ]
        for i, r in enumerate(rows, start=1):
            r["rank"] = i
        unserved += rows
    hub_columns = [
        c for c in HUB_COLUMNS if c != "betweenness_se" or hubs.betweenness.se is not None
    ]
    return {
        "sources": (("id", "title", "publisher", "date", "rows", "licence"), sources),
        "graph": (("what", "name", "count"), [{"what": r["kind"], **r} for r in counts]),
        "service_summary": (SERVICE_SUMMARY_COLUMNS, by_service),
        "unserved": (UNSERVED_COLUMNS, unserved),
        "coverage": (COVERAGE_COLUMNS, coverage),  # both questions: see its column "question"
        "prefecture_summary": (SUMMARY_COLUMNS, summary),
        "hubs": (hub_columns, hubs.rows),
        "communities": (COMMUNITY_COLUMNS, hubs.communities),
        "resilience": (RESILIENCE_COLUMNS, resilience),
        "network_views": (("view", "nodes", "edges", "file"), views),
    }


UNSERVED_COLUMNS = (
    "service",
    "question",
    "rank",
    "code",
    "municipality",
    "prefecture",
    "tier",
    "population",
    "estimated",
)
