"""Time `tsunagari report` on the bundled data: from a clean folder, and with the store built.

    python benchmarks/bench_report.py [--repeat 3]

Each repeat is a new empty folder: one run there builds the store and writes the report
(clean), a second run in the same folder finds the store built (built). Each run is a
fresh process running the CLI; it also times siting_results (the MCLP section) inside
itself, so the report without siting is visible apart. Prints medians (min–max) of wall
and CPU time, the report's bytes and files, and the load average, as Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the CLI, with siting_results wrapped to add up its own wall time (printed last, as JSON)
DRIVER = """
import atexit, json, sys, time
import tsunagari.report.write as w
spent = [0.0]
inner = w.siting_results
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return inner(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - start
w.siting_results = timed
atexit.register(lambda: print(json.dumps({"siting": spent[0]}), file=sys.stderr))
from tsunagari.cli import main
main(["report"])
"""


def run_once(folder: Path) -> dict[str, float]:
    """Wall s, CPU s of the child, siting s, bytes and files of one report in `folder`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", DRIVER], cwd=folder, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    siting = json.loads(done.stderr.strip().splitlines()[-1])["siting"]
    files = [p for p in (folder / "report").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return {"wall": wall, "cpu": cpu, "siting": siting, "bytes": size, "files": len(files)}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} s ({min(values):.1f}–{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"clean": [], "built": []}
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs["clean"].append(run_once(Path(tmp)))
            runs["built"].append(run_once(Path(tmp)))
        loads.append(os.getloadavg()[0])
    print(f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores\n")
    print("| run | n | wall | CPU | siting alone | wall without siting | size | files |")
    print("|---|---|---|---|---|---|---|---|")
    for name, rs in runs.items():
        wall = [r["wall"] for r in rs]
        without = [r["wall"] - r["siting"] for r in rs]
        print(
            f"| {name} | {len(rs)} | {spread(wall)} | {spread([r['cpu'] for r in rs])} "
            f"| {spread([r['siting'] for r in rs])} | {spread(without)} "
            f"| {int(rs[-1]['bytes']):,} B | {int(rs[-1]['files']):,} |"
        )


if __name__ == "__main__":
    main()
