"""Reference data from seeds/: metric and unit catalogues, and regions when
seeds/regions.csv exists.

Idempotent upserts, so seeding can run before every load: the validator and the
database then always agree on which metric and unit codes exist.

Every seeds/ file is read by the extraction side's loader (etl/extract/catalogue.py,
etl/extract/gazetteer.py), never here: what the extractor matches and what the database
holds come from one reading of one file (store may import extract, not the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from etl.extract import catalogue, gazetteer
from etl.paths import SEEDS_DIR
from etl.store.entities import (
    adopt_gazetteer_names,
    clean_name,
    merge_entity,
    refresh_region_ancestry,
)


@dataclass(frozen=True)
class SeedCounts:
    metrics: int
    units: int
    regions: int
    clusters: int = 0


def seed_catalogues(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> tuple[int, int]:
    """Upsert units then metrics (metric.canonical_unit references unit)."""
    units = list(catalogue.units(seeds).values())
    metrics = list(catalogue.metrics(seeds).values())
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO unit (code, dimension, name_zh, written_as, to_base_factor, base)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (code) DO UPDATE SET dimension = EXCLUDED.dimension,
                 name_zh = EXCLUDED.name_zh, written_as = EXCLUDED.written_as,
                 to_base_factor = EXCLUDED.to_base_factor, base = EXCLUDED.base""",
            [(u.code, u.dimension, u.name_zh, list(u.written_as), u.to_base_factor,
              u.base or u.code) for u in units],
        )
        known_units = {u.code for u in units}
        cur.executemany(
            """INSERT INTO metric (code, name_zh, name_en, canonical_unit, synonyms_zh, notes)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh,
                 name_en = EXCLUDED.name_en, canonical_unit = EXCLUDED.canonical_unit,
                 synonyms_zh = EXCLUDED.synonyms_zh, notes = EXCLUDED.notes""",
            [(m.code, m.name_zh, m.name_en,
              m.canonical_unit if m.canonical_unit in known_units else None,
              list(m.synonyms), m.notes or None) for m in metrics],
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
    name stays provisional (etl/store/entities.py); gazetteer aliases an older seed gave such
    names are removed. A provisional region whose name the gazetteer now knows (one
    region) is merged into it.
    """
    try:
        rows = gazetteer.current_regions(seeds)
    except FileNotFoundError:
        return 0
    with conn.cursor() as cur:
        cur.execute(
            """CREATE TEMP TABLE region_seed (ord int, code text, name text, level text,
                 parent_code text, aliases text[]) ON COMMIT DROP"""
        )
        with cur.copy(
            "COPY region_seed (ord, code, name, level, parent_code, aliases) FROM STDIN"
        ) as copy:
            for i, r in enumerate(rows):
                names = [r.name, *r.short_name.split("|"), *r.aliases]
                names = list(dict.fromkeys(c for n in names if n and (c := clean_name(n))))
                copy.write_row((i, r.code.strip(), r.name.strip(), r.level.strip() or None,
                                r.parent_code.strip() or None, names))
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
    try:
        rows = gazetteer.world_regions(seeds)
    except FileNotFoundError:
        return 0
    with conn.cursor() as cur:
        for r in rows:
            name = r.name.strip()
            level = r.kind.strip() or None
            found = cur.execute(
                "SELECT id FROM region WHERE name = %s AND code IS NULL ORDER BY provisional, id",
                (name,),
            ).fetchone()
            if found is None:
                found = cur.execute(
                    "INSERT INTO region (name, level, provisional) VALUES (%s, %s, false)"
                    " RETURNING id",
                    (name, level),
                ).fetchone()
            else:
                cur.execute(
                    "UPDATE region SET provisional = false, level = %s WHERE id = %s",
                    (level, found[0]),
                )
            assert found is not None
            for alias in dict.fromkeys(
                c for n in [name, *r.aliases] if (c := clean_name(n))
            ):
                cur.execute(
                    """INSERT INTO entity_alias (kind, alias, region_id, origin)
                       VALUES ('region', %s, %s, 'gazetteer')
                       ON CONFLICT (kind, alias) DO NOTHING""",
                    (alias, found[0]),
                )
        refresh_region_ancestry(cur)  # a provisional region may have taken a level
    return len(rows)


def seed_clusters(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> int:
    """The industry lexicon (seeds/clusters.csv) as clusters with their GB/T 4754 sector,
    every written form an alias of the lexicon's name. Records keep the industry as the
    report writes it (汽车零部件, RECORDS.md); through these aliases the loader files it
    under 汽车及零部件, so one industry is one cluster across reports. A provisional
    cluster a load made under one of these names is merged into the seeded one — unless a
    load is running, in which case the next seed does it."""
    try:
        rows = gazetteer.clusters(seeds)
    except FileNotFoundError:
        return 0
    from etl.store.lock import take_load_lock

    with conn.cursor() as cur:
        may_merge = take_load_lock(conn, 0)
        for r in rows:
            name = clean_name(r.name)
            if name is None:
                continue
            sector = (r.gbt4754_code or None, r.gbt4754_name or None)
            found = cur.execute(
                "SELECT id FROM cluster WHERE name = %s ORDER BY provisional, id LIMIT 1",
                (name,),
            ).fetchone()
            if found is None:
                found = cur.execute(
                    "INSERT INTO cluster (name, provisional, sector_code, sector_name)"
                    " VALUES (%s, false, %s, %s) RETURNING id", (name, *sector),
                ).fetchone()
            else:
                cur.execute("UPDATE cluster SET provisional = false, sector_code = %s,"
                            " sector_name = %s WHERE id = %s", (*sector, found[0]))
            assert found is not None
            cluster_id = int(found[0])
            for alias in dict.fromkeys(
                c for n in [name, *r.aliases] if (c := clean_name(n))
            ):
                held = cur.execute(
                    "SELECT a.cluster_id, c.provisional FROM entity_alias a"
                    " JOIN cluster c ON c.id = a.cluster_id"
                    " WHERE a.kind = 'cluster' AND a.alias = %s", (alias,),
                ).fetchone()
                if held is None:
                    cur.execute(
                        """INSERT INTO entity_alias (kind, alias, cluster_id, origin)
                           VALUES ('cluster', %s, %s, 'gazetteer')""", (alias, cluster_id))
                elif held[0] != cluster_id and held[1] and may_merge:
                    merge_entity(cur, "cluster", int(held[0]), cluster_id, alias)
                    cur.execute("UPDATE entity_alias SET origin = 'gazetteer'"
                                " WHERE kind = 'cluster' AND alias = %s", (alias,))
    return len(rows)


def seed_all(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> SeedCounts:
    """Every catalogue and the gazetteer, in one transaction (committed when it returns;
    a savepoint the caller commits when `conn` is already in a transaction)."""
    with conn.transaction():
        n_metrics, n_units = seed_catalogues(conn, seeds)
        n_regions = seed_regions(conn, seeds) + seed_world_regions(conn, seeds)
        n_clusters = seed_clusters(conn, seeds)
    return SeedCounts(metrics=n_metrics, units=n_units, regions=n_regions,
                      clusters=n_clusters)


# --- the bi columns' comments: the catalogues' codes ---------------------------------


def metric_code_comment(seeds: Path = SEEDS_DIR) -> str:
    lines = ["Indicator code (bi.dim_metric; seeds/metrics.csv):"]
    for m in catalogue.metrics(seeds).values():
        unit = f" [{m.canonical_unit}]" if m.canonical_unit else ""
        lines.append(f"{m.code} = {m.name_zh}, {m.name_en}{unit}")
    return "\n".join(lines)


def unit_code_comment(seeds: Path = SEEDS_DIR) -> str:
    lines = ["Canonical unit of the value (bi.dim_unit; seeds/units.csv); values are "
             "already multiplied out (亿元 → CNY):"]
    for u in catalogue.units(seeds).values():
        lines.append(f"{u.code} = {u.name_zh} ({u.dimension})")
    return "\n".join(lines)


def comment_catalogue_columns(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> int:
    """Set the comment of every bi column holding a metric or unit code to the catalogue's
    list of codes. Only views this user owns, only where the comment changed; a database
    without the bi schema is left alone. Returns the number of comments written."""
    wanted = {
        "metric_code": metric_code_comment(seeds),
        "unit_code": unit_code_comment(seeds),
        "canonical_unit_code": unit_code_comment(seeds),
    }
    rows = conn.execute(
        """SELECT c.relname, a.attname, col_description(c.oid, a.attnum)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE n.nspname = 'bi' AND c.relkind = 'v' AND a.attname = ANY(%s)
             AND pg_has_role(c.relowner, 'USAGE')""",
        (list(wanted),),
    ).fetchall()
    written = 0
    for view, column, current in rows:
        if current != wanted[column]:
            conn.execute(sql.SQL("COMMENT ON COLUMN {} IS {}").format(
                sql.Identifier("bi", view, column), sql.Literal(wanted[column])))
            written += 1
    return written
