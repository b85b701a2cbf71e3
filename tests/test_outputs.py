"""Class 5: every CSV we write is safe in a spreadsheet, JSON is strict, tables are capped;
class 12: an output encoding that cannot show Japanese degrades to escapes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import tiny_result
from tsunagari.cli import main
from tsunagari.cli._common import TABLE_ROWS
from tsunagari.config import Config
from tsunagari.graph.build import build_graph
from tsunagari.report import write_report
from tsunagari.tables import FORMULA_START, to_csv

FORMULAS = ['=HYPERLINK("http://x")', "+81-3-1234", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def strict_json(text: str) -> object:
    def refuse(name: str) -> object:
        raise AssertionError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_formula_cells_are_neutralised_and_numbers_stay_numbers() -> None:
    rows = [{"name": f, "n": -5, "x": 1.5, "code": "-5", "e": "1e3"} for f in FORMULAS]
    rows.append({"name": ["=a", "b"], "n": 0, "x": -0.25, "code": "+7", "e": "-.5"})
    text = to_csv(rows, ["name", "n", "x", "code", "e"])
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    # a cell's line break is written as \n (a bare \r would split the row for readers)
    neutral = ["'" + f.replace("\r", "\n") for f in FORMULAS] + ["'=a;b"]
    assert [r["name"] for r in read] == neutral
    assert {r["n"] for r in read} == {"-5", "0"} and read[-1]["x"] == "-0.25"
    assert [r["code"] for r in read] == ["-5"] * 6 + ["+7"]  # numbers in text stay numbers
    assert read[-1]["e"] == "-.5"


@pytest.fixture
def hostile_store(tmp_path: Path) -> Path:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(org_name="=cmd|' /C calc'!A0"), path)
    return path


def test_query_csv_neutralises_formulas(hostile_store: Path) -> None:
    statement = "MATCH (o:Organization) RETURN o.name AS name, -5 AS n, '@x' AS at, '-1' AS num"
    out = CliRunner().invoke(
        main, ["--store", str(hostile_store), "query", "--format", "csv", statement]
    )
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == ["name,n,at,num", "'=cmd|' /C calc'!A0,-5,'@x,-1"]


def test_every_report_csv_is_neutralised(hostile_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_report(Config(store=str(hostile_store)), out)
    seen = 0
    for path in sorted((out / "csv").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    seen += cell.startswith("'=cmd")
                    if cell.startswith(FORMULA_START):
                        float(cell)  # only a number may start with + or -
    assert seen >= 1  # the organisation's name is in the report's tables, neutralised


def test_json_is_strict(hostile_store: Path) -> None:
    statement = "RETURN 0.0/0.0 AS nan, 1.0/0.0 AS inf, -1.0/0.0 AS minf, [1.0/0.0, 2.5] AS l"
    out = CliRunner().invoke(
        main, ["--store", str(hostile_store), "query", "--format", "json", statement]
    )
    assert out.exit_code == 0, out.output
    assert strict_json(out.output) == [{"nan": None, "inf": None, "minf": None, "l": [None, 2.5]}]


def test_tables_are_capped_and_csv_json_are_whole(hostile_store: Path) -> None:
    n = TABLE_ROWS + 1500
    statement = f"UNWIND range(1, {n}) AS i RETURN i"
    base = ["--store", str(hostile_store), "query", statement]
    table = CliRunner().invoke(main, base)
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[-1] == "1,500 more rows not shown; use --format csv or json for all"
    shown = [int(x.replace(",", "")) for x in lines if re.fullmatch(r"\s*[\d,]+\s*", x)]
    assert shown == list(range(1, TABLE_ROWS + 1))  # the first TABLE_ROWS rows, no more
    as_csv = CliRunner().invoke(main, [*base, "--format", "csv"])
    assert len(as_csv.output.splitlines()) == n + 1
    as_json = CliRunner().invoke(main, [*base, "--format", "json"])
    assert len(json.loads(as_json.output)) == n


CLI = [sys.executable, "-c", "from tsunagari.cli import main; main()"]


@pytest.mark.parametrize(
    "args",
    [
        ["query", "MATCH (m:Municipality) RETURN m.name AS name ORDER BY name"],
        ["query", "--format", "csv", "MATCH (m:Municipality) RETURN m.name AS name"],
        ["query", "--format", "json", "MATCH (m:Municipality) RETURN m.name AS name"],
        ["stats"],
        ["gaps", "--top", "3"],
        ["--lang", "ja", "hubs"],
    ],
)
def test_an_ascii_terminal_gets_escapes_not_a_crash(hostile_store: Path, args: list[str]) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [*CLI, "--store", str(hostile_store), *args],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    if args[0] == "query":  # what we print ourselves is escaped
        done.stdout.decode("ascii")
        assert b"\\u962a\\u5357\\u5e02" in done.stdout  # 阪南市
    else:  # click's own echo writes UTF-8 where the terminal claims ASCII: no crash either
        done.stdout.decode("utf-8")


def test_an_ascii_terminal_gets_errors_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    missing = tmp_path / "無い.lbug"
    done = subprocess.run(
        [*CLI, "--store", str(missing), "stats"], capture_output=True, env=env, timeout=120
    )
    assert done.returncode == 6
    assert done.stderr.decode("utf-8").count("\n") == 1  # click writes UTF-8 (its own choice)
    assert "run `tsunagari build` first" in done.stderr.decode("utf-8")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
