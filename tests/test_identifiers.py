"""法人番号 check digits, and the directory columns delivery_modes and corporate_number."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsunagari.loaders.directory import load_directory
from tsunagari.loaders.identifiers import (
    corporate_number_check_digit,
    corporate_number_problem,
)


@pytest.mark.parametrize(
    ("number", "digit"),
    [
        ("7123456789012", 7),  # the National Tax Agency's worked example
        ("2120901007402", 2),
        ("4011001098993", 4),
    ],
)
def test_check_digit_of_published_examples(number: str, digit: int) -> None:
    assert corporate_number_check_digit(number[1:]) == digit
    assert corporate_number_problem(number) is None


def test_a_wrong_digit_or_length_is_a_problem() -> None:
    assert corporate_number_problem("８１２３４５６７８９０１２") == (
        "check digit of 法人番号 8123456789012 is 8, but its other 12 digits give 7; "
        "check the number at the 国税庁 法人番号公表サイト"
    )
    assert corporate_number_problem("712345678901") == (
        "a 法人番号 has 13 digits; '712345678901' does not"
    )
    assert corporate_number_problem("7-1234-5678-9012") is None  # typed with hyphens


def test_directory_reads_delivery_modes_and_corporate_number(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text(
        "id,name,kind,delivery_modes,corporate_number\n"
        "a,団体A,npo,電話;来所;home_visit,７１２３４５６７８９０１２\n"
        "b,団体B,npo,,\n",
        encoding="utf-8",
    )
    (tmp_path / "centers.csv").write_text(
        "id,name,delivery_modes\nc,窓口C,オンライン；メール\n", encoding="utf-8"
    )
    r = load_directory([tmp_path], over_bundled=False)
    assert r.problems == []
    props = {n.key: n.props for n in r.nodes}
    assert props["a"]["delivery_modes"] == ["phone", "visit", "home_visit"]
    assert props["a"]["corporate_number"] == "7123456789012"
    assert "delivery_modes" not in props["b"] and "corporate_number" not in props["b"]
    assert props["c"]["delivery_modes"] == ["online", "email"]


def test_directory_reports_bad_modes_and_numbers(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text(
        "id,name,delivery_modes,corporate_number\na,団体A,郵送,8123456789012\n",
        encoding="utf-8",
    )
    r = load_directory([tmp_path], over_bundled=False)
    assert [str(p) for p in r.problems] == [
        f"{tmp_path}/organizations.csv:2: delivery_modes: unknown delivery mode '郵送'; use one "
        "of: phone, visit, home_visit, online, email, fax [unknown-delivery-mode]",
        f"{tmp_path}/organizations.csv:2: corporate_number: check digit of 法人番号 "
        "8123456789012 is 8, but its other 12 digits give 7; check the number at the 国税庁 "
        "法人番号公表サイト [bad-corporate-number]",
    ]
    assert r.nodes == []
