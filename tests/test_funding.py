"""Funding decision lists: the importer, the graph it makes, and the published figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.store import GraphStore
from tsunagari.loaders.decision_list import parse_decision_list
from tsunagari.loaders.funding import (
    import_decision_list,
    load_bundled_funding,
    load_funding,
    published_figures_path,
)
from tsunagari.loaders.master import load_master
from tsunagari.queries.funding import funding_summary, published_figures
from tsunagari.records import LoadResult

LIST = Path(__file__).parent / "fixtures" / "funding" / "list.txt"


def parsed():
    return parse_decision_list(LIST.read_text(encoding="utf-8"), file="list.txt")


def test_rows_split_names_repeated_headers_and_several_projects_per_lead() -> None:
    d = parsed()
    assert d.problems == []
    rows = [(p.list, p.lead.code, p.name, p.cost_thousand_yen, p.wide_area_mark, p.line)
            for p in d.projects]  # fmt: skip
    assert rows == [
        ("別紙1", "272329", "つながりサポーターの養成", 1000, True, 32),
        ("別紙1", "010006", "周知動画の制作", 2000, False, 34),
        ("別紙2-①", "190004", "メタバースを活用した居場所事業", 1293, True, 50),
        # the name runs over two lines and its cost stands on a third
        ("別紙2-①", "310000", "ひきこもり支援推進事業（職場体験事業）", 17042, True, 54),
        ("別紙2-①", "310000", "中高年世代集中支援事業", 20751, False, 58),
        ("別紙2-①", "011002", "ワークトライアル事業", 96000, False, 62),
    ]


def test_partners_resolve_with_the_leads_prefecture_and_keep_their_cost() -> None:
    d = parsed()
    by_id = {p.id: p for p in d.projects}
    got = [
        (by_id[q.project_id].lead.name, q.place.code, q.place.name, q.cost_thousand_yen,
         q.cost_text, q.line)
        for q in d.partners
    ]  # fmt: skip
    assert got == [
        ("阪南市", "273660", "岬町", None, "", 41),
        ("阪南市", "302015", "和歌山市", None, "", 42),  # （和歌山県） written before it
        ("山梨県", "193666", "南部町", None, "―", 68),  # 南部町 of 山梨県 …
        ("山梨県", "192015", "甲府市", None, "―", 75),
        ("鳥取県", "313891", "南部町", 500, "500", 79),  # … and of 鳥取県
        ("鳥取県", "314021", "日野町", None, "―", 86),  # not 日野町 of 滋賀県
    ]


def test_published_figures_are_read_with_their_lines() -> None:
    figures = {(f.scope, f.figure): (f.value, f.line) for f in parsed().figures}
    assert figures[("all", "entities")] == ("11", 6)
    assert figures[("別紙1", "municipalities")] == ("3", 14)
    assert figures[("別紙2", "projects")] == ("4", 22)
    assert figures[("別紙2", "cost_oku_yen")] == ("1.4", 22)
    assert len(figures) == 16


def test_an_unknown_place_or_a_project_without_cost_is_a_problem_with_its_line(
    tmp_path: Path,
) -> None:
    text = LIST.read_text(encoding="utf-8")
    text = text.replace("甲府市 ―", "架空市 ―").replace(" 20,751", "")
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    d = import_decision_list(bad, out, fiscal_year=2025, round_=1)
    shown = [str(p) for p in d.problems]
    assert any(s.startswith("bad.txt:75: partner: ") and "架空市" in s for s in shown), shown
    assert any(s.startswith("bad.txt:58: project: a project name without a cost") for s in shown)
    assert not out.exists()  # nothing written


def fixture_graph(tmp_path: Path) -> LoadResult:
    out = tmp_path / "funding"
    d = import_decision_list(LIST, out, fiscal_year=2025, round_=1)
    assert d.problems == []
    return load_master().extend(load_funding(out))


def test_graph_edges_and_coverage_tiers(tmp_path: Path) -> None:
    r = fixture_graph(tmp_path)
    assert r.problems == []
    edges = {(e.type, e.src[1], e.dst[1]): e.props for e in r.edges if e.type != "IN_PREFECTURE"
             and e.type != "WARD_OF"}  # fmt: skip
    b2 = "fy2025-r1-b2"
    assert edges[("RUNS", "310000", f"{b2}-002")]["cost_thousand_yen"] == 17042
    assert edges[("PARTNERS_IN", "313891", f"{b2}-002")]["cost_thousand_yen"] == 500
    # a prefecture's wide-area project covers its partners, not the whole prefecture
    assert edges[("COVERS", f"{b2}-002", "313891")]["scope"] == "wide_area"
    assert ("COVERS", f"{b2}-002", "312011") not in edges  # 米子市: not a partner
    # a prefecture's own project without partners covers every municipality of it
    tottori = [e for e in r.edges if e.type == "COVERS" and e.src[1] == f"{b2}-003"]
    assert {e.props["scope"] for e in tottori} == {"prefecture"}
    assert len(tottori) == 19  # 鳥取県: 4 cities, 14 towns, 1 village
    # a designated city's project covers the city itself
    assert edges[("COVERS", f"{b2}-004", "011002")]["scope"] == "local"
    # a municipality's wide-area project covers itself and its partners
    assert edges[("COVERS", "fy2025-r1-b1-001", "272329")]["scope"] == "wide_area"
    assert edges[("COVERS", "fy2025-r1-b1-001", "302015")]["scope"] == "wide_area"
    projects = {n.key: n.props for n in r.nodes if n.label == "Project"}
    assert projects[f"{b2}-001"]["wide_area"] == "integrated"  # every partner ―
    assert projects[f"{b2}-002"]["wide_area"] == "coordinated"  # 南部町 carries 500
    assert projects[f"{b2}-003"]["wide_area"] == "none"
    assert projects[f"{b2}-003"]["services"] == ["employment_support"]  # the grant's purpose
    assert projects["fy2025-r1-b1-001"]["platform"] is True


def test_summary_from_the_graph_equals_the_hand_count(
    tmp_path: Path, store_of: Callable[[LoadResult], GraphStore]
) -> None:
    store = store_of(fixture_graph(tmp_path))
    rows = funding_summary(store, fiscal_year=2025, round_=1,
                           published=published_figures(tmp_path / "funding"))  # fmt: skip
    got = {(r["scope"], r["figure"]): r["computed"] for r in rows}
    # 別紙1: 北海道; 阪南市, 岬町, 和歌山市 (a core city, not designated)
    assert [got[("別紙1", k)] for k in ("entities", "prefectures", "designated_cities",
            "municipalities")] == [4, 1, 0, 3]  # fmt: skip
    # 別紙2: 山梨県, 鳥取県; 札幌市; 南部町 ×2 (two towns), 甲府市, 日野町
    assert [got[("別紙2", k)] for k in ("entities", "prefectures", "designated_cities",
            "municipalities")] == [7, 2, 1, 4]  # fmt: skip
    assert got[("all", "entities")] == 11
    assert got[("別紙2", "projects")] == 4
    assert got[("別紙2", "cost_thousand_yen")] == 1293 + 17042 + 20751 + 96000
    assert got[("all", "cost_oku_yen")] == 1.4  # 138,086 thousand yen
    assert all(r["agrees"] in (True, None) for r in rows)
    assert sum(r["agrees"] is True for r in rows) == 16


def test_the_bundled_decision_reproduces_every_published_figure(
    tmp_path: Path, store_of: Callable[[LoadResult], GraphStore]
) -> None:
    store = store_of(load_master().extend(load_bundled_funding()))
    printed = published_figures(published_figures_path())
    rows = funding_summary(store, fiscal_year=2025, round_=1, published=printed)
    compared = {(r["scope"], r["figure"]): (r["computed"], r["published"]) for r in rows
                if r["agrees"] is not None}  # fmt: skip
    assert len(compared) == len(printed) == 16
    assert compared[("all", "entities")] == (297, 297)
    assert compared[("all", "prefectures")] == (39, 39)
    assert compared[("all", "designated_cities")] == (17, 17)
    assert compared[("all", "municipalities")] == (241, 241)
    assert compared[("別紙2", "projects")] == (106, 106)
    assert all(r["agrees"] for r in rows if r["agrees"] is not None), rows


def test_every_bundled_record_cites_the_document_and_line() -> None:
    r = load_bundled_funding()
    assert r.problems == []
    assert [s.id for s in r.sources] == ["seed-000"]
    where = re.compile(r"^000_fcd93348732e365e\.txt l\.\d+(; (role|summary) l\.\d+-\d+)?$")
    for item in [*r.nodes, *r.edges]:
        assert item.props["source"] == "seed-000"
        assert where.match(item.props["locator"]), item


def test_import_then_build_with_then_summary_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    out, store = tmp_path / "r2", str(tmp_path / "g.lbug")
    imported = runner.invoke(main, ["import-funding", str(LIST), "--round", "2", "--out", str(out)])
    assert imported.exit_code == 0, imported.output
    assert "事業 6、連携自治体の行 6、文書の数値 16" in imported.output
    built = runner.invoke(main, ["--store", store, "build", "--with", str(out)])
    assert built.exit_code == 0, built.output
    summary = runner.invoke(main, ["--store", store, "funding-summary", "--round", "2",
                                   "--published", str(out), "--format", "csv"])  # fmt: skip
    assert summary.exit_code == 0, summary.output
    assert "all,entities,11,11,True," in summary.output
    bundled = runner.invoke(main, ["--store", store, "funding-summary", "--format", "csv"])
    assert bundled.exit_code == 0
    assert "all,entities,297,297,True," in bundled.output  # round 1 untouched by round 2


def test_case_tables_give_the_partners_roles_and_the_project_summaries() -> None:
    r = load_bundled_funding()
    runs = {e.dst[1]: e.src[1] for e in r.edges if e.type == "RUNS"}
    roles: dict[str, set[str]] = {}
    for e in r.edges:
        if e.type == "PARTNERS_IN" and e.props["role"]:
            roles.setdefault(runs[e.dst[1]], set()).add(e.src[1])
    # 船橋市 → 習志野市; 豊島区 → 都内9市区; 鳥取県 → 県内全19市町村; 福岡県 → 県内全37市町村
    assert {lead: len(p) for lead, p in roles.items()} == {
        "122041": 1, "131164": 9, "310000": 19, "400009": 37
    }  # fmt: skip
    assert roles["122041"] == {"122165"}
    narashino = next(e for e in r.edges if e.type == "PARTNERS_IN" and e.src[1] == "122165"
                     and e.props["role"])  # fmt: skip
    assert narashino.props["role"].startswith("事業周知による対象者の掘り起こし")
    assert narashino.props["locator"].endswith("; role l.1144-1146")
