"""The bundled national master: complete, check digits right, codes kept as strings."""

from __future__ import annotations

from collections import Counter

from tsunagari.loaders.master import load_master, master_rows

NATIONAL_TOTAL_2020 = 126_226_568  # 令和2年国勢調査 速報集計, 全国 (area_code 00000)


def check_digit(five: str) -> int:
    return (11 - sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True)) % 11) % 10


def test_counts_per_kind() -> None:
    kinds = Counter(r["kind"] for r in master_rows())
    assert kinds == {
        "prefecture": 47,
        "designated_city": 20,
        "city": 772,
        "town": 743,
        "village": 183,
        "special_ward": 23,
        "ward": 175,
    }


def test_every_code_is_six_digits_with_a_valid_check_digit() -> None:
    for r in master_rows():
        code = r["code"]
        assert len(code) == 6 and code.isdigit(), code
        assert int(code[5]) == check_digit(code[:5]), code


def test_municipal_population_sums_to_the_national_total() -> None:
    municipal = [r for r in master_rows() if r["kind"] not in ("prefecture", "ward")]
    assert len(municipal) == 1741
    assert sum(int(r["population"]) for r in municipal if r["population"]) == NATIONAL_TOTAL_2020
    prefectures = [r for r in master_rows() if r["kind"] == "prefecture"]
    assert sum(int(r["population"]) for r in prefectures) == NATIONAL_TOTAL_2020


def test_unknown_population_stays_unknown() -> None:
    futaba = next(n for n in load_master().nodes if n.key == "075469")
    assert futaba.props["name"] == "双葉町" and futaba.props["population"] is None


def test_leading_zeros_survive_into_records() -> None:
    result = load_master()
    sapporo = next(n for n in result.nodes if n.props["name"] == "札幌市中央区")
    assert sapporo.key == "011011"
    assert sapporo.props["prefecture_code"] == "010006"
    wards = [e for e in result.edges if e.type == "WARD_OF"]
    assert len(wards) == 175
    assert all(e.src[1].isdigit() and len(e.src[1]) == 6 for e in wards)
