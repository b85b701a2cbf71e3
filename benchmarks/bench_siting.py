"""Time `recommend` (maximal covering location) nationally: each service, k = 10 and 50.

Usage: python benchmarks/bench_siting.py STORE [--repeat 3] [--k 10 50] [--specialised]

STORE is a built LadybugDB graph (`tsunagari build`). For each service and k, the median
of --repeat runs of the whole call (coverage query, distances, greedy, HiGHS), of the
exact solve alone and of greedy alone, with the two answers and the gap, as Markdown rows
for BENCHMARKS.md. Runs share one process; the town-to-town distances are recomputed for
every run (their cache is cleared) so each row pays for them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.model import SERVICES
from tsunagari.queries import siting
from tsunagari.queries.siting import SitingOptions, recommend


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--k", type=int, nargs="+", default=[10, 50])
    ap.add_argument("--specialised", action="store_true", help="consultation, specialised only")
    args = ap.parse_args(argv)
    jobs = [(s, False) for s in SERVICES]
    if args.specialised:
        jobs.append(("consultation", True))
    print("| service | k | whole call | exact (HiGHS) | greedy | exact reaches | greedy reaches "
          "| gap | status | candidates × towns |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    store = LadybugStore(args.store, read_only=True)
    try:
        for service, specialised in jobs:
            for k in args.k:
                whole, ex, gr = [], [], []
                for _ in range(args.repeat):
                    siting._near.cache_clear()
                    start = time.perf_counter()
                    options = SitingOptions(service=service, k=k, specialised=specialised)
                    rec = recommend(store, options)
                    whole.append(time.perf_counter() - start)
                    ex.append(rec.exact.seconds)
                    gr.append(rec.greedy.seconds)
                name = service + (" (specialised)" if specialised else "")
                gap = "—" if rec.gap is None else f"{rec.gap:.2%}"
                print(
                    f"| {name} | {k} | {statistics.median(whole):.2f} s "
                    f"| {statistics.median(ex):.2f} s | {statistics.median(gr):.2f} s "
                    f"| {rec.exact.value:,.0f} | {rec.greedy.value:,.0f} | {gap} "
                    f"| {rec.exact.status} | {len(rec.sites):,} × {len(rec.demand):,} |",
                    flush=True,
                )
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
