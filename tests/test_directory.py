"""The support-resource directory: format, problems, encodings, templates, bundled data."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import INJECTION
from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.loaders.directory import (
    bundled_directory,
    bundled_files,
    load_bundled_directory,
    load_directory,
)
from tsunagari.loaders.directory_format import SHEETS, write_templates
from tsunagari.loaders.master import bundled_sources, load_master, master_rows
from tsunagari.records import LoadResult

FIXTURES = Path(__file__).parent / "fixtures" / "directory"
HTML = "<img src=x onerror=alert(1)>"
HANNAN, SENNAN, MISAKI = "272329", "272281", "273660"


def graph(result: LoadResult, *, provenance: bool = True) -> tuple[set[str], set[str]]:
    """Nodes and edges as comparable strings (optionally without source/locator)."""

    def props(p: dict[str, object]) -> str:
        drop = () if provenance else ("source", "locator")
        return json.dumps(
            {k: v for k, v in p.items() if k not in drop}, ensure_ascii=False, sort_keys=True
        )

    nodes = {f"{n.label} {n.key} {props(n.props)}" for n in result.nodes}
    edges = {f"{e.type} {e.src} {e.dst} {props(e.props)}" for e in result.edges}
    return nodes, edges


def copy_as(src: Path, dst: Path, encoding: str) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.glob("*.csv"):
        (dst / f.name).write_bytes(f.read_text(encoding="utf-8").encode(encoding))
    return dst


# -- a valid directory ---------------------------------------------------------------------


def test_good_fixture_gives_exactly_its_graph() -> None:
    r = load_directory([FIXTURES / "good"])
    assert r.problems == []
    nodes = {(n.label, n.key): n.props for n in r.nodes}
    assert sorted(nodes) == [
        ("Completeness", "complete-272329-ibasho"),
        ("Organization", "ex-hannan-dept"),
        ("Organization", "ex-kazokukai"),
        ("Organization", "ex-npo"),
        ("Platform", "ex-network"),
        ("SupportCenter", "ex-ibasho"),
    ]
    assert nodes[("Organization", "ex-npo")] == {
        "name": "例示NPO法人つなぐ",
        "kind": "npo",
        "services": ["ibasho", "consultation"],  # 相談 is the Japanese alias
        "source": "file:organizations.csv",
        "locator": "organizations.csv:3",  # line 1 is a comment, line 2 the header
    }
    assert nodes[("Organization", "ex-hannan-dept")]["name"] == "阪南市 例示課"  # as written
    assert nodes[("Completeness", "complete-272329-ibasho")] == {
        "name": "阪南市: ibasho",
        "services": ["ibasho"],
        "areas": ["272329"],
        "covers_specialised": True,  # はい
        "as_of": "2026-04",
        "source": "file:completeness.csv",
        "locator": "completeness.csv:3",
    }
    assert nodes[("SupportCenter", "ex-ibasho")]["services"] == ["ibasho", "online"]  # ；
    assert nodes[("Platform", "ex-network")]["established"] == "令和6年4月"
    edges = sorted((e.type, e.src[1], e.dst[1]) for e in r.edges)
    assert edges == [
        ("COMMISSIONS", HANNAN, "ex-npo"),
        ("COVERS", "ex-ibasho", HANNAN),
        ("COVERS", "ex-npo", MISAKI),
        ("LOCATED_IN", "ex-hannan-dept", HANNAN),  # written as the code 272329
        ("LOCATED_IN", "ex-ibasho", HANNAN),
        ("LOCATED_IN", "ex-kazokukai", SENNAN),
        ("LOCATED_IN", "ex-network", SENNAN),
        ("LOCATED_IN", "ex-npo", HANNAN),
        ("MEMBER_OF", "ex-kazokukai", "ex-network"),
        ("MEMBER_OF", "ex-npo", "hannan-platform"),  # an id of the bundled directory
        ("OPERATES", "ex-npo", "ex-ibasho"),
        ("PARTNERS_WITH", "ex-network", "hannan-platform"),
        ("REFERS_TO", "ex-kazokukai", "ex-ibasho"),
        ("SECRETARIAT_OF", "ex-hannan-dept", "ex-network"),
    ]
    props = {(e.type, e.dst[1]): e.props for e in r.edges}
    assert props[("COVERS", HANNAN)]["services"] == ["ibasho", "online"]  # empty = provider's
    assert props[("COVERS", HANNAN)]["scope"] == "local"
    assert props[("COVERS", MISAKI)] == {
        "services": ["consultation"],
        "scope": "wide_area",
        "source": "file:links.csv",
        "locator": "links.csv:7",
    }
    assert props[("COMMISSIONS", "ex-npo")]["kind"] == "委託"
    assert props[("REFERS_TO", "ex-ibasho")]["note"] == "家族会から居場所へつなぐ"
    assert [s.id for s in r.sources] == [
        "file:centers.csv",
        "file:completeness.csv",
        "file:links.csv",
        "file:organizations.csv",
        "file:platforms.csv",
    ]
    assert all(len(s.sha256) == 64 for s in r.sources)


def test_without_the_bundled_directory_its_ids_are_missing() -> None:
    r = load_directory([FIXTURES / "good"], over_bundled=False)
    assert [(p.slug, p.line, p.value) for p in r.problems] == [
        ("missing-id", 2, "hannan-platform"),
        ("missing-id", 9, "hannan-platform"),
    ]
    assert r.nodes == [] and r.edges == []


def test_the_three_encodings_and_excel_give_the_same_graph(tmp_path: Path) -> None:
    utf8 = load_directory([FIXTURES / "good"])
    bom = load_directory([copy_as(FIXTURES / "good", tmp_path / "bom", "utf-8-sig")])
    sjis = load_directory([copy_as(FIXTURES / "good", tmp_path / "cp932", "cp932")])
    assert (tmp_path / "bom" / "links.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert utf8.problems == bom.problems == sjis.problems == []
    assert graph(utf8) == graph(bom) == graph(sjis)
    assert len(utf8.nodes) == 6  # five bodies and one completeness claim

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for sheet in SHEETS:
        ws = book.create_sheet(sheet)
        with (FIXTURES / "good" / f"{sheet}.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                ws.append([int(c) if c == HANNAN else c for c in row])  # a code typed as number
    book.create_sheet("_説明").append(["事務局のメモ: 読み込まれないシート"])
    book.save(tmp_path / "directory.xlsx")
    xlsx = load_directory([tmp_path / "directory.xlsx"])
    assert xlsx.problems == []
    assert graph(xlsx, provenance=False) == graph(utf8, provenance=False)
    locators = sorted(str(n.props["locator"]) for n in xlsx.nodes)
    assert locators[0] == "directory.xlsx[centers]:2"
    assert [s.id for s in xlsx.sources] == ["file:directory.xlsx"]


def test_names_keep_injection_and_html_literally_through_a_real_store(tmp_path: Path) -> None:
    user = load_directory([FIXTURES / "literal"])
    assert user.problems == []
    result = load_master().extend(load_bundled_directory()).extend(user)
    build_graph(result, tmp_path / "g.lbug")
    with LadybugStore(tmp_path / "g.lbug") as store:
        rows = store.run(
            "MATCH (o:Organization) WHERE o.id STARTS WITH $p RETURN o.id AS id, o.name AS name "
            "ORDER BY id",
            {"p": "lit-"},
        )
        assert rows == [
            {"id": "lit-html", "name": HTML},
            {"id": "lit-injection", "name": INJECTION},
        ]
        notes = store.run(
            "MATCH (:Organization)-[r:PARTNERS_WITH]->(b {id: $b}) RETURN r.note AS n",
            {"b": "lit-html"},
        )
        assert notes == [{"n": "'); DROP TABLE x; -- <b>連携</b>"}]
        count = store.run("MATCH (m:Municipality) RETURN count(m) AS n")[0]["n"]
        assert count == sum(1 for r in master_rows() if r["kind"] != "prefecture")
        hannan = store.run(
            "MATCH (o)-[:SECRETARIAT_OF]->(p:Platform {id: $id}) RETURN o.name AS n",
            {"id": "hannan-platform"},
        )
        assert hannan == [{"n": "阪南市市民福祉課"}]


# -- problems --------------------------------------------------------------------------------

P = "tests/fixtures/directory/problems"

EXPECTED_PROBLEMS = [
    f"{P}/notes.csv: cannot tell which sheet 'notes' is; name it one of organizations, centers, "
    "platforms, links, completeness (e.g. organizations.csv) [unknown-sheet]",
    f"{P}/organizations.csv:1: phone: organizations has no column 'phone'; the columns are: "
    "id,name,alternate_names,kind,services,municipality,prefecture,source,locator,note,"
    "delivery_modes,corporate_number [unknown-column]",
    f"{P}/organizations.csv:3: kind: unknown organizations kind 'nonprofit'; use one of: npo, "
    "social_welfare_council, saposute, hello_work, family_association, company, medical, "
    "school, government_dept, other [unknown-kind]",
    f"{P}/organizations.csv:4: services: unknown service 'counselling' (did you mean "
    "consultation?); use one of: consultation, outreach, ibasho, family_support, peer_support, "
    "employment_support, online, training, awareness [unknown-service]",
    "RESOLVER unknown-municipality organizations.csv:5 municipality",
    "RESOLVER ambiguous-municipality organizations.csv:6 municipality",
    f"{P}/organizations.csv:7: id: id 'p-ok' is already used at {P}/organizations.csv:2; "
    "choose another id, or link to that row [duplicate-id]",
    f"{P}/organizations.csv:8: id: id 'p日本語' may only use ASCII letters, digits, '-', '_' "
    "and '.' [bad-id]",
    f"{P}/organizations.csv:9: name: every row needs a name [missing-value]",
    f"{P}/organizations.csv:11: municipality: '高知県' is a prefecture; put it in the "
    "prefecture column and leave municipality empty (or say where it works with a COVERS "
    "link) [not-a-municipality]",
    f"{P}/organizations.csv:12: prefecture: '架空県' is not a prefecture; write e.g. 高知県 or "
    "390003 [unknown-prefecture]",
    f"{P}/organizations.csv:13: source: no source 'seed-999' in sources.csv (did you mean "
    "seed-004, seed-003, seed-002?); leave it empty to cite this file [unknown-source]",
    f"{P}/organizations.csv:14: name: p-ok ({P}/organizations.csv:2) has the same name and "
    "place; link to that id instead of defining it again [duplicate-name]",
    f"{P}/organizations.csv:15: cells under no column name (余分); move them into a named "
    "column or delete them [extra-cells]",
    f"{P}/centers.csv:2: operator: no organization, center or platform has id 'p-nobody' "
    "[missing-id]",
    f"{P}/centers.csv:3: operator: p-platform is a Platform; operator must be an "
    "Organization [bad-endpoint]",
    f"{P}/platforms.csv:3: level: unknown level 'national'; use one of: municipal, "
    "prefectural, public_private [unknown-kind]",
    f"{P}/links.csv:2: to: no organization, center or platform has id 'p-nowhere' [missing-id]",
    f"{P}/links.csv:3: type: unknown link type 'LINKS_TO'; use one of: COMMISSIONS, OPERATES, "
    "PARTNERS_WITH, REFERS_TO, MEMBER_OF, SECRETARIAT_OF, LOCATED_IN, COVERS [unknown-kind]",
    f"{P}/links.csv:4: to: MEMBER_OF cannot go from Organization to Municipality; it goes "
    "from Municipality/Organization/Platform/Prefecture/SupportCenter to Platform "
    "[bad-endpoint]",
    f"{P}/links.csv:5: from: fill exactly one of from (an id) or from_place (a prefecture or "
    "municipality) [bad-endpoint]",
    f"{P}/links.csv:6: services: services is only read on COVERS links; move it to note or "
    "leave it empty [unused-column]",
    f"{P}/links.csv:7: scope: unknown scope 'regional'; use one of: local, wide_area, "
    "prefecture [unknown-kind]",
    f"{P}/links.csv:8: kind: unknown commission kind '寄付'; use one of: 委託, 補助 [unknown-kind]",
]


def problem_lines(result: LoadResult) -> list[str]:
    """str() of each problem; the resolver's own messages reduced to slug and place."""
    out = []
    for p in result.problems:
        if p.slug.endswith("-municipality") and p.slug != "not-a-municipality":
            out.append(f"RESOLVER {p.slug} {Path(p.file).name}:{p.line} {p.field}")
        else:
            out.append(str(p))
    return out


def test_every_problem_is_listed_at_once_with_file_line_and_column() -> None:
    r = load_directory([Path(P)])
    assert problem_lines(r) == EXPECTED_PROBLEMS
    ambiguous = next(p for p in r.problems if p.slug == "ambiguous-municipality")
    assert "132063" in ambiguous.message and "342084" in ambiguous.message  # the candidates
    assert ambiguous.value == "府中市"
    assert r.nodes == [] and r.edges == []  # nothing is loaded while any problem exists


def test_skip_invalid_keeps_the_valid_rows_and_reports_what_it_skipped() -> None:
    r = load_directory([Path(P)], skip_invalid=True)
    assert problem_lines(r) == [
        *EXPECTED_PROBLEMS,
        f"{P}/links.csv:9: skipped: needs p-kind, whose row {P}/organizations.csv:3 is invalid "
        "[depends-on-invalid]",
    ]
    assert sorted(n.key for n in r.nodes) == ["p-ok", "p-platform"]
    assert sorted((e.type, e.src[1], e.dst[1]) for e in r.edges) == [
        ("COVERS", "p-ok", HANNAN),
        ("LOCATED_IN", "p-ok", HANNAN),
        ("LOCATED_IN", "p-platform", HANNAN),
    ]


def test_an_undecodable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "organizations.csv"
    bad.write_bytes(b"id,name\nx,\x81\x20\n")  # neither UTF-8 nor CP932
    r = load_directory([bad])
    assert [str(p) for p in r.problems] == [
        f"{bad}: cannot be read as UTF-8, UTF-8 with BOM or CP932 (Excel's Japanese CSV), the "
        "encodings read here; save it again as 'CSV UTF-8 (comma delimited)' [undecodable-file]"
    ]


def test_sheets_without_their_header_or_required_column(tmp_path: Path) -> None:
    (tmp_path / "links.csv").write_text("from,to\na,b\n", encoding="utf-8")
    (tmp_path / "platforms.csv").write_text("# only a comment\n", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("not read: folders give only .csv and .xlsx\n")
    r = load_directory([tmp_path])
    assert [(p.slug, Path(p.file).name, p.line, p.field) for p in r.problems] == [
        ("missing-column", "links.csv", 1, "type"),
        ("missing-header", "platforms.csv", None, ""),
    ]
    r = load_directory([tmp_path / "readme.txt"])
    assert [p.slug for p in r.problems] == ["unknown-file-type"]


def test_ids_typed_full_width_and_sheet_names_with_a_prefix(tmp_path: Path) -> None:
    (tmp_path / "town_organizations.csv").write_text(
        "id,name,kind,municipality\nｅｘ－ａ,例示団体Ａ,ＮＰＯ法人,泉南市\n", encoding="utf-8"
    )
    (tmp_path / "town-links.csv").write_text(
        "type,from,to_place,services\n対象地域,ex-a,大阪府,居場所；訪問\n", encoding="utf-8"
    )
    r = load_directory([tmp_path])
    assert r.problems == []
    assert [(n.key, n.props["kind"]) for n in r.nodes] == [("ex-a", "npo")]
    covers = [e for e in r.edges if e.type == "COVERS"]
    osaka = {
        x["code"] for x in master_rows() if x["pref_code"] == "27" and x["kind"] != "prefecture"
    }
    assert {e.dst[1] for e in covers} == osaka  # a prefecture = each of its municipalities
    assert len(covers) == len(osaka) == 74  # 43 municipalities + 31 wards
    assert covers[0].props["scope"] == "prefecture"
    assert covers[0].props["services"] == ["ibasho", "outreach"]


def test_alternate_names_are_a_list_split_at_bars_and_trimmed(tmp_path: Path) -> None:
    (tmp_path / "centers.csv").write_text(
        "id,name,alternate_names,kind\n"
        "ex-c,例示センター, すてっぷ | 旧例示センター |すてっぷ,regional_center\n"
        "ex-d,例示窓口,,consultation_window\n",
        encoding="utf-8",
    )
    (tmp_path / "organizations.csv").write_text(
        "id,name,alternate_names\nex-o,例示法人,れいじ\n", encoding="utf-8"
    )
    (tmp_path / "platforms.csv").write_text(
        "id,name,alternate_names,level\nex-p,例示協議会,例示ネット|旧協議会,municipal\n",
        encoding="utf-8",
    )
    r = load_directory([tmp_path], over_bundled=False)
    assert r.problems == []
    names = {n.key: n.props.get("alternate_names") for n in r.nodes}
    assert names == {
        "ex-o": ["れいじ"],
        "ex-c": ["すてっぷ", "旧例示センター"],  # trimmed; the repeat kept once
        "ex-d": None,  # an empty cell is unknown: no property
        "ex-p": ["例示ネット", "旧協議会"],
    }


@pytest.mark.parametrize("cell", ["a||b", "|a", "a|", "a| |b"])
def test_an_empty_alternate_name_is_a_problem_with_file_and_line(tmp_path: Path, cell: str) -> None:
    (tmp_path / "organizations.csv").write_text(
        f"id,name,alternate_names\nex-ok,例示団体,\nex-o,例示法人,{cell}\n", encoding="utf-8"
    )
    r = load_directory([tmp_path], over_bundled=False)
    assert [str(p) for p in r.problems] == [
        f"{tmp_path}/organizations.csv:3: alternate_names: alternate_names {cell!r} has an "
        "empty name; separate names by a single | and remove the | at the start or end "
        "[empty-alternate-name]"
    ]
    assert r.nodes == []


def test_a_sheet_without_the_alternate_names_column_loads() -> None:
    r = load_directory([FIXTURES / "good"])
    header = (FIXTURES / "good" / "centers.csv").read_text(encoding="utf-8")
    assert "alternate_names" not in header
    assert r.problems == [] and r.nodes
    assert all("alternate_names" not in n.props for n in r.nodes)


def test_bundled_rows_must_name_source_and_locator(tmp_path: Path) -> None:
    part = tmp_path / "parts" / "p1"
    part.mkdir(parents=True)
    (part / "organizations.csv").write_text(
        "id,name,kind,source,locator\nb-1,例示団体,npo,,\nb-2,例示団体二,npo,seed-004,x: y\n",
        encoding="utf-8",
    )
    r = load_bundled_directory(root=tmp_path / "parts")
    assert [str(p) for p in r.problems] == [
        "directory/p1/organizations.csv:2: source: every bundled row needs a source id "
        "[missing-source]",
        "directory/p1/organizations.csv:2: locator: every bundled row needs a locator: "
        "'<document file>: <case heading>' [missing-locator]",
    ]


# -- the bundled directory -------------------------------------------------------------------


def test_the_bundled_directory_loads_with_zero_problems() -> None:
    r = load_bundled_directory()
    assert [str(p) for p in r.problems] == []
    counts = Counter(n.label for n in r.nodes)
    assert counts["Organization"] > 0 and counts["Platform"] > 0
    assert {s.id for s in r.sources} <= {f"seed-00{i}" for i in range(5)}
    master = load_master()
    build_ready = LoadResult(nodes=master.nodes, sources=master.sources).extend(r)
    keys = {(n.label, n.key) for n in build_ready.nodes}
    assert all(e.src in keys and e.dst in keys for e in r.edges)


def test_every_bundled_row_cites_a_seed_document_and_where_in_it() -> None:
    sources = bundled_sources()
    files = bundled_files()
    assert {f.parent.name for f in files} >= {"s004"}
    rows = 0
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                where = f"{f.parent.name}/{f.name}:{line}"
                source, locator = row["source"], row["locator"]
                assert source in sources, where
                document = sources[source].file
                assert locator.startswith(f"{document}: "), where
                assert len(locator) > len(document) + 3, where
                rows += 1
    assert rows > 0


def test_s004_is_curated_as_documented() -> None:
    r = load_bundled_directory()
    s004 = {n.key: n for n in r.nodes if str(n.props["locator"]).startswith("004_")}
    assert s004["hannan-platform"].props["established"] == "令和元年11月"
    assert s004["hannan-platform"].props["level"] == "municipal"
    assert {k for k, n in s004.items() if n.label == "Platform"} == {
        "hannan-platform",
        "ino-platform",
        "ino-jiritsu-shien-kyogikai-hikikomori",
        "ino-jisatsu-taisaku-network",
        "kochi-hikikomori-kentou-iinkai",
        "osaka-pf",
        "hokkaido-pf",
    }
    secretariats = {(e.src[1], e.dst[1]) for e in r.edges if e.type == "SECRETARIAT_OF"}
    assert ("hannan-shimin-fukushi-ka", "hannan-platform") in secretariats
    assert ("ino-hoken-fukushi-ka", "ino-platform") in secretariats
    # one joint consultation event is no standing service across 北海道 (issue 12)
    assert not [e for e in r.edges if e.type == "COVERS" and e.src[1] == "hokkaido-pf"]


def test_checking_one_bundled_part_links_into_the_others() -> None:
    r = load_directory([bundled_directory() / "s004"])
    assert r.problems == []
    assert all(str(n.props["source"]) == "seed-004" for n in r.nodes)


# -- templates and the commands --------------------------------------------------------------


def test_templates_are_commented_empty_and_check_clean(tmp_path: Path) -> None:
    written = write_templates(tmp_path / "csv")
    assert [p.name for p in written] == [
        "organizations.csv",
        "centers.csv",
        "platforms.csv",
        "links.csv",
        "completeness.csv",
    ]
    text = (tmp_path / "csv" / "links.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[-1] == (
        "type,from,from_place,to,to_place,services,scope,role,kind,note,source,locator"
    )
    assert all(line.startswith(("#", '"#')) for line in text.splitlines()[:-1])
    for sheet in ("organizations", "centers", "platforms"):
        header = (tmp_path / "csv" / f"{sheet}.csv").read_text(encoding="utf-8-sig")
        assert header.splitlines()[-1].startswith("id,name,alternate_names,")
        assert "# alternate_names" in header
    assert (tmp_path / "csv" / "links.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    write_templates(tmp_path / "xlsx", excel=True)
    r = load_directory([tmp_path / "csv", tmp_path / "xlsx"])
    assert (r.problems, r.nodes, r.edges) == ([], [], [])


def test_template_command_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["template", str(tmp_path)])
    assert first.exit_code == 0
    assert first.output.splitlines() == [str(tmp_path / f"{s}.csv") for s in SHEETS]
    again = runner.invoke(main, ["template", str(tmp_path)])
    assert again.exit_code == 1
    assert "already exists" in again.output and "--force" in again.output
    assert runner.invoke(main, ["template", str(tmp_path), "--force"]).exit_code == 0


def test_check_command_lists_problems_and_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--lang", "en", "check", P])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED_PROBLEMS) + 1
    assert lines[2] == EXPECTED_PROBLEMS[2]
    assert lines[-1] == (
        f"warning: {P}/organizations.csv:8: id: id 'p 日本語' was read as 'p日本語'; "
        "write it so in the file [id-normalised]"
    )
    ja = runner.invoke(main, ["check", P])
    assert ja.stdout.splitlines()[2] == (
        f"{P}/organizations.csv:3: kind: 'nonprofit' は語彙にありません。使える語: NPO、"
        "社会福祉協議会、サポステ、ハローワーク、家族会、企業、医療、学校、行政部局、その他 "
        "[unknown-kind]"
    )
    assert "24 件の問題があります" in ja.stderr
    as_json = runner.invoke(main, ["--lang", "en", "check", P, "--format", "json"])
    rows = json.loads(as_json.stdout)
    assert rows[2] == {
        "file": f"{P}/organizations.csv",
        "line": 3,
        "field": "kind",
        "value": "nonprofit",
        "slug": "unknown-kind",
        "message": EXPECTED_PROBLEMS[2].split(": kind: ")[1].removesuffix(" [unknown-kind]"),
    }
    assert "24 problems" in as_json.stderr


def test_check_command_on_a_clean_folder(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good", tmp_path / "good")
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(tmp_path / "good")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "ok: 3 organizations, 1 centers, 1 platforms, 14 edges\n"


DOCS = Path(__file__).parent.parent / "docs" / "examples" / "directory"


@pytest.mark.skipif(not DOCS.is_dir(), reason="docs example not present")
def test_the_documented_example_checks_clean() -> None:
    r = load_directory([DOCS])
    assert [str(p) for p in r.problems] == []
    assert r.nodes
