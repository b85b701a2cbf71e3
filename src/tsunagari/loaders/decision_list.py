"""Parse the text of a 交付団体 decision list (別紙1, 別紙2-①②) into project and partner rows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from tsunagari.loaders.case_tables import read_case_tables
from tsunagari.loaders.master import master_rows
from tsunagari.loaders.names import Resolution, match_key, problem_for, resolve
from tsunagari.loaders.project_services import PARTNERS, ROLE, SUMMARY, Passage, find_purpose
from tsunagari.records import Problem

WIDE = "【広域】"
_COST = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+|[―－—‐-])$")
_LEAD = re.compile(r"^【実施主体：(.+)】$")
_PARTNER_PREF = re.compile(r"^（(.+?[都道府県])）(.+)$")
_SKIP = re.compile(r"^(地方公共団体名|※|（令和|【[０-９0-9]+|広域連携事業において|取組事例)")
_FIGURE_SCOPES = (("全体の概要", "all"), ("（1）", "別紙1"), ("（2）", "別紙2"))


@dataclass
class ProjectRow:
    id: str
    list: str  # 別紙1 | 別紙2-①
    lead: Resolution
    name: str
    cost_thousand_yen: int | None
    wide_area_mark: bool
    line: int


@dataclass
class PartnerRow:
    project_id: str
    place: Resolution
    cost_thousand_yen: int | None  # None: ― (the lead executes the grant for it)
    cost_text: str
    line: int


@dataclass
class Figure:
    scope: str  # all | 別紙1 | 別紙2
    figure: str  # entities, prefectures, designated_cities, municipalities, cost_oku_yen, projects
    value: str
    line: int


@dataclass
class DecisionList:
    projects: list[ProjectRow] = field(default_factory=list)
    partners: list[PartnerRow] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, list[Passage]] = field(default_factory=dict)  # project id → case texts
    purpose: Passage | None = None  # what the 個別支援事業 support is for, as the list says


def parse_decision_list(
    text: str, *, file: str, fiscal_year: int = 2025, round_: int = 1
) -> DecisionList:
    """Read 別紙1 and 別紙2-①② from the text extracted from the PDF; every problem has its line;
    then the case tables (別紙2-③④) and the purpose of the 個別支援事業 (texts for the rules).

    The extracted text puts page parts out of order (a section heading can follow its
    rows), so entities are recognised by the master, not by the headings they sit under.
    """
    out = DecisionList()
    lines = [(i + 1, _clean(raw)) for i, raw in enumerate(text.splitlines())]
    parts = _split(lines)
    prefix = f"fy{fiscal_year}-r{round_}"
    out.figures = list(_figures(parts.get("summary", [])))
    _annex1(parts.get("別紙1", []), out, file=file, prefix=f"{prefix}-b1")
    _annex2_projects(parts.get("別紙2-①", []), out, file=file, prefix=f"{prefix}-b2")
    _annex2_partners(parts.get("別紙2-②", []), out, file=file)
    opening = next((i for i, (_, t) in enumerate(lines) if t.startswith("【別紙1】")), len(lines))
    out.purpose = find_purpose(lines[:opening])
    out.texts = _case_texts(lines, out)
    return out


def _case_texts(lines: Lines, out: DecisionList) -> dict[str, list[Passage]]:
    """Each case's 事業概要 and role for its project and for the partners' own rows of it
    (習志野市's 「ふなばし地域若者等自立支援事業」 is its share of 船橋市's project)."""
    annex2 = [p for p in out.projects if p.list == "別紙2-①"]
    partners: dict[str, set[str | None]] = {}
    for q in out.partners:
        partners.setdefault(q.project_id, set()).add(q.place.code)
    texts: dict[str, list[Passage]] = {}
    for case in read_case_tables(lines, [p.name for p in annex2]):
        same = [p for p in annex2 if match_key(p.name) == case.project_key]
        lead = next((p for p in same if p.lead.code == case.lead_code), None)
        if lead is None:
            continue
        cells = [(SUMMARY, case.summary), (PARTNERS, case.partners), (ROLE, case.role)]
        passages = [Passage(k, c.lines, c.numbers) for k, c in cells if c is not None]
        for p in same:
            if p is lead or p.lead.code in partners.get(lead.id, set()):
                texts[p.id] = passages
    return texts


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).replace("\u3000", " ")
    text = text.replace("(", "（").replace(")", "）").replace(":", "：")
    return re.sub(r"\s+", " ", text).strip()


Lines = list[tuple[int, str]]


def _split(lines: Lines) -> dict[str, Lines]:
    """The summary page, 別紙1, 別紙2-① and 別紙2-② (which starts at its first block, not at
    its title: the title is printed at the foot of a page)."""
    parts: dict[str, Lines] = {"summary": []}
    current = "summary"
    for n, text in lines:
        if text.startswith("【別紙1】"):
            current = "別紙1"
        elif text.startswith("【別紙2-1】") or text.startswith("【別紙2-①】"):
            current = "別紙2-①"
        elif current == "別紙2-①" and re.fullmatch(r"【\d+市町村】", text):
            current = "別紙2-②"
        elif text.startswith("取組事例"):
            current = "cases"
        if text:
            parts.setdefault(current, []).append((n, text))
    return parts


def _figures(lines: Lines) -> Iterator[Figure]:
    scope = ""
    for n, text in lines:
        for marker, name in _FIGURE_SCOPES:
            if marker in text and not text.startswith("○"):
                scope = name
        if not scope:
            continue
        m = re.search(r"団体数 ：\s*(\d+)\D+（(\d+)\D+?/(\d+)指定都市/(\d+)市区町村）", text)
        if m:
            for fig, value in zip(
                ("entities", "prefectures", "designated_cities", "municipalities"),
                m.groups(),
                strict=True,
            ):
                yield Figure(scope, fig, value, n)
        m = re.search(r"事業費 ：\s*([\d.]+)億円", text)
        if m:
            yield Figure(scope, "cost_oku_yen", m.group(1), n)
        m = re.search(r"事業数 (\d+)事業", text)
        if m:
            yield Figure(scope, "projects", m.group(1), n)


def _entity(text: str, *, prefecture: str | None = None) -> Resolution | None:
    """The place `text` names, if it is one (None for project names and other text)."""
    res = resolve(text, prefecture=prefecture)
    return res if res.how not in ("unknown",) else None


def _cost(text: str) -> int | None:
    return int(text.replace(",", "")) if text[0].isdigit() else None


def _annex1(lines: Lines, out: DecisionList, *, file: str, prefix: str) -> None:
    """Rows `<place> <summary> <cost>`; then the partners of its 【広域】 projects."""
    leads: dict[str, ProjectRow] = {}
    partner_lead: ProjectRow | None = None
    for n, text in lines:
        if _SKIP.match(text) or text.startswith("【別紙") or text == "※ 【広域】の連携自治体":
            continue
        head, _, rest = text.partition(" ")
        place = _entity(head)
        pref = _PARTNER_PREF.match(text)
        if pref and partner_lead is not None:
            for name in re.split(r"[、,]", pref.group(2)):
                res = resolve(name.strip(), prefecture=pref.group(1))
                _add_partner(out, partner_lead.id, res, "", n, file=file)
            continue
        if place is not None and not rest:
            partner_lead = leads.get(place.code or "")
            if partner_lead is None:
                out.problems.append(
                    _problem(
                        file, n, "lead", text, "a partner list for a place with no 別紙1 project"
                    )
                )
            continue
        parts = rest.rsplit(" ", 1)
        if place is None or not place.ok or len(parts) != 2 or not _COST.match(parts[1]):
            out.problems.append(
                _problem(file, n, "row", text, "not a row of 別紙1 (place, summary, cost)")
            )
            continue
        summary = parts[0]
        row = ProjectRow(
            id=f"{prefix}-{len([p for p in out.projects if p.list == '別紙1']) + 1:03d}",
            list="別紙1",
            lead=place,
            name=summary.replace(WIDE, "").strip(),
            cost_thousand_yen=_cost(parts[1]),
            wide_area_mark=WIDE in summary,
            line=n,
        )
        out.projects.append(row)
        leads[place.code or ""] = row


def _annex2_projects(lines: Lines, out: DecisionList, *, file: str, prefix: str) -> None:
    """Rows `<place> <project> <cost>`, or `<place>` then one `<project> <cost>` per line;
    a project name may run over lines, with its cost on the last or on a line of its own."""
    lead: Resolution | None = None
    pending: list[str] = []
    start = 0
    for n, text in lines:
        if _SKIP.match(text) or text.startswith("【別紙"):
            continue
        head, _, rest = text.partition(" ")
        place = _entity(head)
        if place is not None:
            if pending:
                out.problems.append(
                    _problem(
                        file, start, "project", " ".join(pending), "a project name without a cost"
                    )
                )
                pending = []
            if not place.ok:
                out.problems.append(
                    problem_for(place, file=file, line=n, field="lead")
                    or _problem(file, n, "lead", head, "unresolved")
                )
                lead = None
                continue
            lead, text = place, rest
            if not text:
                continue
        if lead is None:
            out.problems.append(
                _problem(file, n, "row", text, "a project line before any 実施主体")
            )
            continue
        if not pending:
            start = n
        words = text.rsplit(" ", 1)
        if _COST.match(words[-1]):
            name = "".join([*pending, words[0] if len(words) == 2 else ""])
            pending = []
            out.projects.append(
                ProjectRow(
                    id=f"{prefix}-{len([p for p in out.projects if p.list == '別紙2-①']) + 1:03d}",
                    list="別紙2-①",
                    lead=lead,
                    name=name.replace(WIDE, "").strip(),
                    cost_thousand_yen=_cost(words[-1]),
                    wide_area_mark=WIDE in name,
                    line=start,
                )
            )
        else:
            pending.append(text)
    if pending:
        out.problems.append(
            _problem(file, start, "project", " ".join(pending), "a project name without a cost")
        )


def _annex2_partners(lines: Lines, out: DecisionList, *, file: str) -> None:
    """Blocks: `<partner>`, `<project name>`, `【実施主体：<lead>】`, `<cost>`, then
    one `<partner> <cost>` per line; a block may repeat after a page break."""
    by_lead_and_name = {(p.lead.code, _key(p.name)): p for p in out.projects if p.list == "別紙2-①"}
    first: tuple[int, str] | None = None
    name_parts: list[str] = []
    project: ProjectRow | None = None
    context: str | None = None
    for n, text in lines:
        if _SKIP.match(text) or text.startswith("【別紙") or re.fullmatch(r"【\d+市町村】", text):
            continue
        m = _LEAD.match(text)
        if m:
            lead = resolve(m.group(1))
            project = by_lead_and_name.get((lead.code, _key("".join(name_parts))))
            if project is None:
                out.problems.append(
                    _problem(
                        file,
                        n,
                        "project",
                        "".join(name_parts),
                        f"no 別紙2-① project of {m.group(1)} with this name",
                    )
                )
            context = _prefecture_of(lead)
            name_parts = []
            continue
        words = text.rsplit(" ", 1)
        if len(words) == 1 and _COST.match(text):
            if first is None or project is None:
                out.problems.append(
                    _problem(file, n, "cost", text, "a cost with no partner before it")
                )
                continue
            _add_partner(
                out, project.id, resolve(first[1], prefecture=context), text, first[0], file=file
            )
            first = None
            continue
        if len(words) == 2 and _COST.match(words[1]) and project is not None and first is None:
            _add_partner(
                out, project.id, resolve(words[0], prefecture=context), words[1], n, file=file
            )
            continue
        if first is None and _entity(text) is not None:
            first, project, name_parts = (n, text), None, []
            continue
        name_parts.append(text)


def _add_partner(
    out: DecisionList, project_id: str, place: Resolution, cost: str, line: int, *, file: str
) -> None:
    problem = problem_for(place, file=file, line=line, field="partner")
    if problem is not None:
        out.problems.append(problem)
        return
    amount = _cost(cost) if cost else None
    out.partners.append(PartnerRow(project_id, place, amount, cost, line))


def _prefecture_of(res: Resolution) -> str | None:
    if res.code is None:
        return None
    if res.label == "Prefecture":
        return res.code
    return _pref_codes().get(res.code)


@cache
def _pref_codes() -> dict[str, str]:
    """Municipality code → its prefecture's 6-digit code."""
    rows = master_rows()
    pref = {r["pref_code"]: r["code"] for r in rows if r["kind"] == "prefecture"}
    return {r["code"]: pref[r["pref_code"]] for r in rows}


def _key(name: str) -> str:
    return re.sub(r"\s+", "", name.replace(WIDE, ""))


def _problem(file: str, line: int, field: str, value: str, message: str) -> Problem:
    return Problem("unparsed-row", file, line, field, value, message)
