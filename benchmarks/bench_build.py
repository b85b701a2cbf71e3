"""Time our build against LadybugDB's fastest bulk load of the same rows (the anchor).

    python benchmarks/bench_build.py [S M L] [--pairs 5] [--anchors csv,parquet,arrow,pandas]
                                     [--before /work/main/src]

The anchor is the engine's own `COPY … FROM` of the rows, prepared beforehand (untimed) in
each format the engine reads: CSV and Parquet files, Arrow tables (both need pyarrow),
pandas DataFrames. Every anchor runs with auto-checkpoint off and one CHECKPOINT at the end,
and includes the schema DDL, as our build does. The fastest format's median is the anchor.

Runs are interleaved, each in a fresh process: every round runs each anchor format, then our
build (then, with --before, the build of another checkout), so load drift hits both sides
of a pair. Our build takes the synthetic input as columns (benchmarks/synth.py), the other
checkout the same rows as records. Times are medians with min–max; the ratio is the median
of the per-round ratios (with min–max), then the ratio of the two medians. CPU seconds
(every thread of the process, the engine's included) are less disturbed by other work on
the machine than wall time.
Memory: the synthetic data's footprint (RSS just before the timed part) is reported apart
from the build's own peak (the peak RSS during the timed part, minus that footprint; the
kernel's peak counter is reset through /proc/self/clear_refs when the build starts).
Prints Markdown tables for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ANCHORS = ("csv", "parquet", "arrow", "pandas")


def _synthetic(size: str, *, records: bool = False) -> Any:
    """The synthetic input of `size`, generated once and kept as a pickle beside the system's
    temporary files (generating L takes longer than building it): as columns, or with
    `records` as one record per row (what a checkout from before columns can build)."""
    import pickle

    form = "records" if records else "columns"
    cache = Path(tempfile.gettempdir()) / f"tsunagari-bench-{size}-{form}-{os.getuid()}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from synth import synthetic

    result = synthetic(size)
    if records:
        for part in result.node_columns:
            result.nodes += part.records()
        for edges in result.edge_columns:
            result.edges += edges.records()
        result.node_columns, result.edge_columns = [], []
    cache.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result


def _tables(size: str) -> list[tuple[str, dict[str, list[Any]], tuple[str, str] | None]]:
    """(table, columns, ends) per node label and per edge type and ends, as the model orders
    the columns: the rows every anchor loads."""
    from tsunagari.model import EDGES, NODES

    result = _synthetic(size)
    out: list[tuple[str, dict[str, list[Any]], tuple[str, str] | None]] = []
    for part in result.node_columns:
        t, n = NODES[part.label], len(part.keys)
        cols = {p.name: part.props.get(p.name) or [None] * n for p in t.all_props}
        cols[t.key] = part.keys
        out.append((part.label, cols, None))
    for edges in result.edge_columns:
        n = len(edges.src)
        cols = {"from": edges.src, "to": edges.dst}
        cols |= {p.name: edges.props.get(p.name) or [None] * n for p in EDGES[edges.type].all_props}
        out.append((edges.type, cols, edges.ends))
    return out


def _arrow(table: str, cols: dict[str, list[Any]], ends: tuple[str, str] | None) -> Any:
    import pyarrow as pa

    from tsunagari.model import EDGES, NODES

    types = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
             "BOOLEAN": pa.bool_(), "STRING[]": pa.list_(pa.string())}  # fmt: skip
    props = {p.name: p.type for p in (EDGES[table] if ends else NODES[table]).all_props}
    return pa.table({c: pa.array(v, type=types[props.get(c, "STRING")]) for c, v in cols.items()})


def _prepare(fmt: str, size: str, work: Path) -> list[tuple[str, Any, tuple[str, str] | None]]:
    """Each table in the anchor's format: a file path or an in-memory frame (not timed)."""
    items: list[tuple[str, Any, tuple[str, str] | None]] = []
    for i, (table, cols, ends) in enumerate(_tables(size)):
        if fmt == "csv":
            path = work / f"{i}.csv"
            with path.open("w", newline="") as f:
                w = csv.writer(f)
                for row in zip(*cols.values(), strict=True):
                    w.writerow([_csv(v) for v in row])
            items.append((table, path, ends))
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            path = work / f"{i}.parquet"
            pq.write_table(_arrow(table, cols, ends), path)
            items.append((table, path, ends))
        elif fmt == "arrow":
            items.append((table, _arrow(table, cols, ends), ends))
        else:
            import pandas as pd

            frame = pd.DataFrame({c: pd.Series(v, dtype="object") for c, v in cols.items()})
            items.append((table, frame, ends))
    return items


def _csv(v: object) -> object:
    if isinstance(v, list):
        return "[" + ",".join(v) + "]"
    return "" if v is None else v


def _copy(items: list[tuple[str, Any, tuple[str, str] | None]], db_path: Path) -> None:
    """The anchor proper: DDL, COPY per table with auto-checkpoint off, one CHECKPOINT."""
    import ladybug

    from tsunagari.graph.schema import ladybug_ddl

    db = ladybug.Database(str(db_path))
    conn = ladybug.Connection(db)
    conn.execute("CALL auto_checkpoint=false")
    for ddl in ladybug_ddl():
        conn.execute(ddl)
    for table, source, ends in items:
        opts = ["header=false"] if isinstance(source, Path) and source.suffix == ".csv" else []
        opts += [f"from='{ends[0]}'", f"to='{ends[1]}'"] if ends else []
        options = f" ({', '.join(opts)})" if opts else ""
        if isinstance(source, Path):
            conn.execute(f"COPY {table} FROM '{source}'{options}")
        else:
            conn.execute(f"COPY {table} FROM $frame{options}", {"frame": source})
    conn.execute("CHECKPOINT")
    conn.close()
    db.close()


def _status(field: str) -> float:
    """VmRSS / VmHWM of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _timed(run: Any) -> dict[str, float]:
    base = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak counter restarts from here
    started, cpu = time.perf_counter(), time.process_time()  # CPU: every thread, the engine's too
    run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "data_mb": base, "build_mb": _status("VmHWM") - base}


def child(method: str, size: str, *, records: bool = False) -> dict[str, float]:
    import ladybug  # noqa: F401  imports are not the load: both sides have them before the clock
    import pandas  # noqa: F401

    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        if method in ANCHORS:
            items = _prepare(method, size, work)
            return _timed(lambda: _copy(items, work / "copy.lbug"))
        from tsunagari.graph.build import build_graph

        if size == "bundled":
            from tsunagari.loaders.bundle import load_inputs

            return _timed(lambda: build_graph(load_inputs(), work / "bundled.lbug"))
        result = _synthetic(size, records=records)
        return _timed(lambda: build_graph(result, work / "ours.lbug"))


def measure(method: str, size: str, src: str | None = None) -> dict[str, float]:
    env = dict(os.environ)
    if src:  # the build of another checkout (its src/ folder), from records, for a before column
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, size, *(["--records"] if src else [])],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    med = statistics.median(values)
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", default=["S", "M", "L"])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--anchors", default=",".join(ANCHORS))
    ap.add_argument("--before", help="src/ folder of another checkout to time alongside ours")
    ap.add_argument("--child", nargs=2)
    ap.add_argument("--records", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child, records=args.records)))
        return
    from synth import SIZES

    anchors = args.anchors.split(",")
    if importlib.util.find_spec("pyarrow") is None and {"parquet", "arrow"} & set(anchors):
        print("pyarrow is not installed: no Parquet or Arrow anchor (pip install pyarrow)\n")
        anchors = [a for a in anchors if a not in ("parquet", "arrow")]
    series = [*anchors, "ours", *(["before"] if args.before else [])]
    rows, variants = [], []
    for size in args.sizes:
        _synthetic(size)
        if args.before:  # made here: the other checkout may not know columns
            _synthetic(size, records=True)
        runs: dict[str, list[dict[str, float]]] = defaultdict(list)
        for _ in range(args.pairs):
            for method in series:
                if method == "before":
                    runs[method].append(measure("ours", size, args.before))
                else:
                    runs[method].append(measure(method, size))
        secs = {m: [r["seconds"] for r in runs[m]] for m in series}
        best = min(anchors, key=lambda m: statistics.median(secs[m]))
        ratios = [o / a for o, a in zip(secs["ours"], secs[best], strict=True)]
        of_medians = statistics.median(secs["ours"]) / statistics.median(secs[best])
        cpu = {m: statistics.median(r["cpu"] for r in runs[m]) for m in ("ours", best)}
        n, e = SIZES[size]
        before = ""
        if args.before:
            old = [b / a for b, a in zip(secs["before"], secs[best], strict=True)]
            old_of_medians = statistics.median(secs["before"]) / statistics.median(secs[best])
            before = f" {spread(secs['before'])} | {spread(old, '×')}; {old_of_medians:.2f}× |"
        rows.append(
            f"| {size} | {n:,} / {e:,} | {best}: {spread(secs[best])} | {spread(secs['ours'])} "
            f"| {spread(ratios, '×')}; {of_medians:.2f}× "
            f"| {cpu[best]:.2f} s / {cpu['ours']:.2f} s; {cpu['ours'] / cpu[best]:.2f}× |{before} "
            f"{statistics.median(r['build_mb'] for r in runs['ours']):,.0f} "
            f"| {statistics.median(r['build_mb'] for r in runs[best]):,.0f} "
            f"| {statistics.median(r['data_mb'] for r in runs['ours']):,.0f} |"
        )
        variants.append(f"| {size} | " + " | ".join(spread(secs[m]) for m in anchors) + " |")
        print(rows[-1], flush=True)
        print(variants[-1], flush=True)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{args.pairs} interleaved rounds per size; load average at the end {load}\n")
    before_head = " before (other checkout) | before ÷ anchor |" if args.before else ""
    print(
        f"| size | nodes / edges | anchor: fastest COPY | our build "
        f"| ours ÷ anchor: per round; of medians | CPU, anchor / ours (medians) |{before_head}"
        " build peak RSS, ours (MB) | anchor's (MB) | data held before (MB) |"
    )
    print("|---|---|---|---|---|---|" + ("---|---|" if args.before else "") + "---|---|---|")
    print("\n".join(rows))
    print("\n| size | " + " | ".join(f"COPY from {m}" for m in anchors) + " |")
    print("|---|" + "---|" * len(anchors))
    print("\n".join(variants))
    bundled, old = [], []
    for _ in range(args.pairs):
        bundled.append(measure("ours", "bundled"))
        if args.before:
            old.append(measure("ours", "bundled", args.before))
    print(
        f"\nbundled data, load + validate + build ({args.pairs} runs): "
        f"{spread([m['seconds'] for m in bundled])}, "
        f"build peak RSS {statistics.median(m['build_mb'] for m in bundled):,.0f} MB"
    )
    if old:
        print(f"bundled, before (interleaved with ours): {spread([m['seconds'] for m in old])}")


if __name__ == "__main__":
    main()
