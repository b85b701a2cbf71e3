"""Time `tsunagari report` on the bundled data: from a clean folder, and with the store built.

    python benchmarks/bench_report.py [--repeat 3]

Each repeat is a new empty folder: one run there builds the store and writes the report
(clean), a second run in the same folder finds the store built (built). Each run is a
fresh process running the CLI. Siting (the MCLP section) is solved in a thread beside the
rest of the report; the run also times how long the report then waits for its answers
("siting wait": what siting adds to the wall time). Prints medians (min–max) of wall and
CPU time, the report's bytes and files, and the load, as Markdown.
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

# the CLI, with the wait for siting's answers timed (printed last, as JSON)
DRIVER = """
import atexit, json, sys, time
import tsunagari.report.write as w
spent = {"siting": 0.0}
inner = w.start_siting
def started(*args, **kwargs):
    answers = inner(*args, **kwargs)
    def wait():
        start = time.perf_counter()
        try:
            return answers()
        finally:
            spent["siting"] += time.perf_counter() - start
    return wait
w.start_siting = started
atexit.register(lambda: print(json.dumps(spent), file=sys.stderr))
from tsunagari.cli import main
main(["report"])
"""


def run_once(folder: Path) -> dict[str, float]:
    """Wall and CPU s of the child, its wait for siting, bytes and files of one report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", DRIVER], cwd=folder, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    siting = json.loads(done.stderr.strip().splitlines()[-1])
    files = [p for p in (folder / "report").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return {"wall": wall, "cpu": cpu, **siting, "bytes": size, "files": len(files)}


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
    print("| run | n | wall | CPU (both threads) | siting wait | size | files |")
    print("|---|---|---|---|---|---|---|")
    for name, rs in runs.items():
        cells = [
            [r["wall"] for r in rs],
            [r["cpu"] for r in rs],
            [r["siting"] for r in rs],
        ]
        print(
            f"| {name} | {len(rs)} | {' | '.join(spread(c) for c in cells)} "
            f"| {int(rs[-1]['bytes']):,} B | {int(rs[-1]['files']):,} |"
        )


if __name__ == "__main__":
    main()
