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
