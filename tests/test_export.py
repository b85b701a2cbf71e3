"""Export for Neo4j without a server: admin-import CSV, a Cypher script, GraphML."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from tests.conftest import INJECTION, tiny_result
from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.export import ADMIN_TYPES, result_from_store, write_admin_import
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.model import EDGES, NODES

NASTY = 'NPO "つなぐ", 改行\nあり <script>alert(1)</script>; ' + INJECTION


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(org_name=NASTY), path)
    return path


def test_reading_the_store_back_gives_the_records(store: Path) -> None:
    with LadybugStore(store) as s:
        back = result_from_store(s)
    original = tiny_result(org_name=NASTY)
    assert {(n.label, n.key) for n in back.nodes} == {(n.label, n.key) for n in original.nodes} | {
        ("Source", "test")
    }
    org = next(n for n in back.nodes if n.label == "Organization")
    assert org.props["name"] == NASTY and org.props["services"] == ["consultation", "ibasho"]
    assert sorted((e.type, e.src, e.dst) for e in back.edges) == sorted(
        (e.type, e.src, e.dst) for e in original.edges
    )


def test_admin_import_headers_ids_and_every_row(store: Path, tmp_path: Path) -> None:
    with LadybugStore(store) as s:
        result = result_from_store(s)
    files = write_admin_import(result, tmp_path / "adm")
    ids: dict[str, set[str]] = {}
    node_rows = edge_rows = 0
    for f in sorted(files, key=lambda p: not p.name.startswith("nodes_")):
        if f.suffix != ".csv":
            continue
        with f.open(encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        typed = header[2:-1] if f.name.startswith("edges_") else header[1:-1]
        assert all(re.fullmatch(r"\w+:(" + "|".join(map(re.escape, ADMIN_TYPES.values())) + ")", h)
                   for h in typed), header  # fmt: skip
        if f.name.startswith("nodes_"):
            label = re.fullmatch(r"\w+:ID\((\w+)\)", header[0]).group(1)  # type: ignore[union-attr]
            assert header[-1] == ":LABEL" and label in NODES
            assert all(r[-1] == label for r in rows)
            ids[label] = {r[0] for r in rows}
            node_rows += len(rows)
        else:
            a = re.fullmatch(r":START_ID\((\w+)\)", header[0]).group(1)  # type: ignore[union-attr]
            b = re.fullmatch(r":END_ID\((\w+)\)", header[1]).group(1)  # type: ignore[union-attr]
            assert header[-1] == ":TYPE" and rows[0][-1] in EDGES
            assert all(r[0] in ids[a] and r[1] in ids[b] for r in rows)  # ids consistent
            edge_rows += len(rows)
    assert node_rows == len(result.nodes) and edge_rows == len(result.edges)
    org = (tmp_path / "adm" / "nodes_Organization.csv").read_text(encoding="utf-8")
    assert "consultation;ibasho" in org
    with (tmp_path / "adm" / "nodes_Organization.csv").open(encoding="utf-8", newline="") as fh:
        assert next(iter(csv.DictReader(fh)))["name:string"] == NASTY  # quoted, newline kept
    command = (tmp_path / "adm" / "import.sh").read_text(encoding="utf-8")
    assert command.startswith("neo4j-admin database import full neo4j")
    assert "--nodes=nodes_Organization.csv" in command
    assert "--relationships=edges_LOCATED_IN_Organization_Municipality.csv" in command


def test_graphml_round_trip_and_cypher_script(store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    graphml, script = tmp_path / "g.graphml", tmp_path / "g.cypher"
    out = runner.invoke(
        main, ["--store", str(store), "export", "--graphml", str(graphml), "--cypher", str(script)]
    )
    assert out.exit_code == 0, out.output
    g = nx.read_graphml(graphml)
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 5  # 6 records + the Source
    assert g.nodes["Organization:org-1"]["name"] == NASTY
    text = script.read_text(encoding="utf-8")
    assert text.count(":param rows => ") == 7  # one batch per label and edge type present
    assert "MERGE (n:Organization {id: row.key})" in text
    # the name travels as a JSON-escaped literal inside the parameter, never as Cypher text
    assert '"NPO \\"つなぐ\\", 改行\\nあり <script>alert(1)</script>; ' in text


def test_export_needs_a_target(store: Path) -> None:
    out = CliRunner().invoke(main, ["--store", str(store), "export"])
    assert out.exit_code == 2 and "--neo4j-import DIR" in out.output
