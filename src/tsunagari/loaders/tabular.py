"""Read CSV (UTF-8, UTF-8 with BOM, CP932) and Excel sheets as rows numbered by file line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.records import Problem

# utf-8-sig reads plain UTF-8 too; CP932 is what Excel writes for "CSV" on Japanese Windows.
# Never "shift_jis": it lacks the NEC/IBM extensions (①, ㈱, 髙) that CP932 files carry.
ENCODINGS = ("utf-8-sig", "cp932")
TABULAR_SUFFIXES = (".csv", ".xlsx")


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
    """The text and the encoding that read it, or None when no allowed encoding can."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def tabular_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders expand to the CSV/XLSX files directly inside, sorted."""
    for p in paths:
        if p.is_dir():
            yield from sorted(
                c
                for c in p.iterdir()
                if c.is_file()
                and c.suffix.lower() in TABULAR_SUFFIXES
                and not c.name.startswith(("~$", "."))
            )
        else:
            yield p


def read_sheets(path: Path, *, display: str | None = None) -> tuple[list[Sheet], list[Problem]]:
    """Every sheet in `path` (one for a CSV); problems for files that cannot be read."""
    shown = display or str(path)
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
        return [], [Problem("unreadable-file", shown, None, "", str(path), f"cannot read: {e}")]
    decoded = decode(data)
    if decoded is None:
        return [], [
            Problem(
                "undecodable-file",
                shown,
                None,
                "",
                "",
                "cannot be read as UTF-8 or CP932 (Excel's Japanese CSV); "
                "save it again as 'CSV UTF-8 (comma delimited)'",
            )
        ]
    text, encoding = decoded
    sheet = Sheet(path.stem, shown, path, encoding=encoding)
    _fill(sheet, _csv_records(text))
    return [sheet], []


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Records with the file line they start on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


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
    sheets: list[Sheet] = []
    try:
        for ws in book.worksheets:
            sheet = Sheet(ws.title, f"{shown}[{ws.title}]", path, encoding="xlsx")
            records = (
                (i, [_cell_text(v) for v in row])
                for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
            )
            _fill(sheet, records)
            sheets.append(sheet)
    finally:
        book.close()
    return sheets, []


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
