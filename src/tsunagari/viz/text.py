"""The words of the pages in Japanese and English; ids not listed show as themselves."""

from __future__ import annotations

from tsunagari.tables import VALUES_JA

JA = {  # the table words, and the words only pages use
    **VALUES_JA,
    "services_found": "提供者のある支援の数",
    "consultation_specialised": "ひきこもり専門の相談",
    # who stands behind a provider
    "partners": "連携自治体",
    "funded_by": "交付金",
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
