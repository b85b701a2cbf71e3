"""Ad hoc Cypher: one statement, read-only unless --write, refused statements never run."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import dump, tiny_result
from tsunagari.cli import main
from tsunagari.config import Config
from tsunagari.errors import QueryError
from tsunagari.graph.build import build_graph
from tsunagari.queries._adhoc_worker import answer
from tsunagari.queries.adhoc import contained, run_adhoc

# Statements from the engine's grammar that read or write files, reach the network, change
# extensions, settings or the schema, or manage transactions: none runs, with or without --write.
REFUSED_STATEMENTS = [
    "UNINSTALL httpfs",
    "INSTALL httpfs",
    "INSTALL httpfs FROM 'http://127.0.0.1:9/'",
    "UPDATE httpfs",
    "LOAD EXTENSION httpfs",
    "LOAD httpfs",
    "LOAD EXTENSION '{tmp}/lib.lbug_extension'",
    "COPY (MATCH (m:Municipality) RETURN m.name) TO '{tmp}/out.csv'",
    "COPY Municipality FROM '{tmp}/in.csv'",
    "LOAD FROM '{tmp}/in.csv' RETURN *",
    "LOAD WITH HEADERS (a STRING) FROM '{tmp}/in.csv' RETURN *",
    "EXPORT DATABASE '{tmp}/dump'",
    "IMPORT DATABASE '{tmp}/dump'",
    "ATTACH '{tmp}/other.lbug' AS other (dbtype lbug)",
    "DETACH other",
    "USE other",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "BEGIN TRANSACTION READ ONLY",
    "COMMIT",
    "ROLLBACK",
    "CALL timeout=0",
    "CALL `timeout`=1",
    "CALL threads=1",
    "CALL home_directory='{tmp}'",
    "CALL clear_warnings()",
    "CALL show_warnings() RETURN *",
    "CALL create_fts_index('Organization', 'i', ['name'])",
    "CREATE NODE TABLE T(id STRING, PRIMARY KEY(id))",
    "DROP TABLE Grant",
    "ALTER TABLE Grant ADD extra STRING",
    "COMMENT ON TABLE Grant IS 'x'",
    "CREATE MACRO m(x) AS x + 1",
    "CREATE SEQUENCE s",
    "CREATE TYPE t AS INT64",
    "CHECKPOINT; BEGIN TRANSACTION; MATCH (n) RETURN n",
    "MATCH (m:Municipality) RETURN count(m) AS n; UNINSTALL httpfs",
    "MATCH (m) RETURN m // ;\n; INSTALL httpfs",
]


@pytest.fixture
def built(tmp_path: Path) -> Config:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    return Config(store=str(path))


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A $HOME of the test's own, with an engine extension folder and an unrelated file in it:
    no test may touch the real one."""
    home = tmp_path / "home"
    ext = home / ".lbug" / "extension" / "0.22.0" / "linux_amd64" / "httpfs"
    ext.mkdir(parents=True)
    (ext / "libhttpfs.lbug_extension").write_bytes(b"keep")
    (home / ".lbug" / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    return home


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"/"
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("write", [False, True])
def test_refused_before_anything_runs(built: Config, home: Path, write: bool) -> None:
    """Every statement through the worker's own code, in this process and so with the
    test's $HOME (the worker process would also hide it): nothing runs, nothing changes."""
    folder = built.store_path.parent
    (folder / "in.csv").write_text("a\n1\n")
    before, graph, files = fingerprint(built.store_path), dump(built.store_path), tree(home)
    around = tree(folder)
    refused = 0
    for statement in REFUSED_STATEMENTS:
        cypher = statement.format(tmp=folder)
        request = {"path": str(built.store_path), "cypher": cypher, "params": {}}
        got = answer({**request, "timeout": 10, "write": write})
        assert "error" in got and "\n" not in got["error"], (statement, got)
        refused += 1
        assert tree(home) == files, statement  # the extension folder and the file beside it
        assert tree(folder).keys() == around.keys(), statement  # nothing written or removed
    assert refused == len(REFUSED_STATEMENTS) == 38
    assert dump(built.store_path) == graph
    if not write:  # opened read-write, the engine rewrites its file header: the graph is equal
        assert fingerprint(built.store_path) == before


@pytest.mark.parametrize(
    "statement", ["UNINSTALL httpfs", "UPDATE httpfs", "CALL `timeout`=1", "INSTALL httpfs"]
)
def test_refused_through_the_worker_process(built: Config, home: Path, statement: str) -> None:
    files = tree(home)
    with pytest.raises(QueryError, match="an ad hoc query never runs"):
        run_adhoc(built, statement, {}, write=True)
    assert tree(home) == files


def test_what_is_refused_is_named(built: Config, home: Path) -> None:
    cases = {
        "UNINSTALL httpfs": "plans this statement as UNINSTALL_EXTENSION",
        "UPDATE httpfs": "plans this statement as INSTALL_EXTENSION",
        "CALL `timeout`=1": "plans this statement as STANDALONE_CALL",
        "CHECKPOINT": "plans this statement as TRANSACTION",
        "CALL show_warnings() RETURN *": "calls SHOW_WARNINGS",
        "MATCH (m:Municipality) RETURN count(m) AS n; UNINSTALL httpfs": "one statement at a time",
    }
    for statement, message in cases.items():
        with pytest.raises(QueryError, match=re.escape(message)):
            run_adhoc(built, statement, {}, write=True)
    folder = built.store_path.parent
    (folder / "in.csv").write_text("a\n1\n")
    with pytest.raises(QueryError, match="calls READ_CSV"):
        run_adhoc(built, f"LOAD FROM '{folder}/in.csv' RETURN *", {})
    with pytest.raises(QueryError, match=r"changes the schema \(DROP\)"):
        run_adhoc(built, "DROP TABLE Grant", {}, write=True)


def test_the_engine_in_the_worker_has_a_home_of_its_own(built: Config, home: Path) -> None:
    rows = run_adhoc(built, "CALL current_setting('home_directory') RETURN *", {})
    assert rows[0]["home_directory"] != str(home)
    assert "tsunagari-query-" in rows[0]["home_directory"]


def test_keywords_as_names_strings_and_comments_are_fine(built: Config) -> None:
    rows = run_adhoc(
        built,
        "MATCH (set:Municipality) WHERE set.name <> 'COPY; EXPORT; UNINSTALL httpfs' /* LOAD */ "
        "RETURN set.code AS `create`, 'BEGIN' AS word, {copy: 1, set: 2, load: 3} AS m "
        "ORDER BY `create` // CHECKPOINT;",
        {},
    )
    assert [r["create"] for r in rows] == ["272329", "273813", "313891"]
    assert rows[0]["word"] == "BEGIN" and rows[0]["m"] == {"copy": 1, "set": 2, "load": 3}
    assert run_adhoc(built, "MATCH (delete:Organization) RETURN delete.name AS n", {}) == [
        {"n": "例示NPO法人つながり"}
    ]
    catalogue = run_adhoc(built, "CALL show_tables() RETURN name ORDER BY name LIMIT 1", {})
    assert catalogue == [{"name": "Build"}]


def test_a_missing_parameter_is_an_error(built: Config) -> None:
    with pytest.raises(QueryError, match=r"^\$n has no value: pass it with -p n VALUE$"):
        run_adhoc(built, "MATCH (m:Municipality) WHERE m.name = $n RETURN m.code", {})
    with pytest.raises(QueryError, match=r"\$x has no value"):
        run_adhoc(built, "RETURN $x AS x", {"y": 1})


def test_a_deep_parameter_is_refused_before_anything_runs(built: Config) -> None:
    deep: object = 1
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(QueryError, match="nested deeper than 32 levels"):
        run_adhoc(built, "RETURN $d AS d", {"d": deep})


def test_writes_need_write_and_then_happen(built: Config) -> None:
    statement = "CREATE (:Grant {id: $id, name: $name, source: 'test', locator: 'x'})"
    reads_only = [
        statement,
        "MATCH (n) DETACH DELETE n",
        "MERGE (:Grant {id: 'g2'})",
        "MATCH (o:Organization) SET o.name = 'x'",
        "MATCH (o:Organization) DELETE o",
    ]
    for text in reads_only:
        with pytest.raises(QueryError, match="changes the graph; add --write if you mean to"):
            run_adhoc(built, text, {"id": "g1", "name": "n"})
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
    bad = runner.invoke(main, ["--lang", "en", "--store", store, "query", "UNINSTALL httpfs"])
    assert bad.exit_code == QueryError.exit_code
    assert bad.output.startswith("error: the engine plans this statement as UNINSTALL_EXTENSION")
