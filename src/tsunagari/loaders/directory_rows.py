"""One directory row as it is read: its cells parsed into words, places and ids, with problems."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from tsunagari.loaders.directory_format import (
    split_list,
    split_names,
    unknown_word_message,
    word,
)
from tsunagari.loaders.identifiers import corporate_number_problem, normalise_corporate_number
from tsunagari.loaders.master import master_rows
from tsunagari.records import Edge, Node, Problem

if TYPE_CHECKING:
    from tsunagari.loaders.names import Resolution

_UNKNOWN_SLUG = {"services": "unknown-service", "delivery_modes": "unknown-delivery-mode"}


@dataclass
class Entity:
    """An organization, center or platform row, as links see it."""

    id: str
    label: str
    name: str
    services: list[str]
    where: str  # file:line of its row
    place: str | None  # municipality code, for duplicate names
    row: RowOut
    operator: str = ""  # centers: the id of the organization that runs it


@dataclass
class RowOut:
    """What one input row contributes, and whether it may be used."""

    context: bool  # a bundled row read only so that the user's rows can link to it
    file: str
    line: int
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    depends_on: list[Entity] = field(default_factory=list)
    skipped_because: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and not self.skipped_because

    def problem(self, slug: str, column: str, value: str, message: str) -> None:
        self.problems.append(Problem(slug, self.file, self.line, column, value, message))

    def id_of(self, text: str, column: str) -> str:
        """The id `text` gives (norm_id); a warning when that is not how it is written."""
        ident = norm_id(text)
        if ident and ident != text.strip():
            self.warnings.append(
                Problem(
                    "id-normalised", self.file, self.line, column, text,
                    f"id {text!r} was read as {ident!r}; write it so in the file",
                )
            )  # fmt: skip
        return ident

    def word(self, vocabulary: str, text: str, column: str, what: str) -> str:
        """The vocabulary word for `text` ("" when empty or unknown; unknown is a problem)."""
        if not text:
            return ""
        found = word(vocabulary, text)
        if found is None:
            slug = _UNKNOWN_SLUG.get(vocabulary, "unknown-kind")
            self.problem(slug, column, text, unknown_word_message(vocabulary, text, what=what))
            return ""
        return found

    def services(self, text: str) -> list[str]:
        return self.words("services", text, "service")

    def words(self, vocabulary: str, text: str, what: str) -> list[str]:
        """A list cell (; separated) as vocabulary words, each once; the column is `vocabulary`."""
        found: list[str] = []
        for item in split_list(text):
            w = self.word(vocabulary, item, vocabulary, what)
            if w and w not in found:
                found.append(w)
        return found

    def alternate_names(self, text: str) -> list[str]:
        """Names separated by |; an empty piece (a stray |) is a problem, a repeat is dropped."""
        names = split_names(text)
        if "" in names:
            self.problem(
                "empty-alternate-name",
                "alternate_names",
                text,
                f"alternate_names {text!r} has an empty name; separate names by a single | "
                "and remove the | at the start or end",
            )
        return list(dict.fromkeys(n for n in names if n))

    def corporate_number(self, text: str) -> str:
        """A 法人番号 with a valid check digit, as 13 ASCII digits ("" when empty or invalid)."""
        if not text:
            return ""
        why = corporate_number_problem(text)
        if why is not None:
            self.problem("bad-corporate-number", "corporate_number", text, why)
            return ""
        return normalise_corporate_number(text)

    def place(self, text: str, column: str) -> tuple[str, str] | None:
        """(label, code) of a prefecture or municipality named or coded by `text`."""
        from tsunagari.loaders.names import problem_for

        res = resolve(text, None)
        problem = problem_for(res, file=self.file, line=self.line, field=column)
        if problem is not None:
            self.problems.append(problem)
            return None
        assert res.code is not None and res.label is not None
        return res.label, res.code

    def municipality(self, text: str, prefecture: str) -> str | None:
        """The code of municipality `text`, with `prefecture` as context; None if empty or bad."""
        from tsunagari.loaders.names import problem_for

        if prefecture:
            pref = resolve(prefecture, None)
            if not pref.ok or pref.label != "Prefecture":
                self.problem(
                    "unknown-prefecture",
                    "prefecture",
                    prefecture,
                    f"{prefecture!r} is not a prefecture; write e.g. 高知県 or 390003",
                )
                return None
        if not text:
            return None
        res = resolve(text, prefecture or None)
        problem = problem_for(res, file=self.file, line=self.line, field="municipality")
        if problem is not None:
            self.problems.append(problem)
            return None
        if res.label != "Municipality":
            self.problem(
                "not-a-municipality",
                "municipality",
                text,
                f"{text!r} is a prefecture; put it in the prefecture column and leave "
                "municipality empty (or say where it works with a COVERS link)",
            )
            return None
        return res.code


def norm_id(text: str) -> str:
    """Ids typed with a Japanese IME come out full-width (ｈａｎｎａｎ); ids are ASCII."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def close(text: str, choices: Iterable[str]) -> str:
    found = difflib.get_close_matches(text, list(choices), n=3)
    return f" (did you mean {', '.join(found)}?)" if found else ""


@cache
def resolve(text: str, prefecture: str | None) -> Resolution:
    from tsunagari.loaders.names import resolve as resolve_name

    return resolve_name(text, prefecture=prefecture)


@cache
def municipalities_of(prefecture_code: str) -> tuple[str, ...]:
    """Every municipality and ward of a prefecture (COVERS a prefecture = all of them)."""
    pref = prefecture_code[:2]
    return tuple(
        r["code"] for r in master_rows() if r["pref_code"] == pref and r["kind"] != "prefecture"
    )
