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
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

QUALIFIERS = ("exact", "approx", "more_than", "less_than", "range")
MEASURES = ("level", "growth", "change", "share")
STATUSES = ("actual", "target", "estimate")
RUN_STATUSES = ("running", "succeeded", "partial", "failed", "aborted")


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
    (source, path_in_source) since revision 0008 (etl/identity.py); a document loaded
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
    )

    # References (document, run, catalogues, entities) are checked by statement-level
    # triggers, not foreign keys: revision 0007 says why and what they guarantee.
    document_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    load_run_id: Mapped[int] = mapped_column(BigInteger)
    metric_code: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    park_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    cluster_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    company_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
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
