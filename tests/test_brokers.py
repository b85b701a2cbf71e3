"""Brokers among the bodies that act: the projection, Burt's measures, Gould–Fernandez roles,
named communities, and stated nodes kept out — each worked by hand."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import networkx as nx
import pytest

from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.graph.store import GraphStore
from tsunagari.queries.actors import Network, actor_network, network_of, read_network
from tsunagari.queries.hubs import community_rows, hub_table
from tsunagari.queries.network import (
    COLLABORATION,
    collaboration_graph,
    drop_stated,
    graph_from_store,
)
from tsunagari.queries.structural import brokerage_roles, structural_holes
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SRC = {"source": "test", "locator": "test_brokers"}


def projects() -> LoadResult:
    """Towns X, Y, Z (大阪府) and the NPO W. Project P1: X runs it, Y and Z partner; P2: X
    runs, Y partners; P3: Z runs it alone. Z partners with W (a stated 連携)."""
    r = LoadResult(sources=[SourceInfo("test", "brokers fixture")])
    r.nodes.append(Node("Prefecture", "270008", {"name": "大阪府", **SRC}))
    for code, name in (("272001", "X市"), ("272002", "Y市"), ("272003", "Z町")):
        town = {"name": name, "kind": "city", "prefecture_code": "270008", **SRC}
        r.nodes.append(Node("Municipality", code, town))
    r.nodes.append(Node("Organization", "w", {"name": "W", "kind": "npo", **SRC}))
    for key, services in (("p1", ["consultation"]), ("p2", ["ibasho"]), ("p3", [])):
        r.nodes.append(Node("Project", key, {"name": key.upper(), "services": services, **SRC}))
    runs = (("272001", "p1"), ("272001", "p2"), ("272003", "p3"))
    partners = (("272002", "p1"), ("272003", "p1"), ("272002", "p2"))
    r.edges += [Edge("RUNS", ("Municipality", m), ("Project", p), SRC) for m, p in runs]
    r.edges += [Edge("PARTNERS_IN", ("Municipality", m), ("Project", p), SRC) for m, p in partners]
    r.edges.append(Edge("PARTNERS_WITH", ("Municipality", "272003"), ("Organization", "w"), SRC))
    return r


def _ties(net: Network) -> dict[tuple[str, str], tuple[float, list[str]]]:
    t = net.ties
    services = net.services or [[] for _ in t.a]
    return {
        (t.nodes[u], t.nodes[v]): (w, s)
        for u, v, w, s in zip(t.a.tolist(), t.b.tolist(), t.weight.tolist(), services, strict=True)
    }


def test_projection_ties_co_participants_weighted_by_shared_projects(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    """X and Y share P1 and P2: weight 2; X–Z and Y–Z share P1: weight 1; Z–W is a direct
    tie (weight 1, no project); P3 has one participant and ties no one."""
    A = actor_network(read_network(store_of(projects())))
    X, Y, Z, W = (
        "Municipality:272001",
        "Municipality:272002",
        "Municipality:272003",
        "Organization:w",
    )
    assert _ties(A) == {
        (X, Y): (2, ["consultation", "ibasho"]),
        (X, Z): (1, ["consultation"]),
        (Y, Z): (1, ["consultation"]),
        (Z, W): (1, []),
    }
    assert A.ties.nodes == [X, Y, Z, W]  # in id order
    assert not any(d["label"] == "Project" for d in A.data)


class RowsOnly:
    """The same store, seen through `run` alone (as the Neo4j store is): no bulk columns."""

    def __init__(self, store: GraphStore) -> None:
        self.run = store.run


@pytest.mark.parametrize("multi", [False, True])
def test_the_graph_read_as_columns_is_the_graph_read_as_rows(
    store_of: Callable[[LoadResult], GraphStore], multi: bool
) -> None:
    """Nulls (no population, no kind, no alternate names) and an INT64 column with a null
    read back as None and int, both directions of a tie merge, in the same order."""
    r = projects()
    r.nodes[1].props["population"] = 12_345  # X市; Y市 and Z町 have none
    r.edges.append(Edge("REFERS_TO", ("Organization", "w"), ("Municipality", "272003"), SRC))
    store = store_of(r)
    types = (*COLLABORATION, "FUNDS")
    fast = graph_from_store(store, edge_types=types, multi=multi)
    slow = graph_from_store(RowsOnly(store), edge_types=types, multi=multi)  # type: ignore[arg-type]
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert list(fast.edges(data=True)) == list(slow.edges(data=True))
    assert type(fast.nodes["Municipality:272001"]["population"]) is int  # not 12345.0
    assert fast.nodes["Municipality:272001"]["population"] == 12_345
    assert fast.nodes["Municipality:272002"]["population"] is None
    if not multi:
        assert fast.edges["Municipality:272003", "Organization:w"]["types"] == [
            "PARTNERS_WITH",
            "REFERS_TO",
        ]


def test_a_direct_tie_and_a_shared_project_add_up() -> None:
    G = nx.Graph()
    G.add_node("a", label="Municipality")
    G.add_node("b", label="Municipality")
    G.add_node("p", label="Project", name="P", services=["ibasho"])
    G.add_edges_from([("a", "p"), ("b", "p")], types=["RUNS"])
    G.add_edge("a", "b", types=["PARTNERS_WITH"])
    assert _ties(actor_network(network_of(G))) == {("a", "b"): (2, ["ibasho"])}


def test_constraint_and_effective_size_by_hand_weighted(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    """On the projection above (XY = 2, XZ = YZ = ZW = 1; strengths X = Y = Z = 3, W = 1):
    p(X,Y) = 2/3, p(X,Z) = 1/3, p(Z,·) = 1/3 each, p(W,Z) = 1.
    constraint X: to Y (2/3 + p(X,Z) p(Z,Y) = 1/9)² = 49/81; to Z (1/3 + p(X,Y) p(Y,Z) = 2/9)²
      = 25/81: 74/81. Z: to X (1/3 + p(Z,Y) p(Y,X) = 2/9)² = 25/81, to Y the same, to W
      (1/3)² = 9/81: 59/81. W: 1.
    effective size (m = weight / the contact's largest weight) X: via Y 1 − p(X,Z) m(Y,Z)
      = 1 − 1/3 · 1/2 = 5/6; via Z 1 − p(X,Y) m(Z,Y) = 1 − 2/3 · 1 = 1/3: 7/6. Z: via X
      1 − p(Z,Y) m(X,Y) = 2/3, via Y 2/3, via W 1: 7/3. W: 1.
    Betweenness: Z is on W–X and W–Y, 2 of the 3 pairs of the others: 2/3."""
    result = hub_table(store_of(projects()), by="constraint")
    got = {r["name"]: (r["constraint"], r["effective_size"], r["betweenness"]) for r in result.rows}
    assert got == {
        "Z町": (round(59 / 81, 4), round(7 / 3, 3), round(2 / 3, 6)),
        "X市": (round(74 / 81, 4), round(7 / 6, 3), 0.0),
        "Y市": (round(74 / 81, 4), round(7 / 6, 3), 0.0),
        "W": (1.0, 1.0, 0.0),
    }
    assert [r["name"] for r in result.rows] == ["Z町", "X市", "Y市", "W"]  # lowest first
    assert result.rows[0]["prefecture"] == "大阪府"


def test_constraint_and_effective_size_by_hand_unweighted() -> None:
    """E tied to A, B, C; A tied to B. p = 1/degree.
    constraint E: to A (1/3 + p(E,B) p(B,A) = 1/3 · 1/2)² = 1/4, to B 1/4, to C (1/3)² = 1/9:
      11/18. A: to E (1/2 + p(A,B) p(B,E) = 1/4)² = 9/16, to B (1/2 + p(A,E) p(E,B) = 1/6)²
      = 4/9: 145/144. C: 1.
    effective size: E 3 − 2·1/3 = 7/3; A 2 − 2·1/2 = 1; C 1."""
    G = nx.Graph([("E", "A"), ("E", "B"), ("E", "C"), ("A", "B")])
    got = structural_holes(G)
    assert got["E"] == pytest.approx((11 / 18, 7 / 3))
    assert got["A"] == pytest.approx((145 / 144, 1.0))
    assert got["B"] == pytest.approx((145 / 144, 1.0))
    assert got["C"] == pytest.approx((1.0, 1.0))


def test_structural_holes_agree_with_networkx_on_a_random_weighted_graph() -> None:
    G = nx.relabel_nodes(nx.gnm_random_graph(60, 150, seed=2), str)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = 1 + (int(u) + int(v)) % 3
    G.remove_nodes_from([v for v in list(G) if G.degree(v) == 0])
    got = structural_holes(G)
    constraint = nx.constraint(G, weight="weight")
    effective = nx.effective_size(G, weight="weight")
    assert {v: got[v][0] for v in G} == pytest.approx(constraint)
    assert {v: got[v][1] for v in G} == pytest.approx(effective)


def test_brokerage_roles_by_hand() -> None:
    """b (group 1) has contacts a1, a2 (group 1, tied to each other), c1, c2 (group 2),
    d (group 3) and n (no group: left out). Of the 10 pairs of its grouped contacts,
    (a1, a2) is closed. coordinator: none open; itinerant: (c1, c2); gatekeeper: a1 or
    a2 with c1, c2 or d: 6; liaison: (c1, d), (c2, d): 2."""
    G = nx.Graph([("b", x) for x in ("a1", "a2", "c1", "c2", "d", "n")])
    G.add_edge("a1", "a2")
    group = {"b": 1, "a1": 1, "a2": 1, "c1": 2, "c2": 2, "d": 3, "n": None}
    roles = brokerage_roles(G, group)
    assert roles["b"] == {"coordinator": 0, "itinerant": 1, "gatekeeper": 6, "liaison": 2}
    # a1: contacts b, a2 are tied; nothing to broker
    assert roles["a1"] == {"coordinator": 0, "itinerant": 0, "gatekeeper": 0, "liaison": 0}
    assert roles["n"] is None
    # c1 has the single contact b: no pair
    assert roles["c1"] == {"coordinator": 0, "itinerant": 0, "gatekeeper": 0, "liaison": 0}


def test_brokerage_roles_agree_with_counting_every_pair() -> None:
    G = nx.gnm_random_graph(80, 400, seed=5)
    group = {v: (v % 4 if v % 9 else None) for v in G}
    got = brokerage_roles(G, group)
    for b in G:
        if group[b] is None:
            assert got[b] is None
            continue
        want = dict.fromkeys(("coordinator", "itinerant", "gatekeeper", "liaison"), 0)
        contacts = [a for a in G[b] if group[a] is not None]
        for a, c in itertools.combinations(contacts, 2):
            if G.has_edge(a, c):
                continue
            ga, gb, gc = group[a], group[b], group[c]
            if ga == gc:
                want["coordinator" if ga == gb else "itinerant"] += 1
            else:
                want["gatekeeper" if gb in (ga, gc) else "liaison"] += 1
        assert got[b] == want, b


def test_communities_are_named_by_prefecture_services_and_main_body() -> None:
    """Community 1: three bodies in 福岡県 (one also in 佐賀県), the centre the best tied,
    services 相談 ×2 (one its own, one from the project tying the towns), 居場所 ×3.
    Community 2: two bodies in 大阪府, one in 京都府, one anchored nowhere: 大阪府 has 2 of 4
    (50 %: dominant alone), no services; o2 and o3 tie at 2, the id decides. Community 3:
    one body in each of three prefectures (a third each): the first two by code named,
    with など; k2 carries the most tie weight (3 + 1)."""
    G = nx.Graph()
    G.add_node("c", name="センター", prefectures=("400009",), services=["ibasho"])
    G.add_node("t1", name="甲市", prefectures=("400009", "410004"), population=10)
    G.add_node("t2", name="乙町", prefectures=("400009",), population=20)
    G.add_edge("c", "t1", weight=1, services=["ibasho"])
    G.add_edge("c", "t2", weight=1, services=[])
    G.add_edge("t1", "t2", weight=1, services=["consultation", "ibasho"])
    for v, pref in (("o1", "270008"), ("o2", "270008"), ("o3", "260002"), ("o4", None)):
        G.add_node(v, name=v, prefectures=(pref,) if pref else ())
    G.add_edges_from([("o1", "o2"), ("o2", "o3"), ("o3", "o4")], weight=1)
    G.add_node("k1", name="k1", prefectures=("130001",))
    G.add_node("k2", name="k2", prefectures=("140007",))
    G.add_node("k3", name="k3", prefectures=("150002",))
    G.add_edge("k1", "k2", weight=3)
    G.add_edge("k2", "k3", weight=1)
    community_of = {
        "c": 1,
        "t1": 1,
        "t2": 1,
        "o1": 2,
        "o2": 2,
        "o3": 2,
        "o4": 2,
        "k1": 3,
        "k2": 3,
        "k3": 3,
    }
    names = {"400009": "福岡県", "410004": "佐賀県", "270008": "大阪府", "260002": "京都府",
             "130001": "東京都", "140007": "神奈川県", "150002": "新潟県"}  # fmt: skip
    rows = community_rows(G, community_of, prefecture_names=names)
    assert [(r["community"], r["size"], r["name"]) for r in rows] == [
        (1, 3, "福岡県・居場所/相談 — 主な主体: 乙町"),
        (2, 4, "大阪府 — 主な主体: o2"),
        (3, 3, "東京都・神奈川県など — 主な主体: k2"),
    ]
    # 乙町: tie weight 2 inside like the others, the largest population among equals
    assert rows[0]["dominant_share"] == 1.0 and rows[1]["dominant_share"] == 0.5
    en = community_rows(G, community_of, prefecture_names=names, lang="en")
    assert en[0]["name"] == "福岡県, ibasho/consultation — main body: 乙町"


def test_stated_nodes_are_left_out_with_whom_only_they_tied() -> None:
    """A stated centre (name not loaded) tied to a town and an NPO; the NPO has no other
    tie. Both the centre and the NPO go; the town keeps its other tie."""
    G = nx.Graph()
    G.add_node("s", label="SupportCenter", stated=True)
    G.add_node("t", label="Municipality")
    G.add_node("o", label="Organization")
    G.add_node("u", label="Municipality", stated=False)
    G.add_edges_from([("s", "t"), ("s", "o"), ("t", "u")])
    assert sorted(drop_stated(G)) == ["t", "u"]


def edge_cases() -> LoadResult:
    """The projects above, and: a stated centre S tied to W and to V (V has no other tie);
    K in a 京都府 town, tied to X and to I (I in X市, no other tie); N anchored nowhere,
    tied to Y; L refers to itself and to W."""
    r = projects()
    r.nodes.append(
        Node("Municipality", "261001", {"name": "K市", "prefecture_code": "260002", **SRC})
    )
    r.nodes.append(Node("SupportCenter", "s", {"name": "(stated)", "stated": True, **SRC}))
    for key in ("v", "k", "i", "n", "l"):
        r.nodes.append(Node("Organization", key, {"name": key.upper(), "kind": "npo", **SRC}))
    located = (("k", "261001"), ("i", "272001"))
    r.edges += [
        Edge("LOCATED_IN", ("Organization", o), ("Municipality", m), SRC) for o, m in located
    ]
    ties = (
        (("SupportCenter", "s"), ("Organization", "w")),
        (("SupportCenter", "s"), ("Organization", "v")),
        (("Organization", "k"), ("Municipality", "272001")),
        (("Organization", "k"), ("Organization", "i")),
        (("Organization", "n"), ("Municipality", "272002")),
        (("Organization", "l"), ("Organization", "l")),
        (("Organization", "l"), ("Organization", "w")),
    )
    r.edges += [Edge("PARTNERS_WITH", a, b, SRC) for a, b in ties]
    return r


@pytest.mark.parametrize("prefecture", [None, "270008"])
def test_the_network_read_by_columns_is_the_collaboration_graph(
    store_of: Callable[[LoadResult], GraphStore], prefecture: str | None
) -> None:
    """Stated nodes and whom only they tied, a prefecture's scope (its neighbours anchored
    nowhere kept, a body left with no tie in it kept), a loop: read by columns (edge ends
    as engine offsets, or as keys from a store without bulk columns), the same nodes, attributes
    and ties as the networkx graph; projected, the same again."""
    store = store_of(edge_cases())
    # the embedded store reads edge ends as engine offsets, by columns; Neo4j as keys
    assert hasattr(store, "columns") == isinstance(store, LadybugStore)
    got = read_network(store, prefecture=prefecture)
    want = network_of(collaboration_graph(store, prefecture=prefecture))
    rows = read_network(RowsOnly(store), prefecture=prefecture)  # type: ignore[arg-type]
    pairs = ((got, want), (rows, want), (actor_network(got), actor_network(want)))
    for x, y in pairs:
        assert x.ties.nodes == y.ties.nodes
        assert [dict(d) for d in x.data] == [dict(d) for d in y.data]
        assert _ties(x) == _ties(y)
        assert (x.ties.a.tolist(), x.ties.b.tolist()) == (y.ties.a.tolist(), y.ties.b.tolist())
    nodes = set(got.ties.nodes)
    assert not nodes & {"SupportCenter:s", "Organization:v"}
    if not prefecture:
        assert ("Organization:l", "Organization:l") in _ties(got)
    else:  # L is anchored nowhere and ties only to itself and W, anchored nowhere too
        assert "Organization:l" not in nodes
        assert {"Organization:i", "Organization:n", "Organization:w"} <= nodes
        assert not nodes & {"Organization:k", "Municipality:261001"}
        assert "Organization:i" not in actor_network(got).ties.nodes  # no tie left in 大阪府
