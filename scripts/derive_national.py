"""Derive the bundled national consultation layer from くらし支援ナビ (a maintainer's script).

Run from the repository root with the reference folder beside it:
    python scripts/derive_national.py ../shared/data/national/self_reliance_windows \
        src/tsunagari/data/national
It is not used at run time or in tests; its output is committed. The rules it applies are
written in docs/coverage.md ("The national layer") and repeated in the docstrings below.

Source: くらし支援ナビ（運営: JUNKBRANDING）, CC BY 4.0, modified: only the 生活困窮者自立相談支援
windows are kept, rows of one window are merged into one, operators and tiers are derived.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

SOURCE = "kurashi-navi-2026"

# Rule 1 (which rows are 自立相談支援 windows): contactType = self-reliance, or a
# representative/direct row (not 住居確保給付金: categoryId = rent) whose plainName is one
# of these names the compilation gives 自立相談支援機関 (counted in the README).
WINDOW_PLAIN_NAMES = (
    "生活困窮者自立相談",
    "生活困窮者自立相談支援窓口",
    "生活困窮者自立相談の担当へつないでもらう",
    "生活や仕事の相談",
    "生活や仕事の困りごと相談",
    "生活や仕事の困りごと相談窓口",
    "仕事・生活・住まいの相談窓口",
)

# Rule 3 (prefecture-run): words naming a prefectural body or office in a window's name or
# department. A 町村 without its own 福祉事務所 is served by its prefecture (生活困窮者自立支援法
# 第4条: 都道府県 runs the 事業 for 町村 without 福祉事務所).
PREFECTURAL_WORDS = (
    "振興局",
    "県民局",
    "県民センター",
    "支庁",
    "管内",
    "総合庁舎",
    "合同庁舎",
    "地域福祉事務所",
    "保健福祉事務所",
    "健康福祉センター",
    "保健福祉センター",
    "福祉相談センター",
    "福祉こどもセンター",
    "保健所",
)
PREFECTURAL_PREFIX = re.compile(r"^[県道都府][北南東西央中]")

# Operators named in a window's name or department (never from the address: "…社会福祉協議会内"
# says where the window sits, not who runs it).
OPERATOR = re.compile(
    r"((?:社会福祉法人|（社福）|\(社福\))?[^\s（）()・、]*?社会福祉協議会"
    r"|(?:特定非営利活動法人|ＮＰＯ法人|NPO法人)[^\s（）()、]+"
    r"|(?:一般社団法人|公益社団法人|一般財団法人|公益財団法人|社会福祉法人)[^\s（）()、]+)"
)
OPERATOR_KIND = (("社会福祉協議会", "social_welfare_council"), ("NPO", "npo"), ("特定非営利", "npo"))

METHODS = {
    "電話": "phone",
    "来所": "visit",
    "面談": "visit",
    "訪問": "home_visit",
    "オンライン": "online",
    "SNS": "online",
    "メール": "email",
    "FAX": "fax",
}

WINDOW_COLUMNS = [
    "id", "name", "department", "operator", "address", "located_code", "phone", "hours",
    "closed_days", "url", "url_publisher", "url_checked", "delivery_modes", "status",
    "verification", "office_ids", "locator",
]
AREA_COLUMNS = ["window_id", "code", "tier", "rule", "office_id"]
OPERATOR_COLUMNS = ["id", "name", "kind", "locator"]
CONTACT_COLUMNS = ["code", "name", "phone", "url", "address", "checked", "locator"]


def nfkc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def is_window(r: dict[str, str]) -> bool:
    if r["contactType"] == "self-reliance":
        return True
    return r["categoryId"] != "rent" and r["plainName"] in WINDOW_PLAIN_NAMES


def clean_name(name: str) -> str:
    """The compilation copies link texts: drop '（PDF：2,035KB）' tails."""
    return re.sub(r"\s*[（(]PDF[：:][^）)]*[）)]\s*$", "", name).strip()


def operator_of(text: str) -> tuple[str, str] | None:
    m = OPERATOR.search(nfkc(text))
    if not m:
        return None
    name = re.sub(r"^(社会福祉法人|\(社福\))", "", m.group(1)).strip()
    if name in ("社会福祉協議会",):  # a bare word names no body
        return None
    kind = next((k for word, k in OPERATOR_KIND if word in name), "other")
    return name, kind


def tier_of(
    town: dict[str, str],
    text: str,
    prefectural: bool,
    served: list[str],
    by_code: dict[str, dict[str, str]],
) -> tuple[str, str]:
    """Rule 3: the tier of a window (its name and department `text`) for one `town` it
    serves, and the rule that decided it. `prefectural`: the text names a prefectural body."""
    small = town["kind"] in ("town", "village")
    if town["name"] in text:
        return "local", "runs-it: the window's name or department names the town"
    if small and prefectural:
        return "prefecture", "prefecture-run: a prefectural office serves the 町村"
    all_small = all(by_code[c]["kind"] in ("town", "village") for c in served)
    if small and all_small and len(served) > 1:
        return "prefecture", "prefecture-run: one window for several 町村 only"
    if len(served) == 1:
        return "local", "own: the window serves this municipality alone"
    return "wide_area", "shared: one window for several municipalities"


def is_prefectural(text: str, prefecture_name: str) -> bool:
    """Whether a window's name and department name a prefectural body or office."""
    return (
        prefecture_name in text
        or bool(PREFECTURAL_PREFIX.match(text))
        or any(w in text for w in PREFECTURAL_WORDS)
    )


def slug(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def main(ref: Path, out: Path, master_csv: Path) -> None:
    with master_csv.open(encoding="utf-8") as f:
        master = list(csv.DictReader(f))
    by_code = {r["code"]: r for r in master}
    pref_names = {r["pref_code"]: r["name"] for r in master if r["kind"] == "prefecture"}
    names_in_pref: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in master:
        if r["kind"] != "prefecture":
            names_in_pref[r["pref_code"]].append((r["name"], r["code"]))

    wards_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in master:
        if r["kind"] == "ward":
            city = next(c for n, c in names_in_pref[r["pref_code"]] if n == r["parent_city"])
            wards_of[city].append((r["name"].removeprefix(r["parent_city"]), r["code"]))

    def located(address: str, pref: str, served: set[str]) -> str:
        """The municipality (or ward) an address begins with, after the prefecture and a 郡;
        a ward may be written without its city when the window serves that city."""
        text = nfkc(address).replace(" ", "")
        text = re.sub(r"^\(\d\)", "", text.removeprefix(pref_names[pref]))
        names = names_in_pref[pref] + [w for c in served for w in wards_of.get(c, [])]
        for candidate in (text, re.sub(r"^.+?郡", "", text)):
            found = [(n, c) for n, c in names if candidate.startswith(n)]
            if found:
                return max(found, key=lambda nc: len(nc[0]))[1]
        return ""

    # The compilation's 6-digit codes carry a wrong check digit for 160 municipalities (a 0
    # where the 団体コード has another digit): match on the first five digits and the name.
    by_5 = {r["code"][:5]: r["code"] for r in master if r["kind"] != "prefecture"}
    with (ref / "municipalities.csv").open(encoding="utf-8") as f:
        towns = {r["id"]: r for r in csv.DictReader(f)}
    fixed = 0
    for t in towns.values():
        code = by_5[t["municipalityCode"][:5]]
        if by_code[code]["name"] != t["name"]:
            raise SystemExit(f"{t['id']}: {t['name']} is {by_code[code]['name']} in the master")
        fixed += code != t["municipalityCode"]
        t["municipalityCode"] = code
    with (ref / "sources.csv").open(encoding="utf-8") as f:
        pages = {r["id"]: r for r in csv.DictReader(f)}
    with (ref / "offices.csv").open(encoding="utf-8") as f:
        offices = list(csv.DictReader(f))
    line_of = {r["id"]: i for i, r in enumerate(offices, start=2)}

    kept = [r for r in offices if is_window(r)]
    kinds = Counter(
        "contactType=self-reliance" if r["contactType"] == "self-reliance" else r["plainName"]
        for r in kept
    )

    # Rule 2 (one window, one node): rows with the same name, phone and address are one window
    # serving each municipality it is listed for.
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for r in kept:
        key = (clean_name(nfkc(r["name"])), nfkc(r["phone"]), nfkc(r["address"]))
        groups[key].append(r)

    windows, areas, operators = [], [], {}
    tiers: Counter[str] = Counter()
    for (name, phone, address), rows in groups.items():
        first = rows[0]
        town0 = towns[first["municipalityId"]]
        pref = town0["prefectureCode"]
        served = {towns[r["municipalityId"]]["municipalityCode"]: r for r in rows}
        text = nfkc(first["name"] + " " + first["department"])
        prefectural_words = is_prefectural(text, pref_names[pref])
        wid = "nat-" + slug("|".join((name, phone, address)))
        page = pages.get(first["sourceId"], {})
        op = operator_of(first["name"] + " " + first["department"])
        if op is not None:
            oid = "nat-org-" + slug(pref + op[0])
            operators.setdefault(oid, {"id": oid, "name": op[0], "kind": op[1], "locator": ""})
            operators[oid]["locator"] = operators[oid]["locator"] or f"offices.csv:{line_of[first['id']]}"
        methods = []
        for word, mode in METHODS.items():
            if word in first["availableMethods"] and mode not in methods:
                methods.append(mode)
        windows.append(
            {
                "id": wid,
                "name": name,
                "department": nfkc(first["department"]),
                "operator": "" if op is None else "nat-org-" + slug(pref + op[0]),
                "address": nfkc(first["address"]),
                "located_code": located(first["address"], pref, set(served)),
                "phone": phone,
                "hours": nfkc(first["openingHours"]),
                "closed_days": nfkc(first["closedDays"]),
                "url": first["officialUrl"] or page.get("url", ""),
                "url_publisher": page.get("publisher", ""),
                "url_checked": max(r["lastVerifiedAt"] for r in rows),
                "delivery_modes": ";".join(methods),
                "status": "review_required"
                if any(r["status"] == "review_required" for r in rows)
                else "published",
                "verification": "human_verified"
                if all(r["verificationLevel"] == "human_verified" for r in rows)
                else "primary_source_import",
                "office_ids": ";".join(r["id"] for r in rows),
                "locator": ";".join(f"offices.csv:{line_of[r['id']]}" for r in rows),
            }
        )
        for code, r in served.items():
            tier, rule = tier_of(by_code[code], text, prefectural_words, list(served), by_code)
            tiers[tier] += 1
            areas.append(
                {"window_id": wid, "code": code, "tier": tier, "rule": rule, "office_id": r["id"]}
            )

    # Each municipality's representative contact (town hall), for town pages.
    contacts = []
    reps = {
        r["municipalityId"]: r
        for r in offices
        if r["contactType"] == "representative" and r["categoryId"] == "unknown"
    }
    for mid, t in sorted(towns.items(), key=lambda kv: kv[1]["municipalityCode"]):
        rep = reps.get(mid, {})
        contacts.append(
            {
                "code": t["municipalityCode"],
                "name": t["name"],
                "phone": nfkc(rep.get("phone", "") or t["representativePhone"]),
                "url": t["officialUrl"] or rep.get("officialUrl", ""),
                "address": nfkc(rep.get("address", "")),
                "checked": rep.get("lastVerifiedAt", "") or t["lastVerifiedAt"],
                "locator": f"offices.csv:{line_of[rep['id']]}"
                if rep
                else f"municipalities.csv id={mid}",
            }
        )

    out.mkdir(parents=True, exist_ok=True)
    for name, columns, rows_out in (
        ("windows.csv", WINDOW_COLUMNS, windows),
        ("window_areas.csv", AREA_COLUMNS, areas),
        ("operators.csv", OPERATOR_COLUMNS, sorted(operators.values(), key=lambda o: o["id"])),
        ("town_contacts.csv", CONTACT_COLUMNS, contacts),
    ):
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, columns, lineterminator="\n")
            w.writeheader()
            w.writerows(rows_out)
    served_codes = {a["code"] for a in areas}
    print(f"check digits corrected: {fixed}")
    print(f"rows kept: {len(kept)} of {len(offices)}; by rule: {dict(kinds)}")
    print(f"windows (nodes): {len(windows)}; municipalities served: {len(served_codes)}")
    print(f"tiers (window, municipality): {dict(tiers)}")
    print(f"operators: {len(operators)}; located: {sum(1 for w in windows if w['located_code'])}")
    print(f"review_required windows: {sum(1 for w in windows if w['status'] != 'published')}")


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/data/national/self_reliance_windows"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "src/tsunagari/data/national"
    main(ref, out, root / "src/tsunagari/data/municipalities.csv")
