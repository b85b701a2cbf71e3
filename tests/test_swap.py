"""Class 3: kill -9 at each step of the swap, over an old graph whose commits are in its WAL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import tiny_result
from tsunagari.graph.build import SWAP_STEPS, build_graph, sidecars
from tsunagari.graph.ladybug_store import LadybugStore

# A builder that SIGKILLs itself the moment progress reports `swap N`.
KILLER = textwrap.dedent("""
    import os, signal, sys
    from tests.conftest import tiny_result
    from tsunagari.graph.build import build_graph
    step = int(sys.argv[2])
    def progress(name, done, total):
        if name == "swap" and done == step:
            os.kill(os.getpid(), signal.SIGKILL)
    build_graph(tiny_result(org_name="新しい団体"), sys.argv[1], progress=progress)
""")

# Commit a write, then die without closing: the write lives only in the WAL.
WAL_WRITER = textwrap.dedent("""
    import os, sys, ladybug
    db = ladybug.Database(sys.argv[1])
    conn = ladybug.Connection(db)
    conn.execute("CREATE (:Grant {id: 'in-wal', name: 'w', source: 'test', locator: 'x'})")
    os._exit(0)
""")


def graph_of(path: Path) -> str:
    """'old' (the committed WAL write is there), 'new' (the rebuilt graph), else 'neither'."""
    with LadybugStore(path) as store:
        grants = store.run("MATCH (g:Grant) RETURN g.id AS id")
        org = store.run("MATCH (o:Organization) RETURN o.name AS name")
    if grants == [{"id": "in-wal"}] and org == [{"name": "例示NPO法人つながり"}]:
        return "old"
    if grants == [] and org == [{"name": "新しい団体"}]:
        return "new"
    return f"neither: {grants} {org}"


def run(*argv: str) -> int:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *argv], env=env, timeout=120).returncode


@pytest.mark.parametrize("step", range(1, SWAP_STEPS + 1))
def test_a_kill_at_each_swap_step_leaves_old_or_new_never_neither(
    tmp_path: Path, step: int
) -> None:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    writer = tmp_path / "wal_writer.py"
    writer.write_text(WAL_WRITER)
    assert run(str(writer), str(path)) == 0
    assert [p.name for p in sidecars(path)] == ["g.lbug.wal"]  # the commit is only in the WAL
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER)
    assert run(str(killer), str(path), str(step)) == -9
    expected = "old" if step <= 2 else "new"
    assert graph_of(path) == expected
    # and the next build finishes over whatever the kill left
    build_graph(tiny_result(org_name="新しい団体"), path)
    assert graph_of(path) == "new"
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]
