"""The rules that read a funded project's services and specialisation from what the list prints."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.store import GraphStore
from tsunagari.loaders.funding import bundled_funding, load_bundled_funding, service_rows
from tsunagari.loaders.master import load_master
from tsunagari.loaders.project_services import (
    PURPOSE,
    ROLE,
    SPECIALISED,
    SUMMARY,
    Passage,
    Reading,
    read_project,
)
from tsunagari.queries.funding import projects_without_service
from tsunagari.queries.places import find_place
from tsunagari.queries.resources import town_resources
from tsunagari.records import LoadResult

LIST = Path(__file__).parent / "fixtures" / "funding" / "list.txt"
GOAL = Passage(
    PURPOSE,
    ("就職氷河期世代を含む中高年層について、社会参加や", "就労・活躍に向けた支援を行う"),
    (67, 69),
)


def services(readings: list[Reading]) -> dict[str, str]:
    return {r.service: r.where for r in readings}


def test_a_service_from_the_summary_cites_the_line_of_its_word() -> None:
    summary = Passage(SUMMARY, ("コーディネーターを配置し、アウト", "リーチ・相談から"), (10, 11))
    got = read_project("ひきこもり支援推進事業", annex2=True, texts=[summary])
    assert services(got) == {
        "outreach": "事業概要 l.10-11",  # アウトリーチ runs over the line break
        "consultation": "事業概要 l.11",
        SPECIALISED: "name",
    }
    assert got[0] == Reading("consultation", "「相談から」", "事業概要 l.11")


def test_a_service_from_the_role_text_when_name_and_summary_name_none() -> None:
    role = Passage(ROLE, ("広域的な広報・周知を実施する",), (1249,))
    got = read_project("若者等自立支援事業", annex2=True, texts=[role])
    assert got == [Reading("awareness", "「広域的な広報」", "役割 l.1249")]


def test_the_name_is_read_first_then_the_summary_then_the_role() -> None:
    summary = Passage(SUMMARY, ("出張個別相談会を開く",), (5,))
    role = Passage(ROLE, ("相談会の会場を手配する",), (9,))
    got = read_project("しごと相談事業", annex2=True, texts=[role, summary])
    assert services(got) == {"consultation": "name", "employment_support": "name"}


def test_no_service_when_no_word_names_one() -> None:
    assert read_project("孤独・孤立対策推進事業", annex2=True, purpose=GOAL) == []
    assert read_project("ひきこもり対策推進事業", annex2=True, purpose=GOAL) == [
        Reading(SPECIALISED, "「ひきこもり対策推進事業」", "name")
    ]


def test_the_members_of_a_body_are_not_services() -> None:
    summary = Passage(SUMMARY, ("支援を行う。併せて当事者、家族会等で構成する協議会で検討",), (7,))
    assert read_project("支援事業", annex2=True, texts=[summary]) == []
    summary = Passage(SUMMARY, ("家族会を開く",), (7,))
    assert services(read_project("支援事業", annex2=True, texts=[summary])) == {
        "family_support": "事業概要 l.7"
    }


def test_a_generations_name_is_not_job_support_but_the_grants_purpose_is() -> None:
    name = "就職氷河期世代支援事業"
    assert read_project(name, annex2=True) == []  # 「就職」 of 「就職氷河期」 is not read
    assert read_project(name, annex2=False, purpose=GOAL) == []  # 別紙1: not a 個別支援事業
    (got,) = read_project(name, annex2=True, purpose=GOAL)
    assert (got.service, got.where) == ("employment_support", "name; 趣旨 l.67-69")
    assert got.basis.startswith("「就職氷河期」＋「就職氷河期世代を含む中高年層について")
    # a name that names job support keeps its own basis
    (own,) = read_project("中高年就職支援事業", annex2=True, purpose=GOAL)
    assert (own.basis, own.where) == ("「中高年就職支援事業」", "name")


def test_specialised_from_the_name_or_summary_never_from_the_role() -> None:
    summary = Passage(SUMMARY, ("ひきこもり状態にある方の居場所",), (3,))
    role = Passage(ROLE, ("ひきこもり当事者の女子会を周知",), (4,))
    assert SPECIALISED in services(read_project("支援事業", annex2=True, texts=[summary]))
    assert services(read_project("支援事業", annex2=True, texts=[summary]))[SPECIALISED] == (
        "事業概要 l.3"
    )
    assert SPECIALISED not in services(read_project("支援事業", annex2=True, texts=[role]))
    assert SPECIALISED in services(read_project("白河市ひきこもり等対策事業", annex2=True))


def test_import_funding_reads_the_case_tables_and_writes_services_with_their_basis(
    tmp_path: Path,
) -> None:
    out = tmp_path / "r2"
    done = CliRunner().invoke(main, ["import-funding", str(LIST), "--out", str(out)])
    assert done.exit_code == 0, done.output
    with (out / "project_services.csv").open(encoding="utf-8") as f:
        rows = [(r["project_id"][10:], r["service"], r["basis"], r["where"]) for r in
                csv.DictReader(f)]  # fmt: skip
    purpose = "name; 趣旨 l.3"
    assert [r for r in rows if r[0] in ("b2-002", "b2-003", "b2-004")] == [
        # 鳥取県's wide-area case: its 家族会 is a member of the council, not family support
        ("b2-002", "awareness", "「事業を広く周知し」", "役割 l.158"),
        ("b2-002", "consultation", "「相談から職業準備訓練まで…」", "事業概要 l.150"),
        ("b2-002", "employment_support", "「職場体験事業」", "name"),
        ("b2-002", "outreach", "「アウトリーチ」", "事業概要 l.149-150"),
        ("b2-002", "training", "「相談から職業準備訓練までの伴走支援を実施」", "事業概要 l.150"),
        ("b2-002", SPECIALISED, "「ひきこもり支援推進事業」", "name"),
        (
            "b2-003",
            "employment_support",
            "「中高年」＋「就職氷河期世代を含む中高年層について、地方公共団体と連携し、"
            "社会参加やリ・スキリングを含めた就労・活躍に向けた支援を行う」",
            purpose,
        ),
        # 札幌市: the reskilling case table gives what the name does not
        ("b2-004", "employment_support", "「就職への不安解消を図る」", "事業概要 l.115"),
        ("b2-004", "training", "「社会人基礎力に関する研修のメニューとして」", "事業概要 l.113"),
    ]
    assert "name no service" not in done.output  # every project of the fixture names one
    bare = tmp_path / "bare.txt"
    bare.write_text(LIST.read_text(encoding="utf-8").replace("周知動画の制作", "基礎調査"), "utf-8")
    listed = CliRunner().invoke(main, ["import-funding", str(bare), "--out", str(tmp_path / "b")])
    assert listed.exit_code == 0, listed.output
    assert listed.output.endswith(
        "1 project(s) name no service and count for none:\n"
        "  fy2025-r1-b1-002 北海道 基礎調査 (bare.txt l.34)\n"
    )
    with (out / "passages.csv").open(encoding="utf-8") as f:
        kinds = {(r["project_id"][10:], r["kind"]) for r in csv.DictReader(f)}
    # the case of 函館市's 「載っていない事業」 names no project of the list: not read
    assert kinds == {("", PURPOSE), ("b2-004", SUMMARY), ("b2-002", SUMMARY),
                     ("b2-002", "連携自治体"), ("b2-002", ROLE)}  # fmt: skip


def test_the_bundled_table_is_what_the_rules_read() -> None:
    with (bundled_funding() / "project_services.csv").open(encoding="utf-8") as f:
        committed = list(csv.DictReader(f))
    assert committed == service_rows(bundled_funding())
    assert len(committed) == 184
    assert sum(r["service"] == SPECIALISED for r in committed) == 17


BUNDLED = {  # project → services, each reviewed against 000_fcd93348732e365e.txt
    "fy2025-r1-b2-013": set(),  # 高知県 ひきこもり対策推進事業: the list prints only the name
    "fy2025-r1-b2-016": {"awareness", "consultation", "outreach", "training"},  # 福岡県【広域】
    "fy2025-r1-b2-039": set(),  # 静岡県 ひきこもり対策推進事業
    "fy2025-r1-b2-022": set(),  # 大分県 ひきこもり支援事業
    "fy2025-r1-b2-051": set(),  # 仙台市 ひきこもり支援体制強化事業
    "fy2025-r1-b2-050": {"employment_support", "training"},  # 札幌市 ワークトライアル【広域】
    "fy2025-r1-b2-078": {"awareness", "consultation", "ibasho"},  # 豊島区【広域】
    "fy2025-r1-b2-071": {  # 船橋市 ふなばし地域若者等自立支援事業
        "awareness", "consultation", "employment_support", "family_support", "training"
    },
    "fy2025-r1-b2-072": {  # 習志野市: its share of the same project
        "awareness", "consultation", "employment_support", "family_support", "training"
    },
    "fy2025-r1-b2-046": {"employment_support"},  # 大阪府 中高年世代集中支援プロジェクト事業
}  # fmt: skip
NO_SERVICE = [
    *("b1-003", "b1-006", "b1-008", "b1-025", "b1-028", "b1-033", "b2-013", "b2-022"),
    *("b2-027", "b2-028", "b2-030", "b2-032", "b2-037", "b2-039", "b2-049", "b2-051"),
    *("b2-060", "b2-070", "b2-079", "b2-082", "b2-088", "b2-096"),
]


def test_the_bundled_projects_have_the_services_the_document_justifies() -> None:
    r = load_bundled_funding()
    projects = {n.key: n.props for n in r.nodes if n.label == "Project"}
    assert {k: set(projects[k]["services"]) for k in BUNDLED} == BUNDLED
    nothing = sorted(k[10:] for k, p in projects.items() if not p["services"])
    assert nothing == NO_SERVICE
    assert sum(projects[f"fy2025-r1-{k}"]["cost_thousand_yen"] for k in nothing) == 261_411
    specialised = {k for k, p in projects.items() if p["specialised"]}
    assert len(specialised) == 17
    assert {"fy2025-r1-b2-013", "fy2025-r1-b2-078", "fy2025-r1-b1-024"} <= specialised
    assert "fy2025-r1-b2-071" not in specialised
    # the wide-area project's services reach its partners (大阪府's 44 towns)
    osaka = [e for e in r.edges if e.type == "COVERS" and e.src[1] == "fy2025-r1-b2-046"]
    assert len(osaka) == 43 and all(e.props["services"] == ["employment_support"] for e in osaka)


def test_projects_without_service_are_listed_by_the_library_and_stats(
    tmp_path: Path, store_of: Callable[[LoadResult], GraphStore]
) -> None:
    store = store_of(load_master().extend(load_bundled_funding()))
    idle = projects_without_service(store)
    assert sorted(r["id"][10:] for r in idle) == NO_SERVICE
    assert idle[0] == {
        "id": "fy2025-r1-b2-051",
        "lead": "仙台市",
        "name": "ひきこもり支援体制強化事業",
        "cost_thousand_yen": 29_147,
        "specialised": True,
        "locator": "000_fcd93348732e365e.txt l.388",
    }
    path = tmp_path / "g.lbug"
    build_graph(load_master().extend(load_bundled_funding()), path)
    shown = CliRunner().invoke(main, ["--store", str(path), "stats", "--format", "json"])
    listed = [r for r in json.loads(shown.output) if r["kind"] == "no_service"]
    assert len(listed) == 22 and sum(r["count"] for r in listed) == 261_411
    assert listed[0]["detail"] == "仙台市 ひきこもり支援体制強化事業"
    table = CliRunner().invoke(main, ["--store", str(path), "stats"])
    assert "どの支援にも数えられない事業: 22 件、事業費 計 261,411 千円" in table.output


def test_hannan_and_toyonaka_see_osakas_project_for_employment_support(
    store_of: Callable[[LoadResult], GraphStore],
) -> None:
    store = store_of(load_master().extend(load_bundled_funding()))
    for town in ("阪南市", "豊中市"):
        res = town_resources(store, find_place(store, town))
        got = {(p["service"], p["tier"]) for p in res.providers
               if p["provider"] == "中高年世代集中支援プロジェクト事業"}  # fmt: skip
        assert got == {("employment_support", "wide_area")}, town
