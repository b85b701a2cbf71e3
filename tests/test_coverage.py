"""Coverage gaps: tiers, the 委託 rule, wards rolled up, estimates and the summary, by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.errors import QueryError
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.coverage import (
    coverage_links,
    coverage_table,
    coverage_top,
    link_groups,
    prefecture_summary,
    rank_rows,
    summarise,
)
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_coverage"}
OSAKA, TOTTORI = "270008", "310000"
HANNAN, MISAKI, TAJIRI, SAKAI, SAKAI_KU, NANBU = (
    "272329",
    "273660",
    "273627",
    "271403",
    "271411",
    "313891",
)


def town(code: str, name: str, pref: str, population: int, kind: str = "town") -> Node:
    props = {"name": name, "kind": kind, "prefecture_code": pref, "population": population}
    return Node("Municipality", code, {**props, **SRC})


def e(type_: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> Edge:
    return Edge(type_, src, dst, {**props, **SRC})


def org(label: str, key: str, name: str, kind: str, services: list[str]) -> Node:
    return Node(label, key, {"name": name, "kind": kind, "services": services, **SRC})


def coverage_result() -> LoadResult:
    """Osaka: 阪南市 52,000, 岬町 15,000, 田尻町 8,000, 堺市 820,000 (ward 堺区 150,000);
    Tottori: 南部町 10,000, with nothing serving it.

    - O1 (consultation, ibasho) is LOCATED_IN 阪南市 and COVERS 岬町 for ibasho (wide_area);
    - C1 (consultation, outreach), commissioned (委託) by 大阪府: prefecture tier everywhere
      in Osaka;
    - O2 (employment_support), LOCATED_IN 阪南市 and commissioned (委託) by 岬町: local in
      both (the 委託 rule adds the commissioning town to the provider's own area);
    - O3 (family_support), only subsidised (補助) by 田尻町: serves nobody;
    - C2 (peer_support) LOCATED_IN the ward 堺区: local for 堺市;
    - P1 (outreach) run by 田尻町 with 岬町 as partner: 田尻町 local (its lead),
      岬町 wide_area (a partner).
    A source claims to list consultation completely everywhere: no consultation is "none";
    no other service has such a claim: nothing there is "unknown".
    """
    r = LoadResult(sources=[SourceInfo("test", "coverage fixture"), SourceInfo("claim", "list")])
    r.nodes += [
        Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}),
        Node("Prefecture", TOTTORI, {"name": "鳥取県", **SRC}),
        town(HANNAN, "阪南市", OSAKA, 52_000, "city"),
        town(MISAKI, "岬町", OSAKA, 15_000),
        town(TAJIRI, "田尻町", OSAKA, 8_000),
        town(SAKAI, "堺市", OSAKA, 820_000, "designated_city"),
        town(SAKAI_KU, "堺区", OSAKA, 150_000, "ward"),
        town(NANBU, "南部町", TOTTORI, 10_000),
        org("Organization", "o1", "NPO一", "npo", ["consultation", "ibasho"]),
        org("Organization", "o2", "就労団体", "npo", ["employment_support"]),
        org("Organization", "o3", "家族会", "family_association", ["family_support"]),
        org("SupportCenter", "c1", "府センター", "regional_center", ["consultation", "outreach"]),
        org("SupportCenter", "c2", "ピア拠点", "peer_support_center", ["peer_support"]),
        Node("Project", "p1", {"name": "広域事業", "services": ["outreach"], **SRC}),
        Node(
            "Completeness",
            "all-consultation",
            {"name": "全国", "services": ["consultation"], "areas": ["all"], **SRC}
            | {"source": "claim"},
        ),
    ]
    for code in (HANNAN, MISAKI, TAJIRI, SAKAI, SAKAI_KU):
        r.edges.append(e("IN_PREFECTURE", ("Municipality", code), ("Prefecture", OSAKA)))
    r.edges += [
        e("IN_PREFECTURE", ("Municipality", NANBU), ("Prefecture", TOTTORI)),
        e("WARD_OF", ("Municipality", SAKAI_KU), ("Municipality", SAKAI)),
        e("LOCATED_IN", ("Organization", "o1"), ("Municipality", HANNAN)),
        e(
            "COVERS",
            ("Organization", "o1"),
            ("Municipality", MISAKI),
            services=["ibasho"],
            scope="wide_area",
        ),
        e("COMMISSIONS", ("Prefecture", OSAKA), ("SupportCenter", "c1"), kind="委託"),
        e("LOCATED_IN", ("Organization", "o2"), ("Municipality", HANNAN)),
        e("COMMISSIONS", ("Municipality", MISAKI), ("Organization", "o2"), kind="委託"),
        e("COMMISSIONS", ("Municipality", TAJIRI), ("Organization", "o3"), kind="補助"),
        e("LOCATED_IN", ("SupportCenter", "c2"), ("Municipality", SAKAI_KU)),
        e("RUNS", ("Municipality", TAJIRI), ("Project", "p1")),
        e("PARTNERS_IN", ("Municipality", MISAKI), ("Project", "p1"), role="連携"),
    ]
    return r


def pick(rows: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in keys) for r in rows]


def test_consultation_tiers_ranked_worst_first(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    store = store_of(coverage_result())
    rows = coverage_table(store, service="consultation")
    # none first (南部町), then prefecture tier by population (堺市 > 岬町 > 田尻町), then local;
    # the ward 堺区 is not a row of its own. Estimate = population × 0.02.
    assert pick(rows, "rank", "municipality", "tier", "providers", "via", "estimated") == [
        (1, "南部町", "none", [], [], 200),
        (2, "堺市", "prefecture", ["府センター"], ["commissioned"], 16_400),
        (3, "岬町", "prefecture", ["府センター"], ["commissioned"], 300),
        (4, "田尻町", "prefecture", ["府センター"], ["commissioned"], 160),
        (5, "阪南市", "local", ["NPO一"], ["located_in"], 1_040),
    ]


def test_every_way_of_reaching_a_town(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(coverage_result())
    rows = {(r["municipality"], r["service"]): r for r in coverage_table(store)}
    assert len(rows) == 5 * 9  # five municipalities (no ward) × nine services
    got = {
        k: (r["tier"], r["providers"], r["via"], r["n_providers"])
        for k, r in rows.items()
        if r["tier"] not in ("none", "unknown")
    }
    assert got == {
        ("阪南市", "consultation"): ("local", ["NPO一"], ["located_in"], 1),
        ("阪南市", "ibasho"): ("local", ["NPO一"], ["located_in"], 1),
        ("阪南市", "employment_support"): ("local", ["就労団体"], ["located_in"], 1),
        ("阪南市", "outreach"): ("prefecture", ["府センター"], ["commissioned"], 1),
        # 岬町: its own commission of O2 (委託 rule), O1's wide-area COVERS, P1 as partner
        ("岬町", "employment_support"): ("local", ["就労団体"], ["commissioned"], 1),
        ("岬町", "ibasho"): ("wide_area", ["NPO一"], ["covers"], 1),
        ("岬町", "outreach"): ("wide_area", ["広域事業"], ["partners_in"], 1),
        ("岬町", "consultation"): ("prefecture", ["府センター"], ["commissioned"], 1),
        # 田尻町 leads a project with a partner: local (it runs it for its own residents);
        # its 補助 of O3 gives nothing
        ("田尻町", "outreach"): ("local", ["広域事業"], ["runs"], 1),
        ("田尻町", "consultation"): ("prefecture", ["府センター"], ["commissioned"], 1),
        # 堺市 gets its ward's peer support centre
        ("堺市", "peer_support"): ("local", ["ピア拠点"], ["located_in"], 1),
        ("堺市", "consultation"): ("prefecture", ["府センター"], ["commissioned"], 1),
        ("堺市", "outreach"): ("prefecture", ["府センター"], ["commissioned"], 1),
    }
    # no source lists family support completely: unknown, not none
    assert rows[("田尻町", "family_support")]["tier"] == "unknown"
    assert {r["tier"] for r in rows.values() if r["service"] == "consultation"} == {
        "local",
        "prefecture",
        "none",  # 南部町: the claim lists consultation completely and names no provider
    }


def test_tier_filter_prefecture_filter_and_prevalence(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    store = store_of(coverage_result())
    rows = coverage_table(store, service="family_support", tier="unknown", prevalence=0.015)
    # everyone lacks family support; by population: 820,000 > 52,000 > 15,000 > 10,000 > 8,000
    assert pick(rows, "rank", "municipality", "estimated") == [
        (1, "堺市", 12_300),
        (2, "阪南市", 780),
        (3, "岬町", 225),
        (4, "南部町", 150),
        (5, "田尻町", 120),
    ]
    tottori = coverage_table(store, service="ibasho", prefecture=TOTTORI)
    assert pick(tottori, "municipality", "tier", "population") == [("南部町", "unknown", 10_000)]
    with pytest.raises(QueryError, match=r"unknown service 'ibash'; did you mean ibasho\?"):
        coverage_table(store, service="ibash")
    with pytest.raises(QueryError, match="unknown tier 'half'"):
        coverage_table(store, tier="half")


def test_prefecture_summary_shares(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(coverage_result())
    rows = prefecture_summary(store, service="consultation")
    # Osaka: 52,000 + 15,000 + 8,000 + 820,000 = 895,000; local 52,000 / 895,000 = 0.0581,
    # prefecture 843,000 / 895,000 = 0.9419. Tottori: 10,000, all none; 10,000 × 0.02 = 200.
    assert rows == [
        {
            "prefecture_code": OSAKA,
            "prefecture": "大阪府",
            "service": "consultation",
            "question": "any",
            "municipalities": 4,
            "population": 895_000,
            "local_share": 0.0581,
            "wide_area_share": 0.0,
            "prefecture_share": 0.9419,
            "unknown_share": 0.0,
            "none_share": 0.0,
            "unserved": 0,
            "unserved_population": 0,
            "unserved_estimated": 0,
            "unknown": 0,
            "unknown_population": 0,
        },
        {
            "prefecture_code": TOTTORI,
            "prefecture": "鳥取県",
            "service": "consultation",
            "question": "any",
            "municipalities": 1,
            "population": 10_000,
            "local_share": 0.0,
            "wide_area_share": 0.0,
            "prefecture_share": 0.0,
            "unknown_share": 0.0,
            "none_share": 1.0,
            "unserved": 1,
            "unserved_population": 10_000,
            "unserved_estimated": 200,
            "unknown": 0,
            "unknown_population": 0,
        },
    ]


@pytest.fixture
def built(tmp_path: Path) -> str:
    path = tmp_path / "g.lbug"
    build_graph(coverage_result(), path)
    return str(path)


def test_gaps_cli_table_csv_json(built: str) -> None:
    runner = CliRunner(env={"COLUMNS": "120"})
    args = ["--store", built, "gaps", "--service", "consultation", "--top", "2"]
    table = runner.invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "順位" in table.output and "推計ひきこもり" in table.output
    assert "南部町" in table.output and "なし" in table.output and "阪南市" not in table.output
    assert "test: coverage fixture" in table.output
    assert "「データなし」は、そう述べる出典がなく分からないこと" in table.output
    assert "推計 = 人口 × 2.0%" in table.output

    out = runner.invoke(main, [*args, "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = list(csv.reader(io.StringIO(out.stdout)))
    assert lines[0] == [
        "rank",
        "code",
        "municipality",
        "prefecture",
        "service",
        "question",
        "tier",
        "providers",
        "n_providers",
        "via",
        "review_required",
        "population",
        "estimated",
    ]
    assert lines[1:] == [
        [
            "1", NANBU, "南部町", "鳥取県", "consultation", "any", "none", "", "0", "", "False",
            "10000", "200",
        ],
        [
            "2", SAKAI, "堺市", "大阪府", "consultation", "any", "prefecture", "府センター", "1",
            "commissioned", "False", "820000", "16400",
        ],
    ]  # fmt: skip
    assert '"none": a loaded source claims' not in out.stdout  # notes go to stderr
    assert "「データなし」は" in out.stderr

    js = runner.invoke(
        main, ["--store", built, "--lang", "en", "gaps", "--per-prefecture", "--format", "json"]
    )
    assert js.exit_code == 0, js.output
    data = json.loads(js.stdout)
    assert [(d["prefecture"], d["service"], d["none_share"]) for d in data][:2] == [
        ("大阪府", "consultation", 0.0),
        ("大阪府", "outreach", 0.0),
    ]
    assert '"none": a loaded source claims' in js.stderr
    summary = runner.invoke(main, ["--store", built, "gaps", "--summary", "--format", "json"])
    first = json.loads(summary.stdout)[:2]
    # consultation, any: 阪南市 local; 岬町, 田尻町, 堺市 prefecture; 南部町 none (the claim);
    # specialised: no record of this hand-built fixture says specialised (the rule runs at
    # load), and the claim covers general support only → unknown everywhere
    assert [
        (d["question"], d["local"], d["prefecture_tier"], d["unknown"], d["none"]) for d in first
    ] == [("any", 1, 3, 0, 1), ("specialised", 0, 0, 5, 0)]

    en = runner.invoke(main, ["--store", built, "--lang", "en", *args[2:]])
    assert en.exit_code == 0, en.output
    assert "Coverage gaps (worst first) — 2 of 5 rows" in en.output
    assert re.search(r"南部町\s+鳥取県\s+consultation\s+none\s", en.output), en.output


def test_gaps_cli_unknown_prefecture(built: str) -> None:
    result = CliRunner().invoke(main, ["--store", built, "gaps", "--prefecture", "北海道"])
    assert result.exit_code != 0
    assert "北海道（010006）は読み込んだグラフにありません" in result.output


def test_a_provider_counts_once_however_often_it_reaches_a_town(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    """Two ways, a ward and its city, and one id under two labels: 堺市 peer support."""
    r = LoadResult(sources=[SourceInfo("test", "coverage fixture")])
    r.nodes += [
        Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}),
        town(SAKAI, "堺市", OSAKA, 820_000, "designated_city"),
        town(SAKAI_KU, "堺区", OSAKA, 150_000, "ward"),
        org("SupportCenter", "x", "ピア拠点", "peer_support_center", ["peer_support"]),
        org("Organization", "x", "ピアの会", "npo", ["peer_support"]),
        Node(
            "Organization",
            "r",
            {"name": "確認中の会", "kind": "npo", "services": ["peer_support"]}
            | {"status": "review_required", **SRC},
        ),
    ]
    r.edges += [
        e("IN_PREFECTURE", ("Municipality", SAKAI), ("Prefecture", OSAKA)),
        e("IN_PREFECTURE", ("Municipality", SAKAI_KU), ("Prefecture", OSAKA)),
        e("WARD_OF", ("Municipality", SAKAI_KU), ("Municipality", SAKAI)),
        # the centre: in the ward, commissioned by the city, and covering the city
        e("LOCATED_IN", ("SupportCenter", "x"), ("Municipality", SAKAI_KU)),
        e("COMMISSIONS", ("Municipality", SAKAI), ("SupportCenter", "x"), kind="委託"),
        e("COVERS", ("SupportCenter", "x"), ("Municipality", SAKAI), scope="local"),
        e("COVERS", ("Organization", "x"), ("Municipality", SAKAI_KU), scope="local"),
        e("COVERS", ("Organization", "r"), ("Municipality", SAKAI), scope="local"),
    ]
    store = store_of(r)
    (row,) = coverage_table(store, service="peer_support")
    assert pick([row], "municipality", "tier", "providers", "n_providers", "via") == [
        (
            "堺市",
            "local",
            ["ピアの会", "ピア拠点", "確認中の会（要確認）"],
            3,
            ["commissioned", "covers", "located_in"],
        )
    ]
    assert row["review_required"] is True
    links = coverage_links(store, service="peer_support")
    assert len(links) == len(set(links)) == 5


PROVIDER_COLUMNS = ("providers", "n_providers", "via", "review_required", "stated_only")


def check_tiers_alone_and_top(store: GraphStore, **options: Any) -> int:
    """coverage_tiers.cypher finds the tiers coverage_links.cypher finds (every row the same
    but for the provider columns, left empty), and coverage_top is the head of coverage_table
    with the providers read for the rows it returns only. Returns how many rows have providers."""
    full = coverage_table(store, **options)
    alone = coverage_table(store, providers=False, **options)
    assert len(alone) == len(full) > 0
    for a, f in zip(alone, full, strict=True):
        assert {k: v for k, v in a.items() if k not in PROVIDER_COLUMNS} == {
            k: v for k, v in f.items() if k not in PROVIDER_COLUMNS
        }
        assert (a["providers"], a["n_providers"], a["via"]) == ([], 0, [])
    for top in (1, 7, len(full) // 2, len(full) + 5):
        assert coverage_top(store, top=top, **options) == (full[:top], len(full))
    assert coverage_top(store, top=0, **options) == (full, len(full))
    served = [r for r in full if r["providers"]]
    everywhere = link_groups(store, **_link_options(options))
    some = sorted({g["code"] for g in everywhere})[::3]
    assert _sorted(link_groups(store, codes=some, **_link_options(options))) == _sorted(
        [g for g in everywhere if g["code"] in some]
    )
    for tier in {r["tier"] for r in served}:
        at_tier = [r for r in full if r["tier"] == tier]
        rows, total = coverage_top(store, top=3, tier=tier, **options)
        assert total == len(at_tier)
        assert rows == rank_rows([dict(r) for r in at_tier])[:3]
    return len(served)


def _link_options(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if k in ("prefecture", "service", "specialised")}


def _sorted(groups: list[dict[str, Any]]) -> list[str]:
    """Groups comparable whatever order the engine collected their providers in."""
    out = []
    for g in groups:
        kept = {k: v for k, v in g.items() if k not in ("labels", "ids", "names")}
        kept["providers"] = sorted(zip(g["labels"], g["ids"], g["names"], strict=True))
        out.append(json.dumps(kept, ensure_ascii=False, sort_keys=True))
    return sorted(out)


def test_tiers_alone_and_the_top_rows_agree_with_the_table(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    store = store_of(coverage_result())
    assert check_tiers_alone_and_top(store) > 0
    check_tiers_alone_and_top(store, specialised=True)
    check_tiers_alone_and_top(store, prefecture=OSAKA, service="outreach")
    assert summarise(coverage_table(store, providers=False)) == summarise(coverage_table(store))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"specialised": True},
        {"service": "ibasho", "since": "2021"},
        {"prefecture": "270008", "service": "consultation"},
    ],
)
def test_tiers_alone_and_the_top_rows_on_the_bundled_data(
    bundled_store: Path, options: dict[str, Any]
) -> None:
    from tsunagari.graph.ladybug_store import LadybugStore

    with LadybugStore(bundled_store) as store:
        assert check_tiers_alone_and_top(store, **options) > 0
