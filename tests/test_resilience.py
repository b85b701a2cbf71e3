"""Resilience: what closing each organisation or centre loses, worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.resilience import cut_off_counts, resilience_table
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_resilience"}
OSAKA, HANNAN, MISAKI = "270008", "272329", "273660"


def e(type_: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> Edge:
    return Edge(type_, src, dst, {**props, **SRC})


def actor(label: str, key: str, kind: str, services: list[str]) -> Node:
    return Node(label, key, {"name": key, "kind": kind, "services": services, **SRC})


def resilience_result() -> LoadResult:
    """The collaboration network is a tree: F – A – B – C, and C – D (D operates C), C – E.

    A is a サポステ (employment support); B and C give consultation. Coverage:
    A LOCATED_IN 阪南市 (employment_support: its only provider); B LOCATED_IN 阪南市 and C
    COVERS 阪南市 and 岬町 (consultation: 阪南市 has two providers, 岬町 only C); D COVERS
    岬町 for ibasho.
    """
    r = LoadResult(sources=[SourceInfo("test", "resilience fixture")])
    r.nodes += [
        Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}),
        Node(
            "Municipality",
            HANNAN,
            {
                "name": "阪南市",
                "kind": "city",
                "prefecture_code": OSAKA,
                "population": 52_000,
                **SRC,
            },
        ),
        Node(
            "Municipality",
            MISAKI,
            {"name": "岬町", "kind": "town", "prefecture_code": OSAKA, "population": 15_000, **SRC},
        ),
        actor("Organization", "A", "saposute", ["employment_support"]),
        actor("Organization", "B", "npo", ["consultation"]),
        actor("SupportCenter", "C", "consultation_window", ["consultation"]),
        actor("Organization", "D", "npo", ["ibasho"]),
        actor("Organization", "E", "npo", []),
        actor("Organization", "F", "npo", []),
    ]
    r.edges += [
        e("IN_PREFECTURE", ("Municipality", HANNAN), ("Prefecture", OSAKA)),
        e("IN_PREFECTURE", ("Municipality", MISAKI), ("Prefecture", OSAKA)),
        e("PARTNERS_WITH", ("Organization", "F"), ("Organization", "A")),
        e("REFERS_TO", ("Organization", "B"), ("Organization", "A")),
        e("PARTNERS_WITH", ("Organization", "B"), ("SupportCenter", "C")),
        e("OPERATES", ("Organization", "D"), ("SupportCenter", "C")),
        e("PARTNERS_WITH", ("SupportCenter", "C"), ("Organization", "E")),
        e("LOCATED_IN", ("Organization", "A"), ("Municipality", HANNAN)),
        e("LOCATED_IN", ("Organization", "B"), ("Municipality", HANNAN)),
        e(
            "COVERS",
            ("SupportCenter", "C"),
            ("Municipality", HANNAN),
            services=["consultation"],
            scope="wide_area",
        ),
        e(
            "COVERS",
            ("SupportCenter", "C"),
            ("Municipality", MISAKI),
            services=["consultation"],
            scope="wide_area",
        ),
        e(
            "COVERS",
            ("Organization", "D"),
            ("Municipality", MISAKI),
            services=["ibasho"],
            scope="local",
        ),
    ]
    return r


COLUMNS = (
    "rank",
    "name",
    "articulation_point",
    "lost",
    "people_affected",
    "estimated",
    "cut_off_employment",
    "cut_off_consultation",
    "operates",
)


def test_what_closing_each_loses(store_of: Callable[[LoadResult], GraphStore]) -> None:
    rows = resilience_table(store_of(resilience_result()))
    # A: 阪南市 loses its only employment support (52,000 people, × 0.02 = 1,040); without A,
    #   F and B, C, D, E have no employment provider (5); F has no consultation left (1).
    # C: 岬町 loses consultation (15,000; 300); without C, D and E are cut off from both
    #   A and B (2 and 2).
    # D: closing D closes C, which it operates: 岬町 loses consultation and its ibasho.
    # B: no town loses a service (阪南市 keeps C); without B, C, D, E lose A (3) and F, A lose
    #   every consultation provider (2).
    # E and F: nothing lost, not articulation points: no row.
    assert [tuple(r[c] for c in COLUMNS) for r in rows] == [
        (1, "A", True, ["阪南市:employment_support"], 52_000, 1_040, 5, 1, []),
        (2, "C", True, ["岬町:consultation"], 15_000, 300, 2, 2, []),
        (3, "D", False, ["岬町:consultation", "岬町:ibasho"], 15_000, 300, 0, 0, ["C"]),
        (4, "B", True, [], 0, 0, 3, 2, []),
    ]
    assert [r["municipalities_losing"] for r in rows] == [1, 1, 1, 0]
    assert [r["node"] for r in rows][:2] == ["Organization:A", "SupportCenter:C"]


def test_cut_off_counts_on_two_components() -> None:
    G = nx.Graph()
    for v, label, services in [
        ("p", "Organization", ["employment_support"]),
        ("q", "Organization", []),
        ("r", "SupportCenter", []),
        ("x", "Organization", []),  # a second component without any provider
        ("y", "Organization", []),
    ]:
        G.add_node(v, label=label, services=services, kind=None)
    G.add_edges_from([("p", "q"), ("q", "r"), ("x", "y")])
    # without p: q, r lose their only provider (2); without q: r (1); x–y had nothing to lose
    assert cut_off_counts(G, "employment_support") == {"p": 2, "q": 1, "r": 0, "x": 0, "y": 0}


def test_resilience_cli_formats(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(resilience_result(), path)
    runner = CliRunner(env={"COLUMNS": "200"})
    base = ["--store", str(path), "resilience", "--top", "2"]
    table = runner.invoke(main, base)
    assert table.exit_code == 0, table.output
    assert "閉鎖したときに失われるもの" in table.output and "影響人口" in table.output
    assert "52,000" in table.output and "「データなし」は" in table.output
    out = runner.invoke(main, [*base, "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = list(csv.reader(io.StringIO(out.stdout)))
    assert lines[0][:8] == [
        "rank",
        "name",
        "label",
        "kind",
        "articulation_point",
        "municipalities_losing",
        "lost",
        "people_affected",
    ]
    assert [row[:8] for row in lines[1:]] == [
        ["1", "A", "Organization", "saposute", "True", "1", "阪南市:employment_support", "52000"],
        [
            "2",
            "C",
            "SupportCenter",
            "consultation_window",
            "True",
            "1",
            "岬町:consultation",
            "15000",
        ],
    ]
    js = runner.invoke(main, [*base, "--prevalence", "0.01", "--format", "json"])
    assert js.exit_code == 0, js.output
    assert [(r["name"], r["estimated"]) for r in json.loads(js.stdout)] == [("A", 520), ("C", 150)]
