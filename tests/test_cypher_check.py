"""Every named query and every statement we generate for Neo4j parses with Neo4j's own parser.

No Neo4j server exists on our machines; `@neo4j-cypher/language-support` (Neo4j's parser
and semantic analysis for Cypher 5, run offline under Node) is the check instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import tiny_result
from tsunagari.graph.export import cypher_literal, push_batches
from tsunagari.graph.neo4j_store import EMPTY
from tsunagari.graph.schema import neo4j_ddl
from tsunagari.queries import list_queries
from tsunagari.queries.adhoc import READ_FUNCTIONS, READ_OPERATORS, WRITE_OPERATORS

TOOL = Path(__file__).resolve().parents[1] / "tools" / "cypher-check"
needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not (TOOL / "node_modules").is_dir(),
    reason="needs node and `npm ci` in tools/cypher-check (.ci/run does both)",
)


def check(items: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    done = subprocess.run(
        ["node", str(TOOL / "check.mjs")],
        input=json.dumps(items, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    return {r["id"]: r["errors"] for r in json.loads(done.stdout)}


@needs_node
def test_the_checker_catches_errors() -> None:
    errors = check([
        {"id": "typo", "text": "MATC (n) RETURN n"},
        {"id": "kuzu-only", "text": "MATCH (n) RETURN label(n) AS l"},
        {"id": "fine", "text": "MATCH (n) WHERE n.name = $x RETURN n", "params": ["x"]},
    ])  # fmt: skip
    assert errors["typo"] and errors["kuzu-only"] and not errors["fine"]


@needs_node
def test_every_named_query_is_neo4j_5_cypher() -> None:
    queries = list_queries()
    assert len(queries) >= 15
    items = [{"id": q.name, "text": q.text, "params": sorted(q.used_params)} for q in queries]
    assert {k: v for k, v in check(items).items() if v} == {}


@needs_node
def test_every_generated_statement_is_neo4j_5_cypher() -> None:
    statements = {f"ddl{i}": s for i, s in enumerate(neo4j_ddl())}
    statements["empty"] = EMPTY
    for i, (text, rows) in enumerate(push_batches(tiny_result())):
        statements[f"push{i}"] = text
        # the script's `:param rows => …` value, checked as an expression
        statements[f"param{i}"] = f"RETURN {cypher_literal(rows)} AS rows"
    items = [{"id": k, "text": v, "params": ["rows"]} for k, v in statements.items()]
    assert {k: v for k, v in check(items).items() if v} == {}


def test_no_file_extension_or_transaction_operator_is_allowed_ad_hoc() -> None:
    allowed = READ_OPERATORS | WRITE_OPERATORS | READ_FUNCTIONS
    for word in ("COPY", "LOAD", "EXPORT", "IMPORT", "INSTALL", "TRANSACTION", "CALL", "READ_CSV"):
        assert not [a for a in allowed if word in a and a != "TABLE_FUNCTION_CALL"], word
