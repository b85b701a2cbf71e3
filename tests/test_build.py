"""The build: validated first, all or nothing, identical when repeated, one builder at a time."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import INJECTION, dump, tiny_result
from tsunagari.errors import InputError, StoreBusyError
from tsunagari.graph.build import build_graph, build_lock
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.records import Edge, Node


def test_build_twice_gives_an_identical_dump(tmp_path: Path) -> None:
    a, b = tmp_path / "a.lbug", tmp_path / "b.lbug"
    build_graph(tiny_result(), a)
    build_graph(tiny_result(), b)
    assert dump(a) == dump(b)
    build_graph(tiny_result(), a)  # rebuilding in place too
    assert dump(a) == dump(b)


def test_changed_input_changes_that_and_nothing_else(tmp_path: Path) -> None:
    a, b = tmp_path / "a.lbug", tmp_path / "b.lbug"
    build_graph(tiny_result(), a)
    build_graph(tiny_result(org_name="例示NPO法人つながり（改）"), b)
    old, new = set(dump(a)), set(dump(b))
    changed = sorted(old ^ new)
    kinds = sorted({json.loads(line)[1] for line in changed})
    assert kinds == ["Organization"]
    org_lines = [json.loads(x)[2]["name"] for x in changed if json.loads(x)[1] == "Organization"]
    assert sorted(org_lines) == ["例示NPO法人つながり", "例示NPO法人つながり（改）"]


def test_invalid_input_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    before = dump(path)
    bad = tiny_result()
    bad.edges.append(
        Edge(
            "COVERS",
            ("Organization", "org-1"),
            ("Municipality", "999999"),
            {"source": "test", "locator": "row 9"},
        )
    )
    bad.edges.append(
        Edge(
            "RUNS",
            ("Organization", "org-1"),
            ("Municipality", "272329"),
            {"source": "test", "locator": "row 10"},
        )
    )
    bad.nodes.append(Node("Organization", "org-2", {"name": "x", "source": "nowhere"}))
    with pytest.raises(InputError) as err:
        build_graph(bad, path)
    text = str(err.value)
    assert "3 problem(s)" in text
    assert "[missing-endpoint]" in text and "[bad-endpoints]" in text
    assert "[unknown-source]" in text
    assert dump(path) == before


def test_injection_string_in_a_name_is_stored_literally(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    build_graph(tiny_result(org_name=INJECTION), path)
    with LadybugStore(path) as store:
        assert store.run("MATCH (o:Organization) RETURN o.name AS n") == [{"n": INJECTION}]
        assert store.run("MATCH (n) RETURN count(n) AS n") == [{"n": 6 + 2}]  # + Source, Build


def test_build_record_names_each_source_with_its_row_count(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    report = build_graph(tiny_result(), path)
    assert report.sources == {"test": 11}
    with LadybugStore(path) as store:
        (b,) = store.run("MATCH (b:Build) RETURN b.inputs_sha256 AS h, b.built_at AS t")
    assert b["h"] == report.inputs_sha256 and len(b["h"]) == 64


def test_a_second_builder_gets_database_busy(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from tsunagari.graph.build import build_lock
            with build_lock(Path({str(path)!r})):
                print("locked", flush=True)
                time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusyError, match=rf"database busy \(pid {holder.pid}\)"):
            build_graph(tiny_result(), path)
        # reading the current graph goes on while a build holds the lock
        assert len(dump(path)) > 0
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    with build_lock(path):  # released when its holder died
        pass


BUILDER = textwrap.dedent("""
    import sys
    from tsunagari.graph.build import build_graph
    from tsunagari.loaders.master import load_master
    def say(step, done, total):
        print(step, done, total, flush=True)
    result = load_master()
    if sys.argv[2] == "new":
        for n in result.nodes[:50]:
            n.props["name"] = n.props["name"] + "（新）"
    build_graph(result, sys.argv[1], progress=say)
    print("finished", flush=True)
""")


@pytest.mark.slow
def test_kill_at_any_point_leaves_the_old_graph_or_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    script = tmp_path / "builder.py"
    script.write_text(BUILDER)

    def run(kind: str, *, quiet: bool = False) -> subprocess.Popen[str]:
        out = subprocess.DEVNULL if quiet else subprocess.PIPE
        return subprocess.Popen(
            [sys.executable, str(script), str(path), kind], stdout=out, text=True
        )

    steps = run("new").communicate()[0].splitlines()  # the progress lines of a whole build
    assert steps[-1] == "finished" and "swap 2 4" in steps
    new = dump(path)
    assert run("old", quiet=True).wait() == 0
    old = dump(path)
    assert old != new
    rng = random.Random(7)
    points = list(range(len(steps))) + [rng.randrange(len(steps)) for _ in range(6)]
    assert len(points) >= 20
    seen = set()
    for point in points:
        proc = run("new")
        assert proc.stdout is not None
        for _ in range(point):  # kill just after the point-th progress line, plus a little
            proc.stdout.readline()
        time.sleep(rng.random() * 0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        now = dump(path)
        assert now in (old, new), f"a mixed graph after a kill at progress line {point}"
        seen.add(now == new)
        assert run("old", quiet=True).wait() == 0  # start the next round from the old graph
    assert seen == {False, True}  # kills landed both before and after the swap
    leftovers = [p.name for p in tmp_path.iterdir() if ".building-" in p.name]
    assert len(leftovers) <= 1  # at most the last killed build's; the next build removes it
