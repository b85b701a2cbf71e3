"""A synthetic graph shaped like the real one, at the sizes the benchmarks use."""

from __future__ import annotations

import random

from tsunagari.model import SERVICES
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

SIZES = {"S": (5_000, 20_000), "M": (50_000, 200_000), "L": (200_000, 1_000_000)}
N_PREF, N_MUNI = 47, 2_000


def synthetic(size: str, *, seed: int = 1) -> LoadResult:
    """47 prefectures, 2,000 municipalities, the rest organisations, centres and projects;
    COVERS, PARTNERS_WITH, REFERS_TO, OPERATES and FUNDS edges up to the size's edge count."""
    n_nodes, n_edges = SIZES[size]
    rng = random.Random(seed)
    src = {"source": "synthetic", "locator": ""}
    r = LoadResult(sources=[SourceInfo("synthetic", "synthetic benchmark graph")])
    prefs = [f"{i + 1:02d}0000" for i in range(N_PREF)]
    munis = [f"m{i:05d}" for i in range(N_MUNI)]
    r.nodes += [Node("Prefecture", p, {"name": f"県{p}", "population": 1000, **src}) for p in prefs]
    for i, m in enumerate(munis):
        pref = prefs[i % N_PREF]
        r.nodes.append(
            Node(
                "Municipality",
                m,
                {
                    "name": f"町{i}",
                    "kind": "town",
                    "prefecture_code": pref,
                    "population": rng.randrange(1_000, 500_000),
                    "lat": 35.0,
                    "lng": 135.0,
                    **src,
                },
            )
        )
        r.edges.append(Edge("IN_PREFECTURE", ("Municipality", m), ("Prefecture", pref), src))
    rest = n_nodes - N_PREF - N_MUNI
    orgs = [f"o{i}" for i in range(rest * 6 // 10)]
    centers = [f"c{i}" for i in range(rest * 2 // 10)]
    projects = [f"p{i}" for i in range(rest - len(orgs) - len(centers) - 1)]
    r.nodes.append(Node("Grant", "g", {"name": "交付金", **src}))
    for o in orgs:
        r.nodes.append(
            Node(
                "Organization",
                o,
                {"name": f"団体{o}", "kind": "npo", "services": rng.sample(SERVICES, 2), **src},
            )
        )
    for c in centers:
        r.nodes.append(
            Node(
                "SupportCenter",
                c,
                {
                    "name": f"センター{c}",
                    "kind": "ibasho",
                    "services": rng.sample(SERVICES, 2),
                    **src,
                },
            )
        )
    for p in projects:
        r.nodes.append(Node("Project", p, {"name": f"事業{p}", "fiscal_year": 2025, **src}))
        r.edges.append(Edge("FUNDS", ("Grant", "g"), ("Project", p), src))
    actors = [("Organization", o) for o in orgs] + [("SupportCenter", c) for c in centers]
    providers = actors + [("Project", p) for p in projects]
    for c in centers:
        r.edges.append(
            Edge("OPERATES", ("Organization", rng.choice(orgs)), ("SupportCenter", c), src)
        )
    seen: set[tuple[str, tuple[str, str], tuple[str, str]]] = set()
    while len(r.edges) < n_edges:
        kind = rng.random()
        if kind < 0.5:
            e = ("COVERS", rng.choice(providers), ("Municipality", rng.choice(munis)))
            props = {"services": [rng.choice(SERVICES)], "scope": "local", **src}
        else:
            a, b = rng.choice(actors), rng.choice(actors)
            if a == b:
                continue
            e = ("PARTNERS_WITH" if kind < 0.8 else "REFERS_TO", a, b)
            props = dict(src)
        if e in seen:
            continue
        seen.add(e)
        r.edges.append(Edge(e[0], e[1], e[2], props))
    return r
