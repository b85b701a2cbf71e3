"""The place a user names (prefecture or municipality, name or code), checked in the graph."""

from __future__ import annotations

from dataclasses import dataclass

from tsunagari.errors import QueryError
from tsunagari.graph.store import GraphStore
from tsunagari.messages import problem_message
from tsunagari.queries import run_query


@dataclass(frozen=True)
class Place:
    label: str  # "Prefecture" | "Municipality"
    code: str
    name: str
    kind: str | None
    prefecture_code: str
    population: int | None


def find_place(store: GraphStore, text: str, *, want: str | None = None) -> Place:
    """Resolve `text` with the name resolver (never a guess), then find it in the graph.

    `want` ("Prefecture" or "Municipality") refuses the other kind. Two digits (27) name
    a prefecture by its number.
    """
    from tsunagari.loaders.names import problem_for, resolve

    query = text.strip()
    if query.isdigit() and len(query) <= 2:
        query = f"{int(query):02d}000"  # the resolver completes the check digit
    res = resolve(query)
    if not res.ok:
        problem = problem_for(res, file="argument", line=None, field="")
        raise QueryError(
            problem.message if problem else f"unknown place {text!r}",
            ja=problem_message(problem, "ja") if problem else f"{text!r} という場所はありません",
        )
    assert res.code is not None
    if want is not None and res.label != want:
        what = {"Prefecture": "a prefecture", "Municipality": "a municipality"}[want]
        what_ja = {"Prefecture": "都道府県", "Municipality": "市区町村"}[want]
        raise QueryError(
            f"{res.name} ({res.code}) is not {what}",
            ja=f"{res.name}（{res.code}）は{what_ja}ではありません",
        )
    rows = run_query(store, "place", code=res.code)
    if not rows:
        raise QueryError(
            f"{res.name} ({res.code}) is not in the loaded graph; rebuild with `tsunagari build`",
            ja=f"{res.name}（{res.code}）は読み込んだグラフにありません。"
            "`tsunagari build` で作り直してください",
        )
    r = rows[0]
    label = "Prefecture" if r["prefecture_code"] is None else "Municipality"
    return Place(
        label=label,
        code=r["code"],
        name=r["name"],
        kind=r["kind"],
        prefecture_code=r["prefecture_code"] or r["code"],
        population=r["population"],
    )


def prefecture_code(store: GraphStore, text: str | None) -> str | None:
    """The 6-digit code of the prefecture `text` names; None for None."""
    if text is None:
        return None
    return find_place(store, text, want="Prefecture").code
