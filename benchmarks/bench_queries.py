"""Time the library calls behind gaps, hubs, resilience, resources, partners, access, network.

Usage: python benchmarks/bench_queries.py STORE [--repeat 3] [--town 阪南市] [--prefecture 大阪府]
       [--around 北九州市ひきこもり地域支援センター] [--only hubs] [--cold 10] [--against OTHER/src]

STORE is a built LadybugDB graph (`tsunagari build`, or a synthetic one). Each call opens
the store read-only, runs, and closes; the median (min–max) of --repeat runs is printed
as a Markdown row per call, ready for BENCHMARKS.md. With --cold N, `tsunagari gaps
--top 5` is also run N times as a whole process (python start, imports, open, query,
print), as a user meets it, with its CPU time; --against another checkout's src folder
alternates that one's runs with these, pair by pair. The load average is printed: the
machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tsunagari.errors import QueryError
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.queries.access import access_table
from tsunagari.queries.coverage import (
    coverage_table,
    coverage_top,
    prefecture_summary,
    service_summary,
)
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
        "gaps (all services, every row with its providers)": lambda s: coverage_table(s),
        "gaps (all services, the command's first 30 rows)": lambda s: coverage_top(s, top=30)[0],
        "gaps --service consultation": lambda s: coverage_table(s, service="consultation"),
        "gaps --summary": lambda s: service_summary(s),
        "gaps --per-prefecture": lambda s: prefecture_summary(s),
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


COLD = ("gaps", "--top", "5")
Run = tuple[float, float]  # wall, CPU seconds


def cold_runs(store: Path, repeat: int, sources: Sequence[str] = ("",)) -> list[list[Run]]:
    """Wall and CPU seconds (the process's user + system) of `repeat` whole `tsunagari gaps
    --top 5` processes on `store` per source folder ("" for this checkout; another
    checkout's `src` to compare), the sources alternated run by run."""
    argv = [sys.executable, "-c", "import sys; from tsunagari.cli import main; sys.exit(main())"]
    runs: list[list[Run]] = [[] for _ in sources]
    for _ in range(repeat):
        for i, src in enumerate(sources):
            env = {**os.environ, "PYTHONPATH": src} if src else None
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            command = [*argv, "--store", str(store), *COLD]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            runs[i].append((wall, cpu))
    return runs


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} ({min(times):.2f}–{max(times):.2f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--town", default="阪南市")
    ap.add_argument("--prefecture", default="大阪府")
    ap.add_argument("--around", default="北九州市ひきこもり地域支援センター")
    ap.add_argument("--only", default="", help="Run only the calls whose name contains this.")
    ap.add_argument("--cold", type=int, default=0, help="Whole `gaps --top 5` processes to time.")
    ap.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="SRC",
        help="Another checkout's src folder whose cold runs alternate with this one's.",
    )
    args = ap.parse_args(argv)
    with LadybugStore(args.store) as store:
        nodes = store.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
        edges = store.run("MATCH ()-[e]->() RETURN count(e) AS n")[0]["n"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.store}: {nodes:,} nodes, {edges:,} edges; median of {args.repeat}; load {load}")
    print("| call | median s (min–max) | CPU s | rows |")
    print("|---|---|---|---|")
    for name, call in calls(args.town, args.prefecture, args.around).items():
        if args.only not in name:
            continue
        times, cpu, size = [], [], 0
        for _ in range(args.repeat):
            started, used = time.perf_counter(), time.process_time()
            with LadybugStore(args.store) as store:
                result = call(store)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)  # the engine's threads included
            rows = getattr(result, "rows", result)
            size = len(rows) if isinstance(rows, list) else len(getattr(result, "providers", []))
        print(f"| {name} | {spread(times)} | {spread(cpu)} | {size:,} |", flush=True)
    if args.cold:
        sources = ("", *args.against)
        for src, runs in zip(sources, cold_runs(args.store, args.cold, sources), strict=True):
            wall, cpu = spread([w for w, _ in runs]), spread([c for _, c in runs])
            who = f" ({src})" if src else ""
            print(f"| cold `tsunagari {' '.join(COLD)}`{who}, whole process | {wall} | {cpu} | |")
    print(f"load {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
