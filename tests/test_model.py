"""The schema statements are generated from the model and cover all of it."""

from __future__ import annotations

import re

from tsunagari.graph.schema import ladybug_ddl, neo4j_ddl
from tsunagari.model import EDGE_TYPES, NODE_TYPES, NODES


def test_ladybug_ddl_covers_every_label_and_edge_type() -> None:
    ddl = ladybug_ddl()
    nodes = {m.group(1) for s in ddl if (m := re.match(r"CREATE NODE TABLE (\w+)\(", s))}
    rels = {m.group(1) for s in ddl if (m := re.match(r"CREATE REL TABLE (\w+)\(", s))}
    assert nodes == {t.label for t in NODE_TYPES}
    assert rels == {t.type for t in EDGE_TYPES}
    for t in EDGE_TYPES:
        stmt = next(s for s in ddl if s.startswith(f"CREATE REL TABLE {t.type}("))
        for a, b in t.endpoints:
            assert f"FROM {a} TO {b}" in stmt


def test_every_node_table_has_its_key_and_provenance() -> None:
    for stmt, t in zip(ladybug_ddl(), NODE_TYPES, strict=False):
        assert f"PRIMARY KEY ({t.key})" in stmt
        assert "source STRING" in stmt and "locator STRING" in stmt


def test_neo4j_ddl_has_a_uniqueness_constraint_per_label() -> None:
    ddl = neo4j_ddl()
    for t in NODE_TYPES:
        assert any(f"FOR (n:{t.label}) REQUIRE n.{t.key} IS UNIQUE" in s for s in ddl), t.label
    for e in EDGE_TYPES:
        assert any(f"[r:{e.type}]" in s for s in ddl), e.type


def test_edge_endpoints_name_known_labels() -> None:
    for e in EDGE_TYPES:
        for a, b in e.endpoints:
            assert a in NODES and b in NODES
