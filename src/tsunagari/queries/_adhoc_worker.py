"""The child process of an ad hoc query: read a request on stdin, answer rows as JSON."""

from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.timedelta):
        return str(value)
    return str(value)


def main() -> None:
    from tsunagari.errors import TsunagariError
    from tsunagari.graph.ladybug_store import LadybugStore

    request = json.loads(sys.stdin.read())
    try:
        with LadybugStore(
            request["path"], read_only=not request["write"], timeout=request["timeout"]
        ) as store:
            rows = store.run(request["cypher"], request["params"])
        answer: dict[str, Any] = {"rows": rows}
    except TsunagariError as e:
        answer = {"error": str(e)}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False, default=_plain))


if __name__ == "__main__":
    main()
