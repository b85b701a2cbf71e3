"""The LadybugDB store: parameters only, read-only mode, timeouts, handle guards."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import INJECTION, tiny_result
from tsunagari.errors import NotBuiltError, QueryError, StoreError
from tsunagari.graph.build import build_graph
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.loaders.master import load_master


@pytest.fixture
def built(tmp_path: Path) -> Path:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    return path


def test_second_read_write_handle_in_one_process_is_refused(built: Path) -> None:
    with LadybugStore(built, read_only=False), pytest.raises(StoreError, match="already open"):
        LadybugStore(built, read_only=False)


def test_closing_releases_the_file_for_the_next_writer(built: Path) -> None:
    first = LadybugStore(built, read_only=False)
    first.close()
    with LadybugStore(built, read_only=False) as second:
        assert second.run("MATCH (m:Municipality) RETURN count(m) AS n") == [{"n": 3}]


def test_several_read_only_handles_are_fine(built: Path) -> None:
    with LadybugStore(built) as a, LadybugStore(built) as b:
        assert a.run("RETURN 1 AS x") == b.run("RETURN 1 AS x") == [{"x": 1}]


def test_read_only_store_refuses_writes(built: Path) -> None:
    with LadybugStore(built) as store, pytest.raises(QueryError, match="read-only"):
        store.run("CREATE (:Grant {id: 'g', name: 'x'})")


def test_missing_store_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(NotBuiltError, match="tsunagari build"):
        LadybugStore(tmp_path / "nothing.lbug")


def test_timeout_stops_a_long_query(tmp_path: Path) -> None:
    # The engine checks its timeout between operator steps: a variable-length match does,
    # a single huge UNWIND does not (the ad hoc query command adds a hard limit for that).
    path = tmp_path / "master.lbug"
    build_graph(load_master(), path)
    started = time.monotonic()
    with LadybugStore(path) as store, pytest.raises(QueryError, match="timeout"):
        store.run(
            "MATCH (a:Municipality)-[:IN_PREFECTURE*1..12]-(b) RETURN count(*) AS n", timeout=0.3
        )
    assert time.monotonic() - started < 10


def test_injection_text_is_a_value_not_code(built: Path) -> None:
    with LadybugStore(built, read_only=False) as store:
        before = store.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
        store.write_batch(
            "UNWIND $rows AS row CREATE (:Grant {id: row.id, name: row.name})",
            [{"id": "g1", "name": INJECTION}],
        )
        rows = store.run("MATCH (g:Grant) WHERE g.name = $n RETURN g.id AS id", {"n": INJECTION})
        assert rows == [{"id": "g1"}]
        assert store.run("MATCH (n) RETURN count(n) AS n")[0]["n"] == before + 1


def test_transaction_rolls_back_on_error(built: Path) -> None:
    with LadybugStore(built, read_only=False) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.run("CREATE (:Grant {id: 'g2', name: 'x'})")
            raise RuntimeError("boom")
        assert store.run("MATCH (g:Grant) RETURN count(g) AS n") == [{"n": 0}]
        with store.transaction():
            store.run("CREATE (:Grant {id: 'g3', name: 'x'})")
        assert store.run("MATCH (g:Grant) RETURN count(g) AS n") == [{"n": 1}]
