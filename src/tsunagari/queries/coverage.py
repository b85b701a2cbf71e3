"""Coverage: the best tier of each service in each municipality, who provides it, the gaps.

Tiers, best first: local › wide_area › prefecture › unknown › none (docs/coverage.md; the
ways a provider reaches a municipality are spelled out in coverage_links.cypher). With no
provider, a municipality is "none" only where a loaded source claims to list that service
completely there (a Completeness node); otherwise "unknown" (データなし). Each question is
asked twice: any support (`specialised=False`), and hikikomori-specialised support only. A
ward of a designated city is covered by whatever covers the city or any of its wards: gap
tables rank municipalities (wards left out; a city's population is the sum of its wards').
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from tsunagari.config import PREVALENCE_DEFAULT
from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.model import COVERAGE_TIERS, SERVICES
from tsunagari.queries import run_query

TIERS = COVERAGE_TIERS  # best first
TIER_RANK = {t: i for i, t in enumerate(TIERS)}
SERVICE_RANK = {s: i for i, s in enumerate(SERVICES)}
QUESTIONS = ("any", "specialised")  # any support; hikikomori-specialised support only
REVIEW = "review_required"  # a provider's status when its source asks to check it: 要確認


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
    status: str = ""  # REVIEW: 要確認
    stated: bool = False  # a stated centre, name not loaded
    specialised: bool = False


@dataclass(frozen=True)
class Claim:
    """A source's claim to list every provider of `services` in `areas` (codes or 'all')."""

    source: str
    services: frozenset[str]
    areas: frozenset[str]
    covers_specialised: bool

    def covers(self, code: str, prefecture_code: str, service: str, specialised: bool) -> bool:
        return (
            service in self.services
            and (specialised <= self.covers_specialised)
            and bool(self.areas & {"all", code, prefecture_code})
        )


def check_service(service: str | None) -> None:
    """Raise QueryError naming the close matches when `service` is not in the vocabulary."""
    if service is not None and service not in SERVICES:
        import difflib

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
    specialised: bool = False,
    since: str | None = None,
) -> list[Link]:
    """Every (municipality, service, provider) link, wards as themselves."""
    return links_of(
        link_groups(
            store,
            prefecture=prefecture,
            service=service,
            codes=codes,
            specialised=specialised,
            since=since,
        )
    )


def links_of(rows: Sequence[dict[str, Any]]) -> list[Link]:
    """A Link per provider of link_groups' rows."""
    return [
        Link(
            r["code"],
            r["service"],
            r["tier"],
            r["via"],
            label,
            pid,
            name,
            r["status"],
            r["stated"],
            r["specialised"],
        )
        for r in rows
        for label, pid, name in dict.fromkeys(zip(r["labels"], r["ids"], r["names"], strict=True))
    ]


def link_groups(
    store: GraphStore,
    *,
    prefecture: str | None = None,
    service: str | None = None,
    codes: Sequence[str] = (),
    specialised: bool = False,
    since: str | None = None,
) -> list[dict[str, Any]]:
    """The links as coverage_links.cypher groups them: one row per municipality (or ward),
    service, tier, way and kind of provider (status, stated, specialised), with the
    providers' `labels`, `ids` and `names` in step (a provider reaching a town twice the
    same way is listed twice). Rows, not a Link per provider: at a million edges the
    objects cost more than the query. With `codes`, those municipalities only
    (coverage_links_in.cypher: the engine starts from them)."""
    check_service(service)
    towns = {"codes": list(codes)} if codes else {}
    rows = run_query(
        store,
        "coverage_links_in" if codes else "coverage_links",
        prefecture=prefecture or "",
        service=service or "",
        specialised=specialised,
        since=since or "",
        **towns,
    )
    for r in rows:
        if not isinstance(r["labels"][0], str):  # Neo4j's labels() is a list: ['Organization']
            r["labels"] = [label[0] for label in r["labels"]]
        r["status"] = r["status"] or ""
    return rows


def completeness_claims(store: GraphStore, *, since: str | None = None) -> list[Claim]:
    """What the loaded sources claim to list completely (see completeness_claims.cypher)."""
    return [
        Claim(
            r["source"],
            frozenset(r["services"]),
            frozenset(r["areas"]),
            bool(r["covers_specialised"]),
        )
        for r in run_query(store, "completeness_claims", since=since or "")
    ]


def is_complete(
    claims: Sequence[Claim], town: dict[str, Any], service: str, *, specialised: bool
) -> bool:
    """Whether a loaded source lists `service` completely in `town` (a municipalities() row)."""
    code, pref = town["code"], town["prefecture_code"]
    return any(c.covers(code, pref, service, specialised) for c in claims)


def roll_up(links: Iterable[Link], parent: dict[str, str]) -> dict[tuple[str, str], list[Link]]:
    """Links by (municipality, service), a ward's links counted for its designated city."""
    out: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in links:
        out[(parent.get(link.code, link.code), link.service)].append(link)
    return out


def best_tier(links: Sequence[Link], *, complete: bool = True) -> str:
    """The best tier among `links` (local › wide_area › prefecture); with no links "none"
    where a source claims completeness (`complete`), else "unknown"."""
    empty = "none" if complete else "unknown"
    return min((link.tier for link in links), key=TIER_RANK.__getitem__, default=empty)


def estimate(population: int | None, prevalence: float) -> int | None:
    """People in hikikomori state: population × prevalence, rounded (see provenance.py)."""
    return None if population is None else round(population * prevalence)


@dataclass(frozen=True)
class CoverageOptions:
    """What a coverage question is asked about: scope, the specialised question, the date."""

    service: str | None = None
    prefecture: str | None = None
    specialised: bool = False
    since: str | None = None
    prevalence: float = PREVALENCE_DEFAULT


def coverage_table(
    store: GraphStore,
    *,
    service: str | None = None,
    prefecture: str | None = None,
    tier: str | None = None,
    specialised: bool = False,
    since: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
    providers: bool = True,
) -> list[dict[str, Any]]:
    """One row per municipality and service: best tier, its providers, population, estimate.

    Ranked worst first: by tier (none, unknown, prefecture, wide_area, local), then
    population. `tier` keeps only the rows of that tier (ranks count within it);
    `specialised` asks for hikikomori-specialised support only; `since` leaves out facts
    dated before it. Without `providers` only the tiers are read: the provider columns stay
    empty (for a caller that shows the tiers alone).
    """
    check_tier(tier)
    options = CoverageOptions(service, prefecture, specialised, since, prevalence)
    return _table(store, options, tier, providers=providers)


def _table(
    store: GraphStore, options: CoverageOptions, tier: str | None, *, providers: bool = True
) -> list[dict[str, Any]]:
    rows = _coverage_rows(store, options, providers=providers)
    if tier is not None:
        rows = [r for r in rows if r["tier"] == tier]
    return rank_rows(rows)


def check_tier(tier: str | None) -> None:
    if tier is not None and tier not in TIER_RANK:
        raise QueryError(f"unknown tier {tier!r} (one of {', '.join(TIERS)})")


def rank_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Worst first (none, unknown, prefecture, wide_area, local), then population; ranks set."""
    rows.sort(
        key=lambda r: (
            -TIER_RANK[r["tier"]],
            _population_rank(r["population"]),
            r["code"],
            SERVICE_RANK[r["service"]],
        )
    )
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def _population_rank(population: int | None) -> int:
    """Largest first, unknown last."""
    return -(population if population is not None else -1)


COVERAGE_COLUMNS = (
    "rank",
    "code",
    "municipality",
    "prefecture",
    "service",
    "question",
    "tier",
    "providers",
    "n_providers",
    "via",
    "review_required",
    "population",
    "estimated",
)


def coverage_by_question(
    store: GraphStore,
    *,
    prefecture: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
    groups: Sequence[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """coverage_table for any support and for specialised support only, every service, from
    one read of the links; `groups` are link_groups(store, prefecture=…) when the caller has
    read them (the report, which also makes its Links of them)."""
    options = CoverageOptions(prefecture=prefecture, prevalence=prevalence)
    rows = _coverage_rows(store, options, questions=QUESTIONS, groups=groups)
    general, special = ([r for r in rows if r["question"] == q] for q in QUESTIONS)
    return rank_rows(general), rank_rows(special)


def coverage_top(
    store: GraphStore,
    *,
    top: int,
    service: str | None = None,
    prefecture: str | None = None,
    tier: str | None = None,
    specialised: bool = False,
    since: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
) -> tuple[list[dict[str, Any]], int]:
    """The first `top` rows of coverage_table (all with `top` 0) and how many it has in all.

    The tiers are read without the providers (coverage_tiers.cypher) and the providers only
    for the rows returned: a gap table shows its worst rows, where there are few or none."""
    check_tier(tier)
    options = CoverageOptions(service, prefecture, specialised, since, prevalence)
    if top == 0:
        rows = _table(store, options, tier)
        return rows, len(rows)
    towns = municipalities(store, prefecture=prefecture)
    # towns by population (then code) and services in order: each tier's cells come out in
    # rank_rows' order, so the worst tiers' first cells are the answer, with no sort
    by_size = sorted(towns, key=lambda m: (_population_rank(m["population"]), m["code"]))
    at_tier: dict[str, list[Cell]] = {t: [] for t in TIERS}
    for cell in _cells(store, options, towns=by_size, providers=False):
        at_tier[cell[2]].append(cell)
    kept = [tier] if tier is not None else list(reversed(TIERS))
    ranked = chain.from_iterable(at_tier[t] for t in kept)
    shown = [_row(*c, prevalence=prevalence) for c in islice(ranked, top)]
    for i, r in enumerate(shown, start=1):
        r["rank"] = i
    _add_providers(store, shown, options, towns)
    return shown, sum(len(at_tier[t]) for t in kept)


def _add_providers(
    store: GraphStore,
    rows: Sequence[dict[str, Any]],
    options: CoverageOptions,
    towns: Sequence[dict[str, Any]],
) -> None:
    """Set the provider columns of coverage rows read without them (one question), from
    coverage_links.cypher for their towns and wards only; rows with no provider are done."""
    served = [r for r in rows if r["tier"] not in ("none", "unknown")]
    if not served:
        return
    wanted = {r["code"] for r in served}
    parent = {m["code"]: m["parent_code"] for m in towns if m["parent_code"]}
    codes = sorted(wanted | {ward for ward, city in parent.items() if city in wanted})
    groups = link_groups(
        store,
        prefecture=options.prefecture,
        service=options.service,
        codes=codes,
        specialised=options.specialised,
        since=options.since,
    )
    at_best = _at_best(groups, parent)
    for r in served:
        found = at_best.get((r["code"], r["service"]))
        if not found or found[0]["tier"] != r["tier"]:  # the queries disagree: a bug
            raise QueryError(f"coverage of {r['code']} {r['service']}: tiers disagree")
        r.update(_providers(found))


def _coverage_rows(
    store: GraphStore,
    options: CoverageOptions,
    *,
    questions: Sequence[str] | None = None,
    groups: Sequence[dict[str, Any]] | None = None,
    providers: bool = True,
) -> list[dict[str, Any]]:
    """Unranked coverage rows for each question (default: the one `options` asks); without
    `providers` only the tiers are read and the provider columns stay empty."""
    cells = _cells(store, options, questions=questions, groups=groups, providers=providers)
    return [_row(*c, prevalence=options.prevalence) for c in cells]


# question, town, tier, service, the link groups at that tier (none when not read)
Cell = tuple[str, dict[str, Any], str, str, Sequence[dict[str, Any]]]


def _cells(
    store: GraphStore,
    options: CoverageOptions,
    *,
    questions: Sequence[str] | None = None,
    groups: Sequence[dict[str, Any]] | None = None,
    towns: Sequence[dict[str, Any]] | None = None,
    providers: bool = True,
) -> Iterator[Cell]:
    """Each question, municipality (wards left out) and service with its best tier and,
    with `providers`, its link groups at that tier."""
    check_service(options.service)
    if questions is None:
        questions = ("specialised",) if options.specialised else ("any",)
    if towns is None:
        towns = municipalities(store, prefecture=options.prefecture)
    parent = {m["code"]: m["parent_code"] for m in towns if m["parent_code"]}
    only_specialised = questions == ("specialised",)
    if not providers:
        tiers = run_query(
            store,
            "coverage_tiers",
            prefecture=options.prefecture or "",
            service=options.service or "",
            specialised=only_specialised,
            since=options.since or "",
        )
    elif groups is None:
        groups = link_groups(
            store,
            prefecture=options.prefecture,
            service=options.service,
            specialised=only_specialised,
            since=options.since,
        )
    claims = completeness_claims(store, since=options.since)
    services = [options.service] if options.service else list(SERVICES)
    no_groups: Sequence[dict[str, Any]] = ()
    for question in questions:
        specialised = question == "specialised"
        complete = _complete_pairs(claims, specialised=specialised)
        if providers:
            kept = (g for g in groups or () if g["specialised"] or not specialised)
            at_best = _at_best(kept, parent)
            best = {key: found[0]["tier"] for key, found in at_best.items()}
        else:
            at_best = {}
            best = _best_tiers((t for t in tiers if t["specialised"] or not specialised), parent)
        for m in towns:
            if m["kind"] == "ward":
                continue
            code, pref = m["code"], m["prefecture_code"]
            for s in services:
                tier = best.get((code, s))
                if tier is None:
                    listed = (code, s) in complete or (pref, s) in complete
                    tier = "none" if listed or ("all", s) in complete else "unknown"
                yield question, m, tier, s, at_best.get((code, s), no_groups)


def _best_tiers(
    tiers: Iterable[dict[str, Any]], parent: dict[str, str]
) -> dict[tuple[str, str], str]:
    """The best tier of each (municipality, service) among coverage_tiers.cypher's rows, a
    ward's counted for its designated city (what _at_best does with the providers)."""
    rank: dict[tuple[str, str], int] = {}
    for t in tiers:
        key, r = (parent.get(t["code"], t["code"]), t["service"]), TIER_RANK[t["tier"]]
        if r < rank.get(key, len(TIERS)):
            rank[key] = r
    return {key: TIERS[r] for key, r in rank.items()}


def _complete_pairs(claims: Sequence[Claim], *, specialised: bool) -> set[tuple[str, str]]:
    """The (area, service) pairs some claim lists completely for the question (is_complete
    for every town at once)."""
    return {
        (area, s)
        for c in claims
        if specialised <= c.covers_specialised
        for area in c.areas
        for s in c.services
    }


def _at_best(
    groups: Iterable[dict[str, Any]], parent: dict[str, str]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The link groups at the best tier of each (municipality, service), a ward's groups
    counted for its designated city (what roll_up and best_tier do, without a Link per
    provider)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for g in groups:
        key = (parent.get(g["code"], g["code"]), g["service"])
        kept = out.get(key)
        rank = TIER_RANK[g["tier"]]
        if kept is None or rank < TIER_RANK[kept[0]["tier"]]:
            out[key] = [g]
        elif rank == TIER_RANK[kept[0]["tier"]]:
            kept.append(g)
    return out


def _row(
    question: str,
    m: dict[str, Any],
    tier: str,
    service: str,
    at_best: Sequence[dict[str, Any]],
    *,
    prevalence: float,
) -> dict[str, Any]:
    """A coverage row of a cell; with no link groups the provider columns stay empty
    (_add_providers fills them)."""
    row = {
        "rank": 0,
        "code": m["code"],
        "municipality": m["name"],
        "prefecture_code": m["prefecture_code"],
        "prefecture": m["prefecture"],
        "service": service,
        "question": question,
        "tier": tier,
        "providers": [],
        "n_providers": 0,
        "via": [],
        "review_required": False,
        "stated_only": False,
        "population": m["population"],
        "estimated": estimate(m["population"], prevalence),
    }
    if at_best:
        row.update(_providers(at_best))
    return row


def _providers(at_best: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The provider columns of a coverage row from its link groups at the best tier."""
    names: set[str] = set()
    ids: set[str] = set()
    for g in at_best:
        names.update(map(_marked, g["names"]) if g["status"] == REVIEW else g["names"])
        ids.update(g["ids"])
    return {
        "providers": sorted(names),
        "n_providers": _count_providers(at_best, ids),
        "via": sorted({g["via"] for g in at_best}),
        "review_required": any(g["status"] == REVIEW for g in at_best),
        "stated_only": all(g["stated"] for g in at_best),
    }


def _count_providers(groups: Sequence[dict[str, Any]], ids: set[str]) -> int:
    """How many providers (label and id) the groups list: the ids alone when no id is
    listed twice (the common case, without a pair per link)."""
    if len(ids) == sum(len(g["ids"]) for g in groups):
        return len(ids)
    return len({pair for g in groups for pair in zip(g["labels"], g["ids"], strict=True)})


def _marked(name: str) -> str:
    return f"{name}（要確認）"


def provider_label(link: Link) -> str:
    """A provider's name as outputs show it: 要確認 when its source asks for review."""
    return _marked(link.name) if link.status == REVIEW else link.name


def prefecture_summary(
    store: GraphStore,
    *,
    service: str | None = None,
    prefecture: str | None = None,
    specialised: bool = False,
    since: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
) -> list[dict[str, Any]]:
    """Per prefecture and service: the share of the population at each tier.

    Shares are of the population with a known count; `unserved` counts municipalities at
    tier none, `unknown` those with no data. Ordered by prefecture code, then service.
    """
    options = CoverageOptions(service, prefecture, specialised, since, prevalence)
    rows = _coverage_rows(store, options, providers=False)
    return summarise_by_prefecture(rows, prevalence=prevalence)


def summarise_by_prefecture(
    rows: Sequence[dict[str, Any]], *, prevalence: float = PREVALENCE_DEFAULT
) -> list[dict[str, Any]]:
    """prefecture_summary of coverage rows already read (one question), for a caller that
    holds them (the report)."""
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
            "question": group[0]["question"],
            "municipalities": len(group),
            "population": population,
        }
        for t in TIERS:
            row[f"{t}_share"] = round(by_tier[t] / population, 4) if population else None
        row["unserved"] = sum(1 for r in group if r["tier"] == "none")
        row["unserved_population"] = by_tier["none"]
        row["unserved_estimated"] = estimate(by_tier["none"], prevalence)
        row["unknown"] = sum(1 for r in group if r["tier"] == "unknown")
        row["unknown_population"] = by_tier["unknown"]
        out.append(row)
    return out


SUMMARY_COLUMNS = (
    "prefecture_code",
    "prefecture",
    "service",
    "question",
    "municipalities",
    "population",
    "local_share",
    "wide_area_share",
    "prefecture_share",
    "unknown_share",
    "none_share",
    "unserved",
    "unserved_population",
    "unserved_estimated",
    "unknown",
    "unknown_population",
)


def service_summary(
    store: GraphStore,
    *,
    service: str | None = None,
    prefecture: str | None = None,
    since: str | None = None,
    prevalence: float = PREVALENCE_DEFAULT,
) -> list[dict[str, Any]]:
    """Per service, for any and for specialised support: municipalities and people per tier."""
    options = CoverageOptions(service, prefecture, False, since, prevalence)
    return summarise(_coverage_rows(store, options, questions=QUESTIONS, providers=False))


def summarise(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coverage rows counted per (service, question): municipalities and population per tier."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["service"], r["question"])].append(r)
    out = []
    for (s, question), group in sorted(
        groups.items(), key=lambda kv: (SERVICES.index(kv[0][0]), QUESTIONS.index(kv[0][1]))
    ):
        row: dict[str, Any] = {"service": s, "question": question, "municipalities": len(group)}
        for t in TIERS:
            row[_count_column(t)] = sum(1 for r in group if r["tier"] == t)
            row[f"{t}_population"] = sum(r["population"] or 0 for r in group if r["tier"] == t)
        out.append(row)
    return out


def _count_column(tier: str) -> str:
    return "prefecture_tier" if tier == "prefecture" else tier  # "prefecture" names a place


SERVICE_SUMMARY_COLUMNS = (
    "service",
    "question",
    "municipalities",
    *(c for t in TIERS for c in (_count_column(t), f"{t}_population")),
)
