"""The GraphStore protocol every store implements (graph/connect.py opens the configured one)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

Row = dict[str, Any]


class GraphStore(Protocol):
    """Cypher in, rows out; values only ever as parameters."""

    read_only: bool

    def run(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]: ...

    def write_batch(
        self, cypher: str, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 10_000
    ) -> int:
        """Run `cypher` (which reads `UNWIND $rows AS row`) over rows in batches."""
        ...

    def transaction(self) -> AbstractContextManager[GraphStore]: ...

    def close(self) -> None: ...

    def __enter__(self) -> GraphStore: ...

    def __exit__(self, *exc: object) -> None: ...


def chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]
