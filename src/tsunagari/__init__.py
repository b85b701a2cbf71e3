"""tsunagari: Japan's support network for hikikomori and 孤独・孤立 as a property graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tsunagari")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
