"""Commands for the support-resource directory: check files, write templates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from tsunagari.cli._common import config_of, emit
from tsunagari.cli._help import Command
from tsunagari.tables import t


@click.command("check", cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--without-bundled",
    is_flag=True,
    help="Check the files alone, not against the bundled directory's ids and names.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text: one 'file:line: column: message' per problem; csv or json for programs.",
)
@click.pass_context
def check_cmd(ctx: click.Context, files: tuple[Path, ...], without_bundled: bool, fmt: str) -> None:
    """Check directory files (CSV/XLSX, or folders of them) and list every problem.

    Nothing is written to the store. Exit status 0 when the files are clean, 2 when
    there are problems.

    \b
    Example:
      tsunagari check my_directory/
      tsunagari check organizations.csv links.csv --format csv > problems.csv
    """
    from tsunagari.loaders.directory import load_directory
    from tsunagari.messages import problem_text

    lang = config_of(ctx).lang
    result = load_directory(list(files), over_bundled=not without_bundled)
    problems = result.problems
    if fmt == "text":
        for p in problems:
            click.echo(problem_text(p, lang))
        for p in result.warnings:
            click.echo(f"{t(lang, '注意', 'warning')}: {problem_text(p, lang)}")
    else:
        emit(
            [p.__dict__ for p in problems],
            fmt=fmt,
            columns=["file", "line", "field", "value", "slug", "message"],
        )
    ja = lang == "ja"
    if problems:
        click.echo(
            f"{len(problems)} 件の問題があります（読み込みは行っていません）"
            if ja
            else f"{len(problems)} problems (nothing was loaded)",
            err=True,
        )
        ctx.exit(2)
    counts = Counter(n.label for n in result.nodes)
    links = len({(e.type, e.src, e.dst, e.props.get("locator")) for e in result.edges})
    click.echo(
        f"問題なし: 団体 {counts['Organization']}・拠点 {counts['SupportCenter']}・"
        f"プラットフォーム {counts['Platform']}・つながり {links}"
        if ja
        else f"ok: {counts['Organization']} organizations, {counts['SupportCenter']} centers, "
        f"{counts['Platform']} platforms, {links} edges",
        err=True,
    )


@click.command("template", cls=Command)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--excel", is_flag=True, help="Write one directory.xlsx instead of four CSV files.")
@click.option("--force", is_flag=True, help="Overwrite existing template files.")
def template_cmd(folder: Path, excel: bool, force: bool) -> None:
    """Write empty, commented directory templates to FOLDER.

    The CSV files are UTF-8 with BOM so that Excel opens them with the Japanese intact.
    Fill them in, then run `tsunagari check FOLDER`.

    \b
    Example:
      tsunagari template my_directory/
      tsunagari template my_directory/ --excel
    """
    from tsunagari.loaders.directory_format import write_templates

    for path in write_templates(folder, excel=excel, force=force):
        click.echo(str(path))


COMMANDS = [check_cmd, template_cmd]
