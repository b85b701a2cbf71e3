"""Read an HSDS 3.0 tabular package into directory records; list what does not map.

A package tsunagari exported comes back whole (ids, properties, ties and provenance ride in
its attributes and metadata). Another tool's package maps by HSDS meaning: organizations →
Organization, services → SupportCenter (OPERATES from their organization), service areas and
addresses → COVERS and LOCATED_IN by 団体コード or place name, phones, schedules, 法人番号.
Rows that do not map are returned as notes (file:line and why), not as errors.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tsunagari.loaders import hsds_format as H
from tsunagari.loaders.directory_format import word
from tsunagari.loaders.directory_rows import municipalities_of, resolve
from tsunagari.loaders.identifiers import corporate_number_problem, normalise_corporate_number
from tsunagari.loaders.master import bundled_sources
from tsunagari.loaders.names import problem_for
from tsunagari.loaders.tabular import Row, read_sheets
from tsunagari.model import ADMIN, BOOL, EDGES, INT, NODES
from tsunagari.records import Edge, LoadResult, Node, Problem, SourceInfo

log = logging.getLogger(__name__)

Ref = tuple[str, str]
# What each table that tsunagari does not read would have held (the note says so).
UNREAD = {
    "program": "tsunagari has no programmes (a funded project is a Project, from funding lists)",
    "contact": "tsunagari keeps no contact persons",
    "funding": "funding comes from the funding-decision lists (tsunagari import-funding)",
    "cost_option": "tsunagari keeps no fees",
    "required_document": "tsunagari keeps no required documents",
    "language": "tsunagari keeps no languages",
    "accessibility": "tsunagari keeps no accessibility details",
}


def is_hsds_package(path: Path) -> bool:
    """A folder with an HSDS datapackage.json, or with organizations.csv and services.csv."""
    if not path.is_dir():
        return False
    descriptor = path / "datapackage.json"
    if descriptor.is_file():
        try:
            names = {r.get("name") for r in json.loads(descriptor.read_text("utf-8"))["resources"]}
        except (ValueError, KeyError, TypeError, AttributeError):
            return False
        return {"organization", "service"} <= names
    return (path / "organizations.csv").is_file() and (path / "services.csv").is_file()


def load_hsds(folder: Path) -> LoadResult:
    """The directory records of an HSDS package, its problems, and notes on unmapped rows."""
    result = _Reader(folder).run()
    log.info(
        "hsds %s: %d nodes, %d edges, %d problems, %d notes",
        folder,
        len(result.nodes),
        len(result.edges),
        len(result.problems),
        len(result.notes),
    )
    return result


@dataclass
class _Rec:
    """One HSDS row as read: its table, line and cells."""

    table: str
    file: str
    line: int
    cells: dict[str, str]

    @property
    def where(self) -> str:
        return f"{Path(self.file).name}:{self.line}"


@dataclass
class _Attr:
    taxonomy: str
    code: str
    name: str
    value: str
    rec: _Rec


@dataclass
class _Draft:
    """A node being assembled from an organization row and/or a service row."""

    label: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)


class _Reader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, list[_Rec]] = {}
        self.result = LoadResult()
        self.sources = dict(bundled_sources())
        self.file_sources: dict[str, SourceInfo] = {}
        self.drafts: dict[Ref, _Draft] = {}
        self.node_of: dict[tuple[str, str], Ref] = {}  # (table, row id) → node
        self.native = False  # a tsunagari export: ties ride in LINK_TAXONOMY attributes
        self.attrs: dict[str, list[_Attr]] = defaultdict(list)  # by link_id
        self.meta: dict[str, dict[str, str]] = defaultdict(dict)  # resource_id → provenance

    # -- reading --------------------------------------------------------------------------
    def run(self) -> LoadResult:
        self._read()
        terms = self._terms()
        for rec in self.rows.get("attribute", []):
            term = terms.get(rec.cells.get("taxonomy_term_id", ""))
            if term is None:
                self._note(rec, "its taxonomy_term_id names no taxonomy term")
                continue
            attr = _Attr(*term, rec.cells.get("value", ""), rec)
            self.attrs[rec.cells.get("link_id", "")].append(attr)
            self.native |= attr.taxonomy == H.LINK_TAXONOMY
        for rec in self.rows.get("metadata", []):
            name = rec.cells.get("field_name", "")
            if name in H.PROVENANCE_FIELDS:
                self.meta[rec.cells.get("resource_id", "")][name] = rec.cells.get(
                    "replacement_value", ""
                )
            else:
                self._note(rec, f"a change record ({name}) tsunagari keeps no history of")
        projects = {
            r.cells.get("id", "")
            for r in self.rows.get("service", [])
            if (self._ident(r.cells.get("id", "")) or ("",))[0] == "Project"
        }
        for table, why in UNREAD.items():
            for rec in self.rows.get(table, []):
                if rec.cells.get("service_id") not in projects:  # told with the project
                    self._note(rec, f"not read: {why}")
        for rec in self.rows.get("organization", []):
            self._organization(rec)
        for rec in self.rows.get("service", []):
            self._service(rec)
        self._identifiers()
        self._contacts()
        self._locations()
        self._service_areas()
        self._links()
        self._unused_attributes()
        return self._finish()

    def _read(self) -> None:
        """The tables at the paths the package's descriptor gives (else HSDS's file names)."""
        descriptor = self.folder / "datapackage.json"
        package = json.loads(descriptor.read_text("utf-8")) if descriptor.is_file() else {}
        paths = {r.get("name"): r.get("path") for r in package.get("resources", [])}
        for table, (default, _columns) in H.tables().items():
            file = self.folder / str(paths.get(table) or default)
            if not file.is_file():
                continue
            sheets, problems = read_sheets(file)
            self.result.problems += problems
            self.rows[table] = [
                _Rec(table, sheet.file, row.line, _cells(row))
                for sheet in sheets
                for row in sheet.rows
            ]
        for s in package.get("tsunagari", {}).get("sources", []):
            if s.get("id") and s["id"] not in self.sources:
                fields = ("id", "title", "publisher", "date", "file", "sha256", "url", "licence")
                self.sources[s["id"]] = SourceInfo(**{k: str(s.get(k) or "") for k in fields})

    def _terms(self) -> dict[str, tuple[str, str, str]]:
        """taxonomy_term id → (taxonomy name, code, name)."""
        taxonomies = {
            r.cells.get("id", ""): r.cells.get("name", "") for r in self.rows.get("taxonomy", [])
        }
        out = {}
        for r in self.rows.get("taxonomy_term", []):
            c = r.cells
            taxonomy = taxonomies.get(c.get("taxonomy_id", "")) or c.get("taxonomy", "")
            out[c.get("id", "")] = (taxonomy, c.get("code", ""), c.get("name", ""))
        return out

    # -- records --------------------------------------------------------------------------
    def _ident(self, rid: str) -> Ref | None:
        for a in self.attrs.get(rid, []):
            if a.taxonomy == H.PROPERTY_TAXONOMY and a.code == H.ID_TERM:
                return H.parse_ref(a.value)
        return None

    def _organization(self, rec: _Rec) -> None:
        rid = rec.cells.get("id", "")
        ref = self._ident(rid)
        if ref is None:
            ref = self._admin_by_identifier(rid) or ("Organization", _hsds_key(rid))
        if ref[0] in ADMIN:
            if self._admin_ok(rec, ref):
                self.node_of[("organization", rid)] = ref
            return
        if ref[0] != "Organization":  # stands for a centre, platform or project without one
            self.node_of[("organization", rid)] = ref
            return
        draft = self._draft(ref, rec)
        draft.props["url"] = rec.cells.get("website", "")
        self.node_of[("organization", rid)] = ref
        self._record_props(draft, rid, rec)

    def _service(self, rec: _Rec) -> None:
        rid = rec.cells.get("id", "")
        ref = self._ident(rid) or ("SupportCenter", _hsds_key(rid))
        if ref[0] == "Project":
            self.node_of[("service", rid)] = ref
            self._note(
                rec,
                f"funded project {ref[1]} (with its service areas and funding): "
                "projects come from the funding-decision lists (tsunagari import-funding)",
            )
            return
        if ref[0] not in H.DIRECTORY_LABELS:
            self._problem(rec, "bad-id", "id", ref[0], f"a service cannot stand for a {ref[0]}")
            return
        draft = self._draft(ref, rec)
        self.node_of[("service", rid)] = ref
        draft.props["url"] = draft.props.get("url") or rec.cells.get("url", "")
        for a in self.attrs.get(rid, []):
            if a.taxonomy == H.SERVICE_TAXONOMY or word("services", a.code or a.name):
                _add(
                    draft.props,
                    "services",
                    a.code
                    if a.taxonomy == H.SERVICE_TAXONOMY
                    else word("services", a.code or a.name),
                )
            elif a.taxonomy == H.DELIVERY_TAXONOMY or word("delivery_modes", a.code or a.name):
                _add(draft.props, "delivery_modes", word("delivery_modes", a.code or a.name))
        if ref[0] != "Organization":
            self._record_props(draft, rid, rec)
        org = self.node_of.get(("organization", rec.cells.get("organization_id", "")))
        if not self.native and org is not None and org[0] == "Organization" and org != ref:
            self._edge("OPERATES", org, ref, self._provenance(rid, rec))

    def _draft(self, ref: Ref, rec: _Rec) -> _Draft:
        draft = self.drafts.get(ref)
        if draft is None:
            draft = self.drafts[ref] = _Draft(ref[0], ref[1])
            alternate = rec.cells.get("alternate_name", "")
            draft.props |= {
                "name": rec.cells.get("name", ""),
                "alternate_names": [n for n in alternate.split(H.ALTERNATE_SEPARATOR) if n],
            }
            if not draft.props["name"]:
                self._problem(rec, "missing-value", "name", "", "every record needs a name")
        return draft

    def _record_props(self, draft: _Draft, rid: str, rec: _Rec) -> None:
        """Provenance from metadata, and the properties HSDS has no field for."""
        draft.props |= self._provenance(rid, rec)
        own = {p.name: p for p in NODES[draft.label].props}
        for a in self.attrs.get(rid, []):
            if a.taxonomy != H.PROPERTY_TAXONOMY or a.code == H.ID_TERM:
                continue
            prop = own.get(a.code)
            if prop is None:
                self._note(a.rec, f"{draft.label} has no property {a.code!r}")
            else:
                draft.props[a.code] = _typed(a.value, prop.type)

    def _provenance(self, rid: str, rec: _Rec) -> dict[str, Any]:
        meta = self.meta.get(rid, {})
        source = meta.get("source", "")
        if source not in self.sources:
            source = self._file_source(rec).id
            meta = {k: v for k, v in meta.items() if k != "locator"}
        return {
            "source": source,
            "locator": meta.get("locator") or rec.where,
            **{k: meta[k] for k in ("as_of", "verification") if meta.get(k)},
        }

    def _file_source(self, rec: _Rec) -> SourceInfo:
        path = Path(rec.file)
        sid = f"file:{path.name}"
        if sid not in self.file_sources:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            self.file_sources[sid] = SourceInfo(sid, path.name, file=path.name, sha256=digest)
        return self.file_sources[sid]

    # -- identifiers, contacts, places --------------------------------------------------------
    def _admin_by_identifier(self, rid: str) -> Ref | None:
        for rec in self.rows.get("organization_identifier", []):
            c = rec.cells
            if c.get("organization_id") == rid and c.get("identifier_type") == H.LG_CODE_TYPE:
                res = resolve(c.get("identifier", ""), None)
                if res.ok and res.label in ADMIN and res.code:
                    return res.label, res.code
        return None

    def _admin_ok(self, rec: _Rec, ref: Ref) -> bool:
        res = resolve(ref[1], None)
        if res.ok and res.label == ref[0]:
            return True
        self._problem(rec, "unknown-municipality", "id", ref[1], f"no {ref[0]} with code {ref[1]}")
        return False

    def _identifiers(self) -> None:
        for rec in self.rows.get("organization_identifier", []):
            c = rec.cells
            ref = self.node_of.get(("organization", c.get("organization_id", "")))
            if c.get("identifier_type") == H.LG_CODE_TYPE and ref is not None and ref[0] in ADMIN:
                continue
            if c.get("identifier_scheme") == H.JCN_SCHEME or c.get("identifier_type") == H.JCN_TYPE:
                if ref is None or ref not in self.drafts:
                    self._note(rec, "a 法人番号 of an organization that was not read")
                    continue
                why = corporate_number_problem(c.get("identifier", ""))
                if why is not None:
                    self._problem(
                        rec, "bad-corporate-number", "identifier", c.get("identifier", ""), why
                    )
                else:
                    self.drafts[ref].props["corporate_number"] = normalise_corporate_number(
                        c["identifier"]
                    )
                continue
            scheme = c.get("identifier_scheme") or c.get("identifier_type")
            self._note(rec, f"identifier scheme {scheme!r} has no place in tsunagari")

    def _owner(self, rec: _Rec, *columns: str) -> Ref | None:
        for column in columns:
            ref = self.node_of.get((column.removesuffix("_id"), rec.cells.get(column, "")))
            if ref is not None and ref in self.drafts:
                return ref
        return None

    def _contacts(self) -> None:
        for rec in self.rows.get("phone", []):
            ref = self._owner(rec, "service_id", "organization_id")
            town = self.node_of.get(("organization", rec.cells.get("organization_id", "")))
            if ref is None and town is not None and town[0] in ADMIN:
                continue  # a town hall's number: the national master keeps it
            if ref is None:
                self._note(rec, "a phone number of no service or organization that was read")
            else:
                _join(self.drafts[ref].props, "phone", rec.cells.get("number", ""))
        for rec in self.rows.get("schedule", []):
            ref = self._owner(rec, "service_id")
            text = rec.cells.get("description", "")
            if ref is None or not text:
                self._note(
                    rec,
                    "a schedule without a description of a service that was read "
                    "(tsunagari keeps 受付時間 as text)",
                )
            else:
                _join(self.drafts[ref].props, "hours", text)

    def _locations(self) -> None:
        at = defaultdict(list)
        for rec in self.rows.get("service_at_location", []):
            at[rec.cells.get("location_id", "")].append(rec.cells.get("service_id", ""))
        addresses = defaultdict(list)
        for rec in self.rows.get("address", []):
            addresses[rec.cells.get("location_id", "")].append(rec)
        for rec in self.rows.get("location", []):
            lid = rec.cells.get("id", "")
            owners = [self.node_of.get(("service", s)) for s in at.get(lid, [])]
            if not owners:
                owners = [self.node_of.get(("organization", rec.cells.get("organization_id", "")))]
            refs = sorted({o for o in owners if o is not None and o in self.drafts})
            if not refs:
                self._note(rec, "a location of no service or organization that was read")
                continue
            code, text = self._location_place(rec, addresses.get(lid, []))
            for ref in refs:
                if text:
                    self.drafts[ref].props["address"] = text
                if code:
                    self._edge(
                        "LOCATED_IN", ref, ("Municipality", code), self._provenance(lid, rec)
                    )

    def _location_place(self, rec: _Rec, addresses: list[_Rec]) -> tuple[str | None, str]:
        """(municipality code, address text as written) of a location."""
        c = rec.cells
        if c.get("external_identifier_type") == H.LG_CODE:
            res = resolve(c.get("external_identifier", ""), None)
            if res.ok and res.label == "Municipality":
                return res.code, c.get("description", "")
            code = c.get("external_identifier", "")
            why = "no municipality has this code"
            self._problem(rec, "unknown-municipality", "external_identifier", code, why)
            return None, c.get("description", "")
        for a in addresses:
            ac = a.cells
            text = "".join(
                ac.get(k, "") for k in ("state_province", "city", "address_1", "address_2")
            )
            res = resolve(ac.get("city", ""), ac.get("state_province") or None)
            if res.ok and res.label == "Municipality":
                return res.code, c.get("description") or text
            unplaced = problem_for(res, file=a.file, line=a.line, field="city")
            self._note(a, f"not placed: {unplaced.message if unplaced else 'not a municipality'}")
            return None, c.get("description") or text
        if not self.native:  # tsunagari writes a location with only an address as it is
            self._note(rec, "a location without a 団体コード or an address tsunagari can place")
        return None, c.get("description", "")

    def _service_areas(self) -> None:
        for rec in self.rows.get("service_area", []):
            c = rec.cells
            ref = self.node_of.get(("service", c.get("service_id", "")))
            if ref is None or ref not in self.drafts:
                if ref is None or ref[0] != "Project":
                    self._note(rec, "a service area of no service that was read")
                continue
            place = c.get("extent", "") if c.get("extent_type") == H.LG_CODE else c.get("name", "")
            res = resolve(place, None)
            if not res.ok or res.label not in ADMIN or not res.code:
                self._note(rec, f"area {place!r} is no single prefecture or municipality")
                continue
            rid = c.get("id", "")
            props: dict[str, Any] = self._provenance(rid, rec)
            services = [a.code for a in self.attrs.get(rid, []) if a.taxonomy == H.SERVICE_TAXONOMY]
            scope = next((a.value for a in self.attrs.get(rid, []) if a.code == "scope"), "")
            props["services"] = services or list(self.drafts[ref].props.get("services") or [])
            props["scope"] = scope or ("prefecture" if res.label == "Prefecture" else "local")
            targets = municipalities_of(res.code) if res.label == "Prefecture" else (res.code,)
            for code in targets:
                self._edge("COVERS", ref, ("Municipality", code), dict(props))

    def _links(self) -> None:
        for rid, attrs in self.attrs.items():
            for a in attrs:
                if a.taxonomy != H.LINK_TAXONOMY:
                    continue
                src = self.node_of.get((a.rec.cells.get("link_entity", ""), rid))
                try:
                    value = json.loads(a.value)
                    dst = H.parse_ref(str(value.pop("to")))
                except (ValueError, KeyError, AttributeError):
                    self._problem(
                        a.rec, "bad-link", "value", a.value, 'a link needs JSON {"to": "Label:key"}'
                    )
                    continue
                if src is None or dst is None or a.code not in EDGES:
                    self._note(a.rec, f"a {a.code} tie whose ends were not read")
                    continue
                if dst[0] in ADMIN and not resolve(dst[1], None).ok:
                    self._problem(
                        a.rec, "unknown-municipality", "value", dst[1], f"no {dst[0]} {dst[1]}"
                    )
                    continue
                if a.code in ("RUNS", "PARTNERS_IN"):
                    continue  # funding ties, read from the funding lists
                self._edge(
                    a.code,
                    src,
                    dst,
                    {**value, **self._provenance(a.rec.cells.get("id", ""), a.rec)},
                )

    def _unused_attributes(self) -> None:
        known = (H.SERVICE_TAXONOMY, H.DELIVERY_TAXONOMY, H.PROPERTY_TAXONOMY, H.LINK_TAXONOMY)
        for attrs in self.attrs.values():
            for a in attrs:
                if (
                    a.taxonomy not in known
                    and not word("services", a.code or a.name)
                    and not word("delivery_modes", a.code or a.name)
                ):
                    self._note(
                        a.rec,
                        f"taxonomy term {a.taxonomy}:{a.code or a.name} has no place in tsunagari",
                    )

    # -- output -----------------------------------------------------------------------------
    def _edge(self, etype: str, src: Ref, dst: Ref, props: dict[str, Any]) -> None:
        if (src[0], dst[0]) not in EDGES[etype].endpoints:
            return
        allowed = {p.name for p in EDGES[etype].all_props}
        self.result.edges.append(
            Edge(etype, src, dst, {k: v for k, v in props.items() if k in allowed})
        )

    def _note(self, rec: _Rec, message: str) -> None:
        self.result.notes.append(Problem("not-mapped", rec.file, rec.line, "", "", message))

    def _problem(self, rec: _Rec, slug: str, column: str, value: str, message: str) -> None:
        self.result.problems.append(Problem(slug, rec.file, rec.line, column, value, message))

    def _finish(self) -> LoadResult:
        r = self.result
        allowed = {label: {p.name for p in NODES[label].all_props} for label in H.DIRECTORY_LABELS}
        for ref, draft in self.drafts.items():
            props = {
                k: v
                for k, v in draft.props.items()
                if k in allowed[ref[0]] and v not in ("", None, [])
            }
            r.nodes.append(Node(ref[0], ref[1], props))
        used = {
            str(p["source"]) for p in [*(n.props for n in r.nodes), *(e.props for e in r.edges)]
        }
        r.sources = [self.file_sources.get(s) or self.sources[s] for s in sorted(used)]
        if r.problems:
            r.nodes, r.edges, r.sources = [], [], []
        return r


def _cells(row: Row) -> dict[str, str]:
    return {k: v for k, v in row.cells.items() if k}


def _hsds_key(rid: str) -> str:
    return f"hsds-{rid}"


def _add(props: dict[str, Any], name: str, value: str | None) -> None:
    if value and value not in props.setdefault(name, []):
        props[name].append(value)


def _join(props: dict[str, Any], name: str, text: str) -> None:
    if text:
        props[name] = f"{props[name]}、{text}" if props.get(name) else text


def _typed(text: str, type_: str) -> Any:
    if type_ == BOOL:
        return text == "true"
    if type_ == INT:
        return int(text) if text else None
    return text
