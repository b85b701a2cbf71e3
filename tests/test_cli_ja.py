"""Japanese first: no internal value word in any command's ja output; Japanese input; tables
that fit an 80-column terminal."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from tests.test_cli import all_commands
from tests.test_resources import resources_result
from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.tables import VALUES_JA, fit_widths

# The English value ids of the vocabulary: snake_case ids, labels and edge types, booleans,
# and the one-word ids that are not also ordinary words of the help text.
FORBIDDEN = {
    v for v in VALUES_JA if "_" in v or (any(c.isupper() for c in v) and v not in ("NPO",))
} | {
    "covers", "npo", "municipal", "prefectural", "coordinated", "integrated", "consultation",
    "outreach", "ibasho", "awareness", "partner", "secretariat", "commissioned", "runs",
    "saposute", "entities", "projects", "prefectures", "municipalities", "ambiguous",
    "normalised", "lead", "True", "False",
}  # fmt: skip
_WORD = re.compile(r"(?<![-/.$:\w])[A-Za-z_][A-Za-z0-9_]*(?![\w/(])")


def internal_words(text: str) -> set[str]:
    """Value ids in `text`, outside option names (--by-town), paths and function calls."""
    return {w for w in _WORD.findall(text) if w in FORBIDDEN}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ja") / "g.lbug"
    build_graph(resources_result(), path)
    return str(path)


RUNS = [
    ["gaps"],
    ["gaps", "--by-town"],
    ["gaps", "--summary"],
    ["gaps", "--service", "相談", "--tier", "なし"],
    ["hubs"],
    ["hubs", "--communities"],
    ["resilience"],
    ["resilience", "--wide"],
    ["resources", "阪南市"],
    ["partners", "阪南市"],
    ["partners", "大阪府"],
    ["access"],
    ["stats"],
    ["funding-summary"],
    ["resolve", "府中市", "大阪府阪南市", "011002", "北区"],
    ["query", "MATCH (a)-[r]->(b) RETURN count(*) AS n"],
    ["query", "MATCH (a)-[r]->(b) RETURN type(r)"],
]


@pytest.mark.parametrize("args", RUNS, ids=" ".join)
def test_japanese_output_has_no_internal_words(store: str, args: list[str]) -> None:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["--store", store, *args])
    assert "Traceback" not in result.output, result.output
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert internal_words(text) == set(), text


WRITES = [
    ["network", "-o", "{tmp}/n.html"],
    ["map", "-s", "居場所", "-o", "{tmp}/m.html"],
    ["export", "--graphml", "{tmp}/g.graphml"],
    ["template", "{tmp}/t"],
    ["report", "-o", "{tmp}/r"],
    ["build", "--with", "{tmp}/none"],
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: a[0])
def test_japanese_messages_of_commands_that_write(
    store: str, tmp_path: Path, args: list[str]
) -> None:
    copy = tmp_path / "g.lbug"
    copy.write_bytes(Path(store).read_bytes())
    result = CliRunner().invoke(
        main, ["--store", str(copy), *(a.format(tmp=tmp_path) for a in args)]
    )
    assert result.exit_code == (2 if args[0] == "build" else 0), result.output
    text = result.output.replace(str(tmp_path), "")
    assert not re.search(r"\b(wrote|built|error|skipped)\b", text), text
    assert internal_words(text) == set(), text


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_japanese_help_has_no_english_help(command: tuple[str, ...]) -> None:
    out = CliRunner(env={"TSUNAGARI_LANG": "ja"}).invoke(main, [*command, "--help"]).output
    assert out.startswith("使い方: ")
    assert "例:" in out and "オプション:" in out
    assert "Show this message" not in out and "Example" not in out
    # ids a user types (examples, the choices and defaults click lists in brackets) aside
    prose = re.sub(r"\[[^\]]*\]", "", "\n".join(
        line for line in out.splitlines() if not line.strip().startswith("tsunagari ")
    ))  # fmt: skip
    assert internal_words(prose) == set(), out
    cmd = main.get_command(click.Context(main), command[0]) if command else main
    assert cmd is not None
    for param in cmd.params:  # every option's English help has a Japanese one
        english_help = getattr(param, "help", None)
        assert not english_help or english_help[:30] not in out, (param.name, out)
    english = CliRunner(env={"TSUNAGARI_LANG": "en"}).invoke(main, [*command, "--help"]).output
    assert english.startswith("Usage: ") and "Example" in english


def test_the_check_catches_a_word() -> None:
    assert internal_words("根拠 located_in、種別 regional_center、切断点 True") == {
        "located_in",
        "regional_center",
        "True",
    }
    assert internal_words("tsunagari gaps --by-town --service 相談 label(r)") == set()


def test_choices_in_japanese_are_the_ids(store: str) -> None:
    runner = CliRunner()
    ja = runner.invoke(main, ["--store", store, "gaps", "-s", "相談", "--tier", "域内",
                              "--format", "csv"])  # fmt: skip
    en = runner.invoke(main, ["--store", store, "gaps", "-s", "consultation", "--tier", "local",
                              "--format", "csv"])  # fmt: skip
    assert ja.exit_code == 0, ja.output
    assert ja.stdout == en.stdout and ",consultation,any,local," in ja.stdout
    directory_word = runner.invoke(main, ["--store", store, "gaps", "-s", "訪問支援",
                                          "--format", "csv"])  # fmt: skip
    assert ",outreach," in directory_word.stdout
    bad = runner.invoke(main, ["--store", store, "gaps", "--tier", "ない"])
    assert bad.exit_code == 2 and "'ない' は選べません（なし, データなし, 県域" in bad.output


def test_fit_widths_wraps_headers_then_shortens_text_never_numbers() -> None:
    # values 20 (text) and 9 (a number) with headers 4 and 14 cells
    kinds = ["text", "number"]
    assert fit_widths([20, 9], [4, 14], kinds, 40) == [20, 14]
    assert fit_widths([20, 9], [4, 14], kinds, 29) == [20, 9]
    assert fit_widths([20, 9], [4, 14], kinds, 25) == [16, 9]
    assert fit_widths([20, 9], [4, 14], kinds, 20) is None  # 12 + 9 > 20
    assert fit_widths([20, 9], [4, 14], ["name", "number"], 24) is None  # 16 + 9 > 24


def lines_fit(text: str, width: int = 80) -> bool:
    return all(cell_len(line) <= width for line in text.splitlines())


def test_tables_fit_80_columns_and_numbers_stay_whole(tmp_path: Path) -> None:
    store = str(tmp_path / "g.lbug")
    runner = CliRunner(env={"COLUMNS": "80"})
    assert runner.invoke(main, ["--store", store, "build"]).exit_code == 0
    town = runner.invoke(main, ["--store", store, "gaps", "--by-town", "-n", "20"])
    table = town.stdout.split("凡例")[0]
    assert lines_fit(town.stdout.split("出典（読み込んだデータ）")[0]), town.stdout  # legend too
    assert re.search(r"横浜市\s+神奈川県(\s+[◎○△?×]){9}\s+3,778,318\s+75,566", table), table
    assert "凡例: 相=相談" in town.stdout
    for args in (["gaps"], ["resources", "阪南市"], ["resilience"], ["hubs"]):
        out = runner.invoke(main, ["--store", store, *args]).stdout
        body = out.split("出典（読み込んだデータ）")[0].split("\n媒介中心性: ")[0]  # notes aside
        assert lines_fit(body), (args, body)
        assert not re.search(r"\d,\d{0,2}$", body, re.M), body  # no number cut at the edge


def test_summary_honours_top_and_shows_percent(tmp_path: Path) -> None:
    store = str(tmp_path / "g.lbug")
    runner = CliRunner(env={"COLUMNS": "200"})
    assert runner.invoke(main, ["--store", store, "build"]).exit_code == 0
    out = runner.invoke(
        main, ["--store", store, "gaps", "--per-prefecture", "-s", "相談", "-n", "5"]
    )
    assert "5/47 行" in out.stdout
    assert re.search(r"\d+\.\d%", out.stdout)
    csv = runner.invoke(
        main,
        ["--store", store, "gaps", "--per-prefecture", "-s", "相談", "-n", "0", "--format", "csv"],
    )
    assert len(csv.stdout.splitlines()) == 48
    assert not re.search(r"\d%", csv.stdout)


def test_an_empty_section_says_none_and_no_self_paths(store: str) -> None:
    out = CliRunner().invoke(main, ["--store", store, "resources", "阪南市", "--section",
                                    "プラットフォーム", "--format", "json"])  # fmt: skip
    assert out.exit_code == 0 and '"platform": "阪南PF"' in out.stdout
    runner = CliRunner(env={"COLUMNS": "120"})
    empty = runner.invoke(main, ["--store", store, "partners", "阪南市"])
    assert "なし（読み込んだデータにない）" in empty.stdout
    paths = runner.invoke(
        main, ["--store", store, "resources", "阪南市", "--section", "paths", "--format", "json"]
    )
    assert '"steps": 0' not in paths.stdout


def test_query_names_expression_columns_and_hints_missing_functions(store: str) -> None:
    runner = CliRunner()
    out = runner.invoke(
        main, ["--store", store, "query", "--format", "csv",
               "MATCH (a)-[r:REFERS_TO]->(b) RETURN label(r), count(*) AS n"],
    )  # fmt: skip
    assert out.stdout == "label(r),n\nREFERS_TO,3\n"
    bad = runner.invoke(main, ["--store", store, "query", "MATCH ()-[r]->() RETURN type(r)"])
    assert bad.exit_code == 5
    assert "type() がありません。代わりに label(r) を使います" in bad.output
    en = runner.invoke(
        main, ["--lang", "en", "--store", store, "query", "MATCH ()-[r]->() RETURN type(r)"]
    )
    assert "has no type(): use label(r)" in en.output


def test_check_speaks_japanese_and_warns_of_changed_ids(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text(
        "id,name,kind,prefecture,municipality,services\n"
        "bad 3,テスト団体,NPO法人,大阪府,阪南市,相談\n"
        "ok-1,テスト団体2,npx,大阪府,阪南市,就労支援\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert out.exit_code == 2
    f = tmp_path / "organizations.csv"
    assert f"{f}:3: kind: 'npx' は語彙にありません（もしかして: NPO）" in out.stdout
    assert (
        f"注意: {f}:2: id: ID 'bad 3' は bad3 として読みました。ファイルもそう書いてください "
        "[id-normalised]" in out.stdout
    )
    assert "1 件の問題があります" in out.stderr
    assert internal_words(out.output) == set()
    english = CliRunner().invoke(main, ["--lang", "en", "check", str(tmp_path)])
    assert f"warning: {f}:2: id: id 'bad 3' was read as 'bad3'" in english.stdout
