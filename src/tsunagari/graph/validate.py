"""Check loaded records against the model and lay them out as tables, before any store sees
them; the embedded build and the Neo4j push both start here."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from tsunagari.errors import InputError
from tsunagari.model import EDGES, NODES
from tsunagari.records import Edge, EdgeColumns, LoadResult, Node, NodeColumns, Problem

Progress = Callable[[str, int, int], None]  # (step, done, total)
EdgeGroup = tuple[str, str, str]  # (type, from label, to label)


@dataclass
class BuildReport:
    path: Path
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    sources: dict[str, int] = field(default_factory=dict)
    inputs_sha256: str = ""
    built_at: str = ""


@dataclass
class Table:
    """The rows of one node label, or of one edge type between two labels, in input order, as
    the columns a store loads: the key (or `from` and `to`), then the model's properties in
    the model's order; a property no row states is a column of nulls."""

    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def __add__(self, other: Table) -> Table:
        return Table({c: v + other.columns[c] for c, v in self.columns.items()})

    def take(self, rows: list[int]) -> Table:
        return Table({c: list(map(v.__getitem__, rows)) for c, v in self.columns.items()})

    def row(self, i: int) -> dict[str, Any]:
        """Row i's stated properties (key and ends included), as `filled` compares them."""
        return filled({c: v[i] for c, v in self.columns.items()})


def node_table(label: str, nodes: list[Node]) -> Table:
    return _table([NodeColumns.of(label, nodes)], _node_names(label))[0]


def edge_table(group: EdgeGroup, edges: list[Edge]) -> Table:
    return _table([EdgeColumns.of(group[0], group[1:], edges)], _edge_names(group[0]))[0]


def _node_names(label: str) -> list[str]:
    return [p.name for p in NODES[label].all_props]


def _edge_names(etype: str) -> list[str]:
    return ["from", "to", *(p.name for p in EDGES[etype].all_props)]


def _lead(part: NodeColumns | EdgeColumns) -> dict[str, list[Any]]:
    """A part's columns as a table names them: the key (or `from` and `to`) and the props."""
    if isinstance(part, NodeColumns):
        return {**part.props, NODES[part.label].key: part.keys}
    return {**part.props, "from": part.src, "to": part.dst}


def _table(parts: list[NodeColumns] | list[EdgeColumns], names: list[str]) -> tuple[Table, bool]:
    """The parts one after another as the columns `names` (a column a part lacks is nulls
    there, a part's own lists are used as they are), and whether every property a part
    states is one of `names`."""
    leads = [_lead(p) for p in parts]
    sizes = [len(p.keys if isinstance(p, NodeColumns) else p.src) for p in parts]
    if len(leads) == 1:
        columns = {c: leads[0].get(c) or [None] * sizes[0] for c in names}
    else:
        columns = {
            c: list(
                chain.from_iterable(
                    lead.get(c) or [None] * n for lead, n in zip(leads, sizes, strict=True)
                )
            )
            for c in names
        }
    return Table(columns), all(set(lead) <= set(names) for lead in leads)


def _node_parts(result: LoadResult) -> dict[str, list[NodeColumns]]:
    """Each label's rows as columns: its records (converted once), then its columns."""
    by_label: dict[str, list[Node]] = defaultdict(list)
    for n in result.nodes:
        by_label[n.label].append(n)
    parts: dict[str, list[NodeColumns]] = defaultdict(list)
    for label, group in by_label.items():
        parts[label].append(NodeColumns.of(label, group))
    for part in result.node_columns:
        parts[part.label].append(part)
    return parts


def _edge_parts(result: LoadResult) -> dict[EdgeGroup, list[EdgeColumns]]:
    by_group: dict[EdgeGroup, list[Edge]] = defaultdict(list)
    for e in result.edges:
        by_group[e.type, e.src[0], e.dst[0]].append(e)
    parts: dict[EdgeGroup, list[EdgeColumns]] = defaultdict(list)
    for group, edges in by_group.items():
        parts[group].append(EdgeColumns.of(group[0], group[1:], edges))
    for part in result.edge_columns:
        parts[part.type, *part.ends].append(part)
    return parts


@dataclass
class Checked:
    """The rows a store takes, as tables the way stores load them."""

    nodes: dict[str, Table]  # by label
    edges: dict[EdgeGroup, Table]
    problems: list[Problem]
    digest: str  # sha256 over each source's identity, file sha256 and row count
    rows_per_source: dict[str, int]

    def records(self) -> tuple[list[Node], list[Edge]]:
        """The rows as records again, for a store that takes rows (every property given,
        None where not stated)."""
        nodes: list[Node] = []
        for label, table in self.nodes.items():
            key, *names = table.columns
            props = {c: table.columns[c] for c in names}
            nodes += NodeColumns(label, table.columns[key], props).records()
        edges: list[Edge] = []
        for (etype, a, b), table in self.edges.items():
            src, dst, *_ = table.columns.values()
            props = {c: table.columns[c] for c in _edge_names(etype)[2:]}
            edges += EdgeColumns(etype, (a, b), src, dst, props).records()
        return nodes, edges


def check(result: LoadResult) -> Checked:
    """The validated rows of `result`; InputError listing every problem if there is one."""
    if result.problems:
        raise InputError(problem_text(result.problems))
    out = validate(result)
    if out.problems:
        raise InputError(problem_text(out.problems))
    return out


def validate(result: LoadResult) -> Checked:
    """Check records and columns against the model; return de-duplicated nodes and edges,
    the problems and a digest. Identical duplicates (the same fact twice, empty values aside)
    are kept once. A fact without an `as_of` of its own takes its source's date (set on the
    record or in the column).

    The checks run over whole columns with set operations; only when one fails does the
    record-by-record pass run, to name every problem at its place in input order."""
    dates = {s.id: s.date for s in result.sources if s.date}
    if dates:
        for props in chain((n.props for n in result.nodes), (e.props for e in result.edges)):
            if not props.get("as_of") and props.get("source") in dates:
                props["as_of"] = dates[props["source"]]
        parts: list[NodeColumns | EdgeColumns] = [*result.node_columns, *result.edge_columns]
        for part in parts:
            sources = part.props.get("source")
            if sources:  # no source, no date to take
                as_of = part.props.get("as_of") or [None] * len(sources)
                part.props["as_of"] = [
                    a if a or s not in dates else dates[s]
                    for a, s in zip(as_of, sources, strict=True)
                ]
    return validate_columns(result) or validate_records(result)


def validate_columns(result: LoadResult) -> Checked | None:
    """The checked rows if every check passes, else None (then `validate_records` says why)."""
    source_ids = {s.id for s in result.sources}
    used: Counter[Any] = Counter()
    nodes: dict[str, Table] = {}
    keys: dict[str, set[str]] = {}
    for label, node_parts in _node_parts(result).items():
        node_type = NODES.get(label)
        if node_type is None:
            return None
        table, fits = _table(node_parts, _node_names(label))
        if not (fits and source_ids.issuperset(table.columns["source"])):
            return None
        label_keys = table.columns[node_type.key]
        keys[label] = set(label_keys)
        if len(keys[label]) < len(table):
            kept = _first_of_each(table, label_keys)
            if kept is None:
                return None
            table = table.take(kept)
        nodes[label] = table
        used.update(table.columns["source"])

    edges: dict[EdgeGroup, Table] = {}
    for (etype, a, b), edge_parts in _edge_parts(result).items():
        edge_type = EDGES.get(etype)
        if edge_type is None or (a, b) not in edge_type.endpoints:
            return None
        typed, fits = _table(edge_parts, _edge_names(etype))
        srcs, dsts, sources = (typed.columns[c] for c in ("from", "to", "source"))
        if not (
            fits
            and keys.get(a, set()).issuperset(srcs)
            and keys.get(b, set()).issuperset(dsts)
            and source_ids.issuperset(sources)
        ):
            return None
        if not _distinct(srcs, dsts):  # the same ends twice: the same fact?
            facts = list(zip(srcs, dsts, sources, typed.columns["locator"], strict=True))
            kept_rows = _first_of_each(typed, facts)
            if kept_rows is None:
                return None
            typed = typed.take(kept_rows)
        edges[etype, a, b] = typed
        used.update(typed.columns["source"])
    return Checked(nodes, edges, [], _digest(result, used), _counts(used))


def _distinct(a: list[Any], b: list[Any]) -> bool:
    """No two rows have the same (a, b): first by the pairs' hashes (ints, from the strings'
    cached hashes: twice as fast as a set of the pairs at 1M rows), exactly only when two of
    those are equal."""
    n = len(a)
    pairs = zip(a, b, strict=True)
    return len(set(map(hash, pairs))) == n or len(set(zip(a, b, strict=True))) == n


def _first_of_each(table: Table, keys: list[Any]) -> list[int] | None:
    """The first row of each key; None if a later one says something different."""
    first: dict[Any, int] = {}
    kept: list[int] = []
    for i, key in enumerate(keys):
        seen = first.setdefault(key, i)
        if seen == i:
            kept.append(i)
        elif table.row(seen) != table.row(i):
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
    for n in chain(result.nodes, *(part.records() for part in result.node_columns)):
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
    for e in chain(result.edges, *(part.records() for part in result.edge_columns)):
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
