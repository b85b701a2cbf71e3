"""Shared fixtures: small graphs written here, real stores in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tsunagari.graph.store import GraphStore
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


def dump(path: Path) -> list[str]:
    """The whole graph at `path` as sorted lines: equal dumps, equal graphs."""
    from tsunagari.graph.dump import dump_lines
    from tsunagari.graph.ladybug_store import LadybugStore

    with LadybugStore(path) as store:
        return dump_lines(store)


@pytest.fixture
def tiny() -> LoadResult:
    return tiny_result()


STORES = ["ladybug", "neo4j"]


@pytest.fixture(params=STORES)
def store_of(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[LoadResult], GraphStore]]:
    """A factory: build a LoadResult into a fresh store and open it read-only.

    Every query test that uses it runs on the embedded store, and on Neo4j when
    NEO4J_URI is set (the Neo4j run empties that database first; never point it at real data).
    """
    opened: list[GraphStore] = []

    def make(result: LoadResult) -> GraphStore:
        if request.param == "ladybug":
            from tsunagari.graph.build import build_graph
            from tsunagari.graph.ladybug_store import LadybugStore

            path = tmp_path / f"g{len(opened)}.lbug"
            build_graph(result, path)
            store: GraphStore = LadybugStore(path, read_only=True)
        else:
            if not os.environ.get("NEO4J_URI"):
                pytest.skip("no Neo4j server: NEO4J_URI is not set")
            from tsunagari.config import Config
            from tsunagari.graph.neo4j_store import Neo4jStore, push_result

            config = Config.from_env({**os.environ, "TSUNAGARI_STORE": os.environ["NEO4J_URI"]})
            push_result(config, result, replace=True)
            store = Neo4jStore.from_config(config, read_only=True)
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built once per session (tests that export it only read it)."""
    from tsunagari.graph.build import build_graph
    from tsunagari.loaders.bundle import load_inputs

    path = tmp_path_factory.mktemp("bundled") / "g.lbug"
    build_graph(load_inputs(), path)
    return path
