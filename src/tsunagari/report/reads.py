"""The store as one report reads it: each query asked once, its answer kept for the next."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from tsunagari.errors import StoreError
from tsunagari.graph.store import GraphStore, Row


class ReadOnce:
    """A GraphStore for the length of one report, which only reads: `run` (and `columns`,
    where the store has it) answers a query asked before, with the same parameters, from
    what it answered then, in fresh containers (callers may change what they get). The
    report's parts asked again for what another had read: the municipalities five times,
    the nodes' prefectures and each node table twice, the loaded sources three times."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.read_only = True
        self._rows: dict[tuple[str, str], list[Row]] = {}
        self._columns: dict[str, dict[str, list[Any]]] = {}

    def run(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        key = (cypher, repr(sorted((params or {}).items())))
        if key not in self._rows:
            self._rows[key] = self._store.run(cypher, params, timeout=timeout)
        return [{k: _fresh(v) for k, v in r.items()} for r in self._rows[key]]

    def __getattr__(self, name: str) -> Any:
        read = getattr(self._store, name)  # as the store has it, or AttributeError
        if name != "columns":  # whatever else the store offers (explain, path …)
            return read

        def columns(cypher: str) -> dict[str, list[Any]]:
            if cypher not in self._columns:
                self._columns[cypher] = read(cypher)
            return {c: [_fresh(x) for x in v] for c, v in self._columns[cypher].items()}

        return columns

    def write_batch(
        self, cypher: str, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 10_000
    ) -> int:
        raise StoreError("a report only reads the store")

    @contextmanager
    def transaction(self) -> Iterator[GraphStore]:
        raise StoreError("a report only reads the store")
        yield self

    def close(self) -> None:
        """Forget the answers kept (the store is closed by whoever opened it)."""
        self._rows.clear()
        self._columns.clear()

    def __enter__(self) -> ReadOnce:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fresh(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value
