"""A canonical text dump of a graph: same graph, same bytes (the build's time left out)."""

from __future__ import annotations

import json

from tsunagari.graph.store import GraphStore
from tsunagari.model import EDGE_TYPES, NODE_TYPES

VOLATILE = {("Build", "built_at")}


def dump_lines(store: GraphStore) -> list[str]:
    """One JSON line per node and per edge, sorted; property order from model.py."""
    lines: list[str] = []
    for t in NODE_TYPES:
        props = [p.name for p in t.all_props if (t.label, p.name) not in VOLATILE]
        ret = ", ".join(f"n.{p} AS {p}" for p in props)
        for row in store.run(f"MATCH (n:{t.label}) RETURN {ret}"):
            lines.append(json.dumps(["node", t.label, row], ensure_ascii=False, sort_keys=True))
    for e in EDGE_TYPES:
        for a, b in e.endpoints:
            ka, kb = (next(t.key for t in NODE_TYPES if t.label == x) for x in (a, b))
            ret = ", ".join(f"e.{p.name} AS {p.name}" for p in e.all_props)
            cypher = (
                f"MATCH (a:{a})-[e:{e.type}]->(b:{b}) "
                f"RETURN a.{ka} AS from_key, b.{kb} AS to_key{', ' + ret if ret else ''}"
            )
            for row in store.run(cypher):
                lines.append(
                    json.dumps(["edge", e.type, a, b, row], ensure_ascii=False, sort_keys=True)
                )
    return sorted(lines)
