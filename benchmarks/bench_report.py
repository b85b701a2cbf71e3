"""Time `tsunagari report` on the bundled data: from a clean folder, and with the store built.

    python benchmarks/bench_report.py [--repeat 3]
    python benchmarks/bench_report.py --against /work/main/.venv/bin/python [--repeat 5]

Each repeat is a new empty folder: one run there builds the store and writes the report
(clean), a second run in the same folder finds the store built (built). Each run is a
fresh process running the CLI. Siting (the MCLP section) is solved in a worker process
beside the rest of the report (a thread before); the run also times how long the report
then waits for its answers ("siting wait": what siting adds to the wall time). CPU is
given for the report's process and for its children (the siting worker) apart.

With `--against PYTHON` (another checkout's interpreter, its package installed) the built
runs of this checkout and that one alternate, pair by pair (the first of a pair switches
each time), each in a folder of its own whose store its first, untimed run built; the two
reports are then compared byte for byte.

Where PYTHONDONTWRITEBYTECODE is set (these sessions' machines), every run compiles the
package's modules from source (~0.1 s); `--bytecode` caches them in a folder of their own,
as an installed package has them.

Prints medians (min–max) of wall and CPU time, the report's bytes and files, and the load,
as Markdown.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the CLI, with the wait for siting's answers timed and the CPU of its children (the siting
# worker, waited for by then) printed last, as JSON
DRIVER = """
import atexit, json, resource, sys, time
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
def done():
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent["worker"] = kids.ru_utime + kids.ru_stime
    print(json.dumps(spent), file=sys.stderr)
atexit.register(done)
from tsunagari.cli import main
main(["report"])
"""


ENV = dict(os.environ)  # the children's; --bytecode caches their compiled modules


def run_once(folder: Path, python: str = sys.executable) -> dict[str, float]:
    """Wall and CPU s of the child (its process, and its own children apart), its wait for
    siting, bytes and files of one report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [python, "-c", DRIVER], cwd=folder, check=True, capture_output=True, text=True, env=ENV
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    spent = json.loads(done.stderr.strip().splitlines()[-1])
    files = [p for p in (folder / "report").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return {
        "wall": wall,
        "cpu": cpu - spent["worker"],
        "worker": spent["worker"],
        "siting": spent["siting"],
        "bytes": size,
        "files": len(files),
    }


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def same_files(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files, byte for byte."""
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def table(runs: dict[str, list[dict[str, float]]], first: str) -> None:
    print(
        f"| {first} | n | wall | CPU, report process | CPU, siting worker | siting wait "
        "| size | files |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, rs in runs.items():
        cells = [[r[k] for r in rs] for k in ("wall", "cpu", "worker", "siting")]
        print(
            f"| {name} | {len(rs)} | {' | '.join(spread(c) for c in cells)} "
            f"| {int(rs[-1]['bytes']):,} B | {int(rs[-1]['files']):,} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", metavar="PYTHON", help="another checkout's interpreter")
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="cache compiled modules (in a folder of their own, as an installed package has "
        "them) even where PYTHONDONTWRITEBYTECODE is set",
    )
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]
    cache = tempfile.TemporaryDirectory()
    if args.bytecode:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = cache.name
    compiled = "cached" if "PYTHONDONTWRITEBYTECODE" not in ENV else "compiled in every run"
    print(f"modules' bytecode {compiled}")
    if args.against:
        sides = {"this checkout": sys.executable, "against": args.against}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
        with tempfile.TemporaryDirectory() as tmp:
            folders = {name: Path(tmp) / str(i) for i, name in enumerate(sides)}
            for name, python in sides.items():
                folders[name].mkdir()
                run_once(folders[name], python)  # builds the store
            for i in range(args.repeat):
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for name in order:
                    runs[name].append(run_once(folders[name], sides[name]))
                    loads.append(os.getloadavg()[0])
            same = same_files(*(f / "report" for f in folders.values()))
        print(f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores")
        print(f"against {args.against}; the two reports identical byte for byte: {same}\n")
        table(runs, "built, alternated")
        return
    runs = {"clean": [], "built": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs["clean"].append(run_once(Path(tmp)))
            runs["built"].append(run_once(Path(tmp)))
        loads.append(os.getloadavg()[0])
    print(f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores\n")
    table(runs, "run")


if __name__ == "__main__":
    main()
