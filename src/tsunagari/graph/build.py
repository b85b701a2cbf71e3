"""The build: validate every record, bulk-load a fresh database beside the old, swap it in."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from tsunagari.errors import InputError, StoreBusyError, StoreError
from tsunagari.graph.ladybug_store import LadybugStore, check_file, resolved
from tsunagari.graph.schema import ladybug_ddl
from tsunagari.model import EDGES, NODES
from tsunagari.records import Edge, LoadResult, Node, Problem

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass
class BuildReport:
    path: Path
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    sources: dict[str, int] = field(default_factory=dict)
    inputs_sha256: str = ""
    built_at: str = ""


@dataclass
class Checked:
    nodes: list[Node]
    edges: list[Edge]
    problems: list[Problem]
    digest: str  # sha256 over each source's identity, file sha256 and row count
    rows_per_source: dict[str, int]


def validate(result: LoadResult) -> Checked:
    """Check records against the model; return de-duplicated nodes and edges, the problems
    and a digest. Identical duplicates (the same fact twice, empty values aside) are kept once.
    A fact without an `as_of` of its own takes its source's date (set on the record)."""
    problems: list[Problem] = []
    source_ids = {s.id for s in result.sources}
    dates = {s.id: s.date for s in result.sources if s.date}
    for props in [n.props for n in result.nodes] + [e.props for e in result.edges]:
        if not props.get("as_of") and props.get("source") in dates:
            props["as_of"] = dates[props["source"]]
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
    h = hashlib.sha256()
    for info in sorted(result.sources, key=lambda x: x.id):
        h.update(repr((sorted(info.__dict__.items()), used[info.id])).encode())
    return Checked(  # input order: deterministic for the same inputs; the dump sorts anyway
        list(nodes.values()),
        list(edges.values()),
        problems,
        h.hexdigest(),
        dict(used),
    )


def filled(props: dict[str, Any]) -> dict[str, Any]:
    """The properties that say something: None, "" and [] all mean "not stated"."""
    return {k: v for k, v in props.items() if v is not None and v != "" and v != []}


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


def _write(store: LadybugStore, nodes: list[Node], edges: list[Edge], progress: Progress) -> None:
    for i, ddl in enumerate(ladybug_ddl()):
        store.run(ddl)
        progress("schema", i + 1, len(ladybug_ddl()))
    by_label: dict[str, list[Node]] = defaultdict(list)
    for n in nodes:
        by_label[n.label].append(n)
    for i, (label, group) in enumerate(sorted(by_label.items())):
        t = NODES[label]
        props = [n.props for n in group]
        columns = {p.name: list(map(dict.get, props, repeat(p.name))) for p in t.all_props}
        columns[t.key] = [n.key for n in group]
        store.copy_from(label, _frame(columns))
        progress("nodes", i + 1, len(by_label))
    by_type: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for e in edges:
        by_type[(e.type, e.src[0], e.dst[0])].append(e)
    for i, ((etype, a, b), typed) in enumerate(sorted(by_type.items())):
        columns = {"from": [e.src[1] for e in typed], "to": [e.dst[1] for e in typed]}
        props = [e.props for e in typed]
        for p in EDGES[etype].all_props:
            columns[p.name] = list(map(dict.get, props, repeat(p.name)))
        store.copy_from(etype, _frame(columns), edge=(a, b))
        progress("edges", i + 1, len(by_type))


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
    with LadybugStore(path, read_only=False) as old:
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
        LadybugStore(path, read_only=True).close()  # damaged or not ours: refused
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
    if result.problems:
        raise InputError(_problem_text(result.problems))
    checked = validate(result)
    if checked.problems:
        raise InputError(_problem_text(checked.problems))
    nodes, edges = checked.nodes, checked.edges

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
        },
    )
    all_nodes = [*nodes, *sources, build]

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
                _write(store, all_nodes, edges, progress)
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
    report.nodes = Counter(n.label for n in all_nodes)
    report.edges = Counter(e.type for e in edges)
    report.sources = {s.key: int(s.props["rows"]) for s in sources}
    log.info("built %s: %d nodes, %d edges", path, len(all_nodes), len(edges))
    return report


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


def _problem_text(problems: list[Problem]) -> str:
    head = f"{len(problems)} problem(s) in the input; nothing was built:"
    shown = [str(p) for p in problems[:50]]
    more = [f"... and {len(problems) - 50} more"] if len(problems) > 50 else []
    return "\n".join([head, *shown, *more])
