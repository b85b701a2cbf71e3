"""Time `tsunagari report` on the bundled data from a clean folder (build included).

    python benchmarks/bench_report.py [--repeat 3]

Each run is a fresh process in a new empty folder; prints wall and CPU time, the size of
the report (bytes of its files) and how many files it holds, as a Markdown table.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once() -> tuple[float, float, int, int]:
    """(wall s, CPU s of the child, bytes, files) of one report from an empty folder."""
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).with_name("tsunagari")), "report"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        files = [p for p in (Path(tmp) / "report").rglob("*") if p.is_file()]
        return wall, cpu, sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [run_once() for _ in range(args.repeat)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    size, files = runs[-1][2], runs[-1][3]
    print("| runs | wall (median) | CPU (median) | size | files |")
    print("|---|---|---|---|---|")
    print(f"| {len(runs)} | {wall:.1f} s | {cpu:.1f} s | {size / 1e6:.2f} MB | {files:,} |")


if __name__ == "__main__":
    main()
