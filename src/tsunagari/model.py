"""The graph model: every node label, key, property and edge type, in one place.

The LadybugDB DDL, the Neo4j constraints, the export headers and the loaders' checks
are all generated from these tables; nothing else names a property list.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

# Property types, spelled as LadybugDB spells them; Neo4j maps them in graph/schema.py.
STRING, INT, FLOAT, BOOL, STRINGS = "STRING", "INT64", "DOUBLE", "BOOLEAN", "STRING[]"


@dataclass(frozen=True)
class Prop:
    name: str
    type: str = STRING
    doc: str = ""


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str
    props: tuple[Prop, ...]
    doc: str = ""

    @property
    def all_props(self) -> tuple[Prop, ...]:
        """Key first, then the properties every node has, then its own."""
        return (Prop(self.key), *COMMON_NODE_PROPS, *self.props)


@dataclass(frozen=True)
class EdgeType:
    type: str
    endpoints: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()
    doc: str = ""
    family: str = "structure"

    @property
    def all_props(self) -> tuple[Prop, ...]:
        return (*COMMON_EDGE_PROPS, *self.props)


COMMON_NODE_PROPS = (
    Prop("name", doc="display name, as the source writes it"),
    Prop("source", doc="id of the Source node this fact comes from"),
    Prop("locator", doc="where in the source: line, table row or case heading"),
    Prop("as_of", doc="the date the source describes: YYYY, YYYY-MM or YYYY-MM-DD"),
    Prop("alternate_names", STRINGS, "nicknames and former names (HSDS alternate_name)"),
)
COMMON_EDGE_PROPS = (
    Prop("source", doc="id of the Source node this fact comes from"),
    Prop("locator", doc="where in the source: line, table row or case heading"),
    Prop("as_of", doc="the date the source describes: YYYY, YYYY-MM or YYYY-MM-DD"),
)
# How people reach a provider (利用方法): phone, in person (来所), home visits, online, email, fax.
DELIVERY_MODES = ("phone", "visit", "home_visit", "online", "email", "fax")
# How to reach a provider, where a source gives it (the national layer; a user's directory).
CONTACT_PROPS = (
    Prop("address", doc="所在地 as the source writes it"),
    Prop("phone"),
    Prop("hours", doc="受付時間 as the source writes it"),
    Prop("url", doc="official page of the provider"),
    Prop("url_publisher", doc="who publishes that page"),
    Prop("url_checked", doc="date the page was last checked (YYYY-MM-DD)"),
    Prop("delivery_modes", STRINGS, " | ".join(DELIVERY_MODES)),
    Prop("status", doc="published | review_required (要確認)"),
    Prop("verification", doc="human_verified | primary_source_import"),
)
SPECIALISED = Prop(
    "specialised", BOOL, "true: hikikomori-specialised support; false: general (docs/coverage.md)"
)

SERVICES = (
    "consultation",
    "outreach",
    "ibasho",
    "family_support",
    "peer_support",
    "employment_support",
    "online",
    "training",
    "awareness",
)

MUNICIPALITY_KINDS = ("designated_city", "city", "town", "village", "special_ward", "ward")
PLATFORM_LEVELS = ("municipal", "prefectural", "public_private")
CENTER_KINDS = (
    "regional_center",
    "satellite_office",
    "consultation_window",
    "peer_support_center",
    "ibasho",
    "employment_center",
    "other",
)
ORGANIZATION_KINDS = (
    "npo",
    "social_welfare_council",
    "saposute",
    "hello_work",
    "family_association",
    "company",
    "medical",
    "school",
    "government_dept",
    "other",
)
WIDE_AREA = ("none", "coordinated", "integrated")
COVER_SCOPES = ("local", "wide_area", "prefecture")
# Coverage tiers, best first: a COVERS scope, or no provider: unknown (no source claims to
# be complete there) or none (one does). docs/coverage.md.
COVERAGE_TIERS = (*COVER_SCOPES, "unknown", "none")
COMMISSION_KINDS = ("委託", "補助")

NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Prefecture",
        "code",
        (Prop("name_kana"), Prop("population", INT)),
        "都道府県; code is the 6-digit 団体コード",
    ),
    NodeType(
        "Municipality",
        "code",
        (
            Prop("name_kana"),
            Prop("kind", doc=" | ".join(MUNICIPALITY_KINDS)),
            Prop("prefecture_code"),
            Prop("population", INT, "2020 census; empty when unknown"),
            Prop("lat", FLOAT),
            Prop("lng", FLOAT),
            Prop("phone", doc="town hall representative number"),
            Prop("url", doc="official site"),
            Prop("address", doc="town hall address"),
            Prop("contact_source", doc="id of the Source of phone/url/address"),
            Prop("contact_locator"),
            Prop("contact_checked", doc="date that source checked them"),
        ),
        "市区町村 and the wards of designated cities; code is the 6-digit 団体コード",
    ),
    NodeType(
        "Platform",
        "id",
        (Prop("level", doc=" | ".join(PLATFORM_LEVELS)), Prop("established"), SPECIALISED),
        "a support platform (プラットフォーム) where actors meet",
    ),
    NodeType(
        "SupportCenter",
        "id",
        (
            Prop("kind", doc=" | ".join(CENTER_KINDS)),
            Prop("services", STRINGS),
            SPECIALISED,
            Prop("stated", BOOL, "a body a ministry states exists, its name not loaded"),
            *CONTACT_PROPS,
        ),
        "a place people go to or call: centre, window, 居場所",
    ),
    NodeType(
        "Organization",
        "id",
        (
            Prop("kind", doc=" | ".join(ORGANIZATION_KINDS)),
            Prop("services", STRINGS),
            SPECIALISED,
            Prop("corporate_number", doc="法人番号 (13 digits with check digit)"),
            *CONTACT_PROPS,
        ),
        "an organisation that provides or coordinates support",
    ),
    NodeType(
        "Project",
        "id",
        (
            Prop("fiscal_year", INT),
            Prop("round", INT, "decision round (第N次)"),
            Prop("list", doc="the list of the decision it appears in, e.g. 別紙1, 別紙2-①"),
            Prop("platform", BOOL, "a platform-building project (別紙1)"),
            Prop("cost_thousand_yen", INT, "事業費; empty when not printed"),
            Prop("grant_id"),
            Prop("wide_area", doc=" | ".join(WIDE_AREA)),
            Prop("services", STRINGS),
            Prop("summary", doc="交付対象事業の概要, where the list prints one"),
            SPECIALISED,
        ),
        "a funded project",
    ),
    NodeType(
        "Grant",
        "id",
        (Prop("ministry"), Prop("subsidy_rate")),
        "a grant programme (交付金)",
    ),
    NodeType(
        "Source",
        "id",
        (
            Prop("title"),
            Prop("publisher"),
            Prop("date"),
            Prop("file"),
            Prop("sha256"),
            Prop("rows", INT, "rows this build took from it"),
            Prop("url", doc="where the document or dataset is published"),
            Prop("licence", doc="its licence and the attribution it requires, where it has one"),
        ),
        "a document or dataset facts come from",
    ),
    NodeType(
        "Completeness",
        "id",
        (
            Prop("services", STRINGS, "the services the source lists completely"),
            Prop("areas", STRINGS, "団体コード of prefectures or municipalities; 'all' = Japan"),
            Prop("covers_specialised", BOOL, "false: complete for general support only"),
        ),
        "a source's claim to list every provider of some services in an area (docs/coverage.md)",
    ),
    NodeType(
        "Build",
        "id",
        (
            Prop("built_at"),
            Prop("tool_version"),
            Prop("inputs_sha256"),
            Prop("model_digest", STRING, "the graph model it was built with: MODEL_DIGEST"),
        ),
        "the record of the build that made this graph",
    ),
)

ADMIN = ("Prefecture", "Municipality")
ACTORS = ("Prefecture", "Municipality", "Platform", "SupportCenter", "Organization")
PROVIDERS = ("Project", "SupportCenter", "Platform", "Organization")


def _pairs(froms: tuple[str, ...], tos: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a in froms for b in tos)


EDGE_TYPES: tuple[EdgeType, ...] = (
    EdgeType("IN_PREFECTURE", (("Municipality", "Prefecture"),)),
    EdgeType("WARD_OF", (("Municipality", "Municipality"),)),
    EdgeType(
        "FUNDS", (("Grant", "Project"),), (Prop("amount_thousand_yen", INT),), family="funding"
    ),
    EdgeType(
        "RUNS",
        _pairs(ADMIN, ("Project",)),
        (Prop("cost_thousand_yen", INT),),
        "実施主体 (lead)",
        family="funding",
    ),
    EdgeType(
        "PARTNERS_IN",
        _pairs(ADMIN, ("Project",)),
        (Prop("role"), Prop("cost_thousand_yen", INT)),
        "連携自治体",
        family="partnership",
    ),
    EdgeType(
        "COVERS",
        _pairs(PROVIDERS, ("Municipality",)),
        (
            Prop("services", STRINGS),
            Prop("scope", doc=" | ".join(COVER_SCOPES)),
        ),
        "service area",
        family="coverage",
    ),
    EdgeType(
        "MEMBER_OF",
        _pairs(ACTORS, ("Platform",)),
        (Prop("role"),),
        family="membership",
    ),
    EdgeType("SECRETARIAT_OF", _pairs(ACTORS, ("Platform",)), family="membership"),
    EdgeType(
        "COMMISSIONS",
        _pairs(ADMIN, ("Organization", "SupportCenter")),
        (Prop("kind", doc=" | ".join(COMMISSION_KINDS)),),
        "委託 / 補助",
        family="commissioning",
    ),
    EdgeType("OPERATES", (("Organization", "SupportCenter"),), family="commissioning"),
    EdgeType(
        "PARTNERS_WITH",
        _pairs(ACTORS, ACTORS),
        (Prop("note"),),
        "連携",
        family="partnership",
    ),
    EdgeType(
        "REFERS_TO",
        _pairs(ACTORS, ACTORS),
        (Prop("note"),),
        "つなぎ (referral path)",
        family="referral",
    ),
    EdgeType(
        "LOCATED_IN",
        _pairs(("Organization", "SupportCenter", "Platform"), ("Municipality",)),
    ),
)

NODES = {t.label: t for t in NODE_TYPES}
EDGES = {t.type: t for t in EDGE_TYPES}


def key_of(label: str) -> str:
    return NODES[label].key


def _shape_digest() -> str:
    """Labels, keys, properties with their types and edge ends, as a short digest."""
    shape = [
        *((t.label, t.key, [(p.name, p.type) for p in t.all_props]) for t in NODE_TYPES),
        *((t.type, t.endpoints, [(p.name, p.type) for p in t.all_props]) for t in EDGE_TYPES),
    ]
    return f"{zlib.crc32(repr(shape).encode()):08x}"  # a check, not a seal: crc32 is enough


# The Build record keeps it: a graph made with another model (an older tsunagari) is refused
# on opening instead of answering with nulls where a property has since been added.
MODEL_DIGEST = _shape_digest()
