"""The embedded store: LadybugDB, one file on disk, guarded against its known hazards."""

from __future__ import annotations

import logging
import os
import re
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from tsunagari.errors import WRITES_NEEDED, NotBuiltError, QueryError, StoreError
from tsunagari.graph.store import Row, chunks
from tsunagari.model import MODEL_DIGEST

log = logging.getLogger(__name__)

# Two read-write handles on one file in one process silently lose writes, so this
# process keeps a register of what it has open and refuses a second writer.
_OPEN: dict[Path, list[LadybugStore]] = {}
_OPEN_LOCK = threading.Lock()
FRAME_ROWS = 5_000  # rows; from this many a query's columns are read as a DataFrame


def engine_message(message: str, *, shift: int = 0) -> str:
    """The engine's error as one line; an offset counts from the start of the user's text."""
    line = message.strip().splitlines()[0] if message.strip() else "the engine gave no reason"
    if shift:
        line = re.sub(r"offset: (\d+)", lambda m: f"offset: {int(m.group(1)) - shift}", line)
    return line


def damaged(shown: str, why: str) -> str:
    return (
        f"{shown} is damaged or is not a tsunagari graph ({why}); if tsunagari built it, "
        "delete it and run `tsunagari build` again, otherwise choose another --store"
    )


def _reason(message: str) -> str:
    line = engine_message(message).removeprefix("Runtime exception: ")
    kept = [s for s in line.split(". ") if "retry later" not in s]  # the engine's guess, wrong
    return ". ".join(kept).rstrip(".!")


def resolved(path: Path) -> Path:
    """The absolute path with links followed; a link loop is a StoreError, not a crash."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as e:
        raise StoreError(f"cannot use {path}: {getattr(e, 'strerror', None) or e}") from None


def check_file(path: Path, *, shown: str) -> None:
    """A store to open must be a readable, non-empty regular file (never a FIFO or device)."""
    if not path.exists():
        raise NotBuiltError(
            f"no graph at {shown}: run `tsunagari build` first",
            ja=f"{shown} にグラフがありません。先に `tsunagari build` を実行してください",
        )
    if path.is_dir():
        raise StoreError(f"{shown} is a folder, not a tsunagari graph; choose another --store")
    if not path.is_file():
        raise StoreError(damaged(shown, "it is not a regular file"))
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read {shown}: permission denied")
    if path.stat().st_size == 0:
        raise StoreError(damaged(shown, "the file is empty"))


class LadybugStore:
    """A LadybugDB database opened read-write or read-only; use as a context manager."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = True,
        create: bool = False,
        timeout: float | None = None,
        any_model: bool = False,
    ) -> None:
        """`any_model`: open a graph built with another graph model too (to build over it)."""
        import ladybug

        self.path = resolved(Path(path))
        self.read_only = read_only
        self.timeout = timeout
        if not create:
            check_file(self.path, shown=str(path))
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
                raise StoreError(damaged(str(path), _reason(str(e)))) from e
            _OPEN.setdefault(self.path, []).append(self)
        self._in_txn = False
        if not create:
            try:
                self._check_build_record(str(path), any_model=any_model)
            except StoreError:
                self.close()
                raise

    def _check_build_record(self, shown: str, *, any_model: bool) -> None:
        """A graph tsunagari built (it has a Build record) with today's graph model."""
        try:
            rows = self.run("MATCH (b:Build) RETURN b.model_digest AS model LIMIT 1")
        except QueryError as e:
            if "Cannot find property" not in str(e):  # no Build table: not ours
                raise StoreError(damaged(shown, "it holds no tsunagari build record")) from e
            rows = [{"model": None}]  # built before the model was recorded
        if not rows:
            raise StoreError(damaged(shown, "it holds no tsunagari build record"))
        if rows[0]["model"] != MODEL_DIGEST and not any_model:
            raise StoreError(
                f"{shown} was built by another version of tsunagari, with another graph "
                "model: run `tsunagari build` again (with the same --with files, if any)",
                ja=f"{shown} は別の版の tsunagari が別のグラフモデルで作ったものです。"
                "`tsunagari build` をもう一度実行してください（--with のファイルがあれば同じもの"
                "を指定）",
            )

    def run(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        result = self._execute(cypher, params, timeout)
        columns = result.get_column_names()
        rows = [dict(zip(columns, values, strict=True)) for values in result.get_all()]
        result.close()
        return rows

    def columns(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> dict[str, list[Any]]:
        """The rows as one list per column, null as None, exactly as `run` gives them. Many
        rows are read through the engine's own pandas DataFrame (about 4× faster than `run`
        for 150k rows of two strings); fewer than FRAME_ROWS row by row, as fast for them and
        without pandas (0.3 s to import)."""
        result = self._execute(cypher, params, timeout)
        try:
            names = result.get_column_names()
            if result.get_num_tuples() < FRAME_ROWS:
                rows = result.get_all()
                return {c: [r[i] for r in rows] for i, c in enumerate(names)}
            frame = result.get_as_df()
            kinds = dict(zip(names, result.get_column_data_types(), strict=True))
        finally:
            result.close()
        out = {}
        for c in names:
            values = frame[c].tolist()
            if frame[c].hasnans:  # the frame's null, which also turns an INT64 column float
                whole = kinds[c].startswith(("INT", "UINT", "SERIAL"))
                values = [None if x != x else int(x) if whole else x for x in values]
            out[c] = values
        return out

    def _execute(self, cypher: str, params: Mapping[str, Any] | None, timeout: float | None) -> Any:
        limit = timeout if timeout is not None else self.timeout
        self._conn.set_query_timeout(int(limit * 1000) if limit else 0)
        try:
            result = self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as e:
            message = str(e)
            if "Interrupted" in message:
                raise QueryError(f"query stopped after the {limit:g} s timeout") from e
            raise QueryError(engine_message(message)) from e
        if isinstance(result, list):  # several statements: keep the last one's rows
            result = result[-1]
        return result

    def explain(self, cypher: str, params: Mapping[str, Any] | None = None) -> str:
        """The engine's physical plan of one statement, planned with its parameters, not run."""
        with warnings.catch_warnings():  # prepare is the one call that says "one statement"
            warnings.simplefilter("ignore", DeprecationWarning)
            prepared = self._conn.prepare(f"EXPLAIN {cypher}")
        if not prepared.is_success():
            message = prepared.get_error_message()
            if "multiple statements" in message:
                raise QueryError("one statement at a time: remove the ';' between statements")
            if "read-only database" in message:
                raise QueryError(WRITES_NEEDED)
            raise QueryError(engine_message(message, shift=len("EXPLAIN ")))
        try:
            result = self._conn.execute(prepared, dict(params or {}))
        except RuntimeError as e:
            missing = re.fullmatch(r"Parameter (\w+) not found\.?", str(e).strip())
            if missing:
                name = missing.group(1)
                raise QueryError(f"${name} has no value: pass it with -p {name} VALUE") from e
            raise QueryError(engine_message(str(e))) from e
        assert not isinstance(result, list)
        text = "".join(str(cast(Any, row)[0]) for row in result.get_all())
        result.close()
        return text

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
