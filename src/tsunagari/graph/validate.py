"""Check loaded records against the model and lay them out as tables, before any store sees
them; the embedded build and the Neo4j push both start here."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Generic, TypeVar

from tsunagari.errors import InputError
from tsunagari.model import EDGES, NODES
from tsunagari.records import Edge, LoadResult, Node, Problem

Progress = Callable[[str, int, int], None]  # (step, done, total)
EdgeGroup = tuple[str, str, str]  # (type, from label, to label)
R = TypeVar("R", Node, Edge)


@dataclass
class BuildReport:
    path: Path
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    sources: dict[str, int] = field(default_factory=dict)
    inputs_sha256: str = ""
    built_at: str = ""


@dataclass
class Table(Generic[R]):
    """The records of one node label, or of one edge type between two labels, in input order,
    and the same values as columns: the key (or `from` and `to`), then the model's properties;
    a property no record states is a column of nulls."""

    records: list[R]
    columns: dict[str, list[Any]]
    stated: set[str]  # every property some record states, the model's or not


def node_table(label: str, nodes: list[Node]) -> Table[Node]:
    t = NODES[label]
    props = [n.props for n in nodes]
    stated = set().union(*props)
    columns = _columns(props, [p.name for p in t.all_props], stated)
    columns[t.key] = [n.key for n in nodes]
    return Table(nodes, columns, stated)


def edge_table(group: EdgeGroup, edges: list[Edge]) -> Table[Edge]:
    props = [e.props for e in edges]
    stated = set().union(*props)
    columns = {"from": [e.src[1] for e in edges], "to": [e.dst[1] for e in edges]}
    names = [p.name for p in EDGES[group[0]].all_props]
    return Table(edges, columns | _columns(props, names, stated), stated)


def _columns(props: list[dict[str, Any]], names: list[str], stated: set[str]) -> dict[str, Any]:
    nulls = [None] * len(props)
    return {n: list(map(dict.get, props, repeat(n))) if n in stated else nulls for n in names}


@dataclass
class Checked:
    """The records a store takes, as tables the way stores load them."""

    nodes: dict[str, Table[Node]]  # by label
    edges: dict[EdgeGroup, Table[Edge]]
    problems: list[Problem]
    digest: str  # sha256 over each source's identity, file sha256 and row count
    rows_per_source: dict[str, int]


def check(result: LoadResult) -> Checked:
    """The validated records of `result`; InputError listing every problem if there is one."""
    if result.problems:
        raise InputError(problem_text(result.problems))
    out = validate(result)
    if out.problems:
        raise InputError(problem_text(out.problems))
    return out


def validate(result: LoadResult) -> Checked:
    """Check records against the model; return de-duplicated nodes and edges, the problems
    and a digest. Identical duplicates (the same fact twice, empty values aside) are kept once.
    A fact without an `as_of` of its own takes its source's date (set on the record).

    The checks run over whole columns with set operations; only when one fails does the
    record-by-record pass run, to name every problem at its place in input order."""
    dates = {s.id: s.date for s in result.sources if s.date}
    if dates:
        for props in chain((n.props for n in result.nodes), (e.props for e in result.edges)):
            if not props.get("as_of") and props.get("source") in dates:
                props["as_of"] = dates[props["source"]]
    return validate_columns(result) or validate_records(result)


def validate_columns(result: LoadResult) -> Checked | None:
    """The checked records if every check passes, else None (then `validate_records` says why)."""
    source_ids = {s.id for s in result.sources}
    used: Counter[Any] = Counter()
    groups: dict[str, list[Node]] = defaultdict(list)
    for n in result.nodes:
        groups[n.label].append(n)
    nodes: dict[str, Table[Node]] = {}
    keys: dict[str, set[str]] = {}
    for label, group in groups.items():
        node_type = NODES.get(label)
        if node_type is None:
            return None
        table = node_table(label, group)
        if not (
            _fits(table, node_type.all_props) and source_ids.issuperset(table.columns["source"])
        ):
            return None
        label_keys = table.columns[node_type.key]
        keys[label] = set(label_keys)
        if len(keys[label]) < len(group):
            kept = _first_of_each(group, label_keys)
            if kept is None:
                return None
            table = node_table(label, kept)
        nodes[label] = table
        used.update(table.columns["source"])

    edge_groups: dict[EdgeGroup, list[Edge]] = defaultdict(list)
    for e in result.edges:
        edge_groups[e.type, e.src[0], e.dst[0]].append(e)
    edges: dict[EdgeGroup, Table[Edge]] = {}
    for (etype, a, b), typed in edge_groups.items():
        edge_type = EDGES.get(etype)
        if edge_type is None or (a, b) not in edge_type.endpoints:
            return None
        typed_table = edge_table((etype, a, b), typed)
        srcs, dsts, sources = (typed_table.columns[c] for c in ("from", "to", "source"))
        if not (
            _fits(typed_table, edge_type.all_props)
            and keys.get(a, set()).issuperset(srcs)
            and keys.get(b, set()).issuperset(dsts)
            and source_ids.issuperset(sources)
        ):
            return None
        if len(set(zip(srcs, dsts, strict=True))) < len(typed):  # the same ends twice: same fact?
            facts = list(zip(srcs, dsts, sources, typed_table.columns["locator"], strict=True))
            kept_edges = _first_of_each(typed, facts)
            if kept_edges is None:
                return None
            typed_table = edge_table((etype, a, b), kept_edges)
        edges[etype, a, b] = typed_table
        used.update(typed_table.columns["source"])
    return Checked(nodes, edges, [], _digest(result, used), _counts(used))


def _fits(table: Table[Any], allowed: tuple[Any, ...]) -> bool:
    """Every property the records state is one the model has."""
    return table.stated <= {p.name for p in allowed}


def _first_of_each(records: list[R], keys: list[Any]) -> list[R] | None:
    """The first record of each key; None if a later one says something different."""
    first: dict[Any, R] = {}
    kept: list[R] = []
    for record, key in zip(records, keys, strict=True):
        seen = first.setdefault(key, record)
        if seen is record:
            kept.append(record)
        elif filled(seen.props) != filled(record.props):
            return None
    return kept


def validate_records(result: LoadResult) -> Checked:
    """Every record checked on its own, each problem at its place in input order."""
    problems: list[Problem] = []
    source_ids = {s.id for s in result.sources}
    node_props = {t.label: {p.name for p in t.all_props} for t in NODES.values()}
    edge_props = {t.type: {p.name for p in t.all_props} for t in EDGES.values()}
    endpoints = {t.type: set(t.endpoints) for t in EDGES.values()}

    def problem(slug: str, where: dict[str, Any], value: str, message: str) -> None:
        problems.append(Problem(slug, str(where.get("locator", "")), None, "", value, message))

    used: Counter[str] = Counter()  # rows per source, after de-duplication
    nodes: dict[tuple[str, str], Node] = {}
    for n in result.nodes:
        props = n.props
        allowed = node_props.get(n.label)
        if allowed is None:
            problem("unknown-label", props, n.label, f"no node label {n.label!r} in the model")
            continue
        if not props.keys() <= allowed:
            unknown = sorted(props.keys() - allowed)
            problem(
                "unknown-property",
                props,
                ",".join(unknown),
                f"{n.label} has no properties {unknown}",
            )
        if props.get("source") not in source_ids:
            problem(
                "unknown-source",
                props,
                str(props.get("source")),
                f"{n.label} {n.key}: source {props.get('source')!r} is not a loaded source",
            )
        seen = nodes.setdefault((n.label, n.key), n)
        if seen is n:
            used[str(props.get("source"))] += 1
        elif filled(seen.props) != filled(props):
            problem(
                "conflicting-node",
                props,
                n.key,
                f"{n.label} {n.key} is defined twice with different properties "
                f"(also at {seen.props.get('locator')})",
            )

    edges: dict[tuple[str, tuple[str, str], tuple[str, str], Any, Any], Edge] = {}
    for e in result.edges:
        props = e.props
        allowed = edge_props.get(e.type)
        if allowed is None:
            problem("unknown-edge-type", props, e.type, f"no edge type {e.type!r} in the model")
            continue
        src, dst = e.src, e.dst
        if (src[0], dst[0]) not in endpoints[e.type]:
            problem(
                "bad-endpoints",
                props,
                f"{src[0]}->{dst[0]}",
                f"{e.type} cannot go from {src[0]} to {dst[0]}",
            )
        if src not in nodes or dst not in nodes:
            for end in (src, dst):
                if end not in nodes:
                    problem(
                        "missing-endpoint",
                        props,
                        end[1],
                        f"{e.type}: no {end[0]} with key {end[1]!r}",
                    )
        if not props.keys() <= allowed:
            unknown = sorted(props.keys() - allowed)
            problem(
                "unknown-property",
                props,
                ",".join(unknown),
                f"{e.type} has no properties {unknown}",
            )
        source = props.get("source")
        if source not in source_ids:
            problem(
                "unknown-source",
                props,
                str(source),
                f"{e.type}: source {source!r} is not a loaded source",
            )
        seen_edge = edges.setdefault((e.type, src, dst, source, props.get("locator")), e)
        if seen_edge is e:
            used[str(source)] += 1
        elif filled(seen_edge.props) != filled(props):
            problem(
                "conflicting-edge",
                props,
                f"{src[1]}->{dst[1]}",
                f"{e.type} {src[1]}->{dst[1]} is stated twice at the same place "
                "with different properties",
            )
    by_label: dict[str, list[Node]] = defaultdict(list)
    for n in nodes.values():
        by_label[n.label].append(n)
    by_ends: dict[EdgeGroup, list[Edge]] = defaultdict(list)
    for e in edges.values():
        by_ends[e.type, e.src[0], e.dst[0]].append(e)
    return Checked(
        {label: node_table(label, group) for label, group in by_label.items()},
        {ends: edge_table(ends, group) for ends, group in by_ends.items()},
        problems,
        _digest(result, used),
        dict(used),
    )


def _counts(used: Counter[Any]) -> dict[str, int]:
    """Rows per source, keyed as the record-by-record pass keys them (str of the id)."""
    return {str(k): v for k, v in used.items()}


def _digest(result: LoadResult, used: Counter[Any]) -> str:
    h = hashlib.sha256()
    counts = _counts(used)
    for info in sorted(result.sources, key=lambda x: x.id):
        h.update(repr((sorted(info.__dict__.items()), counts.get(info.id, 0))).encode())
    return h.hexdigest()


def filled(props: dict[str, Any]) -> dict[str, Any]:
    """The properties that say something: None, "" and [] all mean "not stated"."""
    return {k: v for k, v in props.items() if v is not None and v != "" and v != []}


def source_nodes(result: LoadResult, rows: dict[str, int]) -> list[Node]:
    """A Source node per loaded source, with the number of rows the graph took from it."""
    return [
        Node(
            "Source",
            s.id,
            {
                "name": s.title,
                "source": s.id,
                "locator": "",
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date,
                "file": s.file,
                "sha256": s.sha256,
                "rows": rows.get(s.id, 0),
                "url": s.url,
                "licence": s.licence,
                "as_of": s.date,
            },
        )
        for s in sorted(result.sources, key=lambda s: s.id)
    ]


def problem_text(problems: list[Problem]) -> str:
    head = f"{len(problems)} problem(s) in the input; nothing was built:"
    shown = [str(p) for p in problems[:50]]
    more = [f"... and {len(problems) - 50} more"] if len(problems) > 50 else []
    return "\n".join([head, *shown, *more])
