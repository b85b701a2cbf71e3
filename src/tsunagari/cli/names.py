"""The resolve command: municipality names or codes as sources write them → master codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from tsunagari.cli._common import config_of, emit, format_option
from tsunagari.cli._help import Command
from tsunagari.errors import InputError
from tsunagari.tables import headers, t

COLUMNS = ["text", "code", "name", "prefecture", "label", "how", "candidates", "note"]
BODY_COLUMNS = ["id", "alternate_names", "source"]  # added when a name is a body's


@click.command("resolve", cls=Command)
@click.argument("names", nargs=-1)
@click.option("--prefecture", help="Context: the prefecture the names are in (鳥取県, 鳥取, 31).")
@click.option("--city", help="Context: the designated city for bare ward names (札幌市).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Resolve a column of this CSV file (UTF-8, UTF-8 with BOM or CP932) instead.",
)
@click.option("--column", help="With --csv: the column holding the names or codes.")
@click.option("--prefecture-column", help="With --csv: a column giving each row's prefecture.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="With --csv: write the file with code, official_name, how and candidates "
    "columns added here (default: standard output).",
)
@format_option
@click.pass_context
def resolve_cmd(
    ctx: click.Context,
    names: tuple[str, ...],
    prefecture: str | None,
    city: str | None,
    csv_path: Path | None,
    column: str | None,
    prefecture_column: str | None,
    out: Path | None,
    fmt: str,
) -> None:
    """Find the 団体コード and official name of municipalities as sources write them, and
    the organisations, centres, platforms and projects of the built graph by any name.

    A name shared by several places (府中市, 北区) is never guessed: it is listed with its
    candidates until a prefecture or city decides. A name that is no place is looked up
    in the graph (--store) among bodies' names and alternate names (nicknames, former
    names), compared as place names are (NFKC, full/half width, ヶ/ケ); the rows then give
    the label, id, name, alternate names and source (how: name, alternate_name, or partial
    when the text is only part of a name). Exits with 2 when any name stays unresolved;
    with --csv each such row is reported as file:line.

    \b
    Example:
      tsunagari resolve 大阪府阪南市 鎌ヶ谷市 011002 南部町
      tsunagari resolve すてっぷ
      tsunagari resolve 南部町 日野町 --prefecture 鳥取県 --format csv
      tsunagari resolve --csv partners.csv --column 自治体 --prefecture-column 県 --out coded.csv
    """
    lang = config_of(ctx).lang
    if csv_path is not None:
        if names or city:
            raise click.UsageError(
                t(lang, "NAMES か --csv のどちらか一つ（--city は NAMES 用）",
                  "give NAMES or --csv, not both (--city is for NAMES)")
            )  # fmt: skip
        if not column:
            raise click.UsageError(
                t(lang, "--csv には --column（名前の列）が必要です",
                  "--csv needs --column: the column holding the names")
            )  # fmt: skip
        _resolve_file(ctx, csv_path, column, prefecture_column, prefecture, out)
        return
    if column or prefecture_column or out:
        raise click.UsageError(
            t(lang, "--column、--prefecture-column、--out は --csv FILE と一緒に使います",
              "--column, --prefecture-column and --out go with --csv FILE")
        )  # fmt: skip
    if not names:
        raise click.UsageError(
            t(lang, "NAMES を一つ以上か、--csv FILE --column COL を指定してください",
              "give one or more NAMES, or --csv FILE --column COL")
        )  # fmt: skip
    from tsunagari.loaders.names import resolve

    results = [resolve(n, prefecture=prefecture, city=city) for n in names]
    rows: list[dict[str, object]] = [
        {
            "text": r.text,
            "code": r.code,
            "name": r.name,
            "prefecture": r.prefecture,
            "label": r.label,
            "how": r.how,
            "candidates": [str(c) for c in r.candidates],
            "note": r.note or None,
        }
        for r in results
    ]
    found = _bodies_named(ctx, [r.text for r in results if r.how == "unknown"])
    shown: list[dict[str, object]] = []
    for r, row in zip(results, rows, strict=True):
        shown += [_body_row(r.text, b) for b in found.get(r.text, [])] or [row]
    columns = COLUMNS + (BODY_COLUMNS if any(found.values()) else [])
    emit(shown, fmt=fmt, columns=columns, headers=headers(lang))
    named = {t for t, bs in found.items() if bs and bs[0]["how"] != "partial"}
    if not all(r.ok or r.text in named for r in results):
        ctx.exit(InputError.exit_code)


def _bodies_named(ctx: click.Context, texts: list[str]) -> dict[str, list[dict[str, object]]]:
    """The bodies of the built graph each text names; none when there is no graph."""
    if not texts:
        return {}
    from tsunagari.errors import NotBuiltError
    from tsunagari.graph.connect import open_store
    from tsunagari.queries.bodies import bodies, find_bodies

    try:
        with open_store(config_of(ctx)) as store:
            rows = bodies(store)
    except NotBuiltError as e:
        click.echo(f"{e} (to look names up among organisations, centres and projects)", err=True)
        return {}
    return {t: find_bodies(t, rows) for t in texts}


def _body_row(text: str, body: dict[str, object]) -> dict[str, object]:
    keys = ("name", "label", "how", "id", "alternate_names", "source")
    return {"text": text, **{k: body[k] for k in keys}}


def _resolve_file(
    ctx: click.Context,
    path: Path,
    column: str,
    prefecture_column: str | None,
    prefecture: str | None,
    out: Path | None,
) -> None:
    from tsunagari.loaders.names import resolve_csv
    from tsunagari.messages import problem_text

    table = resolve_csv(
        path, column=column, prefecture_column=prefecture_column, prefecture=prefecture
    )
    text = io.StringIO()
    csv.writer(text, lineterminator=table.newline).writerows(table.records)
    if out is None:  # bytes, so that Windows does not turn the file's \r\n into \r\r\n
        click.echo(text.getvalue().encode("utf-8"), nl=False)
    else:
        out.write_text(text.getvalue(), encoding="utf-8-sig" if table.bom else "utf-8", newline="")
    for problem in table.problems:
        click.echo(problem_text(problem, config_of(ctx).lang), err=True)
    unresolved = len(table.problems)
    done = table.rows - unresolved
    if config_of(ctx).lang == "ja":
        summary = f"{table.rows} 行中 {done} 行を照合" + (
            f"、{unresolved} 行が未解決" if unresolved else ""
        )
        summary += f"（{out} に書き出し）" if out is not None else ""
    else:
        summary = f"{done} of {table.rows} rows resolved" + (
            f", {unresolved} unresolved" if unresolved else ""
        )
        summary += f"; wrote {out}" if out is not None else ""
    click.echo(summary, err=True)
    if unresolved:
        ctx.exit(InputError.exit_code)


COMMANDS = [resolve_cmd]
