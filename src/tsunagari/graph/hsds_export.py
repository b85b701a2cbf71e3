"""Write the graph's directory, national layer and funded projects as an HSDS 3.0 package."""

from __future__ import annotations

import csv
import json
import logging
import re
import unicodedata
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tsunagari.graph.export import result_from_store
from tsunagari.graph.store import GraphStore
from tsunagari.loaders import hsds_format as H
from tsunagari.model import ADMIN, NODES
from tsunagari.records import Edge, LoadResult, Node
from tsunagari.tables import VALUES_JA

log = logging.getLogger(__name__)

Row = dict[str, Any]
Ref = tuple[str, str]  # (label, key)
POSTAL = re.compile(r"(?:〒\s*|^\s*)([0-9]{3})-?([0-9]{4})(?![0-9])")  # 〒599-0292, at the start


def export_hsds(store: GraphStore, folder: Path) -> dict[str, int]:
    """Write the package into `folder`; returns the rows per table (every table is written)."""
    from tsunagari import __version__

    built = store.run("MATCH (b:Build) RETURN b.built_at AS built_at")
    # the day the graph was built from its sources: metadata.last_action_date
    built_at = (
        str(built[0]["built_at"]) if built else datetime.now(UTC).isoformat(timespec="seconds")
    )
    tables = hsds_tables(result_from_store(store), built_at=built_at, tool=__version__)
    write_package(tables, folder, result_sources(store), built_at=built_at)
    return {name: len(rows) for name, rows in tables.items()}


def result_sources(store: GraphStore) -> list[dict[str, Any]]:
    """Every loaded source with what its citation needs (url, licence and attribution)."""
    fields = ("id", "title", "publisher", "date", "file", "sha256", "url", "licence")
    rows = store.run(
        "MATCH (s:Source) RETURN " + ", ".join(f"s.{f} AS {f}" for f in fields) + " ORDER BY id"
    )
    return [{f: r[f] or "" for f in fields} for r in rows]


def hsds_tables(result: LoadResult, *, built_at: str, tool: str) -> dict[str, list[Row]]:
    """Every HSDS table (as rows keyed by column) for the records of `result`."""
    return _Writer(result, built_at=built_at, tool=tool).run()


def write_package(
    tables: dict[str, list[Row]], folder: Path, sources: list[dict[str, Any]], *, built_at: str
) -> None:
    """One CSV per HSDS table (UTF-8, the descriptor's columns) and datapackage.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (path, columns) in H.tables().items():
        with (folder / path).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(columns)
            for row in tables.get(name, []):
                w.writerow(["" if row.get(c) is None else row[c] for c in columns])
    official = H.descriptor()
    package = {
        "profile": official["profile"],
        "name": "tsunagari-hsds",
        "title": "tsunagari: support resources as HSDS 3.0 (Open Referral)",
        "description": (
            "Organisations, support centres, platforms and funded projects from the tsunagari "
            "graph; every record cites its source in metadata.csv, and each source's licence "
            "(listed in sources) applies to the facts taken from it. The resources below are the "
            "HSDS 3.0.0 package descriptor (Human Services Data Specification: an Open Referral "
            "resource, https://openreferral.org/, CC BY-SA 4.0)."
        ),
        "version": official["version"],
        "created": built_at,
        # each source's own licence (e.g. CC BY 4.0 with its attribution) applies to its facts
        "sources": [
            {"title": s["title"] or s["id"], "path": s["url"] or s["file"]}
            | ({"licence": s["licence"]} if s["licence"] else {})
            for s in sources
        ],
        "tsunagari": {"hsds_version": H.HSDS_VERSION, "sources": sources},
        "resources": official["resources"],
    }
    (folder / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _where(props: dict[str, Any]) -> tuple[str, str]:
    """An edge's source and locator: two facts about the same pair get two rows."""
    return _text(props.get("source")), _text(props.get("locator"))


class _Writer:
    def __init__(self, result: LoadResult, *, built_at: str, tool: str) -> None:
        self.nodes: dict[Ref, Node] = {(n.label, n.key): n for n in result.nodes}
        self.edges = result.edges
        self.date = built_at[:10]
        self.tool = f"tsunagari {tool}"
        self.out: dict[str, list[Row]] = defaultdict(list)
        self.terms_used: dict[tuple[str, str], str] = {}  # (taxonomy, code) → term id
        self.org_of: dict[Ref, str] = {}  # node → its organization row id
        self.service_of: dict[Ref, str] = {}  # node → its service row id
        self.out_edges: dict[Ref, list[Edge]] = defaultdict(list)
        self.in_edges: dict[Ref, list[Edge]] = defaultdict(list)
        for e in self.edges:
            self.out_edges[e.src].append(e)
            self.in_edges[e.dst].append(e)

    def run(self) -> dict[str, list[Row]]:
        records = sorted(r for r in self.nodes if r[0] in H.RECORD_LABELS)
        links = [e for e in self.edges if e.type in H.LINK_TYPES and self._exported(e)]
        governments = sorted(
            {end for e in links for end in (e.src, e.dst) if end[0] in ADMIN and end in self.nodes}
        )
        for ref in governments:
            self._government(ref)
        for ref in records:
            if ref[0] == "Organization":
                self._organization(ref)
        for ref in records:
            if ref[0] != "Organization" or self._is_service(ref):
                self._service(ref)
        for ref in records:
            self._locations(ref)
            self._contact(ref)
        for e in self.edges:
            if e.type == "COVERS" and e.src in self.service_of:
                self._service_area(e)
            elif e.type == "FUNDS" and e.dst in self.service_of:
                self._funding(e)
        for e in links:
            self._link(e)
        self._taxonomies()
        for name in sorted(n for n in self.out if self.out[n]):
            self.out["meta_table_description"].append(
                {
                    "id": H.hsds_id("meta_table_description", name),
                    "name": name,
                    "language": "ja",
                    "character_set": "UTF-8",
                }
            )
        return {name: self.out.get(name, []) for name in H.tables()}

    # -- records ------------------------------------------------------------------------
    def _exported(self, e: Edge) -> bool:
        ends = (e.src, e.dst)
        return all(x in self.nodes for x in ends) and any(x[0] in H.RECORD_LABELS for x in ends)

    def _is_service(self, ref: Ref) -> bool:
        """An organisation is also a service when it provides something somewhere."""
        p = self.nodes[ref].props
        covers = any(e.type == "COVERS" for e in self.out_edges[ref])
        return bool(
            p.get("services")
            or p.get("delivery_modes")
            or p.get("phone")
            or p.get("hours")
            or covers
        )

    def _government(self, ref: Ref) -> None:
        node = self.nodes[ref]
        oid = self.org_of[ref] = H.hsds_id("organization", *ref)
        kind = VALUES_JA.get(ref[0], ref[0])
        self.out["organization"].append(
            {
                "id": oid,
                "name": node.props["name"],
                "description": f"地方公共団体（{kind}、{H.LG_CODE_TYPE} {ref[1]}）",
                "website": node.props.get("url") or None,
            }
        )
        if node.props.get("phone"):  # the town hall's number, from its own source
            pid = H.hsds_id("phone", *ref)
            self.out["phone"].append(
                {"id": pid, "organization_id": oid, "number": node.props["phone"], "type": "voice"}
            )
            contact = {f: node.props.get(f"contact_{f}") for f in ("source", "locator")}
            self._provenance(pid, "phone", contact | {"as_of": node.props.get("contact_checked")})
        self.out["organization_identifier"].append(
            {
                "id": H.hsds_id("organization_identifier", *ref),
                "organization_id": oid,
                "identifier_type": H.LG_CODE_TYPE,
                "identifier": ref[1],
            }
        )
        self._property(oid, "organization", H.ID_TERM, H.node_ref(*ref))
        self._provenance(oid, "organization", node.props)

    def _organization(self, ref: Ref) -> None:
        p = self.nodes[ref].props
        oid = self.org_of[ref] = H.hsds_id("organization", *ref)
        self.out["organization"].append(
            {
                "id": oid,
                "name": p["name"],
                "alternate_name": self._alternate(p),
                "description": self._description(ref),
                "website": p.get("url") or None,
            }
        )
        if p.get("corporate_number"):
            self.out["organization_identifier"].append(
                {
                    "id": H.hsds_id("organization_identifier", *ref),
                    "organization_id": oid,
                    "identifier_scheme": H.JCN_SCHEME,
                    "identifier_type": H.JCN_TYPE,
                    "identifier": p["corporate_number"],
                }
            )
        self._record_attributes(oid, "organization", ref)
        self._provenance(oid, "organization", p)

    def _service(self, ref: Ref) -> None:
        p = self.nodes[ref].props
        sid = self.service_of[ref] = H.hsds_id("service", *ref)
        self.out["service"].append(
            {
                "id": sid,
                "organization_id": self._provider_org(ref),
                "name": p["name"],
                "alternate_name": self._alternate(p),
                "description": p.get("summary") or self._description(ref),
                "url": p.get("url") or None,
                "status": "active",
            }
        )
        for s in p.get("services") or []:
            self._term(sid, "service", H.SERVICE_TAXONOMY, s)
        for m in p.get("delivery_modes") or []:
            self._term(sid, "service", H.DELIVERY_TAXONOMY, m)
        if ref[0] == "Organization":
            self._property(sid, "service", H.ID_TERM, H.node_ref(*ref))
        else:
            self._record_attributes(sid, "service", ref)
            self._provenance(sid, "service", p)

    def _provider_org(self, ref: Ref) -> str:
        """Who provides it: itself, its operator, a platform's secretariat, a project's lead;
        else the record stands as its own organisation (marked by its id attribute)."""
        if ref in self.org_of:
            return self.org_of[ref]
        want = {"SupportCenter": "OPERATES", "Platform": "SECRETARIAT_OF", "Project": "RUNS"}
        for e in sorted(self.in_edges[ref], key=lambda e: e.src):
            if e.type == want.get(ref[0]) and e.src in self.org_of:
                return self.org_of[e.src]
        oid = self.org_of[ref] = H.hsds_id("organization", *ref)
        self.out["organization"].append(
            {
                "id": oid,
                "name": self.nodes[ref].props["name"],
                "description": "運営主体が掲載されていないため、この記録自身を団体として記載",
            }
        )
        self._property(oid, "organization", H.ID_TERM, H.node_ref(*ref))
        return oid

    def _description(self, ref: Ref) -> str:
        p = self.nodes[ref].props
        kind = p.get("kind") or p.get("level")
        words = [VALUES_JA.get(ref[0], ref[0]), H.kind_word(ref[0], str(kind)) if kind else ""]
        return "（".join(w for w in words if w) + ("）" if kind else "")

    @staticmethod
    def _alternate(p: dict[str, Any]) -> str | None:
        names = p.get("alternate_names") or []
        return H.ALTERNATE_SEPARATOR.join(names) or None

    # -- where and how ------------------------------------------------------------------
    def _locations(self, ref: Ref) -> None:
        p = self.nodes[ref].props
        located: list[Edge | None] = [e for e in self.out_edges[ref] if e.type == "LOCATED_IN"]
        if not located and not p.get("address"):
            return
        org = self.org_of.get(ref) or self._provider_org(ref)
        for e in located or [None]:
            code = e.dst[1] if e is not None else ""
            where = _where(e.props) if e is not None else ()
            lid = H.hsds_id("location", *ref, code, *where)
            self.out["location"].append(
                {
                    "id": lid,
                    "location_type": "physical",
                    "organization_id": org,
                    "name": p["name"],
                    "description": p.get("address") or None,
                    "external_identifier": code or None,
                    "external_identifier_type": H.LG_CODE if code else None,
                }
            )
            self._provenance(lid, "location", e.props if e is not None else p)
            if ref in self.service_of:
                self.out["service_at_location"].append(
                    {
                        "id": H.hsds_id("service_at_location", *ref, code, *where),
                        "service_id": self.service_of[ref],
                        "location_id": lid,
                    }
                )
            self._address(lid, ref, code)

    def _address(self, lid: str, ref: Ref, code: str) -> None:
        """A structured address only when the text gives the postal code HSDS requires."""
        text = unicodedata.normalize("NFKC", str(self.nodes[ref].props.get("address") or ""))
        found = POSTAL.search(text)
        town = self.nodes.get(("Municipality", code))
        if not found or town is None:
            return
        pref = self.nodes.get(("Prefecture", str(town.props.get("prefecture_code") or "")))
        self.out["address"].append(
            {
                "id": H.hsds_id("address", lid),
                "location_id": lid,
                "address_1": (text[: found.start()] + text[found.end() :]).strip() or text,
                "city": town.props["name"],
                "state_province": pref.props["name"] if pref else "",
                "postal_code": f"{found.group(1)}-{found.group(2)}",
                "country": "JP",
                "address_type": "physical",
            }
        )

    def _contact(self, ref: Ref) -> None:
        p = self.nodes[ref].props
        owner = (
            {"service_id": self.service_of[ref]}
            if ref in self.service_of
            else {"organization_id": self.org_of.get(ref)}
        )
        if p.get("phone"):
            self.out["phone"].append(
                {"id": H.hsds_id("phone", *ref), **owner, "number": p["phone"], "type": "voice"}
            )
        if p.get("hours") and ref in self.service_of:
            self.out["schedule"].append(
                {
                    "id": H.hsds_id("schedule", *ref),
                    "service_id": self.service_of[ref],
                    "description": p["hours"],
                }
            )

    def _service_area(self, e: Edge) -> None:
        code = e.dst[1]
        town = self.nodes.get(e.dst)
        aid = H.hsds_id("service_area", *e.src, code, *_where(e.props))
        scope = str(e.props.get("scope") or "")
        self.out["service_area"].append(
            {
                "id": aid,
                "service_id": self.service_of[e.src],
                "name": town.props["name"] if town else code,
                "description": VALUES_JA.get(scope, scope) or None,
                "extent": code,
                "extent_type": H.LG_CODE,
            }
        )
        for s in e.props.get("services") or []:
            self._term(aid, "service_area", H.SERVICE_TAXONOMY, s)
        if scope:
            self._property(aid, "service_area", "scope", scope)
        self._provenance(aid, "service_area", e.props)

    def _funding(self, e: Edge) -> None:
        grant = self.nodes.get(e.src)
        amount = e.props.get("amount_thousand_yen")
        text = str(grant.props["name"]) if grant else e.src[1]
        if amount is not None:
            text += f"（{amount:,}千円）"
        self.out["funding"].append(
            {
                "id": H.hsds_id("funding", *e.src, *e.dst),
                "service_id": self.service_of[e.dst],
                "source": text,
            }
        )

    def _link(self, e: Edge) -> None:
        owner, entity = self._record_of(e.src)
        if owner is None:
            return
        own = {p: e.props[p] for p in sorted(e.props) if p not in H.PROVENANCE_FIELDS}
        value = {"to": H.node_ref(*e.dst), **{k: v for k, v in own.items() if v not in ("", None)}}
        aid = H.hsds_id("attribute", e.type, *e.src, *e.dst, *_where(e.props))
        self._attribute(
            aid,
            owner,
            entity,
            H.LINK_TAXONOMY,
            e.type,
            json.dumps(value, ensure_ascii=False, sort_keys=True),
        )
        self._provenance(aid, "attribute", e.props)

    def _record_of(self, ref: Ref) -> tuple[str | None, str]:
        """The row that stands for a node: its organization, else its service."""
        if ref in self.org_of and (ref[0] in ADMIN or ref[0] == "Organization"):
            return self.org_of[ref], "organization"
        if ref in self.service_of:
            return self.service_of[ref], "service"
        return None, ""

    # -- attributes, taxonomies, metadata -------------------------------------------------
    def _record_attributes(self, rid: str, entity: str, ref: Ref) -> None:
        self._property(rid, entity, H.ID_TERM, H.node_ref(*ref))
        node = self.nodes[ref]
        for prop in NODES[ref[0]].props:
            value = node.props.get(prop.name)
            if prop.name not in H.NATIVE_PROPS and value not in (None, "", []):
                self._property(rid, entity, prop.name, _text(value))

    def _property(self, rid: str, entity: str, name: str, value: str) -> None:
        aid = H.hsds_id("attribute", rid, H.PROPERTY_TAXONOMY, name)
        self._attribute(aid, rid, entity, H.PROPERTY_TAXONOMY, name, value)

    def _term(self, rid: str, entity: str, taxonomy: str, code: str) -> None:
        aid = H.hsds_id("attribute", rid, taxonomy, code)
        self._attribute(aid, rid, entity, taxonomy, code, None)

    def _attribute(
        self, aid: str, rid: str, entity: str, taxonomy: str, code: str, value: str | None
    ) -> None:
        term = self.terms_used.setdefault(
            (taxonomy, code), H.hsds_id("taxonomy_term", taxonomy, code)
        )
        self.out["attribute"].append(
            {
                "id": aid,
                "link_id": rid,
                "taxonomy_term_id": term,
                "link_entity": entity,
                "value": value,
            }
        )

    def _taxonomies(self) -> None:
        words = H.term_words()
        for taxonomy in sorted({t for t, _ in self.terms_used}):
            tid = H.hsds_id("taxonomy", taxonomy)
            self.out["taxonomy"].append(
                {
                    "id": tid,
                    "name": taxonomy,
                    "description": H.TAXONOMY_DESCRIPTIONS[taxonomy],
                    "version": H.HSDS_VERSION,
                }
            )
            for (t, code), term in sorted(self.terms_used.items()):
                if t == taxonomy:
                    self.out["taxonomy_term"].append(
                        {
                            "id": term,
                            "code": code,
                            "name": words[t].get(code, code),
                            "description": f"{taxonomy}: {code}",
                            "taxonomy": taxonomy,
                            "language": "ja",
                            "taxonomy_id": tid,
                        }
                    )

    def _provenance(self, rid: str, table: str, props: dict[str, Any]) -> None:
        for field in H.PROVENANCE_FIELDS:
            value = props.get(field)
            if value in (None, ""):
                continue
            self.out["metadata"].append(
                {
                    "id": H.hsds_id("metadata", rid, field),
                    "resource_id": rid,
                    "resource_type": table,
                    "last_action_date": self.date,
                    "last_action_type": "tsunagari_build",
                    "field_name": field,
                    "previous_value": H.NO_PREVIOUS,
                    "replacement_value": _text(value),
                    "updated_by": self.tool,
                }
            )
