"""Reference data from seeds/: metric and unit catalogues, and regions when
seeds/regions.csv exists.

Idempotent upserts, so seeding can run before every load: the validator and the
database then always agree on which metric and unit codes exist.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import psycopg

from etl.bi import comment_catalogue_columns
from etl.entities import adopt_gazetteer_names, clean_name, refresh_region_ancestry
from etl.paths import SEEDS_DIR


@dataclass(frozen=True)
class SeedCounts:
    metrics: int
    units: int
    regions: int


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _split(cell: str | None) -> list[str]:
    return [s for s in (cell or "").split("|") if s]


def seed_catalogues(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> tuple[int, int]:
    """Upsert units then metrics (metric.canonical_unit references unit)."""
    units = _rows(seeds / "units.csv")
    metrics = _rows(seeds / "metrics.csv")
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO unit (code, dimension, name_zh, written_as, to_base_factor, base)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (code) DO UPDATE SET dimension = EXCLUDED.dimension,
                 name_zh = EXCLUDED.name_zh, written_as = EXCLUDED.written_as,
                 to_base_factor = EXCLUDED.to_base_factor, base = EXCLUDED.base""",
            [(u["code"], u["dimension"], u["name_zh"], _split(u["written_as"]),
              u.get("to_base_factor") or "1", u.get("base") or u["code"]) for u in units],
        )
        known_units = {u["code"] for u in units}
        cur.executemany(
            """INSERT INTO metric (code, name_zh, name_en, canonical_unit, synonyms_zh, notes)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh,
                 name_en = EXCLUDED.name_en, canonical_unit = EXCLUDED.canonical_unit,
                 synonyms_zh = EXCLUDED.synonyms_zh, notes = EXCLUDED.notes""",
            [(m["code"], m["name_zh"], m["name_en"],
              m["canonical_unit"] if m["canonical_unit"] in known_units else None,
              _split(m["synonyms_zh"]), m["notes"] or None) for m in metrics],
        )
    # bi columns holding metric / unit codes list the catalogue in their comments.
    comment_catalogue_columns(conn, seeds)
    return len(metrics), len(units)


def seed_regions(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> int:
    """Upsert regions by GB/T 2260 code, link parents, and register names as aliases.

    regions.csv is built by the gazetteer work; until it exists this does nothing.
    Columns used: code, name, level, parent_code, and `short_name` / `aliases`
    (`|`-separated) if present.
    Every name goes into `region_name`; only a name that identifies one region becomes
    its alias (origin `gazetteer`). A name shared by several regions (朝阳区) is no
    region's alias: the loader picks by the other regions a document names, else the
    name stays provisional (etl/entities.py); gazetteer aliases an older seed gave such
    names are removed. A provisional region whose name the gazetteer now knows (one
    region) is merged into it.
    """
    path = seeds / "regions.csv"
    if not path.exists():
        return 0
    rows = _rows(path)
    with conn.cursor() as cur:
        cur.execute(
            """CREATE TEMP TABLE region_seed (ord int, code text, name text, level text,
                 parent_code text, aliases text[]) ON COMMIT DROP"""
        )
        with cur.copy(
            "COPY region_seed (ord, code, name, level, parent_code, aliases) FROM STDIN"
        ) as copy:
            for i, r in enumerate(rows):
                names = [r["name"], *_split(r.get("short_name")), *_split(r.get("aliases"))]
                names = list(dict.fromkeys(c for n in names if (c := clean_name(n))))
                copy.write_row((i, r["code"].strip(), r["name"].strip(),
                                (r.get("level") or "").strip() or None,
                                (r.get("parent_code") or "").strip() or None, names))
        cur.execute(
            """INSERT INTO region (code, name, level, provisional)
               SELECT code, name, level, false FROM region_seed WHERE code <> ''
               ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
                 level = EXCLUDED.level, provisional = false"""
        )
        cur.execute(
            """UPDATE region r SET parent_id = p.id
               FROM region_seed s JOIN region p ON p.code = s.parent_code
               WHERE r.code = s.code AND r.parent_id IS DISTINCT FROM p.id"""
        )
        cur.execute("DELETE FROM region_name")
        cur.execute(
            """INSERT INTO region_name (name, region_id)
               SELECT DISTINCT a.alias, r.id
               FROM region_seed s
               CROSS JOIN LATERAL unnest(s.aliases) AS a(alias)
               JOIN region r ON r.code = s.code"""
        )
        shared = """SELECT name FROM region_name GROUP BY name HAVING count(*) > 1"""
        cur.execute(
            f"""DELETE FROM entity_alias WHERE kind = 'region' AND origin = 'gazetteer'
                AND alias IN ({shared})"""
        )
        cur.execute(
            f"""INSERT INTO entity_alias (kind, alias, region_id, origin)
                SELECT 'region', g.name, g.region_id, 'gazetteer' FROM region_name g
                WHERE g.name NOT IN ({shared})
                ON CONFLICT (kind, alias) DO NOTHING"""
        )
        adopt_gazetteer_names(cur)
        refresh_region_ancestry(cur)  # province_id / prefecture_id from the new parents
    return len(rows)


def seed_world_regions(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> int:
    """Places outside the administrative gazetteer that reports name as subjects (中国,
    北美, 珠江三角洲; seeds/world_regions.csv): regions without a GB/T 2260 code, level =
    their kind, their names and aliases in the alias table — so they are not left
    provisional. A provisional region of that name becomes the seeded one."""
    path = seeds / "world_regions.csv"
    if not path.exists():
        return 0
    rows = _rows(path)
    with conn.cursor() as cur:
        for r in rows:
            name = r["name"].strip()
            found = cur.execute(
                "SELECT id FROM region WHERE name = %s AND code IS NULL ORDER BY provisional, id",
                (name,),
            ).fetchone()
            if found is None:
                found = cur.execute(
                    "INSERT INTO region (name, level, provisional) VALUES (%s, %s, false)"
                    " RETURNING id",
                    (name, (r.get("kind") or "").strip() or None),
                ).fetchone()
            else:
                cur.execute(
                    "UPDATE region SET provisional = false, level = %s WHERE id = %s",
                    ((r.get("kind") or "").strip() or None, found[0]),
                )
            assert found is not None
            for alias in dict.fromkeys(
                c for n in [name, *_split(r.get("aliases"))] if (c := clean_name(n))
            ):
                cur.execute(
                    """INSERT INTO entity_alias (kind, alias, region_id, origin)
                       VALUES ('region', %s, %s, 'gazetteer')
                       ON CONFLICT (kind, alias) DO NOTHING""",
                    (alias, found[0]),
                )
        refresh_region_ancestry(cur)  # a provisional region may have taken a level
    return len(rows)


def seed_all(url: str, seeds: Path = SEEDS_DIR) -> SeedCounts:
    with psycopg.connect(url) as conn:
        n_metrics, n_units = seed_catalogues(conn, seeds)
        n_regions = seed_regions(conn, seeds) + seed_world_regions(conn, seeds)
    return SeedCounts(metrics=n_metrics, units=n_units, regions=n_regions)
