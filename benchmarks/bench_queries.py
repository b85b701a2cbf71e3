"""Time the library calls behind gaps, hubs, resilience, resources, partners, access, network.

Usage: python benchmarks/bench_queries.py STORE [--repeat 3] [--town 阪南市] [--prefecture 大阪府]
       [--around 北九州市ひきこもり地域支援センター] [--only hubs]

STORE is a built LadybugDB graph (`tsunagari build`, or a synthetic one). Each call opens
the store read-only, runs, and closes; the median of --repeat runs is printed as a
Markdown row per call, ready for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tsunagari.errors import QueryError
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.queries.access import access_table
from tsunagari.queries.coverage import coverage_table, prefecture_summary
from tsunagari.queries.hubs import hub_table
from tsunagari.queries.partners import partnerships
from tsunagari.queries.places import Place, find_place
from tsunagari.queries.resilience import resilience_table
from tsunagari.queries.resources import town_resources


def _place(store: LadybugStore, text: str, want: str) -> Place:
    """The named place, or on a synthetic graph (no real names) its first place of that kind."""
    try:
        return find_place(store, text, want=want)
    except QueryError:
        where = "WHERE n.prefecture_code IS NOT NULL" if want == "Municipality" else ""
        r = store.run(
            f"MATCH (n:{want}) {where} RETURN n.code AS code, n.name AS name, "
            "n.population AS population ORDER BY code LIMIT 1"
        )[0]
        if want == "Prefecture":
            return Place(want, r["code"], r["name"], None, r["code"], r["population"])
        pc = store.run(
            "MATCH (n:Municipality {code: $c}) RETURN n.prefecture_code AS p", {"c": r["code"]}
        )
        return Place(want, r["code"], r["name"], "town", pc[0]["p"], r["population"])


def _ego(store: LadybugStore, around: str) -> Any:
    """The ego view's data (depth 2), drawn when small enough; on a synthetic graph (no real
    names) around its first organisation."""
    from tsunagari.report import network_data
    from tsunagari.viz.network import NODE_LIMIT, render_network

    try:
        data = network_data(store, around=around, depth=2)
    except QueryError:
        data = network_data(store, around="Organization:o0", depth=2)
    if len(data.graph) <= NODE_LIMIT:
        render_network(data)
    return list(data.graph)


def calls(town: str, prefecture: str, around: str) -> dict[str, Callable[[LadybugStore], Any]]:
    def pref(store: LadybugStore) -> str:
        return _place(store, prefecture, "Prefecture").code

    return {
        "gaps (all services)": lambda s: coverage_table(s),
        "gaps --service consultation": lambda s: coverage_table(s, service="consultation"),
        "gaps --summary": lambda s: prefecture_summary(s),
        "hubs (among actors)": lambda s: hub_table(s),
        "hubs --among all": lambda s: hub_table(s, among="all"),
        "hubs --groups prefectures --by constraint": lambda s: hub_table(
            s, groups="prefectures", by="constraint"
        ),
        "hubs --prefecture": lambda s: hub_table(s, prefecture=pref(s)),
        "resilience": lambda s: resilience_table(s),
        "resilience --prefecture": lambda s: resilience_table(s, prefecture=pref(s)),
        "resources TOWN": lambda s: town_resources(s, _place(s, town, "Municipality")),
        "partners PREFECTURE": lambda s: partnerships(s, _place(s, prefecture, "Prefecture")),
        "access (all services)": lambda s: access_table(s),
        "network --around NODE --depth 2": lambda s: _ego(s, around),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--town", default="阪南市")
    ap.add_argument("--prefecture", default="大阪府")
    ap.add_argument("--around", default="北九州市ひきこもり地域支援センター")
    ap.add_argument("--only", default="", help="Run only the calls whose name contains this.")
    args = ap.parse_args(argv)
    with LadybugStore(args.store) as store:
        nodes = store.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
        edges = store.run("MATCH ()-[e]->() RETURN count(e) AS n")[0]["n"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.store}: {nodes:,} nodes, {edges:,} edges; median of {args.repeat}; load {load}")
    print("| call | median s | min–max s | rows | load average after |")
    print("|---|---|---|---|---|")
    for name, call in calls(args.town, args.prefecture, args.around).items():
        if args.only not in name:
            continue
        times, size = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            with LadybugStore(args.store) as store:
                result = call(store)
            times.append(time.perf_counter() - started)
            rows = getattr(result, "rows", result)
            size = len(rows) if isinstance(rows, list) else len(getattr(result, "providers", []))
        spread = f"{min(times):.2f}–{max(times):.2f}"
        load = f"{os.getloadavg()[0]:.1f}"
        print(
            f"| {name} | {statistics.median(times):.2f} | {spread} | {size:,} | {load} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
