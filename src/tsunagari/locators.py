"""Locators as people read them: a document's short name, its section and the line.

`000_fcd93348732e365e.txt l.81` reads 「内閣府 令和7年度交付決定（第1次） 1.全体の概要 l.81」;
the file names stay in CSV/JSON. The names and headings come from
data/source_sections.csv (written by scripts/derive_sections.py).
"""

from __future__ import annotations

import bisect
import csv
import re
from functools import cache
from importlib.resources import files

_PART = re.compile(r"^(?P<file>[\w./-]+\.(?:txt|csv))(?::\s*(?P<head>.*?))?\s*(?P<lines>l\..*)?$")


@cache
def _table() -> dict[str, tuple[str, list[int], list[str]]]:
    """file → (short name, heading lines, headings)."""
    text = (files("tsunagari") / "data" / "source_sections.csv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, list[int], list[str]]] = {}
    for r in csv.DictReader(text.splitlines()):
        _, lines, heads = out.setdefault(r["file"], ("", [], []))
        if int(r["line"]) == 0:
            out[r["file"]] = (r["section"], lines, heads)
        else:
            lines.append(int(r["line"]))
            heads.append(r["section"])
    return out


def short_name(file: str | None) -> str | None:
    """The short name of the document in `file`, or None when it is not a bundled source."""
    entry = _table().get(file or "")
    return entry[0] if entry else None


def readable(locator: str | None, lang: str = "ja") -> str:
    """A locator (`FILE l.N`, `FILE: heading l.N-M`, several joined by `;`) for people."""
    if not locator:
        return ""
    parts = []
    for part in re.split(r";\s*(?=[\w./-]+\.(?:txt|csv))", locator):
        m = _PART.match(part.strip())
        entry = _table().get(m.group("file")) if m else None
        if m is None or entry is None:
            parts.append(part.strip())
            continue
        short, lines, heads = entry
        head = m.group("head")
        where = m.group("lines") or ""
        if not head and (first := re.match(r"l\.(\d+)", where)):
            i = bisect.bisect_right(lines, int(first.group(1))) - 1
            head = heads[i] if i >= 0 else None
        for word, ja in (("role", "役割"), ("summary", "概要")):  # funding rows' second lines
            where = where.replace(f"; {word} ", f"；{ja} " if lang == "ja" else f"; {word} ")
        parts.append(" ".join(x for x in (short, head, where) if x))
    return "；".join(parts)
