"""Ad hoc Cypher: one statement, read-only unless --write, refused statements never run."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import tiny_result
from tsunagari.cli import main
from tsunagari.config import Config
from tsunagari.errors import QueryError
from tsunagari.graph.build import build_graph
from tsunagari.queries.adhoc import REFUSED, contained, run_adhoc

REFUSED_STATEMENTS = [
    ("COPY", "COPY Municipality TO '{tmp}/out.csv'"),
    ("COPY", "COPY Municipality FROM '{tmp}/in.csv'"),
    ("EXPORT", "EXPORT DATABASE '{tmp}/dump'"),
    ("IMPORT", "IMPORT DATABASE '{tmp}/dump'"),
    ("LOAD", "LOAD FROM '{tmp}/in.csv' RETURN *"),
    ("LOAD", "LOAD EXTENSION httpfs"),
    ("INSTALL", "INSTALL httpfs"),
    ("ATTACH", "ATTACH '{tmp}/other.lbug' AS other"),
    ("DETACH", "DETACH other"),
    ("USE", "USE other"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("BEGIN", "BEGIN TRANSACTION"),
    ("COMMIT", "COMMIT"),
    ("ROLLBACK", "ROLLBACK"),
    ("CALL", "CALL timeout=0"),
    (";", "CHECKPOINT; BEGIN TRANSACTION; MATCH (n) RETURN n"),
    (";", "MATCH (n) RETURN count(n) AS n; MATCH (m) RETURN m"),
]


@pytest.fixture
def built(tmp_path: Path) -> Config:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    return Config(store=str(path))


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.mark.parametrize(("word", "statement"), REFUSED_STATEMENTS)
@pytest.mark.parametrize("write", [False, True])
def test_refused_before_anything_runs(
    built: Config, word: str, statement: str, write: bool
) -> None:
    before = fingerprint(built.store_path)
    cypher = statement.format(tmp=built.store_path.parent)
    with pytest.raises(QueryError) as e:
        run_adhoc(built, cypher, {}, write=write)
    assert (word in str(e.value)) or (word == ";" and "one statement" in str(e.value))
    assert fingerprint(built.store_path) == before


def test_every_refused_keyword_has_a_test() -> None:
    assert set(REFUSED) <= {w for w, _ in REFUSED_STATEMENTS}


def test_keywords_inside_strings_comments_and_property_names_are_fine(built: Config) -> None:
    rows = run_adhoc(
        built,
        "MATCH (m:Municipality) WHERE m.name <> 'COPY; EXPORT' /* LOAD */ "
        "RETURN m.code AS code, 'BEGIN' AS word ORDER BY code // CHECKPOINT;",
        {},
    )
    assert [r["code"] for r in rows] == ["272329", "273813", "313891"]
    assert rows[0]["word"] == "BEGIN"


def test_writes_need_write_and_then_happen(built: Config) -> None:
    statement = "CREATE (:Grant {id: $id, name: $name, source: 'test', locator: 'x'})"
    with pytest.raises(QueryError, match="CREATE changes the graph; add --write"):
        run_adhoc(built, statement, {"id": "g1", "name": "n"})
    with pytest.raises(QueryError, match="DETACH changes the graph"):
        run_adhoc(built, "MATCH (n) DETACH DELETE n", {})
    run_adhoc(built, statement, {"id": "g1", "name": "n"}, write=True)
    rows = run_adhoc(built, "MATCH (g:Grant) RETURN g.id AS id, g.name AS name", {})
    assert rows == [{"id": "g1", "name": "n"}]


def test_parameters_carry_values_literally(built: Config) -> None:
    evil = "x'}) WITH 1 AS d MATCH (n) DETACH DELETE n //"
    rows = run_adhoc(
        built,
        "MATCH (m:Municipality) WHERE m.name = $n OR m.name = $evil RETURN count(m) AS n",
        {"n": "阪南市", "evil": evil},
    )
    assert rows == [{"n": 1}]


def test_a_long_query_stops_at_the_timeout(built: Config) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError, match="stopped after the 1 s timeout"):
        run_adhoc(
            built,
            "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN sum(a * b) AS n",
            {},
            timeout=1,
        )
    assert time.monotonic() - started < 1 + 3 + 2  # limit + start-up grace + slack


def test_a_worker_that_ignores_the_timeout_is_killed() -> None:
    # the engine checks its timeout only between operator steps; the parent does not wait
    started = time.monotonic()
    with pytest.raises(QueryError, match="stopped after the 1 s timeout"):
        contained([sys.executable, "-c", "import time; time.sleep(60)"], {}, timeout=1)
    assert time.monotonic() - started < 1 + 3 + 2


def test_a_native_crash_of_the_worker_is_a_clean_error() -> None:
    crash = [sys.executable, "-c", "import os; os.abort()"]
    with pytest.raises(QueryError, match=r"crashed \(SIGABRT\).*graph is unchanged"):
        contained(crash, {"write": False}, timeout=5)


def test_query_command_json_and_errors(built: Config) -> None:
    runner = CliRunner()
    store = str(built.store_path)
    out = runner.invoke(main, ["--store", store, "query", "--format", "json",
                               "MATCH (m:Municipality) RETURN count(m) AS n"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == [{"n": 3}]
    bad = runner.invoke(
        main, ["--lang", "en", "--store", store, "query", "COPY Municipality TO 'x.csv'"]
    )
    assert bad.exit_code == QueryError.exit_code
    assert bad.output.startswith("error: COPY is not allowed in an ad hoc query")
