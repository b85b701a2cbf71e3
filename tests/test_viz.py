"""The pages: escaping, offline, the network view's scopes and limit, the map's points."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.errors import QueryError
from tsunagari.graph.build import build_graph
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.queries.coverage import TIERS
from tsunagari.queries.places import find_place
from tsunagari.records import Edge, LoadResult, Node, SourceInfo
from tsunagari.report import map_data, network_data
from tsunagari.viz import network as network_view
from tsunagari.viz.html import check_offline, esc, script_json
from tsunagari.viz.map import geo, render_map
from tsunagari.viz.network import TooLargeError, render_network
from tsunagari.viz.text import word
from tsunagari.viz.town import tier_colour

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>window.pwned=1</script>"
HREF = '<a href="javascript:window.pwned=1">href</a>'
URL = "http://evil.example/x.js"
HOSTILE = (IMG, SCRIPT, HREF, URL)


def net_result(names: tuple[str, ...] = ("つなぎ", "ささえ", "いばしょ", "わかもの")) -> LoadResult:
    """One prefecture, two towns with coordinates; four organisations, a centre, a platform,
    a project with its grant; every tie family once. `names` name the organisations."""
    src = {"source": "test", "locator": "l.1"}
    r = LoadResult(sources=[SourceInfo("test", f"試験用の出典 {names[0]}")])
    town = {"kind": "city", "prefecture_code": "270008", **src}
    r.nodes += [
        Node("Prefecture", "270008", {"name": "大阪府", "population": 100, **src}),
        Node(
            "Municipality",
            "272329",
            {"name": "阪南市", "population": 60, "lat": 34.36, "lng": 135.24, **town},
        ),
        Node(
            "Municipality",
            "272272",
            {"name": "東大阪市", "population": 90, "lat": 34.68, "lng": 135.6, **town},
        ),
        Node(
            "Platform", "pf", {"name": f"{names[1]}プラットフォーム", "level": "municipal", **src}
        ),
        Node(
            "SupportCenter",
            "c1",
            {
                "name": f"{names[2]}センター",
                "kind": "regional_center",
                "services": ["consultation"],
                **src,
            },
        ),
        Node(
            "Project", "p1", {"name": f"{names[3]}事業", "services": ["employment_support"], **src}
        ),
        Node("Grant", "g1", {"name": "交付金", **src}),
    ]
    for i, name in enumerate(names):
        services = ["consultation", "ibasho"] if i == 0 else []
        r.nodes.append(
            Node(
                "Organization", f"o{i}", {"name": name, "kind": "npo", "services": services, **src}
            )
        )
    edge = {"source": "test", "locator": "l.2"}
    r.edges += [
        Edge("IN_PREFECTURE", ("Municipality", "272329"), ("Prefecture", "270008"), src),
        Edge("IN_PREFECTURE", ("Municipality", "272272"), ("Prefecture", "270008"), src),
        Edge("LOCATED_IN", ("Organization", "o0"), ("Municipality", "272329"), src),
        Edge("LOCATED_IN", ("SupportCenter", "c1"), ("Municipality", "272272"), src),
        Edge(
            "COVERS",
            ("Organization", "o0"),
            ("Municipality", "272329"),
            {"services": ["consultation"], "scope": "local", **src},
        ),
        Edge("PARTNERS_WITH", ("Organization", "o0"), ("Organization", "o1"), edge),
        Edge("REFERS_TO", ("Organization", "o0"), ("SupportCenter", "c1"), edge),
        Edge(
            "COMMISSIONS",
            ("Municipality", "272329"),
            ("Organization", "o0"),
            {"kind": "委託", **edge},
        ),
        Edge("OPERATES", ("Organization", "o2"), ("SupportCenter", "c1"), edge),
        Edge("MEMBER_OF", ("Organization", "o1"), ("Platform", "pf"), edge),
        Edge("SECRETARIAT_OF", ("Municipality", "272329"), ("Platform", "pf"), edge),
        Edge("RUNS", ("Municipality", "272272"), ("Project", "p1"), edge),
        Edge("FUNDS", ("Grant", "g1"), ("Project", "p1"), {"amount_thousand_yen": 1000, **edge}),
        Edge("MEMBER_OF", ("Organization", "o3"), ("Platform", "pf"), edge),
    ]
    return r


@pytest.fixture
def store(tmp_path: Path) -> LadybugStore:
    build_graph(net_result(HOSTILE), tmp_path / "g.lbug")
    s = LadybugStore(tmp_path / "g.lbug", read_only=True)
    yield s
    s.close()


def _payload(html: str, element: str) -> dict:
    m = re.search(rf"<script type='application/json' id='{element}'>(.*?)</script>", html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_script_json_cannot_close_the_element_and_round_trips() -> None:
    text = script_json({"a": [SCRIPT, "<!--", "a&b", "\u2028", URL]})
    assert "<" not in text and ">" not in text and "&" not in text and "://" not in text
    assert json.loads(text) == {"a": [SCRIPT, "<!--", "a&b", "\u2028", URL]}


def test_esc_leaves_no_markup_and_no_url() -> None:
    assert esc(IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert esc("'\"") == "&#x27;&quot;"
    assert esc(URL) == "http:&#47;&#47;evil.example/x.js"
    assert esc(None) == ""


def test_check_offline_refuses_any_scheme_url() -> None:
    with pytest.raises(ValueError, match="https://cdn"):
        check_offline("<script src='https://cdn.example/vis.js'></script>")
    check_offline("<p>data only</p>")


def test_network_view_of_the_prefecture_has_every_node_escaped(store: LadybugStore) -> None:
    place = find_place(store, "大阪府")
    data = network_data(store, prefecture=place)
    html = render_network(data)
    check_offline(html)
    for name in HOSTILE:
        assert name not in html
    assert "<script>window.pwned" not in html
    payload = _payload(html, "net-data")
    nodes = payload["nodes"]
    # 4 organisations, centre, platform, project, grant, 2 towns (no Prefecture: no ties)
    assert len(nodes) == 10
    assert sorted(n["id"] for n in nodes) == list(range(10))  # opaque ids, never names
    by_name = {n["title"].splitlines()[0]: n for n in nodes}
    assert by_name[IMG]["name"] == "<img src=x on…"  # drawn on the canvas as text
    assert by_name[IMG]["label"] == " "  # vis draws no name: the page does, by importance
    assert by_name[IMG]["title"].splitlines() == [
        IMG,
        "団体（NPO）",
        "支援: 相談, 居場所",
        "媒介中心性: 0.236",  # 8.5 of the 36 pairs of other nodes
        f"出典: 試験用の出典 {IMG}（l.1）",
    ]
    assert by_name[IMG]["size"] == 40.0  # the most central node
    assert len(payload["edges"]) == 9
    styles = {e["title"].splitlines()[1]: (e["color"], e["dashes"]) for e in payload["edges"]}
    assert styles["つなぎ（つなぎ（紹介））"] == ("#17a2b8", [2, 4])
    assert styles["連携（連携）"] == ("#555555", False)
    assert styles["交付（資金）"] == ("#c9a227", False)
    assert "funding" not in html and "資金" in html  # the legend, in Japanese


def test_network_view_in_english(store: LadybugStore) -> None:
    html = render_network(network_data(store, lang="en"), lang="en")
    assert '<html lang="en">' in html
    assert "Support network: all of Japan" in html
    nodes = _payload(html, "net-data")["nodes"]
    centre = next(n for n in nodes if n["title"].startswith(f"{HREF}センター"))
    assert centre["title"].splitlines()[1:3] == [
        "support centre (regional center)",
        "services: consultation",
    ]


def test_town_scope_keeps_its_providers_and_their_partners(store: LadybugStore) -> None:
    town = find_place(store, "阪南市")
    data = network_data(store, municipality=town)
    names = sorted(d["name"] for _, d in data.graph.nodes(data=True))
    # o0 serves the town; o1 and c1 are its partners; the town commissions and hosts the platform
    assert names == sorted([IMG, SCRIPT, f"{HREF}センター", f"{SCRIPT}プラットフォーム", "阪南市"])
    types = sorted(d["type"] for *_, d in data.graph.edges(data=True))
    assert types == [
        "COMMISSIONS", "COVERS", "LOCATED_IN", "MEMBER_OF", "PARTNERS_WITH", "REFERS_TO",
        "SECRETARIAT_OF",
    ]  # fmt: skip


def test_a_view_over_the_limit_is_refused(store: LadybugStore) -> None:
    data = network_data(store)
    with pytest.raises(TooLargeError, match=r"10 nodes is more than a network view shows \(9\)"):
        render_network(data, limit=9)


def test_network_command_refuses_a_scope_over_the_limit_and_sums_the_country(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(net_result(), tmp_path / "g.lbug")
    monkeypatch.setattr(network_view, "NODE_LIMIT", 9)
    out = tmp_path / "n.html"
    args = ["--store", str(tmp_path / "g.lbug"), "network", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "-p", "27"])
    assert result.exit_code == 5
    assert result.output == (
        "エラー: 大阪府で活動する団体・拠点・事業と、その連携先: 10 ノードはネットワーク図に"
        "描ける数（9）を超えています。--prefecture、--municipality か --around で範囲を"
        "絞ってください\n"
    )
    english = CliRunner().invoke(main, ["--lang", "en", *args, "-p", "27"])
    assert (
        english.output.startswith("error: ")
        and (
            "10 nodes is more than a network view shows (9); choose a smaller scope with "
            "--prefecture, --municipality or --around\n"
        )
        in english.output
    )
    assert not out.exists()
    # the country over the limit: one node per prefecture (and one for "anchored nowhere":
    # o1, o3), ties counted by family across them, the grant left out
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"{out} を書き出し: ノード 2、関係 2\n"
    payload = _payload(out.read_text(encoding="utf-8"), "net-data")
    assert sorted(e["label"] for e in payload["edges"]) == ["1", "2"]
    monkeypatch.setattr(network_view, "NODE_LIMIT", 300)
    result = CliRunner().invoke(main, [*args, "-p", "27"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{out} を書き出し: ノード 10、関係 9\n"


def test_map_has_a_shape_per_town_coloured_by_tier(store: LadybugStore) -> None:
    data = map_data(store, service="consultation")
    html = render_map(data)
    check_offline(html)
    payload = _payload(html, "map-data")
    towns = {tw[1]: tw for tw in payload["towns"]}
    assert sorted(towns) == ["東大阪市", "阪南市"]
    tiers = [word(x, "ja") for x in TIERS]
    assert payload["tiers"] == tiers
    assert payload["colours"] == [tier_colour(x) for x in TIERS]
    consultation, employment = 0, 5
    all_support = 0
    hannan, higashi = towns["阪南市"], towns["東大阪市"]
    assert hannan[4][all_support][consultation] == str(TIERS.index("local"))
    # no provider and no source claiming completeness there: unknown, not none
    assert hannan[4][all_support][employment] == str(TIERS.index("unknown"))
    assert higashi[4][all_support][consultation] == str(TIERS.index("local"))  # centre there
    # per mode, [service, provider ids] of the services with any: consultation and ibasho
    assert [s for s, _ in hannan[5][all_support]] == [consultation, 2]
    names = [payload["providers"][i] for i in hannan[5][all_support][0][1]]
    assert names == [[IMG, 0]]  # the provider with its source (index into sources)
    # the general/specialised toggle: no record of the fixture is specialised, so that
    # question has no provider and no complete source anywhere: unknown
    assert payload["modes"] == ["すべての支援（一般の相談窓口を含む）", "ひきこもり専門の支援だけ"]
    specialised = 1
    assert set(hannan[4][specialised]) == {str(TIERS.index("unknown"))}
    assert hannan[5][specialised] == []
    assert "<input type='radio' name='mode' value='0' checked>" in html
    assert payload["sources"] == [f"試験用の出典 {IMG}"]
    assert payload["services"][payload["first"]] == "相談"
    geo = _payload(html, "map-geo")  # the boundaries of the towns drawn, inlined
    assert sorted(geo["towns"]) == ["272272", "272329"]
    assert geo["towns"]["272329"][0].startswith("M")
    assert len(geo["prefectures"]) == 47
    assert "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成" in html


def test_bundled_boundaries_have_every_municipality_of_the_master() -> None:
    from tsunagari.loaders.master import load_master

    g = geo()
    result = load_master()
    codes = {
        n.key for n in result.nodes if n.label == "Municipality" and n.props.get("kind") != "ward"
    }
    assert len(codes) == 1_741
    assert set(g["towns"]) == codes
    prefectures = {n.key for n in result.nodes if n.label == "Prefecture"}
    assert set(g["prefectures"]) == prefectures
    assert all(re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", v[0]) for v in g["towns"].values())
    for _, x, y, view in g["prefectures"].values():  # label point and view inside the frame
        assert 0 <= x <= g["width"] and 0 <= y <= g["height"]
        assert 0 <= view[0] < view[2] <= g["width"] and 0 <= view[1] < view[3] <= g["height"]


def test_prefecture_map_zooms_to_its_prefecture(store: LadybugStore) -> None:
    html = render_map(map_data(store, prefecture=find_place(store, "27")))
    payload = _payload(html, "map-data")
    assert payload["view"] == geo()["prefectures"]["270008"][3]
    assert list(_payload(html, "map-geo")["prefectures"]) == ["270008"]


def test_map_and_town_network_commands(tmp_path: Path) -> None:
    build_graph(net_result(HOSTILE), tmp_path / "g.lbug")
    store = ["--store", str(tmp_path / "g.lbug")]
    runner = CliRunner()
    out = tmp_path / "m.html"
    result = runner.invoke(main, [*store, "map", "-s", "ibasho", "-p", "大阪府", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{out} を書き出し: 市区町村 2\n"
    payload = _payload(out.read_text(encoding="utf-8"), "map-data")
    assert payload["href"] is None  # no town pages beside a map written alone
    assert payload["services"][payload["first"]] == "居場所"
    out = tmp_path / "t.html"
    result = runner.invoke(
        main, [*store, "--lang", "en", "network", "-m", "阪南市", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 5 nodes, 7 ties\n"
    assert "<h1>Support network: 阪南市</h1>" in out.read_text(encoding="utf-8")
    both = runner.invoke(main, [*store, "--lang", "en", "network", "-m", "阪南市", "-p", "27"])
    assert both.exit_code == 2
    assert "give one of --prefecture, --municipality or --around" in both.output
    unknown = runner.invoke(main, [*store, "--lang", "en", "network", "-p", "鳥取県"])
    assert unknown.exit_code == 5
    assert unknown.output == (
        "error: 鳥取県 (310000) is not in the loaded graph; rebuild with `tsunagari build`\n"
    )


def ego_result() -> LoadResult:
    """net_result with alternate names on the centre (as the directory may give them)."""
    r = net_result()
    for n in r.nodes:
        if n.key == "c1":
            n.props["alternate_names"] = ["いばしょ相談室", "旧・若者サポート"]
    return r


def test_ego_view_by_alternate_name_and_depth(tmp_path: Path) -> None:
    build_graph(ego_result(), tmp_path / "g.lbug")
    with LadybugStore(tmp_path / "g.lbug", read_only=True) as store:
        one = network_data(store, around="いばしょ相談室")  # an alternate name
        two = network_data(store, around="SupportCenter:c1", depth=2)  # the id
        # width- and space-folded: an ideographic space and full-width letters still match
        narrow = network_data(store, around="いばしょ\u3000相談室", types=["OPERATES"])
        with pytest.raises(QueryError, match="'市' names 2 nodes: 東大阪市"):
            network_data(store, around="市")
    # c1: referred to by o0 (つなぎ), operated by o2 (いばしょ); two ties away: o0's partner
    # o1 (ささえ) and its commissioner 阪南市
    assert sorted(one.graph.nodes[v]["name"] for v in one.graph) == [
        "いばしょ", "いばしょセンター", "つなぎ"
    ]  # fmt: skip
    assert one.centre == "SupportCenter:c1" and one.title == "いばしょセンターの周りのつながり"
    assert sorted(two.graph.nodes[v]["name"] for v in two.graph) == [
        "いばしょ", "いばしょセンター", "ささえ", "つなぎ", "阪南市"
    ]  # fmt: skip
    assert sorted(narrow.graph) == ["Organization:o2", "SupportCenter:c1"]


def test_network_command_types_and_around(tmp_path: Path) -> None:
    build_graph(ego_result(), tmp_path / "g.lbug")
    store = ["--store", str(tmp_path / "g.lbug")]
    out = tmp_path / "e.html"
    runner = CliRunner()
    args = [*store, "network", "--around", "旧・若者サポート", "--depth", "2", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"{out} を書き出し: ノード 5、関係 4\n"
    html = out.read_text(encoding="utf-8")
    # one toggle per tie type present, with its count
    assert re.findall(r"class='tie' value='([A-Z_]+)'", html) == [
        "PARTNERS_WITH", "COMMISSIONS", "OPERATES", "REFERS_TO"
    ]  # fmt: skip
    payload = _payload(html, "net-data")
    centre = next(n for n in payload["nodes"] if n["name"] == "いばしょセンター")
    assert payload["order"][0] == centre["id"] and centre["borderWidth"] == 4
    assert "いばしょ相談室" in centre["find"]
    types = ["--types", "REFERS_TO,PARTNERS_WITH"]
    result = runner.invoke(main, [*store, "network", "-p", "27", *types, "-o", str(out)])
    assert result.output == f"{out} を書き出し: ノード 3、関係 2\n"
    bad = runner.invoke(main, [*store, "network", "--types", "LIKES"])
    assert bad.exit_code == 2 and "unknown tie type(s) LIKES" in bad.output


def test_same_input_same_page_and_the_legend_has_the_real_shapes(store: LadybugStore) -> None:
    place = find_place(store, "大阪府")
    first = render_network(network_data(store, prefecture=place))
    assert first == render_network(network_data(store, prefecture=place))  # seeded layout
    payload = _payload(first, "net-data")
    drawn = {n["shape"] for n in payload["nodes"]}
    legend = set(re.findall(r"data-shape='([a-z]+)'", first))
    assert drawn == legend == {"dot", "diamond", "square", "star", "triangle"}
    # the status sits in its own element, apart from the subtitle
    assert re.search(r"<p id='status' class='status'>[^<]*</p></div><p class='note'>", first)
