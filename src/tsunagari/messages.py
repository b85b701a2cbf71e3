"""Messages about input problems in Japanese: one per problem slug, keeping the details.

The loaders write each Problem's message in English (CSV/JSON keep it so); under
`--lang ja` the CLI shows the Japanese message for its slug, with the value, the
suggestion (did you mean …) and the place it refers to carried over from the English.
"""

from __future__ import annotations

import re

from tsunagari.records import Problem

MESSAGES_JA = {
    "missing-value": "値がありません（{field} は必須）",
    "bad-id": "ID {value!r} に使えるのは半角英数字と - _ . だけです",
    "id-normalised": "ID {value!r} は {detail} として読みました。ファイルもそう書いてください",
    "duplicate-id": "ID {value!r} は {detail} で使われています。"
    "別の ID にするか、その行につないでください",
    "duplicate-name": "同じ名前・場所の行が {detail} にあります。"
    "定義し直さず、その ID につないでください",
    "missing-id": "ID {value!r} の団体・拠点・プラットフォームがありません{hint}",
    "bad-endpoint": "つなぎの両端が合いません（{value}）{detail}",
    "unknown-service": "支援 {value!r} は語彙にありません{hint}。使える語: {detail}",
    "unknown-kind": "{value!r} は語彙にありません{hint}。使える語: {detail}",
    "unknown-prefecture": "{value!r} は都道府県ではありません。"
    "高知県 や 390003 のように書いてください",
    "not-a-municipality": "{value!r} は都道府県です。"
    "都道府県の列に書き、市町村の列は空けてください",
    "unknown-municipality": "{value!r} はマスター（2020年）の市町村・都道府県にありません{hint}。"
    "正式名か6桁の団体コードを書いてください",
    "ambiguous-municipality": "{value!r} に当てはまる場所が複数あります（{detail}）。"
    "都道府県（か市）を加えるか、6桁の団体コードを書いてください",
    "missing-source": "同梱データの行には出典 ID が必要です",
    "unknown-source": "出典 {value!r} は sources.csv にありません{hint}。"
    "空にするとこのファイルを出典にします",
    "missing-locator": "同梱データの行には箇所（'<文書ファイル>: <事例の見出し>'）が必要です",
    "extra-cells": "列名のない列に値があります（{value}）。名前のある列に移すか消してください",
    "unused-column": "{field} はこの種類のつなぎでは読みません。備考に移すか空けてください",
    "unknown-column": "列 {value!r} はこのシートにありません{hint}",
    "missing-header": "見出しの行がありません",
    "unknown-sheet": "どのシートか分かりません（{value!r}）",
    "unknown-file-type": ".csv か .xlsx ではありません。"
    "CSV（UTF-8）か Excel（.xlsx）で保存してください",
    "unreadable-file": "読めません: {value}",
    "undecodable-file": "UTF-8 としても CP932（Excel の日本語 CSV）としても読めません",
    "missing-dependency": ".xlsx を読むには openpyxl が必要です: pip install openpyxl",
    "depends-on-invalid": "読み込みません: {detail}",
    "unparsed-row": "読めない行です（{field}）: {value}",
    "unknown-project": "{value!r} という事業がありません",
    "missing-file": "import-funding のフォルダではありません（{value} がない）",
}

_HINT = re.compile(r"\((?:did you mean|close:) ([^)]*?)\??\)")
_AT = re.compile(r"already used at (\S+?);|^\S+ \((\S+)\) has the same")
_READ_AS = re.compile(r"read as '([^']*)'")


def problem_text(p: Problem, lang: str) -> str:
    """`file:line: column: message [slug]` with the message in `lang`."""
    if lang != "ja" or p.slug not in MESSAGES_JA:
        return str(p)
    where = f"{p.file}:{p.line}" if p.line is not None else p.file
    column = f" {p.field}:" if p.field else ""
    return f"{where}:{column} {problem_message(p, lang)} [{p.slug}]"


def problem_message(p: Problem, lang: str) -> str:
    """The message of `p` in `lang` (the loader's English for en or an unknown slug)."""
    if lang != "ja" or p.slug not in MESSAGES_JA:
        return p.message
    hint = _HINT.search(p.message)
    at = _AT.search(p.message)
    read_as = _READ_AS.search(p.message)
    detail = (
        (at.group(1) or at.group(2)) if at else read_as.group(1) if read_as else _after_colon(p)
    )
    return MESSAGES_JA[p.slug].format(
        value=p.value,
        field=p.field,
        hint=f"（もしかして: {_words(hint.group(1))}）" if hint else "",
        detail=detail,
    )


def _words(listed: str) -> str:
    """Vocabulary ids in a suggestion as their Japanese words (place names unchanged)."""
    from tsunagari.tables import word

    return "、".join(word(x.strip(), "ja") for x in listed.split(","))


def _after_colon(p: Problem) -> str:
    """The specific part of an English message, in Japanese (candidates, allowed ends)."""
    from tsunagari.tables import word

    m = re.search(r"places: (.*?); add", p.message)
    if m:
        return m.group(1)
    m = re.search(r"use one of: (.+)$", p.message)
    if m:
        return _words(m.group(1))
    m = re.search(r"cannot go from \S+ to \S+; it goes from (\S+) to (\S+)$", p.message)
    if m:
        ends = ["・".join(word(x, "ja") for x in g.split("/")) for g in m.groups()]
        return f"。{ends[0]} から {ends[1]} へのつなぎです"
    m = re.search(r"fill exactly one of (\w+) \(an id\) or (\w+)", p.message)
    if m:
        return (
            f"。{m.group(1)}（ID）か {m.group(2)}（都道府県・市町村）のどちらか一つを書いてください"
        )
    m = re.search(r"^(\S+) is a (\w+); (\w+) must be an? (.+)$", p.message)
    if m:
        labels = "か".join(word(x, "ja") for x in m.group(4).split(" or "))
        return (
            f"。{m.group(1)} は{word(m.group(2), 'ja')}です。{m.group(3)} は{labels}にしてください"
        )
    m = re.search(r"needs (\S+), whose row (\S+) is invalid", p.message)
    if m:
        return f"{m.group(1)}（{m.group(2)} の行）に問題があるため"
    return ""
