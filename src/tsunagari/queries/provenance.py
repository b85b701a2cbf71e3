"""What every answer rests on: the loaded sources and the assumptions, as lines of text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tsunagari.config import PREVALENCE_SOURCE
from tsunagari.graph.store import GraphStore
from tsunagari.locators import short_name
from tsunagari.queries import run_query


@dataclass(frozen=True)
class Provenance:
    sources: tuple[dict[str, Any], ...]  # id, title, publisher, date, rows, file (rows > 0)
    prevalence: float | None = None  # set when the answer carries an estimate


def provenance(store: GraphStore, *, prevalence: float | None = None) -> Provenance:
    """The sources the graph was built from; `prevalence` when the answer has an estimate."""
    rows = run_query(store, "loaded_sources")
    return Provenance(tuple(r for r in rows if r["rows"]), prevalence)


_TEXT = {
    "ja": {
        "sources": "出典（読み込んだデータ）:",
        "none": "「なし」は、その地域のその支援を漏れなく載せていると述べる出典があるのに"
        "提供者が見つからないこと。「データなし」は、そう述べる出典がなく分からないこと"
        "（実際に支援がないとは限りません）。",
        "estimate": "推計 = 人口 × {rate}（内閣府「こども・若者の意識と生活に関する調査」"
        "（令和4年度）: 広義のひきこもり 15〜39歳 2.05%、40〜64歳 2.02%）。"
        "この率は15〜64歳のものですが、"
        "年齢別人口がないため総人口（全年齢）に掛けています。そのぶん多めに出ます。",
    },
    "en": {
        "sources": "Sources (the loaded data):",
        "none": '"none": a loaded source claims to list that service there completely and '
        'names no provider; "unknown": no source claims that, so the data cannot say '
        "(not necessarily no support on the ground).",
        "estimate": "estimated = population × {rate} ({source}). The rate is for ages 15–64; "
        "with no population by age it is applied to the total population (all ages), "
        "so the estimate runs high.",
    },
}


def note_lines(p: Provenance, *, lang: str = "ja") -> list[str]:
    """The provenance note printed under every answer (and shown in the HTML report)."""
    text = _TEXT.get(lang, _TEXT["en"])
    lines = [text["sources"]]
    for s in p.sources:
        title = short_name(s.get("file")) or s["title"]
        title = title if len(title) <= 70 else title[:69] + "…"
        dated = f", {s['date']}" if s.get("date") else ""
        lines.append(f"  {s['id']}: {title} ({s['rows']:,}{dated})")
        if s.get("licence"):
            lines.append(f"    {s['publisher']} — {s['licence']}")
    lines.append(text["none"])
    if p.prevalence is not None:
        lines.append(text["estimate"].format(rate=f"{p.prevalence:.1%}", source=PREVALENCE_SOURCE))
    return lines
