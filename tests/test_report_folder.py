"""Class 10: an interrupted report leaves the older one whole; concurrent reports wait for
one build; a report never replaces a folder that is not a report."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import tiny_result
from tsunagari.cli import main
from tsunagari.config import Config
from tsunagari.errors import FileSystemError
from tsunagari.graph.build import build_graph
from tsunagari.report import write_report

ROOT = Path(__file__).resolve().parents[1]

# Writes a report and signals itself once `report` progress reaches the given step.
INTERRUPTED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from tsunagari.config import Config
    from tsunagari.report import write_report
    sig, at = getattr(signal, sys.argv[3]), int(sys.argv[4])
    def progress(name, done, total):
        if name == "report" and done == at:
            os.kill(os.getpid(), sig)
    write_report(Config(store=sys.argv[1]), Path(sys.argv[2]), lang="en", progress=progress)
""")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def old_report(tmp_path: Path) -> tuple[Path, Path]:
    store, out = tmp_path / "g.lbug", tmp_path / "report"
    build_graph(tiny_result(), store)
    write_report(Config(store=str(store)), out)  # Japanese: the interrupted one is English
    return store, out


@pytest.mark.parametrize(("sig", "step"), [("SIGINT", 3), ("SIGINT", 6), ("SIGKILL", 6)])
def test_an_interrupted_report_leaves_the_old_one_whole(
    old_report: tuple[Path, Path], sig: str, step: int
) -> None:
    store, out = old_report
    before = tree(out)
    script = out.parent / "interrupted.py"
    script.write_text(INTERRUPTED)
    done = subprocess.run(
        [sys.executable, str(script), str(store), str(out), sig, str(step)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert tree(out) == before  # the older report, whole: not a mix that looks complete
    staging = [p.name for p in out.parent.iterdir() if p.name.startswith(".report.")]
    assert staging == ([] if sig == "SIGINT" else [f".report.writing-{pid_of(staging)}"])
    write_report(Config(store=str(store)), out, lang="en")  # the next one finishes
    assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".report.")] == []


def pid_of(names: list[str]) -> str:
    return names[0].rsplit("-", 1)[-1] if names else ""


def test_a_folder_that_is_not_a_report_is_never_replaced(tmp_path: Path) -> None:
    store, out = tmp_path / "g.lbug", tmp_path / "mine"
    build_graph(tiny_result(), store)
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    before = tree(out)
    result = CliRunner().invoke(main, ["--store", str(store), "report", "--out", str(out)])
    assert result.exit_code == FileSystemError.exit_code
    assert result.output.startswith(f"error: {out} is a folder of other files, not a tsunagari")
    assert tree(out) == before
    file_out = tmp_path / "report.txt"
    file_out.write_text("x")
    result = CliRunner().invoke(main, ["--store", str(store), "report", "--out", str(file_out)])
    assert result.exit_code == 2  # click's own check of --out
    assert "is a file" in result.output and file_out.read_text() == "x"
    with pytest.raises(FileSystemError, match="it is not a folder"):
        write_report(Config(store=str(store)), file_out)
    assert file_out.read_text() == "x"


@pytest.mark.slow
def test_two_reports_on_a_missing_store_both_finish(tmp_path: Path) -> None:
    store = tmp_path / "new.lbug"
    cli = [sys.executable, "-c", "from tsunagari.cli import main; main()", "--store", str(store)]
    procs = [
        subprocess.Popen(
            [*cli, "report", "--out", str(tmp_path / f"r{i}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "200"},
        )
        for i in range(2)
    ]
    outputs = [p.communicate(timeout=900) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "busy" not in err
    assert (tmp_path / "r0" / "index.html").is_file() and (tmp_path / "r1" / "index.html").is_file()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
