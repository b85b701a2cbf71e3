"""A page for every municipality: its resources read once for all towns, then rendered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries.coverage import coverage_by_question, municipalities
from tsunagari.queries.resources import (
    CONTACT_COLUMNS,
    Catalogue,
    read_catalogue,
    resources_of,
)
from tsunagari.report.views import short_title
from tsunagari.viz.text import t
from tsunagari.viz.town import TownPage, render_town

MASTER_SOURCE = "jp-master-2020"  # the population and the town itself
BEHIND = ("operated_by", "commissioned_by", "run_by", "partners", "funded_by")
DETAILS = ("label", "kind", "specialised", "stated", "source", "locator", "as_of")


def town_href(code: str) -> str:
    """A town's page, relative to the report folder: its section of its prefecture's file."""
    return f"towns/{code[:2]}.html#{code}"


def town_pages(
    store: GraphStore,
    coverage: Sequence[Mapping[str, Any]],
    *,
    specialised: Sequence[Mapping[str, Any]] | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    codes: Sequence[str] | None = None,
    in_report: bool = True,
    lang: str = "ja",
) -> Iterator[TownPage]:
    """The page of every municipality in `coverage` (or of `codes`), from one catalogue.

    `coverage` (and `specialised`) are coverage_table rows.
    """
    prefectures = {r["prefecture_code"] for r in coverage}
    cat = read_catalogue(store, prefecture=prefectures.pop() if len(prefectures) == 1 else None)
    yield from pages_from(
        cat, coverage, specialised=specialised, sources=sources, codes=codes,
        in_report=in_report, lang=lang,
    )  # fmt: skip


def pages_from(
    cat: Catalogue,
    coverage: Sequence[Mapping[str, Any]],
    *,
    specialised: Sequence[Mapping[str, Any]] | None,
    sources: Sequence[Mapping[str, Any]],
    codes: Sequence[str] | None,
    in_report: bool,
    lang: str,
) -> Iterator[TownPage]:
    """Each town's page, prefecture by prefecture (code order); the providers all towns of
    a prefecture have alike (prefecture-wide, without a contact) are each page's `shared`."""
    by_town: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for r in coverage:
        by_town[r["code"]][r["service"]] = r
    special: dict[tuple[str, str], str] = {
        (r["code"], r["service"]): r["tier"] for r in specialised or ()
    }
    source_rows = {
        s["id"]: {**s, "short": short_title(s.get("title") or s["id"], 32)} for s in sources
    }
    groups: dict[str, list[str]] = defaultdict(list)
    for code in codes if codes is not None else sorted(by_town):
        groups[cat.towns[code]["prefecture_code"]].append(code)
    for codes_of in groups.values():
        pages = []
        for code in codes_of:
            res = resources_of(cat, code, tiers=False)  # the tiers come from `coverage`
            per = by_town.get(code) or by_town[cat.towns[code]["parent_code"]]  # a ward: its city
            first = next(iter(per.values()))
            tiers = [
                {
                    "service": s,
                    "tier": per[s]["tier"],
                    "specialised": special.get((code, s)),
                    "providers": per[s]["providers"],
                }
                for s in SERVICES
                if s in per
            ]
            pages.append(
                TownPage(
                    town={**res.town, "estimated": first.get("estimated")},
                    tiers=tiers,
                    providers=_providers(res.providers, source_rows),
                    platforms=res.platforms,
                    paths=res.referral_paths,
                    projects=res.projects,
                    links=_links(res.town, lang) if in_report else [],
                    specialised=specialised is not None,
                )
            )
        common = set.intersection(*({p["key"] for p in pg.providers if _alike(p)} for pg in pages))
        for pg in pages:
            pg.shared = [p for p in pg.providers if p["key"] in common]
            pg.providers = [p for p in pg.providers if p["key"] not in common]
            used = [MASTER_SOURCE, *(p["source"] for p in pg.providers if p.get("source"))]
            pg.sources = {i: source_rows[i] for i in dict.fromkeys(used) if i in source_rows}
        yield from pages


def _alike(provider: Mapping[str, Any]) -> bool:
    """Reaches the town only as the whole prefecture, with nothing about it local."""
    return not provider["contacts"] and all(t == "prefecture" for _, t in provider["services"])


def _links(town: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    return [(f"../map.html#{town['code']}", t(lang, "地図で見る", "on the map"))]


def town_page_html(
    store: GraphStore, code: str, *, prevalence: float = PREVALENCE_DEFAULT, lang: str = "ja"
) -> str:
    """One town's page alone (`tsunagari resources TOWN --html FILE`): the same page the
    report writes, with its style inlined and no links to a report around it."""
    from tsunagari.queries import run_query

    towns = {m["code"]: m for m in municipalities(store)}
    prefecture = towns[code]["prefecture_code"]
    rows, special = coverage_by_question(store, prefecture=prefecture, prevalence=prevalence)
    (p,) = town_pages(
        store,
        rows,
        specialised=special,
        sources=run_query(store, "loaded_sources"),
        codes=[code],
        in_report=False,
        lang=lang,
    )
    return render_town(p, lang=lang)


def _providers(
    rows: Sequence[Mapping[str, Any]], sources: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One entry per provider (the rows are per service), with its contacts and source."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        p = merged.get((r["label"], r["id"]))
        if p is None:
            shown = (*CONTACT_COLUMNS, "verification", "status")
            src = sources.get(r.get("source") or "", {})
            p = merged[(r["label"], r["id"])] = {
                "key": (r["label"], r["id"]),
                "name": r["provider"],
                "services": [],
                "contacts": [(k, r[k]) for k in shown if r.get(k) not in (None, "", [])],
                "behind": [(k, r[k]) for k in BEHIND],
                "source_title": src.get("short"),
                **{k: r.get(k) for k in DETAILS},
            }
        p["services"].append((r["service"], r["tier"]))
    return list(merged.values())
