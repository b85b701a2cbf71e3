"""The planner's table: one row per municipality, its coverage tier for every service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tsunagari.model import SERVICES
from tsunagari.queries.coverage import TIERS

TOWN_COLUMNS = (
    "rank",
    "code",
    "municipality",
    "prefecture",
    *SERVICES,
    "worst",
    "worst_services",
    "population",
    "estimated",
)


def town_table(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of `coverage_table` (one per town and service) pivoted to one per town.

    Each service column holds that service's tier; `worst` is the worst tier of the town
    and `worst_services` how many services sit at it. Ranked as the gap table is: worst
    tier first, then by population (then by how many services sit at the worst tier)."""
    rank = {t: i for i, t in enumerate(TIERS)}
    towns: dict[str, dict[str, Any]] = {}
    for r in rows:
        town = towns.setdefault(
            r["code"],
            {
                "rank": 0,
                "code": r["code"],
                "municipality": r["municipality"],
                "prefecture": r["prefecture"],
                **dict.fromkeys(SERVICES),
                "population": r["population"],
                "estimated": r["estimated"],
            },
        )
        town[r["service"]] = r["tier"]
    out = list(towns.values())
    for town in out:
        tiers = [town[s] for s in SERVICES if town[s] is not None]
        town["worst"] = max(tiers, key=rank.__getitem__) if tiers else None
        town["worst_services"] = sum(1 for t in tiers if t == town["worst"])
    out.sort(
        key=lambda t: (
            -rank.get(t["worst"], -1),
            -(t["population"] if t["population"] is not None else -1),
            -t["worst_services"],
            t["code"],
        )
    )
    for i, town in enumerate(out, start=1):
        town["rank"] = i
    return out
