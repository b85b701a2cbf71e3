"""The national layer: 自立相談支援 windows in every municipality, and the stated national facts.

The windows come from data/national/ (derived by scripts/derive_national.py from くらし支援ナビ,
CC BY 4.0, modified). Stated facts (every prefecture and designated city has a ひきこもり地域支援
センター since 2018) become centres marked `stated` only where the loaded data names none.
The rules are in docs/coverage.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from typing import Any

from tsunagari.loaders.master import bundled_sources, data_path, master_rows
from tsunagari.records import Edge, LoadResult, Node

WINDOWS = "kurashi-navi-2026"
CENTRES_FACT = "mhlw-hikikomori-centers"
ATTRIBUTION = "くらし支援ナビ（運営: JUNKBRANDING）"
# Ids of bodies that count as providers but never "close" in resilience: the statutory
# 自立相談支援 windows of the national layer and the stated centres.
FIXED_PREFIXES = ("nat-", "stated-")


def _rows(name: str) -> list[dict[str, str]]:
    with data_path(f"national/{name}").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _list(text: str) -> list[str]:
    return [t for t in text.split(";") if t]


def load_national_windows() -> LoadResult:
    """Each window a general consultation SupportCenter covering the municipalities it serves.

    One window serving several municipalities is one node; its COVERS edge to each carries
    the tier derived for that municipality (window_areas.csv, with the rule that gave it).
    The compilation claims every municipality: a Completeness node says so for general
    consultation.
    """
    source = bundled_sources()[WINDOWS]
    result = LoadResult(sources=[source])
    for r in _rows("operators.csv"):
        org: dict[str, Any] = {"name": r["name"], "kind": r["kind"], "services": []}
        org |= {"specialised": False, "source": WINDOWS}
        org["locator"] = f"{ATTRIBUTION} {r['locator']}"
        result.nodes.append(Node("Organization", r["id"], org))
    areas: dict[str, list[dict[str, str]]] = defaultdict(list)
    for a in _rows("window_areas.csv"):
        areas[a["window_id"]].append(a)
    for w in _rows("windows.csv"):
        where = {"source": WINDOWS, "locator": f"{ATTRIBUTION} {w['locator']}"}
        dated = {**where, "as_of": w["url_checked"]}
        props: dict[str, Any] = {
            "name": w["name"],
            **dated,
            "kind": "consultation_window",
            "services": ["consultation"],
            "specialised": False,
            "stated": False,
            "delivery_modes": _list(w["delivery_modes"]),
        }
        for key in ("address", "phone", "hours", "url", "url_publisher", "url_checked"):
            props[key] = w[key]
        props["status"], props["verification"] = w["status"], w["verification"]
        me = ("SupportCenter", w["id"])
        result.nodes.append(Node("SupportCenter", w["id"], props))
        if w["located_code"]:
            result.edges.append(Edge("LOCATED_IN", me, ("Municipality", w["located_code"]), dated))
        if w["operator"]:
            result.edges.append(Edge("OPERATES", ("Organization", w["operator"]), me, dated))
        for a in areas[w["id"]]:
            cover: dict[str, Any] = {**dated, "locator": f"{where['locator']} ({a['rule']})"}
            cover |= {"services": ["consultation"], "scope": a["tier"]}
            result.edges.append(Edge("COVERS", me, ("Municipality", a["code"]), cover))
    result.nodes.append(
        Node(
            "Completeness",
            f"complete-{WINDOWS}",
            {
                "name": "自立相談支援窓口は全市区町村に設置（生活困窮者自立支援法）",
                "source": WINDOWS,
                "locator": f"{ATTRIBUTION}: 全1,741市区町村の窓口",
                "as_of": source.date,
                "services": ["consultation"],
                "areas": ["all"],
                "covers_specialised": False,
            },
        )
    )
    return result


@cache
def town_contacts() -> dict[str, dict[str, str]]:
    """Each municipality's representative contact (town hall phone, official site)."""
    return {r["code"]: r for r in _rows("town_contacts.csv")}


def add_town_contacts(result: LoadResult) -> None:
    """Put the representative contact on each Municipality node of `result` (in place)."""
    contacts = town_contacts()
    for n in result.nodes:
        c = contacts.get(n.key) if n.label == "Municipality" else None
        if c is None:
            continue
        n.props.update(phone=c["phone"], url=c["url"], address=c["address"])
        n.props.update(
            {
                "contact_source": WINDOWS,
                "contact_locator": f"{ATTRIBUTION} {c['locator']}",
                "contact_checked": c["checked"],
            }
        )


def national_facts() -> list[dict[str, str]]:
    """Aggregate facts a ministry states (counts, not lists of bodies), with their sources."""
    sources = bundled_sources()
    return [r | {"source_title": sources[r["source"]].title} for r in _rows("facts.csv")]


def stated_centres(result: LoadResult) -> LoadResult:
    """A stated ひきこもり地域支援センター for each prefecture and designated city whose centre the
    loaded data does not name: covering the prefecture at the prefecture tier, a designated
    city locally.

    A prefecture's centre is named when centres of kind regional_center reach every one of
    its municipalities at the prefecture tier (COVERS scope prefecture); a designated city's
    when one has the city's name in its own name, is commissioned by the city, or covers it
    locally. Where the data names only part (one office of several), the stated centre still
    stands for the rest. Stated centres are marked `stated` and never count as organisations
    in network measures (docs/coverage.md).
    """
    source = bundled_sources()[CENTRES_FACT]
    out = LoadResult(sources=[source])
    regional = {
        n.key: n.props.get("name", "")
        for n in result.nodes
        if n.label == "SupportCenter" and n.props.get("kind") == "regional_center"
    }
    rows = master_rows()
    members: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["kind"] not in ("prefecture", "ward"):
            members[r["pref_code"]].add(r["code"])
    reached: set[str] = set()  # municipalities a named centre covers at the prefecture tier
    city_named: set[str] = set()
    for e in result.edges:
        if e.src[1] not in regional:
            continue
        if e.type == "COVERS" and e.props.get("scope") == "prefecture":
            reached.add(e.dst[1])
        elif e.type == "COVERS" and e.props.get("scope") == "local":
            city_named.add(e.dst[1])
        elif e.type == "COMMISSIONS":
            city_named.add(e.src[1])
    for g in rows:
        if g["kind"] == "prefecture":
            if members[g["pref_code"]] <= reached:
                continue
            targets, scope = sorted(members[g["pref_code"]]), "prefecture"
        elif g["kind"] == "designated_city":
            if g["code"] in city_named or any(g["name"] in n for n in regional.values()):
                continue
            targets, scope = [g["code"]], "local"
        else:
            continue
        ident = f"stated-hikikomori-center-{g['code']}"
        name = (
            f"{g['name']}のひきこもり地域支援センター（設置は厚生労働省の公表による・名称未読込）"
        )
        props = {
            "name": name,
            "source": CENTRES_FACT,
            "locator": "「平成30年4月までに全ての都道府県及び指定都市(67自治体)に設置」",
            "as_of": source.date,
            "kind": "regional_center",
            "services": ["consultation"],
            "specialised": True,
            "stated": True,
        }
        out.nodes.append(Node("SupportCenter", ident, props))
        where = {k: props[k] for k in ("source", "locator", "as_of")}
        me = ("SupportCenter", ident)
        cover = {**where, "services": ["consultation"], "scope": scope}
        out.edges += [Edge("COVERS", me, ("Municipality", code), cover) for code in targets]
    return out
