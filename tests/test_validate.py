"""Validation: the column checks pass exactly the inputs the record-by-record pass passes,
and keep the same records, counts and digest."""

from __future__ import annotations

import copy
import random
from collections import defaultdict
from dataclasses import replace

import pytest

from tests.conftest import tiny_result
from tsunagari.errors import InputError
from tsunagari.graph.validate import check, validate, validate_columns, validate_records
from tsunagari.records import Edge, EdgeColumns, LoadResult, Node, NodeColumns, SourceInfo


def _copy(r: LoadResult) -> LoadResult:
    return copy.deepcopy(r)


def as_columns(r: LoadResult, rng: random.Random | None = None) -> LoadResult:
    """The same rows handed over as columns, a table per label and per edge type and ends;
    with `rng`, a random part of them only (the rest stay records, which come first)."""
    out = LoadResult(sources=list(r.sources))
    nodes: dict[str, list[Node]] = defaultdict(list)
    for n in r.nodes:
        nodes[n.label].append(n)
    for label, group in nodes.items():
        cut = rng.randrange(len(group) + 1) if rng else 0
        out.nodes += group[:cut]
        out.node_columns.append(NodeColumns.of(label, group[cut:]))
    edges: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for e in r.edges:
        edges[e.type, e.src[0], e.dst[0]].append(e)
    for (etype, a, b), typed in edges.items():
        cut = rng.randrange(len(typed) + 1) if rng else 0
        out.edges += typed[:cut]
        out.edge_columns.append(EdgeColumns.of(etype, (a, b), typed[cut:]))
    return out


def _mutated(rng: random.Random) -> LoadResult:
    """tiny_result with a few random changes: most harmless (an identical duplicate, a
    duplicate that differs only in empty values), some a problem of one kind."""
    r = _copy(tiny_result())
    r.sources.append(SourceInfo("other", "another source", date="2024-04"))
    for _ in range(rng.randrange(4)):
        kind = rng.randrange(12)
        node, edge = rng.choice(r.nodes), rng.choice(r.edges)
        if kind == 0:
            r.nodes.append(replace(node, props=dict(node.props)))
        elif kind == 1:
            r.nodes.append(replace(node, props={**node.props, "as_of": ""}))
        elif kind == 2:
            r.nodes.append(replace(node, props={**node.props, "name": "別の名前"}))
        elif kind == 3:
            r.edges.append(replace(edge, props=dict(edge.props)))
        elif kind == 4:
            r.edges.append(replace(edge, props={**edge.props, "locator": "row 2"}))
        elif kind == 5:
            r.edges.append(replace(edge, props={**edge.props, "as_of": "1999"}))
        elif kind == 6:
            r.edges.append(replace(edge, dst=(edge.dst[0], "000000")))
        elif kind == 7:
            r.nodes.append(
                Node("Organization", f"o{rng.randrange(3)}", {"name": "x", "source": "other"})
            )
        elif kind == 8:
            r.nodes.append(replace(node, key="new", props={**node.props, "colour": "red"}))
        elif kind == 9:
            r.edges.append(replace(edge, props={**edge.props, "source": rng.choice([None, "?"])}))
        elif kind == 10:
            r.edges.append(Edge("RUNS", edge.src, edge.dst, dict(edge.props)))
        else:
            r.nodes.append(Node(rng.choice(["Organization", "Nowhere"]), "z", {"source": "test"}))
    rng.shuffle(r.nodes)
    rng.shuffle(r.edges)
    return r


@pytest.mark.parametrize("seed", range(300))
def test_column_checks_agree_with_the_record_pass(seed: int) -> None:
    rng = random.Random(seed)
    r = _mutated(rng)
    if seed % 2:  # some rows handed over as columns
        r = as_columns(r, rng)
    by_record = validate_records(_copy(r))
    by_columns = validate_columns(_copy(r))
    if by_columns is None:
        assert by_record.problems
        assert validate(_copy(r)).problems == by_record.problems
        return
    assert by_record.problems == []
    assert by_columns.nodes == by_record.nodes  # records and columns
    assert by_columns.edges == by_record.edges
    assert by_columns.rows_per_source == by_record.rows_per_source
    assert by_columns.digest == by_record.digest


def test_both_outcomes_are_exercised() -> None:
    outcomes = {validate_columns(_mutated(random.Random(s))) is None for s in range(300)}
    assert outcomes == {True, False}
    columnar = {
        validate_columns(as_columns(_mutated(random.Random(s)))) is None for s in range(300)
    }
    assert columnar == {True, False}


def test_identical_duplicates_are_kept_once_in_input_order() -> None:
    r = tiny_result()
    first = r.nodes[-1]
    r.nodes.append(replace(first, props={**first.props, "as_of": ""}))  # the same, empty aside
    r.edges.insert(0, replace(r.edges[-1], props=dict(r.edges[-1].props)))
    checked = check(r)
    orgs = checked.nodes["Organization"]
    assert orgs.columns["id"] == ["org-1"]
    assert orgs.columns["as_of"] == [None]  # the first one's, not the duplicate's ""
    covers = checked.edges["COVERS", "Organization", "Municipality"]
    assert covers.columns["services"] == [["ibasho"]]
    assert covers.columns["as_of"] == [None]
    assert checked.rows_per_source == {"test": 11}


def test_a_source_date_fills_a_missing_as_of() -> None:
    r = tiny_result()
    r.sources = [SourceInfo("test", "test fixture", date="2025-03")]
    r.nodes[0].props["as_of"] = "2020"
    checked = check(r)
    assert checked.nodes["Prefecture"].columns["as_of"] == ["2020", "2025-03"]
    assert checked.nodes["Municipality"].columns["as_of"] == ["2025-03"] * 3


def test_check_names_every_problem() -> None:
    r = tiny_result()
    r.edges.append(Edge("COVERS", ("Organization", "org-9"), ("Municipality", "272329"),
                        {"source": "test", "locator": "row 7"}))  # fmt: skip
    with pytest.raises(InputError) as err:
        check(r)
    assert str(err.value) == (
        "1 problem(s) in the input; nothing was built:\n"
        "row 7: COVERS: no Organization with key 'org-9' [missing-endpoint]"
    )
