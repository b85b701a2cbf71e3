"""Resolve municipality and prefecture names or codes as sources write them to master codes."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from tsunagari.errors import InputError
from tsunagari.loaders.master import master_rows
from tsunagari.loaders.tabular import column_name, decode
from tsunagari.records import Problem

HOWS = (
    "exact",  # the text is the official name
    "normalised",  # equal after normalise(), or a ward written without its city (清田区)
    "prefecture_prefix",  # the text names the prefecture: 大阪府阪南市, 東京 府中市, 府中市(東京都)
    "context",  # the prefecture (or city) given as context decided between candidates
    "code",  # a 6-digit code, or 5 digits completed with their check digit
    "ambiguous",  # several candidates remain: see `candidates`
    "unknown",  # nothing matches (or the match contradicts the context): see `note`
)

# What NFKC keeps apart but the names do not: official names themselves mix ヶ and ケ
# (茅ヶ崎市, 鎌ケ谷市), and people write が/ガ/ヵ for the same sound. Old and variant kanji fold
# to the form most people type. No pair may merge two names of the master (a test checks).
_VARIANTS = {
    "ヶ": "ヵケガが",
    "の": "ノ",
    "梼": "檮",
    "高": "髙",
    "崎": "﨑嵜",
    "辺": "邊邉",
    "塚": "\ufa10",
    "吉": "𠮷",
    "沢": "澤",
    "浜": "濱濵",
    "瀬": "瀨",
    "桜": "櫻",
    "広": "廣",
    "国": "國",
    "会": "會",
    "万": "萬",
    "竜": "龍\u2eef",
    "蔵": "藏",
    "真": "眞",
    "徳": "德",
    "恵": "惠",
    "条": "條",
    "籠": "篭",
    "鰺": "鯵",
    "淵": "渕",
    "富": "冨",
    "館": "舘",
    "檜": "桧",
    "曽": "曾",
    "弥": "彌",
    "寿": "壽",
    "当": "當",
    "楽": "樂",
    "静": "靜",
    "黒": "黑",
    "郷": "鄕",
    "児": "兒",
    "発": "發",
    "県": "縣",
    "戸": "戶",
    "増": "增",
    "滝": "瀧",
    "渋": "澁",
    "亀": "龜\u2ef2",
    "峰": "峯",
    "岳": "嶽",
    "栃": "杤",
    # CJK radicals that PDF text extraction emits in place of the ideograph (NFKC keeps them)
    "長": "\u2ed1",
    "西": "\u2ec4",
    "青": "\u2ed8",
    "鬼": "\u2ee4",
    "麦": "\u2ee8",
    "黄": "\u2ee9",
    "斉": "\u2eeb",
    "歯": "\u2eed",
    "民": "\u2ea0",
    "食": "\u2edd",
}
FOLDS = {src: dst for dst, srcs in _VARIANTS.items() for src in srcs}
_FOLD_TABLE = str.maketrans(FOLDS)
_WHITESPACE = re.compile(r"\s+")
_COUNTY = re.compile(r"^(?:.+?郡)+?(?=.+[町村]$)")
_PAREN_PREFECTURE = re.compile(r"^(.+)\((.+)\)$")


def _is_invisible(ch: str) -> bool:
    """Format characters (U+200B, U+FEFF, bidi marks) and variation selectors."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x180B <= cp <= 0x180F
    )


def _step(text: str) -> str:
    text = "".join(ch for ch in text if not _is_invisible(ch))
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    return _WHITESPACE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """The text for matching only: invisible characters out, NFKC, variant folds, one space.

    Nothing visible is deleted (〜 stays) and words stay apart: inner whitespace becomes one
    space. Repeated until stable, since a fold can let NFKC compose a following mark.
    """
    for _ in range(8):
        folded = _step(text)
        if folded == text:
            break
        text = folded
    return text


def match_key(text: str) -> str:
    """normalise() without spaces: 札幌市 中央区 and 札幌市中央区 match the same row."""
    return normalise(text).replace(" ", "")


def check_digit(five: str) -> int:
    """The check digit of a 5-digit 団体コード: (11 - Σ dᵢ·wᵢ mod 11) mod 10, w = 6,5,4,3,2."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    prefecture: str
    label: str  # "Prefecture" | "Municipality"

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.prefecture})"


@dataclass(frozen=True)
class Resolution:
    text: str
    code: str | None
    name: str | None
    label: str | None
    how: str  # one of HOWS
    candidates: tuple[Candidate, ...] = ()
    prefecture: str | None = None  # the matched place's prefecture name
    note: str = ""  # why an unknown is unknown (bad check digit, not in the context prefecture)

    @property
    def ok(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class _Index:
    places: dict[str, Candidate]  # code → candidate, prefectures included
    by_key: dict[str, tuple[str, ...]]  # match key → codes (official names, bare ward names)
    prefectures: dict[str, str]  # key of 東京都 / 東京 / 13 / 13000 / 130001 → pref code
    prefixes: tuple[tuple[str, str], ...]  # (key, pref code), longest first
    cities: dict[str, str]  # key of a designated city → its code
    wards: dict[tuple[str, str], str]  # (city code, bare ward key) → ward code


def _pref(code: str) -> str:
    return code[:2]


@cache
def _index() -> _Index:
    rows = master_rows()
    places: dict[str, Candidate] = {}
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    prefectures: dict[str, str] = {}
    cities: dict[str, str] = {}
    wards: dict[tuple[str, str], str] = {}
    for r in rows:
        label = "Prefecture" if r["kind"] == "prefecture" else "Municipality"
        places[r["code"]] = Candidate(r["code"], r["name"], r["prefecture"], label)
        by_key[match_key(r["name"])].append(r["code"])
        if r["kind"] == "prefecture":
            short = r["name"][:-1] if r["name"][-1] in "都府県" else r["name"]
            by_key.setdefault(match_key(short), []).append(r["code"])
            for form in (r["name"], short, r["pref_code"], r["code"][:5], r["code"]):
                prefectures[match_key(form)] = r["pref_code"]
            prefectures[str(int(r["pref_code"]))] = r["pref_code"]  # 1 for 01, as Excel keeps it
        elif r["kind"] == "designated_city":
            cities[match_key(r["name"])] = r["code"]
    for r in rows:
        if r["kind"] == "ward":
            bare = match_key(r["name"][len(r["parent_city"]) :])
            by_key[bare].append(r["code"])
            wards[(cities[match_key(r["parent_city"])], bare)] = r["code"]
    prefixes = sorted(
        ((k, pc) for k, pc in prefectures.items() if not k.isdigit()),
        key=lambda kp: (-len(kp[0]), kp[0]),
    )
    return _Index(
        places,
        {k: tuple(sorted(set(v))) for k, v in by_key.items()},
        prefectures,
        tuple(prefixes),
        cities,
        wards,
    )


def _make(
    text: str, how: str, code: str | None = None, cands: tuple[str, ...] = (), note: str = ""
) -> Resolution:
    places = _index().places
    candidates = tuple(places[c] for c in sorted(cands))
    if code is None:
        return Resolution(text, None, None, None, how, candidates, None, note)
    p = places[code]
    return Resolution(text, code, p.name, p.label, how, candidates, p.prefecture, note)


def _decide(
    text: str, codes: tuple[str, ...], context: str | None, how: str, *, picked: str = "context"
) -> Resolution:
    """One code resolves; several are ambiguous unless the context prefecture picks one."""
    if context is not None:
        inside = tuple(c for c in codes if _pref(c) == context)
        if not inside:
            where = _index().places[_prefecture_place(context)].name
            return _make(text, "unknown", cands=codes, note=f"not in {where}")
        if len(inside) == 1:
            return _make(text, how if len(codes) == 1 else picked, inside[0])
        codes = inside
    if len(codes) == 1:
        return _make(text, how, codes[0])
    return _make(text, "ambiguous", cands=codes)


def _prefecture_place(pref_code: str) -> str:
    five = f"{pref_code}000"
    return f"{five}{check_digit(five)}"


def _codes_from_digits(key: str) -> tuple[tuple[str, ...], str]:
    """Codes the digits may mean; Excel drops leading zeros, so 5 digits can mean two codes."""
    places = _index().places
    if len(key) == 6:
        if int(key[5]) != check_digit(key[:5]):
            right = f"{key[:5]}{check_digit(key[:5])}"
            hint = f"; {key[:5]} gives {places[right]}" if right in places else ""
            return (), f"wrong check digit in {key}{hint}"
        return ((key,), "") if key in places else ((), f"no place has code {key}")
    readings = []
    if len(key) == 4:
        readings.append(f"0{key}{check_digit('0' + key)}")
    if len(key) == 5:
        readings.append(f"{key}{check_digit(key)}")
        if key[0] != "0" and int(key[4]) == check_digit(f"0{key[:4]}"):
            readings.append(f"0{key}")
    found = tuple(c for c in readings if c in places)
    return found, "" if found else f"no place has code {key}"


def _with_county(key: str) -> tuple[str, ...]:
    """Codes for the key, or for it without a leading 郡 (西牟婁郡白浜町 → 白浜町)."""
    by_key = _index().by_key
    if key in by_key:
        return by_key[key]
    county = _COUNTY.match(key)
    return by_key.get(key[county.end() :], ()) if county else ()


def _stated_prefecture(key: str, text: str) -> tuple[str, tuple[str, ...]] | None:
    """(pref code, codes) when the text names its prefecture before or after the name."""
    index = _index()
    found: dict[str, set[str]] = defaultdict(set)
    for prefix, pc in index.prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            found[pc].update(_with_county(key[len(prefix) :]))
    paren = _PAREN_PREFECTURE.match(normalise(text))
    if paren and match_key(paren[2]) in index.prefectures:
        found[index.prefectures[match_key(paren[2])]].update(_with_county(match_key(paren[1])))
    stated = [(pc, tuple(sorted(codes))) for pc, codes in found.items() if codes]
    return stated[0] if len(stated) == 1 else None


def _prefecture_context(prefecture: str) -> str | None:
    return _index().prefectures.get(match_key(prefecture))


def resolve(text: str, *, prefecture: str | None = None, city: str | None = None) -> Resolution:
    """The place `text` names: its code, official name and how it matched; never a guess.

    `prefecture` (北海道, 東京, 大阪府, 13, 130001) and `city` (a designated city: 札幌市)
    are context, e.g. from the surrounding list; they choose among candidates and a match
    outside them is unknown.
    """
    return _resolve(text, prefecture, city)


@lru_cache(maxsize=1 << 16)
def _resolve(text: str, prefecture: str | None, city: str | None) -> Resolution:
    index = _index()
    context = None
    if prefecture is not None and prefecture.strip():
        context = _prefecture_context(prefecture)
        if context is None:
            return _make(text, "unknown", note=f"context {prefecture!r} is not a prefecture")
    city_code = None
    if city is not None and city.strip():
        city_code = _city_context(city)
        if city_code is None:
            return _make(text, "unknown", note=f"context {city!r} is not a designated city")
        if context is not None and _pref(city_code) != context:
            return _make(text, "unknown", note=f"{city} is not in {prefecture}")
        context = _pref(city_code)
    key = match_key(text)
    if not key:
        return _make(text, "unknown", note="empty")
    if key.isascii() and key.isdigit():
        if not 4 <= len(key) <= 6:
            return _make(text, "unknown", note="a code has 6 digits (or 5 without check digit)")
        codes, note = _codes_from_digits(key)
        return _decide(text, codes, context, "code") if codes else _make(text, "unknown", note=note)
    if city_code is not None and (city_code, key) in index.wards:
        return _make(text, "context", index.wards[(city_code, key)])
    if key in index.by_key:
        codes = index.by_key[key]
        exact = len(codes) == 1 and index.places[codes[0]].name == text.strip()
        return _decide(text, codes, context, "exact" if exact else "normalised")
    stated = _stated_prefecture(key, text)
    if stated is not None:
        pc, codes = stated
        if context is not None and pc != context:
            where = index.places[_prefecture_place(context)].name
            note = f"the text names another prefecture than {where}"
            return _make(text, "unknown", cands=codes, note=note)
        how = "prefecture_prefix"
        return _decide(text, codes, pc, how, picked=how)
    codes = _with_county(key)
    if codes:
        return _decide(text, codes, context, "normalised")
    return _make(text, "unknown")


def _city_context(city: str) -> str | None:
    key = match_key(city)
    if key.isdigit():
        codes, _ = _codes_from_digits(key)
        key = match_key(_index().places[codes[0]].name) if len(codes) == 1 else ""
    return _index().cities.get(key)


def problem_for(res: Resolution, *, file: str, line: int | None, field: str) -> Problem | None:
    """None when `res` resolved; else a Problem whose message lists candidates with codes."""
    if res.ok:
        return None
    listed = ", ".join(str(c) for c in res.candidates)
    if res.how == "ambiguous":
        message = (
            f"{res.text!r} matches {len(res.candidates)} places: {listed}; "
            "add the prefecture (or city) or write the 6-digit code"
        )
        return Problem("ambiguous-municipality", file, line, field, res.text, message)
    if res.note and res.candidates:
        message = (
            f"{res.text!r}: {res.note}; the master has {listed}; check the name or the context"
        )
    elif res.note:
        message = f"{res.text!r}: {res.note}; write the official name or the 6-digit code"
    else:
        near = ", ".join(str(c) for c in suggestions(res.text))
        hint = f" (close: {near})" if near else ""
        message = (
            f"{res.text!r} is not a municipality or prefecture of the master (2020){hint}; "
            "write the official name or the 6-digit code"
        )
    return Problem("unknown-municipality", file, line, field, res.text, message)


def suggestions(text: str, *, limit: int = 3) -> tuple[Candidate, ...]:
    """Close official names, for the message of an unknown name."""
    import difflib

    index = _index()
    keys = difflib.get_close_matches(match_key(text), list(index.by_key), n=limit, cutoff=0.6)
    return tuple(index.places[c] for k in keys for c in index.by_key[k])[:limit]


ADDED_COLUMNS = ("code", "official_name", "how", "candidates")


@dataclass
class ResolvedTable:
    """A CSV file's records as written, each with ADDED_COLUMNS appended; one problem a miss."""

    records: list[list[str]]  # the header first; blank and `#` comment records pass through
    problems: list[Problem]
    rows: int  # data rows resolved or not
    bom: bool  # the input was Excel's (UTF-8 with BOM or CP932): write a BOM back
    newline: str


def resolve_csv(
    path: Path,
    *,
    column: str,
    prefecture_column: str | None = None,
    prefecture: str | None = None,
    display: str | None = None,
) -> ResolvedTable:
    """Resolve one column of a CSV; the row's prefecture cell, else `prefecture`, is context."""
    shown = display or str(path)
    data = path.read_bytes()
    decoded = decode(data)
    if decoded is None:
        raise InputError(f"{shown}: not UTF-8 or CP932 text; save it as 'CSV UTF-8'")
    text, encoding = decoded
    reader = csv.reader(io.StringIO(text, newline=""))
    excel = data.startswith(codecs.BOM_UTF8) or encoding == "cp932"
    out = ResolvedTable([], [], 0, excel, "\r\n" if "\r\n" in text else "\n")
    header: list[str] = []
    where: dict[str, int] = {}
    line = 1
    for record in reader:
        at, line = line, reader.line_num + 1
        if not any(c.strip() for c in record) or record[0].lstrip().startswith("#"):
            out.records.append(record)
            continue
        if not header:
            header = record
            where = {column_name(c): i for i, c in reversed(list(enumerate(header)))}
            _check_columns(shown, where, column, prefecture_column)
            out.records.append([*header, *ADDED_COLUMNS])
            continue
        cell = _cell(record, where[column_name(column)])
        context = _cell(record, where[column_name(prefecture_column)]) if prefecture_column else ""
        res = resolve(cell, prefecture=context or prefecture)
        out.rows += 1
        listed = "; ".join(str(c) for c in res.candidates)
        short = [""] * (len(header) - len(record))  # Excel drops trailing empty cells
        out.records.append([*record, *short, res.code or "", res.name or "", res.how, listed])
        problem = problem_for(res, file=shown, line=at, field=column)
        if problem is not None:
            out.problems.append(problem)
    if not header:
        raise InputError(f"{shown}: no header row; the first row must name the columns")
    return out


def _cell(record: list[str], index: int) -> str:
    return record[index] if index < len(record) else ""


def _check_columns(
    shown: str, where: dict[str, int], column: str, prefecture_column: str | None
) -> None:
    for wanted in (column, prefecture_column):
        if wanted is not None and column_name(wanted) not in where:
            have = ", ".join(k for k in where if k)
            raise InputError(f"{shown}: no column {wanted!r}; the header has {have}")
    taken = [c for c in ADDED_COLUMNS if c in where]
    if taken:
        raise InputError(
            f"{shown}: already has column(s) {', '.join(taken)}; rename them or resolve "
            "the original file, since the output adds these columns"
        )
