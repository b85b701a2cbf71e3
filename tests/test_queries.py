"""Named queries: headers match the text, each runs on an empty graph, unknown names help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.queries import list_queries, load_query, parse_query, run_query
from tsunagari.records import LoadResult

from .conftest import tiny_result

LIST_PARAMS = {"codes", "ids", "prefectures"}  # every other parameter of a named query is a string
INT_PARAMS = {"fiscal_year", "year", "round"}


BOOL_PARAMS = ("specialised",)


def value_for(param: str) -> Any:
    if param in BOOL_PARAMS:
        return False
    if param in LIST_PARAMS:
        return []
    return 0 if param in INT_PARAMS else ""


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_declared_params_equal_the_names_used(query: Any) -> None:
    assert query.title, f"{query.name}.cypher has no // title:"
    assert query.description, f"{query.name}.cypher has no // description:"
    assert set(query.params) == query.used_params


def test_header_parsing() -> None:
    q = parse_query(
        "x",
        "// title: T\n// description: one\n//   two\n// params: a, b\nMATCH (n) "
        "WHERE n.a = $a AND n.b = $b // not $c\nRETURN n",
    )
    assert (q.title, q.description, q.params) == ("T", "one two", ("a", "b"))
    assert q.used_params == {"a", "b"}


@pytest.mark.parametrize("graph", ["empty", "tiny"])
def test_every_named_query_runs(store_of: Callable[[LoadResult], GraphStore], graph: str) -> None:
    store = store_of(LoadResult() if graph == "empty" else tiny_result())
    for q in list_queries():
        rows = run_query(store, q.name, **{p: value_for(p) for p in q.params})
        assert isinstance(rows, list), q.name
        if graph == "empty":  # nothing found: no rows, or counts of nothing (labels aside)
            values = [v for r in rows for v in r.values() if not isinstance(v, str)]
            assert all(v in (0, None, []) for v in values), q.name


def test_unknown_query_and_wrong_params(store_of: Callable[[LoadResult], GraphStore]) -> None:
    with pytest.raises(QueryError, match=r"no named query 'coverage_link'; did you mean"):
        load_query("coverage_link")
    store = store_of(tiny_result())
    with pytest.raises(
        QueryError, match=r"query place takes parameters code; missing \['code'\], unexpected"
    ):
        run_query(store, "place", cod="272329")
