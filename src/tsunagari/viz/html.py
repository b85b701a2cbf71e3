"""HTML safety: escaping, JSON inside <script>, the page shell, and the offline check."""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from typing import Any

_URL = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def esc(value: Any) -> str:
    """Text (or None) as HTML text or a quoted attribute value."""
    if value is None:
        return ""
    return _esc(str(value))


@functools.lru_cache(maxsize=1 << 16)  # the same words and names recur on 1,741 town pages
def _esc(text: str) -> str:
    # a URL in the data stays readable but is no reference: the page names no `scheme://`
    return html.escape(text, quote=True).replace("://", ":&#47;&#47;")


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>`, `&` or line separators left raw,
    so no data string can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        ("://", ":\\/\\/"),
    ):
        text = text.replace(raw, escaped)
    return text


def inline_script(js: str) -> str:
    """Bundled JavaScript made safe to inline: no `</script`, no `scheme://` left in it.

    `:\\/\\/` is the same text as `://` inside JS strings, regexes and comments.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("://", ":\\/\\/")


def page(
    *,
    title: str,
    body: str,
    lang: str = "ja",
    css: str = "",
    scripts: Sequence[str] = (),
    assets: str | None = None,
    script_files: Sequence[str] = (),
) -> str:
    """A whole UTF-8 document; `title` is text, `body` HTML already escaped, `scripts` JS.

    With `assets` (a relative folder, e.g. "../assets/") the base style comes from
    `assets/report.css` and `script_files` (names in that folder) load before `scripts`;
    the page then works only beside that folder (a report), loaded from its own origin.
    """
    inline = "".join(f"<script>{inline_script(s)}</script>\n" for s in scripts)
    own = "'self' " if assets is not None else ""
    if assets is None:
        style = f"<style>{BASE_CSS}{css}</style>\n"
    else:
        style = f'<link rel="stylesheet" href="{esc(assets)}{STYLESHEET}">\n'
        style += f"<style>{css}</style>\n" if css else ""
        inline = (
            "".join(f'<script src="{esc(assets)}{esc(f)}"></script>\n' for f in script_files)
            + inline
        )
    doc = (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(own, bool(inline))}">\n'
        f"<title>{esc(title)}</title>\n{style}</head>\n"
        f"<body>\n{body}\n{inline}</body>\n</html>\n"
    )
    check_offline(doc)
    return doc


STYLESHEET = "report.css"


def _csp(own: str, scripts: bool) -> str:
    """No network at all: the page must work from a file, offline. vis-network's bundled
    polyfills need eval (without 'unsafe-eval' the view does not draw); 'self' only for a
    report's own assets folder; a page without scripts allows none."""
    policy = "default-src 'none'; "
    if not scripts and own:
        return policy + "style-src 'self'"
    if scripts:
        policy += f"script-src {own}'unsafe-inline' 'unsafe-eval'; "
    return policy + f"style-src {own}'unsafe-inline'; img-src data:; font-src data:"


def check_offline(doc: str) -> None:
    """Refuse a page that names any URL with a scheme (http://, https://, ...)."""
    if "://" not in doc:  # the common case, found fast: no need to run the pattern
        return
    m = _URL.search(doc)
    if m:
        start = max(0, m.start() - 40)
        raise ValueError(f"page would reference {doc[start : m.end() + 40]!r}")


BASE_CSS = """
body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",
sans-serif;margin:0;color:#222;background:#fafafa;line-height:1.5}
main{max-width:1200px;margin:0 auto;padding:1rem 1.5rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;
border-bottom:2px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0;background:#fff}
th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#555;font-size:.85rem}.legend span{display:inline-block;margin-right:1rem}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:50%;
vertical-align:-.1em;margin-right:.3em;border:1px solid #0003}
"""
