"""Ad hoc Cypher from a user: one statement, read-only unless asked, run in a child process."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from tsunagari.config import Config
from tsunagari.errors import QueryError

# Statements that read or write files, reach the network, change the engine's settings or
# open transactions: the read-only mode of the embedded engine does not stop all of them
# (and `CHECKPOINT; BEGIN TRANSACTION; …` sequences have crashed it), so they are refused
# before anything runs, with or without --write.
REFUSED = {
    "COPY": "reads or writes files (load data with `tsunagari build --with`)",
    "EXPORT": "writes files (use `tsunagari export`)",
    "IMPORT": "reads files",
    "LOAD": "reads files or loads extensions",
    "INSTALL": "installs extensions from the network",
    "ATTACH": "opens another database",
    "DETACH": "detaches a database",
    "USE": "switches database",
    "CHECKPOINT": "is a maintenance statement",
    "BEGIN": "opens a transaction",
    "COMMIT": "ends a transaction",
    "ROLLBACK": "ends a transaction",
}
WRITES = ("CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "ALTER", "FOREACH")
_TOKEN = re.compile(
    r"""(?P<skip>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/)"""
    r"""|(?P<dot>\.\s*[A-Za-z_]\w*)|(?P<word>[A-Za-z_]\w*)|(?P<sym>[;=])""",
    re.DOTALL,
)
MARGIN_S = 3.0  # grace for the child's start-up (imports, opening the database)


def keywords(cypher: str) -> list[str]:
    """The words of a statement outside strings, comments, backticks and property names,
    upper-cased, with `;` and `=` kept as tokens."""
    out: list[str] = []
    for m in _TOKEN.finditer(cypher):
        if m.group("word"):
            out.append(m.group("word").upper())
        elif m.group("sym"):
            out.append(m.group("sym"))
    return out


def check_statement(cypher: str, *, write: bool) -> None:
    """Refuse, before execution, what must not run ad hoc; the message names the keyword."""
    words = keywords(cypher)
    while words and words[-1] == ";":
        words.pop()
    if ";" in words:
        raise QueryError("one statement at a time: remove the ';' between statements")
    if not words:
        raise QueryError("the statement is empty")
    for i, w in enumerate(words):
        if w == "DETACH" and words[i + 1 : i + 2] == ["DELETE"]:
            continue  # DETACH DELETE is an ordinary write
        if w in REFUSED:
            raise QueryError(f"{w} is not allowed in an ad hoc query: it {REFUSED[w]}")
        if w == "CALL" and i + 2 < len(words) and words[i + 2] == "=":
            raise QueryError("CALL <setting> = … changes the engine's settings")
    if not write:
        found = next((w for w in words if w in WRITES or w == "DETACH"), None)
        if found:
            raise QueryError(f"{found} changes the graph; add --write if you mean to")


def run_adhoc(
    config: Config,
    cypher: str,
    params: dict[str, Any],
    *,
    timeout: float | None = None,
    write: bool = False,
) -> list[dict[str, Any]]:
    """Run one user statement; the embedded store runs it in a child process that is killed
    when the timeout passes, so neither a runaway query nor a native crash takes us down."""
    check_statement(cypher, write=write)
    limit = timeout or config.query_timeout
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
    """Run a worker with `payload` on stdin; its stdout is {"rows": …} or {"error": …}."""
    try:
        done = subprocess.run(
            list(argv),
            input=json.dumps(payload, ensure_ascii=False),
            capture_output=True,
            text=True,
            timeout=timeout + MARGIN_S,
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        raise QueryError(f"query stopped after the {timeout:g} s timeout") from None
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        raise QueryError(
            f"the database engine crashed ({name}) running this statement; "
            "the query was read-only, so the graph is unchanged"
            if not payload.get("write")
            else f"the database engine crashed ({name}) running this statement"
        )
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise QueryError(f"the query process failed: {tail[0]}") from None
    if "error" in answer:
        raise QueryError(answer["error"])
    rows: list[dict[str, Any]] = answer["rows"]
    return rows


def _run_neo4j(
    config: Config, cypher: str, params: dict[str, Any], *, timeout: float, write: bool
) -> list[dict[str, Any]]:
    """Neo4j: EXPLAIN first and require a read query ('r'), then run it routed as a read."""
    try:
        import neo4j
    except ImportError:
        raise QueryError("Neo4j needs the driver: pip install 'tsunagari[neo4j]'") from None
    auth = (config.neo4j_user, config.neo4j_password)
    mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
    with (
        neo4j.GraphDatabase.driver(config.store, auth=auth) as driver,
        driver.session(database=config.neo4j_database, default_access_mode=mode) as session,
    ):
        if not write:
            plan = session.run(f"EXPLAIN {cypher}", params).consume()
            if plan.query_type != "r":
                raise QueryError(
                    f"Neo4j plans this as a {plan.query_type!r} query, not read-only ('r'); "
                    "add --write if you mean to change the graph"
                )
        query = neo4j.Query(cypher, timeout=timeout)
        return [record.data() for record in session.run(query, params)]
