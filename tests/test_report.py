"""The report: built from the bundled data on a fresh machine, every table as CSV, safe pages."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.test_viz import HOSTILE, IMG, SCRIPT, net_result
from tsunagari.cli import main
from tsunagari.config import Config
from tsunagari.graph.build import build_graph
from tsunagari.model import SERVICES
from tsunagari.queries.siting import RECOMMEND_COLUMNS
from tsunagari.report import write_report
from tsunagari.viz import network as network_view
from tsunagari.viz.html import check_offline

CSVS = [
    "communities",
    "coverage",
    "graph",
    "hubs",
    "network_views",
    "prefecture_summary",
    "projects_without_service",
    "resilience",
    "service_summary",
    "siting",
    "sources",
    "unserved",
]
ASSETS = ["assets/geo.js", "assets/network.js", "assets/report.css", "assets/vis-network.min.js"]
PAGES = ["index.html", "map.html", "network.html", "network/270008.html"]
TOWNS = ["towns/index.html", "towns/27.html"]  # one file per prefecture, a section per town


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_report_writes_every_table_and_escapes_every_name(tmp_path: Path) -> None:
    build_graph(net_result(HOSTILE), tmp_path / "g.lbug")
    config = Config(store=str(tmp_path / "g.lbug"))
    steps: list[tuple[str, int, int]] = []
    result = write_report(config, tmp_path / "r", progress=lambda *a: steps.append(a))
    out = tmp_path / "r"
    assert sorted(p.relative_to(out).as_posix() for p in result.files) == sorted(
        PAGES + TOWNS + ASSETS + [f"csv/{n}.csv" for n in CSVS]
    )
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
        PAGES + TOWNS + ASSETS + [f"csv/{n}.csv" for n in CSVS]
    )
    assert steps[0] == ("report", 0, 8) and steps[-1] == ("report", 8, 8)
    assert ("network", 1, 1) in steps
    assert result.skipped == []
    for page in PAGES + TOWNS:
        html = (out / page).read_text(encoding="utf-8")
        check_offline(html)
        assert html.startswith('<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">')
        for name in HOSTILE:
            assert name not in html, (page, name)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in index  # hubs table, as text
    assert "<h2>ネットワークをつなぐ主体</h2>" in index
    assert "制約度（Burt）: つながりが、互いにもつながっている少数の相手に" in index
    assert "<td>阪南市:相談、阪南市:居場所</td>" in index  # what closing o0 loses, in Japanese
    links = re.findall(r"href='([^']+)'", index)
    assert links[:8] == [
        "#findings", "#views", "#gaps", "#siting", "#hubs", "#resilience", "#data", "#notes",
    ]  # fmt: skip
    # findings first: the towns to look at (worst consultation first), linked to their pages
    assert links[8:13] == [
        "map.html", "towns/index.html", "csv/coverage.csv", "towns/27.html#272272",
        "towns/27.html#272329",
    ]  # fmt: skip
    # then the maps and networks as one grid: the prefecture's map and network view
    assert links[13:18] == [
        "map.html", "network.html", "towns/index.html", "map.html#270008", "network/270008.html",
    ]  # fmt: skip
    assert set(links) <= {
        *links[:8], *PAGES, *TOWNS, "map.html#270008", *(f"csv/{n}.csv" for n in CSVS),
        "towns/27.html#272272", "towns/27.html#272329",
    }  # fmt: skip
    # every page shares one copy of the assets: no page inlines vis-network
    vis = (out / "assets" / "vis-network.min.js").read_text(encoding="utf-8")
    assert len(vis) > 100_000 and "://" not in vis
    for page in ("network.html", "network/270008.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert len(html) < 50_000
        up = "../" if "/" in page else ""
        assert f'<script src="{up}assets/vis-network.min.js"></script>' in html
        assert "script-src 'self' 'unsafe-inline'" in html
    towns = (out / "towns" / "27.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../assets/report.css">' in towns
    assert "<section class='town' id='272329'>" in towns
    assert "<h1>阪南市（大阪府）</h1>" in towns
    views = _rows(out / "csv" / "network_views.csv")
    assert views == [
        {"view": "全国", "nodes": "10", "edges": "9", "file": "network.html"},
        {"view": "大阪府", "nodes": "10", "edges": "9", "file": "network/270008.html"},
    ]
    hubs = _rows(out / "csv" / "hubs.csv")
    assert list(hubs[0]) == [
        "rank", "name", "label", "kind", "prefecture", "degree", "betweenness", "constraint",
        "effective_size", "community", "coordinator", "itinerant", "gatekeeper", "liaison",
        "brokerage", "node",
    ]  # fmt: skip
    assert (hubs[0]["rank"], hubs[0]["name"], hubs[0]["node"]) == ("1", IMG, "Organization:o0")
    unserved = _rows(out / "csv" / "unserved.csv")
    # nothing nearer than the prefecture: specialised consultation (no record of the
    # fixture says specialised) in both towns, employment support in 阪南市
    assert [
        (r["service"], r["question"], r["rank"], r["municipality"], r["tier"]) for r in unserved
    ] == [
        ("consultation", "specialised", "1", "東大阪市", "unknown"),
        ("consultation", "specialised", "2", "阪南市", "unknown"),
        ("employment_support", "any", "1", "阪南市", "unknown"),
    ]
    summary = _rows(out / "csv" / "service_summary.csv")
    assert summary[0] == {
        "service": "consultation",
        "question": "any",
        "municipalities": "2",
        "local": "2",
        "local_population": "150",
        "wide_area": "0",
        "wide_area_population": "0",
        "prefecture_tier": "0",
        "prefecture_population": "0",
        "unknown": "0",
        "unknown_population": "0",
        "none": "0",
        "none_population": "0",
    }
    sources = _rows(out / "csv" / "sources.csv")
    assert [(s["id"], s["title"]) for s in sources] == [("test", f"試験用の出典 {IMG}")]


def test_report_in_english(tmp_path: Path) -> None:
    build_graph(net_result((SCRIPT, "b", "c", "d")), tmp_path / "g.lbug")
    config = Config(store=str(tmp_path / "g.lbug"))
    write_report(config, tmp_path / "r", lang="en")
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index
    assert "<h2>Gaps in support</h2>" in index
    assert "<th>municipality</th>" in index
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;" in index
    # the analyst section: what the network is, every measure in one sentence, the limits
    assert "<h2>Who holds the network together</h2>" in index
    assert "Effective size (Burt): how many of its contacts are not tied to its other" in index
    assert "Ties exist only where a document states them" in index


def test_report_on_a_fresh_machine_builds_from_the_bundled_data(tmp_path: Path) -> None:
    store, out = tmp_path / "t.lbug", tmp_path / "report"
    result = CliRunner().invoke(main, ["--store", str(store), "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert store.exists()
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    views = _rows(out / "csv" / "network_views.csv")
    coverage = _rows(out / "csv" / "coverage.csv")
    # one row per municipality (wards within their city), a tier per service and question
    assert len(coverage) == 1_741
    assert list(coverage[0])[:7] == [
        "code", "municipality", "prefecture", "population", "estimated", "consultation",
        "consultation_specialised",
    ]  # fmt: skip
    assert len({r["code"] for r in coverage}) == 1_741
    towns = sorted({f"towns/{r['code'][:2]}.html" for r in coverage})
    assert len(towns) == 47  # a file per prefecture …
    sections = [
        m
        for page in towns
        for m in re.findall(r"<section class='town' id='(\d+)'>", (out / page).read_text())
    ]
    assert sorted(sections) == sorted({r["code"] for r in coverage})  # … a page per town
    assert written == sorted(
        ["index.html", "map.html", "towns/index.html", *ASSETS, *towns]
        + [v["file"] for v in views]
        + [f"csv/{n}.csv" for n in CSVS]
    )
    assert result.output == f"{out / 'index.html'} ほか {len(written) - 1} ファイルを書き出し\n"
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert size <= 8 * 1024 * 1024  # a report one can mail
    for page in written:
        if page.endswith(".html"):
            check_offline((out / page).read_text(encoding="utf-8"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>まず知ってほしいこと</h2>" in index
    assert "<h2>支援の空白</h2>" in index
    far = [
        r for r in coverage if r["consultation_specialised"] in ("prefecture", "unknown", "none")
    ]
    largest = max(far, key=lambda r: int(r["population"] or 0))
    # the first town to look at, linked to its page
    href = f"towns/{largest['code'][:2]}.html#{largest['code']}"
    assert f"<td><a href='{href}'>{largest['municipality']}</a></td>" in index
    town = (out / href.partition("#")[0]).read_text(encoding="utf-8")
    assert f"<h1>{largest['municipality']}（{largest['prefecture']}）</h1>" in town
    idle = _rows(out / "csv" / "projects_without_service.csv")
    assert len(idle) == 22 and sum(int(r["cost_thousand_yen"]) for r in idle) == 261_411
    assert "<caption>どの支援にも数えられない事業（15 / 22 行を表示）" in index
    assert "22 件（事業費 計 261,411 千円）" in index
    # where one more window helps most: each service, exact then greedy, and the stars
    assert "<h2>あと1か所置くなら: 効果の大きい場所</h2>" in index
    siting = _rows(out / "csv" / "siting.csv")
    assert list(siting[0]) == ["service", "question", *RECOMMEND_COLUMNS]
    exact = [r for r in siting if r["method"] == "exact"]
    asked = {(r["service"], r["question"]) for r in exact}
    assert asked == {(s, "any") for s in SERVICES} | {("consultation", "specialised")}
    for s, q in asked:
        mine = [r for r in siting if (r["service"], r["question"]) == (s, q)]
        best = sum(int(r["gain"]) for r in mine if r["method"] == "exact")
        assert best >= sum(int(r["gain"]) for r in mine if r["method"] == "greedy") > 0
        assert [r["rank"] for r in mine if r["method"] == "exact"] == [str(i) for i in range(1, 11)]
    assert "<caption>「相談（専門）」: 厳密解と貪欲法</caption>" in index


def test_a_new_report_replaces_an_older_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(net_result(), tmp_path / "g.lbug")
    config, out = Config(store=str(tmp_path / "g.lbug")), tmp_path / "r"
    write_report(config, out)
    (out / "stale.html").write_text("an older report's page", encoding="utf-8")
    (out / "towns" / "99.html").write_text("a prefecture no longer there", encoding="utf-8")
    write_report(config, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert not (out / "stale.html").exists() and not (out / "towns" / "99.html").exists()
    beside = ["g.lbug", "g.lbug.lock", "r"]
    assert sorted(p.name for p in tmp_path.iterdir()) == beside  # nothing left beside it

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    (out / "stale.html").write_text("an older report's page", encoding="utf-8")
    monkeypatch.setattr("tsunagari.report.write.render_prefecture_towns", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(config, out)
    # the failed run changed nothing: the older report is whole, no half-written folder
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == sorted(
        [*before, Path("stale.html")]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == beside


def test_a_country_too_large_to_draw_is_summed_by_prefecture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(net_result(HOSTILE), tmp_path / "g.lbug")
    monkeypatch.setattr(network_view, "NODE_LIMIT", 5)
    result = write_report(Config(store=str(tmp_path / "g.lbug")), tmp_path / "r")
    assert result.skipped == [
        "大阪府: 10 ノードは上限 5 を超えるため省略"
        "（tsunagari network --municipality で市町村ごとに描けます）。"
    ]
    views = _rows(tmp_path / "r" / "csv" / "network_views.csv")
    assert views == [
        {
            "view": "全国の支援ネットワーク（都道府県別の集計）",
            "nodes": "2",
            "edges": "2",
            "file": "network.html",
        }
    ]
    html = (tmp_path / "r" / "network.html").read_text(encoding="utf-8")
    check_offline(html)
    payload = json.loads(re.search(r"id='net-data'>(.*?)</script>", html, re.S).group(1))
    # Osaka: o0, c1, o2 (operates c1), the platform, the project and two towns; nowhere:
    # o1, o3 (the national grant is left out of the summary)
    assert sorted(n["name"] for n in payload["nodes"]) == [
        "大阪府（7）",
        "都道府県なし（2）",
    ]
    assert sorted(e["title"].splitlines()[1:3] for e in payload["edges"]) == [
        ["参加", "関係の数: 2"],
        ["連携", "関係の数: 1"],
    ]
    # Osaka's own view was too large to write: its node opens nothing
    assert not any("href" in n for n in payload["nodes"])
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "<p>大阪府: 10 ノードは上限 5 を超えるため省略" in index


def test_the_siting_worker_is_stopped_when_never_asked_and_its_failure_is_an_error(
    bundled_store: Path,
) -> None:
    from tsunagari.errors import QueryError
    from tsunagari.graph.ladybug_store import LadybugStore
    from tsunagari.queries.coverage import municipalities
    from tsunagari.queries.siting import SitingOptions
    from tsunagari.report.siting import SitingWorker

    with LadybugStore(bundled_store) as store:
        with SitingWorker(store) as idle:
            assert idle.towns == municipalities(store)
        assert idle.proc.returncode is not None  # a report that failed leaves no worker
        worker = SitingWorker(store)
    worker.ask([(SitingOptions(service="no-such-service"), [])])
    failed = r"the siting worker failed: .*unknown service 'no-such-service'"
    with pytest.raises(QueryError, match=failed):
        worker.answers()


def test_a_report_reads_each_query_once_and_gets_fresh_rows(bundled_store: Path) -> None:
    from tsunagari.errors import StoreError
    from tsunagari.graph.ladybug_store import LadybugStore
    from tsunagari.queries.coverage import municipalities
    from tsunagari.queries.network import columns
    from tsunagari.report.reads import ReadOnce

    asked: list[str] = []

    class Counting(LadybugStore):
        def run(self, cypher: str, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
            asked.append(cypher)
            return super().run(cypher, *args, **kwargs)

        def columns(self, cypher: str, *args: Any, **kwargs: Any) -> dict[str, list[Any]]:
            asked.append(cypher)
            return super().columns(cypher, *args, **kwargs)

    with Counting(bundled_store) as opened, ReadOnce(opened) as store:
        first = municipalities(store)
        first[0]["name"] = "changed"
        assert municipalities(store) == municipalities(opened)  # the change is not kept
        assert municipalities(store, prefecture="270000") != first  # other params: asked
        cypher = "MATCH (n:Prefecture) RETURN n.code AS key, n.name AS name"
        cols = columns(store, cypher, {"key": "STRING", "name": "STRING"})
        cols["key"].clear()
        assert columns(store, cypher, {"key": "STRING", "name": "STRING"})["key"]
        with pytest.raises(StoreError, match="only reads"):
            store.write_batch("UNWIND $rows AS row RETURN row", [{}])
    # the municipalities: by `store`, by `opened` directly, and for one prefecture
    assert [x for x in asked if "title: Municipalities" in x] == [asked[2]] * 3
    assert asked.count(cypher) == 1
