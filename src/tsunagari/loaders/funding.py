"""Funding decisions as structured CSV (written by the importer) and as graph records."""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tsunagari.loaders.decision_list import DecisionList, parse_decision_list
from tsunagari.loaders.master import bundled_sources, data_path, master_rows
from tsunagari.loaders.project_services import (
    PURPOSE,
    ROLE,
    SPECIALISED,
    SUMMARY,
    Passage,
    read_project,
)
from tsunagari.loaders.tabular import decode, undecodable, unreadable
from tsunagari.records import Edge, LoadResult, Node, Problem, SourceInfo

log = logging.getLogger(__name__)

FILES = (
    "source.csv",
    "grant.csv",
    "projects.csv",
    "partners.csv",
    "figures.csv",
    "passages.csv",
    "project_services.csv",
)
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
    "locator",
]
PASSAGE_COLUMNS = ["project_id", "kind", "line", "text"]
SERVICE_COLUMNS = ["project_id", "name", "service", "basis", "where"]
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


def _not_a_list(path: Path, why: str) -> Problem:
    return Problem(
        "not-a-decision-list",
        str(path),
        None,
        "",
        "",
        f"{why}: give the text extracted from a 交付団体 decision PDF (pdftotext -layout)",
    )


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
    refused = unreadable(path, str(path))
    if refused is not None:
        return DecisionList(problems=[refused])
    data = path.read_bytes()
    decoded = decode(data)
    if decoded is None:
        return DecisionList(problems=[undecodable(str(path), data)])
    parsed = parse_decision_list(decoded[0], file=path.name, fiscal_year=fiscal_year, round_=round_)
    if not parsed.problems and not parsed.projects:
        parsed.problems.append(_not_a_list(path, "holds no project row of 別紙1 or 別紙2"))
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
    partners_of: dict[str, list[str]] = {}
    for q in parsed.partners:
        partners_of.setdefault(q.project_id, []).append(q.cost_text)
    projects = []
    for p in parsed.projects:
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
    texts = [("", parsed.purpose)] if parsed.purpose else []
    texts += [(pid, t) for pid, passages in parsed.texts.items() for t in passages]
    _write(
        out / "passages.csv",
        PASSAGE_COLUMNS,
        (
            {"project_id": pid, "kind": t.kind, "line": n, "text": line}
            for pid, t in texts
            for n, line in zip(t.numbers, t.lines, strict=True)
        ),
    )
    _write(out / "project_services.csv", SERVICE_COLUMNS, service_rows(out))
    return parsed


def service_rows(folder: Path) -> list[dict[str, str]]:
    """The rules applied to a folder's projects and passages: one row per reading."""
    texts = _passages(folder)
    purpose = next(iter(texts.get("", {}).get(PURPOSE, [])), None)
    rows = []
    for p in _read(folder / "projects.csv"):
        own = [t for kind in (SUMMARY, ROLE) for t in texts.get(p["id"], {}).get(kind, [])]
        annex2 = p["list"].startswith("別紙2")
        for r in read_project(p["name"], annex2=annex2, texts=own, purpose=purpose):
            rows.append({"project_id": p["id"], "name": p["name"], **r.__dict__})
    return rows


def _passages(folder: Path) -> dict[str, dict[str, list[Passage]]]:
    """project id → kind → passages (the consecutive rows of one project and kind make one)."""
    out: dict[str, dict[str, list[Passage]]] = {}
    last: tuple[str, str] | None = None
    for r in _read(folder / "passages.csv"):
        kinds = out.setdefault(r["project_id"], {}).setdefault(r["kind"], [])
        line = int(r["line"])
        if last == (r["project_id"], r["kind"]):
            t = kinds[-1]
            kinds[-1] = Passage(t.kind, (*t.lines, r["text"]), (*t.numbers, line))
        else:
            kinds.append(Passage(r["kind"], (r["text"],), (line,)))
        last = (r["project_id"], r["kind"])
    return out


def _wide_area(marked: bool, partner_costs: list[str]) -> str:
    """none; integrated when the lead executes the grant for every partner (all costs ―);
    coordinated otherwise: a partner carries its own cost, no partner cost is printed
    (別紙1), or the row is a partner's own share of another's 【広域】 project."""
    if not marked:
        return "none"
    if partner_costs and all(c in ("―", "－", "—", "‐", "-") for c in partner_costs):
        return "integrated"
    return "coordinated"


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
    """The FY2025 first-round decision (seed 000), as imported into data/funding/ with the
    texts of its case tables (別紙2-③④) and the services read from them (reviewed)."""
    return load_funding(bundled_funding(), source=bundled_sources()["seed-000"])


@dataclass(frozen=True)
class _Read:
    """What the texts and the rules say about one project (passages.csv, project_services.csv)."""

    services: list[str]
    specialised: bool
    summary: Passage | None
    role: Passage | None


def _reads(folder: Path) -> dict[str, _Read]:
    texts = _passages(folder)
    readings: dict[str, list[str]] = {}
    for r in _read(folder / "project_services.csv"):
        readings.setdefault(r["project_id"], []).append(r["service"])
    out = {}
    for p in _read(folder / "projects.csv"):
        said = readings.get(p["id"], [])
        mine = texts.get(p["id"], {})
        out[p["id"]] = _Read(
            services=[s for s in said if s != SPECIALISED],
            specialised=SPECIALISED in said,
            summary=next(iter(mine.get(SUMMARY, [])), None),
            role=next(iter(mine.get(ROLE, [])), None),
        )
    return out


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
    problems: list[Problem] = []
    firsts = {}
    for name in ("source.csv", "grant.csv"):
        rows = _read(folder / name)
        if rows:
            firsts[name] = rows[0]
        else:
            problems.append(
                Problem("empty-file", str(folder / name), None, "", "", "has no row; "
                        "write the folder again with `tsunagari import-funding`")
            )  # fmt: skip
    if problems:
        return LoadResult(problems=problems)
    result = LoadResult()
    try:
        source = source or SourceInfo(**firsts["source.csv"])
        grant = firsts["grant.csv"]
        grant_node = {
            "name": grant["name"],
            "ministry": grant["ministry"],
            "locator": grant["locator"],
        }
    except (TypeError, KeyError) as e:
        return LoadResult(problems=[_bad_row(folder / "source.csv", 2, e)])
    result.sources.append(source)
    src = source.id
    result.nodes.append(Node("Grant", grant["id"], {**grant_node, "source": src}))
    labels = _labels()
    partners: dict[str, list[dict[str, str]]] = {}
    for q in _read(folder / "partners.csv"):
        partners.setdefault(q["project_id"], []).append(q)
    try:
        reads = _reads(folder)
    except (KeyError, ValueError, TypeError, AttributeError) as e:
        return LoadResult(problems=[_bad_row(folder / "passages.csv", None, e)])
    for line, p in enumerate(_read(folder / "projects.csv"), start=2):
        try:
            _project(result, p, partners.get(p["id"], []), grant["id"], src, labels, reads[p["id"]])
        except (KeyError, ValueError, TypeError, AttributeError) as e:
            result.problems.append(_bad_row(folder / "projects.csv", line, e))
    log.info("funding %s: %d nodes, %d edges", folder.name, len(result.nodes), len(result.edges))
    return LoadResult(problems=result.problems) if result.problems else result


def _bad_row(file: Path, line: int | None, e: Exception) -> Problem:
    """What a row of an imported folder got wrong, as one problem (the folder was edited)."""
    if isinstance(e, ValueError):
        message = str(e)
    elif isinstance(e, KeyError):
        message = f"no column {e.args[0]!r}"
    else:
        message = "a cell or column is missing"
    return Problem(
        "bad-funding-row",
        str(file),
        line,
        "",
        "",
        f"{message}; write the folder again with `tsunagari import-funding`",
    )


def _project(
    result: LoadResult,
    p: dict[str, str],
    partners: list[dict[str, str]],
    grant_id: str,
    src: str,
    labels: dict[str, str],
    read: _Read,
) -> None:
    services = read.services
    me = ("Project", p["id"])
    at = {"source": src, "locator": p["locator"]}
    summary = p["name"] if p["list"] == "別紙1" else None
    locator = p["locator"]
    if read.summary is not None:
        summary = read.summary.text
        locator += f"; summary {read.summary.locator}"
    result.nodes.append(
        Node(
            "Project",
            p["id"],
            {
                "name": p["name"],
                "fiscal_year": _int(p["fiscal_year"]),
                "round": _int(p["round"]),
                "list": p["list"],
                "platform": p["list"] == "別紙1",
                "cost_thousand_yen": _int(p["cost_thousand_yen"]),
                "grant_id": grant_id,
                "wide_area": p["wide_area"],
                "services": services,
                "summary": summary,
                "specialised": read.specialised,
                **at,
                "locator": locator,
            },
        )
    )
    lead = _label(labels, p["lead_code"])
    cost = _int(p["cost_thousand_yen"])
    result.edges.append(Edge("RUNS", lead, me, {"cost_thousand_yen": cost, **at}))
    result.edges.append(Edge("FUNDS", ("Grant", grant_id), me, {"amount_thousand_yen": None, **at}))
    for q in partners:
        where = {"source": src, "locator": q["locator"]}
        place = _label(labels, q["code"])
        props = {"role": None, "cost_thousand_yen": _int(q["cost_thousand_yen"]), **where}
        if read.role is not None:  # the case tables state one role for every partner
            props["role"] = read.role.text
            props["locator"] = f"{where['locator']}; role {read.role.locator}"
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
    try:
        return int(text) if text else None
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _label(labels: dict[str, str], code: str) -> tuple[str, str]:
    if code not in labels:
        raise ValueError(f"no prefecture or municipality has the 団体コード {code!r}")
    return labels[code], code


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
