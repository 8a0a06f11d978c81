"""Data checks: named SQL queries that return no rows when all is well (`parkstat check`).

Each check is an `error` (the data is wrong: a span that does not point at its figure, a
unit that cannot measure its metric) or a `warning` (worth a look: implausible values,
provisional entities awaiting review, documents that gave nothing). `parkstat check`
exits non-zero when an error check fails (with --strict, when any check fails).

Every query returns rows that identify what failed (document, observation, values), so
the report's examples can be looked up directly.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    description: str
    sql: str


# Metrics whose levels may be stated in units of another dimension than the canonical
# unit's (seeds/metrics.csv notes: production_capacity "tonne, m3, count").
EXTRA_UNITS = {"production_capacity": ("tonne", "m3", "count")}
# Dimensions that may also be counted: units follow the measure word written, so
# 新增就业岗位5万余个 is new_jobs in count (RECORDS.md).
EXTRA_DIMENSIONS = {"people": ("count",)}

# Fixed bounds of plausibility for a metric's level in its canonical unit.
LEVEL_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "employment": (10, 2e8),            # persons working: fewer than 10 is a misreading
    "new_jobs": (1, 5e7),
    "talent_introduced": (1, 1e7),
    "planned_area": (0.01, 20000),      # km2
    "built_area": (0.01, 20000),
    "jurisdiction_area": (0.1, 2e6),
    "gdp": (1e6, 2e14),                 # CNY
    "gross_industrial_output": (1e5, 2e14),
    "fiscal_revenue": (1e5, 3e13),
}

_OBS = """o.document_id, d.name AS document, o.id AS observation_id, o.metric_code,
    o.measure, o.status, o.value, o.value_low, o.value_high, o.unit_code, o.value_text"""

_UNIT_EXTRA = " OR ".join(
    f"(o.metric_code = '{metric}' AND o.unit_code IN ({', '.join(repr(u) for u in units)}))"
    for metric, units in EXTRA_UNITS.items()
)



def _sql_num(v: float | None) -> str:
    return "NULL::numeric" if v is None else f"{v!r}::numeric"


_DIM_EXTRA = " OR ".join(
    f"(cu.dimension = '{dim}' AND ou.dimension IN ({', '.join(repr(d) for d in extra)}))"
    for dim, extra in EXTRA_DIMENSIONS.items()
)

_BOUNDS = ", ".join(
    f"('{metric}', {_sql_num(lo)}, {_sql_num(hi)})" for metric, (lo, hi) in LEVEL_BOUNDS.items()
)

CHECKS: list[Check] = [
    Check(
        "span_matches_text", ERROR,
        "The text of the document at [span_start, span_end) is the record's value_text.",
        f"""SELECT {_OBS}, o.span_start, o.span_end,
               substr(d.text, o.span_start + 1, o.span_end - o.span_start) AS text_at_span
            FROM observation o JOIN source_document d ON d.id = o.document_id
            WHERE o.span_end > char_length(d.text)
               OR substr(d.text, o.span_start + 1, o.span_end - o.span_start)
                  IS DISTINCT FROM o.value_text
            ORDER BY o.document_id, o.id""",
    ),
    Check(
        "unit_fits_metric", ERROR,
        "A level or change is in a unit of its metric's canonical unit's dimension (money, "
        "area, …; production_capacity may also be tonne, m3 or count; people may be counted: "
        "岗位5万余个); a growth or share is a ratio (percent, percentage_point). Metric "
        "other fits any unit.",
        f"""SELECT {_OBS}, m.canonical_unit, cu.dimension AS metric_dimension,
               ou.dimension AS record_dimension
            FROM observation o JOIN source_document d ON d.id = o.document_id
            JOIN metric m ON m.code = o.metric_code
            JOIN unit ou ON ou.code = o.unit_code
            LEFT JOIN unit cu ON cu.code = m.canonical_unit
            WHERE m.canonical_unit IS NOT NULL AND NOT (
                CASE WHEN o.measure IN ('growth', 'share') THEN ou.dimension = 'ratio'
                     ELSE ou.dimension = cu.dimension OR {_UNIT_EXTRA} OR {_DIM_EXTRA}
                END)
            ORDER BY o.document_id, o.id""",
    ),
    Check(
        "share_at_most_100_percent", WARNING,
        "A share (占…的 X%) cannot exceed 100 %.",
        f"""SELECT {_OBS} FROM observation o JOIN source_document d ON d.id = o.document_id
            WHERE o.measure = 'share' AND o.unit_code = 'percent'
              AND COALESCE(o.value, o.value_high) > 100
            ORDER BY o.document_id, o.id""",
    ),
    Check(
        "growth_within_1000_percent", WARNING,
        "A growth rate above 1000 % (more than elevenfold) is most likely a misreading.",
        f"""SELECT {_OBS} FROM observation o JOIN source_document d ON d.id = o.document_id
            WHERE o.measure = 'growth' AND o.unit_code = 'percent'
              AND abs(COALESCE(o.value, o.value_high)) > 1000
            ORDER BY o.document_id, o.id""",
    ),
    Check(
        "level_within_metric_bounds", WARNING,
        "Levels of some metrics have a plausible range in their canonical unit (employment "
        "at least 10 persons, planned area 0.01 to 20000 km2, GDP at least 1 million CNY, "
        "…; etl/serve/checks.py LEVEL_BOUNDS).",
        f"""SELECT {_OBS}, b.low AS plausible_low, b.high AS plausible_high
            FROM observation o JOIN source_document d ON d.id = o.document_id
            JOIN metric m ON m.code = o.metric_code
            JOIN (VALUES {_BOUNDS}) AS b(metric_code, low, high)
              ON b.metric_code = o.metric_code
            WHERE o.measure = 'level' AND o.unit_code = m.canonical_unit
              AND (COALESCE(o.value, o.value_low) < b.low
                   OR COALESCE(o.value, o.value_high) > b.high)
            ORDER BY o.document_id, o.id""",
    ),
    Check(
        "level_near_metric_scale", WARNING,
        "A level more than 10,000 times above or below the median of its metric and unit "
        "(at least 5 levels of that metric and unit) is far off the metric's usual scale.",
        f"""WITH v AS (
                SELECT o.*, COALESCE(o.value, (o.value_low + o.value_high) / 2) AS point
                FROM observation o WHERE o.measure = 'level' AND o.metric_code <> 'other'
            ), med AS (
                SELECT metric_code, unit_code, count(*) AS n,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY point) AS median
                FROM v WHERE point > 0 GROUP BY metric_code, unit_code HAVING count(*) >= 5
            )
            SELECT {_OBS}, med.median::numeric AS metric_median, med.n AS metric_levels
            FROM v o JOIN med USING (metric_code, unit_code)
            JOIN source_document d ON d.id = o.document_id
            WHERE o.point > 0 AND (o.point > med.median * 1e4 OR o.point < med.median / 1e4)
            ORDER BY o.document_id, o.id""",
    ),
    Check(
        "provisional_entities", WARNING,
        "Regions, parks, clusters and companies the loader created from names it had not "
        "seen, awaiting a curator's review: `parkstat entities --provisional` lists them, "
        "`parkstat alias add NAME CANONICAL` merges one into an existing entity.",
        """SELECT kind, id, name, (SELECT count(*) FROM observation o
                   WHERE CASE kind WHEN 'region' THEN o.region_id WHEN 'park' THEN o.park_id
                         WHEN 'cluster' THEN o.cluster_id ELSE o.company_id END = e.id
               ) AS observations
            FROM (SELECT 'region' AS kind, id, name FROM region WHERE provisional
                  UNION ALL SELECT 'park', id, name FROM park WHERE provisional
                  UNION ALL SELECT 'cluster', id, name FROM cluster WHERE provisional
                  UNION ALL SELECT 'company', id, name FROM company WHERE provisional) e
            ORDER BY observations DESC, kind, id""",
    ),
    Check(
        "documents_with_records", WARNING,
        "Every loaded document yielded at least one record.",
        """SELECT d.id AS document_id, d.name AS document, d.title, d.size,
               (SELECT count(*) FROM rejected_record q WHERE q.document_id = d.id)
                   AS quarantined
            FROM source_document d
            WHERE NOT EXISTS (SELECT 1 FROM observation o WHERE o.document_id = d.id)
            ORDER BY d.name""",
    ),
    Check(
        "no_quarantined_records", WARNING,
        "Records that failed validation and were quarantined (rejected_record).",
        """SELECT q.document_id, d.name AS document, q.id AS rejected_id,
               q.raw ->> 'value_text' AS value_text, q.reason
            FROM rejected_record q JOIN source_document d ON d.id = q.document_id
            ORDER BY q.document_id, q.id""",
    ),
]


@dataclass
class CheckResult:
    name: str
    severity: str
    description: str
    failing: int
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.failing == 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}


@dataclass
class CheckReport:
    results: list[CheckResult]

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.severity == ERROR and not r.passed]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if r.severity == WARNING and not r.passed]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "checks": [r.as_dict() for r in self.results],
        }


def _jsonable(v: Any) -> Any:
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() and abs(v) < 2**53 else float(v)
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return v


def select_checks(names: list[str] | None = None) -> list[Check]:
    """The checks named (all when none are); ValueError names the unknown ones. Apart
    from `run_checks`, so that the CLI refuses a wrong --only before connecting."""
    unknown = set(names or ()) - {c.name for c in CHECKS}
    if unknown:
        raise ValueError(f"unknown check(s): {', '.join(sorted(unknown))}")
    return list(CHECKS) if not names else [c for c in CHECKS if c.name in names]


def run_checks(conn: psycopg.Connection, names: list[str] | None = None,
               examples: int = 5) -> CheckReport:
    """Run the checks (all, or those named) in one read-only transaction (a read-only
    savepoint when `conn` is already in a transaction, which then stays read-only)."""
    chosen = select_checks(names)
    results = []
    with conn.transaction():
        conn.execute("SET TRANSACTION READ ONLY")
        for check in chosen:
            row = conn.execute(f"SELECT count(*) FROM ({check.sql}) AS failing").fetchone()
            failing = int(row[0]) if row else 0
            shown: list[dict[str, Any]] = []
            if failing and examples > 0:
                cur = conn.execute(f"SELECT * FROM ({check.sql}) AS failing LIMIT {int(examples)}")
                cols = [c.name for c in cur.description or ()]
                shown = [{k: _jsonable(v) for k, v in zip(cols, r, strict=True)} for r in cur]
            results.append(CheckResult(check.name, check.severity, check.description,
                                       failing, shown))
    return CheckReport(results)


def _short(v: Any, width: int = 40) -> str:
    s = "NULL" if v is None else str(v)
    s = s.replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def format_report(report: CheckReport) -> str:
    lines = []
    for r in report.results:
        mark = "ok  " if r.passed else ("FAIL" if r.severity == ERROR else "warn")
        lines.append(f"{mark} {r.name} ({r.severity}): "
                     + ("no rows" if r.passed else f"{r.failing} rows"))
        if not r.passed:
            lines.append(f"     {r.description}")
            for ex in r.examples:
                lines.append("     - " + ", ".join(f"{k}={_short(v)}" for k, v in ex.items()))
            if r.failing > len(r.examples):
                lines.append(f"     … and {r.failing - len(r.examples)} more")
    lines.append(f"{len(report.errors)} error check(s) failed, "
                 f"{len(report.warnings)} warning check(s) failed, "
                 f"{sum(r.passed for r in report.results)} passed")
    return "\n".join(lines)
