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
from tsunagari.model import SERVICES
from tsunagari.queries import run_query
from tsunagari.queries.coverage import (
    QUESTIONS,
    SERVICE_SUMMARY_COLUMNS,
    SUMMARY_COLUMNS,
    coverage_by_question,
    link_groups,
    links_of,
    municipalities,
    summarise,
    summarise_by_prefecture,
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
from tsunagari.queries.network import collaboration_graph, paused_gc
from tsunagari.queries.places import Place
from tsunagari.queries.provenance import note_lines, provenance
from tsunagari.queries.resilience import RESILIENCE_COLUMNS, resilience_table
from tsunagari.queries.resources import read_catalogue
from tsunagari.report.findings import findings, town_groups
from tsunagari.report.folder import check_out, staged
from tsunagari.report.reads import ReadOnce
from tsunagari.report.siting import (
    SITING_COLUMNS,
    SITING_K,
    SitingWorker,
    map_sites,
    siting_rows,
    siting_section,
    start_siting,
)
from tsunagari.report.towns import pages_from, town_href
from tsunagari.report.views import (
    Progress,
    attach_provenance,
    map_from_rows,
    network_data,
    prefecture_aggregate,
)
from tsunagari.tables import to_csv
from tsunagari.viz import network as network_view
from tsunagari.viz.assets import NETWORK_SCRIPT, VIS_FILE, vis_network_js
from tsunagari.viz.html import BASE_CSS, STYLESHEET, inline_script
from tsunagari.viz.map import GEO_SCRIPT, geo_script, render_map
from tsunagari.viz.network import NETWORK_CSS, NetworkData, network_script, render_network
from tsunagari.viz.report import REPORT_CSS, build_page, render_report, render_town_index
from tsunagari.viz.text import t
from tsunagari.viz.town import TOWN_CSS, TownPage, render_prefecture_towns

log = logging.getLogger(__name__)


@dataclass
class ReportResult:
    out: Path
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # views left out, with the reason


ASSETS = "assets"
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
    """Build the embedded graph if needed, then write index.html, the map, the network
    views, a page per municipality and the CSVs into `out`, whole: the report is written
    into a new folder beside it that then takes its place, so `out` never holds a mix of
    an older report and this one (and a folder that is not a report is never replaced)."""
    from tsunagari.pipeline import ensure_built

    check_out(out)
    ensure_built(config, progress=progress)
    # cyclic garbage collection paused: the report makes hundreds of thousands of objects
    # that live until it is written, next to no cycles, and each full pass walked them all
    # (0.4–0.5 s of the bundled report; 8 MB more at the peak without it)
    with staged(out) as work, paused_gc():
        result = _write_all(config, work, lang=lang, progress=progress)
    result.out = out
    result.files = [out / p.relative_to(work) for p in result.files]
    log.info("report %s: %d files", out, len(result.files))
    return result


def _write_all(config: Config, out: Path, *, lang: str, progress: Progress | None) -> ReportResult:
    from tsunagari.graph.connect import open_store

    step = _stepper(progress, "report", 8)
    result = ReportResult(out=out)
    for folder in ("csv", "network", "towns", ASSETS):
        (out / folder).mkdir()
    _write_assets(out / ASSETS, result)
    with (
        open_store(config) as opened,
        ReadOnce(opened) as store,  # what one part read, the next finds read
        SitingWorker(store) as siting_worker,
    ):
        sources = run_query(store, "loaded_sources")
        counts = [r for r in stats_rows(store) if r["kind"] in ("node", "edge") and r["count"]]
        step()
        # coverage is asked once, both questions, and every table below is read from it
        groups = link_groups(store)  # every link, read once for every table below
        coverage, special = coverage_by_question(store, prevalence=config.prevalence, groups=groups)
        # solved in a worker process while the rest is read and the views and town pages written
        solved = start_siting(
            store,
            prevalence=config.prevalence,
            coverage=[*coverage, *special],
            worker=siting_worker,
        )
        summary = summarise_by_prefecture(coverage, prevalence=config.prevalence)
        every_link = links_of(groups)  # for the catalogue and resilience
        cat = read_catalogue(store, links=every_link)
        step()
        collaboration = collaboration_graph(store)  # read once for hubs and resilience
        hubs = hub_table(store, lang=lang, graph=collaboration)  # read, not changed
        step()
        resilience = resilience_table(
            store, prevalence=config.prevalence, links=every_link, graph=collaboration
        )
        step()
        views = _write_networks(store, out, lang=lang, result=result, progress=progress)
        step()
        networks = {
            str(v["prefecture_code"]): str(v["file"]) for v in views if v.get("prefecture_code")
        }
        pages = pages_from(
            cat, coverage, specialised=special, sources=sources, codes=None,
            in_report=True, lang=lang,
        )  # fmt: skip
        by_prefecture: dict[str, list[TownPage]] = {}
        for p in pages:
            by_prefecture.setdefault(p.town["code"][:2], []).append(p)
        for number, group in by_prefecture.items():
            links = [
                ("../index.html", t(lang, "目次", "report")),
                ("index.html", t(lang, "一覧", "all")),
            ]
            net = networks.get(group[0].town["prefecture_code"])
            if net:
                links.append((f"../{net}", t(lang, "県の連携図", "prefecture network")))
            html = render_prefecture_towns(
                group,
                prefecture=group[0].town["prefecture"],
                links=links,
                lang=lang,
                assets=f"../{ASSETS}/",
            )
            _write(out / "towns" / f"{number}.html", html, result)
        index = render_town_index(town_groups(coverage), lang=lang, assets=f"../{ASSETS}/")
        _write(out / "towns" / "index.html", index, result)
        step()
        notes = note_lines(provenance(store, prevalence=config.prevalence), lang=lang)
        idle = projects_without_service(store)
    siting = solved()
    data = map_from_rows(
        cat, coverage, special, sources=sources, href="towns/{pref}.html#{code}", lang=lang
    )
    data.sites, data.sites_k = map_sites(siting), SITING_K
    _write(out / "map.html", render_map(data, lang=lang, assets=f"{ASSETS}/"), result)
    step()
    tables = _tables(
        sources, counts, [*coverage, *special], summary, hubs, resilience, views, lang=lang
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
        findings=findings(coverage, special, sources, views),
        unserved_services=UNSERVED_SHOWN,
        top=TOP,
        lang=lang,
    )
    after_gaps = 1 + next(i for i, x in enumerate(page.sections) if x.anchor == "gaps")
    page.sections.insert(after_gaps, siting_section(siting, lang=lang))
    _write(out / "index.html", render_report(page, lang=lang, assets=f"{ASSETS}/"), result)
    step()
    return result


def _write_assets(folder: Path, result: ReportResult) -> None:
    """One copy of what every page shares: vis-network and the network views' script, the
    boundaries, the stylesheet."""
    _write(folder / VIS_FILE, inline_script(vis_network_js()), result)
    _write(folder / NETWORK_SCRIPT, inline_script(network_script()), result)
    _write(folder / GEO_SCRIPT, geo_script(), result)
    _write(folder / STYLESHEET, BASE_CSS + REPORT_CSS + TOWN_CSS + NETWORK_CSS, result)


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
    if len(country.graph) > limit:  # drawn by prefecture: each view takes the country's sources
        attach_provenance(store, country.graph)
    names = {m["prefecture_code"]: m["prefecture"] for m in municipalities(store)}
    anchored = sorted({p for _, ps in country.graph.nodes(data="prefectures") for p in ps or ()})
    written: dict[str, str] = {}
    for i, code in enumerate(anchored, start=1):
        place = Place("Prefecture", code, names.get(code, code), None, code, None)
        data = network_data(
            store, prefecture=place, country=country.graph, sources=country.sources, lang=lang
        )
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
            _write(out / file, render_network(data, lang=lang, assets=f"../{ASSETS}/"), result)
            views.append({**_view_row(place.name, file, data), "prefecture_code": code})
            written[code] = file
        if progress:
            progress("network", i, len(anchored))
    top = country
    if len(country.graph) > limit:
        top = prefecture_aggregate(country, names, links=written, lang=lang)
    _write(out / "network.html", render_network(top, lang=lang, assets=f"{ASSETS}/"), result)
    name = top.title if top is not country else t(lang, "全国", "all of Japan")
    views.insert(0, _view_row(name, "network.html", top))
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
            r["href"] = town_href(r["code"])
        unserved += rows
    hub_columns = [
        c for c in HUB_COLUMNS if c != "betweenness_se" or hubs.betweenness.se is not None
    ]
    return {
        "sources": (("id", "title", "publisher", "date", "rows", "licence"), sources),
        "graph": (("what", "name", "count"), [{"what": r["kind"], **r} for r in counts]),
        "service_summary": (SERVICE_SUMMARY_COLUMNS, by_service),
        "unserved": (UNSERVED_COLUMNS, unserved),
        # one row per town, a column per service and question: the long table (a row per
        # town, service and question, with the providers) is `tsunagari gaps --format csv`,
        # and each town's page names its providers; written long it would be 3 MB
        "coverage": (BY_TOWN_COLUMNS, by_town(coverage)),
        "prefecture_summary": (SUMMARY_COLUMNS, summary),
        "hubs": (hub_columns, hubs.rows),
        "communities": (COMMUNITY_COLUMNS, hubs.communities),
        "resilience": (RESILIENCE_COLUMNS, resilience),
        "network_views": (("view", "nodes", "edges", "file"), views),
    }


BY_TOWN_COLUMNS = (
    "code",
    "municipality",
    "prefecture",
    "population",
    "estimated",
    *(f"{s}{'' if q == 'any' else '_' + q}" for s in SERVICES for q in QUESTIONS),
)


def by_town(coverage: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coverage rows (both questions) as one row per municipality, code order."""
    towns: dict[str, dict[str, Any]] = {}
    for r in coverage:
        row = towns.setdefault(r["code"], {k: r[k] for k in BY_TOWN_COLUMNS[:5]})
        row[r["service"] + ("" if r["question"] == "any" else "_" + r["question"])] = r["tier"]
    return [towns[c] for c in sorted(towns)]


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
