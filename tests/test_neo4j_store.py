"""The Neo4j store without a server: clean errors. (With NEO4J_URI set, the query tests run
against it through the store_of fixture in conftest.py.)"""

from __future__ import annotations

import socket
import time

import pytest
from click.testing import CliRunner

pytest.importorskip("neo4j", reason="needs the neo4j driver: pip install -e '.[neo4j]'")

from tsunagari.cli import main
from tsunagari.config import Config
from tsunagari.errors import StoreError
from tsunagari.graph.neo4j_store import Neo4jStore


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_server_is_a_clean_error_quickly() -> None:
    uri = f"neo4j://127.0.0.1:{unused_port()}"
    config = Config(store=uri, neo4j_connection_timeout=2.0)
    started = time.monotonic()
    message = f"cannot reach Neo4j at {uri} within 2 s: is the server running"
    with pytest.raises(StoreError, match=message):
        Neo4jStore.from_config(config)
    assert time.monotonic() - started < 10


def test_commands_on_an_unreachable_server_exit_cleanly() -> None:
    uri = f"bolt://127.0.0.1:{unused_port()}"
    out = CliRunner().invoke(main, ["--lang", "en", "--store", uri, "stats"])
    assert out.exit_code == StoreError.exit_code
    assert out.output.startswith(f"error: cannot reach Neo4j at {uri}")
    assert "Traceback" not in out.output
