"""`tsunagari resolve`: names for people, CSV files for batches; misses reported as file:line."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tsunagari.cli import main


@pytest.fixture(autouse=True)
def _empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `resolve` says must not depend on a graph in the folder the tests run from."""
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_names_as_csv() -> None:
    code, out, err = run("resolve", "大阪府阪南市", "鎌ヶ谷市", "０１１００２", "--format", "csv")
    assert (code, err) == (0, "")
    assert out == (
        "text,code,name,prefecture,label,how,candidates,note\n"
        "大阪府阪南市,272329,阪南市,大阪府,Municipality,prefecture_prefix,,\n"
        "鎌ヶ谷市,122246,鎌ケ谷市,千葉県,Municipality,normalised,,\n"
        "０１１００２,011002,札幌市,北海道,Municipality,code,,\n"
    )


def test_an_ambiguous_name_lists_candidates_and_fails() -> None:
    code, out, _ = run("resolve", "府中市", "--format", "json")
    assert code == 2
    assert json.loads(out) == [
        {
            "text": "府中市",
            "code": None,
            "name": None,
            "prefecture": None,
            "label": None,
            "how": "ambiguous",
            "candidates": ["132063 府中市 (東京都)", "342084 府中市 (広島県)"],
            "note": None,
        }
    ]


def test_prefecture_and_city_context() -> None:
    code, out, _ = run("resolve", "南部町", "日野町", "--prefecture", "鳥取", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1:] == [
        "南部町,313891,南部町,鳥取県,Municipality,context,,",
        "日野町,314021,日野町,鳥取県,Municipality,context,,",
    ]
    code, out, _ = run("resolve", "中央区", "--city", "札幌市", "--format", "csv")
    assert (code, out.splitlines()[1]) == (
        0,
        "中央区,011011,札幌市中央区,北海道,Municipality,context,,",
    )


def test_table_headers_follow_the_language() -> None:
    code, out, _ = run("resolve", "阪南市")
    assert code == 0 and "団体コード" in out and "272329" in out
    code, out, _ = run("--lang", "en", "resolve", "阪南", "x")
    assert code == 2 and "matched by" in out and "団体コード" not in out and "unknown" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["resolve"], "give one or more NAMES, or --csv FILE --column COL"),
        (["resolve", "阪南市", "--column", "x"], "--column, --prefecture-column and --out go with"),
        (["resolve", "--csv", "{f}"], "--csv needs --column"),
        (["resolve", "阪南市", "--csv", "{f}", "--column", "x"], "give NAMES or --csv, not both"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    f = tmp_path / "a.csv"
    f.write_text("name\n阪南市\n", encoding="utf-8")
    code, _, err = run("--lang", "en", *(a.format(f=f) for a in args))
    assert code == 2 and message in err


PARTNERS = (
    "# 別紙２－② の連携自治体（写し）\n"
    "no,自治体,県\n"
    "1,向日市,京都府\n"
    "\n"
    "2,南部町,鳥取県\n"
    '3,"日野町",\n'
    "4,鎌ヶ谷市\n"
    '5,"府中\n市",東京都\n'
    "6,阪南市,鳥取県\n"
)


def test_a_csv_gets_its_columns_and_misses_as_file_lines(tmp_path: Path) -> None:
    src = tmp_path / "partners.csv"
    src.write_bytes(codecs.BOM_UTF8 + PARTNERS.encode("utf-8"))
    dst = tmp_path / "coded.csv"
    code, out, err = run(
        "--lang", "en", "resolve", "--csv", str(src), "--column", "自治体",
        "--prefecture-column", "県", "--out", str(dst),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{src}:6: 自治体: '日野町' matches 2 places: 253839 日野町 (滋賀県), "
        "314021 日野町 (鳥取県); add the prefecture (or city) or write the 6-digit code "
        "[ambiguous-municipality]",
        f"{src}:10: 自治体: '阪南市': not in 鳥取県; the master has 272329 阪南市 (大阪府); "
        "check the name or the context [unknown-municipality]",
        f"4 of 6 rows resolved, 2 unresolved; wrote {dst}",
    ]
    written = dst.read_bytes()
    assert written.startswith(codecs.BOM_UTF8)
    assert written[3:].decode("utf-8") == (
        "# 別紙２－② の連携自治体（写し）\n"
        "no,自治体,県,code,official_name,how,candidates\n"
        "1,向日市,京都府,262081,向日市,exact,\n"
        "\n"
        "2,南部町,鳥取県,313891,南部町,context,\n"
        "3,日野町,,,,ambiguous,253839 日野町 (滋賀県); 314021 日野町 (鳥取県)\n"
        "4,鎌ヶ谷市,,122246,鎌ケ谷市,normalised,\n"
        '5,"府中\n市",東京都,132063,府中市,context,\n'  # a cell over two lines
        "6,阪南市,鳥取県,,,unknown,272329 阪南市 (大阪府)\n"
    )


def test_a_csv_without_misses_goes_to_stdout_and_succeeds(tmp_path: Path) -> None:
    src = tmp_path / "towns.csv"
    src.write_bytes("市町村\r\n南部町\r\n日野町\r\n".encode("cp932"))
    result = CliRunner().invoke(
        main, ["resolve", "--csv", str(src), "--column", "市町村", "--prefecture", "鳥取県"]
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.decode() == (  # the file's CRLF kept (.stdout would hide it)
        "市町村,code,official_name,how,candidates\r\n"
        "南部町,313891,南部町,context,\r\n"
        "日野町,314021,日野町,context,\r\n"
    )
    err = result.stderr
    assert err == "2 行中 2 行を照合\n"


def test_a_cp932_file_is_written_back_with_a_bom_for_excel(tmp_path: Path) -> None:
    src, dst = tmp_path / "a.csv", tmp_path / "b.csv"
    src.write_bytes("name\n檮原町\n".encode("cp932"))
    code, _, _ = run("resolve", "--csv", str(src), "--column", "NAME", "--out", str(dst))
    assert code == 0
    assert (
        dst.read_bytes()
        == codecs.BOM_UTF8
        + ("name,code,official_name,how,candidates\n檮原町,394050,檮原町,exact,\n").encode()
    )


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("name\n阪南市\n", ["--column", "自治体"], "no column '自治体'; the header has name"),
        (
            "name,code\n阪南市,\n",
            ["--column", "name"],
            "already has column(s) code; rename them",
        ),
        ("\n# only a comment\n", ["--column", "name"], "no header row"),
    ],
)
def test_a_csv_that_cannot_be_resolved_says_why(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    src = tmp_path / "a.csv"
    src.write_text(content, encoding="utf-8")
    code, out, err = run("--lang", "en", "resolve", "--csv", str(src), *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {src}: ") and message in err


def test_an_undecodable_csv(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_bytes(b"name\n\x82\xff\n")
    code, _, err = run("--lang", "en", "resolve", "--csv", str(src), "--column", "name")
    assert code == 2 and err == f"error: {src}: not UTF-8 or CP932 text; save it as 'CSV UTF-8'\n"
