"""The summary figures of a funding decision, computed from the graph."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from tsunagari.graph.store import GraphStore, Row
from tsunagari.queries import run_query

SCOPES = (("all", ""), ("別紙1", "別紙1"), ("別紙2", "別紙2"))
KINDS = ("prefectures", "designated_cities", "municipalities")
OKU = 100_000  # thousand yen in one 億円


def funding_summary(
    store: GraphStore,
    *,
    fiscal_year: int,
    round_: int,
    published: Sequence[Mapping[str, str]] = (),
) -> list[Row]:
    """Every figure per scope (all lists, 別紙1, 別紙2): 団体 (total and per kind), projects
    and 事業費; next to each, the figure the document prints and whether they agree."""
    printed = {(p["scope"], p["figure"]): p for p in published}
    params = {"fiscal_year": fiscal_year, "round": round_}
    rows: list[Row] = []
    for scope, prefix in SCOPES:
        kinds = {
            r["figure"]: int(r["value"])
            for r in run_query(store, "funding_entities", **params, list=prefix)
        }
        totals = run_query(store, "funding_projects", **params, list=prefix)[0]
        cost = int(totals["cost_thousand_yen"] or 0)
        figures: list[tuple[str, Any]] = [
            ("entities", sum(kinds.values())),
            *((k, kinds.get(k, 0)) for k in KINDS),
            ("projects", int(totals["projects"])),
            ("cost_thousand_yen", cost),
            ("cost_oku_yen", Decimal(cost) / OKU),
        ]
        for figure, value in figures:
            p = printed.get((scope, figure))
            shown = _as_printed(value, p["value"]) if p else value
            rows.append(
                {
                    "scope": scope,
                    "figure": figure,
                    "computed": _number(str(shown)),
                    "published": _number(p["value"]) if p else None,
                    "agrees": (str(shown) == p["value"]) if p else None,
                    "locator": p["locator"] if p else None,
                }
            )
    return rows


def _number(text: str) -> int | float:
    """A figure as a number: an int when it has no decimals (JSON/CSV carry numbers)."""
    return float(text) if "." in text else int(text)


def _as_printed(value: Any, printed: str) -> Any:
    """A computed 億円 figure rounded to the precision the document prints it with."""
    if not isinstance(value, Decimal):
        return value
    places = len(printed.partition(".")[2])
    return str(round(value, places))


def published_figures(folder: Path) -> list[dict[str, str]]:
    with (folder / "figures.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


NO_SERVICE_COLUMNS = ("id", "lead", "name", "cost_thousand_yen", "specialised", "locator")


def projects_without_service(store: GraphStore) -> list[Row]:
    """The funded projects counted for no service (their texts name none), by 事業費 then id."""
    rows = run_query(store, "projects_without_service")
    return sorted(rows, key=lambda r: (-(r["cost_thousand_yen"] or 0), r["id"]))
