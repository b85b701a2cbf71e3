"""How tables read: column headers in Japanese and English, and CSV with stable column ids."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

VALUES_JA: dict[str, str] = {  # values shown in Japanese tables; CSV/JSON keep the English ids
    "local": "域内",
    "wide_area": "広域",
    "prefecture": "県域",
    "none": "なし",
    "unknown": "データなし",
    "any": "何らかの支援",
    "specialised": "ひきこもり専門",
    "consultation": "相談",
    "outreach": "アウトリーチ",
    "ibasho": "居場所",
    "family_support": "家族支援",
    "peer_support": "ピアサポート",
    "employment_support": "就労支援",
    "online": "オンライン",
    "training": "研修",
    "awareness": "普及啓発",
    "Prefecture": "都道府県",
    "Municipality": "市区町村",
    "Platform": "プラットフォーム",
    "SupportCenter": "拠点",
    "Organization": "団体",
    "Project": "事業",
    "lead": "実施主体",
    "partner": "連携自治体",
    "partners_with": "連携",
    "coordinated": "連携型",
    "integrated": "一体型",
    "phone": "電話",
    "visit": "来所",
    "home_visit": "訪問",
    "email": "メール",
    "fax": "ファクス",
    "exact": "厳密解",
    "greedy": "貪欲法",
    "optimal": "最適（証明済み）",
}

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
    "unknown_share": ("データなし", "unknown"),
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
}


def headers(lang: str) -> dict[str, str]:
    """Column id → header in `lang` (ja, or en for anything else)."""
    i = 0 if lang == "ja" else 1
    return {k: v[i] for k, v in HEADERS.items()}


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
