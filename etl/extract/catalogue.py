"""The metric and unit catalogues from seeds/: the only allowed codes for records.

Loaded once per process; the database is seeded from the same files *through these
functions* (etl/store/seed.py), so a code the validator accepts always has a row to
reference, and metrics.csv / units.csv are each read in one place.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.paths import SEEDS_DIR


@dataclass(frozen=True)
class Metric:
    code: str
    name_zh: str
    name_en: str
    canonical_unit: str
    synonyms: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Unit:
    code: str
    dimension: str
    name_zh: str
    written_as: tuple[str, ...]
    to_base_factor: str = "1"  # decimal text, as the database stores it (万元 → 10000)
    base: str = ""  # the unit this one multiplies out to; "" = itself


@cache
def metrics(seeds: Path = SEEDS_DIR) -> dict[str, Metric]:
    """The indicator catalogue (seeds/metrics.csv) by code, in the file's order."""
    with open(seeds / "metrics.csv", encoding="utf-8", newline="") as f:
        return {
            r["code"]: Metric(
                code=r["code"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                canonical_unit=r["canonical_unit"],
                synonyms=tuple(s for s in r["synonyms_zh"].split("|") if s),
                notes=r["notes"],
            )
            for r in csv.DictReader(f)
        }


@cache
def units(seeds: Path = SEEDS_DIR) -> dict[str, Unit]:
    """The canonical units (seeds/units.csv) by code, in the file's order."""
    with open(seeds / "units.csv", encoding="utf-8", newline="") as f:
        return {
            r["code"]: Unit(
                code=r["code"],
                dimension=r["dimension"],
                name_zh=r["name_zh"],
                written_as=tuple(s for s in r["written_as"].split("|") if s),
                to_base_factor=r.get("to_base_factor") or "1",
                base=r.get("base") or r["code"],
            )
            for r in csv.DictReader(f)
        }
