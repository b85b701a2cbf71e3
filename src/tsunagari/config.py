"""Run-time settings: one frozen value, read from the environment once and passed in."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from tsunagari.errors import ConfigError

PREVALENCE_DEFAULT = 0.02
MAX_SECONDS = 86_400.0  # a day: the longest wait any timeout may ask for
LANGS = ("ja", "en")
PREVALENCE_SOURCE = (
    "内閣府「こども・若者の意識と生活に関する調査」(令和4年度): "
    "広義のひきこもり 15〜39歳 2.05%, 40〜64歳 2.02% — about 2% of ages 15–64"
)


@dataclass(frozen=True)
class Config:
    """Each field's metadata names its environment variable."""

    store: str = "tsunagari.lbug"  # TSUNAGARI_STORE: a path (embedded) or a neo4j:// URI
    lang: str = "ja"  # TSUNAGARI_LANG: ja | en
    prevalence: float = PREVALENCE_DEFAULT  # TSUNAGARI_PREVALENCE
    query_timeout: float = 30.0  # TSUNAGARI_QUERY_TIMEOUT, seconds
    neo4j_user: str = "neo4j"  # TSUNAGARI_NEO4J_USER
    neo4j_password: str = ""  # TSUNAGARI_NEO4J_PASSWORD
    neo4j_database: str = "neo4j"  # TSUNAGARI_NEO4J_DATABASE
    neo4j_connection_timeout: float = 10.0  # TSUNAGARI_NEO4J_CONNECTION_TIMEOUT, seconds

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f"TSUNAGARI_{f.name.upper()}"
            raw = env.get(name)
            if raw is None:
                continue
            values[f.name] = number(name, raw) if isinstance(f.default, float) else raw
        if "TSUNAGARI_NEO4J_URI" in env and "store" not in values:
            values["store"] = env["TSUNAGARI_NEO4J_URI"]
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        """Every value checked where it enters, with one message naming it and the fix."""
        if self.lang not in LANGS:
            raise ConfigError(f"TSUNAGARI_LANG={self.lang!r}: use one of {', '.join(LANGS)}")
        if not self.store.strip():
            raise ConfigError("TSUNAGARI_STORE is empty: give a path or a neo4j:// URI")
        if not 0 < self.prevalence <= 1:
            raise ConfigError(
                f"TSUNAGARI_PREVALENCE={self.prevalence:g}: give a share above 0 and at most 1 "
                "(0.02 means 2%)"
            )
        for name in ("query_timeout", "neo4j_connection_timeout"):
            seconds = getattr(self, name)
            if not 0 < seconds <= MAX_SECONDS:
                raise ConfigError(
                    f"TSUNAGARI_{name.upper()}={seconds:g}: give seconds above 0 and at most "
                    f"{MAX_SECONDS:g}"
                )

    def with_(self, **changes: object) -> Config:
        kept = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **kept)  # type: ignore[arg-type]

    @property
    def is_neo4j(self) -> bool:
        return self.store.startswith(("neo4j://", "neo4j+s://", "bolt://", "bolt+s://"))

    @property
    def store_path(self) -> Path:
        return Path(self.store)


def number(name: str, raw: str) -> float:
    """A finite number from an environment variable, or a ConfigError naming it."""
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name}={raw!r}: give a finite number")
    return value
