"""Class 2: the query worker dies with its command; a --write never overlaps a build."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import tiny_result
from tsunagari.errors import StoreBusyError
from tsunagari.graph.build import build_graph
from tsunagari.graph.ladybug_store import LadybugStore

# A write that computes for seconds, then commits one node.
SLOW_WRITE = (
    "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b WITH sum(a * b) AS s "
    "CREATE (:Grant {id: string(s), name: 'late', source: 'test', locator: 'x'})"
)
CLI = [sys.executable, "-c", "from tsunagari.cli import main; main()"]
SLOW_READ = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN sum(a * b) AS n"


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def wait_for(check: object, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def grants(path: Path) -> list[dict[str, object]]:
    with LadybugStore(path) as store:
        return store.run("MATCH (g:Grant) RETURN g.name AS name")


def start_query(path: Path, *args: str) -> subprocess.Popen[bytes]:
    argv = [*CLI, "--store", str(path), "query", *args]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
@pytest.mark.parametrize("write", [False, True])
def test_the_worker_dies_with_its_command(built: Path, sig: signal.Signals, write: bool) -> None:
    args = ["--write", SLOW_WRITE] if write else [SLOW_READ]
    parent = start_query(built, "--timeout", "300", *args)
    try:
        assert wait_for(lambda: children(parent.pid), 30), "the worker never started"
        worker = children(parent.pid)[0]
        time.sleep(0.5)
        os.kill(parent.pid, sig)
        parent.wait()
        assert wait_for(lambda: not alive(worker), 5), "the worker outlived its command"
    finally:
        parent.kill()
        parent.wait()
    time.sleep(1)
    assert grants(built) == []  # the write died uncommitted


def locked(lock: Path) -> bool:
    """Another process holds the build lock."""
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


PAUSED_BUILDER = textwrap.dedent("""
    import sys, time
    from tests.conftest import tiny_result
    from tsunagari.graph.build import build_graph
    def progress(name, done, total):
        if name == "swap" and done == 1:
            print("paused", flush=True)
            time.sleep(float(sys.argv[2]))
    build_graph(tiny_result(org_name="新しい団体"), sys.argv[1], progress=progress)
    print("built", flush=True)
""")


def test_a_write_during_a_build_is_busy_never_lost(built: Path, tmp_path: Path) -> None:
    script = tmp_path / "builder.py"
    script.write_text(PAUSED_BUILDER)
    root = Path(__file__).resolve().parents[1]
    builder = subprocess.Popen(
        [sys.executable, str(script), str(built), "4"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert builder.stdout is not None and builder.stdout.readline().strip() == "paused"
        write = "CREATE (:Grant {id: 'g', name: 'during', source: 'test', locator: 'x'})"
        done = subprocess.run(
            [*CLI, "--store", str(built), "query", "--write", write],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == StoreBusyError.exit_code, done.stderr
        assert done.stderr.startswith(f"error: database busy (pid {builder.pid})")
        assert builder.stdout.readline().strip() == "built"
    finally:
        builder.kill()
        builder.wait()
        if builder.stdout:
            builder.stdout.close()
    assert grants(built) == []  # refused, so nothing was claimed and nothing lost
    with LadybugStore(built) as store:
        assert store.run("MATCH (o:Organization) RETURN o.name AS n") == [{"n": "新しい団体"}]


def test_a_build_during_a_write_is_busy(built: Path) -> None:
    writer = start_query(built, "--timeout", "300", "--write", SLOW_WRITE)
    try:
        assert wait_for(lambda: children(writer.pid), 30)
        assert wait_for(lambda: locked(built.with_name(built.name + ".lock")), 30)
        with pytest.raises(StoreBusyError, match="database busy"):
            build_graph(tiny_result(org_name="新しい団体"), built)
    finally:
        writer.kill()
        writer.wait()
    assert grants(built) == []
    build_graph(tiny_result(org_name="新しい団体"), built)  # the lock went with the writer


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
