"""`tsunagari build --with`: user files load over the bundled data, or nothing is built."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tsunagari.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "directory"


def counts(store: str) -> dict[tuple[str, str], int]:
    out = CliRunner().invoke(main, ["--store", store, "stats", "--format", "json"])
    assert out.exit_code == 0, out.output
    return {(r["kind"], r["name"]): r["count"] for r in json.loads(out.output)}


def test_a_bad_file_builds_nothing_and_keeps_the_old_graph(tmp_path: Path) -> None:
    store = str(tmp_path / "g.lbug")
    runner = CliRunner()
    assert runner.invoke(main, ["--store", store, "build"]).exit_code == 0
    before = Path(store).read_bytes()
    bad = runner.invoke(main, ["--store", store, "build", "--with", str(FIXTURES / "problems")])
    assert bad.exit_code == 2
    assert "nothing was built" in bad.output
    assert "problems/organizations.csv:6: municipality: '府中市' matches 2 places" in bad.output
    assert Path(store).read_bytes() == before


def test_skip_invalid_loads_the_good_rows_and_lists_the_skipped(tmp_path: Path) -> None:
    store = str(tmp_path / "g.lbug")
    runner = CliRunner()
    assert runner.invoke(main, ["--store", store, "build"]).exit_code == 0
    bundled = counts(store)
    out = runner.invoke(
        main,
        ["--lang", "en", "--store", store, "build", "--with", str(FIXTURES / "problems"),
         "--skip-invalid"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    skipped = [line for line in out.output.splitlines() if line.startswith("skipped: ")]
    assert any("organizations.csv:3: kind: unknown organizations kind" in s for s in skipped)
    assert any("[depends-on-invalid]" in s for s in skipped)
    after = counts(store)
    assert after[("node", "Organization")] > bundled[("node", "Organization")]


def test_good_files_add_exactly_their_rows(tmp_path: Path) -> None:
    store = str(tmp_path / "g.lbug")
    runner = CliRunner()
    assert runner.invoke(main, ["--store", store, "build"]).exit_code == 0
    bundled = counts(store)
    out = runner.invoke(main, ["--store", store, "build", "--with", str(FIXTURES / "good")])
    assert out.exit_code == 0, out.output
    after = counts(store)
    org_rows = (FIXTURES / "good" / "organizations.csv").read_text(encoding="utf-8")
    n_orgs = sum(1 for line in org_rows.splitlines() if line and not line.startswith("#")) - 1
    assert after[("node", "Organization")] - bundled[("node", "Organization")] == n_orgs
    assert after[("node", "Municipality")] == bundled[("node", "Municipality")]
