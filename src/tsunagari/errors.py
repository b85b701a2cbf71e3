"""Errors the CLI turns into a clean message and exit code; each names the value and the fix."""

from __future__ import annotations

WRITES_NEEDED = "the statement changes the graph; add --write if you mean to"


class TsunagariError(Exception):
    """`ja`, when given, is the message in Japanese (the CLI shows it under --lang ja)."""

    exit_code = 1

    def __init__(self, message: str = "", *, ja: str | None = None) -> None:
        super().__init__(message)
        self.ja = ja

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" and self.ja else str(self)


class InputError(TsunagariError):
    """Input files have problems; nothing was loaded."""

    exit_code = 2


class ConfigError(TsunagariError):
    """An option or environment value is out of range; nothing ran."""

    exit_code = 2


class StoreBusyError(TsunagariError):
    exit_code = 3


class StoreError(TsunagariError):
    exit_code = 4


class QueryError(TsunagariError):
    exit_code = 5


class NotBuiltError(TsunagariError):
    exit_code = 6


class FileSystemError(TsunagariError):
    """A file or folder could not be read or written: the message names the path and why."""

    exit_code = 7
