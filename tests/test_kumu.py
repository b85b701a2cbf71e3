"""Kumu blueprint export: the network view's scope, node for node and tie for tie."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.queries.places import find_place
from tsunagari.report import network_data


def test_osaka_blueprint_matches_the_network_view(bundled_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "--store",
            str(bundled_store),
            "export",
            "--kumu",
            str(tmp_path / "osaka.json"),
            "--prefecture",
            "大阪府",
        ],
    )
    assert out.exit_code == 0, out.output
    view = runner.invoke(
        main,
        [
            "--lang",
            "en",
            "--store",
            str(bundled_store),
            "network",
            "--prefecture",
            "大阪府",
            "--out",
            str(tmp_path / "osaka.html"),
        ],
    )
    assert view.exit_code == 0, view.output
    found = re.search(r"(\d+) nodes, (\d+) ties", view.output)
    assert found is not None
    blueprint = json.loads((tmp_path / "osaka.json").read_text(encoding="utf-8"))
    elements, connections = blueprint["elements"], blueprint["connections"]
    assert (len(elements), len(connections)) == (int(found[1]), int(found[2]))
    assert out.output == (
        f"{tmp_path / 'osaka.json'} を書き出し（Kumu）: 要素 {len(elements)}、"
        f"つながり {len(connections)}\n"
    )
    with LadybugStore(bundled_store, read_only=True) as store:
        data = network_data(store, prefecture=find_place(store, "大阪府", want="Prefecture"))
    G = data.graph
    assert {e["id"] for e in elements} == set(G.nodes)
    assert Counter((c["from"], c["to"], c["edge type"]) for c in connections) == Counter(
        (u, v, d["type"]) for u, v, d in G.edges(data=True)
    )
    ids = [x["id"] for x in [*elements, *connections]]
    assert len(ids) == len(set(ids))  # Kumu: ids unique across elements and connections
    hannan = next(e for e in elements if e["id"] == "Municipality:272329")
    assert (hannan["label"], hannan["type"], hannan["ID"]) == ("阪南市", "市区町村", "272329")
    assert hannan["description"].startswith("出典: 全国地方公共団体コード")
    partners = [c for c in connections if c["edge type"] == "PARTNERS_WITH"]
    assert partners and {c["direction"] for c in partners} == {"mutual"}
    assert all(c["description"].startswith("出典: ") for c in connections)


def test_kumu_needs_its_own_option_for_a_scope(bundled_store: Path) -> None:
    out = CliRunner().invoke(
        main, ["--store", str(bundled_store), "export", "--prefecture", "大阪府"]
    )
    assert out.exit_code == 2
    assert "say what to write" in out.output
    out = CliRunner().invoke(
        main, ["--store", str(bundled_store), "export", "--hsds", "x", "--prefecture", "大阪府"]
    )
    assert out.exit_code == 2
    assert "--prefecture and --municipality choose the scope of --kumu" in out.output


def test_a_town_in_english_matches_its_view(bundled_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(bundled_store), "--lang", "en"]
    out = runner.invoke(
        main, [*store, "export", "--kumu", str(tmp_path / "t.json"), "--municipality", "阪南市"]
    )
    assert out.exit_code == 0, out.output
    view = runner.invoke(
        main, [*store, "network", "--municipality", "阪南市", "--out", str(tmp_path / "t.html")]
    )
    blueprint = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    counts = (len(blueprint["elements"]), len(blueprint["connections"]))
    assert view.output.endswith(f": {counts[0]} nodes, {counts[1]} ties\n")
    hannan = next(e for e in blueprint["elements"] if e["id"] == "Municipality:272329")
    assert (hannan["type"], hannan["key"]) == ("municipality", "272329")
    assert hannan["description"].startswith("source: ")
