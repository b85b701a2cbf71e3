"""The bundled national master: prefectures, municipalities and wards with population."""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path

from tsunagari.records import Edge, LoadResult, Node, SourceInfo

DATA = files("tsunagari") / "data"


def data_path(name: str) -> Path:
    return Path(str(DATA / name))


@cache
def master_rows() -> tuple[dict[str, str], ...]:
    """Every row of the master, codes as strings (a leading zero is never lost)."""
    with data_path("municipalities.csv").open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


@cache
def bundled_sources() -> dict[str, SourceInfo]:
    """The sources of the bundled data: data/sources.csv and data/national/sources.csv."""
    rows = []
    for name in ("sources.csv", "national/sources.csv"):
        with data_path(name).open(encoding="utf-8", newline="") as f:
            rows += list(csv.DictReader(f))
    for r in rows:
        bundled = data_path(r["file"]) if r["file"] else None
        if not r["sha256"] and bundled is not None and bundled.is_file():
            r["sha256"] = hashlib.sha256(bundled.read_bytes()).hexdigest()
    return {r["id"]: SourceInfo(**r) for r in rows}


def _int(text: str) -> int | None:
    return int(text) if text else None


def _float(text: str) -> float | None:
    return float(text) if text else None


def load_master() -> LoadResult:
    """Prefecture and Municipality nodes with IN_PREFECTURE and WARD_OF edges."""
    rows = master_rows()
    result = LoadResult(sources=[bundled_sources()["jp-master-2020"]])
    pref_code = {r["pref_code"]: r["code"] for r in rows if r["kind"] == "prefecture"}
    city_code = {
        (r["pref_code"], r["name"]): r["code"] for r in rows if r["kind"] == "designated_city"
    }
    for line, r in enumerate(rows, start=2):
        base = {
            "name": r["name"],
            "name_kana": r["name_kana"],
            "population": _int(r["population"]),
            "source": r["source"],
            "locator": f"municipalities.csv:{line}",
        }
        if r["kind"] == "prefecture":
            result.nodes.append(Node("Prefecture", r["code"], base))
            continue
        props = base | {
            "kind": r["kind"],
            "prefecture_code": pref_code[r["pref_code"]],
            "lat": _float(r["lat"]),
            "lng": _float(r["lng"]),
        }
        result.nodes.append(Node("Municipality", r["code"], props))
        where = {"source": r["source"], "locator": f"municipalities.csv:{line}"}
        me = ("Municipality", r["code"])
        result.edges.append(
            Edge("IN_PREFECTURE", me, ("Prefecture", pref_code[r["pref_code"]]), where)
        )
        if r["kind"] == "ward":
            parent = city_code[(r["pref_code"], r["parent_city"])]
            result.edges.append(Edge("WARD_OF", me, ("Municipality", parent), where))
    return result
