"""Run-time settings: one frozen value, read from the environment once and passed in."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

PREVALENCE_DEFAULT = 0.02
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
            raw = env.get(f"TSUNAGARI_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = float(raw) if isinstance(f.default, float) else raw
        if "TSUNAGARI_NEO4J_URI" in env and "store" not in values:
            values["store"] = env["TSUNAGARI_NEO4J_URI"]
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Config:
        kept = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **kept)  # type: ignore[arg-type]

    @property
    def is_neo4j(self) -> bool:
        return self.store.startswith(("neo4j://", "neo4j+s://", "bolt://", "bolt+s://"))

    @property
    def store_path(self) -> Path:
        return Path(self.store)
