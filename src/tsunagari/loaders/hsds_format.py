"""HSDS 3.0 as tsunagari writes and reads it: the tables, stable ids, taxonomies, codes.

The table list and column order come from the bundled HSDS 3.0.0 package descriptor
(data/hsds/datapackage.json, CC BY-SA 4.0, see its README); what tsunagari puts where is
in docs/interop.md.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Any

from tsunagari.loaders.directory_format import ALIASES
from tsunagari.loaders.master import data_path
from tsunagari.model import DELIVERY_MODES, EDGES, NODES, SERVICES
from tsunagari.tables import VALUES_JA

HSDS_VERSION = "3.0.0"
# uuid5(NAMESPACE_URL, "tsunagari:hsds"): every exported id is uuid5 over this and our keys,
# so the same graph exports the same ids, build after build.
NAMESPACE = uuid.UUID("60ca9368-886b-5366-a75c-aa63f1ac4d2b")

LG_CODE = "jp_lg_code"  # extent_type / external_identifier_type: a 6-digit 全国地方公共団体コード
LG_CODE_TYPE = "全国地方公共団体コード"  # organization_identifier.identifier_type of governments
JCN_SCHEME, JCN_TYPE = "JP-JCN", "法人番号"  # org-id.guide: National Tax Agency corporate number

# taxonomy names (taxonomy.name); their terms' codes are our vocabulary words
SERVICE_TAXONOMY = "tsunagari_service"
DELIVERY_TAXONOMY = "tsunagari_delivery_mode"
PROPERTY_TAXONOMY = "tsunagari_property"  # a node or edge property HSDS has no field for
LINK_TAXONOMY = "tsunagari_link"  # a tie HSDS has no table for; value = JSON {"to": ...}
ID_TERM = "id"  # PROPERTY_TAXONOMY term whose value is the record's node: "Label:key"

RECORD_LABELS = ("Organization", "SupportCenter", "Platform", "Project")  # nodes → records
DIRECTORY_LABELS = ("Organization", "SupportCenter", "Platform")  # what an import makes
# Ties carried as link attributes (COVERS → service_area, LOCATED_IN → location instead).
LINK_TYPES = (
    "OPERATES",
    "COMMISSIONS",
    "PARTNERS_WITH",
    "REFERS_TO",
    "MEMBER_OF",
    "SECRETARIAT_OF",
    "RUNS",
    "PARTNERS_IN",
)
LINK_WORDS = {  # taxonomy_term.name of each link type
    "OPERATES": "運営",
    "COMMISSIONS": "委託・補助",
    "PARTNERS_WITH": "連携",
    "REFERS_TO": "つなぎ",
    "MEMBER_OF": "構成員",
    "SECRETARIAT_OF": "事務局",
    "RUNS": "実施主体",
    "PARTNERS_IN": "連携自治体",
}
# Node properties HSDS holds in its own fields (or tsunagari in metadata); the rest of a
# node's properties travel as PROPERTY_TAXONOMY attributes.
NATIVE_PROPS = frozenset(
    {
        "name",
        "alternate_names",
        "source",
        "locator",
        "as_of",
        "verification",
        "services",
        "delivery_modes",
        "url",
        "address",
        "phone",
        "hours",
        "corporate_number",
    }
)
PROVENANCE_FIELDS = ("source", "locator", "as_of", "verification")  # metadata.field_name
NO_PREVIOUS = "(none)"  # metadata.previous_value is required; tsunagari keeps no history
ALTERNATE_SEPARATOR = "|"  # HSDS alternate_name is one string; ours is a list


def kind_word(label: str, kind: str) -> str:
    """A kind in Japanese, as the directory format's aliases say it (else the id)."""
    vocabulary = {
        "Organization": "organization_kind",
        "SupportCenter": "center_kind",
        "Platform": "level",
    }.get(label, "")
    words = [w for w, k in ALIASES.get(vocabulary, {}).items() if k == kind]
    return max(words, key=len) if words else kind  # the full form: 社会福祉協議会, not 社協


def hsds_id(table: str, *parts: str) -> str:
    """A stable UUID for one row: uuid5 over the table and our keys."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((table, *parts))))


def node_ref(label: str, key: str) -> str:
    return f"{label}:{key}"


def parse_ref(text: str) -> tuple[str, str] | None:
    """("Label", "key") of a `Label:key` reference, or None when it names no node label."""
    label, sep, key = text.partition(":")
    return (label, key) if sep and key and label in NODES else None


@cache
def descriptor() -> dict[str, Any]:
    """The HSDS 3.0.0 tabular package descriptor, as published."""
    with data_path("hsds/datapackage.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def tables() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Table name → (file name, column names in order), from the descriptor."""
    return {
        r["name"]: (r["path"], tuple(f["name"] for f in r["schema"]["fields"]))
        for r in descriptor()["resources"]
    }


def property_terms() -> tuple[str, ...]:
    """Every property a PROPERTY_TAXONOMY attribute may carry: the non-native properties of
    the labels exported as records, the own props of COVERS (scope), and the record's id."""
    names = {p.name for label in RECORD_LABELS for p in NODES[label].props}
    names |= {p.name for p in EDGES["COVERS"].props}
    return (ID_TERM, *sorted(names - NATIVE_PROPS))


def term_words() -> dict[str, dict[str, str]]:
    """Taxonomy → term code → term name (Japanese where tsunagari has a word)."""
    return {
        SERVICE_TAXONOMY: {s: VALUES_JA.get(s, s) for s in SERVICES},
        DELIVERY_TAXONOMY: {m: VALUES_JA.get(m, m) for m in DELIVERY_MODES},
        PROPERTY_TAXONOMY: {p: p for p in property_terms()},
        LINK_TAXONOMY: dict(LINK_WORDS),
    }


TAXONOMY_DESCRIPTIONS = {
    SERVICE_TAXONOMY: "tsunagari の支援の種類 (services vocabulary, docs/directory-format.md)",
    DELIVERY_TAXONOMY: "利用方法: how people reach a provider (電話・来所・訪問・"
    "オンライン・メール)",
    PROPERTY_TAXONOMY: "a tsunagari property HSDS has no field for; its value is attribute.value",
    LINK_TAXONOMY: "a tie between actors (docs/interop.md); attribute.value is JSON: "
    '{"to": "Label:key", ...the tie\'s own properties}',
}
