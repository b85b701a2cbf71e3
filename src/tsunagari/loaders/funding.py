"""Funding decisions as structured CSV (written by the importer) and as graph records."""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from tsunagari.loaders.decision_list import DecisionList, parse_decision_list
from tsunagari.loaders.master import bundled_sources, data_path, master_rows
from tsunagari.records import Edge, LoadResult, Node, Problem, SourceInfo

log = logging.getLogger(__name__)

FILES = ("source.csv", "grant.csv", "projects.csv", "partners.csv", "figures.csv")
PROJECT_COLUMNS = [
    "id",
    "list",
    "fiscal_year",
    "round",
    "lead_code",
    "lead_name",
    "name",
    "cost_thousand_yen",
    "wide_area",
    "services",
    "services_basis",
    "locator",
]
PARTNER_COLUMNS = ["project_id", "code", "name", "cost_thousand_yen", "cost_text", "locator"]
FIGURE_COLUMNS = ["scope", "figure", "value", "locator"]
GRANT_COLUMNS = ["id", "name", "ministry", "locator"]
SOURCE_COLUMNS = ["id", "title", "publisher", "date", "file", "sha256"]


def is_funding_folder(path: Path) -> bool:
    return path.is_dir() and all((path / f).is_file() for f in FILES)


def bundled_funding() -> Path:
    return data_path("funding")


def published_figures_path() -> Path:
    """The folder whose figures.csv holds the bundled decision's printed figures."""
    return bundled_funding()


def import_decision_list(
    path: Path,
    out: Path,
    *,
    fiscal_year: int,
    round_: int,
    source: SourceInfo | None = None,
    grant: dict[str, str] | None = None,
) -> DecisionList:
    """Parse the list at `path`; write the folder `out` only when there is no problem."""
    data = path.read_bytes()
    parsed = parse_decision_list(
        data.decode("utf-8-sig"), file=path.name, fiscal_year=fiscal_year, round_=round_
    )
    if parsed.problems:
        return parsed
    source = source or SourceInfo(
        id=f"funding-{fiscal_year}-r{round_}",
        title=path.name,
        file=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    grant = grant or {
        "id": f"grant-{fiscal_year}",
        "name": "社会参加活躍支援等孤独・孤立対策推進交付金",
        "ministry": "内閣府",
        "locator": f"{path.name} l.1",
    }
    at = f"{path.name} l."
    keywords = service_keywords()
    partners_of: dict[str, list[str]] = {}
    for q in parsed.partners:
        partners_of.setdefault(q.project_id, []).append(q.cost_text)
    projects = []
    for p in parsed.projects:
        services, basis = services_of(p.name, keywords)
        projects.append(
            {
                "id": p.id,
                "list": p.list,
                "fiscal_year": fiscal_year,
                "round": round_,
                "lead_code": p.lead.code,
                "lead_name": p.lead.text,
                "name": p.name,
                "cost_thousand_yen": p.cost_thousand_yen,
                "wide_area": _wide_area(p.wide_area_mark, partners_of.get(p.id, [])),
                "services": ";".join(services),
                "services_basis": basis,
                "locator": f"{at}{p.line}",
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "source.csv", SOURCE_COLUMNS, [source.__dict__])
    _write(out / "grant.csv", GRANT_COLUMNS, [grant])
    _write(out / "projects.csv", PROJECT_COLUMNS, projects)
    _write(
        out / "partners.csv",
        PARTNER_COLUMNS,
        (
            {
                "project_id": q.project_id,
                "code": q.place.code,
                "name": q.place.text,
                "cost_thousand_yen": q.cost_thousand_yen,
                "cost_text": q.cost_text,
                "locator": f"{at}{q.line}",
            }
            for q in parsed.partners
        ),
    )
    _write(
        out / "figures.csv",
        FIGURE_COLUMNS,
        ({**f.__dict__, "locator": f"{at}{f.line}"} for f in parsed.figures),
    )
    return parsed


def _wide_area(marked: bool, partner_costs: list[str]) -> str:
    """none; integrated when the lead executes the grant for every partner (all costs ―);
    coordinated otherwise: a partner carries its own cost, no partner cost is printed
    (別紙1), or the row is a partner's own share of another's 【広域】 project."""
    if not marked:
        return "none"
    if partner_costs and all(c in ("―", "－", "—", "‐", "-") for c in partner_costs):
        return "integrated"
    return "coordinated"


@cache
def service_keywords() -> tuple[tuple[str, str], ...]:
    """(keyword, service): how a project's name is read as services (the lists name none)."""
    with data_path("funding_service_keywords.csv").open(encoding="utf-8", newline="") as f:
        return tuple((r["keyword"], r["service"]) for r in csv.DictReader(f))


def services_of(name: str, keywords: Iterable[tuple[str, str]]) -> tuple[list[str], str]:
    found: dict[str, str] = {}
    for word, service in keywords:
        if word in name and service not in found:
            found[service] = word
    return sorted(found), "; ".join(f"{s}:「{w}」" for s, w in sorted(found.items()))


def _write(path: Path, columns: list[str], rows: Iterable[Mapping[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_bundled_funding() -> LoadResult:
    """The FY2025 first-round decision (seed 000), as imported into data/funding/, with the
    partners' roles and project summaries of its case tables (別紙2-③④, curated by hand)."""
    result = load_funding(bundled_funding(), source=bundled_sources()["seed-000"])
    return with_case_tables(result, _read(data_path("funding_roles.csv")))


def with_case_tables(result: LoadResult, cases: list[dict[str, str]]) -> LoadResult:
    """Set PARTNERS_IN.role on every partner of a case table's project (the tables state one
    role for all of them) and the project's summary; each cites its lines."""
    runs = {e.dst[1]: e.src[1] for e in result.edges if e.type == "RUNS"}
    projects = {n.key: n for n in result.nodes if n.label == "Project"}
    by_case = {(c["lead_code"], c["project_name"]): c for c in cases}
    chosen: dict[str, dict[str, str]] = {}
    for key, node in projects.items():
        case = by_case.get((runs[key], str(node.props["name"])))
        if case is not None:
            chosen[key] = case
    missing = set(by_case) - {(c["lead_code"], c["project_name"]) for c in chosen.values()}
    result.problems += [
        Problem(
            "unknown-project",
            "funding_roles.csv",
            None,
            "project_name",
            name,
            f"no project {name} run by {code}",
        )
        for code, name in sorted(missing)
    ]
    for key, case in chosen.items():
        node = projects[key]
        node.props["summary"] = case["summary"]
        node.props["locator"] = (
            f"{node.props['locator']}; summary {_lines(case['summary_locator'])}"
        )
    for e in result.edges:
        case = chosen.get(e.dst[1]) if e.type == "PARTNERS_IN" else None
        if case is not None:
            e.props["role"] = case["role"]
            e.props["locator"] = f"{e.props['locator']}; role {_lines(case['role_locator'])}"
    return result


def _lines(locator: str) -> str:
    return locator.rpartition(" ")[2]


def load_funding(folder: Path, *, source: SourceInfo | None = None) -> LoadResult:
    """Grant, Project, RUNS, PARTNERS_IN, FUNDS and COVERS records of an imported folder."""
    missing = [f for f in FILES if not (folder / f).is_file()]
    if missing:
        return LoadResult(
            problems=[
                Problem(
                    "missing-file", str(folder / m), None, "", m, "not an import-funding folder"
                )
                for m in missing
            ]
        )
    source = source or SourceInfo(**_read(folder / "source.csv")[0])
    result = LoadResult(sources=[source])
    src = source.id
    grant = _read(folder / "grant.csv")[0]
    result.nodes.append(
        Node(
            "Grant",
            grant["id"],
            {
                "name": grant["name"],
                "ministry": grant["ministry"],
                "source": src,
                "locator": grant["locator"],
            },
        )
    )
    labels = _labels()
    partners: dict[str, list[dict[str, str]]] = {}
    for q in _read(folder / "partners.csv"):
        partners.setdefault(q["project_id"], []).append(q)
    for p in _read(folder / "projects.csv"):
        _project(result, p, partners.get(p["id"], []), grant["id"], src, labels)
    log.info("funding %s: %d nodes, %d edges", folder.name, len(result.nodes), len(result.edges))
    return result


def _project(
    result: LoadResult,
    p: dict[str, str],
    partners: list[dict[str, str]],
    grant_id: str,
    src: str,
    labels: dict[str, str],
) -> None:
    services = [s for s in p["services"].split(";") if s]
    me = ("Project", p["id"])
    at = {"source": src, "locator": p["locator"]}
    result.nodes.append(
        Node(
            "Project",
            p["id"],
            {
                "name": p["name"],
                "fiscal_year": int(p["fiscal_year"]),
                "round": int(p["round"]),
                "list": p["list"],
                "platform": p["list"] == "別紙1",
                "cost_thousand_yen": _int(p["cost_thousand_yen"]),
                "grant_id": grant_id,
                "wide_area": p["wide_area"],
                "services": services,
                "summary": p["name"] if p["list"] == "別紙1" else None,
                **at,
            },
        )
    )
    lead = (labels[p["lead_code"]], p["lead_code"])
    cost = _int(p["cost_thousand_yen"])
    result.edges.append(Edge("RUNS", lead, me, {"cost_thousand_yen": cost, **at}))
    result.edges.append(Edge("FUNDS", ("Grant", grant_id), me, {"amount_thousand_yen": None, **at}))
    for q in partners:
        where = {"source": src, "locator": q["locator"]}
        place = (labels[q["code"]], q["code"])
        props = {"role": None, "cost_thousand_yen": _int(q["cost_thousand_yen"]), **where}
        result.edges.append(Edge("PARTNERS_IN", place, me, props))
        if place[0] == "Municipality":
            cover = {"services": services, "scope": "wide_area", **where}
            result.edges.append(Edge("COVERS", me, place, cover))
    if lead[0] == "Municipality":
        scope = "wide_area" if partners else "local"
        result.edges.append(Edge("COVERS", me, lead, {"services": services, "scope": scope, **at}))
    elif not partners:  # a prefecture's own project serves the whole prefecture
        for code in _municipalities_of(lead[1]):
            cover = {"services": services, "scope": "prefecture", **at}
            result.edges.append(Edge("COVERS", me, ("Municipality", code), cover))


def _int(text: str) -> int | None:
    return int(text) if text else None


@cache
def _labels() -> dict[str, str]:
    return {
        r["code"]: "Prefecture" if r["kind"] == "prefecture" else "Municipality"
        for r in master_rows()
    }


@cache
def _municipalities_of(prefecture_code: str) -> tuple[str, ...]:
    """The municipalities of a prefecture (designated cities as one; their wards left out)."""
    rows = master_rows()
    pref = next(r["pref_code"] for r in rows if r["code"] == prefecture_code)
    return tuple(
        r["code"]
        for r in rows
        if r["pref_code"] == pref and r["kind"] not in ("prefecture", "ward")
    )
