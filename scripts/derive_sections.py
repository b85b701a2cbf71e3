"""Maintainer script: the short name and section headings of each source document, so that
a locator reads as 「内閣府 令和7年度交付決定（第1次） 別紙1 l.140」 instead of a file name.

    python scripts/derive_sections.py ../shared/seeds

Reads the seed texts only here, never at run time; writes
src/tsunagari/data/source_sections.csv (file, line, section; line 0 holds the document's
short name), which is committed.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "tsunagari" / "data" / "source_sections.csv"

# Short names, from each document's title and publisher (src/tsunagari/data/sources.csv).
SHORT = {
    "municipalities.csv": "全国地方公共団体コード・令和2年国勢調査",
    "000_fcd93348732e365e.txt": "内閣府 令和7年度交付決定（第1次）",
    "001_278ce4d44bbac6c5.txt": "ひきこもり支援の強化 主な取り組み事例",
    "002_dfa88606ee74a4dd.txt": "内閣府 就職氷河期世代支援加速化交付金 事例",
    "003_cc4baa335380d8dd.txt": "ひきこもり地域支援センター・市町村の取組例",
    "004_77d71295710dd206.txt": "厚生労働省 市町村・都道府県プラットフォームの取組",
    "national/windows.csv": "くらし支援ナビの自立相談支援窓口（改変）",
}
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII (not ①)


def sections(text: str) -> list[tuple[int, str]]:
    """(line, heading) of a decision list: 1. … / (1) … / 【別紙2-①】 (a page's own title)."""
    out: list[tuple[int, str]] = []
    top = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.translate(_WIDE).strip()
        annex = re.search(r"【(別紙[^】]+)】\s*$", line) or re.match(r"【(別紙[^】]+)】", line)
        if re.match(r"\d\.\S", line):
            top = re.sub(r"\s+", "", line)
            out.append((number, top))
        elif m := re.match(r"(\(\d\))", line):
            out.append((number, f"{top} {m.group(1)}"))
        elif annex and not line.startswith(("※", "―", "(")):
            out.append((number, annex.group(1).replace("－", "-")))
    return out


def main() -> None:
    seeds = Path(sys.argv[1])
    rows: list[tuple[str, int, str]] = []
    for file, short in SHORT.items():
        rows.append((file, 0, short))
        path = seeds / file
        if file.startswith("000_") and path.exists():
            rows += [(file, n, s) for n, s in sections(path.read_text(encoding="utf-8"))]
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "line", "section"])
        w.writerows(rows)
    print(f"wrote {OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main()
