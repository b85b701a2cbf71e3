"""A synthetic graph shaped like the real one, at the sizes the benchmarks use."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from tsunagari.model import SERVICES
from tsunagari.records import EdgeColumns, LoadResult, NodeColumns, SourceInfo

SIZES = {"S": (5_000, 20_000), "M": (50_000, 200_000), "L": (200_000, 1_000_000)}
N_PREF, N_MUNI = 47, 2_000


def synthetic(size: str, *, seed: int = 1) -> LoadResult:
    """47 prefectures, 2,000 municipalities, the rest organisations, centres and projects;
    COVERS, PARTNERS_WITH, REFERS_TO, OPERATES and FUNDS edges up to the size's edge count.
    Handed over as columns, one table per label and per edge type and ends, as a loader of a
    large input would (`NodeColumns.records()` gives the same rows as records)."""
    n_nodes, n_edges = SIZES[size]
    rng = random.Random(seed)
    r = LoadResult(sources=[SourceInfo("synthetic", "synthetic benchmark graph")])

    def nodes(label: str, keys: list[str], **props: list[Any]) -> None:
        r.node_columns.append(NodeColumns(label, keys, {**props, **_provenance(len(keys))}))

    prefs = [f"{i + 1:02d}0000" for i in range(N_PREF)]
    munis = [f"m{i:05d}" for i in range(N_MUNI)]
    nodes("Prefecture", prefs, name=[f"県{p}" for p in prefs], population=[1000] * N_PREF)
    in_pref = [prefs[i % N_PREF] for i in range(N_MUNI)]
    nodes(
        "Municipality",
        munis,
        name=[f"町{i}" for i in range(N_MUNI)],
        kind=["town"] * N_MUNI,
        prefecture_code=in_pref,
        population=[rng.randrange(1_000, 500_000) for _ in munis],
        lat=[35.0] * N_MUNI,
        lng=[135.0] * N_MUNI,
    )
    rest = n_nodes - N_PREF - N_MUNI
    orgs = [f"o{i}" for i in range(rest * 6 // 10)]
    centers = [f"c{i}" for i in range(rest * 2 // 10)]
    projects = [f"p{i}" for i in range(rest - len(orgs) - len(centers) - 1)]
    nodes("Grant", ["g"], name=["交付金"])
    for label, keys, name, kind in (
        ("Organization", orgs, "団体", "npo"),
        ("SupportCenter", centers, "センター", "ibasho"),
    ):
        nodes(
            label,
            keys,
            name=[f"{name}{k}" for k in keys],
            kind=[kind] * len(keys),
            services=[rng.sample(SERVICES, 2) for _ in keys],
        )
    nodes(
        "Project",
        projects,
        name=[f"事業{p}" for p in projects],
        fiscal_year=[2025] * len(projects),
    )
    operators = [rng.choice(orgs) for _ in centers]
    fixed = [
        EdgeColumns("IN_PREFECTURE", ("Municipality", "Prefecture"), munis, in_pref, {}),
        EdgeColumns("FUNDS", ("Grant", "Project"), ["g"] * len(projects), projects, {}),
        EdgeColumns("OPERATES", ("Organization", "SupportCenter"), operators, centers, {}),
    ]
    for e in fixed:
        e.props.update(_provenance(len(e.src)))
    r.edge_columns += fixed

    actors = [("Organization", o) for o in orgs] + [("SupportCenter", c) for c in centers]
    providers = actors + [("Project", p) for p in projects]
    Columns = tuple[list[str], list[str], list[Any]]  # from keys, to keys, services (COVERS)
    random_edges: dict[tuple[str, str, str], Columns] = defaultdict(lambda: ([], [], []))
    seen: set[tuple[str, tuple[str, str], tuple[str, str]]] = set()
    count = sum(len(e.src) for e in fixed)
    while count < n_edges:
        kind = rng.random()
        if kind < 0.5:
            e = ("COVERS", rng.choice(providers), ("Municipality", rng.choice(munis)))
            services = [rng.choice(SERVICES)]
        else:
            a, b = rng.choice(actors), rng.choice(actors)
            if a == b:
                continue
            e = ("PARTNERS_WITH" if kind < 0.8 else "REFERS_TO", a, b)
        if e in seen:
            continue
        seen.add(e)
        src, dst, covers_services = random_edges[e[0], e[1][0], e[2][0]]
        src.append(e[1][1])
        dst.append(e[2][1])
        if e[0] == "COVERS":
            covers_services.append(services)
        count += 1
    for (etype, a, b), (src, dst, covers_services) in random_edges.items():
        props = _provenance(len(src))
        if etype == "COVERS":
            props |= {"services": covers_services, "scope": ["local"] * len(src)}
        r.edge_columns.append(EdgeColumns(etype, (a, b), src, dst, props))
    return r


def _provenance(n: int) -> dict[str, list[Any]]:
    return {"source": ["synthetic"] * n, "locator": [""] * n}
