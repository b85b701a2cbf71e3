"""Input handed over as columns: checked as records are, problems named at their row's
locator, and the same graph as the same rows given as records."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import dump, tiny_result
from tests.test_validate import as_columns
from tsunagari.errors import InputError
from tsunagari.graph.build import build_graph
from tsunagari.graph.validate import check, filled
from tsunagari.records import EdgeColumns, LoadResult, NodeColumns, SourceInfo


def _orgs(keys: list[str], *, source: str = "test") -> NodeColumns:
    n = len(keys)
    return NodeColumns(
        "Organization",
        keys,
        {
            "name": [f"団体{k}" for k in keys],
            "source": [source] * n,
            "locator": [f"orgs.csv:{i + 2}" for i in range(n)],
        },
    )


def _covers(src: list[str], dst: list[str], **props: list[object]) -> EdgeColumns:
    n = len(src)
    base: dict[str, list[object]] = {
        "source": ["test"] * n,
        "locator": [f"covers.csv:{i + 2}" for i in range(n)],
        "scope": ["local"] * n,
    }
    return EdgeColumns("COVERS", ("Organization", "Municipality"), src, dst, base | props)


def _with(*parts: NodeColumns | EdgeColumns) -> LoadResult:
    r = tiny_result()
    for part in parts:
        if isinstance(part, NodeColumns):
            r.node_columns.append(part)
        else:
            r.edge_columns.append(part)
    return r


def _problems(r: LoadResult) -> list[str]:
    with pytest.raises(InputError) as err:
        check(r)
    return str(err.value).splitlines()[1:]


def test_columns_build_the_same_graph_as_records(tmp_path: Path) -> None:
    as_records, as_cols = tmp_path / "records.lbug", tmp_path / "columns.lbug"
    records = build_graph(tiny_result(), as_records)
    columns = build_graph(as_columns(tiny_result()), as_cols)
    assert dump(as_cols) == dump(as_records)
    assert (columns.nodes, columns.edges, columns.sources, columns.inputs_sha256) == (
        records.nodes,
        records.edges,
        records.sources,
        records.inputs_sha256,
    )


def test_checked_columns_give_the_same_records_back() -> None:
    """What the Neo4j push sends: the facts of the input, whether it came as records or not."""
    r = tiny_result()
    nodes, edges = check(as_columns(tiny_result())).records()
    assert sorted((n.label, n.key, repr(sorted(filled(n.props).items()))) for n in nodes) == sorted(
        (n.label, n.key, repr(sorted(filled(n.props).items()))) for n in r.nodes
    )
    assert sorted(
        (e.type, e.src, e.dst, repr(sorted(filled(e.props).items()))) for e in edges
    ) == sorted((e.type, e.src, e.dst, repr(sorted(filled(e.props).items()))) for e in r.edges)


def test_records_and_columns_of_one_label_are_one_table() -> None:
    checked = check(_with(_orgs(["o2", "o3"]), _covers(["o3", "org-1"], ["273813", "313891"])))
    orgs = checked.nodes["Organization"]
    assert orgs.columns["id"] == ["org-1", "o2", "o3"]  # the records first, then the columns
    assert orgs.columns["kind"] == ["npo", None, None]  # a column no table gives is nulls
    covers = checked.edges["COVERS", "Organization", "Municipality"]
    assert covers.columns["from"] == ["org-1", "o3", "org-1"]
    assert covers.columns["services"] == [["ibasho"], None, None]
    assert checked.rows_per_source == {"test": 11 + 4}


def test_a_dangling_edge_in_columns_is_named_at_its_row() -> None:
    r = _with(_orgs(["o2"]), _covers(["o2", "o2", "o9"], ["273813", "999999", "313891"]))
    assert _problems(r) == [
        "covers.csv:3: COVERS: no Municipality with key '999999' [missing-endpoint]",
        "covers.csv:4: COVERS: no Organization with key 'o9' [missing-endpoint]",
    ]


def test_a_duplicate_edge_in_columns_is_kept_once_or_named_if_it_differs() -> None:
    same = _covers(["o2", "o2"], ["273813", "273813"], locator=["covers.csv:2"] * 2)
    checked = check(_with(_orgs(["o2"]), same))
    assert checked.edges["COVERS", "Organization", "Municipality"].columns["from"] == [
        "org-1",
        "o2",
    ]
    differs = _covers(
        ["o2", "o2"], ["273813", "273813"], locator=["covers.csv:2"] * 2, scope=["local", "wide"]
    )
    assert _problems(_with(_orgs(["o2"]), differs)) == [
        "covers.csv:2: COVERS o2->273813 is stated twice at the same place with different "
        "properties [conflicting-edge]"
    ]


def test_a_duplicate_key_across_records_and_columns_is_caught() -> None:
    assert _problems(_with(_orgs(["o2", "org-1"]))) == [
        "orgs.csv:3: Organization org-1 is defined twice with different properties "
        "(also at conftest) [conflicting-node]"
    ]


def test_an_unknown_column_or_source_is_named_at_each_row() -> None:
    orgs = _orgs(["o2", "o3"])
    orgs.props["colour"] = ["red", None]
    assert _problems(_with(orgs)) == [
        "orgs.csv:2: Organization has no properties ['colour'] [unknown-property]",
        "orgs.csv:3: Organization has no properties ['colour'] [unknown-property]",
    ]
    assert _problems(_with(_orgs(["o2"], source="elsewhere"))) == [
        "orgs.csv:2: Organization o2: source 'elsewhere' is not a loaded source [unknown-source]"
    ]


def test_an_unknown_label_in_columns_is_named() -> None:
    r = _with(NodeColumns("Nowhere", ["x"], {"source": ["test"], "locator": ["x.csv:2"]}))
    assert _problems(r) == ["x.csv:2: no node label 'Nowhere' in the model [unknown-label]"]


def test_a_source_date_fills_a_missing_as_of_in_columns() -> None:
    r = _with(_orgs(["o2", "o3"]))
    r.sources = [SourceInfo("test", "test fixture", date="2025-03")]
    r.node_columns[0].props["as_of"] = ["2020", ""]
    assert check(r).nodes["Organization"].columns["as_of"] == ["2025-03", "2020", "2025-03"]


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match=r"Organization: columns \['name'\] do not have 2 rows"):
        NodeColumns("Organization", ["a", "b"], {"name": ["x"]})
