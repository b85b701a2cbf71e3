"""Partnerships around a place: its projects (lead and partners, roles, grants) and direct ties."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tsunagari.graph.store import GraphStore
from tsunagari.queries import run_query
from tsunagari.queries.places import Place


def partnerships(store: GraphStore, place: Place) -> list[dict[str, Any]]:
    """One row per project and participant (wide-area projects first), then one per direct
    partner (PARTNERS_WITH) with an empty project."""
    ids = sorted(r["id"] for r in run_query(store, "entity_projects", code=place.code))
    grants: dict[str, list[str]] = defaultdict(list)
    for r in run_query(store, "project_grants", ids=ids):
        grants[r["id"]].append(r["grant"])
    rows: list[dict[str, Any]] = []
    participants = run_query(store, "project_participants", ids=ids)
    size: dict[str, set[str]] = defaultdict(set)
    for r in participants:
        size[r["id"]].add(r["code"])
    for r in participants:
        rows.append(
            {
                "project": r["project"],
                "fiscal_year": r["fiscal_year"],
                "wide_area": r["wide_area"],
                "governments": len(size[r["id"]]),
                "participant": r["participant"],
                "relation": r["relation"],
                "role": r["role"] or None,
                "is_self": r["code"] == place.code,
                "cost_thousand_yen": r["cost_thousand_yen"],
                "share_thousand_yen": r["share_thousand_yen"],
                "grant": sorted(set(grants[r["id"]])),
                "note": None,
                "project_id": r["id"],
            }
        )
    rows.sort(
        key=lambda r: (
            -len(size[r["project_id"]]),
            r["project"] or "",
            r["project_id"],
            r["relation"] != "lead",
            r["participant"] or "",
        )
    )
    ties = run_query(store, "place_partners", code=place.code)
    for t in sorted(ties, key=lambda t: (t["partner"] or "", t["direction"])):
        rows.append(
            {
                "project": None,
                "fiscal_year": None,
                "wide_area": None,
                "governments": None,
                "participant": t["partner"],
                "relation": "partners_with",
                "role": t["kind"],
                "is_self": False,
                "cost_thousand_yen": None,
                "share_thousand_yen": None,
                "grant": [],
                "note": t["note"] or None,
                "project_id": None,
            }
        )
    return rows


PARTNER_COLUMNS = (
    "project",
    "fiscal_year",
    "wide_area",
    "governments",
    "participant",
    "relation",
    "role",
    "is_self",
    "cost_thousand_yen",
    "share_thousand_yen",
    "grant",
    "note",
    "project_id",
)
