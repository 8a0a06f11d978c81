"""Provenance and facts: documents, load runs, observations and quarantined records.

`observation` and `rejected_record` are keyed by (document_id, id) and only ever point
outwards (to dimensions and the document), never the other way round: a document's facts
can be replaced as a unit, and the tables can later be distributed by document_id.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

QUALIFIERS = ("exact", "approx", "more_than", "less_than", "range")
MEASURES = ("level", "growth", "change", "share")
STATUSES = ("actual", "target", "estimate")
RUN_STATUSES = ("running", "succeeded", "partial", "failed", "aborted")


# Written with immutable operators only, so that it can be indexed (revision 0011),
# as PostgreSQL prints it back (alembic compares the text).
SERIES_KEY = (
    "((((((((((((((((((metric_code || '|'::text) || measure) || '|'::text) || status)"
    " || '|'::text) || unit_code) || '|'::text) || COALESCE(region_id::text, ''::text))"
    " || '|'::text) || COALESCE(park_id::text, ''::text)) || '|'::text)"
    " || COALESCE(cluster_id::text, ''::text)) || '|'::text)"
    " || COALESCE(company_id::text, ''::text)) || '|'::text)"
    " || COALESCE(year::text, ''::text)) || '|'::text) || COALESCE(period, ''::text))")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LoadRun(Base):
    """One `parkstat load`: what it did, so a run can be audited after the fact."""

    __tablename__ = "load_run"
    __table_args__ = (CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=sql("now()")
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(Text, server_default=sql("'running'"))
    documents_new: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    documents_changed: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    documents_skipped: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    documents_failed: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    records_loaded: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    records_quarantined: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    extractor_version: Mapped[str] = mapped_column(Text)
    parkstat_version: Mapped[str] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)


class SourceDocument(Base):
    """A report as loaded: its bytes' hash decides whether a re-run must re-extract it,
    and its decoded text lets any observation's span be shown in context. Identified by
    (source, path_in_source) since revision 0008 (etl/inputs/identity.py); a document loaded
    before has no source until a load meets its file again."""

    __tablename__ = "source_document"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    source: Mapped[str | None] = mapped_column(Text)
    path_in_source: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    encoding: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    stated_date: Mapped[date | None] = mapped_column(Date)
    extractor_version: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    load_run_id: Mapped[int] = mapped_column(ForeignKey("load_run.id"), index=True)
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=sql("now()")
    )

    __table_args__ = (
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        CheckConstraint("(source IS NULL) = (path_in_source IS NULL)", name="identity"),
        UniqueConstraint("source", "path_in_source"),
        Index("uq_source_document_legacy_name", "name", unique=True,
              postgresql_where=sql("source IS NULL")),
    )


class Observation(Base):
    """One record of RECORDS.md. No natural-key uniqueness on purpose: a target and an
    actual for the same year, or a figure stated twice, are all legitimate rows."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint(
            "(qualifier = 'range' AND value IS NULL"
            " AND value_low IS NOT NULL AND value_high IS NOT NULL)"
            " OR (qualifier <> 'range' AND value IS NOT NULL"
            " AND value_low IS NULL AND value_high IS NULL)",
            name="range_iff_no_value",
        ),
        CheckConstraint("value_low <= value_high", name="low_le_high"),
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
        CheckConstraint("year BETWEEN 1949 AND 2100", name="year"),
        CheckConstraint(_one_of("qualifier", QUALIFIERS), name="qualifier"),
        CheckConstraint(_one_of("measure", MEASURES), name="measure"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        Index("ix_observation_metric_year", "metric_code", "year"),
        # The series key (bi.series_value.series_key), by which series_summary's triggers
        # and bi.observation.series_key find a series' statements (revision 0011).
        Index("ix_observation_series_key", sql(SERIES_KEY)),
        Index("ix_observation_open_ended", "metric_code",
              postgresql_where=sql("qualifier IN ('more_than', 'less_than', 'range')")),
        Index("ix_observation_plan_period", "metric_code",
              postgresql_where=sql(r"period ~ '^\d{4}/\d{4}$'")),
    )

    # Declared foreign keys (revision 0011 put them back in place of 0007's triggers).
    # Revision 0011 also keeps public.series_summary and observation_tally by triggers.
    document_id: Mapped[int] = mapped_column(
        ForeignKey("source_document.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    load_run_id: Mapped[int] = mapped_column(ForeignKey("load_run.id"))
    metric_code: Mapped[str] = mapped_column(ForeignKey("metric.code"))
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    park_id: Mapped[int | None] = mapped_column(ForeignKey("park.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric)
    value_low: Mapped[Decimal | None] = mapped_column(Numeric)
    value_high: Mapped[Decimal | None] = mapped_column(Numeric)
    qualifier: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    period: Mapped[str | None] = mapped_column(Text)
    period_text: Mapped[str | None] = mapped_column(Text)
    metric_text: Mapped[str | None] = mapped_column(Text)
    value_text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # Revision 0012: corrections (etl/store/corrections.py) applied over the extractor's output.
    reviewed: Mapped[bool] = mapped_column(Boolean, server_default=sql("false"))
    corrected_fields: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default=sql("'{}'::text[]"))
    correction_id: Mapped[int | None] = mapped_column(BigInteger)


class RejectedRecord(Base):
    """Quarantine: a record that failed validation, whole, with pydantic's error JSON."""

    __tablename__ = "rejected_record"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("source_document.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    load_run_id: Mapped[int] = mapped_column(ForeignKey("load_run.id"), index=True)
    raw: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[Any] = mapped_column(JSONB)


CORRECTION_KINDS = ("change", "confirm", "reject", "add")
CORRECTION_STATES = ("applied", "orphaned")
USER_ROLES = ("reviewer", "viewer")


class Correction(Base):
    """A person's correction of a document's figures (etl/store/corrections.py): applied over
    the extractor's output on every load, so re-extraction never loses it."""

    __tablename__ = "correction"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CORRECTION_KINDS), name="kind"),
        CheckConstraint(_one_of("state", CORRECTION_STATES), name="state"),
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_document.id", ondelete="SET NULL"), index=True)
    document_name: Mapped[str] = mapped_column(Text)
    document_sha256: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    context_before: Mapped[str] = mapped_column(Text)
    context_after: Mapped[str] = mapped_column(Text)
    span_rank: Mapped[int] = mapped_column(Integer, server_default=sql("0"))
    target_correction_id: Mapped[int | None] = mapped_column(
        ForeignKey("correction.id", ondelete="CASCADE"))
    field: Mapped[str | None] = mapped_column(Text)
    value_before: Mapped[str | None] = mapped_column(Text)
    value_after: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=sql("now()"))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text, server_default=sql("'applied'"))
    orphan_reason: Mapped[str | None] = mapped_column(Text)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AppUser(Base):
    """An account of `parkstat serve` beyond localhost: a reviewer or a viewer."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_one_of("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=sql("now()"))
class SeriesSummary(Base):
    """One row per series of observation (revision 0011): what bi.series_value shows,
    kept up to date by statement-level triggers on observation for the series each
    statement touched, so that no query aggregates every observation."""

    __tablename__ = "series_summary"
    __table_args__ = (
        Index("ix_series_summary_disagrees", sql("spread_pct DESC"), sql("statements DESC"),
              postgresql_where=sql("disagrees")),
        Index("ix_series_summary_metric", "metric_code", "measure", "status"),
        Index("ix_series_summary_park", "metric_code", "park_id",
              postgresql_where=sql("park_id IS NOT NULL")),
        Index("ix_series_summary_cluster", "cluster_id",
              postgresql_where=sql("cluster_id IS NOT NULL")),
    )

    series_key: Mapped[str] = mapped_column(Text, primary_key=True)
    metric_code: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(BigInteger)
    park_id: Mapped[int | None] = mapped_column(BigInteger)
    cluster_id: Mapped[int | None] = mapped_column(BigInteger)
    company_id: Mapped[int | None] = mapped_column(BigInteger)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    period: Mapped[str | None] = mapped_column(Text)
    statements: Mapped[int] = mapped_column(BigInteger)
    documents: Mapped[int] = mapped_column(BigInteger)
    min_value: Mapped[Decimal | None] = mapped_column(Numeric)
    max_value: Mapped[Decimal | None] = mapped_column(Numeric)
    median_value: Mapped[Decimal | None] = mapped_column(Numeric)
    latest_document_value: Mapped[Decimal | None] = mapped_column(Numeric)
    latest_document_date: Mapped[date | None] = mapped_column(Date)
    latest_document_name: Mapped[str | None] = mapped_column(Text)
    spread_pct: Mapped[Decimal | None] = mapped_column(Numeric)
    disagrees: Mapped[bool | None] = mapped_column(Boolean)


class ObservationTally(Base):
    """Records per metric, region, park and cluster and status (revision 0011), kept by
    the same triggers: counts without reading every record (bi.record_count)."""

    __tablename__ = "observation_tally"
    __table_args__ = (
        CheckConstraint("dimension IN ('metric', 'region', 'park', 'cluster')",
                        name="dimension"),
    )

    dimension: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    status: Mapped[str] = mapped_column(Text, primary_key=True)
    records: Mapped[int] = mapped_column(BigInteger)
