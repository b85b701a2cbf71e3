"""Everything a default build loads: the bundled data, plus the user's files."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from tsunagari.loaders.directory import load_bundled_directory, load_directory
from tsunagari.loaders.funding import is_funding_folder, load_bundled_funding, load_funding
from tsunagari.loaders.hsds import is_hsds_package, load_hsds
from tsunagari.loaders.master import load_master
from tsunagari.loaders.national import add_town_contacts, load_national_windows, stated_centres
from tsunagari.loaders.specialised import mark_specialised
from tsunagari.records import LoadResult

log = logging.getLogger(__name__)


def load_inputs(*, extra: Sequence[Path] = (), skip_invalid: bool = False) -> LoadResult:
    """The national master and layer, the bundled funding lists and directory, `extra` files,
    and the stated centres that none of them names.

    Bundled data must load without a problem (a test holds it to that). The problems of
    `extra` files are returned; with `skip_invalid` their valid rows are kept as well.
    """
    result = load_master()
    add_town_contacts(result)
    for part in _bundled():
        result.extend(part)
    funding = [p for p in extra if is_funding_folder(p)]
    hsds = [p for p in extra if p not in funding and is_hsds_package(p)]
    directory = [p for p in extra if p not in funding and p not in hsds]
    for folder in funding:  # written by `tsunagari import-funding`: already checked
        result.extend(load_funding(folder))
    for folder in hsds:  # loads whole or not at all; rows that do not map come back as notes
        result.extend(load_hsds(folder))
    if directory:
        result.extend(load_directory(directory, skip_invalid=skip_invalid))
    mark_specialised(result)
    result.extend(stated_centres(result))
    log.info("inputs: %d nodes, %d edges", len(result.nodes), len(result.edges))
    return result


def _bundled() -> list[LoadResult]:
    return [load_national_windows(), load_bundled_funding(), load_bundled_directory()]
