"""Classes 7–9: the store path is checked before any work, file-system errors are one line
with the path and the reason, damaged stores are named as such; nothing around changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import tiny_result
from tsunagari.cli import main
from tsunagari.errors import FileSystemError, NotBuiltError, StoreError
from tsunagari.graph.build import build_graph

CLI = [sys.executable, "-c", "from tsunagari.cli import main; main()"]
DAMAGED = "is damaged or is not a tsunagari graph"
REBUILD = "if tsunagari built it, delete it and run `tsunagari build` again"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"/"
        for p in sorted(folder.rglob("*"))
        if not p.is_fifo()
    }


def one_error_line(output: str) -> str:
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    assert "Traceback" not in output
    return lines[0]


# --- class 7: build only over nothing or over a store tsunagari made -------------------


def foreign(kind: str, folder: Path) -> Path:
    path = folder / {"csv": "my_orgs.csv", "dir": "somedir", "empty": "empty.lbug"}.get(
        kind, f"{kind}.lbug"
    )
    if kind == "csv":
        path.write_text("id,name\n1,大切なデータ\n", encoding="utf-8")
    elif kind == "dir":
        path.mkdir()
        (path / "notes.txt").write_text("mine")
    elif kind == "empty":
        path.touch()
    elif kind == "random":
        path.write_bytes(os.urandom(64 * 1024))
    elif kind == "fifo":
        os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "dir", "empty", "random", "fifo"])
def test_build_never_replaces_what_is_not_a_tsunagari_store(tmp_path: Path, kind: str) -> None:
    path = foreign(kind, tmp_path)
    before = snapshot(tmp_path)
    done = subprocess.run(
        [*CLI, "-v", "--store", str(path), "build"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == StoreError.exit_code, done.stderr
    line = one_error_line(done.stderr)
    assert str(path) in line and ("is a folder" in line or DAMAGED in line)
    assert "inputs:" not in done.stderr  # refused before loading anything
    assert snapshot(tmp_path) == before


def test_build_over_its_own_store_and_over_nothing(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "g.lbug"
    build_graph(tiny_result(), path)  # over nothing, folders made
    build_graph(tiny_result(org_name="二度目"), path)  # over its own store
    assert sorted(p.name for p in path.parent.iterdir()) == ["g.lbug", "g.lbug.lock"]


# --- class 9: damaged stores -------------------------------------------------------------


def damaged(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.lbug"
    if kind == "truncated":
        build_graph(tiny_result(), path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif kind == "header-only":
        build_graph(tiny_result(), path)
        path.write_bytes(path.read_bytes()[:4096])
    else:
        foreign(kind, folder)
        if kind == "csv":
            path = folder / "my_orgs.csv"
    return path


@pytest.mark.parametrize("kind", ["truncated", "header-only", "empty", "random", "csv"])
@pytest.mark.parametrize(
    "args",
    [["stats"], ["gaps"], ["query", "MATCH (n) RETURN count(n) AS n"], ["hubs"]],
    ids=["stats", "gaps", "query", "hubs"],
)
def test_a_damaged_store_is_named_with_how_to_rebuild(
    tmp_path: Path, kind: str, args: list[str]
) -> None:
    path = damaged(kind, tmp_path)
    before = snapshot(tmp_path)
    out = CliRunner().invoke(main, ["--store", str(path), *args])
    assert out.exit_code == StoreError.exit_code, out.output
    line = one_error_line(out.output)
    assert DAMAGED in line and REBUILD in line and str(path) in line
    assert "retry later" not in line  # the engine's guess for a truncated file
    assert snapshot(tmp_path) == before


def older(kind: str, folder: Path) -> Path:
    """A graph as an older tsunagari left it: another model digest, or none recorded."""
    path = folder / f"{kind}.lbug"
    build_graph(tiny_result(), path)
    import ladybug

    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    if kind == "other-model":
        conn.execute("MATCH (b:Build) SET b.model_digest = '0badc0de'")
    else:  # built before the digest was recorded: the property does not exist
        conn.execute("ALTER TABLE Build DROP model_digest")
    conn.execute("CHECKPOINT")
    conn.close()
    db.close()
    return path


@pytest.mark.parametrize("kind", ["other-model", "no-model"])
@pytest.mark.parametrize(
    "args",
    [["stats"], ["gaps"], ["query", "MATCH (n) RETURN count(n) AS n"], ["report"]],
    ids=["stats", "gaps", "query", "report"],
)
def test_a_graph_built_with_another_model_says_build_again(
    tmp_path: Path, kind: str, args: list[str]
) -> None:
    path = older(kind, tmp_path)
    before = snapshot(tmp_path)
    out = CliRunner().invoke(main, ["--lang", "en", "--store", str(path), *args])
    assert out.exit_code == StoreError.exit_code, out.output
    line = one_error_line(out.output)
    assert str(path) in line and "built by another version of tsunagari" in line
    assert "run `tsunagari build` again" in line
    assert snapshot(tmp_path) == before  # nothing read half-way, nothing written


def test_build_replaces_a_graph_built_with_another_model(tmp_path: Path) -> None:
    path = older("no-model", tmp_path)
    out = CliRunner().invoke(main, ["--store", str(path), "build"])
    assert out.exit_code == 0, out.output
    out = CliRunner().invoke(main, ["--store", str(path), "stats"])
    assert out.exit_code == 0, out.output


def test_a_missing_store_says_build(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["--store", str(tmp_path / "none.lbug"), "stats"])
    assert out.exit_code == NotBuiltError.exit_code
    assert one_error_line(out.output).endswith("run `tsunagari build` first")


# --- class 8: file-system errors -----------------------------------------------------------


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder another user can enter (tmp_path's parents are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="tsunagari-fs-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(folder)


def as_user(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI as an unprivileged user when we are root (root ignores permissions)."""
    drop: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without util-linux setpriv to drop privileges")
        drop = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run(
            [*drop, sys.executable, "-c", "import tsunagari"],
            capture_output=True,
            timeout=60,
            cwd="/",
            env={**os.environ, "HOME": "/tmp"},
        )
        if probe.returncode != 0:  # e.g. a checkout under a folder only root may enter
            pytest.skip("the unprivileged user cannot read this checkout or its venv")
    return subprocess.run(
        [*drop, *CLI, *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd="/",
        env={**os.environ, "HOME": "/tmp"},
    )


def read_only_store(shared: Path) -> Path:
    folder = shared / "ro"
    folder.mkdir()
    build_graph(tiny_result(), folder / "g.lbug")
    folder.chmod(0o555)
    return folder / "g.lbug"


FS_CASES = {
    "build over a store in a read-only folder": (
        lambda s: ["--store", str(read_only_store(s)), "build"],
        StoreError,
        "is not writable",
    ),
    "build a new store in a read-only folder": (
        lambda s: ["--store", str(read_only_store(s).with_name("new.lbug")), "build"],
        StoreError,
        "is not writable",
    ),
    "report into a read-only folder": (
        lambda s: ["--store", str(read_only_store(s)), "report", "--out", str(s / "ro" / "r")],
        FileSystemError,
        "is not writable",
    ),
    "network view into a read-only folder": (
        lambda s: ["--store", str(read_only_store(s)), "network", "-o", str(s / "ro" / "n.html")],
        FileSystemError,
        "Permission denied",
    ),
    "export into a read-only folder": (
        lambda s: ["--store", str(read_only_store(s)), "export", "--graphml", str(s / "ro" / "g")],
        FileSystemError,
        "Permission denied",
    ),
    "template into a read-only folder": (
        lambda s: ["template", str(read_only_store(s).parent / "t")],
        FileSystemError,
        "Permission denied",
    ),
    "a store that cannot be read": (
        lambda s: ["--store", str(unreadable(s)), "stats"],
        StoreError,
        "permission denied",
    ),
}


def unreadable(shared: Path) -> Path:
    path = shared / "g.lbug"
    build_graph(tiny_result(), path)
    path.chmod(0o000)
    return path


@pytest.mark.parametrize("case", sorted(FS_CASES))
def test_permission_errors_are_one_line(shared: Path, case: str) -> None:
    make, error, reason = FS_CASES[case]
    args = make(shared)
    before = snapshot(shared)
    done = as_user(args)
    assert done.returncode == error.exit_code, done.stderr
    line = one_error_line(done.stderr)
    assert reason in line
    assert snapshot(shared) == before


def test_reading_a_store_in_a_read_only_folder_works(shared: Path) -> None:
    store = read_only_store(shared)
    # stats, not query: the query worker re-runs this interpreter, which here lives under
    # root's private home (setpriv can start it, a process of the unprivileged user cannot)
    done = as_user(["--store", str(store), "stats", "--format", "csv"])
    assert done.returncode == 0, done.stderr
    assert "node,Municipality,3," in done.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fs") / "g.lbug"
    build_graph(tiny_result(), path)
    return path


OUTPUT_CASES = {
    "-o into a missing folder": (["network", "-o", "{tmp}/nodir/x.html"], "No such file"),
    "-o /dev/full": (["network", "-o", "/dev/full"], "No space left on device"),
    "map -o /dev/full": (["map", "-o", "/dev/full"], "No space left on device"),
    "export --graphml /dev/full": (["export", "--graphml", "/dev/full"], "No space left"),
    "export into a missing folder": (["export", "--cypher", "{tmp}/no/x.cypher"], "No such file"),
    "report --out under a file": (["report", "--out", "{tmp}/file.txt/r"], "not writable"),
}


@pytest.mark.parametrize("case", sorted(OUTPUT_CASES))
def test_output_errors_are_one_line(store: Path, tmp_path: Path, case: str) -> None:
    args, reason = OUTPUT_CASES[case]
    (tmp_path / "file.txt").write_text("x")
    before = snapshot(tmp_path)
    argv = ["--store", str(store), *(a.format(tmp=tmp_path) for a in args)]
    out = CliRunner().invoke(main, argv)
    assert out.exit_code == FileSystemError.exit_code, out.output
    line = one_error_line(out.output)
    assert reason in line
    assert snapshot(tmp_path) == before


def test_a_name_too_long_is_one_line(tmp_path: Path) -> None:
    long = tmp_path / ("長" * 100 + ".lbug")  # 300 bytes: over the 255 a file name may have
    for args, error in ((["build"], StoreError), (["stats"], FileSystemError)):
        out = CliRunner().invoke(main, ["--store", str(long), *args])
        assert out.exit_code in (error.exit_code, StoreError.exit_code), out.output
        line = one_error_line(out.output)
        assert "too long" in line
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
