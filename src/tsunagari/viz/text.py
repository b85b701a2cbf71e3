"""The words of the pages in Japanese and English; ids not listed show as themselves."""

from __future__ import annotations

from tsunagari.tables import VALUES_JA

JA = {
    **VALUES_JA,
    # node labels
    "SupportCenter": "支援拠点",
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
    # tiers
    "unknown": "データなし",
    "services_found": "提供者のある支援の数",
    "consultation_specialised": "ひきこもり専門の相談",
    # who stands behind a provider
    "operated_by": "運営",
    "commissioned_by": "委託・補助",
    "run_by": "実施主体",
    "partners": "連携自治体",
    "funded_by": "交付金",
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
    "services_found": "services with a provider",
    "consultation_specialised": "specialised consultation",
    "operated_by": "operated by",
    "commissioned_by": "commissioned by",
    "run_by": "run by",
    "partners": "partners",
    "funded_by": "funded by",
}


def word(value: str | None, lang: str) -> str:
    """The display word for a vocabulary id (label, kind, service, tier, edge type)."""
    if value is None:
        return ""
    table = JA if lang == "ja" else EN
    return table.get(value, value.replace("_", " ") if lang != "ja" else value)


def t(lang: str, ja: str, en: str) -> str:
    return ja if lang == "ja" else en
