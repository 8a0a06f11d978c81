"""The metric and unit catalogues from seeds/: the only allowed codes for records.

Loaded once per process; the database is seeded from the same files, so a code the
validator accepts always has a row to reference.
"""

import csv
from dataclasses import dataclass
from functools import cache

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


@cache
def metrics() -> dict[str, Metric]:
    with open(SEEDS_DIR / "metrics.csv", encoding="utf-8", newline="") as f:
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
def units() -> dict[str, Unit]:
    with open(SEEDS_DIR / "units.csv", encoding="utf-8", newline="") as f:
        return {
            r["code"]: Unit(
                code=r["code"],
                dimension=r["dimension"],
                name_zh=r["name_zh"],
                written_as=tuple(s for s in r["written_as"].split("|") if s),
            )
            for r in csv.DictReader(f)
        }
