"""Accessibility (2SFCA) against a case worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.access import access_table, distance_km, method_lines, two_step_fca
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_access"}
OSAKA, HANNAN, MISAKI, TAJIRI = "270008", "272329", "273660", "273627"
# 0.1° of longitude on the equator: 6371.0088 km × π / 1800 = 11.1195 km
TENTH_DEGREE_KM = 6371.0088 * np.pi / 1800


def test_two_step_fca_by_hand() -> None:
    # three towns (P = 10,000, 30,000, 5,000), two providers; the first provider reaches
    # towns 1 and 2, the second only town 3 (distances in km, catchment 30).
    demand = np.array([10_000.0, 30_000.0, 5_000.0])
    supply = np.array([1.0, 1.0])
    dist = np.array([[0.0, 111.0], [11.0, 100.0], [111.0, 0.0]])
    # step 1: R1 = 1 / (10,000 + 30,000) = 0.000025; R2 = 1 / 5,000 = 0.0002
    # step 2: A1 = A2 = R1 = 0.000025; A3 = R2 = 0.0002
    assert two_step_fca(demand, supply, dist, 30.0) == pytest.approx([0.000025, 0.000025, 0.0002])
    # a provider with nobody in reach serves no one
    assert two_step_fca(demand, supply, dist, 5.0) == pytest.approx([1.0 / 10_000, 0.0, 1 / 5_000])


def test_distance() -> None:
    d = distance_km([0.0], [0.0], [0.0, 0.0], [0.1, 1.0])
    assert d[0] == pytest.approx([TENTH_DEGREE_KM, 10 * TENTH_DEGREE_KM])


def access_result() -> LoadResult:
    """The same case on a graph: 阪南市 (10,000) at lng 0, 岬町 (30,000) at lng 0.1 (11.1 km
    away), 田尻町 (5,000) at lng 1.0 (111 km); consultation from O1 in 阪南市 and O2 in 田尻町
    (O2 lists it on its COVERS edge only)."""
    r = LoadResult(sources=[SourceInfo("test", "access fixture")])
    r.nodes.append(Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}))
    for code, name, pop, lng in [
        (HANNAN, "阪南市", 10_000, 0.0),
        (MISAKI, "岬町", 30_000, 0.1),
        (TAJIRI, "田尻町", 5_000, 1.0),
    ]:
        props = {"name": name, "kind": "town", "prefecture_code": OSAKA, "population": pop}
        r.nodes.append(Node("Municipality", code, {**props, "lat": 0.0, "lng": lng, **SRC}))
        r.edges.append(Edge("IN_PREFECTURE", ("Municipality", code), ("Prefecture", OSAKA), SRC))
    r.nodes += [
        Node("Organization", "o1", {"name": "O1", "services": ["consultation"], **SRC}),
        Node("Organization", "o2", {"name": "O2", "services": [], **SRC}),
    ]
    r.edges += [
        Edge("LOCATED_IN", ("Organization", "o1"), ("Municipality", HANNAN), SRC),
        Edge("LOCATED_IN", ("Organization", "o2"), ("Municipality", TAJIRI), SRC),
        Edge(
            "COVERS",
            ("Organization", "o2"),
            ("Municipality", TAJIRI),
            {"services": ["consultation"], "scope": "local", **SRC},
        ),
    ]
    return r


def test_access_table_by_hand(store_of: Callable[[LoadResult], GraphStore]) -> None:
    result = access_table(store_of(access_result()), service="consultation", catchment_km=30)
    # per 100,000: 阪南市 and 岬町 100,000 / 40,000 = 2.5; 田尻町 100,000 / 5,000 = 20;
    # ties lowest first by larger population (岬町 before 阪南市)
    assert [
        (r["rank"], r["municipality"], r["score"], r["providers_in_reach"], r["nearest_km"])
        for r in result.rows
    ] == [
        (1, "岬町", 2.5, 1, round(TENTH_DEGREE_KM, 1)),
        (2, "阪南市", 2.5, 1, 0.0),
        (3, "田尻町", 20.0, 1, 0.0),
    ]
    assert (result.catchment_km, result.providers, result.unlocated) == (30, 2, 0)
    # with a 5 km catchment O1 reaches only 阪南市: 100,000 / 10,000 = 10; 岬町 gets 0
    small = access_table(store_of(access_result()), service="consultation", catchment_km=5)
    assert [(r["municipality"], r["score"]) for r in small.rows] == [
        ("岬町", 0.0),
        ("阪南市", 10.0),
        ("田尻町", 20.0),
    ]
    # no provider of the service at all: score 0, nearest unknown
    none = access_table(store_of(access_result()), service="ibasho")
    assert {(r["score"], r["nearest_km"]) for r in none.rows} == {(0.0, None)}


def test_method_is_printed() -> None:
    from tsunagari.queries.access import AccessResult

    lines = method_lines(AccessResult([], 30.0, 2, 1), lang="en")
    assert lines[0].startswith("Method: two-step floating catchment (2SFCA, Luo & Wang 2003)")
    assert "within 30 km" in lines[0]
    assert "every provider has capacity 1" in lines[1] and "(2 located providers used)" in lines[1]


def test_access_cli_formats(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(access_result(), path)
    runner = CliRunner()
    base = ["--store", str(path), "access", "--service", "consultation"]
    table = runner.invoke(main, base)
    assert table.exit_code == 0, table.output
    assert "方法: 2段階浮動集水域法（2SFCA" in table.output and "仮定:" in table.output
    out = runner.invoke(main, [*base, "--catchment", "5", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == [
        "rank,code,municipality,prefecture,service,score,providers_in_reach,nearest_km,population",
        f"1,{MISAKI},岬町,大阪府,consultation,0.0,0,11.1,30000",
        f"2,{HANNAN},阪南市,大阪府,consultation,10.0,1,0.0,10000",
        f"3,{TAJIRI},田尻町,大阪府,consultation,20.0,1,0.0,5000",
    ]
    assert "Method" not in out.stdout and "方法" in out.stderr
    js = runner.invoke(main, [*base, "--top", "1", "--format", "json"])
    assert js.exit_code == 0, js.output
    assert [(r["municipality"], r["score"]) for r in json.loads(js.stdout)] == [("岬町", 2.5)]
