"""The words of the pages in Japanese and English; ids not listed show as themselves."""

from __future__ import annotations

JA = {
    # node labels
    "Prefecture": "都道府県",
    "Municipality": "市区町村",
    "Platform": "プラットフォーム",
    "SupportCenter": "支援拠点",
    "Organization": "団体",
    "Project": "事業",
    "Grant": "交付金",
    # kinds
    "designated_city": "政令指定都市",
    "city": "市",
    "town": "町",
    "village": "村",
    "special_ward": "特別区",
    "ward": "区",
    "municipal": "市町村",
    "prefectural": "都道府県",
    "public_private": "官民",
    "regional_center": "ひきこもり地域支援センター",
    "satellite_office": "サテライト",
    "consultation_window": "相談窓口",
    "peer_support_center": "ピアサポート拠点",
    "ibasho": "居場所",
    "employment_center": "就労支援拠点",
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
    # services
    "consultation": "相談",
    "outreach": "アウトリーチ",
    "family_support": "家族支援",
    "peer_support": "ピアサポート",
    "employment_support": "就労支援",
    "online": "オンライン",
    "training": "研修",
    "awareness": "普及啓発",
    # tiers
    "local": "域内",
    "wide_area": "広域",
    "prefecture": "県域",
    "none": "なし",
    # edge types and families
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
    "funding": "資金",
    "partnership": "連携",
    "commissioning": "委託・運営",
    "referral": "つなぎ（紹介）",
    "membership": "参加",
    "coverage": "対象地域",
}
EN = {
    "SupportCenter": "support centre",
    "Organization": "organisation",
    "Municipality": "municipality",
    "Prefecture": "prefecture",
    "Platform": "platform",
    "Project": "project",
    "Grant": "grant",
    "wide_area": "wide area",
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
    "referral": "referral",
}


def word(value: str | None, lang: str) -> str:
    """The display word for a vocabulary id (label, kind, service, tier, edge type)."""
    if value is None:
        return ""
    table = JA if lang == "ja" else EN
    return table.get(value, value.replace("_", " ") if lang != "ja" else value)


def t(lang: str, ja: str, en: str) -> str:
    return ja if lang == "ja" else en


HEADERS: dict[str, tuple[str, str]] = {  # table column id → (ja, en)
    "rank": ("順位", "rank"),
    "id": ("ID", "id"),
    "title": ("名称", "title"),
    "publisher": ("発行", "publisher"),
    "date": ("日付", "date"),
    "rows": ("件数", "rows"),
    "what": ("種類", "what"),
    "count": ("件数", "count"),
    "code": ("団体コード", "code"),
    "municipality": ("市区町村", "municipality"),
    "prefecture": ("都道府県", "prefecture"),
    "prefecture_code": ("都道府県コード", "prefecture code"),
    "service": ("支援", "service"),
    "tier": ("カバー", "coverage"),
    "providers": ("提供者", "providers"),
    "n_providers": ("数", "n"),
    "via": ("根拠", "via"),
    "population": ("人口", "population"),
    "estimated": ("推計ひきこもり", "est. hikikomori"),
    "municipalities": ("市町村数", "municipalities"),
    "local": ("域内", "local"),
    "wide_area": ("広域", "wide area"),
    "prefecture_tier": ("県域", "prefecture-wide"),
    "none": ("なし", "none"),
    "local_share": ("域内", "local"),
    "wide_area_share": ("広域", "wide area"),
    "prefecture_share": ("県域", "prefecture"),
    "none_share": ("なし", "none"),
    "unserved": ("なしの市町村", "unserved"),
    "unserved_population": ("なしの人口", "unserved pop."),
    "unserved_estimated": ("なしの推計", "unserved est."),
    "name": ("名称", "name"),
    "label": ("種類", "type"),
    "kind": ("種別", "kind"),
    "degree": ("次数", "degree"),
    "betweenness": ("媒介中心性", "betweenness"),
    "betweenness_se": ("標準誤差", "± s.e."),
    "community": ("コミュニティ", "community"),
    "communities_reached": ("他コミュニティ", "other comm."),
    "participation": ("参加係数", "participation"),
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
    "view": ("ビュー", "view"),
    "nodes": ("ノード", "nodes"),
    "edges": ("関係", "ties"),
    "file": ("ファイル", "file"),
}


def headers(lang: str) -> dict[str, str]:
    i = 0 if lang == "ja" else 1
    return {k: v[i] for k, v in HEADERS.items()}
