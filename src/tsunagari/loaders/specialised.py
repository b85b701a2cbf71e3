"""Which providers are hikikomori-specialised: the rule of docs/coverage.md, in one place."""

from __future__ import annotations

from tsunagari.records import LoadResult

SPECIALISED_WORDS = ("ひきこもり", "引きこもり", "ひきこもる", "引きこもる")
SPECIALISED_KINDS = ("regional_center",)  # ひきこもり地域支援センター
PROVIDER_LABELS = ("SupportCenter", "Organization", "Platform", "Project")


def is_specialised(props: dict[str, object]) -> bool:
    """A ひきこもり地域支援センター, or a body whose name or alternate names say ひきこもり."""
    if props.get("kind") in SPECIALISED_KINDS:
        return True
    names = [str(props.get("name") or ""), *(props.get("alternate_names") or [])]  # type: ignore[misc]
    return any(w in n for n in names for w in SPECIALISED_WORDS)


def mark_specialised(result: LoadResult) -> None:
    """Set `specialised` on every provider that does not state it (in place)."""
    for n in result.nodes:
        if n.label in PROVIDER_LABELS and n.props.get("specialised") is None:
            n.props["specialised"] = is_specialised(n.props)
