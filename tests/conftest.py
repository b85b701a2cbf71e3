"""Shared fixtures: small graphs written here, real stores in tmp_path."""

from __future__ import annotations

import pytest

from tsunagari.records import Edge, LoadResult, Node, SourceInfo

INJECTION = "x'}) WITH 1 AS d MATCH (n) DETACH DELETE n //"


def tiny_result(*, org_name: str = "例示NPO法人つながり") -> LoadResult:
    """Two prefectures, three towns, one organisation: enough to see every step of a build."""
    src = {"source": "test", "locator": "conftest"}
    r = LoadResult(sources=[SourceInfo("test", "test fixture")])
    r.nodes += [
        Node("Prefecture", "270008", {"name": "大阪府", "population": 100, **src}),
        Node("Prefecture", "310000", {"name": "鳥取県", "population": 50, **src}),
        Node(
            "Municipality",
            "272329",
            {
                "name": "阪南市",
                "kind": "city",
                "prefecture_code": "270008",
                "population": 60,
                **src,
            },
        ),
        Node(
            "Municipality",
            "273813",
            {
                "name": "太子町",
                "kind": "town",
                "prefecture_code": "270008",
                "population": 40,
                **src,
            },
        ),
        Node(
            "Municipality",
            "313891",
            {
                "name": "南部町",
                "kind": "town",
                "prefecture_code": "310000",
                "population": None,
                **src,
            },
        ),
        Node(
            "Organization",
            "org-1",
            {"name": org_name, "kind": "npo", "services": ["consultation", "ibasho"], **src},
        ),
    ]
    r.edges += [
        Edge("IN_PREFECTURE", ("Municipality", "272329"), ("Prefecture", "270008"), src),
        Edge("IN_PREFECTURE", ("Municipality", "273813"), ("Prefecture", "270008"), src),
        Edge("IN_PREFECTURE", ("Municipality", "313891"), ("Prefecture", "310000"), src),
        Edge("LOCATED_IN", ("Organization", "org-1"), ("Municipality", "272329"), src),
        Edge(
            "COVERS",
            ("Organization", "org-1"),
            ("Municipality", "272329"),
            {"services": ["ibasho"], "scope": "local", **src},
        ),
    ]
    return r


@pytest.fixture
def tiny() -> LoadResult:
    return tiny_result()
