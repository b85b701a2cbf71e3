"""Every page in a real headless chromium: no errors, no requests, the expected nodes and
points, and names made of markup stay text."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser, needs_chromium, visit
from tests.test_viz import HOSTILE, HREF, IMG, SCRIPT, ego_result, net_result
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


def _clean(v: Any, root: Path | None = None) -> None:
    """No console error, no dialog, nothing run from the data; the only requests are for
    files of the report itself (`root`): nothing leaves file://."""
    assert v.errors == []
    inside = root.resolve().as_uri() + "/" if root is not None else None
    assert [r for r in v.requests if inside is None or not r.startswith(inside)] == []
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
    _clean(v, hostile_report)
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
    _clean(v, hostile_report)
    v.page.close()


def test_map_shows_hostile_names_as_text(chromium: Any, hostile_report: Path) -> None:
    v = visit(chromium, hostile_report / "map.html", ready=DRAWN)
    _clean(v, hostile_report)
    assert v.page.evaluate("document.querySelectorAll('#map path.town').length") == 2
    hannan = v.page.locator("#map path.town[data-i='1']")  # 阪南市 (towns in code order)
    hannan.hover(force=True)
    tip = v.page.evaluate("document.getElementById('tip').textContent")
    assert tip.splitlines() == [
        "阪南市（大阪府）",
        "人口: 60 人",
        "相談: 域内",
        "提供者:",
        f"・{IMG}（試験用の出典 {IMG}）",
        "クリックで市町村のページ",
    ]
    _clean(v, hostile_report)
    v.page.close()


def test_report_index_is_clean(chromium: Any, hostile_report: Path) -> None:
    v = visit(chromium, hostile_report / "index.html", ready=LOADED)
    _clean(v, hostile_report)
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
        _clean(v, bundled_report)
        assert v.page.evaluate("window.tsunagari.nodes.length") == int(view["nodes"]), view
        assert v.page.evaluate("window.tsunagari.edges.length") == int(view["edges"]), view
        v.page.close()
    v = visit(chromium, bundled_report / "index.html", ready=LOADED)
    _clean(v, bundled_report)
    v.page.close()


def test_bundled_map_has_every_municipality_and_switches_service(
    chromium: Any, bundled_report: Path
) -> None:
    v = visit(chromium, bundled_report / "map.html", ready=DRAWN)
    _clean(v, bundled_report)
    assert v.page.evaluate("document.querySelectorAll('#map path.town').length") == 1_741
    assert v.page.evaluate("document.querySelectorAll('#map path.pref').length") == 47
    credit = v.page.evaluate("document.querySelector('.credit').textContent")
    assert credit == "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成"

    def counts() -> list[int]:
        found = v.page.evaluate("[...document.querySelectorAll('.count')].map(b => b.textContent)")
        return [int(x.replace(",", "")) for x in found]

    def overlaps() -> int:  # labels on screen whose boxes overlap another label or a star
        return int(
            v.page.evaluate(
                """(() => {
                  const box = s => [...document.querySelectorAll(s)]
                    .map(t => t.getBoundingClientRect());
                  const r = box('#map text:not(.rank)'), stars = box('#map g.star path');
                  const hit = (a, b) => a.left < b.right && b.left < a.right &&
                                        a.top < b.bottom && b.top < a.bottom;
                  let n = 0;
                  for (let i = 0; i < r.length; i++) {
                    for (let j = i + 1; j < r.length; j++) if (hit(r[i], r[j])) n++;
                    for (const s of stars) if (hit(r[i], s)) n++;
                  }
                  return n;
                })()"""
            )
        )

    consultation = counts()
    assert sum(consultation) == 1_741

    def labels() -> int:
        return int(v.page.evaluate("document.querySelectorAll('#map text:not(.rank)').length"))

    # prefecture names, none on another nor on a star (the stars take a few names' places)
    assert 15 <= labels() <= 47 and overlaps() == 0
    v.page.uncheck("#stars")
    assert 20 <= labels() <= 47 and overlaps() == 0
    view_width = "+document.querySelector('#map svg').getAttribute('viewBox').split(' ')[2]"
    before = v.page.evaluate(view_width)
    box = v.page.locator("#map svg").bounding_box()
    v.page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
    for _ in range(6):
        v.page.mouse.wheel(0, -300)
    v.page.wait_for_function(f"{view_width} < {before} / 4")  # zoomed in at the cursor
    assert overlaps() == 0  # town names now, still none on another
    v.page.select_option("#service", label="就労支援")
    employment = counts()
    assert sum(employment) == 1_741 and employment != consultation
    v.page.check("input[name=mode][value='1']")  # hikikomori-specialised support only
    specialised = counts()
    assert sum(specialised) == 1_741 and specialised != employment
    _clean(v, bundled_report)
    v.page.close()


def test_the_map_stars_the_sites_where_one_more_window_helps_most(
    chromium: Any, bundled_report: Path
) -> None:
    with (bundled_report / "csv" / "siting.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["method"] == "exact"]

    def sites(service: str, question: str) -> list[str]:
        return [r["code"] for r in rows if (r["service"], r["question"]) == (service, question)]

    v = visit(chromium, bundled_report / "map.html", ready=DRAWN)
    shown = """[...document.querySelectorAll('#map g.star')].map(g => {
        const d = JSON.parse(document.getElementById('map-data').textContent);
        return [+g.querySelector('text').textContent,
                d.towns[d.stars[+document.querySelector('input[name=mode]:checked').value]
                        [+document.getElementById('service').value]
                        [+g.querySelector('path').dataset.s][0]][0]];
      }).sort((a, b) => a[0] - b[0]).map(x => x[1])"""
    assert len(sites("consultation", "any")) == 10
    assert v.page.evaluate(shown) == sites("consultation", "any")  # ranks 1…10 at their towns
    v.page.check("input[name=mode][value='1']")  # hikikomori-specialised support only
    assert v.page.evaluate(shown) == sites("consultation", "specialised")
    v.page.check("input[name=mode][value='0']")
    v.page.select_option("#service", label="就労支援")
    assert v.page.evaluate(shown) == sites("employment_support", "any")
    v.page.uncheck("#stars")
    assert v.page.evaluate(shown) == []
    v.page.check("#stars")
    first = v.page.locator("#map g.star path").last  # the best is drawn last, on top
    first.hover(force=True)
    tip = v.page.evaluate("document.getElementById('tip').textContent")
    assert "★ あと 10 か所置くなら 1 番目の候補地（厳密解）" in tip and "新たに届く" in tip
    code = sites("employment_support", "any")[0]
    first.click(force=True)
    v.page.wait_for_url(f"**/towns/{code[:2]}.html#{code}")
    assert v.errors == []
    v.page.close()


def test_a_prefecture_map_opens_on_it_and_a_click_opens_the_town_page(
    chromium: Any, bundled_report: Path
) -> None:
    tokyo = bundled_report / "map.html"
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(tokyo.resolve().as_uri() + "#130001")
    page.wait_for_function(DRAWN)
    faded = "document.querySelectorAll('#map path.town.out').length"
    assert page.evaluate(faded) == 1_741 - 62  # every town but Tokyo's 62 faded
    counts = page.evaluate("[...document.querySelectorAll('.count')].map(b => b.textContent)")
    assert sum(int(x.replace(",", "")) for x in counts) == 62  # the legend counts Tokyo's
    assert page.evaluate("document.querySelector('h1').textContent") == "支援のカバー地図（東京都）"
    setagaya = page.locator("#map path.town").nth(
        page.evaluate("window.tsunagariIndex = [...document.querySelectorAll('#map path.town')]"
                      ".findIndex(p => p.dataset.i && JSON.parse("
                      "document.getElementById('map-data').textContent).towns[+p.dataset.i][0]"
                      " === '131121')")
    )  # fmt: skip
    setagaya.click()
    page.wait_for_url("**/towns/13.html#131121")
    shown = "[...document.querySelectorAll('h1')].filter(h => h.offsetParent !== null)"
    # the town alone (the prefecture's list of towns and the other towns hidden)
    assert page.evaluate(f"{shown}.map(h => h.textContent)") == ["世田谷区（東京都）"]
    assert errors == []
    page.close()


@pytest.mark.parametrize("code", ["272329", "131121", "401005"])  # 阪南市, 世田谷区, 北九州市
def test_a_town_page_prints_on_a4_with_no_cut_table(
    chromium: Any, bundled_report: Path, code: str
) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    file = bundled_report / "towns" / f"{code[:2]}.html"
    page.goto(f"{file.resolve().as_uri()}#{code}")
    page.wait_for_function(LOADED)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 12 mm margins
    shown = page.evaluate(
        "[...document.querySelectorAll('section')].filter(s => s.offsetParent !== null)"
        ".map(s => s.id || s.className)"
    )
    assert shown[0] == code and set(shown) <= {code, "shared"}  # this town, what all share
    cut = page.evaluate(
        "[...document.querySelectorAll('table')].filter(t => t.offsetParent !== null && "
        "t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length"
    )
    assert cut == 0
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    inside = bundled_report.resolve().as_uri() + "/"
    assert errors == [] and [r for r in requests if not r.startswith(inside)] == []
    page.close()


def test_country_summed_by_prefecture_draws(
    chromium: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(net_result(HOSTILE), tmp_path / "g.lbug")
    monkeypatch.setattr(network_view, "NODE_LIMIT", 5)
    write_report(Config(store=str(tmp_path / "g.lbug")), tmp_path / "r")
    v = visit(chromium, tmp_path / "r" / "network.html", ready=FROZEN)
    _clean(v, tmp_path / "r")
    assert v.page.evaluate("window.tsunagari.nodes.length") == 2
    assert v.page.evaluate("window.tsunagari.edges.length") == 2
    v.page.close()


HIDDEN_EDGES = "window.tsunagari.edges.get({filter: e => e.hidden}).map(e => e.etype).sort()"
HIDDEN_NODES = "window.tsunagari.nodes.get({filter: n => n.hidden}).map(n => n.name).sort()"


@pytest.fixture(scope="module")
def ego_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ego") / "g.lbug"
    build_graph(ego_result(), path)
    return path


def _write_view(store: Path, out: Path, *args: str) -> Path:
    from click.testing import CliRunner

    from tsunagari.cli import main

    result = CliRunner().invoke(main, ["--store", str(store), "network", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_tie_type_toggles_hide_ties_and_the_nodes_they_alone_held(
    chromium: Any, ego_store: Path, tmp_path: Path
) -> None:
    v = visit(chromium, _write_view(ego_store, tmp_path / "o.html", "-p", "27"), ready=FROZEN)
    assert v.page.evaluate(HIDDEN_EDGES) == []
    v.page.uncheck("input.tie[value=MEMBER_OF]")
    # o3 (わかもの) was tied only as a member; o1 (ささえ) still partners with o0
    assert v.page.evaluate(HIDDEN_EDGES) == ["MEMBER_OF", "MEMBER_OF"]
    assert v.page.evaluate(HIDDEN_NODES) == ["わかもの"]
    v.page.uncheck("input.tie[value=PARTNERS_WITH]")
    assert v.page.evaluate(HIDDEN_NODES) == ["ささえ", "わかもの"]
    v.page.check("input.tie[value=MEMBER_OF]")
    v.page.check("input.tie[value=PARTNERS_WITH]")
    assert v.page.evaluate(HIDDEN_EDGES) == [] and v.page.evaluate(HIDDEN_NODES) == []
    _clean(v)
    v.page.close()


def test_search_finds_a_node_by_alternate_name(
    chromium: Any, ego_store: Path, tmp_path: Path
) -> None:
    v = visit(chromium, _write_view(ego_store, tmp_path / "o.html", "-p", "27"), ready=FROZEN)
    v.page.fill("#search", "旧・若者")  # part of an alternate name of いばしょセンター
    found = v.page.evaluate("window.tsunagari.found.map(i => window.tsunagari.nodes.get(i).name)")
    assert found == ["いばしょセンター"]
    assert v.page.evaluate("window.tsunagari.network.getSelectedNodes()") == v.page.evaluate(
        "window.tsunagari.found"
    )
    assert v.page.text_content("#found") == "1件"
    v.page.fill("#search", "ｻｻｴ")  # half-width katakana: no node
    assert v.page.text_content("#found") == "見つかりません"
    v.page.fill("#search", "ささえ")  # the NPO and the platform
    assert sorted(
        v.page.evaluate("window.tsunagari.found.map(i => window.tsunagari.nodes.get(i).name)")
    ) == ["ささえ", "ささえプラットフォーム"]
    _clean(v)
    v.page.close()


def test_ego_view_draws_its_centre_first(chromium: Any, ego_store: Path, tmp_path: Path) -> None:
    out = _write_view(ego_store, tmp_path / "e.html", "--around", "いばしょ相談室", "--depth", "2")
    v = visit(chromium, out, ready=FROZEN)
    t = "window.tsunagari"
    assert v.page.evaluate(f"{t}.nodes.length") == 5
    centre = v.page.evaluate(f"{t}.nodes.get({t}.labelled[0]).name")
    assert centre == "いばしょセンター"
    assert v.page.text_content("#status") == "配置を固定しました"
    _clean(v)
    v.page.close()


def _overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[:i])
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_labels_never_pile_up_and_more_appear_when_zoomed_in(
    chromium: Any, bundled_report: Path
) -> None:
    v = visit(chromium, bundled_report / "network" / "270008.html", ready=FROZEN)  # 大阪府
    t = "window.tsunagari"
    n = v.page.evaluate(f"{t}.nodes.length")
    before = v.page.evaluate(f"{t}.labelled.length")
    assert 0 < before < n  # at the fitted scale not every name fits
    assert _overlaps(v.page.evaluate(f"{t}.labelBoxes")) == []
    first = v.page.evaluate(f"{t}.labelled[0]")
    v.page.evaluate(f"{t}.network.moveTo({{scale: {t}.network.getScale() * 4}})")
    v.page.wait_for_function(f"{t}.labelled.length > {before}")
    assert _overlaps(v.page.evaluate(f"{t}.labelBoxes")) == []
    # the most important node is labelled first whenever it is on screen
    assert v.page.evaluate(f"{t}.labelled.indexOf({first})") in (-1, 0)
    _clean(v, bundled_report)
    v.page.close()


def test_the_same_view_settles_to_the_same_layout(chromium: Any, bundled_report: Path) -> None:
    positions = []
    for _ in range(2):
        v = visit(chromium, bundled_report / "network" / "400009.html", ready=FROZEN)  # 福岡県
        positions.append(v.page.evaluate("window.tsunagari.network.getPositions()"))
        v.page.close()
    assert positions[0] == positions[1]


def test_national_summary_opens_a_prefecture_on_click(chromium: Any, bundled_report: Path) -> None:
    v = visit(chromium, bundled_report / "network.html", ready=FROZEN)
    point = v.page.evaluate(
        """() => {
          const t = window.tsunagari, id = t.nodes.getIds().find(
              i => t.nodes.get(i).name.startsWith('福岡県（'));
          t.network.moveTo({position: t.network.getPosition(id), scale: 2});
          return t.network.canvasToDOM(t.network.getPosition(id));
        }"""
    )
    box = v.page.locator("#net").bounding_box()
    with v.page.expect_navigation():
        v.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert v.page.url.endswith("/network/400009.html")
    v.page.wait_for_function(FROZEN)
    assert v.page.evaluate("document.querySelector('h1').textContent") == "福岡県の支援ネットワーク"
    v.page.close()
