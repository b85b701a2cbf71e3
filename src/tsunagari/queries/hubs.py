"""Hubs and brokers: who holds the network together, measured among the bodies that act.

By default the network is the actors' (`actors.actor_network`): organisations, centres,
platforms and governments, with each funded project turned into ties among its
participants; `among="all"` keeps projects as nodes. Every measure runs on the nodes in
id order (`structural.Ties`), so the same store gives the same answer whatever order its
rows come in. Betweenness (unweighted: a tie is a tie) is exact (networkx) up to
`exact_limit` nodes; above that it is estimated from sampled source nodes (Brandes & Pich
2007; igraph's `betweenness(sources=…)`), in batches whose spread gives a standard error
per node; on large networks the batches run in a process per core while the other measures
are computed. Communities maximise weighted modularity: Louvain (networkx) when small,
Leiden (igraph) when large; each is named by its dominant prefecture, its services and its
best-connected body. Structural holes and brokerage roles: `structural`."""

from __future__ import annotations

import math
import os
import pickle
import random
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.model import SERVICES
from tsunagari.queries import run_query
from tsunagari.queries.actors import Network, actor_network, network_of, read_network
from tsunagari.queries.network import paused_gc
from tsunagari.queries.structural import (
    ROLES,
    Ties,
    brokerage_roles,
    structural_holes,
    ties_given,
    ties_of,
)
from tsunagari.tables import VALUES_JA

EXACT_LIMIT = 2_000  # nodes; exact Brandes in networkx stays within seconds below this
LOUVAIN_LIMIT = 2_000  # nodes; networkx Louvain took 0.7 s at 5k nodes, igraph 0.06 s (PERF_NOTES)
SAMPLES = 256  # sampled sources for large graphs
BATCHES = 8
POOL_TIES = 50_000  # ties; below this starting worker processes costs more than it saves
AMONG = ("actors", "all")  # the bodies that act (projects as ties), or every node
GROUPS = ("communities", "prefectures")  # the groups of the brokerage roles
ORDERS = ("betweenness", "constraint", "effective_size", "brokerage")


@dataclass
class Betweenness:
    values: dict[str, float]
    se: dict[str, float] | None  # standard error per node when sampled
    method: str  # "exact" | "sampled"
    sources: int  # source nodes used


@dataclass
class HubResult:
    rows: list[dict[str, Any]]
    communities: list[dict[str, Any]]
    betweenness: Betweenness
    nodes: int
    edges: int
    community_of: dict[str, int] = field(default_factory=dict)
    among: str = "actors"
    groups: str = "communities"


def betweenness(
    G: nx.Graph,
    *,
    exact_limit: int = EXACT_LIMIT,
    samples: int = SAMPLES,
    batches: int = BATCHES,
    seed: int = 0,
    workers: int | None = None,
) -> Betweenness:
    """Normalised betweenness on the undirected graph, exact or sampled (see module doc).

    The sampled batches run on `workers` processes (default: one per core, up to one per
    batch, from POOL_TIES ties on); each batch gives the same numbers in any process, so
    the result does not depend on how many."""
    t = ties_of(G)
    if len(G) <= max(exact_limit, 2):
        return _exact(t)
    with _sampled(
        t, samples=samples, batches=batches, seed=seed, workers=_workers(t, workers, batches)
    ) as estimate:
        return estimate()


def _exact(t: Ties) -> Betweenness:
    values = nx.betweenness_centrality(_graph_of(t))
    return Betweenness(values, None, "exact", len(t.nodes))


def _graph_of(t: Ties) -> nx.Graph:
    """The ties in networkx, nodes and ties in their canonical order (for the exact and the
    small-network measures, whose sums and choices follow the graph's order)."""
    G = nx.Graph()
    G.add_nodes_from(t.nodes)
    G.add_weighted_edges_from(
        (t.nodes[u], t.nodes[v], w)
        for u, v, w in zip(t.a.tolist(), t.b.tolist(), t.weight.tolist(), strict=True)
    )
    return G


def _workers(t: Ties, workers: int | None, batches: int) -> int:
    if workers is not None:
        return workers
    return min(os.cpu_count() or 1, batches) if len(t.a) >= POOL_TIES else 1


@contextmanager
def _sampled(
    t: Ties, *, samples: int, batches: int, seed: int, workers: int
) -> Iterator[Callable[[], Betweenness]]:
    """The sampled estimate, ready when called for: with `workers` > 1 the batches run in
    that many child processes, each a share of them, while the caller computes other
    measures; a worker still running on the way out is stopped."""
    n = len(t.nodes)
    samples = min(samples, n)
    chosen = random.Random(seed).sample(range(n), samples)
    size = math.ceil(samples / batches)
    parts = [chosen[i : i + size] for i in range(0, samples, size)]
    shares = [list(range(k, len(parts), workers)) for k in range(min(workers, len(parts)))]
    procs: list[subprocess.Popen[bytes]] = []
    done: list[np.ndarray] = []

    def raws() -> list[np.ndarray]:
        if not procs:
            return done
        out: list[np.ndarray] = [np.zeros(0) for _ in parts]
        for proc, share in zip(procs, shares, strict=True):
            answer, error = _finish(proc)
            if proc.returncode:
                raise QueryError(f"a betweenness worker failed: {error.decode()[-400:]}")
            for i, raw in zip(share, pickle.loads(answer), strict=True):
                out[i] = raw
        return out

    def estimate() -> Betweenness:
        # igraph sums over (source, target) with each source's paths counted once: half the
        # ordered-pair sum; × n / k undoes the sampling, / ((n-1)(n-2)) / 2 normalises.
        # Arrays, with each element's operations in the order node-by-node Python had them.
        estimates = [
            raw * (2 * n / (len(part) * (n - 1) * (n - 2)))
            for raw, part in zip(raws(), parts, strict=True)
        ]
        # batches of unequal size: weight by size so the mean is the all-samples estimate
        total: Any = 0
        for x, part in zip(estimates, parts, strict=True):
            total = total + x * len(part)
        mean = total / samples
        if len(estimates) > 1:
            spread: Any = 0
            for x in estimates:
                spread = spread + (x - mean) * (x - mean)  # main had ** 2 (libm pow): ±1 ulp
            var = spread / (len(estimates) - 1)
        else:
            var = np.zeros(n)
        se = np.sqrt(var / len(estimates))
        return Betweenness(
            dict(zip(t.nodes, mean.tolist(), strict=True)),
            dict(zip(t.nodes, se.tolist(), strict=True)),
            "sampled",
            samples,
        )

    try:
        if len(shares) > 1:
            for share in shares:
                procs.append(_start_worker(t, [parts[i] for i in share]))
        else:
            done = [np.array(t.graph.betweenness(directed=False, sources=p)) for p in parts]
        yield estimate
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            if proc.stdout and not proc.stdout.closed:
                _finish(proc)


def _start_worker(t: Ties, parts: list[list[int]]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tsunagari.queries._betweenness_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    payload = pickle.dumps((len(t.nodes), t.a, t.b, parts), pickle.HIGHEST_PROTOCOL)

    def feed() -> None:  # in a thread: the caller goes on while the worker starts and reads
        assert proc.stdin is not None
        try:
            with proc.stdin:
                proc.stdin.write(payload)
        except BrokenPipeError:  # stopped on the way out
            pass

    threading.Thread(target=feed, daemon=True).start()
    return proc


def _finish(proc: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """The worker's answer and error text, once it has ended (it reads all its input first)."""
    assert proc.stdout is not None and proc.stderr is not None
    with proc.stdout, proc.stderr:
        answer, error = proc.stdout.read(), proc.stderr.read()
    proc.wait()
    return answer, error


def communities(
    G: nx.Graph | None,
    *,
    seed: int = 0,
    louvain_limit: int = LOUVAIN_LIMIT,
    ties: Ties | None = None,
) -> dict[str, int]:
    """Community number of each node: 1 = the largest community, ties by first member.
    `ties`: `ties_of(G)` when made already (then `G` is not read). The same ties in any
    order give the same communities: both methods run on the canonical order."""
    t = ties_given(G, ties)
    if len(t.nodes) <= louvain_limit:
        groups = [set(c) for c in nx.community.louvain_communities(_graph_of(t), seed=seed)]
    else:
        state = random.getstate()
        random.seed(seed)  # python-igraph draws from Python's random module
        try:
            # Leiden on modularity: Louvain's objective, well-connected communities, and
            # about 40× faster than igraph's multilevel at 40k nodes (PERF measured here)
            found_by = t.graph.community_leiden(
                objective_function="modularity", weights="weight", n_iterations=2
            )
            membership = found_by.membership
        finally:
            random.setstate(state)
        found: dict[int, set[str]] = {}
        for v, c in zip(t.nodes, membership, strict=True):
            found.setdefault(c, set()).add(v)
        groups = list(found.values())
    groups.sort(key=lambda c: (-len(c), min(c)))
    return {v: i for i, c in enumerate(groups, start=1) for v in c}


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None or math.isnan(x) else round(x, digits)


def hub_metrics(
    G: nx.Graph | Network,
    *,
    groups: str = "communities",
    by: str = "betweenness",
    top: int | None = None,
    exact_limit: int = EXACT_LIMIT,
    samples: int = SAMPLES,
    seed: int = 0,
    prefecture_names: Mapping[str, str] | None = None,
    lang: str = "ja",
) -> HubResult:
    """Hub rows (ranked `by` one of ORDERS, then degree) and the named communities of a
    networkx graph (ties `weight`ed, with their `services`) or a `Network`."""
    if groups not in GROUPS or by not in ORDERS:
        raise ValueError(f"groups must be one of {GROUPS}, by one of {ORDERS}")
    net = G if isinstance(G, Network) else network_of(G)
    t = net.ties  # the one conversion: igraph and the arrays of structural
    with (
        _sampled(
            t,
            samples=samples,
            batches=BATCHES,
            seed=seed,
            workers=_workers(t, None, BATCHES),
        )
        if len(t.nodes) > max(exact_limit, 2)
        else nullcontext(lambda: _exact(t)) as pending
    ):
        # the rest is computed while the sampled batches run in the workers
        community_of = communities(None, seed=seed, ties=t)
        holes = structural_holes(None, ties=t)
        group_of: Mapping[str, Any] = (
            community_of
            if groups == "communities"
            else {v: _prefecture(d) for v, d in zip(t.nodes, net.data, strict=True)}
        )
        roles = brokerage_roles(None, group_of, ties=t)
        names = prefecture_names or {}
        named = community_rows(net, community_of, prefecture_names=names, lang=lang)
        rows = _rows(net, holes, roles, community_of, names)
        bc = pending()
    se = bc.se
    for r in rows:  # the one measure the workers give: filled in last
        r["betweenness"] = round(bc.values[r["node"]], 6)
        r["betweenness_se"] = round(se[r["node"]], 6) if se is not None else None
    rows.sort(key=_order(by))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return HubResult(
        rows=rows[:top] if top else rows,
        communities=named,
        betweenness=bc,
        nodes=len(t.nodes),
        edges=len(t.a),
        community_of=community_of,
        groups=groups,
    )


def _rows(
    net: Network,
    holes: Mapping[str, tuple[float, float]],
    roles: Mapping[str, dict[str, int] | None],
    community_of: Mapping[str, int],
    names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """A row per node, in HUB_COLUMNS' order, betweenness still to be filled in."""
    t = net.ties
    degree = t.degree.tolist()
    rows = []
    for i, (v, data) in enumerate(zip(t.nodes, net.data, strict=True)):
        constraint, effective = holes.get(v, (math.nan, math.nan))
        role = roles[v]
        pref = _prefecture(data)
        rows.append(
            {
                "rank": 0,
                "node": v,
                "label": data["label"],
                "key": data["key"],
                "name": data.get("name"),
                "kind": data.get("kind"),
                "prefecture": names.get(pref, pref) if pref else None,
                "degree": degree[i],
                "betweenness": None,
                "betweenness_se": None,
                "constraint": _round(constraint, 4),
                "effective_size": _round(effective, 3),
                "community": community_of[v],
                **{r: (role[r] if role is not None else None) for r in ROLES},
                "brokerage": sum(role.values()) if role is not None else None,
            }
        )
    return rows


def _prefecture(data: Mapping[str, Any]) -> str | None:
    """The group of a node by prefecture: the first it works in (None when anchored nowhere)."""
    prefs = data.get("prefectures") or ()
    return prefs[0] if prefs else None


def _order(by: str) -> Any:
    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        tail = (-r["degree"], r["name"] or "", r["node"])
        if by == "constraint":  # lowest first: the fewest closed, dominant ties
            c = r["constraint"]
            return (c is None, c if c is not None else 0.0, *tail)
        return (-(r[by] or 0), *tail)

    return key


def community_rows(
    G: nx.Graph | Network,
    community_of: dict[str, int],
    *,
    shown: int = 5,
    prefecture_names: Mapping[str, str] | None = None,
    lang: str = "ja",
) -> list[dict[str, Any]]:
    """One row per community, named by what it is: its dominant prefecture (where most of
    its members work), its commonest services (members' own and those of the projects that
    tie them) and its best-connected body (most tie weight inside), with its size."""
    names = prefecture_names or {}
    net = G if isinstance(G, Network) else network_of(G)
    t = net.ties
    data = dict(zip(t.nodes, net.data, strict=True))
    members: dict[int, list[str]] = {}
    for v, c in community_of.items():
        members.setdefault(c, []).append(v)
    # the ties inside a community: each end's tie weight and tie services
    group = np.array([community_of.get(v, 0) for v in t.nodes], dtype=np.int64)
    inside = (group[t.a] == group[t.b]) & (group[t.a] > 0)
    n = len(t.nodes)
    weight = np.bincount(t.a[inside], weights=t.weight[inside], minlength=n)
    other = inside & (t.a != t.b)  # a loop counts once
    weight += np.bincount(t.b[other], weights=t.weight[other], minlength=n)
    strength = dict(zip(t.nodes, weight.tolist(), strict=True))
    tie_services: dict[str, set[str]] = {}
    if net.services is not None:
        for k in np.flatnonzero(inside).tolist():
            if net.services[k]:
                for x in {t.nodes[t.a[k]], t.nodes[t.b[k]]}:
                    tie_services.setdefault(x, set()).update(net.services[k])
    out = []
    for c, vs in sorted(members.items()):
        vs.sort(key=lambda v: (-strength[v], -(data[v].get("population") or 0), v))
        prefs: Counter[str] = Counter()
        services: Counter[str] = Counter()
        for v in vs:
            prefs.update(data[v].get("prefectures") or ())
            services.update({*(data[v].get("services") or ()), *tie_services.get(v, ())})
        top_prefs = sorted(prefs.items(), key=lambda x: (-x[1], x[0]))
        share = top_prefs[0][1] / len(vs) if top_prefs else 0.0
        main_services = sorted(services, key=lambda s: (-services[s], SERVICES.index(s)))[:2]
        row: dict[str, Any] = {
            "community": c,
            "name": "",
            "size": len(vs),
            "prefecture": names.get(top_prefs[0][0], top_prefs[0][0]) if top_prefs else None,
            "dominant_share": round(share, 3),
            "services": main_services,
            "central": data[vs[0]].get("name") or vs[0],
            "top_members": [data[v].get("name") or v for v in vs[:shown]],
        }
        others = [names.get(p, p) for p, _ in top_prefs[1:2]] if share < 0.5 else []
        row["name"] = community_name(row, others=others, lang=lang)
        out.append(row)
    return out


def community_name(row: Mapping[str, Any], *, others: list[str], lang: str = "ja") -> str:
    """「福岡県・居場所/相談 — 主な主体: 北九州市ひきこもり地域支援センター」: where, what, who."""
    ja = lang == "ja"
    where = row["prefecture"] or ("都道府県不明" if ja else "no prefecture")
    if others:
        where = "・".join([where, *others]) + ("など" if ja else " etc.")
    what = "/".join(VALUES_JA.get(s, s) if ja else s.replace("_", " ") for s in row["services"])
    if what:
        where += f"・{what}" if ja else f", {what}"
    return f"{where} — {'主な主体' if ja else 'main body'}: {row['central']}"


def prefecture_names(store: GraphStore) -> dict[str, str]:
    return {r["code"]: r["name"] for r in run_query(store, "prefectures")}


def hub_table(
    store: GraphStore,
    *,
    among: str = "actors",
    groups: str = "communities",
    by: str = "betweenness",
    prefecture: str | None = None,
    top: int | None = None,
    exact_limit: int = EXACT_LIMIT,
    samples: int = SAMPLES,
    lang: str = "ja",
    graph: nx.Graph | None = None,
) -> HubResult:
    """Hubs, brokers and named communities of the collaboration network, read once (or
    given: `graph` is the collaboration network of the prefecture, read, not changed).

    `among="actors"` (default) ranks the bodies that act, funded projects turned into ties
    between their participants; `"all"` keeps projects as nodes. Stated, unnamed nodes
    (`stated = true`) never appear (see network.collaboration_graph).
    """
    if among not in AMONG:
        raise ValueError(f"among must be one of {AMONG}")
    with paused_gc():  # a row dict per node, sets and lists per tie: nothing to collect
        net = network_of(graph) if graph is not None else read_network(store, prefecture=prefecture)
        if among == "actors":
            net = actor_network(net)
        result = hub_metrics(
            net,
            groups=groups,
            by=by,
            top=top,
            exact_limit=exact_limit,
            samples=samples,
            prefecture_names=prefecture_names(store),
            lang=lang,
        )
    result.among = among
    return result


HUB_COLUMNS = (
    "rank",
    "name",
    "label",
    "kind",
    "prefecture",
    "degree",
    "betweenness",
    "betweenness_se",
    "constraint",
    "effective_size",
    "community",
    *ROLES,
    "brokerage",
    "node",
)
COMMUNITY_COLUMNS = (
    "community",
    "name",
    "size",
    "prefecture",
    "dominant_share",
    "services",
    "central",
    "top_members",
)

# One plain sentence per measure, for the table footer and the report: (ja, en).
MEASURES: dict[str, tuple[str, str]] = {
    "degree": (
        "次数: 直接つながっている相手の数。",
        "Degree: the number of bodies it is tied to directly.",
    ),
    "betweenness": (
        "媒介中心性: ほかの2者を結ぶ最短の道筋のうち、この主体を通るものの割合で、"
        "高いほど離れた相手どうしの間に立っている。",
        "Betweenness: the share of shortest paths between two others that pass through it; "
        "high means it stands between bodies that are otherwise apart.",
    ),
    "constraint": (
        "制約度（Burt）: つながりが、互いにもつながっている少数の相手に集まっている度合いで、"
        "低いほど互いを知らない相手どうしをつなぐ位置にいる（相手が多いだけでも低くなる）。",
        "Constraint (Burt): how far its ties go to a few contacts who are tied to each other; "
        "low means it links contacts who do not know each other (it also falls with many "
        "contacts).",
    ),
    "effective_size": (
        "実効規模（Burt）: 相手のうち、ほかの相手と重ならない相手の実質的な数。",
        "Effective size (Burt): how many of its contacts are not tied to its other contacts.",
    ),
    "coordinator": (
        "調整役: 同じグループ内で、直接つながらない2者の間に立つ回数。",
        "Coordinator: how often it stands between two unlinked contacts, all in its own group.",
    ),
    "itinerant": (
        "渡り役: 別のグループの、直接つながらない2者の間に立つ回数。",
        "Itinerant: how often it stands between two unlinked contacts of one other group.",
    ),
    "gatekeeper": (
        "門番・代表: 自分のグループの相手と、別のグループの相手との間に立つ回数。",
        "Gatekeeper/representative: how often it stands between a contact of its own group "
        "and one of another group.",
    ),
    "liaison": (
        "橋渡し: 自分とも互いとも違うグループの2者の間に立つ回数。",
        "Liaison: how often it stands between two contacts of two other groups, neither its own.",
    ),
}


def measure_lines(*, groups: str, lang: str = "ja") -> list[str]:
    """One sentence per measure of the hub table, and the groups of its brokerage roles."""
    i = 0 if lang == "ja" else 1
    group = {
        "communities": (
            "仲介の役割のグループ: コミュニティ。",
            "Groups of the roles: communities.",
        ),
        "prefectures": ("仲介の役割のグループ: 都道府県。", "Groups of the roles: prefectures."),
    }[groups][i]
    return [*(m[i] for m in MEASURES.values()), group]


def scope_lines(*, among: str, lang: str = "ja") -> list[str]:
    """What the hub table is measured on, and what the data cannot show."""
    ja = lang == "ja"
    network = {
        "actors": (
            "対象: 活動する主体（団体・拠点・プラットフォーム・自治体）。交付事業は、同じ事業に"
            "参加する主体どうしの関係（共有する事業の数で重み付け）に置き換えています。",
            "Among the bodies that act (organisations, centres, platforms, governments); each "
            "funded project becomes ties between its participants, weighted by shared projects.",
        ),
        "all": (
            "対象: 事業も1つのノードとして含むすべての関係。",
            "Among every node, projects included.",
        ),
    }[among][0 if ja else 1]
    limits = (
        "関係は文書に書かれているものだけです（書かれていない連携は見えません）。"
        "まとめて記載された事実（「全都道府県に設置」など、名前を読み込んでいない拠点）は"
        "順位に含めていません。"
        if ja
        else "Ties exist only where a document states them (unwritten cooperation is not "
        "seen); facts stated in aggregate (a centre whose name is not loaded) are never ranked."
    )
    return [network, limits]
