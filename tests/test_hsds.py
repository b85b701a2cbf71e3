"""HSDS 3.0: export a graph as a tabular data package, validate it, read it back."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest
from click.testing import CliRunner

from tsunagari.cli import main
from tsunagari.graph.build import build_graph
from tsunagari.graph.export import result_from_store
from tsunagari.graph.hsds_export import export_hsds
from tsunagari.graph.ladybug_store import LadybugStore
from tsunagari.graph.validate import filled
from tsunagari.loaders.hsds import is_hsds_package, load_hsds
from tsunagari.loaders.hsds_format import descriptor, hsds_id
from tsunagari.loaders.master import load_master
from tsunagari.records import Edge, LoadResult, Node, SourceInfo

HANNAN, MISAKI, SENNAN = "272329", "273660", "272281"
DIRECTORY = ("Organization", "SupportCenter", "Platform")
S = {"source": "s1", "locator": "doc p.3"}


def at(locator: str, **props: Any) -> dict[str, Any]:
    return {"source": "s1", "locator": locator, **props}


def directory_result() -> LoadResult:
    """A small directory over the real master: an NPO with a 法人番号 running a window (with
    its contact details), a window nobody is named as running, a platform whose secretariat is
    the city, 委託, 連携 and つなぎ, service areas (one town, and a whole prefecture), and a
    funded project (exported, not read back)."""
    r = load_master()
    r.sources.append(SourceInfo("s1", "テスト資料", "テスト省", "2025-04-01", "s1.txt"))
    npo = {
        "name": "NPO法人つながる",
        "kind": "npo",
        "services": ["ibasho", "consultation"],
        "corporate_number": "7123456789012",
        "delivery_modes": ["phone", "visit"],
        "alternate_names": ["つながる", "TSUNAGARU"],
        "url": "https://example.org/npo",
        "specialised": True,
        "as_of": "2025-04",
        **S,
    }
    window = {
        "name": "阪南市くらし相談窓口",
        "kind": "consultation_window",
        "services": ["consultation", "outreach"],
        "specialised": False,
        "stated": False,
        "address": "〒599-0292 大阪府阪南市尾崎町35-1",
        "phone": "072-471-5678",
        "hours": "平日 9:00〜17:30",
        "url": "https://example.org/window",
        "url_publisher": "阪南市",
        "url_checked": "2025-05-01",
        "delivery_modes": ["phone", "visit", "home_visit", "email"],
        "status": "published",
        "verification": "primary_source_import",
        "as_of": "2025-04-01",
        **at("doc p.4"),
    }
    r.nodes += [
        Node("Organization", "npo", npo),
        Node("SupportCenter", "window", window),
        Node(
            "SupportCenter",
            "ibasho",
            {"name": "岬町の居場所", "kind": "ibasho", "services": ["ibasho"], **at("doc p.5")},
        ),
        Node(
            "Platform",
            "pf",
            {"name": "阪南PF", "level": "municipal", "established": "令和2年4月", **at("doc p.6")},
        ),
        Node(
            "Project",
            "p1",
            {
                "name": "広域事業",
                "fiscal_year": 2025,
                "services": ["outreach"],
                "cost_thousand_yen": 1200,
                "wide_area": "coordinated",
                **at("list l.9"),
            },
        ),
        Node("Grant", "g1", {"name": "交付金", **at("list l.1")}),
    ]
    town = ("Municipality", HANNAN)
    r.edges += [
        Edge("LOCATED_IN", ("Organization", "npo"), town, dict(S)),
        Edge("LOCATED_IN", ("SupportCenter", "window"), town, at("doc p.4")),
        Edge("LOCATED_IN", ("SupportCenter", "ibasho"), ("Municipality", MISAKI), at("doc p.5")),
        Edge("OPERATES", ("Organization", "npo"), ("SupportCenter", "window"), at("doc p.4")),
        Edge("COMMISSIONS", town, ("SupportCenter", "window"), at("doc p.4", kind="委託")),
        Edge("SECRETARIAT_OF", town, ("Platform", "pf"), at("doc p.6")),
        Edge(
            "MEMBER_OF", ("Organization", "npo"), ("Platform", "pf"), at("doc p.6", role="構成員")
        ),
        Edge(
            "PARTNERS_WITH",
            ("Organization", "npo"),
            ("SupportCenter", "ibasho"),
            at("doc p.7", note="居場所の共同運営"),
        ),
        Edge("REFERS_TO", ("SupportCenter", "window"), ("Organization", "npo"), at("doc p.7")),
        Edge(
            "COVERS",
            ("SupportCenter", "window"),
            town,
            at("doc p.4", services=["consultation"], scope="local"),
        ),
        Edge(
            "COVERS",
            ("Organization", "npo"),
            town,
            at("doc p.3", services=["ibasho"], scope="local", as_of="2025-04"),
        ),
        Edge(
            "COVERS",
            ("Organization", "npo"),
            ("Municipality", SENNAN),
            at("doc p.3", services=["ibasho"], scope="wide_area"),
        ),
        Edge("COVERS", ("Platform", "pf"), town, at("doc p.6", services=[], scope="local")),
        Edge("RUNS", town, ("Project", "p1"), at("list l.9", cost_thousand_yen=1200)),
        Edge("PARTNERS_IN", ("Municipality", MISAKI), ("Project", "p1"), at("list l.9")),
        Edge("FUNDS", ("Grant", "g1"), ("Project", "p1"), at("list l.9", amount_thousand_yen=600)),
        Edge(
            "COVERS",
            ("Project", "p1"),
            town,
            at("list l.9", services=["outreach"], scope="wide_area"),
        ),
    ]
    return r


def directory_part(store: LadybugStore) -> tuple[dict[Any, Any], list[Any]]:
    """The directory nodes (non-empty properties) and every edge touching one."""
    g = result_from_store(store)
    nodes = {(n.label, n.key): filled(n.props) for n in g.nodes if n.label in DIRECTORY}
    edges = sorted(
        repr((e.type, e.src, e.dst, sorted(filled(e.props).items())))
        for e in g.edges
        if e.src[0] in DIRECTORY or e.dst[0] in DIRECTORY
    )
    return nodes, edges


def same_directory(original: Path, back: LoadResult, path: Path) -> int:
    """Build the master and `back` at `path`; assert that its directory nodes and the ties
    touching them are those of the graph at `original`, less the funded projects' ties
    (RUNS, PARTNERS_IN, FUNDS, a project's COVERS), which come from the funding lists.
    Returns the number of ties compared."""
    build_graph(load_master().extend(back), path)
    with (
        LadybugStore(original, read_only=True) as a,
        LadybugStore(path, read_only=True) as b,
    ):
        nodes_a, edges_a = directory_part(a)
        nodes_b, edges_b = directory_part(b)
    assert nodes_b == nodes_a
    assert edges_b == [e for e in edges_a if "'Project'" not in e]
    return len(edges_b)


def validate_against_hsds(folder: Path) -> Any:
    """frictionless over the package's CSVs with the official HSDS 3.0 descriptor's schemas
    (the bundled, unmodified one), not the descriptor the export wrote."""
    official = json.loads(json.dumps(descriptor()))
    return frictionless.Package(official, basepath=str(folder)).validate()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hsds")
    build_graph(directory_result(), root / "g.lbug")
    with LadybugStore(root / "g.lbug", read_only=True) as store:
        export_hsds(store, root / "pkg")
    return root / "g.lbug", root / "pkg"


def rows(folder: Path, file: str) -> list[dict[str, str]]:
    with (folder / file).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def project_notes(pkg: Path, *, prefix: str = "") -> list[str]:
    """The one note for the fixture's funded project, at its line of services.csv."""
    [line] = [i + 2 for i, r in enumerate(rows(pkg, "services.csv")) if r["name"] == "広域事業"]
    return [
        f"{prefix}{pkg}/services.csv:{line}: funded project p1 (with its service areas and "
        "funding): projects come from the funding-decision lists (tsunagari import-funding) "
        "[not-mapped]"
    ]


def test_export_validates_against_the_hsds_descriptor(exported: tuple[Path, Path]) -> None:
    _, pkg = exported
    report = validate_against_hsds(pkg)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    written = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    assert written["resources"] == descriptor()["resources"]
    assert written["tsunagari"]["hsds_version"] == "3.0.0"
    assert [s["id"] for s in written["tsunagari"]["sources"]] == ["jp-master-2020", "s1"]


def test_validation_catches_a_broken_package(exported: tuple[Path, Path], tmp_path: Path) -> None:
    """The validator can fail: a dangling organization_id and an empty required name."""
    _, pkg = exported
    for f in pkg.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    services = (tmp_path / "services.csv").read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([services[1]]))
    cells[1] = hsds_id("organization", "nobody")
    cells[3] = ""
    services[1] = ",".join(cells)
    (tmp_path / "services.csv").write_text("\n".join(services) + "\n", encoding="utf-8")
    report = validate_against_hsds(tmp_path)
    assert not report.valid
    errors = {tuple(e) for e in report.flatten(["type", "fieldName"])}
    assert errors == {("foreign-key", None), ("constraint-error", "name")}


def test_export_tables(exported: tuple[Path, Path]) -> None:
    _, pkg = exported
    orgs = {r["name"]: r for r in rows(pkg, "organizations.csv")}
    # the NPO; 阪南市 (secretariat, commissioner, project lead) and 岬町 (project partner) as
    # governments; 岬町の居場所 stands as its own organisation (no operator is named), while
    # the platform's organisation is its secretariat
    assert sorted(orgs) == ["NPO法人つながる", "岬町", "岬町の居場所", "阪南市"]
    assert orgs["NPO法人つながる"]["alternate_name"] == "つながる|TSUNAGARU"
    assert orgs["NPO法人つながる"]["website"] == "https://example.org/npo"
    ids = {
        (r["identifier_type"], r["identifier"], r["identifier_scheme"])
        for r in rows(pkg, "organization_identifiers.csv")
    }
    assert ids == {
        ("法人番号", "7123456789012", "JP-JCN"),
        ("全国地方公共団体コード", HANNAN, ""),
        ("全国地方公共団体コード", MISAKI, ""),
    }
    services = {r["name"]: r for r in rows(pkg, "services.csv")}
    assert sorted(services) == [
        "NPO法人つながる",
        "岬町の居場所",
        "広域事業",
        "阪南PF",
        "阪南市くらし相談窓口",
    ]
    window = services["阪南市くらし相談窓口"]
    assert window["organization_id"] == orgs["NPO法人つながる"]["id"]  # OPERATES
    assert services["広域事業"]["organization_id"] == orgs["阪南市"]["id"]  # RUNS
    assert services["阪南PF"]["organization_id"] == orgs["阪南市"]["id"]  # SECRETARIAT_OF
    assert rows(pkg, "phones.csv")[0]["number"] == "072-471-5678"
    assert rows(pkg, "schedules.csv")[0]["description"] == "平日 9:00〜17:30"
    [address] = rows(pkg, "addresses.csv")
    assert (address["postal_code"], address["city"], address["state_province"]) == (
        "599-0292",
        "阪南市",
        "大阪府",
    )
    assert address["address_1"] == "大阪府阪南市尾崎町35-1"
    areas = {(r["name"], r["extent"], r["extent_type"]) for r in rows(pkg, "service_areas.csv")}
    assert ("阪南市", HANNAN, "jp_lg_code") in areas and ("泉南市", SENNAN, "jp_lg_code") in areas
    assert rows(pkg, "funding.csv")[0]["source"] == "交付金（600千円）"
    terms = {(r["taxonomy"], r["code"], r["name"]) for r in rows(pkg, "taxonomy_terms.csv")}
    assert ("tsunagari_delivery_mode", "home_visit", "訪問") in terms
    assert ("tsunagari_service", "ibasho", "居場所") in terms
    meta = [r for r in rows(pkg, "metadata.csv") if r["resource_id"] == window["id"]]
    assert {r["field_name"]: r["replacement_value"] for r in meta} == {
        "source": "s1",
        "locator": "doc p.4",
        "as_of": "2025-04-01",
        "verification": "primary_source_import",
    }


def test_ids_are_stable_across_builds(exported: tuple[Path, Path], tmp_path: Path) -> None:
    build_graph(directory_result(), tmp_path / "again.lbug")
    with LadybugStore(tmp_path / "again.lbug", read_only=True) as store:
        export_hsds(store, tmp_path / "pkg")
    _, pkg = exported
    for f in sorted(pkg.glob("*.csv")):
        a = [r["id"] for r in rows(pkg, f.name)]
        assert a == [r["id"] for r in rows(tmp_path / "pkg", f.name)], f.name


def test_round_trip_gives_the_same_directory(exported: tuple[Path, Path], tmp_path: Path) -> None:
    store_path, pkg = exported
    assert is_hsds_package(pkg)
    back = load_hsds(pkg)
    assert back.problems == []
    assert [str(n) for n in back.notes] == project_notes(pkg)
    assert same_directory(store_path, back, tmp_path / "back.lbug") == 13  # ties touching it:
    # 3 LOCATED_IN, 4 COVERS and one of each other type


def test_build_with_the_export_over_the_same_data_changes_nothing(tmp_path: Path) -> None:
    build_graph(directory_result(), tmp_path / "g.lbug")
    with LadybugStore(tmp_path / "g.lbug", read_only=True) as store:
        export_hsds(store, tmp_path / "pkg")
    twice = directory_result().extend(load_hsds(tmp_path / "pkg"))
    report = build_graph(twice, tmp_path / "twice.lbug")
    once = build_graph(directory_result(), tmp_path / "once.lbug")
    assert (report.nodes, report.edges) == (once.nodes, once.edges)


def test_a_foreign_package_maps_what_it_can(tmp_path: Path) -> None:
    def write(name: str, text: str) -> None:
        (tmp_path / name).write_text(text, encoding="utf-8")

    org, svc, loc = (hsds_id("x", n) for n in ("org", "svc", "loc"))
    write("organizations.csv", f"id,name,description,website\n{org},家族会はんなん,家族会,\n")
    write("services.csv", f"id,organization_id,name,status\n{svc},{org},家族のつどい,active\n")
    write(
        "service_areas.csv",
        f"id,service_id,name\n{hsds_id('x', 'a')},{svc},阪南市\n{hsds_id('x', 'b')},{svc},どこか\n",
    )
    write("locations.csv", f"id,location_type,organization_id,name\n{loc},physical,{org},会場\n")
    write(
        "service_at_location.csv", f"id,service_id,location_id\n{hsds_id('x', 's')},{svc},{loc}\n"
    )
    write(
        "addresses.csv",
        "id,location_id,address_1,city,state_province,postal_code,country,"
        f"address_type\n{hsds_id('x', 'ad')},{loc},尾崎町1,阪南市,大阪府,599-0201,JP,physical\n",
    )
    write("phones.csv", f"id,service_id,number\n{hsds_id('x', 'p')},{svc},072-000-0000\n")
    write("contacts.csv", f"id,service_id,name\n{hsds_id('x', 'c')},{svc},山田\n")
    write(
        "organization_identifiers.csv",
        "id,organization_id,identifier_scheme,identifier_type,"
        f"identifier\n{hsds_id('x', 'i')},{org},JP-JCN,法人番号,7123456789012\n",
    )
    assert is_hsds_package(tmp_path)
    r = load_hsds(tmp_path)
    assert r.problems == []
    assert [str(n) for n in r.notes] == [
        f"{tmp_path}/contacts.csv:2: not read: tsunagari keeps no contact persons [not-mapped]",
        f"{tmp_path}/service_areas.csv:3: area 'どこか' is no single prefecture or municipality "
        "[not-mapped]",
    ]
    nodes = {(n.label, n.key): n.props for n in r.nodes}
    family = nodes[("Organization", f"hsds-{org}")]
    assert family == {
        "name": "家族会はんなん",
        "corporate_number": "7123456789012",
        "source": "file:organizations.csv",
        "locator": "organizations.csv:2",
    }
    gathering = nodes[("SupportCenter", f"hsds-{svc}")]
    assert gathering["phone"] == "072-000-0000"
    assert gathering["address"] == "大阪府阪南市尾崎町1"
    assert sorted((e.type, e.src[1], e.dst[1]) for e in r.edges) == [
        ("COVERS", f"hsds-{svc}", HANNAN),
        ("LOCATED_IN", f"hsds-{svc}", HANNAN),
        ("OPERATES", f"hsds-{org}", f"hsds-{svc}"),
    ]


def test_a_bad_corporate_number_stops_the_package(tmp_path: Path) -> None:
    org = hsds_id("x", "org")
    (tmp_path / "organizations.csv").write_text(f"id,name,description\n{org},団体,x\n", "utf-8")
    (tmp_path / "services.csv").write_text("id,organization_id,name,status\n", "utf-8")
    (tmp_path / "organization_identifiers.csv").write_text(
        "id,organization_id,identifier_scheme,identifier_type,identifier\n"
        f"{hsds_id('x', 'i')},{org},JP-JCN,法人番号,8123456789012\n",
        "utf-8",
    )
    r = load_hsds(tmp_path)
    assert [p.slug for p in r.problems] == ["bad-corporate-number"]
    assert r.nodes == [] and r.edges == []


def test_bundled_data_exports_validates_and_reads_back(bundled_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        main,
        ["--lang", "en", "--store", str(bundled_store), "export", "--hsds", str(tmp_path / "pkg")],
    )
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"wrote {tmp_path / 'pkg'} (HSDS 3.0): organization ")
    report = validate_against_hsds(tmp_path / "pkg")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    back = load_hsds(tmp_path / "pkg")
    assert back.problems == []
    assert {n.message.split(" (")[0].split(" ")[0] for n in back.notes} == {"funded"}
    assert same_directory(bundled_store, back, tmp_path / "back.lbug") > 0


def test_build_with_an_hsds_package_lists_what_it_did_not_load(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    """The CLI: the bundled data plus a package; rows that do not map are listed, not errors."""
    _, pkg = exported
    store = str(tmp_path / "t.lbug")
    out = CliRunner().invoke(main, ["--lang", "en", "--store", store, "build", "--with", str(pkg)])
    assert out.exit_code == 0, out.output
    assert out.stderr.splitlines() == project_notes(pkg, prefix="not loaded: ")
    with LadybugStore(tmp_path / "t.lbug", read_only=True) as s:
        names = {r["name"] for r in s.run("MATCH (n:SupportCenter) RETURN n.name AS name")}
    assert {"阪南市くらし相談窓口", "岬町の居場所"} <= names


def test_tables_are_read_where_the_descriptor_puts_them(tmp_path: Path) -> None:
    org, svc = hsds_id("x", "org"), hsds_id("x", "svc")
    (tmp_path / "datapackage.json").write_text(
        json.dumps(
            {
                "resources": [
                    {"name": "organization", "path": "data/orgs.csv"},
                    {"name": "service", "path": "data/svc.csv"},
                ]
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data/orgs.csv").write_text(f"id,name,description\n{org},団体,x\n", "utf-8")
    (tmp_path / "data/svc.csv").write_text(
        f"id,organization_id,name,status\n{svc},{org},窓口,active\n", "utf-8"
    )
    assert is_hsds_package(tmp_path)
    r = load_hsds(tmp_path)
    assert (r.problems, r.notes) == ([], [])
    assert sorted((n.label, n.props["name"], n.props["locator"]) for n in r.nodes) == [
        ("Organization", "団体", "orgs.csv:2"),
        ("SupportCenter", "窓口", "svc.csv:2"),
    ]
    assert [(e.type, e.src[1], e.dst[1]) for e in r.edges] == [
        ("OPERATES", f"hsds-{org}", f"hsds-{svc}")
    ]
