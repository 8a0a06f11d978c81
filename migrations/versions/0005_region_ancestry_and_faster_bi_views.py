"""The region hierarchy as data, and bi views the planner can plan: at a million
observations six cookbook queries took 1-3 minutes (benchmarks/README.md, bench_queries).

- `region.province_id` / `region.prefecture_id`: the nearest region at or above a region
  whose level is province / prefecture (the region itself when it is one), filled by the
  SQL function `region_refresh_ancestry()` — the walk up `parent_id` bi.dim_region used
  to do in every query, same rule, same depth limit. `parkstat seed` and entity merges
  call it (etl/store/seed.py, etl/store/entities.py); this revision runs it once. It rewrites only
  rows whose ancestry changed and returns how many.
- `bi.dim_region` reads those columns: a plain join, no recursive CTE.
- `bi.observation` selects from `observation` once (interval_low / interval_high /
  point_value computed inline, as bi.fact_observation does) instead of joining
  bi.fact_observation back to observation on its key — a self-join the planner
  estimated at one row, which put dim_region's recursive CTE inside nested loops.

Same columns, names, order and types: `CREATE OR REPLACE VIEW` keeps the views' comments
and the reader role's grants. The downgrade restores 0002's definitions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ALIASES = """(SELECT string_agg(a.alias, '|' ORDER BY a.alias) FROM public.entity_alias a
               WHERE a.region_id = e.id AND a.alias <> e.name)"""

REFRESH_FUNCTION = """
CREATE FUNCTION public.region_refresh_ancestry() RETURNS integer
LANGUAGE sql AS $$
WITH RECURSIVE up AS (
    SELECT r.id AS region_id, r.id AS ancestor_id, 0 AS depth FROM public.region r
    UNION ALL
    SELECT up.region_id, p.parent_id, up.depth + 1
    FROM up JOIN public.region p ON p.id = up.ancestor_id
    WHERE p.parent_id IS NOT NULL AND up.depth < 8
), anc AS (
    SELECT up.region_id,
        (array_agg(a.id ORDER BY up.depth) FILTER (WHERE a.level = 'province'))[1]
            AS province_id,
        (array_agg(a.id ORDER BY up.depth) FILTER (WHERE a.level = 'prefecture'))[1]
            AS prefecture_id
    FROM up JOIN public.region a ON a.id = up.ancestor_id
    GROUP BY up.region_id
), changed AS (
    UPDATE public.region r
    SET province_id = anc.province_id, prefecture_id = anc.prefecture_id
    FROM anc
    WHERE anc.region_id = r.id
      AND (r.province_id IS DISTINCT FROM anc.province_id
           OR r.prefecture_id IS DISTINCT FROM anc.prefecture_id)
    RETURNING 1
)
SELECT count(*)::integer FROM changed
$$"""

FUNCTION_COMMENT = ("parkstat: set region.province_id and region.prefecture_id of every "
                    "region from parent_id and level (the nearest region at or above of "
                    "that level); returns the number of regions changed. Run by parkstat "
                    "seed and entity merges; run it after changing parent_id or level by "
                    "hand.")

NEW_VIEWS: list[tuple[str, str]] = [
    ("dim_region", """
SELECT e.id AS region_id, e.code AS region_code, e.name AS region_name,
    e.level AS region_level, e.parent_id, par.name AS parent_name,
    e.province_id, pv.code AS province_code, pv.name AS province_name,
    e.prefecture_id, pf.code AS prefecture_code, pf.name AS prefecture_name,
    e.provisional, """ + _ALIASES + """ AS aliases
FROM public.region e
LEFT JOIN public.region par ON par.id = e.parent_id
LEFT JOIN public.region pv ON pv.id = e.province_id
LEFT JOIN public.region pf ON pf.id = e.prefecture_id"""),
    # The ids come from observation itself (its foreign keys guarantee the rows exist):
    # a filter on region_id or park_id then reaches observation's indexes directly.
    ("observation", """
SELECT o.id AS observation_id,
    m.code AS metric_code, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
    o.metric_text, o.measure, o.status, o.qualifier,
    o.value, o.value_low, o.value_high,
    CASE o.qualifier WHEN 'range' THEN o.value_low WHEN 'less_than' THEN NULL
        ELSE o.value END AS interval_low,
    CASE o.qualifier WHEN 'range' THEN o.value_high WHEN 'more_than' THEN NULL
        ELSE o.value END AS interval_high,
    COALESCE(o.value, (o.value_low + o.value_high) / 2) AS point_value,
    u.code AS unit_code, u.name_zh AS unit_name_zh, u.dimension AS unit_dimension,
    o.value_text, o.year, o.period, o.period_text,
    o.region_id, r.code AS region_code, r.name AS region_name, r.level AS region_level,
    pv.name AS province_name, pf.name AS prefecture_name,
    o.park_id, p.name AS park_name, p.level AS park_level,
    o.cluster_id, c.name AS cluster_name,
    o.company_id, co.name AS company_name,
    o.document_id, d.name AS document_name, d.title AS document_title,
    d.stated_date AS document_date,
    o.quote, o.span_start, o.span_end, o.load_run_id
FROM public.observation o
JOIN public.metric m ON m.code = o.metric_code
JOIN public.unit u ON u.code = o.unit_code
JOIN public.source_document d ON d.id = o.document_id
LEFT JOIN public.region r ON r.id = o.region_id
LEFT JOIN public.region pv ON pv.id = r.province_id
LEFT JOIN public.region pf ON pf.id = r.prefecture_id
LEFT JOIN public.park p ON p.id = o.park_id
LEFT JOIN public.cluster c ON c.id = o.cluster_id
LEFT JOIN public.company co ON co.id = o.company_id"""),
]

# 0002's definitions, for the downgrade.
OLD_VIEWS: list[tuple[str, str]] = [
    ("dim_region", """
WITH RECURSIVE up AS (
    SELECT r.id AS region_id, r.id AS ancestor_id, 0 AS depth FROM public.region r
    UNION ALL
    SELECT up.region_id, p.parent_id, up.depth + 1
    FROM up JOIN public.region p ON p.id = up.ancestor_id
    WHERE p.parent_id IS NOT NULL AND up.depth < 8
), anc AS (
    SELECT up.region_id,
        (array_agg(a.id ORDER BY up.depth) FILTER (WHERE a.level = 'province'))[1]
            AS province_id,
        (array_agg(a.id ORDER BY up.depth) FILTER (WHERE a.level = 'prefecture'))[1]
            AS prefecture_id
    FROM up JOIN public.region a ON a.id = up.ancestor_id
    GROUP BY up.region_id
)
SELECT e.id AS region_id, e.code AS region_code, e.name AS region_name,
    e.level AS region_level, e.parent_id, par.name AS parent_name,
    anc.province_id, pv.code AS province_code, pv.name AS province_name,
    anc.prefecture_id, pf.code AS prefecture_code, pf.name AS prefecture_name,
    e.provisional, """ + _ALIASES + """ AS aliases
FROM public.region e
JOIN anc ON anc.region_id = e.id
LEFT JOIN public.region par ON par.id = e.parent_id
LEFT JOIN public.region pv ON pv.id = anc.province_id
LEFT JOIN public.region pf ON pf.id = anc.prefecture_id"""),
    ("observation", """
SELECT f.observation_id,
    m.code AS metric_code, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
    o.metric_text, f.measure, f.status, f.qualifier,
    f.value, f.value_low, f.value_high, f.interval_low, f.interval_high, f.point_value,
    u.code AS unit_code, u.name_zh AS unit_name_zh, u.dimension AS unit_dimension,
    o.value_text, f.year, f.period, o.period_text,
    r.region_id, r.region_code, r.region_name, r.region_level,
    r.province_name, r.prefecture_name,
    p.id AS park_id, p.name AS park_name, p.level AS park_level,
    c.id AS cluster_id, c.name AS cluster_name,
    co.id AS company_id, co.name AS company_name,
    d.id AS document_id, d.name AS document_name, d.title AS document_title,
    d.stated_date AS document_date,
    o.quote, f.span_start, f.span_end, o.load_run_id
FROM bi.fact_observation f
JOIN public.observation o ON o.document_id = f.document_id AND o.id = f.observation_id
JOIN public.metric m ON m.code = f.metric_code
JOIN public.unit u ON u.code = f.unit_code
JOIN public.source_document d ON d.id = f.document_id
LEFT JOIN bi.dim_region r ON r.region_id = f.region_id
LEFT JOIN public.park p ON p.id = f.park_id
LEFT JOIN public.cluster c ON c.id = f.cluster_id
LEFT JOIN public.company co ON co.id = f.company_id"""),
]


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('region', sa.Column('province_id', sa.BigInteger(), nullable=True, comment='The province (or provincial-level city) containing the region, or the region itself when it is one (region.id); NULL outside one. Kept by region_refresh_ancestry() from parent_id and level.'))
    op.add_column('region', sa.Column('prefecture_id', sa.BigInteger(), nullable=True, comment='The prefecture-level city containing the region, or itself (region.id); NULL above or outside one. Kept by region_refresh_ancestry().'))
    op.create_index(op.f('ix_region_prefecture_id'), 'region', ['prefecture_id'], unique=False)
    op.create_index(op.f('ix_region_province_id'), 'region', ['province_id'], unique=False)
    op.create_foreign_key(op.f('fk_region_province_id_region'), 'region', 'region', ['province_id'], ['id'], ondelete='SET NULL')
    op.create_foreign_key(op.f('fk_region_prefecture_id_region'), 'region', 'region', ['prefecture_id'], ['id'], ondelete='SET NULL')
    op.execute(REFRESH_FUNCTION)
    op.execute(f"COMMENT ON FUNCTION public.region_refresh_ancestry() IS {_q(FUNCTION_COMMENT)}")
    op.execute("SELECT public.region_refresh_ancestry()")
    for name, body in NEW_VIEWS:
        op.execute(f"CREATE OR REPLACE VIEW bi.{name} AS {body}")


def downgrade() -> None:
    """Downgrade schema."""
    for name, body in OLD_VIEWS:
        op.execute(f"CREATE OR REPLACE VIEW bi.{name} AS {body}")
    op.execute("DROP FUNCTION public.region_refresh_ancestry()")
    op.drop_constraint(op.f('fk_region_prefecture_id_region'), 'region', type_='foreignkey')
    op.drop_constraint(op.f('fk_region_province_id_region'), 'region', type_='foreignkey')
    op.drop_index(op.f('ix_region_province_id'), table_name='region')
    op.drop_index(op.f('ix_region_prefecture_id'), table_name='region')
    op.drop_column('region', 'prefecture_id')
    op.drop_column('region', 'province_id')
