"""The `bi` schema for the people who query the data: labelled views over the internal
tables, a star (dim_* / fact_observation), one row per series (series_value), a comment
on every view and column, and the read-only group role `parkstat_reader`.

Views run with their owner's rights (PostgreSQL's default, security_invoker off), so the
reader needs no grant on the internal tables: USAGE on `bi`, SELECT on its views, and
SELECT on the reference catalogues metric, unit and region. Nothing else: TEMPORARY on
the database is taken from PUBLIC (and given back to the migrating role), so the reader
cannot create even a temporary table.

Decisions (docs/ANALYSTS.md explains them to analysts):
- interval_low / interval_high: exact and approx give [value, value] (a report's 约 says
  nothing about how wide the uncertainty is, so none is invented; filter on `qualifier`
  to leave approximate figures out); more_than [value, NULL]; less_than [NULL, value];
  range [value_low, value_high].
- point_value: value, or the midpoint of a range.
- series_value.preferred_value: among a series' statements, those from its most recently
  dated document (source_document.stated_date); failing any dated document, all of them;
  of those, the median (percentile_disc, so always a value some report actually stated;
  with an even count the lower middle one). `disagrees` when max and min differ by more
  than 0.5 % of the smaller magnitude (the tolerance evaluate.py uses to call two values
  the same).

The role is cluster-wide and may serve other databases of the same server: it is created
only if absent, and the downgrade drops it only when nothing else depends on it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

READER = "parkstat_reader"
REFERENCE_TABLES = ("metric", "unit", "region")

# The label of an entity: names from entity_alias other than its own, '|'-separated.
_ALIASES = """(SELECT string_agg(a.alias, '|' ORDER BY a.alias) FROM public.entity_alias a
               WHERE a.{kind}_id = e.id AND a.alias <> e.name)"""

VIEWS: list[tuple[str, str]] = [
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
    e.provisional, """ + _ALIASES.format(kind="region") + """ AS aliases
FROM public.region e
JOIN anc ON anc.region_id = e.id
LEFT JOIN public.region par ON par.id = e.parent_id
LEFT JOIN public.region pv ON pv.id = anc.province_id
LEFT JOIN public.region pf ON pf.id = anc.prefecture_id"""),
    ("dim_park", """
SELECT e.id AS park_id, e.name AS park_name, e.level AS park_level,
    e.region_id, r.region_name, r.region_code, r.province_name, r.prefecture_name,
    e.provisional, """ + _ALIASES.format(kind="park") + """ AS aliases
FROM public.park e LEFT JOIN bi.dim_region r ON r.region_id = e.region_id"""),
    ("dim_cluster", """
SELECT e.id AS cluster_id, e.name AS cluster_name, e.provisional,
    """ + _ALIASES.format(kind="cluster") + """ AS aliases
FROM public.cluster e"""),
    ("dim_company", """
SELECT e.id AS company_id, e.name AS company_name, e.provisional,
    """ + _ALIASES.format(kind="company") + """ AS aliases
FROM public.company e"""),
    ("dim_metric", """
SELECT m.code AS metric_code, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
    m.canonical_unit AS canonical_unit_code, u.dimension AS unit_dimension,
    array_to_string(m.synonyms_zh, '|') AS synonyms_zh, m.notes
FROM public.metric m LEFT JOIN public.unit u ON u.code = m.canonical_unit"""),
    ("dim_unit", """
SELECT u.code AS unit_code, u.name_zh AS unit_name_zh, u.dimension,
    array_to_string(u.written_as, '|') AS written_as, u.base AS base_unit_code,
    u.to_base_factor
FROM public.unit u"""),
    ("dim_document", """
SELECT d.id AS document_id, d.name AS document_name, d.title AS document_title,
    d.stated_date AS document_date, d.sha256, d.size AS size_bytes, d.encoding,
    char_length(d.text) AS text_chars, d.extractor_version, d.load_run_id, d.loaded_at,
    (SELECT count(*) FROM public.observation o WHERE o.document_id = d.id) AS records,
    (SELECT count(*) FROM public.rejected_record q WHERE q.document_id = d.id)
        AS quarantined
FROM public.source_document d"""),
    ("fact_observation", """
SELECT o.id AS observation_id, o.document_id, o.metric_code, o.unit_code,
    o.region_id, o.park_id, o.cluster_id, o.company_id,
    o.measure, o.status, o.qualifier, o.year, o.period,
    o.value, o.value_low, o.value_high,
    CASE o.qualifier WHEN 'range' THEN o.value_low WHEN 'less_than' THEN NULL
        ELSE o.value END AS interval_low,
    CASE o.qualifier WHEN 'range' THEN o.value_high WHEN 'more_than' THEN NULL
        ELSE o.value END AS interval_high,
    COALESCE(o.value, (o.value_low + o.value_high) / 2) AS point_value,
    o.span_start, o.span_end
FROM public.observation o"""),
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
    ("series_value", """
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
LEFT JOIN public.company co ON co.id = g.company_id"""),
]

_METRIC = "Indicator code (bi.dim_metric, seeds/metrics.csv)."
_UNIT = "Canonical unit code of the value (bi.dim_unit, seeds/units.csv)."
_MEASURE = ("level: the amount itself; growth: percent change; change: absolute change "
            "(新增, 同比增366元); share: percent of a whole (占…的 X%).")
_STATUS = "actual: done or measured; target: a goal (力争, 计划, 到…年达到); estimate: 预计, 有望."
_QUALIFIER = ("exact; approx (约, 左右, 近); more_than (多, 余, 超过, 以上); "
              "less_than (不足, 不到, 以下); range (value_low to value_high).")
_VALUE = "The figure in the canonical unit (unit_code); NULL for a range."
_YEAR = "Year the figure refers to (the last year of a span); NULL when the report leaves it unsure."
_PERIOD = ("Period: 2010; 2008-H1 (half); 2012-01/2012-05 (months); 2006/2010 (a five-year "
           "plan or span); NULL if unknown.")
_INTERVAL_LOW = ("Lower bound implied by the qualifier: value for exact and approx, value_low "
                 "for a range, value for more_than, NULL (unbounded) for less_than.")
_INTERVAL_HIGH = ("Upper bound implied by the qualifier: value for exact and approx, "
                  "value_high for a range, value for less_than, NULL (unbounded) for more_than.")
_POINT = "value, or the midpoint of value_low and value_high for a range: one number to chart."
_REGION_ID = "Region the figure is about (bi.dim_region); NULL if the report names none."
_PARK_ID = "Park / development zone the figure is about (bi.dim_park); NULL if none."
_CLUSTER_ID = "Industry or cluster the figure is about (bi.dim_cluster); NULL if none."
_COMPANY_ID = "Enterprise the figure is about (bi.dim_company); NULL if none."
_DOCUMENT_ID = "Source report (bi.dim_document)."
_OBS_ID = "Identifier of the record; unique across all documents."
_PROVISIONAL = ("True when the loader created this entity from a name it had not seen "
                "(awaiting a curator's review or merge).")
_ALIASES_C = "Other names of this entity seen in reports or seeds, '|'-separated."

COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "dim_region": ("Administrative areas with their province and prefecture (region.parent "
                   "walked up). One row per region.", {
        "region_id": "Region key.",
        "region_code": "GB/T 2260 code where known (e.g. 411300 南阳市); NULL for "
                       "provisional or non-Chinese regions.",
        "region_name": "Name of the region (浙江省, 荆州区, 中国).",
        "region_level": "province, prefecture or county; NULL when unknown.",
        "parent_id": "The region directly above (region_id), NULL at the top.",
        "parent_name": "Name of the region directly above.",
        "province_id": "The province (or provincial-level city) containing the region, or the "
                       "region itself when it is one.",
        "province_code": "GB/T 2260 code of the province.",
        "province_name": "Name of the province (浙江省, 上海市).",
        "prefecture_id": "The prefecture-level city containing the region, or itself.",
        "prefecture_code": "GB/T 2260 code of the prefecture.",
        "prefecture_name": "Name of the prefecture-level city (南阳市); NULL above or outside one.",
        "provisional": _PROVISIONAL,
        "aliases": _ALIASES_C,
    }),
    "dim_park": ("Industrial parks, development zones and 集聚区, with where they are.", {
        "park_id": "Park key.",
        "park_name": "Name of the park as first seen (南阳高新技术产业集聚区).",
        "park_level": "Level of the park (national, provincial, …) where known.",
        "region_id": "Region the park lies in (bi.dim_region).",
        "region_name": "Name of that region.",
        "region_code": "GB/T 2260 code of that region.",
        "province_name": "Province the park lies in.",
        "prefecture_name": "Prefecture-level city the park lies in.",
        "provisional": _PROVISIONAL,
        "aliases": _ALIASES_C,
    }),
    "dim_cluster": ("Industries and industry clusters (石油机械, 光电, 纺织).", {
        "cluster_id": "Cluster key.",
        "cluster_name": "Name of the industry or cluster.",
        "provisional": _PROVISIONAL,
        "aliases": _ALIASES_C,
    }),
    "dim_company": ("Enterprises named as the subject of a figure.", {
        "company_id": "Company key.",
        "company_name": "Name of the enterprise.",
        "provisional": _PROVISIONAL,
        "aliases": _ALIASES_C,
    }),
    "dim_metric": ("The indicator catalogue (seeds/metrics.csv).", {
        "metric_code": _METRIC,
        "metric_name_zh": "Chinese name of the indicator.",
        "metric_name_en": "English name of the indicator.",
        "canonical_unit_code": "Unit the indicator's levels are stored in (bi.dim_unit); "
                               "NULL for metric other.",
        "unit_dimension": "Dimension of the canonical unit (money, area, people, count, …).",
        "synonyms_zh": "Words reports use for the indicator, '|'-separated.",
        "notes": "What the indicator covers.",
    }),
    "dim_unit": ("Canonical units (seeds/units.csv); every value is stored in one of these.", {
        "unit_code": _UNIT,
        "unit_name_zh": "Chinese name of the unit.",
        "dimension": "What the unit measures: money, area, people, count, ratio, mass, …",
        "written_as": "How reports write it ('|'-separated); scale words (万, 亿) are already "
                      "multiplied out in values.",
        "base_unit_code": "Base unit of the dimension.",
        "to_base_factor": "Factor from this unit to base_unit_code.",
    }),
    "dim_document": ("Source reports as loaded, one row each, with record counts.", {
        "document_id": "Document key.",
        "document_name": "File name of the report (the key reloads replace by).",
        "document_title": "Title of the report (its first line).",
        "document_date": "Date the report states for itself, where it does.",
        "sha256": "SHA-256 of the file's bytes as loaded.",
        "size_bytes": "Size of the file in bytes.",
        "encoding": "Text encoding the file was decoded with.",
        "text_chars": "Length of the decoded text in characters (what span offsets index).",
        "extractor_version": "Version of the extractor that produced the records.",
        "load_run_id": "The load run that last stored the document.",
        "loaded_at": "When the document was last stored.",
        "records": "Number of records (observations) from the document.",
        "quarantined": "Number of records that failed validation and were quarantined.",
    }),
    "fact_observation": ("The star's fact table: one row per current record, keys to the "
                         "dim_* views and the numbers.", {
        "observation_id": _OBS_ID,
        "document_id": _DOCUMENT_ID,
        "metric_code": _METRIC,
        "unit_code": _UNIT,
        "region_id": _REGION_ID,
        "park_id": _PARK_ID,
        "cluster_id": _CLUSTER_ID,
        "company_id": _COMPANY_ID,
        "measure": _MEASURE,
        "status": _STATUS,
        "qualifier": _QUALIFIER,
        "year": _YEAR,
        "period": _PERIOD,
        "value": _VALUE,
        "value_low": "Lower bound of a range, else NULL.",
        "value_high": "Upper bound of a range, else NULL.",
        "interval_low": _INTERVAL_LOW,
        "interval_high": _INTERVAL_HIGH,
        "point_value": _POINT,
        "span_start": "Start offset (characters) of value_text in the document's text.",
        "span_end": "End offset (exclusive) of value_text in the document's text.",
    }),
    "observation": ("One row per current record, everything labelled: metric, unit, "
                    "subject (region with province and prefecture, park, cluster, "
                    "company), time, status and the source text it came from.", {
        "observation_id": _OBS_ID,
        "metric_code": _METRIC,
        "metric_name_zh": "Chinese name of the indicator.",
        "metric_name_en": "English name of the indicator.",
        "metric_text": "The words in the report that name the indicator (工业增加值, ＧＤＰ).",
        "measure": _MEASURE,
        "status": _STATUS,
        "qualifier": _QUALIFIER,
        "value": _VALUE,
        "value_low": "Lower bound of a range, else NULL.",
        "value_high": "Upper bound of a range, else NULL.",
        "interval_low": _INTERVAL_LOW,
        "interval_high": _INTERVAL_HIGH,
        "point_value": _POINT,
        "unit_code": _UNIT,
        "unit_name_zh": "Chinese name of the unit.",
        "unit_dimension": "Dimension of the unit (money, area, people, count, ratio, …).",
        "value_text": "The figure exactly as written (２３．５亿元, 2000多万元).",
        "year": _YEAR,
        "period": _PERIOD,
        "period_text": "The time words as written (今年上半年, “十一五”末).",
        "region_id": _REGION_ID,
        "region_code": "GB/T 2260 code of the region, where known.",
        "region_name": "Name of the region.",
        "region_level": "province, prefecture or county.",
        "province_name": "Province containing the region (or the region itself).",
        "prefecture_name": "Prefecture-level city containing the region (or itself).",
        "park_id": _PARK_ID,
        "park_name": "Name of the park.",
        "park_level": "Level of the park where known.",
        "cluster_id": _CLUSTER_ID,
        "cluster_name": "Name of the industry or cluster.",
        "company_id": _COMPANY_ID,
        "company_name": "Name of the enterprise.",
        "document_id": _DOCUMENT_ID,
        "document_name": "File name of the source report.",
        "document_title": "Title of the source report.",
        "document_date": "Date the source report states for itself, where it does.",
        "quote": "The clause around the figure, verbatim from the report.",
        "span_start": "Start offset (characters) of value_text in the report's text.",
        "span_end": "End offset (exclusive) of value_text in the report's text.",
        "load_run_id": "The load run that stored the record.",
    }),
    "series_value": ("One row per series: metric × measure × status × unit × subject "
                     "(region, park, cluster, company) × year × period, summarising every "
                     "statement of it. preferred_value: the median of the statements from "
                     "the most recently dated document, else the median of all (always a "
                     "stated value).", {
        "series_key": "Text key of the series: metric|measure|status|unit|region_id|park_id|"
                      "cluster_id|company_id|year|period (empty for NULL).",
        "metric_code": _METRIC,
        "metric_name_zh": "Chinese name of the indicator.",
        "metric_name_en": "English name of the indicator.",
        "measure": _MEASURE,
        "status": _STATUS,
        "unit_code": _UNIT,
        "region_id": _REGION_ID,
        "region_name": "Name of the region.",
        "province_name": "Province containing the region.",
        "park_id": _PARK_ID,
        "park_name": "Name of the park.",
        "cluster_id": _CLUSTER_ID,
        "cluster_name": "Name of the industry or cluster.",
        "company_id": _COMPANY_ID,
        "company_name": "Name of the enterprise.",
        "year": _YEAR,
        "period": _PERIOD,
        "statements": "Number of records stating this series.",
        "documents": "Number of distinct documents stating it.",
        "min_value": "Smallest stated point_value.",
        "max_value": "Largest stated point_value.",
        "spread_pct": "(max_value − min_value) as a percentage of the larger magnitude.",
        "disagrees": "True when max_value and min_value differ by more than 0.5 % of the "
                     "smaller magnitude: the statements disagree.",
        "median_value": "Median of all statements (percentile_disc: a stated value; the lower "
                        "middle one for an even count).",
        "preferred_value": "The value to use: median of the statements from the most recently "
                           "dated document; if no statement's document is dated, "
                           "median_value.",
        "preferred_rule": "latest_document or median: which rule chose preferred_value.",
        "preferred_document_name": "The most recently dated document stating the series "
                                   "(NULL when the rule is median).",
        "preferred_document_date": "Its stated date.",
    }),
}

SCHEMA_COMMENT = ("Read-only views for analysts and BI tools over parkstat's indicator "
                  "records: observation (everything labelled), series_value (one row per "
                  "series), and a star of dim_* views around fact_observation. "
                  "See docs/ANALYSTS.md.")


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.execute("CREATE SCHEMA bi")
    op.execute(f"COMMENT ON SCHEMA bi IS {_q(SCHEMA_COMMENT)}")
    for name, body in VIEWS:
        op.execute(f"CREATE VIEW bi.{name} AS {body}")
        table_comment, columns = COMMENTS[name]
        op.execute(f"COMMENT ON VIEW bi.{name} IS {_q(table_comment)}")
        for column, comment in columns.items():
            op.execute(f"COMMENT ON COLUMN bi.{name}.{column} IS {_q(comment)}")

    # The reader role: created if absent (roles are per server), privileges per database.
    op.execute(f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
        CREATE ROLE {READER} NOLOGIN;
        COMMENT ON ROLE {READER} IS
            'parkstat: read-only access to the bi views and the metric, unit and region '
            'catalogues. Grant it to a login (parkstat db reader-url makes one).';
    END IF;
END $$""")
    # A downgrade to base drops the role, and with it its members: the logins `parkstat
    # db reader-url` made (marked by their comment, etl/serve/bi.py) become members again.
    op.execute(f"""
DO $$
DECLARE login name;
BEGIN
    FOR login IN
        SELECT r.rolname FROM pg_roles r
        WHERE shobj_description(r.oid, 'pg_authid') LIKE 'parkstat read-only login%'
          AND r.rolcanlogin AND NOT r.rolsuper
          AND NOT pg_has_role(r.oid, '{READER}', 'MEMBER')
    LOOP
        EXECUTE format('GRANT {READER} TO %I', login);
    END LOOP;
END $$""")
    op.execute(f"GRANT USAGE ON SCHEMA bi TO {READER}")
    views = ", ".join(f"bi.{name}" for name, _ in VIEWS)
    op.execute(f"GRANT SELECT ON {views} TO {READER}")
    op.execute(f"GRANT SELECT ON {', '.join(f'public.{t}' for t in REFERENCE_TABLES)}"
               f" TO {READER}")
    # PUBLIC's default privileges would let the reader create temporary tables (and,
    # before PostgreSQL 15, tables in public). There are no negative grants, so take them
    # from PUBLIC and give TEMPORARY back to the role running migrations and loads (the
    # loader stages rows in a temporary table). The database's owner keeps it anyway.
    op.execute("""
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
    IF current_setting('server_version_num')::int < 150000 THEN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    END IF;
END $$""")


def downgrade() -> None:
    op.execute("""
DO $$
BEGIN
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM %I', current_database(), current_user);
END $$""")
    op.execute(f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
        REVOKE ALL ON {', '.join(f'public.{t}' for t in REFERENCE_TABLES)} FROM {READER};
        REVOKE ALL ON SCHEMA bi FROM {READER};
    END IF;
END $$""")
    op.execute("DROP SCHEMA bi CASCADE")
    # Drop the role unless another database still grants it something.
    op.execute(f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
        DROP ROLE {READER};
    END IF;
EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'role {READER} kept: other databases still use it';
END $$""")
