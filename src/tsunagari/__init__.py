"""tsunagari: Japan's support network for hikikomori and 孤独・孤立 as a property graph."""

from typing import Any


def __getattr__(name: str) -> Any:
    """`__version__` from package metadata, read when asked: importing importlib.metadata
    costs a command that never shows the version ~35 ms of its start-up."""
    if name != "__version__":
        raise AttributeError(f"module 'tsunagari' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tsunagari")
    except PackageNotFoundError:  # running from a source tree without install
        return "0.0.0"
