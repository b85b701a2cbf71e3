"""A page for every municipality: its resources read once for all towns, then rendered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries.coverage import municipalities
from tsunagari.queries.resources import (
    CONTACTS,
    Catalogue,
    read_catalogue,
    resources_of,
)
from tsunagari.report.views import coverage_modes, short_title
from tsunagari.viz.text import t
from tsunagari.viz.town import TownPage, render_town

MASTER_SOURCE = "jp-master-2020"  # the population and the town itself
BEHIND = ("operated_by", "commissioned_by", "run_by", "partners", "funded_by")


def town_href(code: str) -> str:
    """A town's page, relative to the report folder."""
    return f"towns/{code}.html"


def town_pages(
    store: GraphStore,
    coverage: Sequence[Mapping[str, Any]],
    *,
    specialised: Sequence[Mapping[str, Any]] | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    codes: Sequence[str] | None = None,
    networks: Mapping[str, str] | None = None,
    in_report: bool = True,
    lang: str = "ja",
) -> Iterator[TownPage]:
    """The page of every municipality in `coverage` (or of `codes`), from one catalogue.

    `coverage` (and `specialised`) are coverage_table rows; `networks` maps a prefecture
    code to its network view (relative to the report folder) for the links.
    """
    prefectures = {r["prefecture_code"] for r in coverage}
    cat = read_catalogue(store, prefecture=prefectures.pop() if len(prefectures) == 1 else None)
    yield from pages_from(
        cat, coverage, specialised=specialised, sources=sources, codes=codes,
        networks=networks or {}, in_report=in_report, lang=lang,
    )  # fmt: skip


def pages_from(
    cat: Catalogue,
    coverage: Sequence[Mapping[str, Any]],
    *,
    specialised: Sequence[Mapping[str, Any]] | None,
    sources: Sequence[Mapping[str, Any]],
    codes: Sequence[str] | None,
    networks: Mapping[str, str],
    in_report: bool,
    lang: str,
) -> Iterator[TownPage]:
    by_town: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for r in coverage:
        by_town[r["code"]][r["service"]] = r
    special: dict[tuple[str, str], str] = {
        (r["code"], r["service"]): r["tier"] for r in specialised or ()
    }
    source_rows = {s["id"]: {**s, "short": short_title(s.get("title") or s["id"])} for s in sources}
    for code in codes if codes is not None else sorted(by_town):
        res = resources_of(cat, code)
        per = by_town.get(code) or by_town[cat.towns[code]["parent_code"]]  # a ward: its city
        first = next(iter(per.values()))
        town = {**res.town, "estimated": first.get("estimated")}
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
        providers = _providers(cat, res.providers)
        used = [MASTER_SOURCE, *(p["source"] for p in providers if p.get("source"))]
        links = []
        if in_report:
            links = [
                ("../index.html", t(lang, "目次", "report")),
                (f"../map.html#{code}", t(lang, "地図", "map")),
                ("index.html", t(lang, "一覧", "towns")),
            ]
            net = networks.get(town["prefecture_code"])
            if net:
                links.append((f"../{net}", t(lang, "県の連携図", "network")))
        yield TownPage(
            town=town,
            tiers=tiers,
            providers=providers,
            platforms=res.platforms,
            paths=res.referral_paths,
            projects=res.projects,
            sources={i: source_rows[i] for i in dict.fromkeys(used) if i in source_rows},
            links=links,
            specialised=specialised is not None,
        )


def town_page_html(
    store: GraphStore, code: str, *, prevalence: float = PREVALENCE_DEFAULT, lang: str = "ja"
) -> str:
    """One town's page alone (`tsunagari resources TOWN --html FILE`): the same page the
    report writes, with its style inlined and no links to a report around it."""
    from tsunagari.queries import run_query

    towns = {m["code"]: m for m in municipalities(store)}
    prefecture = towns[code]["prefecture_code"]
    rows, special = coverage_modes(store, prefecture=prefecture, prevalence=prevalence)
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


def _providers(cat: Catalogue, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per provider (the rows are per service), with its details and contacts."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["label"], r["id"])
        p = merged.get(key)
        if p is None:
            d = cat.details.get(key, {})
            contacts = [(k, d[k]) for k in CONTACTS if d.get(k) not in (None, "", [])]
            p = merged[key] = {
                "name": r["provider"],
                "label": r["label"],
                "kind": d.get("kind"),
                "specialised": d.get("specialised"),
                "stated": d.get("stated"),
                "source": d.get("source"),
                "locator": d.get("locator"),
                "as_of": d.get("as_of"),
                "contacts": contacts,
                "behind": [(k, r[k]) for k in BEHIND],
                "services": [],
            }
        p["services"].append((r["service"], r["tier"]))
    return list(merged.values())
