"""The numbers index.html opens with, computed from the coverage tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tsunagari.report.towns import town_href
from tsunagari.viz.report import Findings

NOT_KNOWN = ("none", "unknown")  # no provider known: a gap, or no data to tell
NOT_NEAR = ("prefecture", "unknown", "none")  # nothing known nearer than the prefecture
LOOK_FIRST = 15


def findings(
    coverage: Sequence[Mapping[str, Any]],
    specialised: Sequence[Mapping[str, Any]],
    sources: Sequence[Mapping[str, Any]],
    views: Sequence[Mapping[str, Any]],
    *,
    top: int = LOOK_FIRST,
) -> Findings:
    """Headline figures (people where consultation, any or specialised, is known no nearer
    than the prefecture; where the data says nothing of employment support), how complete
    the data is, and the towns to look at first: specialised consultation in coverage_table
    order (worst tier first, then population)."""

    def where(
        what: str, rows: Sequence[Mapping[str, Any]], service: str, tiers: Sequence[str]
    ) -> tuple[str, int, int]:
        hit = [r for r in rows if r["service"] == service and r["tier"] in tiers]
        return what, sum(r["population"] or 0 for r in hit), len(hit)

    people = [
        where("consultation_far", coverage, "consultation", NOT_NEAR),
        where("specialised_far", specialised, "consultation", NOT_NEAR),
        where("employment_unknown", coverage, "employment_support", ("unknown",)),
    ]
    dates = sorted(str(s["date"]) for s in sources if s.get("rows") and s.get("date"))
    names: dict[str, str] = {}
    for r in coverage:
        names.setdefault(r["prefecture_code"], r["prefecture"])
    networks = {
        str(v["prefecture_code"]): str(v["file"]) for v in views if v.get("prefecture_code")
    }
    found: dict[str, int] = {}
    for r in coverage:
        found[r["code"]] = found.get(r["code"], 0) + (r["tier"] not in NOT_KNOWN)
    rows = [r for r in specialised if r["service"] == "consultation"]
    look = [
        {
            **r,
            "href": town_href(r["code"]),
            "services_found": found[r["code"]],
            "consultation_specialised": r["tier"],
        }
        for r in rows[:top]
    ]
    for i, r in enumerate(look, start=1):
        r["rank"] = i
    return Findings(
        population=sum(r["population"] or 0 for r in rows),
        towns=len(rows),
        people=people,
        known_share=(
            sum(1 for r in coverage if r["tier"] != "unknown") / len(coverage) if coverage else 0.0
        ),
        sources=sum(1 for s in sources if s.get("rows")),
        dates=(dates[0], dates[-1]) if dates else None,
        look_first=look,
        prefectures=[(c, n, networks.get(c)) for c, n in sorted(names.items())],
    )


def town_groups(coverage: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every municipality (code, name) by prefecture, in code order."""
    groups: dict[str, dict[str, str]] = {}
    for r in sorted(coverage, key=lambda r: r["code"]):
        groups.setdefault(r["prefecture"], {})[r["code"]] = r["municipality"]
    return [(p, list(towns.items())) for p, towns in groups.items()]
