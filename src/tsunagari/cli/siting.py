"""The `recommend` command: where k more windows would newly reach the most people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tsunagari.cli._common import WordChoice, config_of, emit, format_option
from tsunagari.cli._help import Command
from tsunagari.cli.analysis import since_option, specialised_option
from tsunagari.model import SERVICES
from tsunagari.tables import VALUES_JA, headers


@click.command("recommend", cls=Command)
@click.option(
    "--service", "-s", type=WordChoice(SERVICES, "services"), default="consultation",
    show_default=True,
    help="The service to site.",
)  # fmt: skip
@specialised_option
@click.option("--k", "k", type=click.IntRange(1), default=10, show_default=True,
              help="Sites to add.")  # fmt: skip
@click.option(
    "--catchment", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
    help="Reach of a site in km (straight line between town halls, inclusive).",
)  # fmt: skip
@click.option(
    "--prefecture", "-p", default=None,
    help="Only towns of this prefecture as demand and candidates (existing sites anywhere).",
)  # fmt: skip
@click.option(
    "--candidates", default="all", show_default=True, metavar="all|no-provider|FILE",
    help="Candidate sites: every municipality, those with no provider of the service, or a "
    "CSV/Excel file with a `municipality` column (name or code; optional `prefecture`).",
)  # fmt: skip
@click.option(
    "--weight", type=click.Choice(["population", "estimated"]), default="population",
    show_default=True, help="What a town weighs: its population or estimated people in "
    "hikikomori state (population × TSUNAGARI_PREVALENCE, default 0.02).",
)  # fmt: skip
@click.option(
    "--unknown", type=click.Choice(["uncovered", "exclude"]), default="uncovered",
    show_default=True, help="Towns with no data (tier unknown): count as not reached, or leave "
    "out of the demand.",
)  # fmt: skip
@click.option(
    "--covered-at", default="local", show_default=True, metavar="TIER",
    help="A town at this coverage tier or better is an existing site (local, wide_area, "
    "prefecture).",
)  # fmt: skip
@click.option(
    "--close", multiple=True, metavar="ID",
    help="Close a provider first (Label:id as `resilience --format csv` gives it, its id or "
    "exact name; an organisation closes the centres it operates). Repeatable.",
)  # fmt: skip
@click.option(
    "--add", "add_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None, help="Planned sites (a file like --candidates) added to the network first.",
)  # fmt: skip
@click.option(
    "--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0,
    show_default=True, help="Seconds for the exact solver; past it the best found is shown "
    "with its bound.",
)  # fmt: skip
@since_option
@format_option
@click.pass_context
def recommend_cmd(
    ctx: click.Context,
    service: str,
    specialised: bool,
    k: int,
    catchment: float,
    prefecture: str | None,
    candidates: str,
    weight: str,
    unknown: str,
    covered_at: str,
    close: tuple[str, ...],
    add_file: Path | None,
    time_limit: float,
    since: str | None,
    fmt: str,
) -> None:
    """Where k more windows would newly reach the most people (maximal covering location).

    The existing network is fixed; the exact optimum (HiGHS) and the greedy answer are
    printed side by side, with each site's marginal gain, the towns it newly reaches, the
    gap between them, and the method and assumptions.

    \b
    Example:
      tsunagari recommend --service consultation --specialised --k 10
      tsunagari recommend -s employment_support -p 高知県 --k 3 --catchment 20
      tsunagari recommend -p 福岡県 --close SupportCenter:fukuoka-hikikomori-chiiki-shien-center
      tsunagari recommend --add planned.csv --candidates sites.csv --format csv
    """
    from tsunagari.graph.connect import open_store
    from tsunagari.queries.places import prefecture_code
    from tsunagari.queries.provenance import note_lines, provenance
    from tsunagari.queries.siting import (
        CANDIDATES,
        RECOMMEND_COLUMNS,
        SIDE_COLUMNS,
        SitingOptions,
        method_lines,
        read_sites,
        recommend,
    )

    config = config_of(ctx)
    chosen: str | tuple[str, ...] = candidates
    if candidates not in CANDIDATES:
        path = Path(candidates)
        if not path.is_file():
            raise click.BadParameter(
                f"{candidates!r} is not all, no-provider or a file", param_hint="--candidates"
            )
        chosen = read_sites(path)
    added = read_sites(add_file) if add_file else ()
    with open_store(config) as store:
        options = SitingOptions(
            service=service,
            k=k,
            catchment_km=catchment,
            prefecture=prefecture_code(store, prefecture),
            candidates=chosen,
            weight=weight,
            specialised=specialised,
            unknown=unknown,
            covered_at=covered_at,
            close=close,
            add=added,
            prevalence=config.prevalence,
            time_limit=time_limit,
            since=since,
        )
        rec = recommend(store, options)
        notes = [
            *method_lines(rec, lang=config.lang),
            *note_lines(provenance(store), lang=config.lang),
        ]
    lang = config.lang
    rows = rec.rows()
    if fmt != "table":
        emit(rows, fmt=fmt, columns=RECOMMEND_COLUMNS)
        for line in notes:
            click.echo(line, err=True)
        return
    ja = lang == "ja"
    what = VALUES_JA.get(service, service) if ja else service
    where = (prefecture or "全国") if ja else (prefecture or "all of Japan")
    title = (
        f"「{what}」{'（専門）' if specialised else ''}をあと {k} か所置くなら"
        f"（{where}、半径 {catchment:g} km）"
        if ja
        else f"{k} more sites for {what}{' (specialised)' if specialised else ''} — {where}, "
        f"{catchment:g} km"
    )
    emit(_with_total(rec, lang), columns=SIDE_COLUMNS, headers=headers(lang), title=title)
    detail = [_for_people(r, lang) for r in rows if r["method"] == "exact"]
    emit(
        detail,
        columns=[c for c in RECOMMEND_COLUMNS if c not in ("method", "code", "lat", "lng")],
        headers=headers(lang),
        title="厳密解の各拠点が新たに届く市町村"
        if ja
        else "What each site of the exact answer reaches",
    )
    for line in notes:
        click.echo(line)


def _with_total(rec: Any, lang: str) -> list[dict[str, Any]]:
    rows = rec.side_by_side()
    total: dict[str, Any] = {"rank": "計" if lang == "ja" else "total"}
    return [
        *rows,
        {**total, "exact_gain": round(rec.exact.value), "greedy_gain": round(rec.greedy.value)},
    ]


def _for_people(row: dict[str, Any], lang: str) -> dict[str, Any]:
    reached = row["reached"]
    if len(reached) > 8:
        more = len(reached) - 8
        reached = [*reached[:8], f"ほか {more}" if lang == "ja" else f"+{more} more"]
    return {**row, "reached": reached}


COMMANDS = [recommend_cmd]
