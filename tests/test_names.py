"""Name resolution over the whole master: every place by name, code and context; no guesses."""

from __future__ import annotations

import time
import unicodedata
from collections import defaultdict

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tsunagari.loaders.master import master_rows
from tsunagari.loaders.names import (
    FOLDS,
    HOWS,
    Candidate,
    Resolution,
    check_digit,
    match_key,
    normalise,
    problem_for,
    resolve,
)
from tsunagari.records import Problem

ROWS = master_rows()
PLACES = [r for r in ROWS if r["kind"] != "prefecture"]
WARDS = [r for r in ROWS if r["kind"] == "ward"]
PREFECTURES = [r for r in ROWS if r["kind"] == "prefecture"]
CODES = {r["code"] for r in ROWS}


def bare_ward(r: dict[str, str]) -> str:
    return r["name"].removeprefix(r["parent_city"])


def short_prefecture(r: dict[str, str]) -> str:
    return r["name"][:-1] if r["name"][-1] in "都府県" else r["name"]


def written_forms() -> dict[str, set[str]]:
    """Every form a source may write without context → the codes it may mean (no folding)."""
    forms: dict[str, set[str]] = defaultdict(set)
    for r in ROWS:
        forms[r["name"]].add(r["code"])
    for r in WARDS:
        forms[bare_ward(r)].add(r["code"])
    for r in PREFECTURES:
        forms[short_prefecture(r)].add(r["code"])
    return forms


FORMS = written_forms()
UNIQUE = sorted(t for t, codes in FORMS.items() if len(codes) == 1)
SHARED = sorted(t for t, codes in FORMS.items() if len(codes) > 1)


def codes_of(res: Resolution) -> set[str]:
    return {c.code for c in res.candidates}


# --- check digits -------------------------------------------------------------------------


def test_check_digit_verifies_every_code_of_the_master() -> None:
    assert all(int(r["code"][5]) == check_digit(r["code"][:5]) for r in ROWS)
    assert check_digit("01100") == 2 and check_digit("13101") == 6 and check_digit("39405") == 0


def test_check_digit_of_a_wrong_length_is_an_error() -> None:
    with pytest.raises(ValueError):
        check_digit("0110")


# --- the whole table ----------------------------------------------------------------------


def test_the_master_has_the_expected_places() -> None:
    assert len(PLACES) - len(WARDS) == 1741
    assert len(WARDS) == 175 and len(PREFECTURES) == 47


def test_shared_names_are_what_the_master_says() -> None:
    """25 municipal names are shared by 57 municipalities; 12 ward names by 75 wards."""
    municipal = defaultdict(set)
    for r in PLACES:
        if r["kind"] != "ward":
            municipal[r["name"]].add(r["prefecture"])
    shared = {n: p for n, p in municipal.items() if len(p) > 1}
    assert len(shared) == 25 and sum(len(p) for p in shared.values()) == 57
    assert shared["池田町"] == {"北海道", "福井県", "長野県", "岐阜県"}
    assert shared["府中市"] == {"東京都", "広島県"}
    wards = defaultdict(list)
    for r in WARDS:
        wards[bare_ward(r)].append(r["code"])
    shared_wards = {n: c for n, c in wards.items() if len(c) > 1}
    assert len(shared_wards) == 12 and sum(len(c) for c in shared_wards.values()) == 75
    # with Tokyo's special wards 北区, 中央区 and 港区 the bare forms are shared by more
    assert len(SHARED) == 25 + 12 and len(FORMS["北区"]) == 12 and len(FORMS["港区"]) == 3


def test_every_place_resolves_from_its_official_name_with_its_prefecture() -> None:
    for r in ROWS:
        res = resolve(r["name"], prefecture=r["prefecture"])
        assert (res.code, res.name) == (r["code"], r["name"]), r
        assert res.how == ("exact" if len(FORMS[r["name"]]) == 1 else "context"), r
        assert res.label == ("Prefecture" if r["kind"] == "prefecture" else "Municipality")
        assert res.prefecture == r["prefecture"] and res.ok


def test_every_place_resolves_with_its_prefecture_written_before_it() -> None:
    for r in PLACES:
        for written in (r["prefecture"], short_prefecture_of(r["prefecture"])):
            res = resolve(f"{written}{r['name']}")
            assert (res.code, res.how) == (r["code"], "prefecture_prefix"), (written, r)
    assert resolve("東京都 府中市").code == "132063"
    assert resolve("府中市（広島県）").code == "342084"


def short_prefecture_of(name: str) -> str:
    return next(short_prefecture(r) for r in PREFECTURES if r["name"] == name)


def test_every_place_resolves_from_its_code_with_and_without_check_digit() -> None:
    for r in ROWS:
        code = r["code"]
        res = resolve(code)
        assert (res.code, res.name, res.how) == (code, r["name"], "code")
        five = resolve(code[:5])
        # Excel drops a leading zero: 12106 may be 121061 or 012106 with its zero lost
        lost_zero = f"0{code[:5]}"
        readings = {code} | ({lost_zero} if lost_zero in CODES else set())
        if len(readings) == 1:
            assert (five.code, five.how) == (code, "code"), code
        else:
            assert (five.how, codes_of(five)) == ("ambiguous", readings), code


def test_codes_that_lost_their_leading_zero() -> None:
    assert resolve("11002").code == "011002"  # 6 digits from Excel: 011002
    assert resolve("1100").code == "011002"  # 5 digits from Excel: 01100
    twelve = resolve("12106")
    assert twelve.how == "ambiguous" and codes_of(twelve) == {"012106", "121061"}
    assert resolve("12106", prefecture="千葉県").code == "121061"
    assert resolve("12106", prefecture="北海道").code == "012106"


def test_every_unique_form_resolves_bare() -> None:
    assert len(UNIQUE) > 1900
    for text in UNIQUE:
        res = resolve(text)
        (code,) = FORMS[text]
        assert res.code == code, text
        official = text == res.name
        assert res.how == ("exact" if official else "normalised"), text


def test_every_shared_form_without_context_is_ambiguous_with_all_its_candidates() -> None:
    for text in SHARED:
        res = resolve(text)
        assert (res.how, res.code, res.name, res.ok) == ("ambiguous", None, None, False), text
        assert codes_of(res) == FORMS[text], text
        assert [c.code for c in res.candidates] == sorted(FORMS[text])


def test_every_ward_resolves_bare_within_its_city_and_its_prefecture() -> None:
    for r in WARDS:
        bare = bare_ward(r)
        assert resolve(bare, city=r["parent_city"]).code == r["code"], r
        assert resolve(f"{r['parent_city']} {bare}").code == r["code"], r
        assert resolve(f"{r['parent_city']}\u3000{bare}").code == r["code"], r
        same = {c for c in FORMS[bare] if c[:2] == r["pref_code"]}
        res = resolve(bare, prefecture=r["prefecture"])
        if len(same) == 1:
            assert (res.code, res.how) == (
                r["code"],
                "context" if len(FORMS[bare]) > 1 else "normalised",
            )
        else:
            assert res.how == "ambiguous" and codes_of(res) == same, r


def test_folds_merge_no_two_names_of_the_master() -> None:
    keys: dict[str, set[str]] = defaultdict(set)
    for text in FORMS:
        keys[match_key(text)].add(text)
    assert [t for t in keys.values() if len(t) > 1] == []


# --- prefectures --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("北海道", "010006"),
        ("東京", "130001"),
        ("東京都", "130001"),
        ("大阪府", "270008"),
        ("大阪", "270008"),
        ("京都", "260002"),
        ("京都府", "260002"),
        ("鹿児島", "460001"),
    ],
)
def test_prefecture_names_alone_resolve_to_prefectures(text: str, code: str) -> None:
    res = resolve(text)
    assert (res.code, res.label) == (code, "Prefecture")
    assert res.how == ("exact" if text == res.name else "normalised")


def test_a_city_named_like_its_prefecture_is_the_city() -> None:
    assert (resolve("京都市").code, resolve("京都市").label) == ("261009", "Municipality")
    assert resolve("鹿児島市").code == "462012"
    assert resolve("北海道伊達市").code == "012335" and resolve("福島県伊達市").code == "072133"


@pytest.mark.parametrize(
    "context", ["鳥取", "鳥取県", "31", "３１", "31000", "310000", " 鳥取県\u200b"]
)
def test_context_is_a_prefecture_name_or_code(context: str) -> None:
    res = resolve("南部町", prefecture=context)
    assert (res.code, res.name, res.how) == ("313891", "南部町", "context")


def test_context_that_is_no_prefecture_is_reported_not_ignored() -> None:
    res = resolve("阪南市", prefecture="大阪市")
    assert (res.ok, res.how, res.note) == (False, "unknown", "context '大阪市' is not a prefecture")
    assert resolve("阪南市", prefecture="").code == "272329"  # an empty cell is no context


def test_a_match_outside_the_context_is_unknown_and_names_the_match() -> None:
    res = resolve("阪南市", prefecture="鳥取県")
    assert (res.ok, res.how, res.note, codes_of(res)) == (
        False,
        "unknown",
        "not in 鳥取県",
        {"272329"},
    )
    stated = resolve("鳥取県阪南市")
    assert (stated.ok, stated.note, codes_of(stated)) == (False, "not in 鳥取県", {"272329"})
    clash = resolve("東京都府中市", prefecture="広島県")
    assert (clash.ok, clash.note) == (False, "the text names another prefecture than 広島県")


def test_context_narrows_but_may_leave_an_ambiguity() -> None:
    res = resolve("北区", prefecture="大阪府")
    assert res.how == "ambiguous" and codes_of(res) == {"271276", "271462"}
    assert resolve("北区", prefecture="東京").code == "131172"
    assert resolve("中央区", prefecture="北海道").code == "011011"
    assert resolve("東京都北区").code == "131172" and resolve("大阪府堺市北区").code == "271462"


def test_city_context() -> None:
    assert resolve("中央区", city="札幌市").code == "011011"
    assert resolve("中央区", city="011002").code == "011011"
    assert resolve("小樽市", city="札幌市").code == "012033"  # not a ward: its prefecture counts
    assert resolve("中央区", city="函館市").note == "context '函館市' is not a designated city"
    assert resolve("中央区", city="札幌市", prefecture="大阪").note == "札幌市 is not in 大阪"


# --- written forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "how"),
    [
        ("鎌ヶ谷市", "122246", "normalised"),
        ("鎌ケ谷市", "122246", "exact"),
        ("鎌が谷市", "122246", "normalised"),
        ("茅ケ崎市", "142077", "normalised"),
        ("関ガ原町", "213624", "normalised"),
        ("梼原町", "394050", "normalised"),
        ("檮原町", "394050", "exact"),
        ("竜ケ崎市", "082082", "normalised"),
        ("四条畷市", "272299", "normalised"),
        ("飯館村", "075647", "normalised"),
        ("聖篭町", "153079", "normalised"),
        ("鯵ヶ沢町", "023213", "normalised"),
        ("上の国町", "013625", "normalised"),
        ("\u2ed1崎市", "422011", "normalised"),  # ⻑ from PDF text
        ("\u3000０１１００２\u3000", "011002", "code"),
        ("０１１００", "011002", "code"),
        ("阪南\u200b市", "272329", "normalised"),
        ("\ufeff阪南市", "272329", "normalised"),
        ("葛\U000e0100飾区", "131229", "normalised"),
        ("  阪南市 ", "272329", "exact"),
        ("ｲﾉ町", None, "unknown"),
        ("いの町", "393860", "exact"),
        ("札幌市 中央区", "011011", "normalised"),
        ("浜松市　中区", "221317", "normalised"),
        ("清田区", "011100", "normalised"),
        ("大阪府阪南市", "272329", "prefecture_prefix"),
        ("高知県いの町", "393860", "prefecture_prefix"),
        ("堺市", "271403", "exact"),
        ("和歌山県西牟婁郡白浜町", "304018", "prefecture_prefix"),
        ("西牟婁郡白浜町", "304018", "normalised"),
        ("赤穂郡上郡町", "284815", "normalised"),
        ("上郡町", "284815", "exact"),
    ],
)
def test_written_forms(text: str, code: str | None, how: str) -> None:
    res = resolve(text)
    assert (res.code, res.how) == (code, how), res
    if code is not None:
        official = next(r["name"] for r in ROWS if r["code"] == code)
        assert res.name == official  # the stored name stays official


def test_a_kangxi_radical_is_read_as_its_ideograph_and_needs_context_like_it() -> None:
    res = resolve("\u2f47野町")  # ⽇ as PDF text extraction writes 日
    assert res.how == "ambiguous" and codes_of(res) == {"253839", "314021"}
    assert resolve("\u2f47野町", prefecture="鳥取県").code == "314021"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("011003", "wrong check digit in 011003; 01100 gives 011002 札幌市 (北海道)"),
        ("999997", "no place has code 999997"),
        ("13", "a code has 6 digits (or 5 without check digit)"),
        ("", "empty"),
        ("\u200b ", "empty"),
    ],
)
def test_codes_and_blanks_that_cannot_resolve(text: str, note: str) -> None:
    res = resolve(text)
    assert (res.ok, res.how, res.note) == (False, "unknown", note)


def test_unknown_names_stay_unknown() -> None:
    for text in ("阪南", "東京都特別区", "大阪都", "府中", "南部", "〜市"):
        assert resolve(text).how == "unknown", text


def test_every_how_is_declared() -> None:
    seen = {resolve(t).how for t in ("阪南市", "鎌ヶ谷市", "大阪府阪南市", "北区", "x", "272329")}
    seen.add(resolve("南部町", prefecture="鳥取").how)
    assert seen == set(HOWS)


# --- problems -----------------------------------------------------------------------------


def test_problem_for_a_resolved_name_is_none() -> None:
    assert problem_for(resolve("阪南市"), file="a.csv", line=2, field="name") is None


def test_problem_for_an_ambiguous_name_lists_candidates_with_codes() -> None:
    problem = problem_for(resolve("府中市"), file="a.csv", line=7, field="municipality")
    assert problem == Problem(
        "ambiguous-municipality",
        "a.csv",
        7,
        "municipality",
        "府中市",
        "'府中市' matches 2 places: 132063 府中市 (東京都), 342084 府中市 (広島県); "
        "add the prefecture (or city) or write the 6-digit code",
    )
    assert str(problem).startswith("a.csv:7: municipality: '府中市' matches 2 places")


def test_problem_for_an_unknown_name_suggests_close_names() -> None:
    problem = problem_for(resolve("阪南"), file="a.csv", line=3, field="name")
    assert problem is not None and problem.slug == "unknown-municipality"
    assert problem.message == (
        "'阪南' is not a municipality or prefecture of the master (2020) "
        "(close: 272329 阪南市 (大阪府)); write the official name or the 6-digit code"
    )


def test_problem_for_a_match_outside_the_context() -> None:
    problem = problem_for(resolve("阪南市", prefecture="鳥取"), file="a.csv", line=4, field="name")
    assert problem is not None and problem.message == (
        "'阪南市': not in 鳥取県; the master has 272329 阪南市 (大阪府); "
        "check the name or the context"
    )


def test_problem_for_a_wrong_check_digit() -> None:
    problem = problem_for(resolve("011003"), file="a.csv", line=5, field="code")
    assert problem is not None and problem.message == (
        "'011003': wrong check digit in 011003; 01100 gives 011002 札幌市 (北海道); "
        "write the official name or the 6-digit code"
    )


def test_candidate_prints_code_name_and_prefecture() -> None:
    assert str(Candidate("272329", "阪南市", "大阪府", "Municipality")) == "272329 阪南市 (大阪府)"


# --- normalisation ------------------------------------------------------------------------

FOLD_SOURCES = "".join(FOLDS)
TRICKY = FOLD_SOURCES + "\u3099\u309a\u200b\ufeff\ufe00\u3000 \t\n〜～ヶケカキ高崎町村区ｶﾞｹﾞ"


def test_fold_targets_are_never_fold_sources_and_nfkc_stable() -> None:
    assert set(FOLDS) & set(FOLDS.values()) == set()
    assert all(unicodedata.normalize("NFKC", t) == t for t in FOLDS.values())


@settings(max_examples=400, deadline=None)
@given(st.text() | st.text(alphabet=TRICKY))
@example("が\u3099")  # a fold next to a combining mark must not let NFKC compose anew
@example("ｶﾞ\u200b\u3099 ")
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert match_key(once) == match_key(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=TRICKY + "阪南市〜"), st.text(alphabet=" \u3000\t\u200b", min_size=1))
def test_normalise_keeps_wave_dash_and_words_apart(text: str, gap: str) -> None:
    assert normalise(text).count("〜") == text.count("〜")
    left, right = f"阪南{text}", f"〜{text}市"
    joined = normalise(f"{left}{gap}{right}")
    if gap.strip("\u200b"):
        assert joined == f"{normalise(left)} {normalise(right)}"
    else:  # only format characters between: they vanish, the words touch as written
        assert joined == normalise(f"{left}{right}")


def test_normalise_examples() -> None:
    assert normalise("　札幌市　　中央区　") == "札幌市 中央区"
    assert normalise("鎌ケ谷市") == normalise("鎌ヶ谷市") == normalise("鎌が谷市")
    assert normalise("０１１００２") == "011002"
    assert normalise("阪\u200b南\ufeff市") == "阪南市"
    assert normalise("10〜20歳") == "10〜20歳"
    assert match_key(" 札幌市 中央区 ") == match_key("札幌市中央区")


def test_ten_thousand_names_resolve_well_under_a_second() -> None:
    wrappers = ("{}", " {}", "{} ", "\u3000{}", "{}\u3000", "\u200b{}", "{}\u200b")
    texts = list(dict.fromkeys(w.format(r["name"]) for w in wrappers for r in ROWS))[:10_000]
    assert len(texts) == 10_000  # distinct, so no answer comes from the cache
    resolve("warm up the index")
    start = time.perf_counter()
    resolved = [resolve(t) for t in texts]
    elapsed = time.perf_counter() - start
    assert len(resolved) == 10_000 and elapsed < 1.0, elapsed
