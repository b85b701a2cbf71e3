"""A town's resources: providers with who runs and commissions them, platforms, referral paths."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.errors import QueryError
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.places import find_place
from tsunagari.queries.resources import town_resources
from tsunagari.records import Edge, LoadResult, Node, SourceInfo
from tsunagari.viz.html import check_offline
from tsunagari.viz.town import TownPage, render_town

SRC = {"source": "test", "locator": "test_resources"}
OSAKA, HANNAN = "270008", "272329"


def e(type_: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> Edge:
    return Edge(type_, src, dst, {**props, **SRC})


def actor(label: str, key: str, name: str, kind: str, services: list[str]) -> Node:
    return Node(label, key, {"name": name, "kind": kind, "services": services, **SRC})


def resources_result() -> LoadResult:
    """阪南市: a consultation window W (operated by the council X, which the city
    commissions, 委託, for family support); the platform PF (city secretariat, X and N members)
    covering the city for awareness; referrals W → H (ハローワーク) and W → N → S (サポステ)."""
    r = LoadResult(sources=[SourceInfo("test", "resources fixture")])
    r.nodes += [
        Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}),
        Node(
            "Municipality",
            HANNAN,
            {
                "name": "阪南市",
                "kind": "city",
                "prefecture_code": OSAKA,
                "population": 52_000,
                **SRC,
            },
        ),
        actor("SupportCenter", "w", "相談窓口", "consultation_window", ["consultation"]),
        Node(
            "Organization",
            "x",
            {
                "name": "社協",
                "kind": "social_welfare_council",
                "services": ["family_support"],
                "alternate_names": ["阪南市社会福祉協議会", "はんなん社協"],
                "delivery_modes": ["phone", "home_visit"],
                **SRC,
            },
        ),
        actor("Organization", "n", "居場所NPO", "npo", ["ibasho"]),
        actor("Organization", "s", "サポステ", "saposute", ["employment_support"]),
        actor("Organization", "h", "ハローワーク", "hello_work", []),
        Node(
            "Platform",
            "pf",
            {"name": "阪南PF", "level": "municipal", "alternate_names": ["ワンタッチ"], **SRC},
        ),
    ]
    r.edges += [
        e("IN_PREFECTURE", ("Municipality", HANNAN), ("Prefecture", OSAKA)),
        e("LOCATED_IN", ("SupportCenter", "w"), ("Municipality", HANNAN)),
        e("OPERATES", ("Organization", "x"), ("SupportCenter", "w")),
        e("COMMISSIONS", ("Municipality", HANNAN), ("Organization", "x"), kind="委託"),
        e(
            "COVERS",
            ("Platform", "pf"),
            ("Municipality", HANNAN),
            services=["awareness"],
            scope="local",
        ),
        e("SECRETARIAT_OF", ("Municipality", HANNAN), ("Platform", "pf")),
        e("MEMBER_OF", ("Organization", "x"), ("Platform", "pf"), role="構成員"),
        e("MEMBER_OF", ("Organization", "n"), ("Platform", "pf")),
        e("REFERS_TO", ("SupportCenter", "w"), ("Organization", "h")),
        e("REFERS_TO", ("SupportCenter", "w"), ("Organization", "n")),
        e("REFERS_TO", ("Organization", "n"), ("Organization", "s")),
    ]
    return r


def test_town_resources_by_hand(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(resources_result())
    res = town_resources(store, find_place(store, "阪南市"))
    assert res.town == {
        "code": HANNAN,
        "name": "阪南市",
        "kind": "city",
        "prefecture": "大阪府",
        "prefecture_code": OSAKA,
        "population": 52_000,
        "city": None,
    }
    # services in vocabulary order: consultation (W, located), family_support (X, by the
    # city's 委託), awareness (the platform's COVERS)
    assert [
        (p["service"], p["tier"], p["provider"], p["via"], p["operated_by"], p["commissioned_by"])
        for p in res.providers
    ] == [
        ("consultation", "local", "相談窓口", "located_in", ["社協"], []),
        ("family_support", "local", "社協", "commissioned", [], ["阪南市（委託）"]),
        ("awareness", "local", "阪南PF", "covers", [], []),
    ]
    assert [p["alternate_names"] for p in res.providers] == [
        [],
        ["阪南市社会福祉協議会", "はんなん社協"],
        ["ワンタッチ"],
    ]
    # how people reach each provider, where the data says (a platform carries none)
    assert [p["delivery_modes"] for p in res.providers] == [[], ["phone", "home_visit"], []]
    assert res.platforms == [
        {
            "platform": "阪南PF",
            "level": "municipal",
            "relation": ["area", "secretariat"],
            "id": "pf",
            "secretariat": ["阪南市"],
            "members": ["居場所NPO", "社協（構成員）"],
            "alternate_names": ["ワンタッチ"],
        }
    ]
    # from the window: one step to the ハローワーク (employment by kind), two via the NPO
    assert [(p["steps"], p["path"]) for p in res.referral_paths] == [
        (1, ["相談窓口", "ハローワーク"]),
        (2, ["相談窓口", "居場所NPO", "サポステ"]),
    ]


def test_resources_refuses_a_prefecture(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(resources_result())
    with pytest.raises(QueryError, match=r"大阪府 \(270008\) is not a municipality"):
        find_place(store, "大阪府", want="Municipality")


def test_resources_cli_formats(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(resources_result(), path)
    runner = CliRunner()
    table = runner.invoke(main, ["--store", str(path), "resources", "阪南市"])
    assert table.exit_code == 0, table.output
    for text in (
        "大阪府 阪南市: 提供者",
        "プラットフォーム",
        "相談から就労支援へのつなぎ",
        "社協",
        "利用方法",
        "電話",
    ):
        assert text in table.output
    out = runner.invoke(main, ["--store", str(path), "resources", HANNAN, "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == (
        "service,tier,provider,alternate_names,specialised,label,via,area,delivery_modes,"
        "operated_by,"
        "commissioned_by,run_by,partners,funded_by,status,address,phone,hours,url,url_publisher,"
        "url_checked,source,locator,as_of,id"
    )
    assert out.stdout.splitlines()[2].startswith(
        "family_support,local,社協,阪南市社会福祉協議会;はんなん社協,False,Organization,"
        "commissioned,阪南市,phone;home_visit,,阪南市（委託）,,,,,"
    )
    assert out.stdout.splitlines()[2].endswith(",x")
    js = runner.invoke(
        main,
        ["--store", str(path), "resources", "阪南市", "--section", "paths", "--format", "json"],
    )
    assert js.exit_code == 0, js.output
    assert json.loads(js.stdout) == [
        {
            "steps": 1,
            "from": "相談窓口",
            "to": "ハローワーク",
            "path": ["相談窓口", "ハローワーク"],
        },
        {
            "steps": 2,
            "from": "相談窓口",
            "to": "サポステ",
            "path": ["相談窓口", "居場所NPO", "サポステ"],
        },
    ]


def test_resources_html_writes_the_town_page_alone(tmp_path: Path) -> None:
    path, out = tmp_path / "g.lbug", tmp_path / "hannan.html"
    build_graph(resources_result(), path)
    result = CliRunner().invoke(
        main, ["--store", str(path), "resources", "阪南市", "--html", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 阪南市\n"
    html = out.read_text(encoding="utf-8")
    check_offline(html)
    assert "<link" not in html and "<script" not in html  # alone: its style inlined, no JS
    assert "<h1>阪南市（大阪府）</h1>" in html
    assert "<b>相談窓口</b>" in html and "運営: 社協" in html  # who runs the window
    assert "委託・補助: 阪南市（委託）" in html  # who commissions the council
    assert "<li>相談窓口 → 居場所NPO → サポステ</li>" in html  # a referral path
    assert "<td>阪南PF<br><span class='note'>市町村</span></td><td>阪南市</td>" in html
    assert "<td>居場所NPO、社協（構成員）</td>" in html  # its members
    # what is unknown: no provider, and no source claiming to list them all there
    assert "<li><i class='swatch unknown'></i>データなし: アウトリーチ、居場所" in html
    assert "データがない（出典が漏れなく載せていない）支援: 6件（上のカバーを参照）" in html
    assert "<ol class='src'><li>resources fixture</li></ol>" in html  # the sources


def test_town_page_shows_every_contact_and_flags_what_needs_checking() -> None:
    page = TownPage(
        town={"code": HANNAN, "name": "阪南市", "kind": "city", "prefecture": "大阪府",
              "population": None, "estimated": None},
        tiers=[{"service": "consultation", "tier": "local", "specialised": "unknown",
                "providers": ["窓口"]}],
        providers=[
            {
                "name": "窓口", "label": "SupportCenter", "kind": "consultation_window",
                "services": [("consultation", "local")], "source": "w", "as_of": "2026-07-26",
                "contacts": [("address", "大阪府阪南市尾崎町35-1"), ("phone", "072-000-0000"),
                             ("hours", "平日9時〜17時"), ("url", "https://example.jp/x"),
                             ("status", "review_required")],
                "behind": [("operated_by", ["社協"]), ("commissioned_by", [])],
            }
        ],
        sources={"w": {"title": "くらし支援ナビ", "publisher": "JUNKBRANDING", "date": "2026"}},
        specialised=True,
    )  # fmt: skip
    html = render_town(page)
    check_offline(html)
    assert "所在地: 大阪府阪南市尾崎町35-1<br>電話: 072-000-0000<br>受付時間: 平日9時〜17時" in html
    assert "公式ページ: https:&#47;&#47;example.jp/x" in html  # shown as text, never a link
    assert "<b class='warn'>要確認</b>" in html
    assert "<td>[1] <span class='note'>(2026-07-26)</span></td>" in html  # source and date
    assert "<p>うちひきこもり専門の支援: すべてデータなし</p>" in html
    assert "人口は不明です。" in html
    assert "<li>くらし支援ナビ <span class='note'>（2026）</span></li>" in html
