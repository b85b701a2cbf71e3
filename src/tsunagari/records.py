"""What loaders hand to the build: typed nodes and edges with provenance, problems, sources."""

from __future__ import annotations

from dataclasses import dataclass, field
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

    def extend(self, other: LoadResult) -> LoadResult:
        self.nodes += other.nodes
        self.edges += other.edges
        self.problems += other.problems
        self.notes += other.notes
        self.warnings += other.warnings
        self.sources += [s for s in other.sources if s not in self.sources]
        return self
