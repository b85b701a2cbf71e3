"""Partnerships around a place: projects, participants and roles, direct partners."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.partners import partnerships
from tsunagari.queries.places import find_place
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_partners"}
OSAKA, HANNAN, MISAKI = "270008", "272329", "273660"


def e(type_: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> Edge:
    return Edge(type_, src, dst, {**props, **SRC})


def partners_result() -> LoadResult:
    """P: a wide-area project led by 阪南市 (6,000 of 10,000) with 岬町 as partner (4,000),
    funded by grant G; Q: 大阪府's own project; 大阪府 works with the organisation K."""
    r = LoadResult(sources=[SourceInfo("test", "partners fixture")])
    muni = {"kind": "city", "prefecture_code": OSAKA, **SRC}
    r.nodes += [
        Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}),
        Node("Municipality", HANNAN, {"name": "阪南市", **muni}),
        Node("Municipality", MISAKI, {"name": "岬町", **muni}),
        Node(
            "Project",
            "p",
            {
                "name": "泉州広域事業",
                "fiscal_year": 2025,
                "wide_area": "coordinated",
                "cost_thousand_yen": 10_000,
                **SRC,
            },
        ),
        Node("Project", "q", {"name": "府事業", "fiscal_year": 2025, "wide_area": "none", **SRC}),
        Node("Grant", "g", {"name": "孤独・孤立対策推進交付金", **SRC}),
        Node("Organization", "k", {"name": "府社協", "kind": "social_welfare_council", **SRC}),
    ]
    r.edges += [
        e("IN_PREFECTURE", ("Municipality", HANNAN), ("Prefecture", OSAKA)),
        e("IN_PREFECTURE", ("Municipality", MISAKI), ("Prefecture", OSAKA)),
        e("RUNS", ("Municipality", HANNAN), ("Project", "p"), cost_thousand_yen=6_000),
        e(
            "PARTNERS_IN",
            ("Municipality", MISAKI),
            ("Project", "p"),
            role="連携自治体",
            cost_thousand_yen=4_000,
        ),
        e("FUNDS", ("Grant", "g"), ("Project", "p"), amount_thousand_yen=5_000),
        e("RUNS", ("Prefecture", OSAKA), ("Project", "q")),
        e("PARTNERS_WITH", ("Prefecture", OSAKA), ("Organization", "k"), note="協定"),
    ]
    return r


KEYS = ("project", "governments", "participant", "relation", "role", "is_self")


def test_partners_of_a_town(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(partners_result())
    rows = partnerships(store, find_place(store, "阪南市"))
    assert [tuple(r[k] for k in KEYS) for r in rows] == [
        ("泉州広域事業", 2, "阪南市", "lead", None, True),
        ("泉州広域事業", 2, "岬町", "partner", "連携自治体", False),
    ]
    assert [(r["cost_thousand_yen"], r["share_thousand_yen"], r["grant"]) for r in rows] == [
        (10_000, 6_000, ["孤独・孤立対策推進交付金"]),
        (10_000, 4_000, ["孤独・孤立対策推進交付金"]),
    ]


def test_partners_of_a_prefecture(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(partners_result())
    rows = partnerships(store, find_place(store, "大阪府"))
    # its towns' projects too, the two-government one first; then the direct partner
    assert [tuple(r[k] for k in KEYS) for r in rows] == [
        ("泉州広域事業", 2, "阪南市", "lead", None, False),
        ("泉州広域事業", 2, "岬町", "partner", "連携自治体", False),
        ("府事業", 1, "大阪府", "lead", None, True),
        (None, None, "府社協", "partners_with", "social_welfare_council", False),
    ]
    assert rows[-1]["note"] == "協定"


def test_partners_cli_formats(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(partners_result(), path)
    runner = CliRunner()
    table = runner.invoke(main, ["--store", str(path), "partners", "阪南市"])
    assert table.exit_code == 0, table.output
    assert "阪南市の連携" in table.output and "岬町" in table.output
    out = runner.invoke(main, ["--store", str(path), "partners", "阪南市", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == [
        "project,fiscal_year,wide_area,governments,participant,relation,role,is_self,"
        "cost_thousand_yen,share_thousand_yen,grant,note,project_id",
        "泉州広域事業,2025,coordinated,2,阪南市,lead,,True,10000,6000,孤独・孤立対策推進交付金,,p",
        "泉州広域事業,2025,coordinated,2,岬町,partner,連携自治体,False,10000,4000,"
        "孤独・孤立対策推進交付金,,p",
    ]
    js = runner.invoke(main, ["--store", str(path), "partners", "27", "--format", "json"])
    assert js.exit_code == 0, js.output
    assert [r["participant"] for r in json.loads(js.stdout)] == [
        "阪南市",
        "岬町",
        "大阪府",
        "府社協",
    ]
