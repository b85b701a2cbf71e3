"""Commands for funding decisions: import a 交付団体 list, compute its summary figures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tsunagari.cli._common import config_of, emit, format_option
from tsunagari.cli._help import Command
from tsunagari.tables import headers, t


@click.command("import-funding", cls=Command)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the structured result to (CSV files).")  # fmt: skip
@click.option("--fiscal-year", type=int, default=2025, show_default=True)
@click.option("--round", "round_", type=int, default=1, show_default=True, help="第N次 decision.")
@click.pass_context
def import_funding_cmd(
    ctx: click.Context, file: Path, out: Path, fiscal_year: int, round_: int
) -> None:
    """Import a 交付団体 decision list (the text extracted from its PDF) into CSV files.

    Reads 別紙1 and 別紙2-①②: one project per row, its 実施主体 and 事業費 (― when the
    lead executes the grant), the 【広域】 mark, and the partner municipalities of each
    wide-area project, each place resolved to its 団体コード with the lead's prefecture as
    context. The case tables (取組事例, 別紙2-③④) give projects their 事業概要 and
    partners' role; the services each project gives are read from its name and those
    texts by the rules of docs/funding-services.md, with the words and line that justify
    each (project_services.csv). Any row it cannot read or resolve is listed as file:line
    and nothing is written. Load the folder with `tsunagari build --with OUT`.

    \b
    Example:
      tsunagari import-funding 交付決定_第2次.txt --round 2 --out funding_r2/
      tsunagari build --with funding_r2/ && tsunagari funding-summary
    """
    from tsunagari.loaders.funding import import_decision_list, service_rows
    from tsunagari.loaders.project_services import SPECIALISED
    from tsunagari.messages import problem_text

    lang = config_of(ctx).lang
    parsed = import_decision_list(file, out, fiscal_year=fiscal_year, round_=round_)
    for p in parsed.problems:
        click.echo(problem_text(p, lang), err=True)
    n = len(parsed.problems)
    if n:
        click.echo(
            t(
                lang,
                f"{n} 件の問題（何も書き出していません）",
                f"{n} problem(s); nothing was written",
            ),
            err=True,
        )
        sys.exit(2)
    projects, partners, figures = len(parsed.projects), len(parsed.partners), len(parsed.figures)
    click.echo(
        t(
            lang,
            f"{out} に書き出し: 事業 {projects}、連携自治体の行 {partners}、文書の数値 {figures}",
            f"wrote {out}: {projects} projects, {partners} partner rows, {figures} published "
            "figures",
        )
    )
    served = {r["project_id"] for r in service_rows(out) if r["service"] != SPECIALISED}
    idle = [j for j in parsed.projects if j.id not in served]
    if idle:
        click.echo(f"{len(idle)} project(s) name no service and count for none:")
        for j in idle:
            click.echo(f"  {j.id} {j.lead.name} {j.name} ({file.name} l.{j.line})")


@click.command("funding-summary", cls=Command)
@click.option("--fiscal-year", type=int, default=2025, show_default=True)
@click.option("--round", "round_", type=int, default=1, show_default=True, help="第N次 decision.")
@click.option(
    "--published",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An import-funding folder whose printed figures to compare with "
    "(default: the bundled FY2025 first decision).",
)
@format_option
@click.pass_context
def funding_summary_cmd(
    ctx: click.Context, fiscal_year: int, round_: int, published: Path | None, fmt: str
) -> None:
    """The summary figures of the funding decision, computed from the graph.

    For all lists, 別紙1 and 別紙2: the number of 団体 (prefectures, designated cities and
    other municipalities), the projects and 事業費, each next to the figure the document
    prints. How the document counts, as the data shows: a 団体 is every prefecture or
    municipality that runs a project (実施主体) or is a partner of a wide-area project
    (連携自治体, 別紙2-②), counted once however many projects and lists it is in; the
    overall figure is the union of the lists (not their sum: 297 < 51 + 272). 事業費 is the
    sum of the project rows (a partner's printed cost is already a row of 別紙2-①).

    \b
    Example:
      tsunagari funding-summary
      tsunagari funding-summary --format csv > summary.csv
      tsunagari funding-summary --round 2 --published funding_r2/
    """
    from tsunagari.graph.connect import open_store
    from tsunagari.loaders.funding import bundled_funding
    from tsunagari.queries.funding import funding_summary, published_figures

    config = config_of(ctx)
    printed = published_figures(published or bundled_funding())
    with open_store(config) as store:
        rows = funding_summary(store, fiscal_year=fiscal_year, round_=round_, published=printed)
    emit(rows, fmt=fmt, headers=headers(config.lang))
    if any(r["agrees"] is False for r in rows):
        click.echo(
            t(
                config.lang,
                "計算した数値の一部が文書の数値と一致しません",
                "some computed figures differ from the printed ones",
            ),
            err=True,
        )
        sys.exit(1)


COMMANDS = [import_funding_cmd, funding_summary_cmd]
