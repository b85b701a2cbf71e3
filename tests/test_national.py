"""The coverage model's second wave: none vs unknown, general vs specialised, stated vs named,
the national layer's tiers; each rule on a hand-worked fixture, then on the bundled data."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.graph.store import GraphStore
from tsunagari.loaders.master import data_path, master_rows
from tsunagari.loaders.national import load_national_windows, stated_centres
from tsunagari.loaders.specialised import is_specialised, mark_specialised
from tsunagari.queries.coverage import coverage_table, service_summary
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_national"}
KOCHI, KOCHI_CITY, INO, TOSA = (
    "390003",
    "392014",
    "393860",
    "393631",
)  # 高知県, 高知市, いの町, 土佐町


def town(code: str, name: str, population: int) -> Node:
    props = {"name": name, "kind": "town", "prefecture_code": KOCHI, "population": population}
    return Node("Municipality", code, {**props, **SRC})


def centre(key: str, name: str, kind: str, **props: Any) -> Node:
    return Node(
        "SupportCenter",
        key,
        {"name": name, "kind": kind, "services": ["consultation"], **props, **SRC},
    )


def covers(key: str, code: str, scope: str, source: str = "test") -> Edge:
    props = {"services": ["consultation"], "scope": scope, "source": source, "locator": "t"}
    return Edge("COVERS", ("SupportCenter", key), ("Municipality", code), props)


def kochi(*, complete: bool) -> LoadResult:
    """高知県 with 高知市 (300,000), いの町 (20,000), 土佐町 (4,000).

    - w1, a general 自立相談支援 window, serves 高知市 alone (local);
    - w2, one prefecture-run window, serves いの町 and 土佐町 (prefecture tier): one node;
    - h1, a ひきこもり centre (specialised) in 高知市 (LOCATED_IN), no COVERS.
    With `complete`, the windows' source claims to list general consultation in every
    municipality; it says nothing about outreach.

    By hand — any consultation: 高知市 local (w1, h1), いの町 and 土佐町 prefecture (w2);
    specialised consultation: 高知市 local (h1); いの町, 土佐町 unknown (the claim covers
    general support only, so never none); outreach: unknown everywhere (no claim).
    """
    r = LoadResult(sources=[SourceInfo("test", "fixture"), SourceInfo("layer", "windows")])
    r.nodes += [
        Node("Prefecture", KOCHI, {"name": "高知県", **SRC}),
        town(KOCHI_CITY, "高知市", 300_000),
        town(INO, "いの町", 20_000),
        town(TOSA, "土佐町", 4_000),
        centre("w1", "高知市生活支援相談センター", "consultation_window", specialised=False),
        centre("w2", "高知県中央東福祉保健所", "consultation_window", specialised=False),
        centre("h1", "高知市ひきこもり相談窓口", "consultation_window", specialised=True),
    ]
    for n in r.nodes:
        if n.key in ("w1", "w2"):
            n.props["source"] = "layer"
    for code in (KOCHI_CITY, INO, TOSA):
        r.edges.append(Edge("IN_PREFECTURE", ("Municipality", code), ("Prefecture", KOCHI), SRC))
    r.edges += [
        covers("w1", KOCHI_CITY, "local", "layer"),
        covers("w2", INO, "prefecture", "layer"),
        covers("w2", TOSA, "prefecture", "layer"),
        Edge("LOCATED_IN", ("SupportCenter", "h1"), ("Municipality", KOCHI_CITY), SRC),
        # the prefecture-run window sits in 高知市; its address is not its area
        Edge("LOCATED_IN", ("SupportCenter", "w2"), ("Municipality", KOCHI_CITY), SRC),
    ]
    if complete:
        claim = {"services": ["consultation"], "areas": ["all"], "covers_specialised": False}
        r.nodes.append(Node("Completeness", "c1", {"name": "all", **claim, **SRC}))
        r.nodes[-1].props["source"] = "layer"
    return r


def tiers(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {r["municipality"]: r["tier"] for r in rows}


def test_unknown_without_a_complete_source_none_with_one(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    partial = store_of(kochi(complete=False))
    complete = store_of(kochi(complete=True))
    assert tiers(coverage_table(partial, service="outreach")) == {
        "高知市": "unknown",
        "いの町": "unknown",
        "土佐町": "unknown",
    }
    # a claim for consultation says nothing about outreach: still unknown
    assert set(tiers(coverage_table(complete, service="outreach")).values()) == {"unknown"}
    assert tiers(coverage_table(complete, service="consultation")) == {
        "高知市": "local",
        "いの町": "prefecture",
        "土佐町": "prefecture",
    }


def test_none_where_the_complete_source_names_no_provider(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    result = kochi(complete=True)
    result.edges = [e for e in result.edges if not (e.type == "COVERS" and e.dst[1] == TOSA)]
    rows = coverage_table(store_of(result), service="consultation")
    assert tiers(rows) == {"高知市": "local", "いの町": "prefecture", "土佐町": "none"}
    assert rows[0]["municipality"] == "土佐町"  # none ranks first
    result = kochi(complete=False)
    result.edges = [e for e in result.edges if not (e.type == "COVERS" and e.dst[1] == TOSA)]
    assert tiers(coverage_table(store_of(result), service="consultation"))["土佐町"] == "unknown"


def test_specialised_question_counts_only_specialised_providers(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    store = store_of(kochi(complete=True))
    rows = coverage_table(store, service="consultation", specialised=True)
    assert tiers(rows) == {"高知市": "local", "いの町": "unknown", "土佐町": "unknown"}
    assert {r["question"] for r in rows} == {"specialised"}
    assert [r["providers"] for r in rows if r["municipality"] == "高知市"] == [
        ["高知市ひきこもり相談窓口"]
    ]


def test_address_of_a_complete_source_is_not_its_area(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    """w2 sits in 高知市 but its (complete) source says it serves いの町 and 土佐町 only."""
    rows = coverage_table(store_of(kochi(complete=True)), service="consultation")
    city = next(r for r in rows if r["municipality"] == "高知市")
    assert city["providers"] == ["高知市ひきこもり相談窓口", "高知市生活支援相談センター"]


def test_summary_counts_municipalities_and_people_per_tier_for_both_questions(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    rows = service_summary(store_of(kochi(complete=True)), service="consultation")
    assert [
        (r["question"], r["local"], r["prefecture_tier"], r["unknown"], r["none"]) for r in rows
    ] == [
        ("any", 1, 2, 0, 0),
        ("specialised", 1, 0, 2, 0),
    ]
    assert rows[1]["unknown_population"] == 24_000 and rows[0]["local_population"] == 300_000


def test_since_leaves_out_older_facts_and_their_claims(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    result = kochi(complete=True)
    for x in [*result.nodes, *result.edges]:
        x.props["as_of"] = "2019" if x.props.get("source") == "layer" else "2024"
    store = store_of(result)
    assert tiers(coverage_table(store, service="consultation", since="2020")) == {
        "高知市": "local",  # h1 (2024) still counts
        "いの町": "unknown",  # the 2019 window and the 2019 claim are both left out
        "土佐町": "unknown",
    }


def test_specialised_rule() -> None:
    assert is_specialised({"kind": "regional_center", "name": "こころの健康センター"})
    assert is_specialised({"kind": "npo", "name": "NPO法人ひきこもり支援ネット"})
    assert is_specialised(
        {"kind": "ibasho", "name": "居場所", "alternate_names": ["引きこもりカフェ"]}
    )
    assert not is_specialised({"kind": "consultation_window", "name": "生活自立相談センター"})
    r = LoadResult(
        nodes=[Node("Organization", "o", {"name": "ひきこもり家族会", "specialised": False})]
    )
    mark_specialised(r)
    assert r.nodes[0].props["specialised"] is False  # a stated value wins over the rule


def _regional(key: str, name: str) -> Node:
    return Node("SupportCenter", key, {"name": name, "kind": "regional_center", **SRC})


def test_stated_centres_only_where_no_centre_is_named() -> None:
    rows = master_rows()
    tottori = [r["code"] for r in rows if r["pref_code"] == "31" and r["kind"] != "prefecture"]
    named = LoadResult(
        nodes=[
            _regional("t", "とっとりひきこもり生活支援センター"),
            _regional("k", "北九州市ひきこもり地域支援センター"),
        ],
        edges=[
            Edge(
                "COVERS",
                ("SupportCenter", "t"),
                ("Municipality", c),
                {"scope": "prefecture", **SRC},
            )
            for c in tottori
        ],
    )
    out = stated_centres(named)
    ids = {n.key for n in out.nodes}
    assert len(ids) == 67 - 2  # 鳥取県 (covered at the prefecture tier) and 北九州市 (by name)
    assert "stated-hikikomori-center-310000" not in ids
    assert "stated-hikikomori-center-401005" not in ids
    osaka = next(n for n in out.nodes if n.key == "stated-hikikomori-center-270008")
    assert osaka.props["stated"] is True and osaka.props["specialised"] is True
    assert "名称未読込" in osaka.props["name"]
    osaka_towns = {e.dst[1] for e in out.edges if e.src[1] == osaka.key}
    assert len(osaka_towns) == 43 and {
        e.props["scope"] for e in out.edges if e.src[1] == osaka.key
    } == {"prefecture"}
    sakai = [e for e in out.edges if e.src[1] == "stated-hikikomori-center-271403"]
    assert [(e.dst[1], e.props["scope"]) for e in sakai] == [("271403", "local")]
    # one office of several named: the stated centre still stands for the rest
    part = LoadResult(nodes=named.nodes, edges=named.edges[:3])
    assert "stated-hikikomori-center-310000" in {n.key for n in stated_centres(part).nodes}


def _derive() -> Any:
    path = Path(__file__).resolve().parent.parent / "scripts" / "derive_national.py"
    spec = importlib.util.spec_from_file_location("derive_national", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["derive_national"] = module
    spec.loader.exec_module(module)
    return module


def test_tier_rules_of_the_national_layer() -> None:
    d = _derive()
    by_code = {r["code"]: r for r in master_rows()}
    miho, ami, tsuchiura = "084425", "084433", "082031"  # 美浦村, 阿見町, 土浦市 (茨城県)
    office = "県南福祉事務所 地域福祉室 生活自立相談窓口 県南県民センター県民福祉課"
    assert d.is_prefectural(office, "茨城県")
    tier = d.tier_of(by_code[miho], office, True, [miho, ami], by_code)
    assert tier[0] == "prefecture"
    # a window for several 町村 only, with no prefectural word: still the prefecture's
    assert (
        d.tier_of(by_code[miho], "東地域自立相談窓口", False, [miho, ami], by_code)[0]
        == "prefecture"
    )
    # the window names the town: it runs it
    own = "阿見町社会福祉協議会 生活相談窓口"
    assert d.tier_of(by_code[ami], own, False, [ami], by_code)[0] == "local"
    # a city's own window, and one shared by a city and a town
    assert (
        d.tier_of(by_code[tsuchiura], "生活支援相談室", False, [tsuchiura], by_code)[0] == "local"
    )
    shared = d.tier_of(
        by_code[ami], "くらしとしごとの相談センター", False, [tsuchiura, ami], by_code
    )
    assert shared[0] == "wide_area"
    assert d.operator_of("（社福）大阪府社会福祉協議会") == (
        "大阪府社会福祉協議会",
        "social_welfare_council",
    )
    assert d.operator_of("生活自立相談窓口") is None


# -- the bundled data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    from tsunagari.config import Config
    from tsunagari.pipeline import build

    path = tmp_path_factory.mktemp("national") / "g.lbug"
    build(Config(store=str(path)))
    store = LadybugStore(path, read_only=True)
    yield store
    store.close()


def test_bundled_consultation_none_at_most_one_percent(bundled: GraphStore) -> None:
    rows = service_summary(bundled, service="consultation")
    anyq, spec = rows
    assert anyq["municipalities"] == 1741
    assert anyq["none"] + anyq["unknown"] <= 17  # ≤ 1% of 1,741
    assert anyq["local"] + anyq["wide_area"] + anyq["prefecture_tier"] >= 1741 - 17
    # every prefecture and designated city has a centre: specialised consultation everywhere
    assert spec["none"] == 0 and spec["unknown"] == 0


def test_bundled_windows_carry_their_official_page_and_status(bundled: GraphStore) -> None:
    rows = bundled.run(
        "MATCH (c:SupportCenter) WHERE c.source = 'kurashi-navi-2026' "
        "RETURN c.url AS url, c.url_publisher AS publisher, c.url_checked AS checked, "
        "c.status AS status, c.verification AS v, c.as_of AS as_of"
    )
    assert len(rows) == 1256
    assert all(r["url"].startswith("http") and r["publisher"] and r["checked"] for r in rows)
    assert all(r["as_of"] == r["checked"] for r in rows)
    assert Counter(r["status"] for r in rows) == {"published": 1194, "review_required": 62}
    assert {r["v"] for r in rows} <= {"human_verified", "primary_source_import"}


def test_bundled_shared_window_is_one_node(bundled: GraphStore) -> None:
    rows = bundled.run(
        "MATCH (c:SupportCenter)-[v:COVERS]->(m:Municipality) "
        "WHERE c.name = '群馬県社会福祉協議会 地域福祉課' "
        "RETURN c.id AS id, count(m) AS n, collect(DISTINCT v.scope) AS scopes"
    )
    assert len(rows) == 1 and rows[0]["n"] == 23 and rows[0]["scopes"] == ["prefecture"]
    op = bundled.run(
        "MATCH (o:Organization)-[:OPERATES]->(c:SupportCenter {id: $id}) RETURN o.name AS n",
        {"id": rows[0]["id"]},
    )
    assert op == [{"n": "群馬県社会福祉協議会"}]


def test_bundled_prefecture_run_window_is_prefecture_tier_for_its_towns(
    bundled: GraphStore,
) -> None:
    rows = coverage_table(bundled, service="consultation", prefecture="080004")
    miho = next(r for r in rows if r["municipality"] == "美浦村")
    assert miho["tier"] == "prefecture"
    assert miho["providers"] == [  # the prefecture's stated centre reaches it at that tier too
        "県南福祉事務所 地域福祉室 生活自立相談窓口",
        "茨城県のひきこもり地域支援センター（設置は厚生労働省の公表による・名称未読込）",
    ]
    tsuchiura = next(r for r in rows if r["municipality"] == "土浦市")
    assert tsuchiura["tier"] == "local"
    assert "県南福祉事務所 地域福祉室 生活自立相談窓口" not in tsuchiura["providers"]


def test_bundled_stated_centres_never_rank_in_resilience(bundled: GraphStore) -> None:
    from tsunagari.queries.resilience import resilience_table

    rows = resilience_table(bundled)
    assert not [r for r in rows if "名称未読込" in (r["name"] or "")]
    assert not [
        r
        for r in rows
        if str(r["node"]).startswith(("SupportCenter:nat-", "SupportCenter:stated-"))
    ]


def test_bundled_attribution_in_stats_and_readme(bundled: GraphStore, tmp_path: Path) -> None:
    from tsunagari.graph.stats import stats_rows

    text = "\n".join(str(r["detail"]) for r in stats_rows(bundled))
    assert "くらし支援ナビ（運営: JUNKBRANDING）" in text and "CC BY 4.0" in text
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "くらし支援ナビ（運営: JUNKBRANDING）" in readme
    data_readme = (data_path("national") / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data_readme and "Modified by tsunagari" in data_readme


def test_bundled_windows_file_matches_its_readme() -> None:
    with (data_path("national") / "windows.csv").open(encoding="utf-8") as f:
        windows = list(csv.DictReader(f))
    with (data_path("national") / "window_areas.csv").open(encoding="utf-8") as f:
        areas = list(csv.DictReader(f))
    assert len(windows) == 1256 and len(areas) == 1867
    assert len({a["code"] for a in areas}) == 1741
    assert Counter(a["tier"] for a in areas) == {"local": 1116, "prefecture": 714, "wide_area": 37}
    assert load_national_windows().problems == []


def test_user_completeness_sheet_turns_unknown_into_none(tmp_path: Path) -> None:
    """A secretariat declares its sheets list every ibasho in 阪南市: no ibasho there is none."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "completeness.csv").write_text(
        "place,services,specialised,as_of\n阪南市,居場所;ピアサポート,はい,2026-04\n",
        encoding="utf-8",
    )
    store = tmp_path / "g.lbug"
    runner = CliRunner()
    res = runner.invoke(main, ["--store", str(store), "build", "--with", str(folder)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        main, ["--store", str(store), "gaps", "--service", "peer_support", "--prefecture", "大阪府",
               "--format", "csv", "--top", "0"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = {row["municipality"]: row["tier"] for row in csv.DictReader(res.stdout.splitlines())}
    assert lines["阪南市"] == "none" and lines["岬町"] == "unknown"
    bad = folder / "completeness.csv"
    bad.write_text("place,services\n,居場所\n", encoding="utf-8")
    res = runner.invoke(main, ["check", str(folder)])
    assert res.exit_code != 0 and "completeness.csv:2" in res.output and "place" in res.output
