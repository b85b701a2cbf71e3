"""Ad hoc Cypher from a user: read-only unless asked, one statement, with a timeout."""

from __future__ import annotations

from typing import Any

from tsunagari.config import Config
from tsunagari.graph.store import open_store


def run_adhoc(
    config: Config,
    cypher: str,
    params: dict[str, Any],
    *,
    timeout: float | None = None,
    write: bool = False,
) -> list[dict[str, Any]]:
    with open_store(config, read_only=not write) as store:
        return store.run(cypher, params, timeout=timeout or config.query_timeout)
