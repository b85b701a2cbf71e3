"""Siting (maximal covering location) against a case worked out by hand.

Five towns on the equator, 0.1° of longitude apart (11.1195 km), the catchment exactly one
step, so each town hall reaches itself and its neighbours — at exactly the radius:

    town        A 泉南市   B 阪南市   C 熊取町   D 田尻町   E 岬町
    longitude   0.0        0.1        0.2        0.3        0.4
    population  12,000     20,000     30,000     22,000     10,000

    a site at   A reaches A B = 32,000      D reaches C D E = 62,000
                B reaches A B C = 62,000    E reaches D E = 32,000
                C reaches B C D = 72,000

k = 2. Greedy takes C first (72,000, the most), then A (adds 12,000; B adds the same and A
comes first by code; D or E would add 10,000): 84,000. The optimum reaches all five towns,
94,000, with A + D, B + D or B + E; greedy falls short by 10,000 / 94,000 = 10.64%.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.errors import InputError, QueryError
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.access import distance_km
from tsunagari.queries.mclp import exact, greedy, marginal, reduce
from tsunagari.queries.siting import (
    RECOMMEND_COLUMNS,
    SitingOptions,
    method_lines,
    read_sites,
    recommend,
)
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_siting"}
OSAKA = "270008"
A, B, C, D, E = "272281", "272329", "273619", "273627", "273660"
TOWNS = [
    (A, "泉南市", 12_000, 0.0),
    (B, "阪南市", 20_000, 0.1),
    (C, "熊取町", 30_000, 0.2),
    (D, "田尻町", 22_000, 0.3),
    (E, "岬町", 10_000, 0.4),
]
STEP_KM = float(distance_km([0.0], [0.0], [0.0], [0.1])[0, 0])  # 11.1195 km
ALL = 94_000


def line_result(*, providers: bool = False) -> LoadResult:
    """The five towns; with `providers`, O1 (consultation) in A operating centre C1 in E."""
    r = LoadResult(sources=[SourceInfo("test", "siting fixture")])
    r.nodes.append(Node("Prefecture", OSAKA, {"name": "大阪府", **SRC}))
    for code, name, pop, lng in TOWNS:
        props = {"name": name, "kind": "town", "prefecture_code": OSAKA, "population": pop}
        r.nodes.append(Node("Municipality", code, {**props, "lat": 0.0, "lng": lng, **SRC}))
        r.edges.append(Edge("IN_PREFECTURE", ("Municipality", code), ("Prefecture", OSAKA), SRC))
    if providers:
        r.nodes += [
            Node("Organization", "o1", {"name": "O1", "services": ["consultation"], **SRC}),
            Node("SupportCenter", "c1", {"name": "C1", "services": ["consultation"], **SRC}),
        ]
        r.edges += [
            Edge("LOCATED_IN", ("Organization", "o1"), ("Municipality", A), SRC),
            Edge("LOCATED_IN", ("SupportCenter", "c1"), ("Municipality", E), SRC),
            Edge("OPERATES", ("Organization", "o1"), ("SupportCenter", "c1"), SRC),
        ]
    return r


def with_neighbour(r: LoadResult) -> LoadResult:
    """Add 和歌山市 (5,000) in 和歌山県 at longitude 0.5, with O2 (consultation) there."""
    wakayama, city = "300004", "302015"
    props = {"name": "和歌山市", "kind": "city", "prefecture_code": wakayama, "population": 5_000}
    r.nodes += [
        Node("Prefecture", wakayama, {"name": "和歌山県", **SRC}),
        Node("Municipality", city, {**props, "lat": 0.0, "lng": 0.5, **SRC}),
        Node("Organization", "o2", {"name": "O2", "services": ["consultation"], **SRC}),
    ]
    r.edges += [
        Edge("IN_PREFECTURE", ("Municipality", city), ("Prefecture", wakayama), SRC),
        Edge("LOCATED_IN", ("Organization", "o2"), ("Municipality", city), SRC),
    ]
    return r


def _sites(rec, method: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["municipality"] for r in rec.rows() if r["method"] == method]


def test_greedy_and_exact_by_hand() -> None:
    weights = [12_000, 20_000, 30_000, 22_000, 10_000]
    reach = [[0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4]]
    g = greedy(weights, reach, 2)
    assert (g.sites, g.gains, g.value) == ((2, 0), (72_000, 12_000), 84_000)
    assert g.covered == ((1, 2, 3), (0,))
    x = exact(weights, reach, 2)
    assert x.status == "optimal"
    assert x.value == ALL
    assert set(x.sites) in ({0, 3}, {1, 3}, {1, 4})
    assert sorted(i for c in x.covered for i in c) == [0, 1, 2, 3, 4]
    assert x.bound == pytest.approx(ALL)
    # more sites than help: each stops when nothing is left to reach
    assert greedy(weights, reach, 5).sites == (2, 0, 3)
    assert exact(weights, reach, 5).value == ALL
    # nobody left to reach, or no candidate at all: an empty answer, not an error
    for nobody in (exact(weights, [[], []], 2), exact([], [], 2)):
        assert (nobody.sites, nobody.value, nobody.status) == ((), 0.0, "optimal")


def test_exact_stopped_at_the_time_limit_keeps_the_best_found() -> None:
    # 300 random points: too many to prove optimal in a nanosecond; the answer is then the
    # start (greedy) with HiGHS's status, never an empty or worse set
    rng = np.random.default_rng(1)
    pts = rng.random((300, 2))
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    reach = [[int(i) for i in np.flatnonzero(row < 0.12)] for row in d]
    weights = [float(x) for x in rng.integers(1, 1_000, 300)]
    g = greedy(weights, reach, 10)
    x = exact(weights, reach, 10, time_limit=1e-9, start=g.sites)
    assert x.status == "Time limit reached" and x.value >= g.value
    best = exact(weights, reach, 10)
    assert best.status == "optimal" and best.value >= x.value


def test_reduce_merges_points_and_drops_dominated_sites() -> None:
    # points 0 and 1 are reached by the same candidates (0, 1): one point of weight 3; site 1
    # reaches the same as site 0 (kept: the lower index), site 2 a subset of site 3
    weights = [1.0, 2.0, 4.0, 8.0]
    reach = [[0, 1], [0, 1], [2], [2, 3], []]
    w, reduced, kept, better = reduce(weights, reach)
    assert w == [3.0, 4.0, 8.0]
    assert kept == [0, 3] and reduced == [[0], [1, 2]]
    assert better == {0: 0, 1: 0, 2: 3, 3: 3}  # the empty site 4 has none


def test_exact_equals_brute_force_on_random_instances() -> None:
    # the reduced model's optimum is the optimum of the model as given (every subset tried)
    from itertools import combinations

    rng = np.random.default_rng(7)
    for _ in range(200):
        n, m, k = int(rng.integers(1, 8)), int(rng.integers(1, 9)), int(rng.integers(1, 4))
        weights = [float(x) for x in rng.integers(1, 10, m)]
        reach = [
            sorted(int(i) for i in rng.choice(m, rng.integers(0, m + 1), False)) for _ in range(n)
        ]
        best = max(
            sum(weights[i] for i in {i for j in chosen for i in reach[j]})
            for size in range(k + 1)
            for chosen in combinations(range(n), size)
        )
        g = greedy(weights, reach, k)
        assert exact(weights, reach, k).value == best
        assert exact(weights, reach, k, start=g.sites).value == best


def test_marginal_order() -> None:
    # D and B: each reaches 62,000 alone (C D E; A B C), so B comes first by index, and
    # then D adds only D and E = 32,000
    weights = [12_000, 20_000, 30_000, 22_000, 10_000]
    reach = [[0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4]]
    assert marginal(weights, reach, [3, 1]) == ((1, 3), (62_000, 32_000), ((0, 1, 2), (3, 4)))


def test_recommend_on_the_graph(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(line_result())
    rec = recommend(store, SitingOptions(service="consultation", k=2, catchment_km=STEP_KM))
    assert rec.greedy.value == 84_000
    assert _sites(rec, "greedy") == ["熊取町", "泉南市"]
    assert [r["gain"] for r in rec.rows() if r["method"] == "greedy"] == [72_000, 12_000]
    assert rec.exact.value == ALL and rec.exact.status == "optimal"
    assert set(_sites(rec, "exact")) in (
        {"泉南市", "田尻町"},
        {"阪南市", "田尻町"},
        {"阪南市", "岬町"},
    )
    assert rec.gap == pytest.approx(10_000 / ALL)
    assert (rec.total, rec.covered, rec.unreachable, rec.existing) == (ALL, 0, 0, 0)
    first = rec.rows()[0]
    assert first["cumulative"] == first["gain"] and first["towns_reached"] == len(first["reached"])
    lines = method_lines(rec, lang="en")
    assert "exact 94,000, greedy 84,000 (greedy short by 10.64%)" in lines[1]
    assert lines[2] == "Service: consultation (general or specialised)."
    assert "inclusive at exactly 11.1195 km" in lines[3]


def test_weight_and_prefecture(store_of: Callable[[LoadResult], GraphStore]) -> None:
    # the estimate is population × 0.02: the same choice, in people in hikikomori state
    rec = recommend(
        store_of(line_result()),
        SitingOptions(service="consultation", k=2, catchment_km=STEP_KM, weight="estimated"),
    )
    assert (rec.exact.value, rec.greedy.value) == (ALL * 0.02, 84_000 * 0.02)
    store = store_of(with_neighbour(line_result()))
    # Osaka only: O2 in 和歌山市 already reaches 岬町 across the border; one site at C
    # reaches B C D (72,000) and leaves 泉南市; 和歌山市 is neither demand nor a candidate
    rec = recommend(
        store,
        SitingOptions(service="consultation", k=1, catchment_km=STEP_KM, prefecture=OSAKA),
    )
    assert (rec.total, rec.covered, rec.existing) == (ALL, 10_000, 1)
    assert _sites(rec, "exact") == ["熊取町"] and rec.exact.value == 72_000
    assert "302015" not in {m["code"] for m in rec.sites}


def test_since_leaves_out_older_facts(store_of: Callable[[LoadResult], GraphStore]) -> None:
    # O1 and the centre it operates are dated 2019: from 2020 on the line is bare again
    r = line_result(providers=True)
    for node in r.nodes:
        if node.key in ("o1", "c1"):
            node.props["as_of"] = "2019"
    store = store_of(r)
    options = SitingOptions(service="consultation", k=2, catchment_km=STEP_KM)
    assert recommend(store, options).existing == 2
    rec = recommend(store, replace(options, since="2020"))
    assert (rec.existing, rec.exact.value, rec.greedy.value) == (0, ALL, 84_000)
    assert method_lines(rec, lang="en")[-1] == "Facts dated before 2020 are left out."


def test_catchment_edge(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(line_result())
    # a neighbour exactly at the radius is reached (above); one metre less and each town
    # hall reaches only its own town: the two largest, C and D
    rec = recommend(store, SitingOptions(service="consultation", k=2, catchment_km=STEP_KM - 1e-3))
    assert rec.exact.value == rec.greedy.value == 52_000
    assert _sites(rec, "exact") == _sites(rec, "greedy") == ["熊取町", "田尻町"]
    assert [r["reached"] for r in rec.rows()][:2] == [["熊取町"], ["田尻町"]]


def test_existing_network_is_fixed(store_of: Callable[[LoadResult], GraphStore]) -> None:
    # O1 in A reaches A and B; the centre it operates in E reaches D and E: only C is left
    store = store_of(line_result(providers=True))
    rec = recommend(store, SitingOptions(service="consultation", k=2, catchment_km=STEP_KM))
    assert rec.existing == 2 and rec.covered == 12_000 + 20_000 + 22_000 + 10_000
    assert rec.exact.value == rec.greedy.value == 30_000
    assert len(rec.exact.sites) == 1  # a second site would reach no one new
    assert [r["reached"] for r in rec.rows() if r["method"] == "exact"] == [["熊取町"]]
    # closing O1 closes the centre it operates too: the problem of the bare line again
    rec = recommend(
        store,
        SitingOptions(service="consultation", k=2, catchment_km=STEP_KM, close=("O1",)),
    )
    assert rec.closed == ["Organization:o1", "SupportCenter:c1"]
    assert (rec.existing, rec.exact.value, rec.greedy.value) == (0, ALL, 84_000)
    # closing only the centre leaves O1: C, D and E to reach; D reaches all three
    rec = recommend(
        store,
        SitingOptions(
            service="consultation", k=1, catchment_km=STEP_KM, close=("SupportCenter:c1",)
        ),
    )
    assert rec.closed == ["SupportCenter:c1"]
    assert _sites(rec, "exact") == ["田尻町"] and rec.exact.value == 62_000
    with pytest.raises(QueryError, match="no provider is 'O9'"):
        recommend(store, SitingOptions(service="consultation", close=("O9",)))


def test_planned_sites_and_candidates(
    store_of: Callable[[LoadResult], GraphStore], tmp_path: Path
) -> None:
    store = store_of(line_result())
    planned = tmp_path / "planned.csv"
    planned.write_text("# a planned window\nmunicipality,prefecture\n熊取町,大阪府\n", "utf-8")
    assert read_sites(planned) == (C,)
    # C planned: it reaches B C D; A (12,000) and E (10,000) are left, one site reaches one
    rec = recommend(
        store, SitingOptions(service="consultation", k=1, catchment_km=STEP_KM, add=(C,))
    )
    assert rec.covered == 72_000 and rec.exact.value == 12_000
    assert _sites(rec, "exact") == ["泉南市"]
    # candidates from a list: only E may be chosen
    rec = recommend(
        store,
        SitingOptions(service="consultation", k=2, catchment_km=STEP_KM, candidates=(E,)),
    )
    assert _sites(rec, "exact") == ["岬町"] and rec.exact.value == 32_000


def test_no_provider_candidates(store_of: Callable[[LoadResult], GraphStore]) -> None:
    store = store_of(line_result(providers=True))
    rec = recommend(
        store,
        SitingOptions(service="consultation", k=1, catchment_km=STEP_KM, candidates="no-provider"),
    )
    assert [m["code"] for m in rec.sites] == [B, C, D]
    assert rec.exact.value == 30_000


def test_site_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "planned.csv"
    bad.write_text("municipality\n阪南市\n存在しない町\n大阪府\n", "utf-8")
    with pytest.raises(InputError) as e:
        read_sites(bad)
    text = str(e.value)
    assert f"{bad}:3: municipality:" in text and "[unknown-municipality]" in text
    assert f"{bad}:4: municipality: '大阪府' is a prefecture" in text
    nameless = tmp_path / "x.csv"
    nameless.write_text("town\n阪南市\n", "utf-8")
    with pytest.raises(InputError, match="no column 'municipality'; the header has town"):
        read_sites(nameless)


@pytest.fixture
def line_store(tmp_path: Path) -> str:
    path = tmp_path / "line.lbug"
    build_graph(line_result(providers=True), path)
    return str(path)


def _run(store: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", store, "recommend", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_table_csv_json(line_store: str, tmp_path: Path) -> None:
    km = repr(STEP_KM)
    code, out, _ = _run(line_store, "--k", "2", "--catchment", km, "--close", "O1")
    assert code == 0, out
    assert "「相談」をあと 2 か所置くなら（全国、半径 11.1195 km）" in out
    assert "厳密解: 設置先" in out and "貪欲法: 設置先" in out
    assert "熊取町（大阪府）" in out and "94,000" in out and "84,000" in out
    assert "貪欲法の不足 10.64%" in out
    assert "閉鎖を仮定（運営する拠点を含む）: Organization:o1, SupportCenter:c1。" in out

    code, out, err = _run(line_store, "--k", "2", "--catchment", km, "--close", "O1",
                          "--format", "csv")  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == RECOMMEND_COLUMNS
    assert [(r["method"], r["rank"]) for r in rows] == [
        ("exact", "1"), ("exact", "2"), ("greedy", "1"), ("greedy", "2")
    ]  # fmt: skip
    assert rows[2]["municipality"] == "熊取町" and rows[2]["reached"] == "熊取町;田尻町;阪南市"
    assert "Method" not in out and "方法: 最大被覆立地問題" in err  # notes on stderr

    code, out, _ = _run(line_store, "--k", "1", "--catchment", km, "--format", "json")
    data = json.loads(out)
    # only C is left: B, C or D reach it, greedy takes B (first by code)
    assert code == 0 and [(d["method"], d["gain"], d["reached"]) for d in data] == [
        ("exact", 30_000, ["熊取町"]), ("greedy", 30_000, ["熊取町"])
    ]  # fmt: skip
    assert data[1]["municipality"] == "阪南市"


def test_cli_add_and_errors(line_store: str, tmp_path: Path) -> None:
    planned = tmp_path / "planned.csv"
    planned.write_text("municipality\n熊取町\n", "utf-8")
    code, out, _ = _run(line_store, "--k", "1", "--catchment", repr(STEP_KM), "--close", "O1",
                        "--add", str(planned), "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out)[0]["gain"] == 12_000
    # with O1 and C1 open, C planned reaches the rest: nothing is left to site
    code, out, err = _run(line_store, "--catchment", repr(STEP_KM), "--add", str(planned),
                          "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out) == []
    planned.write_text("municipality\n熊取\n", "utf-8")
    code, _, err = _run(line_store, "--add", str(planned))
    assert code == InputError.exit_code and f"{planned}:2: municipality:" in err
    code, _, err = _run(line_store, "--close", "nobody")
    assert code == QueryError.exit_code and "no provider is 'nobody'" in err
    code, _, err = _run(line_store, "--candidates", "some")
    assert code == 2 and "'some' is not all, no-provider or a file" in err


def test_distance_matrix_is_symmetric_at_the_edge() -> None:
    # the same pair measured from either end, and in a longer row, is the same distance
    d = distance_km([0.0, 0.0], [0.1, 0.0], [0.0, 0.0, 0.0], [0.0, 0.1, 0.2])
    assert abs(d[0, 0] - d[1, 1]) < 1e-9 and abs(d[0, 2] - STEP_KM) < 1e-9
    assert np.all(d >= 0)


def test_specialised_counts_only_specialised_providers(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    # O1 in A gives general consultation; the centre C1 it operates in E is a ひきこもり one
    r = line_result(providers=True)
    for node in r.nodes:
        if node.key == "c1":
            node.props["specialised"] = True
    store = store_of(r)
    # any support: A B and D E are reached, only C is left (30,000)
    rec = recommend(store, SitingOptions(service="consultation", k=1, catchment_km=STEP_KM))
    assert (rec.existing, rec.exact.value) == (2, 30_000)
    # specialised only: C1 alone reaches D and E; one site at B reaches A B C (62,000)
    options = SitingOptions(service="consultation", k=1, catchment_km=STEP_KM, specialised=True)
    rec = recommend(store, options)
    assert (rec.existing, rec.covered) == (1, 32_000)
    assert _sites(rec, "exact") == ["阪南市"] and rec.exact.value == 62_000
    assert method_lines(rec)[2] == "対象: 支援「相談」（ひきこもり専門の支援のみ）。"
    # closing O1 closes C1 too, also for the specialised question
    rec = recommend(store, replace(options, k=2, close=("O1",)))
    assert rec.closed == ["Organization:o1", "SupportCenter:c1"]
    assert (rec.existing, rec.exact.value, rec.greedy.value) == (0, ALL, 84_000)


def test_unknown_towns_uncovered_or_excluded(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    # a source lists consultation completely in A, B and C: D and E have no data (unknown)
    r = line_result()
    claim = {"services": ["consultation"], "areas": [A, B, C], "covers_specialised": True}
    r.nodes.append(Node("Completeness", "claim", {"name": "A-C", **claim, **SRC}))
    store = store_of(r)
    options = SitingOptions(service="consultation", k=1, catchment_km=STEP_KM)
    rec = recommend(store, options)
    assert rec.total == ALL and rec.excluded == []  # unknown counts as not reached
    assert _sites(rec, "exact") == ["熊取町"] and rec.exact.value == 72_000
    rec = recommend(store, replace(options, unknown="exclude"))
    assert [m["code"] for m in rec.excluded] == [D, E]
    assert rec.total == 62_000 and rec.exact.value == 62_000
    assert _sites(rec, "exact") == ["阪南市"]
    assert "データなしの市町村は需要から除く（2 市町村）。" in method_lines(rec)[3]
    # closing a provider: a town left with none is "none" where the source is complete (A),
    # "unknown" where not (E), and so out of the demand with --unknown exclude
    r.nodes += [
        Node("Organization", "oa", {"name": "OA", "services": ["consultation"], **SRC}),
        Node("Organization", "oe", {"name": "OE", "services": ["consultation"], **SRC}),
    ]
    r.edges += [
        Edge("LOCATED_IN", ("Organization", "oa"), ("Municipality", A), SRC),
        Edge("LOCATED_IN", ("Organization", "oe"), ("Municipality", E), SRC),
    ]
    store = store_of(r)
    rec = recommend(store, replace(options, unknown="exclude", close=("OA", "OE")))
    assert [m["code"] for m in rec.excluded] == [D, E]
    assert rec.existing == 0 and rec.exact.value == 62_000
