"""The build: validate every row, bulk-load a fresh database beside the old, swap it in."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tsunagari.errors import StoreBusyError, StoreError
from tsunagari.graph.ladybug_store import LadybugStore, check_file, resolved
from tsunagari.graph.schema import ladybug_ddl
from tsunagari.graph.validate import (
    BuildReport,
    EdgeGroup,
    Progress,
    Table,
    check,
    node_table,
    source_nodes,
)
from tsunagari.model import MODEL_DIGEST
from tsunagari.records import LoadResult, Node

log = logging.getLogger(__name__)


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """One builder per store path across processes; a second gets 'database busy (pid N)'."""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise StoreBusyError(
                f"database busy (pid {holder}): another build is writing {path}; "
                "wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays for the next builder


def wait_for_build(path: Path, *, timeout: float = 900.0) -> None:
    """Wait until no build holds the lock of `path` (another process is building it)."""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreBusyError(
                        f"database busy: another build of {path} ran past {timeout:g} s"
                    ) from None
                time.sleep(0.2)
    finally:
        os.close(fd)


def _frame(columns: dict[str, list[Any]]) -> Any:
    import pandas as pd

    # object columns keep None as null and ints as ints (nullable Int64 is not accepted)
    return pd.DataFrame({c: pd.Series(v, dtype="object") for c, v in columns.items()})


def _write(
    store: LadybugStore,
    nodes: dict[str, Table],
    edges: dict[EdgeGroup, Table],
    progress: Progress,
) -> None:
    store.run("CALL auto_checkpoint=false")  # one CHECKPOINT at the end, not one per COPY
    for i, ddl in enumerate(ladybug_ddl()):
        store.run(ddl)
        progress("schema", i + 1, len(ladybug_ddl()))
    for i, (label, table) in enumerate(sorted(nodes.items())):
        store.copy_from(label, _frame(table.columns))
        progress("nodes", i + 1, len(nodes))
    for i, ((etype, a, b), typed) in enumerate(sorted(edges.items())):
        store.copy_from(etype, _frame(typed.columns), edge=(a, b))
        progress("edges", i + 1, len(edges))


SWAP_STEPS = 4  # progress("swap", n, 4): the points a kill may land on between old and new


def sidecars(path: Path) -> list[Path]:
    """The engine's files beside a database (its write-ahead log, shadow pages)."""
    lock = path.with_name(path.name + ".lock")
    return [p for p in path.parent.glob(f"{glob.escape(path.name)}.*") if p != lock]


def _fold_wal(path: Path) -> None:
    """Checkpoint the old graph so every committed write is in its own file, never in a log
    that could replay onto the new one. Writers hold the build lock, so none can add to it."""
    if not sidecars(path) or not path.exists():
        return
    with LadybugStore(path, read_only=False, any_model=True) as old:
        old.checkpoint()
    _fsync(path)
    left = sidecars(path)
    if left:
        raise StoreError(
            f"{path} still has {left[0].name} after a checkpoint; the old graph is unchanged, "
            "retry the build when no other program has the store open"
        )


def check_target(path: Path) -> None:
    """Build only over nothing or over a graph tsunagari made; say so before doing any work."""
    if len(f".{path.name}.building-{os.getpid()}.wal".encode()) > 255:
        raise StoreError(f"cannot build at {path}: the file name is too long")
    if path.exists() or path.is_symlink():
        check_file(path, shown=str(path))  # a folder, a FIFO, an empty or foreign file: refused
        LadybugStore(path, read_only=True, any_model=True).close()  # damaged or not ours: refused
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is None or not parent.is_dir():
        raise StoreError(f"cannot build at {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot build at {path}: the folder {parent} is not writable")


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(path: Path) -> None:
    """Half-built databases of builders that died (their pid is gone)."""
    for stale in path.parent.glob(f".{path.name}.building-*"):
        pid = stale.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and pid_alive(int(pid)):
            continue
        stale.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_graph(
    result: LoadResult,
    path: str | Path,
    *,
    progress: Progress | None = None,
    tool_version: str | None = None,
) -> BuildReport:
    """Build the graph of `result` at `path`: all or nothing, never a mix of old and new.

    Every record is validated first; any problem raises InputError and nothing is written.
    The database is bulk-loaded under a temporary name in the same folder, checkpointed,
    closed, then renamed over the old one (an atomic rename on POSIX filesystems).
    """
    from tsunagari import __version__

    path = resolved(Path(path))
    progress = progress or (lambda step, done, total: None)
    checked = check(result)
    report = BuildReport(path=path)
    report.inputs_sha256 = checked.digest
    report.built_at = datetime.now(UTC).isoformat(timespec="seconds")
    sources = source_nodes(result, checked.rows_per_source)
    build = Node(
        "Build",
        "current",
        {
            "name": "build",
            "source": "",
            "locator": "",
            "built_at": report.built_at,
            "tool_version": tool_version or __version__,
            "inputs_sha256": report.inputs_sha256,
            "model_digest": MODEL_DIGEST,
        },
    )
    nodes = dict(checked.nodes)
    for label in ("Source", "Build"):
        ours = node_table(label, [n for n in [*sources, build] if n.label == label])
        nodes[label] = nodes[label] + ours if label in nodes else ours

    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(path):
        check_target(path)  # again under the lock: another builder may have just finished
        _remove_stale(path)
        tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        try:
            store = LadybugStore(tmp, read_only=False, create=True)
            try:
                _write(store, nodes, checked.edges, progress)
                store.checkpoint()
            finally:
                store.close()
            _fsync(tmp)
            if sidecars(tmp):
                raise StoreError(f"the new graph {tmp} kept a write-ahead log after its checkpoint")
            progress("swap", 1, SWAP_STEPS)  # the new graph is whole, the old one untouched
            _fold_wal(path)
            progress("swap", 2, SWAP_STEPS)  # the old graph is whole in its own file
            os.replace(tmp, path)
            progress("swap", 3, SWAP_STEPS)  # the new graph is in place
            _fsync_dir(path.parent)
            progress("swap", 4, SWAP_STEPS)
        finally:
            for junk in path.parent.glob(f"{tmp.name}*"):
                junk.unlink(missing_ok=True)
    report.nodes = Counter({label: len(table) for label, table in nodes.items()})
    report.edges = Counter()
    for (etype, _, _), table in checked.edges.items():
        report.edges[etype] += len(table)
    report.sources = {s.key: int(s.props["rows"]) for s in sources}
    log.info("built %s: %d nodes, %d edges", path, report.nodes.total(), report.edges.total())
    return report
