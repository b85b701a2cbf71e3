"""Ad hoc Cypher from a user: one statement, allowed by the engine's own plan, run in a child."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from tsunagari.config import MAX_SECONDS, Config
from tsunagari.errors import WRITES_NEEDED, QueryError, StoreBusyError, StoreError

# What LadybugDB may do for an ad hoc statement, decided by the operators of its physical
# plan (`EXPLAIN`), not by the words of the text: anything not listed here never runs.
# Reads: scans, joins, filters, projections, aggregation, ordering, paths.
READ_OPERATORS = frozenset(
    {
        "AGGREGATE",
        "AGGREGATE_FINALIZE",
        "AGGREGATE_SCAN",
        "CROSS_PRODUCT",
        "EMPTY_RESULT",
        "FILTER",
        "FLATTEN",
        "HASH_JOIN_BUILD",
        "HASH_JOIN_PROBE",
        "INTERSECT",
        "INTERSECT_BUILD",
        "LIMIT",
        "MULTIPLICITY_REDUCER",
        "ORDER_BY",
        "ORDER_BY_MERGE",
        "ORDER_BY_SCAN",
        "PATH_PROPERTY_PROBE",
        "PRIMARY_KEY_SCAN_NODE_TABLE",
        "PROJECTION",
        "RECURSIVE_EXTEND",
        "RESULT_COLLECTOR",
        "SCAN_NODE_TABLE",
        "SCAN_REL_TABLE",
        "SEMI_MASKER",
        "SKIP",
        "TABLE_FUNCTION_CALL",
        "TOP_K",
        "TOP_K_SCAN",
        "UNION_ALL_SCAN",
        "UNWIND",
    }
)
# With --write, changes to the graph's data too (never to its schema: the build owns that).
WRITE_OPERATORS = frozenset({"INSERT", "SET_PROPERTY", "DELETE", "MERGE"})
# Table functions that only read the catalogue; file readers (READ_CSV…, READ_PARQUET…)
# and everything else are refused.
READ_FUNCTIONS = frozenset(
    {
        "READ_FTABLE",  # the engine's own scan of an intermediate result (RETURN 1, UNWIND)
        "SHOW_TABLES",
        "TABLE_INFO",
        "SHOW_CONNECTION",
        "SHOW_FUNCTIONS",
        "DB_VERSION",
        "CURRENT_SETTING",
    }
)
SCHEMA_OPERATORS = frozenset(
    {"CREATE_TABLE", "DROP", "ALTER", "CREATE_MACRO", "CREATE_SEQUENCE", "CREATE_TYPE"}
)
_OPERATOR = re.compile(r"│\s*([A-Z][A-Z_]*)\[\d+\]\s*│")
_FUNCTION = re.compile(r"Function: ([A-Z][A-Z_0-9]*)")
MAX_PARAM_DEPTH = 32  # nesting of a JSON parameter; deeper is refused before anything runs
MARGIN_S = 3.0  # grace for the child's start-up (imports, opening the database)


def plan_parts(explain: str) -> tuple[list[str], list[str]]:
    """The operator names and table-function names in LadybugDB's EXPLAIN text."""
    return _OPERATOR.findall(explain), _FUNCTION.findall(explain)


def judge_plan(operators: Iterable[str], functions: Iterable[str], *, write: bool) -> None:
    """Refuse a plan with anything outside the allow-lists; the message names what it found."""
    for op in operators:
        if op in READ_OPERATORS:
            continue
        if op in WRITE_OPERATORS:
            if write:
                continue
            raise QueryError(WRITES_NEEDED)
        if op in SCHEMA_OPERATORS:
            raise QueryError(
                f"the statement changes the schema ({op}); an ad hoc query never does: "
                "the schema comes from `tsunagari build`"
            )
        raise QueryError(
            f"the engine plans this statement as {op}, which an ad hoc query never runs "
            "(only reads, and graph writes with --write; no files, extensions, settings "
            "or transactions)"
        )
    for fn in functions:
        if fn not in READ_FUNCTIONS:
            raise QueryError(
                f"the statement calls {fn}, which an ad hoc query never runs "
                "(it reads files or changes the engine)"
            )


def check_params(params: dict[str, Any]) -> None:
    """Parameter values must be plain JSON no deeper than MAX_PARAM_DEPTH."""
    for name, value in params.items():
        if _depth(value) > MAX_PARAM_DEPTH:
            raise QueryError(
                f"parameter ${name} is nested deeper than {MAX_PARAM_DEPTH} levels; flatten it"
            )


def _depth(value: Any) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        v, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_PARAM_DEPTH:
            return deepest
        if isinstance(v, dict):
            stack += [(x, d + 1) for x in v.values()]
        elif isinstance(v, list):
            stack += [(x, d + 1) for x in v]
    return deepest


def run_adhoc(
    config: Config,
    cypher: str,
    params: dict[str, Any],
    *,
    timeout: float | None = None,
    write: bool = False,
) -> list[dict[str, Any]]:
    """Run one user statement; the embedded store runs it in a child process that is killed
    when the timeout passes or this process dies, so neither a runaway query nor a native
    crash takes us down, and nothing outlives the command."""
    if not cypher.strip():
        raise QueryError("the statement is empty")
    check_params(params)
    limit = config.query_timeout if timeout is None else timeout
    if not 0 < limit <= MAX_SECONDS:  # also false for nan
        raise QueryError(f"a timeout of {limit:g} s: give seconds above 0, at most {MAX_SECONDS:g}")
    if config.is_neo4j:
        return _run_neo4j(config, cypher, params, timeout=limit, write=write)
    payload = {
        "path": str(config.store_path),
        "cypher": cypher,
        "params": params,
        "timeout": limit,
        "write": write,
    }
    argv = [sys.executable, "-m", "tsunagari.queries._adhoc_worker"]
    try:
        rows = contained(argv, payload, timeout=limit)
    except QueryError as e:
        raise _with_hint(e) from None
    return named_columns(cypher, rows)


# Neo4j functions the embedded engine (LadybugDB) lacks, and what it has instead.
MISSING_FUNCTIONS = {
    "TYPE": "label(r)",
    "ELEMENTID": "id(n)",
    "KEYS": "properties: RETURN n.name, n.kind … (or n as a whole)",
    "PROPERTIES": "n (the whole node)",
    "TIMESTAMP": "current_timestamp()",
}
_MISSING = re.compile(r"function (\w+) does not exist", re.IGNORECASE)


def _with_hint(e: QueryError) -> QueryError:
    """The engine's error, with what to write instead when it names a Neo4j-only function."""
    m = _MISSING.search(str(e))
    alt = MISSING_FUNCTIONS.get(m.group(1).upper()) if m else None
    if m is None or alt is None:
        return e
    fn = m.group(1).lower()
    return QueryError(
        f"{e}; the embedded store (LadybugDB) has no {fn}(): use {alt}",
        ja=f"{e}。組み込みストア（LadybugDB）には {fn}() がありません。代わりに {alt} を使います",
    )


# strings, comments and backticked names (skip), for finding the RETURN items as written
_TOKEN = re.compile(
    r"""(?P<skip>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/)"""
    r"""|(?P<dot>\.\s*[A-Za-z_]\w*)|(?P<word>[A-Za-z_]\w*)|(?P<sym>[;=])""",
    re.DOTALL,
)
_RETURN = re.compile(r"\bRETURN\b(?:\s+DISTINCT\b)?", re.IGNORECASE)
_TAIL = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b", re.IGNORECASE)
_AS = re.compile(r"\s+AS\s+[`\w]+\s*$", re.IGNORECASE)
LONG_NAME = 40  # longer engine-made column names are replaced by the expression as written


def named_columns(cypher: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Columns the engine names after its internal expression (`LABEL(r._ID,[…])`) renamed
    to the expression as the user wrote it (`label(r)`), as Neo4j names them."""
    if not rows:
        return rows
    names = list(rows[0])
    items = _return_items(cypher)
    if len(items) != len(names):
        return rows
    rename = {
        n: item
        for n, item in zip(names, items, strict=True)
        if n != item and not _AS.search(item) and (len(n) > LONG_NAME or "(" in n)
    }
    if not rename or len(set(names) - set(rename) | set(rename.values())) < len(names):
        return rows
    return [{rename.get(k, k): v for k, v in r.items()} for r in rows]


def _return_items(cypher: str) -> list[str]:
    """The projection items of the last RETURN, split at top-level commas (strings and
    comments blanked first so that their commas and keywords do not count)."""
    blank = _TOKEN.sub(lambda m: " " * len(m.group(0)) if m.group("skip") else m.group(0), cypher)
    starts = [m.end() for m in _RETURN.finditer(blank)]
    if not starts:
        return []
    start = starts[-1]
    tail = _TAIL.search(blank, start)
    end = tail.start() if tail else len(blank)
    items, depth, begin = [], 0, start
    for i in range(start, end):
        ch = blank[i]
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            items.append(cypher[begin:i].strip())
            begin = i + 1
    items.append(cypher[begin:end].strip().rstrip(";").strip())
    return items


def contained(
    argv: Sequence[str], payload: dict[str, Any], *, timeout: float
) -> list[dict[str, Any]]:
    """Run a worker with `payload` on stdin; its stdout is {"rows": …} or {"error": …}.

    The worker gets the read end of a pipe whose write end only this process holds: when
    this process dies, however it dies, the pipe closes and the worker exits (Linux also
    sends it SIGKILL through the parent-death signal)."""
    watch_r, watch_w = os.pipe()
    request = {**payload, "parent": os.getpid(), "watch": watch_r}
    try:
        child = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},  # whatever ours is: we read UTF-8
            pass_fds=(watch_r,),
        )
    finally:
        os.close(watch_r)
    try:
        out, err = child.communicate(json.dumps(request, ensure_ascii=False), timeout + MARGIN_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise QueryError(f"query stopped after the {timeout:g} s timeout") from None
    except BaseException:  # Ctrl-C: the worker must not outlive us
        child.kill()
        child.wait()
        raise
    finally:
        os.close(watch_w)
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        raise QueryError(
            f"the database engine crashed ({name}) running this statement; "
            "the query was read-only, so the graph is unchanged"
            if not payload.get("write")
            else f"the database engine crashed ({name}) running this statement; "
            "its changes were not committed"
        )
    try:
        answer = json.loads(out)
    except ValueError:
        tail = (err or out).strip().splitlines()[-1:] or ["no output"]
        raise QueryError(f"the query process failed: {tail[0]}") from None
    if "error" in answer:
        kind = {"busy": StoreBusyError, "store": StoreError}.get(answer.get("kind"), QueryError)
        raise kind(answer["error"])
    rows: list[dict[str, Any]] = answer["rows"]
    return rows


NEO4J_REFUSED = frozenset({"LoadCSV", "ProcedureCall", "ProcedureCallWithoutYield"})


def _run_neo4j(
    config: Config, cypher: str, params: dict[str, Any], *, timeout: float, write: bool
) -> list[dict[str, Any]]:
    """Neo4j: EXPLAIN first; a read needs query type 'r', and files and procedures never run."""
    from tsunagari.graph.neo4j_store import Neo4jStore

    with Neo4jStore.from_config(config, read_only=not write) as store:
        query_type, operators = store.plan(cypher, params)
        refused = sorted(NEO4J_REFUSED.intersection(operators))
        if refused:
            raise QueryError(
                f"Neo4j plans this statement with {refused[0]}, which an ad hoc query never "
                "runs (files and procedures)"
            )
        if not write and query_type != "r":
            raise QueryError(
                f"Neo4j plans this as a {query_type!r} query, not read-only ('r'); "
                "add --write if you mean to change the graph"
            )
        return store.run(cypher, params, timeout=timeout)
