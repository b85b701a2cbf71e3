"""The rule set that reads a funded project's services, and whether it is ひきこもり-specialised,
from the words its decision list prints: its name, its 事業概要 and its partners' role.

The rules (docs/funding-services.md has them with examples):

1. **Keywords.** A keyword of `funding_service_keywords.csv` in the name, the 事業概要 or the
   role text gives its service. Longer phrases are read first and a word is read once, so
   a phrase with no service masks the words in it: 「就職氷河期」 names a generation, and
   its 「就職」 is not job support.
2. **Member lists.** A clause that lists the members of a body (「当事者、家族会、地域団体等で
   構成する支援協議会」) says who meets, not what is offered: its words are not read.
3. **The grant's purpose.** A 個別支援事業 (別紙2) whose name names the target group the
   decision gives for them (中高年, 就職氷河期, ミドル世代) gives employment_support when the
   list prints that purpose (「就職氷河期世代を含む中高年層について…就労・活躍に向けた支援
   を行う」), citing both.
4. **Specialised.** A project is ひきこもり-specialised when its name or 事業概要 says
   ひきこもり (引きこもり).

Each reading quotes the words that justify it and says where they are. Nothing else gives
a service: a project whose texts name none gives none, and is listed as such.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from tsunagari.loaders.master import data_path

NAME, SUMMARY, ROLE, PURPOSE, PARTNERS = "name", "事業概要", "役割", "趣旨", "連携自治体"
SPECIALISED = "specialised"  # the `service` of the reading that marks a specialised project
TARGET_WORDS = ("中高年", "就職氷河期", "ミドル世代")
HIKIKOMORI = re.compile(r"ひきこもり|引きこもり|ひきこもる|引きこもる")
_PURPOSE = re.compile(r"(?:就職氷河期世代を含む)?中高年層について[^。]*?就労[^。]*?支援を行う")
_MEMBERS = re.compile(r"[^。]*?で構成")
_DELIMS = set("、。，．・「」『』（）()【】：:；; ")
_CONTEXT = 10  # characters of context quoted on each side of a word


@dataclass(frozen=True)
class Passage:
    """Text the list prints about a project: its lines and their numbers in the document."""

    kind: str  # name | 事業概要 | 役割 | 趣旨 | 連携自治体
    lines: tuple[str, ...]
    numbers: tuple[int, ...] = ()  # one per line; none for a name (its row cites it)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def locator(self) -> str:
        """l.N or l.N-M: the lines of the whole passage."""
        return self.where(0, len(self.text)).partition(" ")[2]

    def where(self, start: int, end: int) -> str:
        """`name`, or the kind and the line(s) of the characters start..end."""
        if not self.numbers:
            return self.kind
        first, last = self._line_of(start), self._line_of(max(start, end - 1))
        return f"{self.kind} l.{first}" + (f"-{last}" if last != first else "")

    def _line_of(self, pos: int) -> int:
        seen = 0
        for number, text in zip(self.numbers, self.lines, strict=True):
            seen += len(text)
            if pos < seen:
                return number
        return self.numbers[-1]


@dataclass(frozen=True)
class Reading:
    service: str  # a word of model.SERVICES, or SPECIALISED
    basis: str  # the words that justify it, quoted
    where: str  # name | 事業概要 l.N | 役割 l.N | name; 趣旨 l.N-M


@cache
def keyword_table() -> tuple[tuple[str, str], ...]:
    """(phrase, service) longest phrase first; an empty service masks the phrase."""
    with data_path("funding_service_keywords.csv").open(encoding="utf-8", newline="") as f:
        rows = [(r["keyword"], r["service"]) for r in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def read_project(
    name: str,
    *,
    annex2: bool,
    texts: Sequence[Passage] = (),
    purpose: Passage | None = None,
) -> list[Reading]:
    """Every reading of one project: its services (one per service, the first place that
    names it: name, then 事業概要, then role) and, last, SPECIALISED when it is."""
    passages = [Passage(NAME, (_norm(name),)), *(p for p in texts if p.kind in (SUMMARY, ROLE))]
    phrases = keyword_table()
    found: dict[str, Reading] = {}
    for p in passages:
        for service, start, end in _hits(p.text, phrases):
            if service not in found:
                found[service] = Reading(service, _quote(p.text, start, end), p.where(start, end))
    goal = _purpose_reading(name, purpose) if annex2 else None
    if goal is not None and "employment_support" not in found:
        found["employment_support"] = goal
    out = sorted(found.values(), key=lambda r: r.service)
    for p in passages:
        if p.kind in (NAME, SUMMARY) and (m := HIKIKOMORI.search(p.text)):
            out.append(Reading(SPECIALISED, _quote(p.text, *m.span()), p.where(*m.span())))
            break
    return out


def find_purpose(lines: Sequence[tuple[int, str]]) -> Passage | None:
    """The sentence of the list's opening that says what the 個別支援事業 support is for."""
    body = [(n, _norm(t)) for n, t in lines if t.strip()]
    text = "".join(t for _, t in body)
    m = _PURPOSE.search(text)
    if m is None:
        return None
    start, seen, picked = m.start(), 0, []
    for n, t in body:
        if seen + len(t) > start and seen < m.end():
            picked.append((n, t[max(0, start - seen) : m.end() - seen]))
        seen += len(t)
    return Passage(PURPOSE, tuple(t for _, t in picked), tuple(n for n, _ in picked))


def _purpose_reading(name: str, purpose: Passage | None) -> Reading | None:
    word = next((w for w in TARGET_WORDS if w in _norm(name)), None)
    if purpose is None or word is None:
        return None
    return Reading(
        "employment_support",
        f"「{word}」＋「{purpose.text}」",
        f"name; {PURPOSE} {purpose.locator}",
    )


def _hits(text: str, phrases: Iterable[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(service, start, end) of every phrase read in `text`, in text order."""
    taken = [False] * len(text)
    for m in _MEMBERS.finditer(text):
        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    hits = []
    for phrase, service in phrases:
        for m in re.finditer(re.escape(phrase), text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * len(phrase)
            if service:
                hits.append((service, m.start(), m.end()))
    return sorted(hits, key=lambda h: h[1])


def _quote(text: str, start: int, end: int) -> str:
    """「the word with its clause」, cut at punctuation or _CONTEXT characters each side."""
    a = start
    while a > 0 and start - a < _CONTEXT and text[a - 1] not in _DELIMS:
        a -= 1
    b = end
    while b < len(text) and b - end < _CONTEXT and text[b] not in _DELIMS:
        b += 1
    head = "…" if a > 0 and text[a - 1] not in _DELIMS else ""
    tail = "…" if b < len(text) and text[b] not in _DELIMS else ""
    return f"「{head}{text[a:b]}{tail}」"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
