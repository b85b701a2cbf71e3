"""Organisations, centres, platforms and projects found by their name or any alternate name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tsunagari.graph.store import GraphStore, Row
from tsunagari.loaders.names import match_key
from tsunagari.queries import run_query

HOWS = ("name", "alternate_name", "partial")  # exact after normalising; else a part of one
MIN_PARTIAL = 3  # characters a text needs before it is looked for inside names


def bodies(store: GraphStore) -> list[Row]:
    """Every named body: label, id, name, alternate_names (a list, maybe empty), source."""
    rows = run_query(store, "bodies")
    for r in rows:
        r["alternate_names"] = list(r["alternate_names"] or [])
    return rows


def find_bodies(text: str, rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The bodies `text` names, compared as names are (NFKC, width, variants, no spaces):
    equal to the name or an alternate name; when none is, those whose names contain it."""
    key = match_key(text)
    exact, partial = [], []
    for r in rows:
        names = [match_key(r["name"] or "")]
        alternates = [match_key(a) for a in r["alternate_names"]]
        if key == names[0]:
            exact.append({**r, "how": "name"})
        elif key in alternates:
            exact.append({**r, "how": "alternate_name"})
        elif len(key) >= MIN_PARTIAL and any(key in n for n in [*names, *alternates]):
            partial.append({**r, "how": "partial"})
    found = exact or partial
    return sorted(found, key=lambda r: (r["label"], r["name"] or "", r["id"]))


def alternate_names(rows: Iterable[Row]) -> dict[tuple[str, str], list[str]]:
    """(label, id) → alternate names, for tables that show them next to the name."""
    return {(r["label"], r["id"]): r["alternate_names"] for r in rows}
