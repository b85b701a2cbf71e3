"""Maintainer script: import the FY2025 first decision (seed 000) into src/tsunagari/data/funding/.

    python scripts/derive_funding.py [../shared/seeds/000_fcd93348732e365e.txt]

Reads ../shared only here, never at run time; the folder it writes is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tsunagari.loaders.funding import bundled_funding, import_decision_list
from tsunagari.loaders.master import bundled_sources

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_fcd93348732e365e.txt"


def main() -> None:
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    source = bundled_sources()["seed-000"]
    grant = {
        "id": "grant-2025-kodoku-koritsu",
        "name": "社会参加活躍支援等孤独・孤立対策推進交付金",
        "ministry": "内閣府",
        "locator": f"{seed.name} l.13",
    }
    parsed = import_decision_list(
        seed, bundled_funding(), fiscal_year=2025, round_=1, source=source, grant=grant
    )
    for p in parsed.problems:
        print(p, file=sys.stderr)
    print(
        f"{len(parsed.projects)} projects, {len(parsed.partners)} partner rows, "
        f"{len(parsed.figures)} published figures -> {bundled_funding()}"
    )
    sys.exit(1 if parsed.problems else 0)


if __name__ == "__main__":
    main()
