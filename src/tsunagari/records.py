"""What loaders hand to the build: typed nodes and edges with provenance (one record per row,
or as columns for a large input), problems, sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any


@dataclass(frozen=True)
class Node:
    label: str
    key: str
    props: dict[str, Any]  # name, source, locator and the label's own properties


@dataclass(frozen=True)
class Edge:
    type: str
    src: tuple[str, str]  # (label, key)
    dst: tuple[str, str]
    props: dict[str, Any]  # source, locator and the type's own properties


@dataclass(frozen=True)
class NodeColumns:
    """Many nodes of one label as columns, for a loader with a large input: `keys[i]` and
    `props[name][i]` are row i; None is "not stated". The same facts as one `Node` per row."""

    label: str
    keys: list[str]
    props: dict[str, list[Any]]

    def __post_init__(self) -> None:
        _same_length(self.label, self.keys, self.props)

    @classmethod
    def of(cls, label: str, nodes: list[Node]) -> NodeColumns:
        """Records of one label as columns: a column per property any of them states."""
        return cls(label, [n.key for n in nodes], _columns([n.props for n in nodes]))

    def records(self) -> list[Node]:
        """One `Node` per row, every column in its props (None where the row states nothing)."""
        names = list(self.props)
        return [
            Node(self.label, key, dict(zip(names, values, strict=True)))
            for key, *values in zip(self.keys, *self.props.values(), strict=True)
        ]


@dataclass(frozen=True)
class EdgeColumns:
    """Many edges of one type between two labels as columns: row i goes from the
    `ends[0]` keyed `src[i]` to the `ends[1]` keyed `dst[i]`, with `props[name][i]`."""

    type: str
    ends: tuple[str, str]
    src: list[str]
    dst: list[str]
    props: dict[str, list[Any]]

    def __post_init__(self) -> None:
        _same_length(self.type, self.src, {"to": self.dst, **self.props})

    @classmethod
    def of(cls, type: str, ends: tuple[str, str], edges: list[Edge]) -> EdgeColumns:
        """Records of one type between two labels as columns."""
        src, dst = [e.src[1] for e in edges], [e.dst[1] for e in edges]
        return cls(type, ends, src, dst, _columns([e.props for e in edges]))

    def records(self) -> list[Edge]:
        """One `Edge` per row, every column in its props."""
        (a, b), names = self.ends, list(self.props)
        return [
            Edge(self.type, (a, src), (b, dst), dict(zip(names, values, strict=True)))
            for src, dst, *values in zip(self.src, self.dst, *self.props.values(), strict=True)
        ]


def _columns(props: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = dict.fromkeys(chain.from_iterable(props))
    return {n: list(map(dict.get, props, repeat(n))) for n in names}


def _same_length(name: str, keys: list[str], columns: dict[str, list[Any]]) -> None:
    """Columns of different lengths are a loader's bug, not a problem in its input."""
    short = [c for c, v in columns.items() if len(v) != len(keys)]
    if short:
        raise ValueError(f"{name}: columns {short} do not have {len(keys)} rows like the keys")


@dataclass(frozen=True)
class SourceInfo:
    """A document or dataset; becomes a Source node."""

    id: str
    title: str
    publisher: str = ""
    date: str = ""
    file: str = ""
    sha256: str = ""
    url: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input row; `message` says how to fix it."""

    slug: str
    file: str
    line: int | None
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        column = f" {self.field}:" if self.field else ""
        return f"{where}:{column} {self.message} [{self.slug}]"


@dataclass
class LoadResult:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: list[SourceInfo] = field(default_factory=list)
    # what an input held that the model has no place for: listed, never an error
    notes: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # read, but not as written
    # more nodes and edges, handed over as columns (they follow the records of the same label);
    # validation reads them, the exports that take a LoadResult read records only
    node_columns: list[NodeColumns] = field(default_factory=list)
    edge_columns: list[EdgeColumns] = field(default_factory=list)

    def extend(self, other: LoadResult) -> LoadResult:
        self.nodes += other.nodes
        self.edges += other.edges
        self.node_columns += other.node_columns
        self.edge_columns += other.edge_columns
        self.problems += other.problems
        self.notes += other.notes
        self.warnings += other.warnings
        self.sources += [s for s in other.sources if s not in self.sources]
        return self
