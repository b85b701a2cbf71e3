"""Read a built graph back as records, and write it for Neo4j: admin-import CSV, Cypher, GraphML."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tsunagari.graph.schema import neo4j_ddl
from tsunagari.graph.store import GraphStore, chunks
from tsunagari.model import EDGE_TYPES, NODE_TYPES, NODES, EdgeType, NodeType, Prop
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

ADMIN_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean",
               "STRING[]": "string[]"}  # fmt: skip
ARRAY_DELIMITER = ";"
BATCH = 1_000


def result_from_store(store: GraphStore) -> LoadResult:
    """Every node and edge of the store as records (Build left out, Sources as sources)."""
    out = LoadResult()
    for t in NODE_TYPES:
        if t.label == "Build":
            continue
        ret = ", ".join(f"n.{p.name} AS {p.name}" for p in t.all_props)
        for row in store.run(f"MATCH (n:{t.label}) RETURN {ret} ORDER BY n.{t.key}"):
            key = str(row.pop(t.key))
            if t.label == "Source":
                out.sources.append(_source(key, row))
            out.nodes.append(Node(t.label, key, row))
    for e in EDGE_TYPES:
        for a, b in e.endpoints:
            ka, kb = NODES[a].key, NODES[b].key
            ret = ", ".join(f"r.{p.name} AS {p.name}" for p in e.all_props)
            cypher = (
                f"MATCH (x:{a})-[r:{e.type}]->(y:{b}) "
                f"RETURN x.{ka} AS from_key, y.{kb} AS to_key, {ret} "
                "ORDER BY from_key, to_key"
            )
            for row in store.run(cypher):
                src, dst = (a, str(row.pop("from_key"))), (b, str(row.pop("to_key")))
                out.edges.append(Edge(e.type, src, dst, row))
    return out


def _source(key: str, row: dict[str, Any]) -> SourceInfo:
    fields = ("title", "publisher", "date", "file", "sha256", "url", "licence")
    return SourceInfo(key, *(str(row.get(f) or "") for f in fields))


# neo4j-admin database import full ------------------------------------------------------


def _header(p: Prop) -> str:
    return f"{p.name}:{ADMIN_TYPES[p.type]}"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_admin_import(result: LoadResult, folder: Path) -> list[Path]:
    """One CSV per label and per (type, from, to), headers as `neo4j-admin database import
    full` reads them, and `import.sh` with the command. Returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes: dict[str, list[Node]] = defaultdict(list)
    for n in result.nodes:
        nodes[n.label].append(n)
    edges: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for e in result.edges:
        edges[(e.type, e.src[0], e.dst[0])].append(e)
    written: list[Path] = []
    for label, group in sorted(nodes.items()):
        t = NODES[label]
        props = [p for p in t.all_props if p.name != t.key]
        header = [f"{t.key}:ID({label})", *(_header(p) for p in props), ":LABEL"]
        rows = ([n.key, *(_cell(n.props.get(p.name)) for p in props), label] for n in group)
        written.append(_csv(folder / f"nodes_{label}.csv", header, rows))
    for (etype, a, b), typed in sorted(edges.items()):
        et = next(x for x in EDGE_TYPES if x.type == etype)
        header = [f":START_ID({a})", f":END_ID({b})", *(_header(p) for p in et.all_props), ":TYPE"]
        rows = ([e.src[1], e.dst[1], *(_cell(e.props.get(p.name)) for p in et.all_props), etype]
                for e in typed)  # fmt: skip
        written.append(_csv(folder / f"edges_{etype}_{a}_{b}.csv", header, rows))
    script = folder / "import.sh"
    script.write_text(admin_command(written) + "\n", encoding="utf-8")
    return [*written, script]


def admin_command(files: Sequence[Path], *, database: str = "neo4j") -> str:
    """The neo4j-admin command that loads `files` into an empty `database` (Neo4j 5)."""
    args = [
        f"--{'nodes' if f.name.startswith('nodes_') else 'relationships'}={f.name}" for f in files
    ]
    return " \\\n  ".join(
        [
            f"neo4j-admin database import full {database}",
            f"--array-delimiter='{ARRAY_DELIMITER}'",
            "--multiline-fields=true",
            "--overwrite-destination=false",
            *args,
        ]
    )


def _csv(path: Path, header: list[str], rows: Iterator[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


# Cypher: the statements a push runs, and a script of them ------------------------------


def node_merge(t: NodeType) -> str:
    """MERGE on the key, then set every property: running it twice changes nothing."""
    sets = ", ".join(f"n.{p.name} = row.{p.name}" for p in t.all_props if p.name != t.key)
    return f"UNWIND $rows AS row MERGE (n:{t.label} {{{t.key}: row.key}}) SET {sets}"


def edge_merge(t: EdgeType, a: str, b: str) -> str:
    """MERGE one relationship per (ends, source, locator), the build's identity of a fact."""
    ka, kb = NODES[a].key, NODES[b].key
    sets = ", ".join(f"r.{p.name} = row.{p.name}" for p in t.props)
    return (
        f"UNWIND $rows AS row MATCH (x:{a} {{{ka}: row.from}}) MATCH (y:{b} {{{kb}: row.to}}) "
        f"MERGE (x)-[r:{t.type} {{source: coalesce(row.source, ''), "
        "locator: coalesce(row.locator, '')}]->(y)" + (f" SET {sets}" if sets else "")
    )


def push_batches(result: LoadResult) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(statement, rows) in load order: nodes by label, then edges by type and ends."""
    nodes: dict[str, list[Node]] = defaultdict(list)
    for n in result.nodes:
        nodes[n.label].append(n)
    for nt in NODE_TYPES:
        rows = [{"key": n.key, **n.props} for n in nodes.get(nt.label, [])]
        for batch in chunks(rows, BATCH):
            yield node_merge(nt), list(batch)
    edges: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for e in result.edges:
        edges[(e.type, e.src[0], e.dst[0])].append(e)
    for t in EDGE_TYPES:
        for a, b in t.endpoints:
            rows = [
                {"from": e.src[1], "to": e.dst[1], **e.props} for e in edges.get((t.type, a, b), [])
            ]
            for batch in chunks(rows, BATCH):
                yield edge_merge(t, a, b), list(batch)


def cypher_literal(value: Any) -> str:
    """A value as a Cypher literal (strings escaped as JSON strings, which Cypher reads)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {cypher_literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def write_cypher_script(result: LoadResult, path: Path) -> int:
    """A cypher-shell script: the constraints, then `:param rows => [...]` and the MERGE
    statement that reads it, batch by batch. Returns the number of statements."""
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("// tsunagari graph for Neo4j 5: cypher-shell -f this-file\n")
        for ddl in neo4j_ddl():
            f.write(ddl + ";\n")
            n += 1
        for statement, rows in push_batches(result):
            f.write(f":param rows => {cypher_literal(rows)};\n{statement};\n")
            n += 1
    return n


# GraphML -------------------------------------------------------------------------------


def write_graphml(result: LoadResult, path: Path) -> tuple[int, int]:
    """Nodes `Label:key` with their properties (lists joined by `;`), edges with their type."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for n in result.nodes:
        g.add_node(f"{n.label}:{n.key}", label=n.label, key=n.key, **_graphml_props(n.props))
    for e in result.edges:
        g.add_edge(f"{e.src[0]}:{e.src[1]}", f"{e.dst[0]}:{e.dst[1]}", type=e.type,
                   **_graphml_props(e.props))  # fmt: skip
    nx.write_graphml(g, path)
    return g.number_of_nodes(), g.number_of_edges()


def _graphml_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (ARRAY_DELIMITER.join(v) if isinstance(v, list) else v)
            for k, v in props.items() if v is not None}  # fmt: skip
