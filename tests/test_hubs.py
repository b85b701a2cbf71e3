"""Hubs and brokers: degree, betweenness (exact and sampled), communities, brokerage."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.queries.hubs import betweenness, communities, hub_metrics, hub_table
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_hubs"}


def barbell() -> LoadResult:
    """Two triangles a1 a2 a3 and b1 b2 b3 joined by the bridge a1 – b1 (a1 refers to b1)."""
    r = LoadResult(sources=[SourceInfo("test", "hubs fixture")])
    names = ["a1", "a2", "a3", "b1", "b2", "b3"]
    r.nodes += [Node("Organization", n, {"name": n, "kind": "npo", **SRC}) for n in names]
    pairs = [("a1", "a2"), ("a1", "a3"), ("a2", "a3"), ("b1", "b2"), ("b1", "b3"), ("b2", "b3")]
    r.edges += [
        Edge("PARTNERS_WITH", ("Organization", a), ("Organization", b), SRC) for a, b in pairs
    ]
    r.edges.append(Edge("REFERS_TO", ("Organization", "a1"), ("Organization", "b1"), SRC))
    return r


def test_hubs_on_the_barbell(store_of: Callable[[LoadResult], GraphStore]) -> None:
    result = hub_table(store_of(barbell()))
    # n = 6; a1 lies on the shortest paths from a2, a3 to b1, b2, b3: 2 × 3 = 6 pairs;
    # normalised by (n-1)(n-2)/2 = 10 pairs: 0.6. Same for b1; the rest lie on none.
    # Communities: the two triangles (numbered by size, then first member: a-side is 1).
    assert [
        (r["rank"], r["name"], r["degree"], r["betweenness"], r["community"]) for r in result.rows
    ] == [
        (1, "a1", 3, 0.6, 1),
        (2, "b1", 3, 0.6, 2),
        (3, "a2", 2, 0.0, 1),
        (4, "a3", 2, 0.0, 1),
        (5, "b2", 2, 0.0, 2),
        (6, "b3", 2, 0.0, 2),
    ]
    # a1's contacts a2, a3 (tied to each other, its own community) and b1 (the other):
    # pairs (a2, b1) and (a3, b1) are open and cross: 2 gatekeeper; (a2, a3) is closed.
    # Constraint of a1: p = 1/3 to each; for a2: (1/3 + p(a1,a3) p(a3,a2) = 1/3 · 1/2)² =
    # (1/2)², same for a3; for b1: (1/3)²: 1/4 + 1/4 + 1/9 = 11/18. Effective size:
    # 3 contacts, 1 tie among them: 3 − 2·1/3 = 7/3.
    a1 = result.rows[0]
    assert (a1["coordinator"], a1["itinerant"], a1["gatekeeper"], a1["liaison"]) == (0, 0, 2, 0)
    assert a1["brokerage"] == 2
    assert a1["constraint"] == round(11 / 18, 4)
    assert a1["effective_size"] == round(7 / 3, 3)
    assert [c["size"] for c in result.communities] == [3, 3]
    assert [c["top_members"] for c in result.communities] == [
        ["a1", "a2", "a3"],
        ["b1", "b2", "b3"],
    ]
    assert (result.nodes, result.edges, result.betweenness.method) == (6, 7, "exact")
    assert result.rows[0]["betweenness_se"] is None


def test_sampled_betweenness_with_every_source_equals_exact() -> None:
    G = nx.relabel_nodes(nx.barbell_graph(5, 3), str)
    exact = betweenness(G)
    sampled = betweenness(G, exact_limit=0, samples=len(G))
    assert (exact.method, sampled.method, sampled.sources) == ("exact", "sampled", 13)
    assert sampled.values == pytest.approx(exact.values, abs=1e-12)
    assert sampled.se is not None and set(sampled.se) == set(G)
    # the path's middle node (index 6) carries the most: 6 × 6 + ... pairs, normalised
    assert max(exact.values, key=exact.values.__getitem__) == "6"


def test_sampled_estimate_is_within_its_stated_error() -> None:
    G = nx.relabel_nodes(nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=3), str)
    exact = nx.betweenness_centrality(G)
    est = betweenness(G, exact_limit=0, samples=200, seed=1)
    assert est.se is not None
    top = sorted(exact, key=exact.__getitem__, reverse=True)[:20]
    # a standard error means something: the bulk of the top nodes sit within 3 s.e.
    within = sum(abs(est.values[v] - exact[v]) <= 3 * est.se[v] for v in top)
    assert within >= 18


def test_sampled_batches_in_worker_processes_give_the_same_numbers() -> None:
    G = nx.relabel_nodes(nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=3), str)
    here = betweenness(G, exact_limit=0, samples=64, seed=2, workers=1)
    pooled = betweenness(G, exact_limit=0, samples=64, seed=2, workers=2)
    assert pooled == here
    assert here.se is not None and max(here.se.values()) > 0


def test_hub_metrics_top() -> None:
    G = nx.Graph()
    G.add_nodes_from(["x", "y", "z"], label="Organization", key="k")
    G.add_edges_from([("x", "y"), ("y", "z")])
    rows = hub_metrics(G, top=1).rows
    assert [(r["node"], r["betweenness"]) for r in rows] == [("y", 1.0)]


def test_hubs_cli_formats(tmp_path: Path) -> None:
    path = tmp_path / "g.lbug"
    build_graph(barbell(), path)
    runner = CliRunner()
    table = runner.invoke(main, ["--store", str(path), "hubs", "--top", "2"])
    assert table.exit_code == 0, table.output
    assert "ハブと仲介者" in table.output and "コミュニティ" in table.output
    assert "媒介中心性: 厳密計算（6 ノード, 7 辺）" in table.output
    # every measure explained in one sentence under the table
    assert "実効規模（Burt）: 相手のうち、ほかの相手と重ならない相手の実質的な数。" in table.output
    assert "関係は文書に書かれているものだけです" in table.output
    csv_out = runner.invoke(main, ["--store", str(path), "hubs", "--top", "2", "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    assert csv_out.stdout.splitlines() == [
        "rank,name,label,kind,prefecture,degree,betweenness,constraint,effective_size,"
        "community,coordinator,itinerant,gatekeeper,liaison,brokerage,node",
        "1,a1,Organization,npo,,3,0.6,0.6111,2.333,1,0,0,2,0,2,Organization:a1",
        "2,b1,Organization,npo,,3,0.6,0.6111,2.333,2,0,0,2,0,2,Organization:b1",
    ]
    by = runner.invoke(
        main, ["--store", str(path), "hubs", "--by", "constraint", "--top", "3", "--format", "csv"]
    )
    # a2: p = 1/2 to a1 and to a3; to a1: (1/2 + p(a2,a3) p(a3,a1) = 1/2 · 1/2)² = 9/16;
    # to a3: (1/2 + p(a2,a1) p(a1,a3) = 1/2 · 1/3)² = 4/9; 9/16 + 4/9 = 145/144
    assert [line.split(",")[1] for line in by.stdout.splitlines()[1:]] == ["a1", "b1", "a2"]
    assert by.stdout.splitlines()[3].split(",")[7] == str(round(145 / 144, 4))
    js = runner.invoke(
        main,
        ["--store", str(path), "--lang", "en", "hubs", "--communities", "--format", "json"],
    )
    assert js.exit_code == 0, js.output
    got = json.loads(js.stdout)
    assert [(c["community"], c["size"], c["name"]) for c in got] == [
        (1, 3, "no prefecture — main body: a1"),
        (2, 3, "no prefecture — main body: b1"),
    ]
    assert "betweenness: exact, 6 nodes, 7 edges" in js.stderr
    assert "Effective size (Burt)" in js.stderr


def test_large_network_communities_use_leiden_and_agree() -> None:
    G = nx.relabel_nodes(nx.barbell_graph(4, 0), str)  # two K4s joined by the edge 3 – 4
    small = communities(G)
    large = communities(G, louvain_limit=0)
    assert small == large == {"0": 1, "1": 1, "2": 1, "3": 1, "4": 2, "5": 2, "6": 2, "7": 2}


def clusters(n: int, *, seed: int = 4) -> LoadResult:
    """`n` organisations in 12 loose clusters (ties mostly inside, a few across), with
    self-evident ids o0 … o{n-1}; every tie a PARTNERS_WITH."""
    rng = random.Random(seed)
    r = LoadResult(sources=[SourceInfo("test", "hubs clusters")])
    r.nodes += [
        Node("Organization", f"o{i}", {"name": f"o{i}", "kind": "npo", **SRC}) for i in range(n)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 3 * n:
        a = rng.randrange(n)
        b = a + rng.randrange(1, 12) * 12 if rng.random() < 0.9 else rng.randrange(n)
        if b < n and a != b:
            pairs.add((min(a, b), max(a, b)))
    r.edges += [
        Edge("PARTNERS_WITH", ("Organization", f"o{a}"), ("Organization", f"o{b}"), SRC)
        for a, b in sorted(pairs)
    ]
    return r


def shuffled(r: LoadResult, seed: int) -> LoadResult:
    rng = random.Random(seed)
    out = LoadResult(sources=r.sources, nodes=list(r.nodes), edges=list(r.edges))
    rng.shuffle(out.nodes)
    rng.shuffle(out.edges)
    return out


@pytest.mark.parametrize(("n", "method"), [(300, "exact"), (2_100, "sampled")])
def test_the_answer_does_not_depend_on_the_order_of_the_rows(
    store_of: Callable[[LoadResult], GraphStore], n: int, method: str
) -> None:
    """The same graph stored in three row orders: the same rows, communities and estimates
    (the sampled sources and the communities follow the nodes' ids, not the rows)."""
    r = clusters(n)
    results = [hub_table(store_of(x)) for x in (r, shuffled(r, 1), shuffled(r, 2))]
    assert results[0].betweenness.method == method
    assert len(results[0].communities) > 1
    for other in results[1:]:
        assert other.rows == results[0].rows
        assert other.communities == results[0].communities
        assert other.betweenness == results[0].betweenness
