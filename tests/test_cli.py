"""The command line: every command explains itself with an example; build/stats/query work."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tsunagari.cli import COMMAND_MODULES, main


def all_commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None, name
            found.append((*prefix, name))
            if isinstance(cmd, click.Group):
                walk(cmd, (*prefix, name))

    walk(main, ())
    return found


def test_every_command_module_lists_its_commands() -> None:
    """COMMAND_MODULES names every command of every public module of tsunagari.cli, and
    only those: a command added to a module's COMMANDS and not there would not be found."""
    import importlib
    import pkgutil

    import tsunagari.cli

    found = {}
    for info in pkgutil.iter_modules(tsunagari.cli.__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"tsunagari.cli.{info.name}")
            found.update({c.name: info.name for c in module.COMMANDS})
    assert found == COMMAND_MODULES


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, ["--lang", "en", *command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_build_stats_query_round_trip(tmp_path: Path) -> None:
    store = str(tmp_path / "g.lbug")
    runner = CliRunner()
    built = runner.invoke(main, ["--lang", "en", "--store", store, "build"])
    assert built.exit_code == 0, built.output
    assert built.output.startswith(f"built {Path(store).resolve()}: ")
    stats = runner.invoke(main, ["--store", store, "stats", "--format", "json"])
    rows = {(r["kind"], r["name"]): r["count"] for r in json.loads(stats.output)}
    assert rows[("node", "Prefecture")] == 47
    assert rows[("edge", "WARD_OF")] == 175
    query = runner.invoke(
        main,
        [
            "--store",
            store,
            "query",
            "--format",
            "csv",
            "MATCH (m:Municipality) WHERE m.name = $n RETURN m.code AS code, m.population AS pop",
            "-p",
            "n",
            "阪南市",
        ],
    )
    assert query.output == "code,pop\n272329,51262\n"


def test_errors_are_one_clean_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--lang", "en", "--store", str(tmp_path / "none.lbug"), "stats"]
    )
    assert result.exit_code == 6
    assert result.output.strip().startswith("error: no graph at ")
    assert "Traceback" not in result.output


def test_an_unknown_command_names_the_close_ones() -> None:
    result = CliRunner().invoke(main, ["--lang", "en", "gapz"])
    assert result.exit_code == 2
    assert "No such command 'gapz'. Did you mean 'gaps'?" in result.output
