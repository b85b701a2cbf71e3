"""The library calls behind the main commands: load everything, build, make sure it is built."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.config import Config
from tsunagari.errors import StoreBusyError
from tsunagari.graph.build import build_graph, check_target, wait_for_build
from tsunagari.graph.ladybug_store import resolved
from tsunagari.graph.validate import BuildReport, Progress
from tsunagari.loaders.bundle import load_inputs
from tsunagari.records import Problem

log = logging.getLogger(__name__)


@dataclass
class PipelineReport(BuildReport):
    skipped: list[Problem] = field(default_factory=list)
    not_mapped: list[Problem] = field(default_factory=list)  # input rows the model cannot hold
    warnings: list[Problem] = field(default_factory=list)


def build(
    config: Config,
    *,
    extra: Sequence[Path] = (),
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> PipelineReport:
    """Load the bundled data and `extra` files, validate, and build the configured store."""
    if not config.is_neo4j:
        check_target(resolved(config.store_path))  # before the work, not after it
    result = load_inputs(extra=extra, skip_invalid=skip_invalid)
    skipped: list[Problem] = []
    if skip_invalid:
        skipped, result.problems = result.problems, []
    if config.is_neo4j:
        from tsunagari.graph.neo4j_store import push_result

        report = push_result(config, result, progress=progress)
    else:
        report = build_graph(result, config.store_path, progress=progress)
    out = PipelineReport(**report.__dict__)
    out.skipped = skipped
    out.not_mapped = result.notes
    out.warnings = result.warnings
    return out


def ensure_built(config: Config, *, progress: Progress | None = None) -> bool:
    """Build the embedded store from the bundled data if it does not exist; True if built."""
    if config.is_neo4j or config.store_path.exists():
        return False
    try:
        build(config, progress=progress)
    except StoreBusyError:  # another report or build is making it: wait and use that one
        log.info("waiting for the build of %s by another process", config.store_path)
        wait_for_build(resolved(config.store_path))
        if not config.store_path.exists():
            raise
        return False
    return True
