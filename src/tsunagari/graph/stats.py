"""What is in a built graph: counts per label and edge type, its sources and build record."""

from __future__ import annotations

from typing import Any

from tsunagari.graph.store import GraphStore
from tsunagari.loaders.national import national_facts
from tsunagari.locators import short_name
from tsunagari.model import EDGE_TYPES, NODE_TYPES


def stats_rows(store: GraphStore) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for t in NODE_TYPES:
        n = store.run(f"MATCH (n:{t.label}) RETURN count(n) AS n")[0]["n"]
        rows.append({"kind": "node", "name": t.label, "count": n, "detail": ""})
    for e in EDGE_TYPES:
        n = store.run(f"MATCH ()-[e:{e.type}]->() RETURN count(e) AS n")[0]["n"]
        rows.append({"kind": "edge", "name": e.type, "count": n, "detail": ""})
    for s in store.run(
        "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.rows AS rows, "
        "s.sha256 AS sha256, s.publisher AS publisher, s.date AS date, "
        "coalesce(s.licence, '') AS licence, s.file AS file ORDER BY s.id"
    ):
        parts = [short_name(s["file"]) or s["title"], s["publisher"] or "", s["date"] or ""]
        detail = "; ".join(p for p in parts if p) + f" (sha256 {(s['sha256'] or '?')[:12]})"
        if s["licence"]:
            detail += f" — {s['licence']}"
        rows.append({"kind": "source", "name": s["id"], "count": s["rows"], "detail": detail})
    platforms = store.run("MATCH (p:Platform) WHERE p.level = 'municipal' RETURN count(p) AS n")[0][
        "n"
    ]
    for f in national_facts():
        detail = f"{f['statement']}（{f['unit']}、{f['as_of']}、出典 {f['source']}）"
        if f["id"] == "platforms-municipal":
            detail += f" — 読み込んだデータにある市町村プラットフォーム: {platforms}"
        rows.append({"kind": "fact", "name": f["id"], "count": int(f["value"]), "detail": detail})
    for b in store.run(
        "MATCH (b:Build) RETURN b.built_at AS at, b.tool_version AS v, b.inputs_sha256 AS h"
    ):
        detail = f"{b['at']} / tsunagari {b['v']} / sha256 {b['h'][:12]}"
        rows.append({"kind": "build", "name": "build", "count": None, "detail": detail})
    return rows
