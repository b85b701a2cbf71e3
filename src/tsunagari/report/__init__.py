"""The main job and the data behind each page; only this package reads the store for them.

tsunagari.viz turns what it gathers into HTML and runs no Cypher of its own.
"""

from tsunagari.report.views import map_data, map_from_rows, network_data, prefecture_aggregate
from tsunagari.report.write import ReportResult, write_report

__all__ = [
    "ReportResult",
    "map_data",
    "map_from_rows",
    "network_data",
    "prefecture_aggregate",
    "write_report",
]
