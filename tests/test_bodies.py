"""Bodies found by any of their names: resolve, the library lookup, ad hoc Cypher."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.loaders.bundle import load_inputs
from tsunagari.queries.bodies import bodies, find_bodies
from tsunagari.queries.places import find_place
from tsunagari.queries.resources import town_resources
from tsunagari.records import LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_bodies"}


def named() -> LoadResult:
    """A centre with a nickname, an organisation with a full-width one, a project and a
    platform without any."""
    r = LoadResult(sources=[SourceInfo("test", "bodies fixture")])
    r.nodes += [
        Node(
            "SupportCenter",
            "c-step",
            {
                "name": "北九州市ひきこもり地域支援センター",
                "alternate_names": ["すてっぷ"],
                "kind": "regional_center",
                "services": ["consultation"],
                **SRC,
            },
        ),
        Node(
            "Organization",
            "o-ufe",
            {
                "name": "NPO法人うべ若者サポート",
                "alternate_names": ["ＵＦＥ（ウッフェ）"],
                "kind": "npo",
                "services": [],
                **SRC,
            },
        ),
        Node("Platform", "pf", {"name": "阪南市ひきこもり支援プラットフォーム", **SRC}),
        Node("Project", "pj", {"name": "ひきこもり支援事業", **SRC}),
    ]
    return r


def test_a_body_is_found_by_its_name_or_any_alternate_name_normalised(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    rows = bodies(store_of(named()))
    step = find_bodies("すてっぷ", rows)
    assert [(b["label"], b["id"], b["how"], b["alternate_names"]) for b in step] == [
        ("SupportCenter", "c-step", "alternate_name", ["すてっぷ"])
    ]
    assert step[0]["source"] == "test"
    # full-width letters and half-width katakana compare equal (NFKC), as place names do
    assert [b["id"] for b in find_bodies("UFE(ｳｯﾌｪ)", rows)] == ["o-ufe"]
    assert [b["how"] for b in find_bodies("ひきこもり支援事業", rows)] == ["name"]
    # only a part of names: every body it is part of, marked partial
    assert [(b["id"], b["how"]) for b in find_bodies("ひきこもり", rows)] == [
        ("pf", "partial"),
        ("pj", "partial"),
        ("c-step", "partial"),
    ]
    assert find_bodies("NP", rows) == []  # too short to look for inside names
    assert [b["alternate_names"] for b in rows if b["id"] == "pf"] == [[]]


def test_resolve_prints_label_id_name_alternate_names_and_source(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(named(), path)
    runner = CliRunner()
    out = runner.invoke(
        main, ["--store", str(path), "resolve", "すてっぷ", "阪南市", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == [
        {
            "text": "すてっぷ",
            "code": None,
            "name": "北九州市ひきこもり地域支援センター",
            "prefecture": None,
            "label": "SupportCenter",
            "how": "alternate_name",
            "candidates": None,
            "note": None,
            "id": "c-step",
            "alternate_names": ["すてっぷ"],
            "source": "test",
        },
        {
            "text": "阪南市",
            "code": "272329",
            "name": "阪南市",
            "prefecture": "大阪府",
            "label": "Municipality",
            "how": "exact",
            "candidates": [],
            "note": None,
            "id": None,
            "alternate_names": None,
            "source": None,
        },
    ]
    ufe = runner.invoke(main, ["--store", str(path), "resolve", "UFE(ｳｯﾌｪ)", "--format", "csv"])
    assert ufe.exit_code == 0
    assert ufe.stdout.splitlines()[1] == (
        "UFE(ｳｯﾌｪ),,NPO法人うべ若者サポート,,Organization,alternate_name,,,o-ufe,"
        "ＵＦＥ（ウッフェ）,test"
    )
    partial = runner.invoke(main, ["--store", str(path), "resolve", "地域支援センター"])
    assert partial.exit_code == 2  # a part of a name is a candidate, not an answer
    assert "partial" in partial.stdout
    missing = runner.invoke(main, ["--store", str(tmp_path / "none.lbug"), "resolve", "すてっぷ"])
    assert missing.exit_code == 2
    assert "no graph at" in missing.stderr and "organisations, centres" in missing.stderr


def test_ad_hoc_cypher_finds_a_body_by_an_alternate_name(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(named(), path)
    runner = CliRunner()
    literal = "MATCH (n:SupportCenter) WHERE 'すてっぷ' IN n.alternate_names RETURN n.name AS name"
    out = runner.invoke(main, ["--store", str(path), "query", literal, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == [{"name": "北九州市ひきこもり地域支援センター"}]
    param = "MATCH (n:Organization) WHERE $a IN n.alternate_names RETURN n.id AS id"
    out = runner.invoke(
        main,
        ["--store", str(path), "query", param, "-p", "a", "ＵＦＥ（ウッフェ）", "--format", "csv"],
    )
    assert out.stdout == "id\no-ufe\n"
    # ad hoc Cypher compares exactly: a half-width spelling finds nothing there
    out = runner.invoke(
        main, ["--store", str(path), "query", param, "-p", "a", "UFE(ウッフェ)", "--format", "csv"]
    )
    assert out.stdout.strip() in ("", "id")


def test_the_bundled_directory_bodies_are_found_by_the_names_the_documents_quote(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    store = store_of(load_inputs())
    rows = bodies(store)
    got = {
        text: [(b["label"], b["id"], b["how"]) for b in find_bodies(text, rows)]
        for text in ("すてっぷ", "はばたき", "ｳｯﾌｪ", "大阪PF")
    }
    assert got == {
        "すてっぷ": [
            ("SupportCenter", "kitakyushu-hikikomori-chiiki-shien-center", "alternate_name")
        ],
        "はばたき": [("SupportCenter", "toyoake-sodan-madoguchi", "alternate_name")],
        "ｳｯﾌｪ": [("Organization", "ube-ufe", "alternate_name")],  # half-width kana
        "大阪PF": [("Platform", "osaka-pf", "alternate_name")],
    }
    literal = "MATCH (n:SupportCenter) WHERE 'すてっぷ' IN n.alternate_names RETURN n.name AS name"
    assert store.run(literal) == [{"name": "北九州市ひきこもり地域支援センター"}]
    ube = town_resources(store, find_place(store, "宇部市"))
    assert {tuple(p["alternate_names"]) for p in ube.providers if p["id"] == "ube-ufe"} == {
        ("UFE", "ウッフェ")
    }
