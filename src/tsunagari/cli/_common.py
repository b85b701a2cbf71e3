"""What every command shares: the output formats, the store option, error handling."""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tsunagari.cli._help import env_lang, lang_of
from tsunagari.config import Config
from tsunagari.errors import FileSystemError
from tsunagari.tables import (
    NAME_COLUMNS,
    VALUE_COLUMNS,
    VALUES_JA,
    display,
    fit_widths,
    t,
    write_csv,
)

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "csv", "json")
TABLE_ROWS = 1_000  # a table is for people; programs take csv or json, which have no cap


def format_option(func: F) -> F:
    func = click.option(
        "--wide",
        is_flag=True,
        expose_value=False,
        callback=_set_wide,
        help="Show every column and whole cells, however wide the table gets.",
    )(func)
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


def _set_wide(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta["tsunagari.wide"] = True


class WordChoice(click.ParamType):
    """A choice typed as its id or its Japanese word (the directory format's words too)."""

    name = "word"

    def __init__(
        self,
        choices: Sequence[str],
        vocabulary: str | None = None,
        *,
        words: Mapping[str, str] | None = None,
    ) -> None:
        self.choices = tuple(choices)
        self.vocabulary = vocabulary  # a loaders.directory_format vocabulary, if any
        self.words = dict(words or {c: VALUES_JA.get(c, c) for c in choices})  # id → ja

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from tsunagari.loaders.directory_format import fold, word

        key = fold(str(value))
        for c in self.choices:
            if key in (fold(c), fold(self.words.get(c, c))):
                return c
        found = word(self.vocabulary, str(value)) if self.vocabulary else None
        if found in self.choices:
            return found
        lang = current_lang()
        shown = ", ".join(self._shown(lang))
        self.fail(
            t(lang, f"{value!r} は選べません（{shown}）", f"{value!r} is not one of: {shown}"),
            param,
            ctx,
        )

    def _shown(self, lang: str) -> list[str]:
        return [self.words.get(c, c) if lang == "ja" else c for c in self.choices]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        if current_lang() == "ja":  # the Japanese words are listed in the help text
            return (param.name or "word").upper()
        return "[" + "|".join(self.choices) + "]"


def config_of(ctx: click.Context) -> Config:
    obj = ctx.find_root().obj
    assert isinstance(obj, Config)
    return obj


def current_lang() -> str:
    """The language of the running command: --lang, else TSUNAGARI_LANG, else ja."""
    ctx = click.get_current_context(silent=True)
    return lang_of(ctx) if ctx is not None else env_lang()


def _wide() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().meta.get("tsunagari.wide"))


def emit(
    rows: Sequence[Mapping[str, Any]],
    *,
    fmt: str = "table",
    columns: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    title: str | None = None,
    file: Any = None,
    words: bool = True,
) -> None:
    """Print rows as a table that fits the terminal, CSV or a strict JSON array (both written
    row by row, all rows).

    The table: at most TABLE_ROWS rows with a note of the rest; vocabulary ids as words
    (unless `words` is False: a user's own query), numbers never split, long names shortened
    with …; when even that does not fit, one record per block. `--wide` shows everything."""
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
    lang = current_lang()
    names = [(headers or {}).get(c, c) for c in cols]
    shown = display if words else (lambda _c, v, _lang: v)
    cells = [[_cell(shown(c, r.get(c), lang), lang) for c in cols] for r in rows]
    kinds = ["word" if words and c in VALUE_COLUMNS else "name" if c in NAME_COLUMNS else "text"
             for c in cols]  # fmt: skip
    print_table(names, cells, title=title, file=out, wide=_wide(), kinds=kinds)
    if left_out > 0:
        out.write(
            t(
                lang,
                f"ほか {left_out:,} 行は表示していません（すべては --format csv か json で）\n",
                f"{left_out:,} more rows not shown; use --format csv or json for all\n",
            )
        )


def print_table(
    names: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    file: Any = None,
    wide: bool = False,
    kinds: Sequence[str] = (),
) -> None:
    """Aligned columns within the terminal width (East Asian widths), or one record per block.

    `kinds`: word (a vocabulary word), name or text for each column (tables.floor_width);
    numbers and words are never shortened, names and other text are, with …; a column
    empty in every row is left out."""
    from rich.cells import cell_len
    from rich.console import Console

    out = file or sys.stdout
    if cells:  # a column with nothing in any row says nothing: left out
        keep = [i for i in range(len(names)) if any(row[i] not in ("", "—") for row in cells)]
        names = [names[i] for i in keep]
        cells = [[row[i] for i in keep] for row in cells]
        kinds = [kinds[i] for i in keep] if kinds else ()
    numeric = [all(_is_number(row[i]) for row in cells) for i in range(len(names))]
    kinds = ["number" if num else (kinds[i] if kinds else "text") for i, num in enumerate(numeric)]
    values = [max((cell_len(row[i]) for row in cells), default=1) for i in range(len(names))]
    heads = [cell_len(n) for n in names]
    width = terminal_width()
    natural = [max(v, h) for v, h in zip(values, heads, strict=True)]
    widths: list[int] | None = natural
    gap = 2
    if not wide:
        for gap in (2, 1):  # as they are, with 2 cells between columns, else 1
            if sum(natural) + gap * (len(names) - 1) <= width:
                break
        else:
            for gap in (2, 1):  # headers wrap, then text shortens with …
                widths = fit_widths(values, heads, kinds, width - gap * (len(names) - 1))
                if widths is not None:
                    break
    console = Console(
        file=_Trimmed(out),  # type: ignore[arg-type]  # write and flush are all it uses
        width=10_000 if wide else width,
        soft_wrap=wide,
        color_system=None,
    )
    if title:
        console.print(title, markup=False, highlight=False)
    if not cells:
        lang = current_lang()
        console.print(
            t(lang, "  なし（読み込んだデータにない）", "  none (not in the loaded data)")
        )
        return
    if widths is None:
        _print_blocks(console, names, cells)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, gap - 1),
        collapse_padding=True, header_style="bold",
    )  # fmt: skip
    for name, w, num in zip(names, widths, numeric, strict=True):
        table.add_column(
            Text(name, overflow="fold", no_wrap=False),
            width=w,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if num else "left",
        )
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    console.print(table)


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


class _Trimmed:
    """A file that drops the spaces rich pads each line with up to the table's width."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return int(self.out.write(re.sub(r" +\n", "\n", text)) or 0)

    def flush(self) -> None:
        self.out.flush()


def _print_blocks(console: Any, names: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    for i, row in enumerate(cells, start=1):
        console.print(f"―― {i} ――", markup=False, highlight=False)
        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for name, value in zip(names, row, strict=True):
            if value and value != "—":
                grid.add_row(Text(name), Text(value))
        console.print(grid)


def _is_number(text: str) -> bool:
    return (
        text == "—" or text.replace(",", "").replace(".", "").replace("%", "").lstrip("-").isdigit()
    )


def _cell(v: Any, lang: str = "ja") -> str:
    if v is None:
        return "—"
    if isinstance(v, list | tuple):
        return ("、" if lang == "ja" else ", ").join(str(x) for x in v)
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 40)).columns


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
