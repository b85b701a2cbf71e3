"""Derive the bundled national master from the reference files (a maintainer's script).

Run from the repository root with the reference folder beside it:
    python scripts/derive_master.py ../shared/data src/tsunagari/data
It is not used at run time or in tests; its output is committed.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SOURCE = "jp-master-2020"
COLUMNS = [
    "code", "pref_code", "prefecture", "name", "name_kana", "parent_city", "kind",
    "lat", "lng", "population", "source", "locator",
]


def main(ref: Path, out: Path) -> None:
    census = {}
    with (ref / "population_2020_census.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            census[row["area_code"]] = row["population"]
    with (ref / "municipalities_master.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    with (out / "municipalities.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            code = r["lgcode"]
            pop = r["population_2020"]
            if pop and census.get(code[:5], pop) != pop:
                raise SystemExit(f"population mismatch for {code}")
            w.writerow({
                "code": code, "pref_code": r["pref_code"], "prefecture": r["prefecture"],
                "name": r["name"], "name_kana": r["name_kana"], "parent_city": r["parent_city"],
                "kind": r["kind"], "lat": r["lat"], "lng": r["lng"], "population": pop,
                "source": SOURCE,
                "locator": f"lgcode {code}; census area_code {code[:5]}",
            })


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
