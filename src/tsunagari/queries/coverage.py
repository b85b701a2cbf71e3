"""Coverage: the best tier of each service in each municipality, who provides it, the gaps.

Tiers, best first: local › wide_area › prefecture › none (DESIGN.md, coverage model; the
ways a provider reaches a municipality are spelled out in coverage_links.cypher). A ward
of a designated city is covered by whatever covers the city or any of its wards: gap
tables rank municipalities (wards left out; a city's population is the sum of its wards').
"none" means none in the loaded data.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries import run_query

TIERS = ("local", "wide_area", "prefecture", "none")  # best first
TIER_RANK = {t: i for i, t in enumerate(TIERS)}


@dataclass(frozen=True)
class Link:
    """One provider reaching one municipality (or ward) with one service."""

    code: str
    service: str
    tier: str
    via: str  # covers | located_in | commissioned | runs | partners_in
    label: str
    id: str
    name: str


def check_service(service: str | None) -> None:
    """Raise QueryError naming the close matches when `service` is not in the vocabulary."""
    if service is not None and service not in SERVICES:
        close = difflib.get_close_matches(service, SERVICES, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"unknown service {service!r}{hint} (one of {', '.join(SERVICES)})")


def municipalities(store: GraphStore, *, prefecture: str | None = None) -> list[dict[str, Any]]:
    """Every municipality and ward (code, name, kind, prefecture, population, lat, lng)."""
    return run_query(store, "municipalities", prefecture=prefecture or "")


def coverage_links(
    store: GraphStore,
    *,
    prefecture: str | None = None,
    service: str | None = None,
    codes: Sequence[str] = (),
) -> list[Link]:
    """Every (municipality, service, provider) link, wards as themselves."""
    check_service(service)
    rows = run_query(
        store,
        "coverage_links",
        prefecture=prefecture or "",
        service=service or "",
        codes=list(codes),
    )
    return [
        Link(r["code"], r["service"], r["tier"], r["via"], r["label"], p["id"], p["name"])
        for r in rows
        for p in r["providers"]
    ]


def roll_up(links: Iterable[Link], parent: dict[str, str]) -> dict[tuple[str, str], list[Link]]:
    """Links by (municipality, service), a ward's links counted for its designated city."""
    out: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in links:
        out[(parent.get(link.code, link.code), link.service)].append(link)
    return out


def best_tier(links: Sequence[Link]) -> str:
    """The best tier among `links` (local › wide_area › prefecture); "none" for no links."""
    return min((link.tier for link in links), key=TIER_RANK.__getitem__, default="none")


def estimate(population: int | None, prevalence: float) -> int | None:
    """People in hikikomori state: population × prevalence, rounded (see provenance.py)."""
    return None if population is None else round(population * prevalence)


def coverage_table(
    store: GraphStore,
    *,
    service: str | None = None,
    prefecture: str | None = None,
    tier: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
) -> list[dict[str, Any]]:
    """One row per municipality and service: best tier, its providers, population, estimate.

    Ranked worst first: by tier (none, prefecture, wide_area, local), then population.
    `tier` keeps only the rows of that tier (ranks count within it).
    """
    if tier is not None and tier not in TIER_RANK:
        raise QueryError(f"unknown tier {tier!r} (one of {', '.join(TIERS)})")
    rows = _coverage_rows(store, service=service, prefecture=prefecture, prevalence=prevalence)
    if tier is not None:
        rows = [r for r in rows if r["tier"] == tier]
    rows.sort(
        key=lambda r: (
            -TIER_RANK[r["tier"]],
            -(r["population"] if r["population"] is not None else -1),
            r["code"],
            SERVICES.index(r["service"]),
        )
    )
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


COVERAGE_COLUMNS = (
    "rank",
    "code",
    "municipality",
    "prefecture",
    "service",
    "tier",
    "providers",
    "n_providers",
    "via",
    "population",
    "estimated",
)


def _coverage_rows(
    store: GraphStore, *, service: str | None, prefecture: str | None, prevalence: float
) -> list[dict[str, Any]]:
    check_service(service)
    towns = municipalities(store, prefecture=prefecture)
    parent = {m["code"]: m["parent_code"] for m in towns if m["parent_code"]}
    by_key = roll_up(coverage_links(store, prefecture=prefecture, service=service), parent)
    services = [service] if service else list(SERVICES)
    rows = []
    for m in towns:
        if m["kind"] == "ward":
            continue
        for s in services:
            links = by_key.get((m["code"], s), [])
            best = best_tier(links)
            at_best = [link for link in links if link.tier == best]
            names = sorted({link.name for link in at_best})
            rows.append(
                {
                    "rank": 0,
                    "code": m["code"],
                    "municipality": m["name"],
                    "prefecture_code": m["prefecture_code"],
                    "prefecture": m["prefecture"],
                    "service": s,
                    "tier": best,
                    "providers": names,
                    "n_providers": len({(link.label, link.id) for link in at_best}),
                    "via": sorted({link.via for link in at_best}),
                    "population": m["population"],
                    "estimated": estimate(m["population"], prevalence),
                }
            )
    return rows


def prefecture_summary(
    store: GraphStore,
    *,
    service: str | None = None,
    prefecture: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
) -> list[dict[str, Any]]:
    """Per prefecture and service: the share of the population at each tier.

    Shares are of the population with a known count; `unserved` counts municipalities at
    tier none. Ordered by prefecture code, then service.
    """
    rows = _coverage_rows(store, service=service, prefecture=prefecture, prevalence=prevalence)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in rows:
        groups[(r["prefecture_code"], r["service"])].append(r)
        names[r["prefecture_code"]] = r["prefecture"]
    out = []
    for (pref, s), group in sorted(
        groups.items(), key=lambda kv: (kv[0][0], SERVICES.index(kv[0][1]))
    ):
        population = sum(r["population"] or 0 for r in group)
        by_tier = {t: sum(r["population"] or 0 for r in group if r["tier"] == t) for t in TIERS}
        row: dict[str, Any] = {
            "prefecture_code": pref,
            "prefecture": names[pref],
            "service": s,
            "municipalities": len(group),
            "population": population,
        }
        for t in TIERS:
            row[f"{t}_share"] = round(by_tier[t] / population, 4) if population else None
        row["unserved"] = sum(1 for r in group if r["tier"] == "none")
        row["unserved_population"] = by_tier["none"]
        row["unserved_estimated"] = estimate(by_tier["none"], prevalence)
        out.append(row)
    return out


SUMMARY_COLUMNS = (
    "prefecture_code",
    "prefecture",
    "service",
    "municipalities",
    "population",
    "local_share",
    "wide_area_share",
    "prefecture_share",
    "none_share",
    "unserved",
    "unserved_population",
    "unserved_estimated",
)
