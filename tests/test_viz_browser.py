"""Every page in a real headless chromium: no errors, no requests, the expected nodes and
points, and names made of markup stay text."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser, needs_chromium, visit
from tests.test_viz import HOSTILE, HREF, IMG, SCRIPT, net_result
from tsunagari.config import Config
from tsunagari.graph.build import build_graph
from tsunagari.report import write_report
from tsunagari.viz import network as network_view

pytestmark = [pytest.mark.browser, needs_chromium]

FROZEN = "window.tsunagari && window.tsunagari.frozen"
DRAWN = "window.tsunagari && window.tsunagari.ready"
LOADED = "document.readyState === 'complete'"
TOOLTIP_SHOWN = (
    "(document.querySelector('div.vis-tooltip') || {style: {}}).style.visibility === 'visible'"
)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    build_graph(net_result(HOSTILE), base / "g.lbug")
    write_report(Config(store=str(base / "g.lbug")), base / "r")
    return base / "r"


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("bundled")
    write_report(Config(store=str(base / "t.lbug")), base / "r")
    return base / "r"


def _clean(v: Any) -> None:
    assert v.errors == []
    assert v.requests == []
    assert v.dialogs == []
    assert v.page.evaluate("typeof window.pwned") == "undefined"
    assert (
        v.page.evaluate("document.querySelectorAll('img, iframe, a[href^=javascript]').length") == 0
    )


@pytest.mark.parametrize("page", ["network.html", "network/270008.html"])
def test_network_view_shows_hostile_names_as_text(
    chromium: Any, hostile_report: Path, page: str
) -> None:
    v = visit(chromium, hostile_report / page, ready=FROZEN)
    _clean(v)
    assert v.page.evaluate("window.tsunagari.nodes.length") == 10
    assert v.page.evaluate("window.tsunagari.edges.length") == 9
    assert v.page.evaluate("document.getElementById('status').textContent") == "配置を固定しました"
    # hover every organisation: the tooltip holds the name as text, and nothing runs
    for name in (IMG, SCRIPT, HREF):
        point = v.page.evaluate(
            """name => {
              const t = window.tsunagari, id = t.nodes.getIds().find(
                  i => t.nodes.get(i).title.split('\\n')[0] === name);
              return t.network.canvasToDOM(t.network.getPosition(id));
            }""",
            name,
        )
        box = v.page.locator("#net").bounding_box()
        v.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        v.page.wait_for_function(TOOLTIP_SHOWN)
        text = v.page.evaluate("document.querySelector('div.vis-tooltip').innerText")
        assert text.splitlines()[0] == name
        v.page.mouse.move(1, 1)
        v.page.wait_for_timeout(200)
    _clean(v)
    v.page.close()


def test_map_shows_hostile_names_as_text(chromium: Any, hostile_report: Path) -> None:
    v = visit(chromium, hostile_report / "map.html", ready=DRAWN)
    _clean(v)
    assert v.page.evaluate("document.querySelectorAll('#map circle').length") == 2
    circle = v.page.locator("#map circle").nth(1)  # drawn small on top: 阪南市
    circle.hover()
    tip = v.page.evaluate("document.getElementById('tip').textContent")
    assert tip.splitlines() == ["大阪府 阪南市", "人口: 60", "相談 カバー: 域内", f"提供者: {IMG}"]
    _clean(v)
    v.page.close()


def test_report_index_is_clean(chromium: Any, hostile_report: Path) -> None:
    v = visit(chromium, hostile_report / "index.html", ready=LOADED)
    _clean(v)
    cells = v.page.evaluate("[...document.querySelectorAll('td')].map(td => td.textContent)")
    assert IMG in cells and SCRIPT in cells
    v.page.close()


def test_bundled_report_views_load_offline_with_their_nodes(
    chromium: Any, bundled_report: Path
) -> None:
    with (bundled_report / "csv" / "network_views.csv").open(encoding="utf-8") as f:
        views = list(csv.DictReader(f))
    assert views[0]["file"] == "network.html"
    for view in views:
        v = visit(chromium, bundled_report / view["file"], ready=FROZEN)
        _clean(v)
        assert v.page.evaluate("window.tsunagari.nodes.length") == int(view["nodes"]), view
        assert v.page.evaluate("window.tsunagari.edges.length") == int(view["edges"]), view
        v.page.close()
    v = visit(chromium, bundled_report / "index.html", ready=LOADED)
    _clean(v)
    v.page.close()


def test_bundled_map_has_every_municipality_and_switches_service(
    chromium: Any, bundled_report: Path
) -> None:
    v = visit(chromium, bundled_report / "map.html", ready=DRAWN)
    _clean(v)
    assert v.page.evaluate("document.querySelectorAll('#map circle').length") == 1_741

    def counts() -> list[int]:
        found = v.page.evaluate("[...document.querySelectorAll('.count')].map(b => b.textContent)")
        return [int(x.replace(",", "")) for x in found]

    consultation = counts()
    assert sum(consultation) == 1_741
    assert v.page.evaluate("document.querySelectorAll('#map text.pref').length") == 47
    view_width = "+document.querySelector('#map svg').getAttribute('viewBox').split(' ')[2]"
    before = v.page.evaluate(view_width)
    box = v.page.locator("#map svg").bounding_box()
    v.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    v.page.mouse.wheel(0, -300)
    v.page.wait_for_function(f"{view_width} < {before}")  # zoomed in at the cursor
    v.page.select_option("#service", label="就労支援")
    employment = counts()
    assert sum(employment) == 1_741 and employment != consultation
    _clean(v)
    v.page.close()


def test_bundled_map_stars_where_one_more_window_helps_most(
    chromium: Any, bundled_report: Path
) -> None:
    with (bundled_report / "csv" / "siting.csv").open(encoding="utf-8") as f:
        exact = [r for r in csv.DictReader(f) if r["method"] == "exact" and r["question"] == "any"]
    v = visit(chromium, bundled_report / "map.html", ready=DRAWN)
    shown = "[...document.querySelectorAll('#map g.site')].filter(g => g.style.display !== 'none')"
    assert v.page.evaluate("window.tsunagari.sites") == len(exact)
    first = [r for r in exact if r["service"] == "consultation"]
    assert v.page.evaluate(f"{shown}.map(g => g.textContent)") == [r["rank"] for r in first]
    star = v.page.locator("#map g.site path").first.bounding_box()
    v.page.mouse.move(star["x"] + star["width"] / 2, star["y"] + star["height"] / 2)
    tip = v.page.evaluate("document.getElementById('tip').textContent").splitlines()
    assert tip == [
        "あと1か所置くなら 第1位",
        f"{first[0]['prefecture']} {first[0]['municipality']}",
        f"新たに届く人: {int(first[0]['gain']):,}（{first[0]['towns_reached']} 市町村）",
    ]
    v.page.select_option("#service", label="就労支援")
    employment = [r["rank"] for r in exact if r["service"] == "employment_support"]
    assert v.page.evaluate(f"{shown}.length") == len(employment)
    _clean(v)
    v.page.close()


def test_country_summed_by_prefecture_draws(
    chromium: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(net_result(HOSTILE), tmp_path / "g.lbug")
    monkeypatch.setattr(network_view, "NODE_LIMIT", 5)
    write_report(Config(store=str(tmp_path / "g.lbug")), tmp_path / "r")
    v = visit(chromium, tmp_path / "r" / "network.html", ready=FROZEN)
    _clean(v)
    assert v.page.evaluate("window.tsunagari.nodes.length") == 2
    assert v.page.evaluate("window.tsunagari.edges.length") == 4
    v.page.close()
