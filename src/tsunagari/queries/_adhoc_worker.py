"""The child process of an ad hoc query: read a request on stdin, answer rows as JSON."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.timedelta):
        return str(value)
    return str(value)


def die_with_parent(parent: int, watch_fd: int | None) -> None:
    """Never outlive the command: SIGKILL on the parent's death (Linux), and on every
    system a thread that exits the process when the parent's pipe closes."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if watch_fd is not None:

        def watch() -> None:
            while os.read(watch_fd, 1):
                pass
            os._exit(1)  # EOF: the parent is gone (or done); stop at once, commit nothing

        threading.Thread(target=watch, daemon=True).start()


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """A --write takes the build lock: it never overlaps a build (busy) and so is never lost
    in a swap."""
    from tsunagari.graph.build import build_lock

    with build_lock(path):
        yield


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """Plan the statement with EXPLAIN on a read-only handle; only what the engine refuses
    there as a write is planned again read-write (with --write, under the build lock).
    Each plan is judged against the allow-lists before the statement runs."""
    from tsunagari.errors import (
        WRITES_NEEDED,
        QueryError,
        StoreBusyError,
        StoreError,
        TsunagariError,
    )
    from tsunagari.graph.ladybug_store import LadybugStore
    from tsunagari.queries.adhoc import judge_plan, plan_parts

    write = bool(request["write"])
    cypher, params = request["cypher"], request["params"]
    path = Path(request["path"])
    timeout = request["timeout"]

    def planned_run(store: LadybugStore, *, writes: bool) -> dict[str, Any]:
        operators, functions = plan_parts(store.explain(cypher, params))
        judge_plan(operators, functions, write=writes)
        return {"rows": store.run(cypher, params)}

    try:
        try:
            with LadybugStore(path, read_only=True, timeout=timeout) as store:
                return planned_run(store, writes=False)
        except QueryError as e:
            if not (write and str(e) == WRITES_NEEDED):
                raise
        with (
            _writer_lock(path),
            LadybugStore(path, read_only=False, timeout=timeout) as store,
        ):
            return planned_run(store, writes=True)
    except StoreBusyError as e:
        return {"error": str(e), "kind": "busy"}
    except StoreError as e:
        return {"error": str(e), "kind": "store"}
    except TsunagariError as e:
        return {"error": str(e)}


def main() -> None:
    request = json.loads(sys.stdin.read())
    die_with_parent(request.get("parent", os.getppid()), request.get("watch"))
    # The engine keeps extensions under $HOME: give it an empty home of its own, so not even
    # a statement that slipped past the plan check could reach the user's files there.
    with tempfile.TemporaryDirectory(prefix="tsunagari-query-") as home:
        os.environ["HOME"] = home
        result = answer(request)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=_plain))


if __name__ == "__main__":
    main()
