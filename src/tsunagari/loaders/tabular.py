"""Read CSV (UTF-8, UTF-8 with BOM, CP932) and Excel sheets as rows numbered by file line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.records import Problem

# utf-8-sig reads plain UTF-8 too; CP932 is what Excel writes for "CSV" on Japanese Windows.
# Never "shift_jis": it lacks the NEC/IBM extensions (①, ㈱, 髙) that CP932 files carry.
ENCODINGS = ("utf-8-sig", "cp932")
TABULAR_SUFFIXES = (".csv", ".xlsx")
MAX_FILE_BYTES = 50 * 1024 * 1024  # a directory file is far smaller; /dev/zero is not one
MAX_CELL_CHARS = csv.field_size_limit()  # 131,072: Python's csv limit, kept and reported


@dataclass
class Sheet:
    """One table: its name (file stem or Excel sheet), where it came from, and its rows."""

    name: str
    file: str  # what problems print: the path as given, plus "[sheet]" for Excel
    path: Path
    header: list[str] = field(default_factory=list)
    header_line: int = 0
    rows: list[Row] = field(default_factory=list)
    encoding: str = ""


@dataclass
class Row:
    line: int  # the line in the file (Excel: the row number); the first line is 1
    cells: dict[str, str]  # header column → stripped cell text
    extra: list[str] = field(default_factory=list)  # filled cells beyond the header


def column_name(text: str) -> str:
    """Header cells compare by NFKC, case-folded, with spaces as underscores."""
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "_")


def decode(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding that read it, or None when no allowed encoding can.

    Bytes that CP932 happens to decode but that hold no character of its Japanese rows
    (lead bytes 0x81–0x9F: kana, symbols, level-1 kanji) are Latin-1 or similar read by
    accident, and refused; a NUL byte (UTF-16, a binary file) is refused too."""
    if b"\x00" in data:
        return None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp932" and not _japanese(text):
            return None
        return text, encoding
    return None


def undecodable(shown: str, data: bytes) -> Problem:
    nul = " (it has NUL bytes: UTF-16, or not text)" if b"\x00" in data else ""
    return Problem(
        "undecodable-file",
        shown,
        None,
        "",
        "",
        f"cannot be read as UTF-8, UTF-8 with BOM or CP932 (Excel's Japanese CSV), the "
        f"encodings read here{nul}; save it again as 'CSV UTF-8 (comma delimited)'",
    )


def _japanese(text: str) -> bool:
    return any(ord(c) > 0x7F and 0x81 <= c.encode("cp932")[0] <= 0x9F for c in text)


def tabular_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders expand to the CSV/XLSX entries directly inside, sorted (what
    is not a regular file among them is yielded too, so that reading it reports it)."""
    for p in paths:
        if p.is_dir():
            yield from sorted(
                c
                for c in p.iterdir()
                if c.suffix.lower() in TABULAR_SUFFIXES and not c.name.startswith(("~$", "."))
            )
        else:
            yield p


def empty_folders(paths: Iterable[Path]) -> list[Problem]:
    """A folder given with no CSV or XLSX file in it is a mistake, never "ok: 0"."""
    return [
        Problem(
            "empty-folder",
            str(p),
            None,
            "",
            "",
            "no .csv or .xlsx file in this folder; give the folder that holds the files",
        )
        for p in paths
        if p.is_dir() and not any(tabular_files([p]))
    ]


def unreadable(path: Path, shown: str) -> Problem | None:
    """Only regular files of at most MAX_FILE_BYTES are read (never a FIFO, device or loop)."""
    try:
        st = path.stat()
    except OSError as e:
        return Problem("unreadable-file", shown, None, "", "", f"cannot read: {e.strerror or e}")
    if stat.S_ISDIR(st.st_mode):
        return Problem(
            "not-a-file", shown, None, "", "", "is a folder, not a file; give the file itself"
        )
    if not stat.S_ISREG(st.st_mode):
        return Problem(
            "not-a-file", shown, None, "", "", "is not a regular file (a pipe or a device?)"
        )
    if st.st_size > MAX_FILE_BYTES:
        return Problem(
            "file-too-large",
            shown,
            None,
            "",
            f"{st.st_size:,} bytes",
            f"is larger than the {MAX_FILE_BYTES // 2**20} MB limit for an input file",
        )
    return None


def read_sheets(path: Path, *, display: str | None = None) -> tuple[list[Sheet], list[Problem]]:
    """Every sheet in `path` (one for a CSV); problems for files that cannot be read."""
    shown = display or str(path)
    refused = unreadable(path, shown)
    if refused is not None:
        return [], [refused]
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, shown)
    if path.suffix.lower() != ".csv":
        return [], [
            Problem(
                "unknown-file-type",
                shown,
                None,
                "",
                path.suffix,
                "not a .csv or .xlsx file; save the sheet as CSV (UTF-8) or Excel (.xlsx)",
            )
        ]
    try:
        data = path.read_bytes()
    except OSError as e:
        return [], [
            Problem("unreadable-file", shown, None, "", "", f"cannot read: {e.strerror or e}")
        ]
    decoded = decode(data)
    if decoded is None:
        return [], [undecodable(shown, data)]
    text, encoding = decoded
    sheet = Sheet(path.stem, shown, path, encoding=encoding)
    problems: list[Problem] = []
    _fill(sheet, _csv_records(text, shown, problems))
    if problems:
        return [], problems
    return [sheet], []


def _csv_records(text: str, shown: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Records with the file line they start on (a quoted cell may span lines). Strict: an
    unterminated or stray quote, or an over-long cell, is a problem, never swallowed rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1

    def bad(message: str) -> None:
        problems.append(Problem("bad-csv", shown, start, "", "", message))

    try:
        for record in reader:
            if reader.line_num > start and any(_holds_rows(c) for c in record):
                bad(
                    f"a quoted cell runs from line {start} to {reader.line_num} and holds "
                    'whole rows: a quote (") is probably missing its pair'
                )
            yield start, record
            start = reader.line_num + 1
    except csv.Error as e:
        reason = str(e)
        if "field larger" in reason:
            reason = f"a cell is longer than {MAX_CELL_CHARS:,} characters"
        elif "unexpected end of data" in reason:
            reason = 'a quote (") opened here is never closed'
        bad(f"cannot read the CSV from this line on: {reason}; fix the quoting and save again")


def _holds_rows(cell: str) -> bool:
    """A line break inside a cell followed by a line with commas: rows swallowed by a quote."""
    return any("," in line for line in cell.splitlines()[1:])


def _read_xlsx(path: Path, shown: str) -> tuple[list[Sheet], list[Problem]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a core dependency, but keep the message useful
        return [], [
            Problem(
                "missing-dependency",
                shown,
                None,
                "",
                "openpyxl",
                "reading .xlsx needs openpyxl: pip install openpyxl",
            )
        ]
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged or non-Excel file
        return [], [
            Problem(
                "unreadable-file",
                shown,
                None,
                "",
                type(e).__name__,
                f"not a readable .xlsx workbook ({e}); save it again from Excel",
            )
        ]
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    try:
        for ws, wf in zip(book.worksheets, formulas.worksheets, strict=True):
            sheet = Sheet(ws.title, f"{shown}[{ws.title}]", path, encoding="xlsx")
            rows = zip(ws.iter_rows(values_only=True), wf.iter_rows(values_only=True), strict=True)
            records = []
            for i, (values, written) in enumerate(rows, start=1):
                for j, (value, formula) in enumerate(zip(values, written, strict=False)):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        problems.append(_no_cached_value(sheet.file, i, j, formula))
                records.append((i, [_cell_text(v) for v in values]))
            _fill(sheet, records)
            sheets.append(sheet)
    finally:
        book.close()
        formulas.close()
    return ([], problems) if problems else (sheets, [])


def _no_cached_value(file: str, row: int, column: int, formula: str) -> Problem:
    from openpyxl.utils import get_column_letter

    return Problem(
        "formula-without-value",
        file,
        row,
        get_column_letter(column + 1),
        formula[:80],
        "the cell holds a formula whose value was never saved (the file was not saved by "
        "Excel); open it in Excel or LibreOffice and save it, or type the value",
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fill(sheet: Sheet, records: Iterable[tuple[int, list[str]]]) -> None:
    """Header = the first row that is neither blank nor a `#` comment; later such rows skip."""
    for line, cells in records:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if not sheet.header:
            sheet.header = [column_name(c) for c in cells]
            sheet.header_line = line
            continue
        row = {
            name: (cells[i].strip() if i < len(cells) else "")
            for i, name in enumerate(sheet.header)
            if name
        }
        unnamed = [c for i, c in enumerate(cells) if i >= len(sheet.header) or not sheet.header[i]]
        extra = [c.strip() for c in unnamed if c.strip()]
        sheet.rows.append(Row(line, row, extra))
