"""Time our build against LadybugDB's own COPY FROM of the same rows (the physical limit).

    python benchmarks/bench_build.py [S M L] [--repeat 3]

Each measurement runs in a fresh process; prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _copy_baseline(size: str, work: Path) -> float:
    """DDL + COPY FROM pre-written CSV files + CHECKPOINT, timed; writing the CSVs is not."""
    import ladybug
    from synth import synthetic

    from tsunagari.graph.schema import ladybug_ddl
    from tsunagari.model import EDGES, NODES

    result = synthetic(size)
    files: list[tuple[str, Path, tuple[str, str] | None]] = []
    by_label = defaultdict(list)
    for n in result.nodes:
        by_label[n.label].append(n)
    for label, nodes in by_label.items():
        cols = [p.name for p in NODES[label].all_props]
        path = work / f"n_{label}.csv"
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            for n in nodes:
                row = {NODES[label].key: n.key, **n.props}
                w.writerow([_csv(row.get(c)) for c in cols])
        files.append((label, path, None))
    by_type = defaultdict(list)
    for e in result.edges:
        by_type[(e.type, e.src[0], e.dst[0])].append(e)
    for (etype, a, b), edges in by_type.items():
        cols = [p.name for p in EDGES[etype].all_props]
        path = work / f"e_{etype}_{a}_{b}.csv"
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            for e in edges:
                w.writerow([e.src[1], e.dst[1], *(_csv(e.props.get(c)) for c in cols)])
        files.append((etype, path, (a, b)))
    started = time.perf_counter()
    db = ladybug.Database(str(work / "copy.lbug"))
    conn = ladybug.Connection(db)
    for ddl in ladybug_ddl():
        conn.execute(ddl)
    for table, path, ends in files:
        opts = f", from='{ends[0]}', to='{ends[1]}'" if ends else ""
        conn.execute(f"COPY {table} FROM '{path}' (header=false{opts})")
    conn.execute("CHECKPOINT")
    conn.close()
    db.close()
    return time.perf_counter() - started


def _csv(v: object) -> object:
    if isinstance(v, list):
        return "[" + ",".join(v) + "]"
    return "" if v is None else v


def _ours(size: str, work: Path) -> float:
    from synth import synthetic

    from tsunagari.graph.build import build_graph

    result = synthetic(size)
    started = time.perf_counter()
    build_graph(result, work / "ours.lbug")
    return time.perf_counter() - started


def _bundled(work: Path) -> float:
    started = time.perf_counter()
    from tsunagari.graph.build import build_graph
    from tsunagari.loaders.bundle import load_inputs

    build_graph(load_inputs(), work / "bundled.lbug")
    return time.perf_counter() - started


def child(method: str, size: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        if method == "copy":
            seconds = _copy_baseline(size, work)
        elif method == "ours":
            seconds = _ours(size, work)
        else:
            seconds = _bundled(work)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def measure(method: str, size: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, size],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", default=["S", "M", "L"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    print("| size | nodes / edges | COPY FROM | our build | ratio | peak RSS ours (MB) |")
    print("|---|---|---|---|---|---|")
    from synth import SIZES

    for size in args.sizes:
        copy = [measure("copy", size) for _ in range(args.repeat)]
        ours = [measure("ours", size) for _ in range(args.repeat)]
        c = statistics.median(m["seconds"] for m in copy)
        o = statistics.median(m["seconds"] for m in ours)
        peak = max(m["peak_mb"] for m in ours)
        n, e = SIZES[size]
        print(
            f"| {size} | {n:,} / {e:,} | {c:.2f} s | {o:.2f} s | {o / c:.2f}× | {peak:,.0f} |",
            flush=True,
        )
    bundled = [measure("bundled", "-") for _ in range(args.repeat)]
    print(
        f"\nbundled data, load + validate + build (median of {args.repeat}): "
        f"{statistics.median(m['seconds'] for m in bundled):.2f} s"
    )


if __name__ == "__main__":
    main()
