"""The JavaScript the pages inline: vis-network from the pyvis package, read once."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

VIS_VERSION = "9.1.2"
VIS_FILE = "vis-network.min.js"  # their names in a report's assets folder
NETWORK_SCRIPT = "network.js"


@cache
def vis_network_js() -> str:
    """vis-network's standalone build as pyvis ships it (its licence header kept)."""
    # found, not imported: importing pyvis costs 0.2 s (its Network, jinja2, jsonpickle)
    spec = find_spec("pyvis")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0])
    path = folder / "templates" / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


# vis-network's own tooltip rule, restated so its 220 kB stylesheet need not be inlined;
# pre-line keeps the line breaks of our plain-text titles.
TOOLTIP_CSS = """
div.vis-tooltip{position:absolute;visibility:hidden;padding:5px 8px;white-space:pre-line;
font-size:13px;background:#fffdf5;border:1px solid #888;border-radius:3px;
box-shadow:3px 3px 10px rgba(0,0,0,.2);pointer-events:none;z-index:5;max-width:420px}
"""
