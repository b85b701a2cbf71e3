"""The directory format: its sheets, columns, words (with Japanese aliases) and templates."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tsunagari.model import (
    CENTER_KINDS,
    COMMISSION_KINDS,
    COVER_SCOPES,
    DELIVERY_MODES,
    ORGANIZATION_KINDS,
    PLATFORM_LEVELS,
    SERVICES,
)

LINK_TYPES = (
    "COMMISSIONS",
    "OPERATES",
    "PARTNERS_WITH",
    "REFERS_TO",
    "MEMBER_OF",
    "SECRETARIAT_OF",
    "LOCATED_IN",
    "COVERS",
)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    label: str  # node label; "" for links
    columns: tuple[str, ...]
    required: tuple[str, ...]
    doc: str
    column_docs: tuple[tuple[str, str], ...]


_WHERE = (
    (
        "municipality",
        "where it is (LOCATED_IN): a municipality name or 団体コード; empty = unknown"
        " / 所在する市区町村（名称または団体コード）。不明なら空欄",
    ),
    (
        "prefecture",
        "context for municipality (name or code), e.g. 高知県; optional"
        " / 市区町村名を特定するための都道府県名（任意）",
    ),
)
_PROVENANCE = (
    (
        "source",
        "id in sources.csv; empty in your own files = this file is the source"
        " / 出典ID。空欄ならこのファイル自体が出典",
    ),
    (
        "locator",
        "where the fact is (document: heading, l.N); empty = this file and line"
        " / 出典の中の位置（見出し・行）。空欄ならこのファイルの行",
    ),
    ("note", "free text, not used for matching / 備考（自由記述）"),
)
_ID = (
    "id",
    "your stable id: ASCII letters, digits, - _ . (unique across all sheets)"
    " / 半角英数字と - _ . による一意のID（例: hannan-platform）",
)
_ALTERNATE_NAMES = (
    "alternate_names",
    "other names people know it by (nickname, former name), separated by | ; optional"
    " / 通称・旧称（| 区切り。任意）",
)
_SERVICES = (
    "services",
    "words separated by ; — "
    + ", ".join(SERVICES)
    + " / 提供する支援（; 区切り。相談・居場所・就労支援 などの日本語も可）",
)

_DELIVERY = (
    "delivery_modes",
    "how people reach it, separated by ; — "
    + ", ".join(DELIVERY_MODES)
    + " / 利用方法（; 区切り。電話・来所・訪問・オンライン・メール・ファクス も可）",
)

SHEETS: dict[str, SheetSpec] = {
    s.name: s
    for s in (
        SheetSpec(
            "organizations",
            "Organization",
            (
                "id",
                "name",
                "alternate_names",
                "kind",
                "services",
                "municipality",
                "prefecture",
                "source",
                "locator",
                "note",
                "delivery_modes",
                "corporate_number",
            ),
            ("id", "name"),
            "organisations (団体): NPO, 社会福祉協議会, サポステ, ハローワーク, 家族会, 行政の部署",
            (
                _ID,
                (
                    "name",
                    "the name as the organisation or the source writes it / 名称（表記のまま）",
                ),
                _ALTERNATE_NAMES,
                ("kind", " | ".join(ORGANIZATION_KINDS) + " / 種別"),
                _SERVICES,
                *_WHERE,
                *_PROVENANCE,
                _DELIVERY,
                (
                    "corporate_number",
                    "法人番号: 13 digits, checked by its check digit; optional"
                    " / 法人番号（13桁、任意）",
                ),
            ),
        ),
        SheetSpec(
            "centers",
            "SupportCenter",
            (
                "id",
                "name",
                "alternate_names",
                "kind",
                "services",
                "municipality",
                "prefecture",
                "operator",
                "source",
                "locator",
                "note",
                "delivery_modes",
            ),
            ("id", "name"),
            "support centres (拠点): places people go to or call — 相談窓口, 居場所, センター",
            (
                _ID,
                ("name", "the name as written / 名称（表記のまま）"),
                _ALTERNATE_NAMES,
                ("kind", " | ".join(CENTER_KINDS) + " / 種別"),
                _SERVICES,
                *_WHERE,
                (
                    "operator",
                    "id of the organization that runs it (OPERATES); optional"
                    " / 運営団体のID（任意）",
                ),
                *_PROVENANCE,
                _DELIVERY,
            ),
        ),
        SheetSpec(
            "platforms",
            "Platform",
            (
                "id",
                "name",
                "alternate_names",
                "level",
                "established",
                "municipality",
                "prefecture",
                "source",
                "locator",
                "note",
            ),
            ("id", "name"),
            "platforms (プラットフォーム): 市町村・都道府県プラットフォーム, 協議会, ネットワーク",
            (
                _ID,
                ("name", "the name as written / 名称（表記のまま）"),
                _ALTERNATE_NAMES,
                ("level", " | ".join(PLATFORM_LEVELS) + " / 市町村・都道府県・官民"),
                ("established", "as the source writes it, e.g. 令和元年11月; optional / 設置時期"),
                *_WHERE,
                *_PROVENANCE,
            ),
        ),
        SheetSpec(
            "links",
            "",
            (
                "type",
                "from",
                "from_place",
                "to",
                "to_place",
                "services",
                "scope",
                "role",
                "kind",
                "note",
                "source",
                "locator",
            ),
            ("type",),
            "links (つながり) between the rows above and places",
            (
                (
                    "type",
                    " | ".join(LINK_TYPES) + " / 委託・運営・連携・つなぎ・構成員・事務局・"
                    "所在・対象地域",
                ),
                ("from", "an id from the sheets (fill from OR from_place) / 起点のID"),
                ("from_place", "a prefecture or municipality, name or 団体コード / 起点の自治体"),
                ("to", "an id from the sheets (fill to OR to_place) / 終点のID"),
                (
                    "to_place",
                    "a prefecture or municipality; for COVERS a prefecture = all of it"
                    " / 終点の自治体（COVERS で都道府県を書くと県内全域）",
                ),
                (
                    "services",
                    "COVERS only: the services provided there (empty = the provider's)"
                    " / COVERS のみ: その地域で提供する支援",
                ),
                (
                    "scope",
                    "COVERS only: " + " | ".join(COVER_SCOPES) + " (empty = by to_place)"
                    " / COVERS のみ: 範囲",
                ),
                ("role", "MEMBER_OF only: e.g. 構成員 / MEMBER_OF のみ: 役割"),
                (
                    "kind",
                    "COMMISSIONS only: " + " | ".join(COMMISSION_KINDS) + " / COMMISSIONS のみ",
                ),
                (
                    "note",
                    "what the link is, in the source's words (kept on PARTNERS_WITH, "
                    "REFERS_TO) / つながりの内容",
                ),
                ("source", _PROVENANCE[0][1]),
                ("locator", _PROVENANCE[1][1]),
            ),
        ),
        SheetSpec(
            "completeness",
            "Completeness",
            ("place", "services", "specialised", "as_of", "source", "locator", "note"),
            ("place", "services"),
            "completeness (網羅の宣言): where your sheets list EVERY provider of some services;"
            " there a town with none is a real gap (なし), elsewhere データなし (docs/coverage.md)",
            (
                (
                    "place",
                    "a municipality or prefecture, name or 団体コード"
                    " / 網羅している自治体（市区町村または都道府県）",
                ),
                (
                    "services",
                    "the services listed completely, separated by ;"
                    " / 漏れなく載せた支援（; 区切り）",
                ),
                (
                    "specialised",
                    "yes: the list is complete for hikikomori-specialised support too (default);"
                    " no: general support only / 専門支援も網羅しているか（はい・いいえ）",
                ),
                ("as_of", "date the list was complete, e.g. 2026-04 / 時点"),
                *_PROVENANCE,
            ),
        ),
    )
}

SHEET_ALIASES = {
    "organisations": "organizations",
    "orgs": "organizations",
    "団体": "organizations",
    "centres": "centers",
    "支援拠点": "centers",
    "拠点": "centers",
    "プラットフォーム": "platforms",
    "つながり": "links",
    "関係": "links",
    "網羅": "completeness",
}

# Words a secretariat may type instead of the English identifiers.
ALIASES: dict[str, dict[str, str]] = {
    "services": {
        "相談": "consultation",
        "アウトリーチ": "outreach",
        "訪問": "outreach",
        "訪問支援": "outreach",
        "居場所": "ibasho",
        "家族支援": "family_support",
        "ピアサポート": "peer_support",
        "就労支援": "employment_support",
        "オンライン": "online",
        "研修": "training",
        "啓発": "awareness",
        "普及啓発": "awareness",
    },
    "organization_kind": {
        "npo法人": "npo",
        "特定非営利活動法人": "npo",
        "社会福祉協議会": "social_welfare_council",
        "社協": "social_welfare_council",
        "サポステ": "saposute",
        "地域若者サポートステーション": "saposute",
        "ハローワーク": "hello_work",
        "家族会": "family_association",
        "企業": "company",
        "医療機関": "medical",
        "学校": "school",
        "行政": "government_dept",
        "その他": "other",
    },
    "center_kind": {
        "ひきこもり地域支援センター": "regional_center",
        "サテライト": "satellite_office",
        "相談窓口": "consultation_window",
        "ピアサポートセンター": "peer_support_center",
        "居場所": "ibasho",
        "就労支援センター": "employment_center",
        "その他": "other",
    },
    "level": {
        "市町村": "municipal",
        "都道府県": "prefectural",
        "官民": "public_private",
    },
    "type": {
        "委託": "COMMISSIONS",
        "補助": "COMMISSIONS",
        "運営": "OPERATES",
        "連携": "PARTNERS_WITH",
        "つなぎ": "REFERS_TO",
        "構成員": "MEMBER_OF",
        "事務局": "SECRETARIAT_OF",
        "所在": "LOCATED_IN",
        "対象地域": "COVERS",
    },
    "scope": {"市町村": "local", "広域": "wide_area", "県全域": "prefecture"},
    "delivery_modes": {
        "電話": "phone",
        "来所": "visit",
        "訪問": "home_visit",
        "オンライン": "online",
        "メール": "email",
        "ファクス": "fax",
        "ファックス": "fax",
    },
}

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "services": SERVICES,
    "organization_kind": ORGANIZATION_KINDS,
    "center_kind": CENTER_KINDS,
    "level": PLATFORM_LEVELS,
    "type": LINK_TYPES,
    "scope": COVER_SCOPES,
    "commission_kind": COMMISSION_KINDS,
    "delivery_modes": DELIVERY_MODES,
}


def fold(text: str) -> str:
    """The form names and words compare in: NFKC, no spaces, case-folded (never stored)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def word(vocabulary: str, text: str) -> str | None:
    """The vocabulary word `text` means (identifier or Japanese alias), or None."""
    key = fold(text)
    for w in VOCABULARIES[vocabulary]:
        if fold(w) == key:
            return w
    return ALIASES.get(vocabulary, {}).get(key)


def unknown_word_message(vocabulary: str, text: str, *, what: str) -> str:
    choices = VOCABULARIES[vocabulary]
    close = difflib.get_close_matches(fold(text), [fold(c) for c in choices], n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown {what} {text!r}{hint}; use one of: {', '.join(choices)}"


def split_list(text: str) -> list[str]:
    """Cells holding lists separate items by ; or ； (also , 、 as Excel users type them)."""
    for sep in ("；", ",", "、", "，"):
        text = text.replace(sep, ";")
    return [t.strip() for t in text.split(";") if t.strip()]


def split_names(text: str) -> list[str]:
    """alternate_names cells: names separated by |, trimmed; "" for an empty piece."""
    return [t.strip() for t in text.split("|")] if text.strip() else []


def sheet_of(stem: str) -> str | None:
    """Which sheet a file or Excel sheet is, from its name: `links`, `s004_links`, `団体`."""
    key = fold(stem)
    for candidate in (key, *(key.rsplit(sep, 1)[-1] for sep in "_-. " if sep in key)):
        if candidate in SHEETS:
            return candidate
        if candidate in SHEET_ALIASES:
            return SHEET_ALIASES[candidate]
    return None


def template_text(sheet: str) -> str:
    """A commented, empty CSV for one sheet: `#` lines explain the columns, then the header."""
    spec = SHEETS[sheet]
    lines = [
        f"# {spec.name}.csv — {spec.doc}",
        "# Lines starting with # are comments. Keep the header row; one row per entry below it.",
        "# Empty cells mean unknown. Check with: tsunagari check FOLDER",
    ]
    width = max(len(c) for c, _ in spec.column_docs)
    lines += [f"# {c.ljust(width)}  {doc}" for c, doc in spec.column_docs]
    lines.append(",".join(spec.columns))
    return "\n".join(_csv_comment(line) for line in lines) + "\n"


def _csv_comment(line: str) -> str:
    """A comment line that stays one cell when opened in Excel (commas quoted)."""
    if line.startswith("#") and ("," in line or '"' in line):
        return '"' + line.replace('"', '""') + '"'
    return line


def write_templates(folder: Path, *, excel: bool = False, force: bool = False) -> list[Path]:
    """Write empty, commented templates: one CSV per sheet (UTF-8 with BOM), or one .xlsx."""
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / "directory.xlsx"] if excel else [folder / f"{s}.csv" for s in SHEETS]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        from tsunagari.errors import TsunagariError

        raise TsunagariError(
            f"{', '.join(str(t) for t in existing)} already exists; "
            "choose an empty folder or pass --force to overwrite"
        )
    if excel:
        _write_xlsx(targets[0])
    else:
        for sheet, target in zip(SHEETS, targets, strict=True):
            # the BOM makes Excel open the UTF-8 file with the Japanese intact
            target.write_text(template_text(sheet), encoding="utf-8-sig", newline="")
    return targets


def _write_xlsx(target: Path) -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for spec in SHEETS.values():
        ws = book.create_sheet(spec.name)
        ws.append([f"# {spec.name} — {spec.doc}"])
        for column, doc in spec.column_docs:
            ws.append([f"# {column}: {doc}"])
        ws.append(list(spec.columns))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for letter in "ABCDEFGHIJKL":
            ws.column_dimensions[letter].width = 18
    book.save(target)
