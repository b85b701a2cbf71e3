"""Class 6: every option and environment value is checked where it enters, with one line
naming it; nothing runs on a bad value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import tiny_result
from tsunagari.cli import main
from tsunagari.config import Config
from tsunagari.errors import ConfigError, QueryError
from tsunagari.graph.build import build_graph


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("values") / "g.lbug"
    build_graph(tiny_result(), path)
    return path


ENV_CASES = [
    ("TSUNAGARI_PREVALENCE", "abc", "TSUNAGARI_PREVALENCE='abc' is not a number"),
    ("TSUNAGARI_PREVALENCE", "nan", "TSUNAGARI_PREVALENCE='nan': give a finite number"),
    ("TSUNAGARI_PREVALENCE", "inf", "TSUNAGARI_PREVALENCE='inf': give a finite number"),
    ("TSUNAGARI_PREVALENCE", "-1", "TSUNAGARI_PREVALENCE=-1: give a share above 0 and at most 1"),
    ("TSUNAGARI_PREVALENCE", "0", "TSUNAGARI_PREVALENCE=0: give a share above 0"),
    ("TSUNAGARI_PREVALENCE", "5", "TSUNAGARI_PREVALENCE=5: give a share above 0 and at most 1"),
    ("TSUNAGARI_QUERY_TIMEOUT", "abc", "TSUNAGARI_QUERY_TIMEOUT='abc' is not a number"),
    ("TSUNAGARI_QUERY_TIMEOUT", "nan", "TSUNAGARI_QUERY_TIMEOUT='nan': give a finite number"),
    ("TSUNAGARI_QUERY_TIMEOUT", "0", "TSUNAGARI_QUERY_TIMEOUT=0: give seconds above 0"),
    ("TSUNAGARI_QUERY_TIMEOUT", "-1", "TSUNAGARI_QUERY_TIMEOUT=-1: give seconds above 0"),
    ("TSUNAGARI_QUERY_TIMEOUT", "1e12", "TSUNAGARI_QUERY_TIMEOUT=1e+12: give seconds above 0"),
    ("TSUNAGARI_NEO4J_CONNECTION_TIMEOUT", "x", "TSUNAGARI_NEO4J_CONNECTION_TIMEOUT='x' is not"),
    ("TSUNAGARI_NEO4J_CONNECTION_TIMEOUT", "0", "TSUNAGARI_NEO4J_CONNECTION_TIMEOUT=0: give"),
    ("TSUNAGARI_LANG", "xx", "TSUNAGARI_LANG='xx': use one of ja, en"),
    ("TSUNAGARI_LANG", "", "TSUNAGARI_LANG='': use one of ja, en"),
    ("TSUNAGARI_STORE", " ", "TSUNAGARI_STORE is empty"),
]


@pytest.mark.parametrize(("name", "value", "message"), ENV_CASES)
def test_a_bad_environment_value_is_one_line(
    store: Path, name: str, value: str, message: str
) -> None:
    env = {"TSUNAGARI_STORE": str(store), name: value}
    out = CliRunner().invoke(main, ["stats"], env=env)
    assert out.exit_code == ConfigError.exit_code, out.output
    # a language we do not have cannot be the language of its own message: Japanese, the default
    prefix = "エラー" if name == "TSUNAGARI_LANG" else "error"
    assert out.output.startswith(f"{prefix}: {message}")
    assert out.output.count("\n") == 1


OPTION_CASES = [
    (["query", "--timeout", "nan", "RETURN 1"], "'nan' is not a finite number"),
    (["query", "--timeout", "inf", "RETURN 1"], "inf"),
    (["query", "--timeout", "-inf", "RETURN 1"], "-inf"),
    (["query", "--timeout", "1e12", "RETURN 1"], "1000000000000.0 is not in the range 0<x<=86400"),
    (["query", "--timeout", "-1", "RETURN 1"], "-1"),
    (["query", "--timeout", "0", "RETURN 1"], "0"),
    (["query", "--timeout", "abc", "RETURN 1"], "abc"),
    (["access", "--catchment", "nan"], "'nan' is not a finite number"),
    (["access", "--catchment", "inf"], "inf"),
    (["access", "--catchment", "-1"], "-1"),
    (["access", "--catchment", "0"], "0"),
    (["access", "--catchment", "1e9"], "1000000000.0 is not in the range 0<x<=3000"),
    (["gaps", "--prevalence", "nan"], "'nan' is not a finite number"),
    (["gaps", "--prevalence", "2"], "2"),
    (["gaps", "--prevalence", "0"], "0"),
    (["gaps", "--prevalence", "-0.1"], "-0.1"),
    (["--lang", "xx", "stats"], "xx"),
]


@pytest.mark.parametrize(("args", "value"), OPTION_CASES)
def test_a_bad_option_value_names_it(store: Path, args: list[str], value: str) -> None:
    out = CliRunner().invoke(main, ["--store", str(store), *args])
    assert out.exit_code == 2, out.output
    errors = [line for line in out.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Invalid value" in errors[0] and value in errors[0]
    assert not isinstance(out.exception, Exception) or isinstance(out.exception, SystemExit)


def test_good_values_still_pass(store: Path) -> None:
    config = Config.from_env({"TSUNAGARI_PREVALENCE": "0.05", "TSUNAGARI_QUERY_TIMEOUT": "2.5"})
    assert (config.prevalence, config.query_timeout) == (0.05, 2.5)
    out = CliRunner().invoke(main, ["--store", str(store), "query", "--timeout", "7.5",
                                    "--format", "json", "RETURN 1 AS x"])  # fmt: skip
    assert out.exit_code == 0 and json.loads(out.output) == [{"x": 1}]


@pytest.mark.parametrize("depth", [33, 5000])
def test_a_deep_json_parameter_is_one_line(store: Path, depth: int) -> None:
    value = "[" * depth + "1" + "]" * depth
    out = CliRunner().invoke(
        main, ["--store", str(store), "query", "-p", "d", value, "RETURN $d AS d"]
    )
    assert out.exit_code == QueryError.exit_code, out.output
    assert out.output.startswith("error: parameter $d is nested")
    assert out.output.count("\n") == 1


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
