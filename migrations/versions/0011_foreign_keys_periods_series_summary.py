"""Declared foreign keys again, a date axis for each figure, and series kept as a table.

1. **Foreign keys.** Revision 0007's statement-level reference triggers (and their four
   functions) are dropped and `observation`'s eight foreign keys declared again, as in
   0001: `fk_observation_<column>_<table>`, the document's `ON DELETE CASCADE`. Schema
   tools, SQLAlchemy reflection and ER diagrams see them, and a delete racing a load
   queues on the key-share lock instead of risking a deadlock. (0007's two dropped
   indexes, `unit_code` and `load_run_id`, stay dropped: no query uses them; deleting a
   unit or a load run scans `observation` once.)

2. **period_start / period_end** on `bi.observation`: the first and last day of the time
   a figure refers to, from `period` (`2008` → 2008-01-01…2008-12-31, `2008-H1` →
   …06-30, `2012-Q3`, `2012-05`, `2006/2010` → 2006-01-01…2010-12-31,
   `2012-01/2012-05` → …05-31), else from `year`; NULL when neither places it. Computed
   by the inlinable IMMUTABLE SQL functions `bi.period_start(text, integer)` and
   `bi.period_end(text, integer)` (EXECUTE granted to parkstat_reader).

3. **Series kept as a table.** `public.series_summary` holds one row per series
   (metric × measure × status × unit × region × park × cluster × company × year ×
   period) with what `bi.series_value` used to compute from every observation at every
   query (statements, documents, min / max / median, the latest dated document's median,
   spread, disagrees). It is brought up to date by statement-level triggers on
   `observation` (`series_summary_on_insert / _on_delete / _on_update`, function
   `public.series_summary_refresh()`), for the series that statement touched only:

   * inserted rows whose series is not in the table yet are summarised from the
     statement's own rows (no other observation can be in that series);
   * every other touched series (inserted into an existing one, deleted from, updated) is
     recomputed from `observation`, found through the expression index
     `ix_observation_series_key` on the same `series_key` text as `bi.series_value`'s.

   A load therefore updates the summary for the documents it changed, in the same
   transaction as their observations; an entity merge, a correction or a document delete
   does the same through the same triggers. `bi.series_value` becomes a view over the
   table with the same columns as before (names joined at query time, so merges and
   renames show at once), and `bi.observation` gets `series_key` so the statements of a
   series are found by that index.

Views redefined (CREATE OR REPLACE, columns appended only, so comments and grants stay):
`bi.observation` (0005's body + period_start, period_end, series_key) and
`bi.series_value` (same 28 columns, now read from `public.series_summary`). The comment of
`region_level` (bi.observation, bi.dim_region) and of `region.level` lists every level.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

READER = "parkstat_reader"

REFERENCES = (
    ("document_id", "source_document", "id"),
    ("load_run_id", "load_run", "id"),
    ("metric_code", "metric", "code"),
    ("unit_code", "unit", "code"),
    ("region_id", "region", "id"),
    ("park_id", "park", "id"),
    ("cluster_id", "cluster", "id"),
    ("company_id", "company", "id"),
)


def _fk_name(column: str, table: str) -> str:
    return f"fk_observation_{column}_{table}"


# The series key, as bi.series_value has always built it (empty for NULL), written with
# immutable operators only so that it can be indexed and is inlined where it is used.
def series_key(a: str) -> str:
    return (f"({a}metric_code || '|' || {a}measure || '|' || {a}status || '|' || {a}unit_code"
            f" || '|' || COALESCE({a}region_id::text, '') || '|' || COALESCE({a}park_id::text, '')"
            f" || '|' || COALESCE({a}cluster_id::text, '') || '|' || COALESCE({a}company_id::text, '')"
            f" || '|' || COALESCE({a}year::text, '') || '|' || COALESCE({a}period, ''))")


PERIOD_FUNCTIONS = r"""
CREATE FUNCTION bi.period_part_start(part text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN part ~ '^[12]\d{3}$' THEN make_date(part::int, 1, 1)
    WHEN part ~ '^[12]\d{3}-H[12]$' THEN make_date(left(part, 4)::int, 6 * right(part, 1)::int - 5, 1)
    WHEN part ~ '^[12]\d{3}-Q[1-4]$' THEN make_date(left(part, 4)::int, 3 * right(part, 1)::int - 2, 1)
    WHEN part ~ '^[12]\d{3}-(0[1-9]|1[0-2])$' THEN make_date(left(part, 4)::int, right(part, 2)::int, 1)
END
$$;
CREATE FUNCTION bi.period_part_end(part text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT (bi.period_part_start(part) + CASE
    WHEN part ~ '^[12]\d{3}$' THEN interval '1 year'
    WHEN part ~ '-H' THEN interval '6 months'
    WHEN part ~ '-Q' THEN interval '3 months'
    ELSE interval '1 month' END - interval '1 day')::date
$$;
CREATE FUNCTION bi.period_start(period text, year integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT COALESCE(bi.period_part_start(split_part(period, '/', 1)),
                CASE WHEN year BETWEEN 1000 AND 2999 THEN make_date(year, 1, 1) END)
$$;
CREATE FUNCTION bi.period_end(period text, year integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT COALESCE(
    CASE WHEN bi.period_part_start(split_part(period, '/', 1)) IS NOT NULL
         THEN bi.period_part_end(CASE WHEN strpos(period, '/') > 0
                                          THEN split_part(period, '/', 2) ELSE period END) END,
    CASE WHEN year BETWEEN 1000 AND 2999 THEN make_date(year, 12, 31) END)
$$;
COMMENT ON FUNCTION bi.period_start(text, integer) IS
  'First day of a parkstat period (2008, 2008-H1, 2012-Q3, 2012-05, 2006/2010, 2012-01/2012-05), else of the year; NULL when neither places it (revision 0011).';
COMMENT ON FUNCTION bi.period_end(text, integer) IS
  'Last day of a parkstat period, else of the year; NULL when neither places it (revision 0011).';
"""

SERIES_TABLE = """
CREATE TABLE public.series_summary (
    series_key text CONSTRAINT pk_series_summary PRIMARY KEY,
    metric_code text NOT NULL,
    measure text NOT NULL,
    status text NOT NULL,
    unit_code text NOT NULL,
    region_id bigint,
    park_id bigint,
    cluster_id bigint,
    company_id bigint,
    year smallint,
    period text,
    statements bigint NOT NULL,
    documents bigint NOT NULL,
    min_value numeric,
    max_value numeric,
    median_value numeric,
    latest_document_value numeric,
    latest_document_date date,
    latest_document_name text,
    spread_pct numeric,
    disagrees boolean
);
COMMENT ON TABLE public.series_summary IS
  'One row per series of observation, kept up to date by the statement-level triggers series_summary_on_* on observation (revision 0011); bi.series_value labels it. Derived data: never written by hand.';
CREATE INDEX ix_series_summary_disagrees ON public.series_summary (spread_pct DESC, statements DESC)
    WHERE disagrees;
CREATE INDEX ix_series_summary_metric ON public.series_summary (metric_code, measure, status);
CREATE INDEX ix_series_summary_park ON public.series_summary (metric_code, park_id)
    WHERE park_id IS NOT NULL;
CREATE INDEX ix_series_summary_cluster ON public.series_summary (cluster_id)
    WHERE cluster_id IS NOT NULL;

CREATE TABLE public.observation_tally (
    dimension text NOT NULL CONSTRAINT ck_observation_tally_dimension
        CHECK (dimension IN ('metric', 'region', 'park', 'cluster')),
    key text NOT NULL,
    status text NOT NULL,
    records bigint NOT NULL,
    CONSTRAINT pk_observation_tally PRIMARY KEY (dimension, key, status)
);
COMMENT ON TABLE public.observation_tally IS
  'How many observations each metric, region, park and cluster has, per status (key: the code or id as text, empty for none); kept by the same triggers as series_summary (revision 0011); bi.record_count reads it.';
"""


def _tally(rows: str) -> str:
    """Add `rows` (metric_code, region_id, park_id, cluster_id, status, n) to the tally."""
    return f"""
INSERT INTO public.observation_tally AS t (dimension, key, status, records)
SELECT v.d, v.k, r.status, sum(r.n)
FROM ({rows}) r
CROSS JOIN LATERAL (VALUES ('metric', r.metric_code),
    ('region', COALESCE(r.region_id::text, '')), ('park', COALESCE(r.park_id::text, '')),
    ('cluster', COALESCE(r.cluster_id::text, ''))) v(d, k)
GROUP BY v.d, v.k, r.status
ON CONFLICT (dimension, key, status) DO UPDATE SET records = t.records + EXCLUDED.records"""


_NEW = "SELECT metric_code, region_id, park_id, cluster_id, status, 1 AS n FROM new_rows"
_OLD = "SELECT metric_code, region_id, park_id, cluster_id, status, -1 AS n FROM old_rows"


def _summarise(source: str) -> str:
    """SELECT of series_summary's columns from `source` (observation-shaped rows, with
    their series key as `k`), one row per series."""
    return f"""
WITH s AS (
    SELECT o.k, o.metric_code, o.measure, o.status, o.unit_code, o.region_id, o.park_id,
        o.cluster_id, o.company_id, o.year, o.period, o.document_id,
        COALESCE(o.value, (o.value_low + o.value_high) / 2) AS point_value,
        d.stated_date, d.name AS document_name,
        max(d.stated_date) OVER (PARTITION BY o.k) AS latest_date
    FROM ({source}) o JOIN public.source_document d ON d.id = o.document_id
), g AS (
    SELECT k, min(metric_code) AS metric_code, min(measure) AS measure,
        min(status) AS status, min(unit_code) AS unit_code, min(region_id) AS region_id,
        min(park_id) AS park_id, min(cluster_id) AS cluster_id,
        min(company_id) AS company_id, min(year) AS year, min(period) AS period,
        count(*) AS statements, count(DISTINCT document_id) AS documents,
        min(point_value) AS min_value, max(point_value) AS max_value,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY point_value) AS median_value,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY point_value)
            FILTER (WHERE stated_date = latest_date) AS latest_document_value,
        max(latest_date) AS latest_document_date,
        min(document_name) FILTER (WHERE stated_date = latest_date) AS latest_document_name
    FROM s GROUP BY k
)
SELECT g.*,
    CASE WHEN greatest(abs(min_value), abs(max_value)) > 0
        THEN round(100 * (max_value - min_value)
                   / greatest(abs(min_value), abs(max_value)), 3) END,
    (max_value - min_value) > 0.005 * least(abs(min_value), abs(max_value))
FROM g"""


_UPSERT = """
INSERT INTO public.series_summary {select}
ON CONFLICT (series_key) DO UPDATE SET statements = EXCLUDED.statements,
    documents = EXCLUDED.documents, min_value = EXCLUDED.min_value,
    max_value = EXCLUDED.max_value, median_value = EXCLUDED.median_value,
    latest_document_value = EXCLUDED.latest_document_value,
    latest_document_date = EXCLUDED.latest_document_date,
    latest_document_name = EXCLUDED.latest_document_name,
    spread_pct = EXCLUDED.spread_pct, disagrees = EXCLUDED.disagrees"""

REFRESH_FUNCTION = f"""
CREATE FUNCTION public.series_summary_recompute(keys text[]) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF keys IS NULL OR cardinality(keys) = 0 THEN
    RETURN;
  END IF;
  DELETE FROM public.series_summary WHERE series_key = ANY(keys);
  {_UPSERT.format(select=_summarise(
      "SELECT " + series_key("x.") + " AS k, x.* FROM public.observation x WHERE "
      + series_key("x.") + " = ANY(keys)"))};
END
$fn$;
COMMENT ON FUNCTION public.series_summary_recompute(text[]) IS
  'Recomputes the series_summary rows of these series keys from observation (revision 0011).';

CREATE FUNCTION public.series_summary_refresh() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  touched text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Series already summarised are recomputed; new ones come from this statement alone.
    SELECT array_agg(DISTINCT n.k) INTO touched
    FROM (SELECT {series_key("r.")} AS k FROM new_rows r) n
    WHERE EXISTS (SELECT 1 FROM public.series_summary s WHERE s.series_key = n.k);
    {_UPSERT.format(select=_summarise(
        "SELECT * FROM (SELECT " + series_key("r.") + " AS k, r.* FROM new_rows r) n"
        " WHERE touched IS NULL OR NOT n.k = ANY(touched)"))};
    {_tally(_NEW)};
  ELSIF TG_OP = 'DELETE' THEN
    {_tally(_OLD)};
    DELETE FROM public.observation_tally WHERE records = 0;
    SELECT array_agg(DISTINCT {series_key("r.")}) INTO touched FROM old_rows r;
  ELSE
    SELECT array_agg(DISTINCT k) INTO touched FROM (
      SELECT {series_key("r.")} AS k FROM old_rows r
      UNION ALL SELECT {series_key("r.")} FROM new_rows r) u;
    {_tally(_OLD + " UNION ALL " + _NEW)};
    DELETE FROM public.observation_tally WHERE records = 0;
  END IF;
  PERFORM public.series_summary_recompute(touched);
  RETURN NULL;
END
$fn$;
CREATE FUNCTION public.series_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE public.series_summary, public.observation_tally;
  RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION public.series_summary_refresh() IS
  'Keeps series_summary up to date for the series an insert, update or delete on observation touched (revision 0011).';
"""

TRIGGERS = (
    ("series_summary_on_insert", "INSERT", "REFERENCING NEW TABLE AS new_rows"),
    ("series_summary_on_delete", "DELETE", "REFERENCING OLD TABLE AS old_rows"),
    ("series_summary_on_update", "UPDATE",
     "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
)

def _revision(number: str):  # type: ignore[no-untyped-def]
    """An earlier revision's module, so that what this one restores or extends is that
    revision's own definition, not a copy of it."""
    import importlib.util
    import pathlib

    path = next(pathlib.Path(__file__).parent.glob(f"{number}_*.py"))
    spec = importlib.util.spec_from_file_location(f"parkstat_m{number}", path)
    assert spec and spec.loader
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def _observation_0005() -> str:
    """0005's bi.observation with a place for `{extra}` columns after its last one."""
    head, sep, tail = dict(_revision("0005").NEW_VIEWS)["observation"].partition(
        "\nFROM public.observation o")
    return head + "{extra}" + sep + tail


OBSERVATION_0005 = _observation_0005()

OBSERVATION_0011 = OBSERVATION_0005.format(extra=""",
    bi.period_start(o.period, o.year) AS period_start,
    bi.period_end(o.period, o.year) AS period_end,
    """ + series_key("o.") + " AS series_key")

# 0002's series_value, for the downgrade.
SERIES_VALUE_0002 = """
WITH s AS (
    SELECT f.*, d.stated_date, d.name AS document_name,
        max(d.stated_date) OVER w AS latest_date
    FROM bi.fact_observation f JOIN public.source_document d ON d.id = f.document_id
    WINDOW w AS (PARTITION BY f.metric_code, f.measure, f.status, f.unit_code,
        f.region_id, f.park_id, f.cluster_id, f.company_id, f.year, f.period)
), g AS (
    SELECT metric_code, measure, status, unit_code, region_id, park_id, cluster_id,
        company_id, year, period,
        count(*) AS statements, count(DISTINCT document_id) AS documents,
        min(point_value) AS min_value, max(point_value) AS max_value,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY point_value) AS median_value,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY point_value)
            FILTER (WHERE stated_date = latest_date) AS latest_document_value,
        max(latest_date) AS latest_document_date,
        min(document_name) FILTER (WHERE stated_date = latest_date) AS latest_document_name
    FROM s
    GROUP BY metric_code, measure, status, unit_code, region_id, park_id, cluster_id,
        company_id, year, period
)
SELECT concat_ws('|', g.metric_code, g.measure, g.status, g.unit_code,
        COALESCE(g.region_id::text, ''), COALESCE(g.park_id::text, ''),
        COALESCE(g.cluster_id::text, ''), COALESCE(g.company_id::text, ''),
        COALESCE(g.year::text, ''), COALESCE(g.period, '')) AS series_key,
    g.metric_code, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
    g.measure, g.status, g.unit_code,
    g.region_id, r.region_name, r.province_name, g.park_id, p.name AS park_name,
    g.cluster_id, c.name AS cluster_name, g.company_id, co.name AS company_name,
    g.year, g.period,
    g.statements, g.documents, g.min_value, g.max_value,
    CASE WHEN greatest(abs(g.min_value), abs(g.max_value)) > 0
        THEN round(100 * (g.max_value - g.min_value)
                   / greatest(abs(g.min_value), abs(g.max_value)), 3) END AS spread_pct,
    (g.max_value - g.min_value) > 0.005 * least(abs(g.min_value), abs(g.max_value))
        AS disagrees,
    g.median_value,
    COALESCE(g.latest_document_value, g.median_value) AS preferred_value,
    CASE WHEN g.latest_document_value IS NOT NULL THEN 'latest_document'
        ELSE 'median' END AS preferred_rule,
    g.latest_document_name AS preferred_document_name,
    g.latest_document_date AS preferred_document_date
FROM g
JOIN public.metric m ON m.code = g.metric_code
LEFT JOIN bi.dim_region r ON r.region_id = g.region_id
LEFT JOIN public.park p ON p.id = g.park_id
LEFT JOIN public.cluster c ON c.id = g.cluster_id
LEFT JOIN public.company co ON co.id = g.company_id"""

SERIES_VALUE_0011 = """
SELECT s.series_key, s.metric_code, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
    s.measure, s.status, s.unit_code,
    s.region_id, r.name AS region_name, pv.name AS province_name,
    s.park_id, p.name AS park_name, s.cluster_id, c.name AS cluster_name,
    s.company_id, co.name AS company_name, s.year, s.period,
    s.statements, s.documents, s.min_value, s.max_value, s.spread_pct, s.disagrees,
    s.median_value,
    COALESCE(s.latest_document_value, s.median_value) AS preferred_value,
    CASE WHEN s.latest_document_value IS NOT NULL THEN 'latest_document'
        ELSE 'median' END AS preferred_rule,
    s.latest_document_name AS preferred_document_name,
    s.latest_document_date AS preferred_document_date
FROM public.series_summary s
JOIN public.metric m ON m.code = s.metric_code
LEFT JOIN public.region r ON r.id = s.region_id
LEFT JOIN public.region pv ON pv.id = r.province_id
LEFT JOIN public.park p ON p.id = s.park_id
LEFT JOIN public.cluster c ON c.id = s.cluster_id
LEFT JOIN public.company co ON co.id = s.company_id"""

RECORD_COUNT = """
SELECT t.dimension, t.status, t.records,
    CASE WHEN t.dimension = 'metric' THEN t.key END AS metric_code,
    CASE WHEN t.dimension = 'region' THEN NULLIF(t.key, '')::bigint END AS region_id,
    CASE WHEN t.dimension = 'park' THEN NULLIF(t.key, '')::bigint END AS park_id,
    CASE WHEN t.dimension = 'cluster' THEN NULLIF(t.key, '')::bigint END AS cluster_id
FROM public.observation_tally t"""

RECORD_COUNT_COMMENT = (
    "How many records each metric, region, park and cluster has, per status: one row per "
    "dimension × member × status, kept up to date by every load (no scan of the records). "
    "Filter on dimension; the member is in metric_code, region_id, park_id or cluster_id "
    "(NULL there: the records with no region, park or cluster).", {
        "dimension": "metric, region, park or cluster: which column names the member.",
        "status": "actual, target or estimate.",
        "records": "Number of records (bi.observation rows) of this member and status.",
        "metric_code": "The metric (dimension metric), else NULL.",
        "region_id": "The region (dimension region; NULL: records with no region).",
        "park_id": "The park (dimension park; NULL: records with no park).",
        "cluster_id": "The industry or cluster (dimension cluster; NULL: records with none).",
    })

REGION_LEVEL = ("province, prefecture or county (GB/T 2260); country, continent, world, "
                "economic_zone (珠江三角洲) or residual (seeds/world_regions.csv) outside "
                "China's divisions; NULL when unknown.")
REGION_LEVEL_OLD = "province, prefecture or county; NULL when unknown."
OBSERVATION_REGION_LEVEL_OLD = "province, prefecture or county."

NEW_COMMENTS = {
    "period_start": ("First day of the time the figure refers to: from period (2008 → "
                     "2008-01-01, 2008-H1 → 2008-01-01, 2006/2010 → 2006-01-01), else from "
                     "year; NULL when neither places it. A date axis for charts."),
    "period_end": ("Last day of the time the figure refers to (2008 → 2008-12-31, 2008-H1 → "
                   "2008-06-30, 2006/2010 → 2010-12-31); NULL when neither places it."),
    "series_key": ("The figure's series, as bi.series_value.series_key: "
                   "metric|measure|status|unit|region_id|park_id|cluster_id|company_id|year|"
                   "period (empty for NULL). Join on it to find a series' statements."),
}


# The tables' comments (models/comments.py has the same text).
TABLE_COMMENTS = {'series_summary': ('One row per series of observation (metric × measure × status × unit × region × park × cluster × company × year × period), kept up to date by the statement-level triggers series_summary_on_* on observation (revision 0011); bi.series_value labels it. Derived data: never written by hand.', {'series_key': "metric|measure|status|unit|region_id|park_id|cluster_id|company_id|year|period (empty for NULL), as observation's ix_observation_series_key.", 'metric_code': 'Metric of the series (metric.code).', 'measure': 'level, growth, change or share.', 'status': 'actual, target or estimate.', 'unit_code': 'Unit of the series (unit.code).', 'region_id': 'Region of the series (region.id), NULL for none.', 'park_id': 'Park of the series (park.id), NULL for none.', 'cluster_id': 'Cluster of the series (cluster.id), NULL for none.', 'company_id': 'Company of the series (company.id), NULL for none.', 'year': 'Year of the series, NULL for none.', 'period': 'Period of the series, NULL for none.', 'statements': 'Observations stating the series.', 'documents': 'Distinct documents stating it.', 'min_value': 'Smallest point value (value, or the midpoint of a range).', 'max_value': 'Largest point value.', 'median_value': 'percentile_disc(0.5) of the point values.', 'latest_document_value': 'Median of the statements from the most recently dated document(s); NULL when none is dated.', 'latest_document_date': 'Most recent stated date among the documents.', 'latest_document_name': 'Name of that document (the first by name if several).', 'spread_pct': '(max − min) as a percentage of the larger magnitude.', 'disagrees': 'max and min differ by more than 0.5 % of the smaller magnitude.'}), 'observation_tally': ('Observations per metric, region, park and cluster and status, kept by the same triggers as series_summary (revision 0011); bi.record_count reads it.', {'dimension': 'metric, region, park or cluster.', 'key': 'The metric code or the entity id as text; empty: observations with none.', 'status': 'actual, target or estimate.', 'records': 'Number of observations.'})}


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    _revision("0007").drop_references()
    for col, table, key in REFERENCES:
        op.create_foreign_key(_fk_name(col, table), "observation", table, [col], [key],
                              ondelete="CASCADE" if table == "source_document" else None)

    op.execute(PERIOD_FUNCTIONS)
    for fn in ("period_start", "period_end", "period_part_start", "period_part_end"):
        sig = "(text, integer)" if fn in ("period_start", "period_end") else "(text)"
        op.execute(f"GRANT EXECUTE ON FUNCTION bi.{fn}{sig} TO {READER}")

    op.execute(f"CREATE INDEX ix_observation_series_key ON public.observation "
               f"({series_key('')})")
    # Two small partial indexes for cookbook questions that would otherwise read every
    # record of a metric: open-ended figures (15 % of records) and five-year plans (5 %).
    op.execute("CREATE INDEX ix_observation_open_ended ON public.observation (metric_code)"
               " WHERE qualifier IN ('more_than', 'less_than', 'range')")
    op.execute(r"CREATE INDEX ix_observation_plan_period ON public.observation (metric_code)"
               r" WHERE period ~ '^\d{4}/\d{4}$'")
    op.execute(SERIES_TABLE)
    for table, (comment, columns) in TABLE_COMMENTS.items():
        op.execute(f"COMMENT ON TABLE public.{table} IS {_q(comment)}")
        for column, text in columns.items():
            op.execute(f"COMMENT ON COLUMN public.{table}.{column} IS {_q(text)}")
    op.execute(REFRESH_FUNCTION)
    op.execute(_UPSERT.format(select=_summarise(
        "SELECT " + series_key("x.") + " AS k, x.* FROM public.observation x")))
    op.execute(_tally("SELECT metric_code, region_id, park_id, cluster_id, status, 1 AS n"
                      " FROM public.observation"))
    op.execute(f"CREATE VIEW bi.record_count AS {RECORD_COUNT}")
    op.execute(f"COMMENT ON VIEW bi.record_count IS {_q(RECORD_COUNT_COMMENT[0])}")
    for column, comment in RECORD_COUNT_COMMENT[1].items():
        op.execute(f"COMMENT ON COLUMN bi.record_count.{column} IS {_q(comment)}")
    op.execute(f"GRANT SELECT ON bi.record_count TO {READER}")
    op.execute("""CREATE TRIGGER series_summary_on_truncate AFTER TRUNCATE
        ON public.observation FOR EACH STATEMENT
        EXECUTE FUNCTION public.series_summary_truncate()""")
    for name, event, referencing in TRIGGERS:
        op.execute(f"""CREATE TRIGGER {name} AFTER {event} ON public.observation
            {referencing} FOR EACH STATEMENT
            EXECUTE FUNCTION public.series_summary_refresh()""")

    op.execute(f"CREATE OR REPLACE VIEW bi.observation AS {OBSERVATION_0011}")
    for column, comment in NEW_COMMENTS.items():
        op.execute(f"COMMENT ON COLUMN bi.observation.{column} IS {_q(comment)}")
    op.execute(f"CREATE OR REPLACE VIEW bi.series_value AS {SERIES_VALUE_0011}")

    op.execute(f"COMMENT ON COLUMN bi.observation.region_level IS {_q(REGION_LEVEL)}")
    op.execute(f"COMMENT ON COLUMN bi.dim_region.region_level IS {_q(REGION_LEVEL)}")
    op.execute(f"COMMENT ON COLUMN public.region.level IS {_q(REGION_LEVEL)}")


def downgrade() -> None:
    op.execute(f"COMMENT ON COLUMN public.region.level IS {_q(REGION_LEVEL_OLD)}")
    op.execute(f"COMMENT ON COLUMN bi.dim_region.region_level IS {_q(REGION_LEVEL_OLD)}")
    op.execute(f"COMMENT ON COLUMN bi.observation.region_level "
               f"IS {_q(OBSERVATION_REGION_LEVEL_OLD)}")
    op.execute(f"CREATE OR REPLACE VIEW bi.series_value AS {SERIES_VALUE_0002}")
    # A view cannot lose columns by CREATE OR REPLACE: drop and re-create with 0005's
    # body, its comments (kept in a temporary copy) and the reader's grant.
    op.execute("""CREATE TEMP TABLE obs_comments ON COMMIT DROP AS
        SELECT a.attname, col_description(a.attrelid, a.attnum) AS comment
        FROM pg_attribute a WHERE a.attrelid = 'bi.observation'::regclass AND a.attnum > 0""")
    op.execute("CREATE TEMP TABLE obs_view_comment ON COMMIT DROP AS "
               "SELECT obj_description('bi.observation'::regclass, 'pg_class') AS comment")
    op.execute("DROP VIEW bi.observation")
    op.execute(f"CREATE VIEW bi.observation AS {OBSERVATION_0005.format(extra='')}")
    op.execute("""DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT * FROM obs_comments
                 WHERE comment IS NOT NULL
                   AND attname NOT IN ('period_start', 'period_end', 'series_key') LOOP
            EXECUTE format('COMMENT ON COLUMN bi.observation.%I IS %L', r.attname, r.comment);
        END LOOP;
        EXECUTE format('COMMENT ON VIEW bi.observation IS %L',
                       (SELECT comment FROM obs_view_comment));
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parkstat_reader') THEN
            GRANT SELECT ON bi.observation TO parkstat_reader;
        END IF; END $$""")

    for name, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON public.observation")
    op.execute("DROP TRIGGER series_summary_on_truncate ON public.observation")
    op.execute("DROP FUNCTION public.series_summary_truncate()")
    op.execute("DROP FUNCTION public.series_summary_refresh()")
    op.execute("DROP FUNCTION public.series_summary_recompute(text[])")
    op.execute("DROP TABLE public.series_summary")
    op.execute("DROP VIEW bi.record_count")
    op.execute("DROP TABLE public.observation_tally")
    op.execute("DROP INDEX public.ix_observation_series_key")
    op.execute("DROP INDEX public.ix_observation_open_ended")
    op.execute("DROP INDEX public.ix_observation_plan_period")
    for fn in ("period_start(text, integer)", "period_end(text, integer)",
               "period_part_end(text)", "period_part_start(text)"):
        op.execute(f"DROP FUNCTION bi.{fn}")

    for col, table, _ in REFERENCES:
        op.drop_constraint(_fk_name(col, table), "observation", type_="foreignkey")
    _revision("0007").create_references()  # 0007's triggers and functions, as it makes them
