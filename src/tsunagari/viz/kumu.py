"""The network view's scope as a Kumu blueprint (JSON import): elements and connections.

Kumu's JSON import ("blueprints", docs.kumu.io guides/import/blueprints): an object with
`elements` (label, type, description, tags, and any further key as a custom field) and
`connections` (from, to, type, direction, custom fields); ids unique across both.
"""

from __future__ import annotations

from typing import Any

from tsunagari.viz.network import NetworkData, tie_family
from tsunagari.viz.text import t, word

# Ties that say nothing about who leads: drawn both ways in Kumu.
MUTUAL = frozenset({"PARTNERS_WITH"})
_EDGE_SKIP = frozenset({"type", "source", "locator"})
_NODE_FIELDS = ("key", "kind", "population", "prefectures", "centrality_value")


def render_kumu(data: NetworkData, *, lang: str = "ja") -> dict[str, Any]:
    """Every node and tie of `data.graph`, with its facts and its source, as a blueprint."""
    G = data.graph
    elements = []
    for v in sorted(G, key=str):
        d = G.nodes[v]
        element: dict[str, Any] = {
            "id": str(v),
            "label": d.get("name") or d.get("key") or str(v),
            "type": word(d.get("label"), lang),
            "description": _source(d, data, lang),
            "tags": [word(s, lang) for s in d.get("services") or []],
        }
        for name in _NODE_FIELDS:
            value = d.get(name)
            if value not in (None, "", [], ()):
                element[_field(name, lang)] = word(value, lang) if name == "kind" else _plain(value)
        elements.append(element)
    connections = []
    for i, (u, v, d) in enumerate(
        sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2]["type"]))
    ):
        connection: dict[str, Any] = {
            "id": f"tie-{i}:{d['type']}:{u}->{v}",
            "from": str(u),
            "to": str(v),
            "type": word(d["type"], lang),
            "direction": "mutual" if d["type"] in MUTUAL else "directed",
            "description": _source(d, data, lang),
            _field("family", lang): word(tie_family(d["type"]), lang),
            _field("edge_type", lang): d["type"],
        }
        for name, value in sorted(d.items()):
            if name not in _EDGE_SKIP and value not in (None, "", []):
                connection[_field(name, lang)] = _plain(value)
        connections.append(connection)
    return {"elements": elements, "connections": connections}


def _source(d: dict[str, Any], data: NetworkData, lang: str) -> str:
    src = d.get("source")
    if not src:
        return t(lang, "出典: 不明", "source: unknown")
    title = data.sources.get(src, src)
    where = f"（{d['locator']}）" if d.get("locator") else ""
    return t(lang, f"出典: {title}{where}", f"source: {title}{where}")


_FIELDS_JA = {
    "key": "ID",
    "kind": "種別",
    "population": "人口",
    "prefectures": "都道府県コード",
    "centrality_value": "媒介中心性",
    "family": "関係の種類",
    "edge_type": "edge type",
    "services": "支援",
    "scope": "範囲",
    "role": "役割",
    "note": "備考",
    "cost_thousand_yen": "事業費(千円)",
    "amount_thousand_yen": "交付額(千円)",
}


def _field(name: str, lang: str) -> str:
    return _FIELDS_JA.get(name, name) if lang == "ja" else name.replace("_", " ")


def _plain(value: Any) -> Any:
    """JSON-ready: tuples and lists as lists of text, numbers as numbers."""
    if isinstance(value, list | tuple):
        return [str(x) for x in value]
    return value
