"""Open the store the configuration names: the one module that knows every store."""

from __future__ import annotations

from tsunagari.config import Config
from tsunagari.graph.store import GraphStore


def open_store(config: Config, *, read_only: bool = True) -> GraphStore:
    """The store the configuration names: a Neo4j URI or an embedded path."""
    if config.is_neo4j:
        from tsunagari.graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_config(config, read_only=read_only)
    from tsunagari.graph.ladybug_store import LadybugStore

    return LadybugStore(config.store_path, read_only=read_only, timeout=config.query_timeout)
