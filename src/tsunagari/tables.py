"""How tables read: one vocabulary of value words and column headers in Japanese and English,
the widths a table takes in a terminal, and CSV with stable column ids."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

VALUES_JA: dict[str, str] = {  # value ids shown in Japanese; CSV/JSON keep the English ids
    # coverage tiers (queries/coverage.py TIERS)
    "local": "域内",
    "wide_area": "広域",
    "prefecture": "県域",
    "unknown": "データなし",
    "none": "なし",
    # kinds of support a coverage question counts (queries/coverage.py)
    "any": "何らかの支援",
    "specialised": "ひきこもり専門",
    # services (model.SERVICES)
    "consultation": "相談",
    "outreach": "アウトリーチ",
    "ibasho": "居場所",
    "family_support": "家族支援",
    "peer_support": "ピアサポート",
    "employment_support": "就労支援",
    "online": "オンライン",
    "training": "研修",
    "awareness": "普及啓発",
    # node labels
    "Prefecture": "都道府県",
    "Municipality": "市区町村",
    "Platform": "プラットフォーム",
    "SupportCenter": "支援拠点",
    "Organization": "団体",
    "Project": "事業",
    "Grant": "交付金",
    "Source": "出典",
    "Build": "構築記録",
    # municipality kinds
    "designated_city": "政令指定都市",
    "city": "市",
    "town": "町",
    "village": "村",
    "special_ward": "特別区",
    "ward": "区",
    # platform levels
    "municipal": "市町村",
    "prefectural": "都道府県",
    "public_private": "官民",
    # centre kinds
    "regional_center": "ひきこもり地域支援センター",
    "satellite_office": "サテライト",
    "consultation_window": "相談窓口",
    "peer_support_center": "ピアサポート拠点",
    "employment_center": "就労支援拠点",
    # organisation kinds
    "npo": "NPO",
    "social_welfare_council": "社会福祉協議会",
    "saposute": "サポステ",
    "hello_work": "ハローワーク",
    "family_association": "家族会",
    "company": "企業",
    "medical": "医療",
    "school": "学校",
    "government_dept": "行政部局",
    "other": "その他",
    # contact: delivery modes, status, verification (model.CONTACT_PROPS)
    "phone": "電話",
    "visit": "来所",
    "home_visit": "訪問",
    "email": "メール",
    "published": "公開",
    "review_required": "要確認",
    "human_verified": "人が確認",
    "primary_source_import": "一次資料から取込",
    # wide-area project types
    "coordinated": "連携型",
    "integrated": "一体型",
    # roles and relations
    "lead": "実施主体",
    "partner": "連携自治体",
    "partners_with": "連携",
    "area": "対象地域",
    "member": "構成員",
    "secretariat": "事務局",
    "operated_by": "運営",
    "commissioned_by": "委託・補助",
    "run_by": "実施主体",
    "funded_by": "財源",
    "in": "受",
    "out": "発",
    # how a provider reaches a town (coverage_links.cypher)
    "covers": "対象地域",
    "located_in": "所在地",
    "commissioned": "委託元の区域",
    "runs": "実施",
    "partners_in": "連携",
    # edge types
    "IN_PREFECTURE": "所属県",
    "WARD_OF": "区の市",
    "FUNDS": "交付",
    "RUNS": "実施主体",
    "PARTNERS_IN": "連携自治体",
    "PARTNERS_WITH": "連携",
    "COMMISSIONS": "委託・補助",
    "OPERATES": "運営",
    "REFERS_TO": "つなぎ",
    "MEMBER_OF": "構成員",
    "SECRETARIAT_OF": "事務局",
    "COVERS": "対象地域",
    "LOCATED_IN": "所在地",
    # edge families (model.EdgeType.family)
    "structure": "構造",
    "funding": "資金",
    "partnership": "連携",
    "commissioning": "委託・運営",
    "referral": "つなぎ（紹介）",
    "membership": "参加",
    "coverage": "対象地域",
    # funding-summary scopes and figures
    "all": "全体",
    "entities": "団体数",
    "prefectures": "都道府県数",
    "designated_cities": "指定都市数",
    "municipalities": "市区町村数",
    "projects": "事業数",
    "cost_thousand_yen": "事業費（千円）",
    "cost_oku_yen": "事業費（億円）",
    # stats rows
    "node": "ノード",
    "edge": "関係",
    "build": "構築",
    "source": "出典",
    "fact": "公表された事実",
    # how a name was resolved (loaders/names.py HOWS; "exact" there: HOW_JA below)
    "normalised": "表記ゆれ",
    "prefecture_prefix": "都道府県名つき",
    "context": "文脈で決定",
    "code": "コード",
    "ambiguous": "候補が複数",
    # yes / no
    "True": "はい",
    "False": "いいえ",
    "fax": "ファクス",
    "exact": "厳密解",
    "greedy": "貪欲法",
    "optimal": "最適（証明済み）",
}

VALUES_EN: dict[str, str] = {  # ids whose English reads better spelled out
    "SupportCenter": "support centre",
    "Organization": "organisation",
    "Municipality": "municipality",
    "Prefecture": "prefecture",
    "Platform": "platform",
    "Project": "project",
    "Grant": "grant",
    "FUNDS": "funds",
    "RUNS": "runs",
    "PARTNERS_IN": "partner in",
    "PARTNERS_WITH": "partners with",
    "COMMISSIONS": "commissions",
    "OPERATES": "operates",
    "REFERS_TO": "refers to",
    "MEMBER_OF": "member of",
    "SECRETARIAT_OF": "secretariat of",
    "COVERS": "covers",
    "LOCATED_IN": "located in",
    "IN_PREFECTURE": "in prefecture",
    "WARD_OF": "ward of",
    "True": "yes",
    "False": "no",
}

# One-character marks for the planner's table (gaps --by-town): (ja, en).
TIER_MARKS: dict[str, tuple[str, str]] = {
    "local": ("◎", "L"),
    "wide_area": ("○", "W"),
    "prefecture": ("△", "P"),
    "unknown": ("?", "?"),
    "none": ("×", "x"),
}
SERVICE_MARKS: dict[str, tuple[str, str]] = {
    "consultation": ("相", "co"),
    "outreach": ("訪", "ou"),
    "ibasho": ("居", "ib"),
    "family_support": ("家", "fa"),
    "peer_support": ("ピ", "pe"),
    "employment_support": ("就", "em"),
    "online": ("オ", "on"),
    "training": ("研", "tr"),
    "awareness": ("啓", "aw"),
}


def word(value: Any, lang: str) -> str:
    """The display word for a vocabulary id (label, kind, service, tier, edge type, bool)."""
    if value is None:
        return ""
    value = str(value)
    if lang == "ja":
        return VALUES_JA.get(value, value)
    return VALUES_EN.get(value, value.replace("_", " "))


def t(lang: str, ja: str, en: str) -> str:
    return ja if lang == "ja" else en


def ids_of(lang_words: Iterable[str]) -> dict[str, str]:
    """Japanese display word → id, for the ids given (to read what a user types)."""
    return {VALUES_JA[i]: i for i in lang_words if i in VALUES_JA}


HEADERS: dict[str, tuple[str, str]] = {  # column id → (ja, en)
    "rank": ("順位", "rank"),
    "code": ("団体コード", "code"),
    "municipality": ("市区町村", "municipality"),
    "prefecture": ("都道府県", "prefecture"),
    "prefecture_code": ("都道府県コード", "prefecture code"),
    "service": ("支援", "service"),
    "services": ("支援", "services"),
    "tier": ("カバー", "coverage"),
    "providers": ("提供者", "providers"),
    "n_providers": ("数", "n"),
    "via": ("根拠", "via"),
    "population": ("人口", "population"),
    "estimated": ("推計ひきこもり", "est. hikikomori"),
    "municipalities": ("市町村数", "municipalities"),
    "local_share": ("域内", "local"),
    "wide_area_share": ("広域", "wide area"),
    "prefecture_share": ("県域", "prefecture"),
    "unknown_share": ("データなし", "unknown"),
    "none_share": ("なし", "none"),
    "unserved": ("なしの市町村", "unserved"),
    "unserved_population": ("なしの人口", "unserved pop."),
    "unserved_estimated": ("なしの推計", "unserved est."),
    "name": ("名称", "name"),
    "lead": ("実施主体", "lead"),
    "alternate_names": ("別名", "alternate names"),
    "label": ("種類", "type"),
    "kind": ("種別", "kind"),
    "degree": ("次数", "degree"),
    "betweenness": ("媒介中心性", "betweenness"),
    "betweenness_se": ("標準誤差", "± s.e."),
    "community": ("コミュニティ", "community"),
    "constraint": ("制約度", "constraint"),
    "effective_size": ("実効規模", "eff. size"),
    "coordinator": ("調整役", "coordinator"),
    "itinerant": ("渡り役", "itinerant"),
    "gatekeeper": ("門番・代表", "gatekeeper"),
    "liaison": ("橋渡し", "liaison"),
    "brokerage": ("仲介計", "brokerage"),
    "dominant_share": ("県の割合", "share there"),
    "central": ("主な主体", "main body"),
    "node": ("ノード", "node"),
    "size": ("規模", "size"),
    "top_members": ("主な構成", "main members"),
    "articulation_point": ("切断点", "cut point"),
    "municipalities_losing": ("失う市町村", "towns losing"),
    "lost": ("失われる支援", "lost"),
    "people_affected": ("影響人口", "people affected"),
    "cut_off_employment": ("就労支援から孤立", "cut off: employment"),
    "cut_off_consultation": ("相談から孤立", "cut off: consultation"),
    "operates": ("運営する拠点", "operates"),
    "provider": ("提供者", "provider"),
    "area": ("対象", "area"),
    "operated_by": ("運営", "operated by"),
    "commissioned_by": ("委託・補助", "commissioned by"),
    "run_by": ("実施主体", "run by"),
    "partners": ("連携", "partners"),
    "funded_by": ("財源", "funded by"),
    "delivery_modes": ("利用方法", "delivery"),
    "id": ("ID", "id"),
    "platform": ("プラットフォーム", "platform"),
    "level": ("階層", "level"),
    "relation": ("関係", "relation"),
    "secretariat": ("事務局", "secretariat"),
    "members": ("構成員", "members"),
    "steps": ("段数", "steps"),
    "from": ("起点", "from"),
    "to": ("つなぎ先", "to"),
    "path": ("経路", "path"),
    "project": ("事業", "project"),
    "fiscal_year": ("年度", "FY"),
    "wide_area": ("広域", "wide area"),
    "governments": ("自治体数", "governments"),
    "participant": ("参加者", "participant"),
    "role": ("役割", "role"),
    "is_self": ("本人", "self"),
    "cost_thousand_yen": ("事業費(千円)", "cost (¥k)"),
    "share_thousand_yen": ("負担(千円)", "share (¥k)"),
    "grant": ("交付金", "grant"),
    "note": ("備考", "note"),
    "project_id": ("事業ID", "project id"),
    "score": ("2SFCA(10万人あたり)", "2SFCA per 100k"),
    "providers_in_reach": ("圏内の機関", "in reach"),
    "nearest_km": ("最寄り(km)", "nearest km"),
    "title": ("名称", "title"),
    "publisher": ("発行", "publisher"),
    "date": ("日付", "date"),
    "rows": ("件数", "rows"),
    "what": ("種類", "what"),
    "count": ("件数", "count"),
    "local": ("域内", "local"),
    "prefecture_tier": ("県域", "prefecture-wide"),
    "none": ("なし", "none"),
    "view": ("ビュー", "view"),
    "nodes": ("ノード", "nodes"),
    "edges": ("関係", "ties"),
    "file": ("ファイル", "file"),
    "scope": ("範囲", "scope"),
    "figure": ("数値", "figure"),
    "computed": ("グラフから計算", "computed"),
    "published": ("文書の数値", "published"),
    "agrees": ("一致", "agrees"),
    "locator": ("文書の箇所", "where in the document"),
    "question": ("問い", "question"),
    "review_required": ("要確認", "review"),
    "unknown": ("データなし", "unknown"),
    "unknown_population": ("データなしの人口", "unknown pop."),
    "local_population": ("域内の人口", "local pop."),
    "wide_area_population": ("広域の人口", "wide-area pop."),
    "prefecture_population": ("県域の人口", "prefecture pop."),
    "none_population": ("なしの人口", "none pop."),
    "as_of": ("時点", "as of"),
    "specialised_tier": ("専門支援", "specialised"),
    "statement": ("公表された事実", "stated fact"),
    "specialised": ("専門", "specialised"),
    "stated": ("公表のみ", "stated only"),
    "status": ("確認状況", "status"),
    "phone": ("電話", "phone"),
    "address": ("所在地", "address"),
    "hours": ("受付時間", "hours"),
    "url": ("公式ページ", "official page"),
    "url_publisher": ("発行元", "page publisher"),
    "url_checked": ("確認日", "checked"),
    "source": ("出典", "source"),
    "licence": ("ライセンス・帰属表示", "licence, attribution"),
    "value": ("数", "value"),
    "method": ("解法", "method"),
    "gain": ("新たに届く人", "newly reached"),
    "cumulative": ("累計", "cumulative"),
    "towns_reached": ("新たに届く市町村数", "towns reached"),
    "reached": ("新たに届く市町村", "towns newly reached"),
    "exact_site": ("厳密解: 設置先", "exact: site"),
    "exact_gain": ("厳密解: 新たに届く人", "exact: newly reached"),
    "greedy_site": ("貪欲法: 設置先", "greedy: site"),
    "greedy_gain": ("貪欲法: 新たに届く人", "greedy: newly reached"),
    "exact_towns": ("厳密解: 市町村数", "exact: towns"),
    "exact_total": ("厳密解の合計", "exact total"),
    "greedy_total": ("貪欲法の合計", "greedy total"),
    "gap_share": ("貪欲法の不足", "greedy short by"),
    "covered": ("既に届く人", "already reached"),
    "total": ("対象の人口", "in scope"),
    "solver_status": ("解の状態", "solver status"),
    "lat": ("緯度", "lat"),
    "lng": ("経度", "lng"),
    "detail": ("内容", "detail"),
    "text": ("入力", "input"),
    "how": ("照合", "matched by"),
    "candidates": ("候補", "candidates"),
    "towns": ("市町村", "towns"),
    "worst": ("最も弱い", "worst"),
    "worst_services": ("その支援数", "services at worst"),
    **{f"mark:{s}": m for s, m in SERVICE_MARKS.items()},
}


def headers(lang: str) -> dict[str, str]:
    """Column id → header in `lang` (ja, or en for anything else)."""
    i = 0 if lang == "ja" else 1
    return {k: v[i] for k, v in HEADERS.items()}


HOW_JA = {"exact": "完全一致"}  # ids whose word differs in resolve's `how` column

# Columns whose values are vocabulary ids, shown as words in tables for people.
VALUE_COLUMNS = frozenset(
    ("tier", "specialised_tier", "question", "service", "label", "relation", "wide_area",
     "via", "kind", "level", "role", "scope", "figure", "how", "status", "verification",
     "delivery_modes", "services")
)  # fmt: skip


def display(column: str, value: Any, lang: str) -> Any:
    """A cell as people read it: vocabulary ids and booleans as words (lists item by item),
    `town:service` pairs with the service as a word; anything else unchanged."""
    if isinstance(value, bool):
        if column == "specialised":
            return t(lang, "専門" if value else "一般", "yes" if value else "no")
        return word(str(value), lang)
    if column.endswith("_share") and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, list | tuple):
        return [display(column, v, lang) for v in value]
    if not isinstance(value, str):
        return value
    if column == "how" and lang == "ja" and value in HOW_JA:
        return HOW_JA[value]
    if column in VALUE_COLUMNS:
        return word(value, lang)
    if column.startswith("mark:"):
        return value
    if column == "locator":
        from tsunagari.locators import readable

        return readable(value, lang)
    if column == "lost" and ":" in value:
        town, _, service = value.rpartition(":")
        return (
            f"{town}：{word(service, lang)}" if lang == "ja" else f"{town}: {word(service, lang)}"
        )
    return value


NUMERIC_MIN = 4  # a numeric column's header wraps down to two Japanese characters
TEXT_MIN = 12  # a text column keeps this many cells (5 Japanese characters and …) or blocks
NAME_MIN = 16  # a column of names keeps 7 characters and …
NAME_COLUMNS = frozenset(("name", "provider", "platform", "participant", "project"))


def floor_width(value: int, kind: str) -> int:
    """The narrowest a column may get: a number never shortens (its header wraps down to
    NUMERIC_MIN); names keep NAME_MIN cells, vocabulary words and other text TEXT_MIN."""
    if kind == "number":
        return max(value, NUMERIC_MIN)
    return min(max(value, 2), NAME_MIN if kind == "name" else TEXT_MIN)


def fit_widths(
    values: Sequence[int], names: Sequence[int], kinds: Sequence[str], room: int
) -> list[int] | None:
    """Column widths (in terminal cells) summing to at most `room`, or None if none do.

    `values` and `names` are the widest cell and the header of each column, `kinds` each
    column's kind (number, word, name, text). Headers wrap first, then the widest text column
    gives one cell at a time (its cells end in …) down to its floor_width."""
    body = [floor_width(v, k) for v, k in zip(values, kinds, strict=True)]
    widths = [max(v, n) for v, n in zip(values, names, strict=True)]
    if sum(body) > room:
        return None
    for floor in ([max(v, b) for v, b in zip(values, body, strict=True)], body):
        excess = sum(widths) - room
        while excess > 0:
            i = max(range(len(widths)), key=lambda j: (widths[j] - floor[j], widths[j]))
            if widths[i] <= floor[i]:
                break
            widths[i] -= 1
            excess -= 1
        if excess <= 0:
            return widths
    return None


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Stable English column ids; lists joined with `;`; None as empty."""
    buf = io.StringIO()
    write_csv(rows, columns, buf)
    return buf.getvalue()


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: Any) -> None:
    """The same CSV written row by row to a text file, so a large result streams."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_csv_cell(r.get(c)) for c in columns])


# OWASP CSV injection: a cell a spreadsheet would read as a formula gets a leading `'`.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _csv_cell(v: Any) -> Any:
    if isinstance(v, list | tuple):
        v = ";".join(str(x) for x in v)
    if v is None:
        return ""
    if not isinstance(v, str):
        return v
    if v.startswith(FORMULA_START) and not _NUMBER.fullmatch(v):
        v = "'" + v
    # the writer quotes a cell with \n but not one with a bare \r, which readers take for a
    # row break: a line break inside a cell is written as \n
    return v.replace("\r\n", "\n").replace("\r", "\n")
