"""Class 11: Neo4j that cannot be reached, or that accepts TCP and never answers, gives one
line within the connection timeout: never a driver traceback, never the driver's 60 s."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.test_neo4j_store import unused_port
from tsunagari.cli import main
from tsunagari.errors import StoreError

pytest.importorskip("neo4j")


def serve(answer: bytes | None) -> Iterator[int]:
    """A local server that accepts connections and then says `answer` (or nothing, ever)."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def loop() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)
            if answer is not None:
                conn.sendall(answer)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for c in held:
        c.close()
    server.close()


@pytest.fixture
def silent() -> Iterator[int]:
    yield from serve(None)


@pytest.fixture
def chatty() -> Iterator[int]:
    yield from serve(b"HTTP/1.1 400 Bad Request\r\n\r\nnot bolt at all")


COMMANDS = [["stats"], ["query", "MATCH (n) RETURN count(n) AS n"], ["gaps"]]


def run(uri: str, args: list[str]) -> tuple[float, str, int]:
    env = {"TSUNAGARI_NEO4J_CONNECTION_TIMEOUT": "1"}
    started = time.monotonic()
    out = CliRunner().invoke(main, ["--store", uri, *args], env=env)
    return time.monotonic() - started, out.output, out.exit_code


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_server_that_never_answers_is_given_up_on(
    silent: int, args: list[str], scheme: str
) -> None:
    took, output, code = run(f"{scheme}://127.0.0.1:{silent}", args)
    assert code == StoreError.exit_code, output
    assert output.startswith(
        f"error: cannot reach Neo4j at {scheme}://127.0.0.1:{silent} within 1 s"
    )
    assert output.count("\n") == 1 and "Traceback" not in output
    assert took < 20  # bounded by the 1 s timeout (plus start-up), not the driver's 60 s


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_nothing_listening_is_one_line(args: list[str]) -> None:
    _, output, code = run(f"neo4j://127.0.0.1:{unused_port()}", args)
    assert code == StoreError.exit_code
    assert output.startswith("error: cannot reach Neo4j") and output.count("\n") == 1


def test_a_server_that_is_not_neo4j_is_one_line(chatty: int) -> None:
    _, output, code = run(f"bolt://127.0.0.1:{chatty}", ["query", "RETURN 1 AS x"])
    assert code == StoreError.exit_code, output
    assert output.startswith("error: ") and output.count("\n") == 1


@pytest.mark.parametrize("uri", ["neo4j://[bad", "bolt://127.0.0.1:99999", "neo4j://"])
def test_a_malformed_uri_is_one_line(uri: str) -> None:
    _, output, code = run(uri, ["query", "RETURN 1 AS x"])
    assert code == StoreError.exit_code, output
    assert output.startswith("error: ") and output.count("\n") == 1


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
