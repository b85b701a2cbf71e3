"""The server store: Neo4j 5 through the official driver, behind the same GraphStore protocol."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from tsunagari.config import Config
from tsunagari.errors import QueryError, StoreError
from tsunagari.graph.schema import neo4j_ddl
from tsunagari.graph.store import Row, chunks
from tsunagari.graph.validate import BuildReport, Progress, check, source_nodes
from tsunagari.records import LoadResult

log = logging.getLogger(__name__)

EMPTY = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def _driver_module() -> Any:
    try:
        import neo4j

        logging.getLogger("neo4j").setLevel(logging.CRITICAL)  # we report failures ourselves
    except ImportError:
        raise StoreError(
            "the Neo4j store needs the driver: pip install 'tsunagari[neo4j]'"
        ) from None
    return neo4j


class Neo4jStore:
    """A Neo4j database; reads run as routed read transactions, writes as write transactions
    (managed: the driver retries them on transient errors, so every write must be idempotent)."""

    def __init__(self, driver: Any, *, database: str, read_only: bool, uri: str) -> None:
        self._driver = driver
        self.database = database
        self.read_only = read_only
        self.uri = uri
        self._tx: Any = None

    @classmethod
    def from_config(cls, config: Config, *, read_only: bool = True) -> Neo4jStore:
        neo4j = _driver_module()
        wait = config.neo4j_connection_timeout
        try:
            driver = neo4j.GraphDatabase.driver(
                config.store,
                auth=(config.neo4j_user, config.neo4j_password),
                connection_timeout=wait,
                # the handshake of a server that accepts TCP and never answers is bounded by
                # the acquisition timeout (60 s by default), not the connection timeout
                connection_acquisition_timeout=wait,
                max_transaction_retry_time=min(30.0, wait * 3),
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as e:
            raise StoreError(f"Neo4j URI {config.store!r}: {one_line(e)}") from None
        store = cls(driver, database=config.neo4j_database, read_only=read_only, uri=config.store)
        try:
            driver.verify_connectivity()
            store.run("RETURN 1 AS ok")
        except Exception as e:
            driver.close()
            raise connection_error(e, config) from None
        return store

    def run(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        neo4j = _driver_module()
        query = neo4j.Query(cypher, timeout=timeout)

        def work(tx: Any) -> list[Row]:
            return [record.data() for record in tx.run(query, dict(params or {}))]

        try:
            if self._tx is not None:
                return [r.data() for r in self._tx.run(query, dict(params or {}))]
            with self._driver.session(database=self.database) as session:
                if self.read_only:
                    return list(session.execute_read(work))
                return list(session.execute_write(work))
        except neo4j.exceptions.Neo4jError as e:
            raise QueryError(f"Neo4j: {one_line(e.message)} [{e.code}]") from e
        except (neo4j.exceptions.DriverError, OSError) as e:
            raise StoreError(f"Neo4j at {self.uri}: {one_line(e)}") from e

    def plan(self, cypher: str, params: Mapping[str, Any] | None = None) -> tuple[str, list[str]]:
        """EXPLAIN: the query type Neo4j plans ('r', 'rw', 'w', 's') and its operators."""
        neo4j = _driver_module()
        try:
            with self._driver.session(database=self.database) as session:
                summary = session.run(f"EXPLAIN {cypher}", dict(params or {})).consume()
        except neo4j.exceptions.Neo4jError as e:
            raise QueryError(f"Neo4j: {one_line(e.message)} [{e.code}]") from e
        except (neo4j.exceptions.DriverError, OSError) as e:
            raise StoreError(f"Neo4j at {self.uri}: {one_line(e)}") from e
        operators: list[str] = []
        stack = [summary.plan or {}]
        while stack:
            node = stack.pop()
            operators.append(str(node.get("operatorType", "")).split("@")[0])
            stack += node.get("children", [])
        return str(summary.query_type), operators

    def autocommit(self, cypher: str) -> None:
        """A statement that manages its own transactions (CALL … IN TRANSACTIONS)."""
        with self._driver.session(database=self.database) as session:
            session.run(cypher).consume()

    def write_batch(
        self, cypher: str, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 1_000
    ) -> int:
        for batch in chunks(rows, batch_size):
            self.run(cypher, {"rows": list(batch)})
        return len(rows)

    @contextmanager
    def transaction(self) -> Iterator[Neo4jStore]:
        if self.read_only:
            raise StoreError("a read-only store cannot open a write transaction")
        with self._driver.session(database=self.database) as session:
            tx = session.begin_transaction()
            self._tx = tx
            try:
                yield self
                tx.commit()
            except BaseException:
                tx.rollback()
                raise
            finally:
                self._tx = None

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def one_line(e: object) -> str:
    return " ".join(str(e).split())


def connection_error(e: Exception, config: Config) -> StoreError:
    """Our message for what the driver raised while connecting: names the value and the fix."""
    neo4j = _driver_module()
    exc = neo4j.exceptions
    if isinstance(e, exc.AuthError):
        return StoreError(
            f"Neo4j at {config.store} refused the credentials of user {config.neo4j_user!r}; "
            "check TSUNAGARI_NEO4J_USER and TSUNAGARI_NEO4J_PASSWORD"
        )
    if isinstance(e, exc.ClientError) and "DatabaseNotFound" in (e.code or ""):
        return StoreError(
            f"Neo4j at {config.store} has no database {config.neo4j_database!r}; "
            "create it or set TSUNAGARI_NEO4J_DATABASE"
        )
    if isinstance(e, exc.ServiceUnavailable | OSError):
        return StoreError(
            f"cannot reach Neo4j at {config.store} within {config.neo4j_connection_timeout:g} s: "
            f"is the server running and the URI right? ({one_line(e)})"
        )
    return StoreError(f"Neo4j at {config.store}: {one_line(e)}")


def push_result(
    config: Config,
    result: LoadResult,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Validate, create constraints and indexes, then MERGE every node and edge in batches.

    Idempotent: pushing the same graph twice leaves one copy. With `replace` the database
    is emptied first (the graph then equals `result`); without it, other data stays.
    """
    from tsunagari.graph.export import push_batches

    checked = check(result)
    progress = progress or (lambda step, done, total: None)
    loaded, edges = checked.records()
    nodes = [*loaded, *source_nodes(result, checked.rows_per_source)]
    clean = LoadResult(nodes, edges, [], result.sources)
    with Neo4jStore.from_config(config, read_only=False) as store:
        if replace:
            store.autocommit(EMPTY)
        for i, ddl in enumerate(neo4j_ddl()):
            store.run(ddl)
            progress("schema", i + 1, len(neo4j_ddl()))
        batches = list(push_batches(clean))
        for i, (statement, rows) in enumerate(batches):
            store.run(statement, {"rows": rows})
            progress("push", i + 1, len(batches))
    report = BuildReport(path=config.store_path)
    report.nodes = Counter(n.label for n in nodes)
    report.edges = Counter(e.type for e in edges)
    report.sources = dict(checked.rows_per_source)
    report.inputs_sha256 = checked.digest
    report.built_at = datetime.now(UTC).isoformat(timespec="seconds")
    log.info("pushed to %s: %d nodes, %d edges", config.store, len(loaded), len(edges))
    return report
