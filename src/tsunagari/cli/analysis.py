"""The questions: gaps, hubs, resilience, resources, partners, access."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import click

from tsunagari.cli._common import FiniteFloat, WordChoice, config_of, emit, format_option
from tsunagari.cli._help import Command
from tsunagari.config import Config
from tsunagari.model import COVERAGE_TIERS, SERVICES
from tsunagari.tables import SERVICE_MARKS, TIER_MARKS, headers, word

TIER_CHOICES = tuple(reversed(COVERAGE_TIERS))  # worst first, as the tables rank them

_TABLE_AS_TEXT = ("fiscal_year", "code", "prefecture_code")  # no thousands separator
_TABLE_HIDDEN = (
    "node",
    "id",
    "project_id",
)  # long ids: kept in CSV/JSON, left out of tables for people
_TABLE_LIST_MAX = 6  # a longer list is cut in a table ("… +N"); CSV/JSON keep it whole


def _for_table(rows: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    def cell(k: str, v: Any) -> Any:
        if isinstance(v, list) and len(v) > _TABLE_LIST_MAX:
            v = [*v[:_TABLE_LIST_MAX], f"… +{len(v) - _TABLE_LIST_MAX}"]
        if k in _TABLE_AS_TEXT and v is not None:
            return str(v)
        return v

    return [{k: cell(k, v) for k, v in r.items()} for r in rows]


def _show(
    config: Config,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    fmt: str,
    title: str | None = None,
    notes: Sequence[str] = (),
) -> None:
    """A table with the notes under it, or CSV/JSON with the notes on stderr."""
    if fmt == "table":
        rows = _for_table(rows, config.lang)
        columns = [c for c in columns if c not in _TABLE_HIDDEN]
    emit(rows, fmt=fmt, columns=columns, headers=headers(config.lang), title=title)
    for line in notes:
        click.echo(line, err=fmt != "table")


def _store(config: Config) -> AbstractContextManager[Any]:
    from tsunagari.graph.connect import open_store

    return open_store(config)


def _prefecture_code(store: Any, prefecture: str | None) -> str | None:
    if prefecture is None:  # the name resolver is imported only to resolve a name
        return None
    from tsunagari.queries.places import prefecture_code

    return prefecture_code(store, prefecture)


def _top(rows: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    return rows[:top] if top > 0 else rows


def _t(config: Config, ja: str, en: str) -> str:
    return ja if config.lang == "ja" else en


def _notes(store: Any, config: Config, *, prevalence: float | None = None) -> list[str]:
    from tsunagari.queries.provenance import note_lines, provenance

    return note_lines(provenance(store, prevalence=prevalence), lang=config.lang)


_prefecture_option = click.option(
    "--prefecture", "-p", default=None, help="A prefecture: name (大阪府, 大阪) or code (27)."
)
_service_option = click.option(
    "--service",
    "-s",
    type=WordChoice(SERVICES, "services"),
    default=None,
    help="One service (default all).",
)
_prevalence_option = click.option(
    "--prevalence",
    type=FiniteFloat(0, 1, min_open=True),
    default=None,
    help="Share of people in hikikomori state used for the estimate "
    "(default 0.02: 2022 Cabinet Office survey, ages 15–64). Env: TSUNAGARI_PREVALENCE.",
)


def _check_since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise click.BadParameter(f"{value!r}: give a year (2020) or a date (2020-04-01)")
    return value


since_option = click.option(
    "--since",
    default=None,
    callback=_check_since,
    metavar="YEAR",
    help="Leave out facts dated before this year or date (each fact has its source's date).",
)
specialised_option = click.option(
    "--specialised",
    is_flag=True,
    help="Count only hikikomori-specialised support (ひきこもり地域支援センター, "
    "ひきこもり窓口 …); without it any support counts, e.g. a 自立相談支援 window.",
)


def _top_option(default: int) -> Callable[[Any], Any]:
    return click.option(
        "--top", "-n", type=click.IntRange(0), default=default, show_default=True,
        help="Rows to show; 0 for all.",
    )  # fmt: skip


@click.command("gaps", cls=Command)
@_service_option
@_prefecture_option
@click.option("--tier", type=WordChoice(TIER_CHOICES), default=None, help="Only this tier.")
@specialised_option
@since_option
@click.option(
    "--summary",
    is_flag=True,
    help="Per service, for any and for specialised support: municipalities and people at "
    "each tier (local, wide_area, prefecture, unknown, none).",
)
@click.option(
    "--per-prefecture", is_flag=True, help="Per prefecture: share of population at each tier."
)
@click.option(
    "--by-town", is_flag=True, help="One row per municipality, a column (a mark) per service."
)
@_prevalence_option
@_top_option(30)
@format_option
@click.pass_context
def gaps_cmd(
    ctx: click.Context,
    service: str | None,
    prefecture: str | None,
    tier: str | None,
    specialised: bool,
    since: str | None,
    summary: bool,
    per_prefecture: bool,
    by_town: bool,
    prevalence: float | None,
    top: int,
    fmt: str,
) -> None:
    """Coverage gaps: each municipality's best coverage per service, worst first.

    Tiers: local (a provider in or only for the town) › wide_area › prefecture › unknown
    (no provider in the loaded data and no source that claims to list them all there) ›
    none (no provider where a source claims to be complete). Ranked by tier, then
    population; with an estimate of people in hikikomori state.

    \b
    Example:
      tsunagari gaps --summary
      tsunagari gaps --service consultation --specialised --top 20
      tsunagari gaps --service employment_support --tier unknown --since 2020
      tsunagari gaps --by-town --prefecture 大阪府
      tsunagari gaps --prefecture 高知県 --per-prefecture --format csv > kochi.csv
    """
    from tsunagari.queries.coverage import (
        COVERAGE_COLUMNS,
        SERVICE_SUMMARY_COLUMNS,
        SUMMARY_COLUMNS,
        coverage_table,
        coverage_top,
        prefecture_summary,
        service_summary,
    )

    config = config_of(ctx)
    if sum((summary, per_prefecture, by_town)) > 1:
        raise click.UsageError(
            _t(
                config,
                "--summary、--per-prefecture、--by-town はどれか一つだけ",
                "one of --summary, --per-prefecture, --by-town",
            )
        )
    rate = config.prevalence if prevalence is None else prevalence
    with _store(config) as store:
        pref = _prefecture_code(store, prefecture)
        question: dict[str, Any] = {  # the gap table's and the per-town table's
            "service": service,
            "prefecture": pref,
            "tier": tier,
            "specialised": specialised,
            "since": since,
            "prevalence": rate,
        }
        columns: Sequence[str]
        if summary:
            rows = service_summary(
                store, service=service, prefecture=pref, since=since, prevalence=rate
            )
            rows, total = _top(rows, top), len(rows)
            columns = SERVICE_SUMMARY_COLUMNS
            title = _t(
                config,
                "支援ごとのカバー（市町村数と人口）: 何らかの支援／ひきこもり専門の支援",
                "Coverage per service (municipalities and people): any / specialised support",
            )
        elif per_prefecture:
            rows = prefecture_summary(
                store,
                service=service,
                prefecture=pref,
                specialised=specialised,
                since=since,
                prevalence=rate,
            )
            rows, total = _top(rows, top), len(rows)
            columns = SUMMARY_COLUMNS
            title = _t(
                config,
                "都道府県別のカバー率（人口比）",
                "Coverage by prefecture (population share)",
            )
        elif by_town:
            from tsunagari.queries.town_gaps import TOWN_COLUMNS, town_table

            rows = town_table(coverage_table(store, **question, providers=False))
            rows, total = _top(rows, top), len(rows)
            shown = [service] if service else list(SERVICES)
            columns = [c for c in TOWN_COLUMNS if c not in SERVICES or c in shown]
            title = _t(config, "市町村ごとの支援のカバー（弱い順）", "Coverage per town")
        else:
            rows, total = coverage_top(store, top=top, **question)
            columns = COVERAGE_COLUMNS
            if fmt == "table":  # the title names the question; 要確認 marks the provider
                columns = [c for c in columns if c not in ("question", "review_required")]
            title = _t(config, "支援のカバー（弱い順）", "Coverage gaps (worst first)")
        if specialised and not (summary or per_prefecture):
            title += _t(config, "：ひきこもり専門の支援", ": specialised support")
        if len(rows) < total:
            title += _t(config, f"　{len(rows)}/{total} 行", f" — {len(rows)} of {total} rows")
        notes = _notes(store, config, prevalence=rate)
    if by_town and fmt == "table":
        rows, columns, legend = _with_marks(rows, columns, config.lang)
        notes = [*legend, *notes]
    _show(config, rows, columns, fmt=fmt, title=title, notes=notes)


def _with_marks(
    rows: list[dict[str, Any]], columns: Sequence[str], lang: str
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Service columns as one-character tier marks under one-character headers, and the
    legend lines that read them, as wide as the terminal (for the table only; CSV/JSON
    keep the tier ids)."""
    from tsunagari.cli._common import terminal_width
    from tsunagari.cli._help import wrap_cells

    i = 0 if lang == "ja" else 1
    services = [c for c in columns if c in SERVICES]
    marked = [
        {**r, **{f"mark:{s}": TIER_MARKS[r[s]][i] if r[s] else None for s in services}}
        for r in rows
    ]
    cols = [f"mark:{c}" if c in SERVICES else c for c in columns if not c.startswith("worst")]
    legend = (
        ("凡例: " if lang == "ja" else "Legend: ")
        + " ".join(f"{SERVICE_MARKS[s][i]}={word(s, lang)}" for s in services)
        + " ／ "
        + " ".join(f"{TIER_MARKS[tier][i]} {word(tier, lang)}" for tier in COVERAGE_TIERS)
    )
    return marked, cols, wrap_cells(legend, terminal_width())


@click.command("hubs", cls=Command)
@_prefecture_option
@click.option(
    "--among",
    type=click.Choice(["actors", "all"]),
    default="actors",
    show_default=True,
    help="actors: the bodies that act, each funded project turned into ties among its "
    "participants; all: projects kept as nodes.",
)
@click.option(
    "--by",
    type=click.Choice(["betweenness", "constraint", "effective_size", "brokerage"]),
    default="betweenness",
    show_default=True,
    help="Rank by this measure (constraint: lowest first).",
)
@click.option(
    "--groups",
    type=click.Choice(["communities", "prefectures"]),
    default="communities",
    show_default=True,
    help="The groups of the Gould–Fernandez brokerage roles.",
)
@click.option("--communities", is_flag=True, help="List the communities instead of the hubs.")
@click.option(
    "--samples",
    type=click.IntRange(2),
    default=None,
    help="Source nodes sampled for betweenness on large networks (default 256).",
)
@_top_option(20)
@format_option
@click.pass_context
def hubs_cmd(
    ctx: click.Context,
    prefecture: str | None,
    among: str,
    by: str,
    groups: str,
    communities: bool,
    samples: int | None,
    top: int,
    fmt: str,
) -> None:
    """Who holds the network together: hubs, brokers and named communities.

    By default among the bodies that act (organisations, centres, platforms, governments),
    with funded projects turned into ties between their participants (weighted by shared
    projects). Betweenness (exact on small networks, sampled with a standard error on
    large ones), Burt's constraint and effective size, Gould–Fernandez brokerage roles
    across communities or prefectures. Each measure is explained under the table.

    \b
    Example:
      tsunagari hubs --top 10
      tsunagari hubs --by constraint --groups prefectures
      tsunagari hubs --prefecture 福岡県 --communities --format json
    """
    from tsunagari.queries.hubs import (
        COMMUNITY_COLUMNS,
        HUB_COLUMNS,
        SAMPLES,
        hub_table,
        measure_lines,
        scope_lines,
    )
    from tsunagari.queries.places import prefecture_code

    config = config_of(ctx)
    with _store(config) as store:
        pref = prefecture_code(store, prefecture)
        result = hub_table(
            store,
            among=among,
            groups=groups,
            by=by,
            prefecture=pref,
            samples=samples or SAMPLES,
            lang=config.lang,
        )
        notes = _notes(store, config)
    bc = result.betweenness
    shown = _top(result.rows, top)
    if bc.method == "exact":
        method = _t(
            config,
            f"媒介中心性: 厳密計算（{result.nodes:,} ノード, {result.edges:,} 辺）",
            f"betweenness: exact, {result.nodes:,} nodes, {result.edges:,} edges",
        )
    else:
        worst = max((r["betweenness_se"] or 0.0 for r in shown), default=0.0)
        method = _t(
            config,
            f"媒介中心性: {result.nodes:,} ノードから {bc.sources} の始点を抽出した推定値"
            f"（8 組に分けた推定のばらつきから標準誤差を表示。表示行の最大 ±{worst:.2g}）",
            f"betweenness: estimated from {bc.sources} sampled source nodes of {result.nodes:,} "
            f"(standard error from 8 batches; largest among these rows ±{worst:.2g})",
        )
    notes = [
        method,
        *scope_lines(among=among, lang=config.lang),
        *measure_lines(groups=groups, lang=config.lang),
        *notes,
    ]
    if communities:
        title = _t(config, "コミュニティ", "Communities")
        _show(config, _top(result.communities, top), COMMUNITY_COLUMNS, fmt=fmt, title=title,
              notes=notes)  # fmt: skip
        return
    columns = [c for c in HUB_COLUMNS if c != "betweenness_se" or bc.method != "exact"]
    title = _t(config, "ハブと仲介者", "Hubs and brokers")
    if fmt == "table":
        columns = [c for c in columns if c not in ("kind", "brokerage")]  # CSV/JSON keep them
        _show(config, shown, columns, fmt=fmt, title=title)
        community_columns = ("community", "name", "size")
        _show(config, _top(result.communities, 10), community_columns, fmt=fmt,
              title=_t(config, "コミュニティ", "Communities"), notes=notes)  # fmt: skip
    else:
        _show(config, shown, columns, fmt=fmt, notes=notes)


@click.command("resilience", cls=Command)
@_prefecture_option
@specialised_option
@since_option
@_prevalence_option
@_top_option(20)
@format_option
@click.pass_context
def resilience_cmd(
    ctx: click.Context,
    prefecture: str | None,
    specialised: bool,
    since: str | None,
    prevalence: float | None,
    top: int,
    fmt: str,
) -> None:
    """What would be lost if an organisation or centre closed, ranked by people affected.

    Lost: municipalities left with no provider of a service (closing an organisation
    closes the centres it operates), and organisations cut off from every employment or
    consultation support in the collaboration network. Articulation points are marked.

    \b
    Example:
      tsunagari resilience --top 10
      tsunagari resilience --prefecture 大分県 --format csv
    """
    from tsunagari.queries.places import prefecture_code
    from tsunagari.queries.resilience import RESILIENCE_COLUMNS, resilience_table

    config = config_of(ctx)
    rate = config.prevalence if prevalence is None else prevalence
    with _store(config) as store:
        pref = prefecture_code(store, prefecture)
        rows = resilience_table(
            store, prefecture=pref, prevalence=rate, specialised=specialised, since=since
        )
        notes = _notes(store, config, prevalence=rate)
    title = _t(config, "閉鎖したときに失われるもの", "What closing each one would lose")
    _show(config, _top(rows, top), RESILIENCE_COLUMNS, fmt=fmt, title=title, notes=notes)


PROVIDER_TABLE_COLUMNS = (  # for people; CSV/JSON carry every column (contacts, sources)
    "service",
    "tier",
    "provider",
    "specialised",
    "via",
    "area",
    "operated_by",
    "commissioned_by",
    "run_by",
    "delivery_modes",
    "phone",
    "as_of",
)


@click.command("resources", cls=Command)
@click.argument("municipality")
@click.option(
    "--section",
    type=WordChoice(
        ["coverage", "providers", "platforms", "paths"],
        words={
            "coverage": "カバー",
            "providers": "提供者",
            "platforms": "プラットフォーム",
            "paths": "つなぎ",
        },
    ),
    default=None,
    help="One part only (csv/json show providers unless told).",
)
@since_option
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the town's printable page (the report's town page, alone) to this file.",
)
@format_option
@click.pass_context
def resources_cmd(
    ctx: click.Context,
    municipality: str,
    section: str | None,
    since: str | None,
    html_file: Path | None,
    fmt: str,
) -> None:
    """A town's resources: coverage per service, providers, platforms, referral paths.

    For a platform secretariat: the tier of each service for any and for hikikomori-
    specialised support (データなし where no source can say), who serves the town (a ward:
    and its city) with contacts and sources, who runs and commissions each, the platforms
    and their members, and the REFERS_TO chains from the town's consultation windows to
    employment support.

    \b
    Example:
      tsunagari resources 阪南市
      tsunagari resources 272329 --section providers --format csv > hannan.csv
      tsunagari resources 阪南市 --html hannan.html
    """
    from tsunagari.queries.places import find_place
    from tsunagari.queries.resources import (
        PATH_COLUMNS,
        PLATFORM_COLUMNS,
        PROVIDER_COLUMNS,
        TOWN_COVERAGE_COLUMNS,
        town_resources,
    )

    config = config_of(ctx)
    if html_file is not None:
        from tsunagari.report.towns import town_page_html

        with _store(config) as store:
            place = find_place(store, municipality, want="Municipality")
            html = town_page_html(store, place.code, prevalence=config.prevalence, lang=config.lang)
        html_file.write_text(html, encoding="utf-8")
        click.echo(f"wrote {html_file}: {place.name}")
        return
    with _store(config) as store:
        place = find_place(store, municipality, want="Municipality")
        res = town_resources(store, place, since=since)
        notes = _notes(store, config)
    town = res.town
    where = f"{town['prefecture']} {town['name']}" + (f"（{town['city']}）" if town["city"] else "")
    provider_columns = PROVIDER_COLUMNS if fmt != "table" else PROVIDER_TABLE_COLUMNS
    parts = {
        "coverage": (
            res.coverage,
            TOWN_COVERAGE_COLUMNS,
            _t(config, "支援ごとのカバー（何らかの支援／ひきこもり専門）", "Coverage per service"),
        ),
        "providers": (res.providers, provider_columns, _t(config, "提供者", "Providers")),
        "platforms": (res.platforms, PLATFORM_COLUMNS, _t(config, "プラットフォーム", "Platforms")),
        "paths": (
            res.referral_paths,
            PATH_COLUMNS,
            _t(config, "相談から就労支援へのつなぎ", "Referral paths to employment support"),
        ),
    }
    chosen = [section] if section else (list(parts) if fmt == "table" else ["providers"])
    for i, name in enumerate(chosen):
        rows, columns, title = parts[name]
        last = i == len(chosen) - 1
        _show(
            config, rows, columns, fmt=fmt, title=f"{where}: {title}", notes=notes if last else ()
        )


@click.command("partners", cls=Command)
@click.argument("entity")
@format_option
@click.pass_context
def partners_cmd(ctx: click.Context, entity: str, fmt: str) -> None:
    """Partnerships around a municipality or prefecture: projects, partners, roles.

    The projects it leads or partners in (for a prefecture, those of its municipalities
    too) with every participant and role, wide-area ones first; then its direct partners.

    \b
    Example:
      tsunagari partners 大分県
      tsunagari partners 阪南市 --format json
    """
    from tsunagari.queries.partners import PARTNER_COLUMNS, partnerships
    from tsunagari.queries.places import find_place

    config = config_of(ctx)
    with _store(config) as store:
        place = find_place(store, entity)
        rows = partnerships(store, place)
        notes = _notes(store, config)
    title = _t(config, f"{place.name}の連携", f"Partnerships of {place.name}")
    _show(config, rows, PARTNER_COLUMNS, fmt=fmt, title=title, notes=notes)


@click.command("access", cls=Command)
@_service_option
@_prefecture_option
@click.option(
    "--catchment",
    type=FiniteFloat(min=0, max=3_000, min_open=True),
    default=30.0,
    show_default=True,
    help="Catchment radius in km (straight line), above 0 and at most 3000.",
)
@specialised_option
@_top_option(30)
@format_option
@click.pass_context
def access_cmd(
    ctx: click.Context,
    service: str | None,
    prefecture: str | None,
    catchment: float,
    specialised: bool,
    top: int,
    fmt: str,
) -> None:
    """Accessibility: a 2SFCA score per municipality and service, lowest first.

    Providers per 100,000 people within the catchment, each provider's capacity shared
    among the people within its own catchment (two-step floating catchment).

    \b
    Example:
      tsunagari access --service consultation --catchment 20 --top 20
      tsunagari access --prefecture 北海道 --format csv > hokkaido_access.csv
    """
    from tsunagari.queries.access import ACCESS_COLUMNS, access_table, method_lines
    from tsunagari.queries.places import prefecture_code

    config = config_of(ctx)
    with _store(config) as store:
        pref = prefecture_code(store, prefecture)
        result = access_table(
            store,
            service=service,
            prefecture=pref,
            catchment_km=catchment,
            specialised=specialised,
        )
        notes = _notes(store, config)
    title = _t(config, "支援への近さ（低い順）", "Accessibility (lowest first)")
    _show(config, _top(result.rows, top), ACCESS_COLUMNS, fmt=fmt, title=title,
          notes=[*method_lines(result, lang=config.lang), *notes])  # fmt: skip


COMMANDS = [gaps_cmd, hubs_cmd, resilience_cmd, resources_cmd, partners_cmd, access_cmd]
