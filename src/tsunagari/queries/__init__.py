"""The questions: named Cypher queries (loaded by name) and the networkx analyses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore, Row

_HEADER = re.compile(r"^//\s*(title|description|params)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class NamedQuery:
    """A `.cypher` file of this package: its header comments and its text."""

    name: str
    title: str
    description: str
    params: tuple[str, ...]
    text: str

    @property
    def used_params(self) -> frozenset[str]:
        """The `$names` the text uses (comments left out)."""
        body = "\n".join(line.split("//", 1)[0] for line in self.text.splitlines())
        return frozenset(_PARAM.findall(body))


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the `// title:`, `// description:` and `// params:` header of a query file."""
    header: dict[str, list[str]] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        m = _HEADER.match(line)
        if m:
            last = m.group(1)
            header.setdefault(last, []).append(m.group(2))
        elif last == "description":  # a description may run over several comment lines
            header[last].append(line[2:].strip())
    params = ",".join(header.get("params", [])).split(",")
    return NamedQuery(
        name=name,
        title=" ".join(header.get("title", [])),
        description=" ".join(header.get("description", [])),
        params=tuple(p.strip() for p in params if p.strip()),
        text=text,
    )


@cache
def _all() -> dict[str, NamedQuery]:
    folder = files("tsunagari") / "queries"
    out = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            out[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return out


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [q for _, q in sorted(_all().items())]


def load_query(name: str) -> NamedQuery:
    """The named query; an unknown name raises QueryError listing the close matches."""
    queries = _all()
    if name in queries:
        return queries[name]
    import difflib  # only for the message: a cold answer does not import it

    close = difflib.get_close_matches(name, list(queries), n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise QueryError(f"no named query {name!r}{hint} ({len(queries)} known)")


def run_query(store: GraphStore, name: str, **params: Any) -> list[Row]:
    """Run a named query with exactly its declared parameters."""
    q = load_query(name)
    missing = set(q.params) - set(params)
    extra = set(params) - set(q.params)
    if missing or extra:
        raise QueryError(
            f"query {name} takes parameters {', '.join(q.params) or '(none)'}; "
            f"missing {sorted(missing)}, unexpected {sorted(extra)}"
        )
    return store.run(q.text, params)
