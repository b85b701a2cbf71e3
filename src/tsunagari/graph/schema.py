"""Schema statements generated from model.py: LadybugDB DDL and Neo4j constraints."""

from __future__ import annotations

from tsunagari.model import EDGE_TYPES, NODE_TYPES, EdgeType, NodeType


def _columns(props: tuple) -> str:
    return ", ".join(f"{p.name} {p.type}" for p in props)


def ladybug_node_ddl(t: NodeType) -> str:
    return f"CREATE NODE TABLE {t.label}({_columns(t.all_props)}, PRIMARY KEY ({t.key}))"


def ladybug_edge_ddl(t: EdgeType) -> str:
    ends = ", ".join(f"FROM {a} TO {b}" for a, b in t.endpoints)
    cols = _columns(t.all_props)
    return f"CREATE REL TABLE {t.type}({ends}{', ' + cols if cols else ''})"


def ladybug_ddl() -> list[str]:
    """Every CREATE statement for an empty LadybugDB database."""
    return [ladybug_node_ddl(t) for t in NODE_TYPES] + [ladybug_edge_ddl(t) for t in EDGE_TYPES]


# Properties worth an index in Neo4j beyond the keys (the lookups named queries make).
NEO4J_INDEXES = {
    "Municipality": ("name", "prefecture_code", "kind"),
    "Prefecture": ("name",),
    "Organization": ("name", "kind"),
    "SupportCenter": ("name", "kind"),
    "Platform": ("name",),
    "Project": ("name", "fiscal_year"),
}


def neo4j_ddl() -> list[str]:
    """Uniqueness constraints on every key and indexes for lookups (Neo4j 5 syntax)."""
    out = [
        f"CREATE CONSTRAINT {t.label.lower()}_{t.key} IF NOT EXISTS "
        f"FOR (n:{t.label}) REQUIRE n.{t.key} IS UNIQUE"
        for t in NODE_TYPES
    ]
    for label, props in NEO4J_INDEXES.items():
        out += [
            f"CREATE INDEX {label.lower()}_{p} IF NOT EXISTS FOR (n:{label}) ON (n.{p})"
            for p in props
        ]
    out += [
        f"CREATE INDEX {t.type.lower()}_source IF NOT EXISTS FOR ()-[r:{t.type}]-() ON (r.source)"
        for t in EDGE_TYPES
    ]
    return out
