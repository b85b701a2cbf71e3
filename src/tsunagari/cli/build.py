"""Commands that make and inspect the graph: build, stats, query."""

from __future__ import annotations

from pathlib import Path

import click

from tsunagari.cli._common import FiniteFloat, config_of, emit, format_option, progress_bar
from tsunagari.cli._help import Command
from tsunagari.config import MAX_SECONDS
from tsunagari.tables import headers, t, word


@click.command("build", cls=Command)
@click.option(
    "--with",
    "extra",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="A directory file or folder (CSV/XLSX), an HSDS 3.0 package folder, or a funding "
    "folder to load over the bundled data; repeatable.",
)
@click.option(
    "--skip-invalid", is_flag=True, help="Load the valid rows of --with files and list the rest."
)
@click.pass_context
def build_cmd(ctx: click.Context, extra: tuple[Path, ...], skip_invalid: bool) -> None:
    """Build the graph from the bundled data (and your files) into the store.

    Every input is validated before anything is written; the new graph replaces the old
    one only when complete.

    \b
    Example:
      tsunagari build
      tsunagari --store town.lbug build --with my_directory/
      tsunagari --store town.lbug build --with hsds_package/   # HSDS 3.0 (datapackage.json)
    """
    from tsunagari.messages import problem_text
    from tsunagari.pipeline import build

    config = config_of(ctx)
    with progress_bar() as progress:
        report = build(config, extra=extra, skip_invalid=skip_invalid, progress=progress)
    lang = config.lang
    for p in report.warnings:
        click.echo(f"{t(lang, '注意', 'warning')}: {problem_text(p, lang)}", err=True)
    for p in report.skipped:
        click.echo(f"{t(lang, '読み込まなかった行', 'skipped')}: {problem_text(p, lang)}", err=True)
    for p in report.not_mapped:
        click.echo(f"{t(lang, '読み込まなかった内容', 'not loaded')}: {p}", err=True)
    nodes, edges = sum(report.nodes.values()), sum(report.edges.values())
    click.echo(
        t(
            lang,
            f"{report.path} を作成: ノード {nodes:,}、関係 {edges:,}（出典 {len(report.sources)}）",
            f"built {report.path}: {nodes:,} nodes, {edges:,} edges from {len(report.sources)} "
            "sources",
        )
    )


@click.command("stats", cls=Command)
@format_option
@click.pass_context
def stats_cmd(ctx: click.Context, fmt: str) -> None:
    """Count nodes per label and edges per type; list sources, the build time and the
    funded projects counted for no service.

    A project counts for no service when its name, 事業概要 and partners' role name none
    (docs/funding-services.md); such projects are listed with their 事業費, not dropped
    (in CSV/JSON as rows of kind no_service: name = project id, count = 事業費 in 千円).

    \b
    Example:
      tsunagari stats
      tsunagari stats --format json
    """
    from tsunagari.graph.connect import open_store
    from tsunagari.graph.stats import stats_rows
    from tsunagari.queries.funding import projects_without_service

    config = config_of(ctx)
    with open_store(config) as store:
        rows = stats_rows(store)
        idle = projects_without_service(store)
    columns = ["kind", "name", "count", "detail"]
    listed = [
        {"kind": "no_service", "name": p["id"], "count": p["cost_thousand_yen"],
         "detail": f"{p['lead']} {p['name']}"}
        for p in idle
    ]  # fmt: skip
    if fmt != "table":
        emit([*rows, *listed], fmt=fmt, columns=columns)
        return
    rows = [{**r, "name": word(r["name"], config.lang)} for r in rows]
    emit(rows, fmt=fmt, columns=columns, headers=headers(config.lang))
    total = sum(p["cost_thousand_yen"] or 0 for p in idle)
    title = t(
        config.lang,
        f"どの支援にも数えられない事業: {len(idle)} 件、事業費 計 {total:,} 千円",
        f"Projects counted for no service: {len(idle)}, 事業費 {total:,} thousand yen",
    )
    emit(
        idle,
        fmt=fmt,
        columns=["id", "lead", "name", "cost_thousand_yen"],
        headers=headers(config.lang),
        title=title,
    )


@click.command("query", cls=Command)
@click.argument("cypher")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    nargs=2,
    metavar="NAME VALUE",
    help="A query parameter ($NAME); the value is text, or JSON if it parses as JSON.",
)
@click.option(
    "--timeout",
    type=FiniteFloat(0, MAX_SECONDS, min_open=True),
    default=None,
    help="Seconds before the query is stopped (default 30; env TSUNAGARI_QUERY_TIMEOUT).",
)
@click.option("--write", is_flag=True, help="Allow the statement to change the graph.")
@format_option
@click.pass_context
def query_cmd(
    ctx: click.Context,
    cypher: str,
    params: tuple[tuple[str, str], ...],
    timeout: float | None,
    write: bool,
    fmt: str,
) -> None:
    """Run one ad hoc Cypher statement, read-only unless --write is given.

    Values go in as parameters, never pasted into the text.

    \b
    Example:
      tsunagari query 'MATCH (m:Municipality) WHERE m.name = $n RETURN m.code, m.population' \\
          -p n 阪南市
    """
    from tsunagari.queries.adhoc import run_adhoc

    config = config_of(ctx)
    rows = run_adhoc(config, cypher, _parse_params(params), timeout=timeout, write=write)
    emit(rows, fmt=fmt, words=False)


def _parse_params(params: tuple[tuple[str, str], ...]) -> dict[str, object]:
    import json

    from tsunagari.errors import QueryError

    out: dict[str, object] = {}
    for name, value in params:
        try:
            out[name] = json.loads(value)
        except ValueError:
            out[name] = value
        except RecursionError:
            raise QueryError(f"parameter ${name} is nested too deeply; flatten it") from None
    return out


COMMANDS = [build_cmd, stats_cmd, query_cmd]
