"""Load support-resource directories (CSV/XLSX sheets) into nodes, edges and problems."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from tsunagari.loaders.directory_format import SHEETS, fold, sheet_of
from tsunagari.loaders.directory_rows import Entity, RowOut, close, municipalities_of
from tsunagari.loaders.master import bundled_sources, data_path
from tsunagari.loaders.tabular import (
    Row,
    Sheet,
    empty_folders,
    read_sheets,
    tabular_files,
    unreadable,
)
from tsunagari.model import EDGES
from tsunagari.records import Edge, LoadResult, Node, Problem, SourceInfo

log = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
_KIND_VOCAB = {"Organization": "organization_kind", "SupportCenter": "center_kind"}
_ONLY_ON = {"services": "COVERS", "scope": "COVERS", "role": "MEMBER_OF", "kind": "COMMISSIONS"}


def bundled_directory() -> Path:
    return data_path("directory")


def bundled_files(root: Path | None = None) -> list[Path]:
    """Every sheet of every part (data/directory/<part>/), in a stable order."""
    root = root or bundled_directory()
    if not root.is_dir():
        return []
    return list(tabular_files(sorted(p for p in root.iterdir() if p.is_dir())))


def load_bundled_directory(*, skip_invalid: bool = False, root: Path | None = None) -> LoadResult:
    """All bundled parts together, as one id namespace; every row must cite its source.

    `root` (default: the package's data/directory) holds one folder per part.
    """
    root = root or bundled_directory()
    loader = _Loader(skip_invalid=skip_invalid, bundled_root=root)
    result = loader.run(bundled_files(root), context=[])
    log.info("directory (bundled): %d nodes, %d edges", len(result.nodes), len(result.edges))
    return result


def load_directory(
    paths: Sequence[Path], *, skip_invalid: bool = False, over_bundled: bool = True
) -> LoadResult:
    """The user's directory files or folders, checked against (and linking into) the bundled one.

    Returns only the records of `paths`. With any problem and without `skip_invalid` it
    returns no records, only the problems; with `skip_invalid` it returns the valid rows,
    and the problems list every skipped row (and every row that needed one).
    """
    files: list[Path] = []
    refused = empty_folders(paths)
    for f in tabular_files(paths):  # a FIFO, device, folder or link loop is reported, not read
        problem = unreadable(f, str(f))
        if problem is None:
            files.append(f)
        else:
            refused.append(problem)
    mine = {f.resolve() for f in files}
    context = [f for f in bundled_files() if f.resolve() not in mine] if over_bundled else []
    loader = _Loader(skip_invalid=skip_invalid, bundled_root=bundled_directory())
    loader.file_problems += refused
    result = loader.run(files, context=context)
    log.info(
        "directory: %d files, %d nodes, %d edges, %d problems",
        len(files),
        len(result.nodes),
        len(result.edges),
        len(result.problems),
    )
    return result


class _Loader:
    def __init__(self, *, skip_invalid: bool, bundled_root: Path) -> None:
        self.skip_invalid = skip_invalid
        self.entities: dict[str, Entity] = {}
        self.names: dict[tuple[str, str, str | None], Entity] = {}
        self.rows: list[RowOut] = []
        self.file_problems: list[Problem] = []
        self.file_sources: dict[str, SourceInfo] = {}
        self.file_paths: dict[str, str] = {}  # resolved path → source id
        self.known_sources = bundled_sources()
        self.bundled_root = bundled_root.resolve()  # rows here must give source and locator

    def run(self, files: Iterable[Path], *, context: Iterable[Path]) -> LoadResult:
        """Read every sheet; entities first (any order of files), then operators, then links."""
        by_kind: dict[str, list[tuple[Sheet, bool]]] = {k: [] for k in SHEETS}
        for path, is_context in [*((p, True) for p in context), *((p, False) for p in files)]:
            sheets, problems = read_sheets(path, display=self._display(path))
            for sheet in sheets:
                kind = sheet_of(sheet.name)
                if sheet.name.startswith(("#", "_")):
                    continue  # a notes sheet of the user's own (e.g. "_説明")
                if kind is None:
                    problems.append(
                        Problem(
                            "unknown-sheet",
                            sheet.file,
                            None,
                            "",
                            sheet.name,
                            f"cannot tell which sheet {sheet.name!r} is; name it one of "
                            f"{', '.join(SHEETS)} (e.g. organizations.csv)",
                        )
                    )
                elif self._header_ok(sheet, kind, problems):
                    by_kind[kind].append((sheet, is_context))
            if not is_context:
                self.file_problems += problems
        for kind in ("organizations", "centers", "platforms"):
            for sheet, is_context in by_kind[kind]:
                for row in sheet.rows:
                    self._entity(sheet, row, SHEETS[kind].label, is_context)
        for entity in list(self.entities.values()):
            if entity.operator:
                self._operator(entity)
        for sheet, is_context in by_kind["links"]:
            for row in sheet.rows:
                self._link(sheet, row, is_context)
        for sheet, is_context in by_kind["completeness"]:
            for row in sheet.rows:
                self._completeness(sheet, row, is_context)
        return self._result()

    def _result(self) -> LoadResult:
        self._cascade()
        mine = [r for r in self.rows if not r.context]
        problems = list(self.file_problems)
        for r in mine:
            problems += r.problems
            if r.skipped_because and self.skip_invalid:
                problems.append(
                    Problem("depends-on-invalid", r.file, r.line, "", "", r.skipped_because)
                )
        result = LoadResult(problems=problems, warnings=[w for r in mine for w in r.warnings])
        if problems and not self.skip_invalid:
            return result
        used: dict[str, SourceInfo] = {}
        for r in mine:
            if r.ok:
                result.nodes += r.nodes
                result.edges += r.edges
                for props in [*(n.props for n in r.nodes), *(e.props for e in r.edges)]:
                    sid = str(props["source"])
                    used.setdefault(sid, self.file_sources.get(sid) or self.known_sources[sid])
        result.sources = [used[k] for k in sorted(used)]
        return result

    def _cascade(self) -> None:
        """A row that needs an entity whose row is unusable cannot be used either."""
        changed = True
        while changed:
            changed = False
            for r in self.rows:
                bad = next((e for e in r.depends_on if not e.row.ok), None) if r.ok else None
                if bad is not None:
                    r.skipped_because = f"skipped: needs {bad.id}, whose row {bad.where} is invalid"
                    changed = True

    # -- files ----------------------------------------------------------------------------
    def _display(self, path: Path) -> str:
        resolved = path.resolve()
        if resolved.is_relative_to(self.bundled_root):
            return "directory/" + resolved.relative_to(self.bundled_root).as_posix()
        return str(path)

    def _header_ok(self, sheet: Sheet, kind: str, problems: list[Problem]) -> bool:
        """Unknown columns are problems; a missing header or required column skips the sheet."""
        spec = SHEETS[kind]

        def add(slug: str, column: str, message: str) -> None:
            problems.append(
                Problem(slug, sheet.file, sheet.header_line or None, column, column, message)
            )

        if not sheet.header:
            add("missing-header", "", f"no header row; it must be: {','.join(spec.columns)}")
            return False
        for c in sheet.header:
            if c and c not in spec.columns:
                add(
                    "unknown-column",
                    c,
                    f"{kind} has no column {c!r}{close(c, spec.columns)}; "
                    f"the columns are: {','.join(spec.columns)}",
                )
        for c in sorted({c for c in sheet.header if c and sheet.header.count(c) > 1}):
            add("duplicate-column", c, f"column {c!r} appears twice; keep one")
        missing = [c for c in spec.required if c not in sheet.header]
        for c in missing:
            add("missing-column", c, f"{kind} needs a column {c!r}; the sheet was not read")
        return not missing

    def _provenance(self, sheet: Sheet, row: Row, out: RowOut) -> dict[str, str]:
        """source and locator; bundled rows must give both, user rows default to the file."""
        source, locator = row.cells.get("source", ""), row.cells.get("locator", "")
        bundled = sheet.path.resolve().is_relative_to(self.bundled_root)
        if not source and bundled:
            out.problem("missing-source", "source", "", "every bundled row needs a source id")
        elif not source:
            source = self._file_source(sheet.path).id
        elif source not in self.known_sources:
            out.problem(
                "unknown-source",
                "source",
                source,
                f"no source {source!r} in sources.csv{close(source, self.known_sources)}; "
                "leave it empty to cite this file",
            )
        if not locator and bundled:
            out.problem(
                "missing-locator",
                "locator",
                "",
                "every bundled row needs a locator: '<document file>: <case heading>'",
            )
        return {"source": source, "locator": locator or f"{Path(sheet.file).name}:{row.line}"}

    def _file_source(self, path: Path) -> SourceInfo:
        """The file as a source: `file:<name>`, or `file:<folder>/<name>` if the name repeats."""
        key = str(path.resolve())
        if key not in self.file_paths:
            sid = f"file:{path.name}"
            if sid in self.file_sources:
                sid = f"file:{path.parent.name}/{path.name}"
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            self.file_sources[sid] = SourceInfo(sid, path.name, file=path.name, sha256=digest)
            self.file_paths[key] = sid
        return self.file_sources[self.file_paths[key]]

    # -- rows -----------------------------------------------------------------------------
    def _new_row(self, sheet: Sheet, row: Row, is_context: bool) -> RowOut:
        out = RowOut(is_context, sheet.file, row.line)
        self.rows.append(out)
        if row.extra:
            out.problem(
                "extra-cells",
                "",
                ";".join(row.extra),
                f"cells under no column name ({'; '.join(row.extra)}); "
                "move them into a named column or delete them",
            )
        return out

    def _entity(self, sheet: Sheet, row: Row, label: str, is_context: bool) -> None:
        out = self._new_row(sheet, row, is_context)
        cells = row.cells
        ident, name = out.id_of(cells.get("id", ""), "id"), cells.get("name", "")
        if not ident:
            out.problem("missing-value", "id", "", "every row needs an id")
        elif not ID_PATTERN.fullmatch(ident):
            out.problem(
                "bad-id",
                "id",
                ident,
                f"id {ident!r} may only use ASCII letters, digits, '-', '_' and '.'",
            )
        if not name:
            out.problem("missing-value", "name", "", "every row needs a name")
        props: dict[str, object] = {"name": name, **self._provenance(sheet, row, out)}
        if alternate := out.alternate_names(cells.get("alternate_names", "")):
            props["alternate_names"] = alternate  # an empty cell is unknown: no property
        services: list[str] = []
        if label == "Platform":
            props["level"] = out.word("level", cells.get("level", ""), "level", "level")
            props["established"] = cells.get("established", "")
        else:
            what = f"{sheet_of(sheet.name)} kind"
            props["kind"] = out.word(_KIND_VOCAB[label], cells.get("kind", ""), "kind", what)
            props["services"] = services = out.services(cells.get("services", ""))
            contact = {  # set only when given: a directory without these columns stays as it was
                "delivery_modes": out.words(
                    "delivery_modes", cells.get("delivery_modes", ""), "delivery mode"
                ),
                "corporate_number": out.corporate_number(cells.get("corporate_number", "")),
            }
            props |= {k: v for k, v in contact.items() if v}
        place = out.municipality(cells.get("municipality", ""), cells.get("prefecture", ""))
        if not ID_PATTERN.fullmatch(ident):
            return
        first = self.entities.get(ident)
        if first is not None:
            out.problem(
                "duplicate-id",
                "id",
                ident,
                f"id {ident!r} is already used at "
                f"{first.where}; choose another id, or link to that row",
            )
            return
        entity = Entity(ident, label, name, services, f"{out.file}:{out.line}", place, out)
        entity.operator = out.id_of(cells.get("operator", ""), "operator")
        self.entities[ident] = entity
        same = self.names.setdefault((label, fold(name), place), entity)
        if name and same is not entity:
            out.problem(
                "duplicate-name",
                "name",
                name,
                f"{same.id} ({same.where}) has the same "
                "name and place; link to that id instead of defining it again",
            )
        out.nodes.append(Node(label, ident, props))
        if place is not None:
            where = {"source": props["source"], "locator": props["locator"]}
            out.edges.append(Edge("LOCATED_IN", (label, ident), ("Municipality", place), where))

    def _operator(self, center: Entity) -> None:
        org = self._endpoint_id(center.row, center.operator, "operator", ("Organization",))
        if org is not None:
            props = center.row.nodes[0].props
            where = {"source": props["source"], "locator": props["locator"]}
            center.row.edges.append(
                Edge("OPERATES", ("Organization", org.id), ("SupportCenter", center.id), where)
            )

    def _link(self, sheet: Sheet, row: Row, is_context: bool) -> None:
        out = self._new_row(sheet, row, is_context)
        cells = dict(row.cells)
        raw_type = cells.get("type", "")
        if not raw_type:
            out.problem("missing-value", "type", "", "every link needs a type")
        etype = out.word("type", raw_type, "type", "link type")
        if etype == "COMMISSIONS" and not cells.get("kind") and fold(raw_type) in ("委託", "補助"):
            cells["kind"] = raw_type.strip()  # the Japanese type word already says which
        props: dict[str, object] = dict(self._provenance(sheet, row, out))
        src, dst = self._end(out, cells, "from"), self._end(out, cells, "to")
        if not etype or src is None or dst is None:
            return
        for column, only in _ONLY_ON.items():
            if cells.get(column) and etype != only:
                out.problem(
                    "unused-column",
                    column,
                    cells[column],
                    f"{column} is only read on {only} links; move it to note or leave it empty",
                )
        targets = [dst]
        if etype == "COVERS" and dst[0] == "Prefecture":
            targets = [("Municipality", code) for code in municipalities_of(dst[1])]
        allowed = EDGES[etype].endpoints
        if (src[0], targets[0][0]) not in allowed:
            froms = sorted({a for a, _ in allowed})
            out.problem(
                "bad-endpoint",
                "to" if src[0] in froms else "from",
                f"{src[1]} → {dst[1]}",
                f"{etype} cannot go from {src[0]} to {dst[0]}; it goes from "
                f"{'/'.join(froms)} to {'/'.join(sorted({b for _, b in allowed}))}",
            )
            return
        if etype == "MEMBER_OF":
            props["role"] = cells.get("role", "")
        elif etype in ("PARTNERS_WITH", "REFERS_TO"):
            props["note"] = cells.get("note", "")
        elif etype == "COMMISSIONS":
            kind = cells.get("kind", "")
            props["kind"] = out.word("commission_kind", kind, "kind", "commission kind")
        elif etype == "COVERS":
            scope = cells.get("scope", "")
            default = "prefecture" if dst[0] == "Prefecture" else "local"
            props["scope"] = out.word("scope", scope, "scope", "scope") if scope else default
            services = out.services(cells.get("services", ""))
            provider = self.entities.get(src[1])
            if not cells.get("services") and provider is not None:
                services = list(provider.services)  # documented: empty = the provider's services
            props["services"] = services
        out.edges += [Edge(etype, src, target, dict(props)) for target in targets]

    def _completeness(self, sheet: Sheet, row: Row, is_context: bool) -> None:
        """A claim that the sheets list every provider of some services in a place."""
        out = self._new_row(sheet, row, is_context)
        cells = row.cells
        props: dict[str, object] = dict(self._provenance(sheet, row, out))
        place = out.place(cells.get("place", ""), "place") if cells.get("place") else None
        if place is None and not cells.get("place"):
            out.problem("missing-value", "place", "", "name the municipality or prefecture")
        services = out.services(cells.get("services", ""))
        if not services and not cells.get("services"):
            out.problem("missing-value", "services", "", "list the services you list completely")
        flag = fold(cells.get("specialised", ""))
        if flag not in ("", "yes", "no", "true", "false", "はい", "いいえ"):
            out.problem("bad-value", "specialised", flag, "write yes or no (はい・いいえ)")
        if place is None:
            return
        props |= {
            "name": f"{cells.get('place')}: {'・'.join(services)}",
            "services": services,
            "areas": [place[1]],
            "covers_specialised": flag not in ("no", "false", "いいえ"),
        }
        if cells.get("as_of"):
            props["as_of"] = cells["as_of"]
        ident = f"complete-{place[1]}-{'-'.join(services)}"
        out.nodes.append(Node("Completeness", ident, props))

    def _end(self, out: RowOut, cells: dict[str, str], side: str) -> tuple[str, str] | None:
        ident, place = out.id_of(cells.get(side, ""), side), cells.get(f"{side}_place", "")
        if bool(ident) == bool(place):
            out.problem(
                "bad-endpoint",
                side,
                ident or place,
                f"fill exactly one of {side} (an "
                f"id) or {side}_place (a prefecture or municipality)",
            )
            return None
        if place:
            return out.place(place, f"{side}_place")
        entity = self._endpoint_id(out, ident, side, None)
        return (entity.label, entity.id) if entity is not None else None

    def _endpoint_id(
        self, out: RowOut, ident: str, column: str, labels: tuple[str, ...] | None
    ) -> Entity | None:
        entity = self.entities.get(ident)
        if entity is None:
            out.problem(
                "missing-id",
                column,
                ident,
                f"no organization, center or platform has "
                f"id {ident!r}{close(ident, self.entities)}",
            )
            return None
        if labels is not None and entity.label not in labels:
            out.problem(
                "bad-endpoint",
                column,
                ident,
                f"{ident} is a {entity.label}; {column} must be an {' or '.join(labels)}",
            )
            return None
        out.depends_on.append(entity)
        return entity
