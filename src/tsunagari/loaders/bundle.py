"""Everything a default build loads: the bundled data, plus the user's files."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from tsunagari.loaders.master import load_master
from tsunagari.records import LoadResult

log = logging.getLogger(__name__)


def load_inputs(*, extra: Sequence[Path] = (), skip_invalid: bool = False) -> LoadResult:
    """The national master, the bundled funding lists and directory, and `extra` files."""
    result = load_master()
    log.info("master: %d nodes, %d edges", len(result.nodes), len(result.edges))
    return result
