"""What every command shares: the output formats, the store option, error handling."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tsunagari.config import Config
from tsunagari.errors import FileSystemError
from tsunagari.tables import write_csv

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "csv", "json")
TABLE_ROWS = 1_000  # a table is for people; programs take csv or json, which have no cap


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people; csv or json (an array of row objects) for programs.",
    )(func)


def write_output(path: Path, text: str) -> None:
    """Write a file the user named; a failure is one line with the path and the reason."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise FileSystemError(f"cannot write {path}: {e.strerror or e}") from None


def config_of(ctx: click.Context) -> Config:
    obj = ctx.find_root().obj
    assert isinstance(obj, Config)
    return obj


def emit(
    rows: Sequence[Mapping[str, Any]],
    *,
    fmt: str = "table",
    columns: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    file: Any = None,
) -> None:
    """Print rows as an aligned table (East Asian widths, at most TABLE_ROWS rows, with a
    note of the rest), CSV or a strict JSON array (both written row by row, all rows)."""
    out = file or sys.stdout
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        write_json(rows, cols, out)
        return
    if fmt == "csv":
        write_csv(rows, cols, out)
        return
    left_out = len(rows) - TABLE_ROWS
    rows = rows[:TABLE_ROWS]
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False, caption_justify="left")
    for c in cols:
        table.add_column((headers or {}).get(c, c), overflow="fold")
    for r in rows:
        table.add_row(*(_cell(r.get(c)) for c in cols))
    Console(file=out, width=max(100, _terminal_width()), soft_wrap=False).print(table)
    if left_out > 0:
        out.write(f"{left_out:,} more rows not shown; use --format csv or json for all\n")


def write_json(rows: Sequence[Mapping[str, Any]], cols: Sequence[str], out: Any) -> None:
    """A JSON array, one row at a time; NaN and infinities (not JSON) become null."""
    out.write("[")
    for i, r in enumerate(rows):
        row = {c: finite(r.get(c)) for c in cols}
        out.write(("," if i else "") + "\n " + json.dumps(row, ensure_ascii=False, allow_nan=False))
    out.write("\n]\n" if rows else "]\n")


def finite(v: Any) -> Any:
    """The value with every non-finite float (NaN, ±Infinity) replaced by None."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, list | tuple):
        return [finite(x) for x in v]
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    return v


class FiniteFloat(click.FloatRange):
    """A FloatRange that also refuses nan and infinities (which pass every range check)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def _cell(v: Any) -> str:
    from rich.markup import escape

    if v is None:
        return "—"
    if isinstance(v, list | tuple):
        return escape(", ".join(str(x) for x in v))
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return escape(str(v))


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 40)).columns


class progress_bar:
    """A context manager giving a Progress callback that draws on stderr (hidden in CI logs)."""

    def __enter__(self) -> Callable[[str, int, int], None]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._bar.start()
        tasks: dict[str, Any] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = self._bar.add_task(step, total=total)
            self._bar.update(tasks[step], completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()
