"""What is in the database, in the words a first-time user needs: which documents, how
many records of each metric, and what was quarantined and why."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from etl.store.db import Database, make_engine
from models import Metric, Observation, RejectedRecord, SourceDocument


@dataclass(frozen=True)
class DocumentRow:
    name: str
    title: str | None
    records: int
    quarantined: int


@dataclass(frozen=True)
class Overview:
    documents: list[DocumentRow]
    by_metric: list[tuple[str, str, int]]
    quarantined: list[tuple[str, str, str]]


def _first_error(reason: object) -> str:
    """pydantic's error list boiled down to its first message, for a one-line listing."""
    if isinstance(reason, list) and reason and isinstance(reason[0], dict):
        err = reason[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        return f"{loc}: {err.get('msg', '')}" if loc else str(err.get("msg", ""))
    return json.dumps(reason, ensure_ascii=False)


def overview(database: Database) -> Overview:
    """What `parkstat demo` shows of the database. Takes the `Database`, not a session:
    it reads through SQLAlchemy's ORM, on an engine of its own."""
    engine = make_engine(database)
    try:
        with Session(engine) as s:
            obs = (select(Observation.document_id, func.count().label("n"))
                   .group_by(Observation.document_id).subquery())
            rej = (select(RejectedRecord.document_id, func.count().label("n"))
                   .group_by(RejectedRecord.document_id).subquery())
            docs = [
                DocumentRow(name, title, int(n_obs or 0), int(n_rej or 0))
                for name, title, n_obs, n_rej in s.execute(
                    select(SourceDocument.name, SourceDocument.title, obs.c.n, rej.c.n)
                    .outerjoin(obs, obs.c.document_id == SourceDocument.id)
                    .outerjoin(rej, rej.c.document_id == SourceDocument.id)
                    .order_by(SourceDocument.name)
                )
            ]
            by_metric = [
                (code, name_zh, int(n))
                for code, name_zh, n in s.execute(
                    select(Metric.code, Metric.name_zh, func.count())
                    .join(Observation, Observation.metric_code == Metric.code)
                    .group_by(Metric.code, Metric.name_zh)
                    .order_by(func.count().desc(), Metric.code)
                )
            ]
            quarantined = [
                (doc, str(raw.get("value_text", "")) if isinstance(raw, dict) else "",
                 _first_error(reason))
                for doc, raw, reason in s.execute(
                    select(SourceDocument.name, RejectedRecord.raw, RejectedRecord.reason)
                    .join(SourceDocument, SourceDocument.id == RejectedRecord.document_id)
                    .order_by(SourceDocument.name, RejectedRecord.id)
                )
            ]
    finally:
        engine.dispose()
    return Overview(documents=docs, by_metric=by_metric, quarantined=quarantined)


SHOWN = 20  # documents (and quarantined records) listed; the rest are counted


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: 2 for wide characters (南阳高新区, full-width
    ２３．５), 1 for others, 0 for combining marks."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (str.ljust counts characters, so
    a column of Chinese names would drift right of a column of ASCII ones)."""
    return text + " " * max(0, width - display_width(text))


def _more(total: int) -> list[str]:
    return [f"  … and {total - SHOWN} more"] if total > SHOWN else []


def format_overview(o: Overview) -> str:
    lines = [f"Documents ({len(o.documents)}):"]
    shown = o.documents[:SHOWN]
    name_w = max((display_width(d.name) for d in shown), default=0)
    for d in shown:
        title = f"  {d.title}" if d.title else ""
        lines.append(f"  {pad(d.name + ':', name_w + 1)} {d.records:>5} records, "
                     f"{d.quarantined} quarantined{title}")
    lines += _more(len(o.documents))
    lines.append(f"Records by metric ({sum(n for _, _, n in o.by_metric)}):")
    code_w = max((display_width(c) for c, _, _ in o.by_metric), default=0)
    zh_w = max((display_width(z) for _, z, _ in o.by_metric), default=0)
    lines += [f"  {pad(code, code_w)}  {pad(name, zh_w)}  {n:>5}"
              for code, name, n in o.by_metric]
    if o.quarantined:  # no empty heading when nothing was quarantined
        lines.append(f"Quarantined ({len(o.quarantined)}):")
        lines += [f"  {doc}: {value!r}: {why}" for doc, value, why in o.quarantined[:SHOWN]]
        lines += _more(len(o.quarantined))
    return "\n".join(lines)
