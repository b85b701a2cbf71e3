"""The embedded store: LadybugDB, one file on disk, guarded against its known hazards."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tsunagari.errors import NotBuiltError, QueryError, StoreError
from tsunagari.graph.store import Row, chunks

log = logging.getLogger(__name__)

# Two read-write handles on one file in one process silently lose writes, so this
# process keeps a register of what it has open and refuses a second writer.
_OPEN: dict[Path, list[LadybugStore]] = {}
_OPEN_LOCK = threading.Lock()


class LadybugStore:
    """A LadybugDB database opened read-write or read-only; use as a context manager."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = True,
        create: bool = False,
        timeout: float | None = None,
    ) -> None:
        import ladybug

        self.path = Path(path).resolve()
        self.read_only = read_only
        self.timeout = timeout
        if not create and not self.path.exists():
            raise NotBuiltError(
                f"no graph at {path}: run `tsunagari build` first",
                ja=f"{path} にグラフがありません。先に `tsunagari build` を実行してください",
            )
        with _OPEN_LOCK:
            others = _OPEN.get(self.path, [])
            if others and not (read_only and all(o.read_only for o in others)):
                raise StoreError(
                    f"{path} is already open read-write in this process; "
                    "close that store before opening another handle"
                )
            try:
                self._db = ladybug.Database(str(self.path), read_only=read_only)
                self._conn = ladybug.Connection(self._db)
            except RuntimeError as e:
                raise StoreError(f"cannot open {path}: {e}") from e
            _OPEN.setdefault(self.path, []).append(self)
        self._in_txn = False

    def run(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        limit = timeout if timeout is not None else self.timeout
        self._conn.set_query_timeout(int(limit * 1000) if limit else 0)
        try:
            result = self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as e:
            message = str(e)
            if "Interrupted" in message:
                raise QueryError(f"query stopped after the {limit:g} s timeout") from e
            raise QueryError(message) from e
        if isinstance(result, list):  # several statements: keep the last one's rows
            result = result[-1]
        columns = result.get_column_names()
        rows = [dict(zip(columns, values, strict=True)) for values in result.get_all()]
        result.close()
        return rows

    def write_batch(
        self, cypher: str, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 10_000
    ) -> int:
        for batch in chunks(rows, batch_size):
            self.run(cypher, {"rows": list(batch)})
        return len(rows)

    def copy_from(self, table: str, frame: Any, *, edge: tuple[str, str] | None = None) -> None:
        """The native bulk path: COPY a pandas DataFrame into a table of a fresh database."""
        # the table and end labels come from model.py, never from user text
        options = f" (from='{edge[0]}', to='{edge[1]}')" if edge else ""
        try:
            self._conn.execute(f"COPY {table} FROM $frame{options}", {"frame": frame})
        except RuntimeError as e:
            raise StoreError(f"bulk load of {table} failed: {e}") from e

    @contextmanager
    def transaction(self) -> Iterator[LadybugStore]:
        if self.read_only:
            raise StoreError("a read-only store cannot open a write transaction")
        if self._in_txn:  # nested: the outer transaction decides
            yield self
            return
        self.run("BEGIN TRANSACTION")
        self._in_txn = True
        try:
            yield self
        except BaseException:
            self.run("ROLLBACK")
            raise
        else:
            self.run("COMMIT")
        finally:
            self._in_txn = False

    def checkpoint(self) -> None:
        self.run("CHECKPOINT")

    def close(self) -> None:
        """Connection first, then database, so the file lock is released."""
        with _OPEN_LOCK:
            handles = _OPEN.get(self.path, [])
            if self not in handles:
                return
            self._conn.close()
            self._db.close()
            handles.remove(self)
            if not handles:
                del _OPEN[self.path]

    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
