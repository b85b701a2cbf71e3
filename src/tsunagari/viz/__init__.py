"""The pages: network view, map and report, rendered from analysis results (no Cypher here)."""

from tsunagari.viz.map import MapData, MapTown, render_map
from tsunagari.viz.network import NODE_LIMIT, NetworkData, TooLargeError, render_network
from tsunagari.viz.report import ReportPage, build_page, render_report

__all__ = [
    "NODE_LIMIT",
    "MapData",
    "MapTown",
    "NetworkData",
    "ReportPage",
    "TooLargeError",
    "build_page",
    "render_map",
    "render_network",
    "render_report",
]
