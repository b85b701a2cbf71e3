"""Read the case tables (取組事例, 別紙2-③④) of a decision list: 事業概要 and partners' role.

The extracted text keeps each table cell as a paragraph (lines between blank lines), in
column order: 自治体名, 事業名, (支援対象, 対象分野,) 事業概要, 事業費; a wide-area case
then has the header 「連携自治体 連携自治体の役割 想定される効果」 and one paragraph each
for the partners, their role and the expected effect. A cell's lines keep their line
numbers, so every word read from a summary or a role can cite its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tsunagari.loaders.names import match_key, resolve

_COST = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_PARTNER_HEADER = "連携自治体 連携自治体の役割"


@dataclass(frozen=True)
class Cell:
    """One table cell as printed: its lines (cleaned) and their numbers in the document."""

    lines: tuple[str, ...]
    numbers: tuple[int, ...]

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class Case:
    """A case of the tables: the lead and project as named there, its 事業概要 and, for a
    wide-area case, the partners (as the table writes them, e.g. 「都内９市区」) and their role."""

    lead_code: str
    project_key: str  # match_key of the project name
    summary: Cell
    partners: Cell | None = None
    role: Cell | None = None


def read_case_tables(lines: Sequence[tuple[int, str]], names: Sequence[str]) -> list[Case]:
    """The cases of the tables in `lines` ((number, cleaned text), blank lines kept) whose
    project is one of `names` (the projects of 別紙2-①); a cell that is not read is skipped,
    not guessed."""
    start = next((i for i, (_, t) in enumerate(lines) if t.startswith("取組事例（")), None)
    if start is None:
        return []
    keys = sorted({match_key(n) for n in names}, key=len, reverse=True)
    cells = _cells(lines[start:])
    cases: list[Case] = []
    for i, cell in enumerate(cells):
        key = match_key(cell.text)
        name = next((k for k in keys if key.endswith(k)), None)
        if name is None:
            continue
        lead_text = key[: -len(name)] or (match_key(cells[i - 1].text) if i else "")
        lead = resolve(lead_text)
        cost = next((j for j in range(i + 1, len(cells)) if _COST.match(cells[j].text)), None)
        if not lead.ok or cost is None or cost == i + 1:
            continue
        after = cells[cost + 1 : cost + 4]
        wide = len(after) == 3 and after[0].text.startswith(_PARTNER_HEADER)
        partners, role = (after[1], after[2]) if wide else (None, None)
        cases.append(Case(lead.code or "", name, cells[cost - 1], partners, role))
    return cases


def _cells(lines: Sequence[tuple[int, str]]) -> list[Cell]:
    """Paragraphs, without page marks (【別紙２－④】) and notes (※ …)."""
    cells: list[Cell] = []
    run: list[tuple[int, str]] = []
    for n, text in [*lines, (0, "")]:
        if text:
            run.append((n, text))
            continue
        if run and not run[0][1].startswith(("【別紙", "※")):
            cells.append(Cell(tuple(t for _, t in run), tuple(n for n, _ in run)))
        run = []
    return cells
