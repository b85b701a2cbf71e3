"""A town's resources, for a platform secretariat: providers, platforms, referral paths.

A ward is served by what serves it and what serves its designated city. Each provider row
says whether it is hikikomori-specialised, how to reach it and where the fact comes from;
`coverage` gives the tier of each service for any and for specialised support, so what is
unknown (データなし) is said, not left out. What many towns need (the report writes a
page for each) is read once into a Catalogue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries import run_query
from tsunagari.queries.bodies import alternate_names, bodies
from tsunagari.queries.coverage import (
    TIER_RANK,
    Claim,
    Link,
    best_tier,
    completeness_claims,
    coverage_links,
    is_complete,
    municipalities,
    provider_label,
)
from tsunagari.queries.network import node_id
from tsunagari.queries.places import Place
from tsunagari.queries.resilience import provides

MAX_STEPS = 4  # referrals in a chain
MAX_PATHS = 20
MAX_FRONTIER = 10_000  # unfinished chains carried to the next step (bounds dense networks)


@dataclass
class TownResources:
    town: dict[str, Any]
    providers: list[dict[str, Any]] = field(default_factory=list)
    platforms: list[dict[str, Any]] = field(default_factory=list)
    referral_paths: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)  # per service: both tiers
    projects: list[dict[str, Any]] = field(default_factory=list)  # the town runs or joins


@dataclass
class Catalogue:
    """Everything the resource lists of many towns need, read from the store once."""

    towns: dict[str, dict[str, Any]]  # code → municipalities row (wards too)
    links: dict[str, list[Link]]  # town or ward code → the links reaching it
    claims: list[Claim]  # what the sources claim to list completely
    behind: dict[tuple[str, str], dict[str, list[str]]]  # provider → relation → actors
    details: dict[tuple[str, str], dict[str, Any]]  # provider → provider_details row
    platforms: dict[str, list[dict[str, Any]]]  # town or prefecture code → platform rows
    members: dict[str, dict[str, list[str]]]  # platform id → relation → members
    projects: dict[str, list[dict[str, Any]]]  # government code → its project rows
    referrals: nx.DiGraph
    wards: dict[str, list[str]] = field(default_factory=dict)  # city code → ward codes
    also: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # alternate names
    modes: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # delivery modes


def read_catalogue(
    store: GraphStore,
    *,
    prefecture: str | None = None,
    since: str | None = None,
    links: Sequence[Link] | None = None,
) -> Catalogue:
    """The catalogue of one prefecture, or of all of Japan (None); `since` leaves out facts
    dated before it. `links` are its coverage links when the caller has read them (as
    `coverage_links(store, prefecture=…, since=…)` returns them)."""
    towns = {m["code"]: m for m in municipalities(store, prefecture=prefecture)}
    wards: dict[str, list[str]] = defaultdict(list)
    for m in towns.values():
        if m["parent_code"]:
            wards[m["parent_code"]].append(m["code"])
    by_town: dict[str, list[Link]] = defaultdict(list)
    if links is None:
        links = coverage_links(store, prefecture=prefecture, since=since)
    for x in links:
        by_town[x.code].append(x)
    ids = sorted({x.id for ls in by_town.values() for x in ls})
    behind: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in run_query(store, "provider_relations", ids=ids):
        who = f"{r['actor']}（{r['detail']}）" if r["detail"] else r["actor"]
        behind[(r["label"], r["id"])][r["relation"]].append(who)
    details = {(r["label"], r["id"]): r for r in run_query(store, "provider_details", ids=ids)}
    prefs = sorted({m["prefecture_code"] for m in towns.values()})
    platforms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in run_query(store, "town_platforms", codes=sorted(towns), prefectures=prefs):
        platforms[r["code"]].append(r)
    pids = sorted({r["id"] for rows in platforms.values() for r in rows})
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in run_query(store, "platform_members", ids=pids):
        who = f"{r['member']}（{r['role']}）" if r["role"] else r["member"]
        members[r["platform"]][r["relation"]].append(who)
    projects: dict[str, list[dict[str, Any]]] = defaultdict(list)
    every = [r["id"] for r in run_query(store, "project_ids")]
    for r in run_query(store, "project_participants", ids=every):
        projects[r["code"]].append(r)
    return Catalogue(
        towns=towns,
        links=dict(by_town),
        claims=completeness_claims(store, since=since),
        behind=behind,
        details=details,
        platforms=dict(platforms),
        members=members,
        projects=dict(projects),
        referrals=referral_network(store),
        wards=dict(wards),
        also=alternate_names(bodies(store)),
        modes={
            (r["label"], r["id"]): list(r["delivery_modes"] or [])
            for r in run_query(store, "provider_delivery", ids=ids)
        },
    )


def referral_network(store: GraphStore) -> nx.DiGraph:
    """The REFERS_TO ties and the nodes they join (label, key, name, kind, services): what
    referral_paths reads, in one query."""
    D = nx.DiGraph()
    for r in run_query(store, "referrals"):
        ends = []
        for end in ("from", "to"):
            label = first_label(r[f"{end}_label"])
            v = node_id(label, r[f"{end}_key"])
            D.add_node(
                v,
                label=label,
                key=r[f"{end}_key"],
                name=r[f"{end}_name"],
                kind=r[f"{end}_kind"],
                services=r[f"{end}_services"],
            )
            ends.append(v)
        D.add_edge(*ends)
    return D


def first_label(labels: str | list[str]) -> str:
    """The label `labels()` gives: a string in LadybugDB, a list in Neo4j."""
    return labels if isinstance(labels, str) else labels[0]


def town_resources(store: GraphStore, place: Place, *, since: str | None = None) -> TownResources:
    """Everything serving one municipality (a Place from places.find_place); `since` leaves
    out facts dated before it."""
    cat = read_catalogue(store, prefecture=place.prefecture_code, since=since)
    return resources_of(cat, place.code)


def served_codes(cat: Catalogue, code: str) -> list[str]:
    """The codes whose providers serve `code`: itself, its city (a ward), its wards (a city)."""
    parent = cat.towns[code]["parent_code"]
    return [code, *([parent] if parent else []), *cat.wards.get(code, [])]


def resources_of(cat: Catalogue, code: str, *, tiers: bool = True) -> TownResources:
    """One town's resources from a catalogue that holds its prefecture; without `tiers` its
    best tier per service is left out (a caller that has the coverage table already)."""
    me = cat.towns[code]
    codes = served_codes(cat, code)
    town = {
        "code": code,
        "name": me["name"],
        "kind": me["kind"],
        "prefecture": me["prefecture"],
        "prefecture_code": me["prefecture_code"],
        "population": me["population"],
        "city": cat.towns[me["parent_code"]]["name"] if me["parent_code"] else None,
    }
    links = [x for c in codes for x in cat.links.get(c, [])]
    out = TownResources(town=town)
    out.providers = provider_rows(cat, links)
    if tiers:
        out.coverage = town_coverage(cat.claims, me, links)
    out.platforms = platform_rows(cat, codes, me["prefecture_code"])
    for row in out.providers:
        row["alternate_names"] = cat.also.get((row["label"], row["id"]), [])
    for row in out.platforms:
        row["alternate_names"] = cat.also.get(("Platform", row["id"]), [])
    starts = [node_id("Municipality", c) for c in codes]
    starts += sorted({node_id(x.label, x.id) for x in links if x.service == "consultation"})
    out.referral_paths = referral_paths(cat.referrals, starts)
    seen = set()
    for c in codes:
        for r in cat.projects.get(c, []):
            if (r["id"], r["relation"]) not in seen:
                seen.add((r["id"], r["relation"]))
                out.projects.append(r)
    out.projects.sort(key=lambda r: (r["relation"] != "lead", r["project"] or "", r["id"]))
    return out


def town_coverage(
    claims: Sequence[Claim], town: dict[str, Any], links: list[Link]
) -> list[dict[str, Any]]:
    """Per service: the best tier for any support and for specialised support only."""
    city = {**town, "code": town["parent_code"] or town["code"]}
    rows = []
    for s in SERVICES:
        mine = [x for x in links if x.service == s]
        rows.append(
            {
                "service": s,
                "tier": best_tier(mine, complete=is_complete(claims, city, s, specialised=False)),
                "specialised_tier": best_tier(
                    [x for x in mine if x.specialised],
                    complete=is_complete(claims, city, s, specialised=True),
                ),
            }
        )
    return rows


def provider_rows(cat: Catalogue, links: list[Link]) -> list[dict[str, Any]]:
    """One row per service and provider, best tier first, with who runs and commissions it,
    how to reach it and where the fact comes from."""
    best: dict[tuple[str, str, str], dict[str, Any]] = {}
    for x in links:
        key = (x.service, x.label, x.id)
        row = best.get(key)
        if row is None or TIER_RANK[x.tier] < TIER_RANK[row["tier"]]:
            rel = cat.behind.get((x.label, x.id), {})
            d = cat.details.get((x.label, x.id), {})
            best[key] = {
                "service": x.service,
                "tier": x.tier,
                "provider": provider_label(x),
                "specialised": x.specialised,
                "stated": x.stated,
                "label": x.label,
                "via": x.via,
                "area": cat.towns[x.code]["name"] if x.code in cat.towns else x.code,
                "delivery_modes": cat.modes.get((x.label, x.id), []),
                "operated_by": sorted(rel.get("operated_by", [])),
                "commissioned_by": sorted(rel.get("commissioned_by", [])),
                "run_by": sorted(rel.get("run_by", [])),
                "partners": sorted(rel.get("partner", [])),
                "funded_by": sorted(rel.get("funded_by", [])),
                "status": x.status,
                **{k: d.get(k, "") for k in CONTACT_COLUMNS},
                **{k: d.get(k, "") for k in DETAIL_COLUMNS},
                "source": d.get("source", ""),
                "locator": d.get("locator", ""),
                "as_of": d.get("as_of", ""),
                "id": x.id,
            }
    return sorted(
        best.values(),
        key=lambda r: (SERVICES.index(r["service"]), TIER_RANK[r["tier"]], r["provider"], r["id"]),
    )


def platform_rows(cat: Catalogue, codes: list[str], prefecture: str) -> list[dict[str, Any]]:
    """The platforms around the town with their secretariat and members."""
    found: dict[str, dict[str, Any]] = {}
    for c in [*codes, prefecture]:
        for r in cat.platforms.get(c, []):
            row = found.setdefault(
                r["id"], {"platform": r["name"], "level": r["level"], "relation": [], "id": r["id"]}
            )
            if r["relation"] not in row["relation"]:
                row["relation"].append(r["relation"])
    rows = []
    for pid, row in sorted(found.items(), key=lambda kv: (kv[1]["platform"], kv[0])):
        members = cat.members.get(pid, {})
        row["relation"] = sorted(row["relation"])
        row["secretariat"] = sorted(members.get("secretariat", []))
        row["members"] = sorted(members.get("member", []))
        rows.append(row)
    return rows


def referral_paths(
    D: nx.DiGraph, starts: list[str], *, service: str = "employment_support"
) -> list[dict[str, Any]]:
    """REFERS_TO chains (at most MAX_STEPS) in `D` from `starts` to a provider of `service`.

    Shortest first; at most MAX_PATHS. A provider of `service` ends a chain.
    """
    targets = {v for v, data in D.nodes(data=True) if provides(data, service)}
    # breadth-first over simple chains, one referral per step: every chain of a length is
    # found before any longer one, so the search stops at the first full length
    frontier = [[s] for s in dict.fromkeys(starts) if s in D]
    paths: list[list[str]] = []  # a start that is itself a target is no referral path
    for _ in range(MAX_STEPS):
        if len(paths) >= MAX_PATHS or not frontier:
            break
        grown: list[list[str]] = []
        for p in frontier:
            for v in sorted(D.successors(p[-1])):
                if v not in p:
                    (paths if v in targets else grown).append([*p, v])
        frontier = grown[:MAX_FRONTIER]
    paths.sort(key=lambda p: (len(p), [D.nodes[v].get("name") or v for v in p]))
    return [
        {
            "steps": len(p) - 1,
            "path": [D.nodes[v].get("name") or v for v in p],
            "from": D.nodes[p[0]].get("name"),
            "to": D.nodes[p[-1]].get("name"),
            "nodes": p,
        }
        for p in paths[:MAX_PATHS]
    ]


CONTACT_COLUMNS = ("address", "phone", "hours", "url", "url_publisher", "url_checked")
# what a page shows of a provider besides the columns of its row
DETAIL_COLUMNS = ("kind", "verification")
PROVIDER_COLUMNS = (
    "service",
    "tier",
    "provider",
    "alternate_names",
    "specialised",
    "label",
    "via",
    "area",
    "delivery_modes",
    "operated_by",
    "commissioned_by",
    "run_by",
    "partners",
    "funded_by",
    "status",
    *CONTACT_COLUMNS,
    "source",
    "locator",
    "as_of",
    "id",
)
TOWN_COVERAGE_COLUMNS = ("service", "tier", "specialised_tier")
PLATFORM_COLUMNS = (
    "platform",
    "alternate_names",
    "level",
    "relation",
    "secretariat",
    "members",
    "id",
)
PATH_COLUMNS = ("steps", "from", "to", "path")
