"""Corrections as data: people's fixes of extracted figures, kept in `correction` and
applied over the extractor's output on every load, so that re-extraction (a new extractor
version, a changed file, `parkstat load --reextract`) never loses one.

A correction names its document (id, and the name and sha256 it had), the span and the
text at it (`quote`), 30 characters of context either side, and which of the extractor's
records on that span it concerns (`span_rank`: 0 for the first in document order). Kinds:

- `change`: one field of the record set to `value_after` (RECORDS.md field names; names
  of entities are resolved like the loader's, codes of catalogues must exist);
- `confirm`: the record is right as it stands;
- `reject`: not a figure — the record is removed;
- `add`: a figure the extractor missed, `value_after` the record as JSON.

`apply_corrections(conn, document_ids)` runs in the loader's transaction after each batch
is written (etl/store/load.py), and after every correction made by `parkstat correct` or the web
page. Corrections are replayed in `id` order, so each finds the document in the state it
was in when the correction was made. The quote is looked for where it was, then anywhere
in the text with the best-matching context; a correction whose quote is gone, or whose
record is no longer produced, is marked `orphaned` with the reason — listed, never
dropped. A replayed correction that the database refuses (a check constraint) is
orphaned too, and the rest of the load goes on.

`observation.reviewed` marks records a person confirmed or corrected;
`observation.corrected_fields` the fields whose reviewed value differs from the
extractor's — the basis of `accuracy()`: how often the extractor was right, per field,
on reviewed records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from etl.extract.record import RECORD_FIELDS as ALL_RECORD_FIELDS
from etl.store.entities import ENTITY_KINDS, clean_name

KINDS = ("change", "confirm", "reject", "add")
CONTEXT = 30  # characters of context kept either side of a quote

# RECORDS.md field → observation column (entities: their *_id, resolved from a name).
FIELD_COLUMNS: dict[str, str] = {
    "metric": "metric_code", "unit": "unit_code", "measure": "measure", "status": "status",
    "qualifier": "qualifier", "value": "value", "value_low": "value_low",
    "value_high": "value_high", "year": "year", "period": "period",
    "period_text": "period_text", "metric_text": "metric_text",
    "region": "region_id", "park": "park_id", "cluster": "cluster_id",
    "company": "company_id",
}
FIELDS = tuple(FIELD_COLUMNS)
ENUMS = {
    "measure": ("level", "growth", "change", "share"),
    "status": ("actual", "target", "estimate"),
    "qualifier": ("exact", "approx", "more_than", "less_than", "range"),
}
# Fields whose accuracy is measured (RECORDS.md, *Scoring*), in that order.
SCORED_FIELDS = ("metric", "measure", "year", "status", "qualifier", "region", "park",
                 "cluster", "company", "value", "unit")


class CorrectionError(ValueError):
    """A correction that cannot be made: bad field or value, no such record or document."""


# --- what a record's fields are, as text ---------------------------------------------------

RECORD_SQL = """
SELECT o.document_id, o.id, o.seq, o.metric_code AS metric, o.unit_code AS unit,
    o.value, o.value_low, o.value_high, o.qualifier, o.measure, o.status, o.year,
    o.period, o.period_text, o.metric_text, o.value_text, o.span_start, o.span_end,
    o.quote, r.name AS region, p.name AS park, c.name AS cluster, co.name AS company,
    o.reviewed, o.corrected_fields, o.correction_id, o.evidence
FROM observation o
LEFT JOIN region r ON r.id = o.region_id
LEFT JOIN park p ON p.id = o.park_id
LEFT JOIN cluster c ON c.id = o.cluster_id
LEFT JOIN company co ON co.id = o.company_id"""


def text_value(v: Any) -> str | None:
    """A field's value as a correction stores it."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else str(v)
    return str(v)


def record(conn: psycopg.Connection, document_id: int, observation_id: int
           ) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(RECORD_SQL + " WHERE o.document_id = %s AND o.id = %s",
                           (document_id, observation_id)).fetchone()


# --- values ------------------------------------------------------------------------------


def _check_value(cur: psycopg.Cursor[Any], fld: str, value: str | None) -> Any:
    """The column value a field's text stands for (entity names: their id, created as a
    provisional entity when unknown). Raises CorrectionError."""
    if fld not in FIELD_COLUMNS:
        raise CorrectionError(f"unknown field {fld!r}; one of: {', '.join(FIELDS)}")
    value = None if value is None or not value.strip() else value.strip()
    if fld in ("metric", "unit", "measure", "status", "qualifier") and value is None:
        raise CorrectionError(f"{fld} cannot be empty")
    if value is None:
        return None
    if fld == "metric" or fld == "unit":
        table = sql.Identifier("metric" if fld == "metric" else "unit")
        if cur.execute(sql.SQL("SELECT 1 FROM {} WHERE code = %s").format(table),
                       (value,)).fetchone() is None:
            raise CorrectionError(f"no {fld} has the code {value!r}")
        return value
    if fld in ENUMS:
        if value not in ENUMS[fld]:
            raise CorrectionError(f"{fld} must be one of {', '.join(ENUMS[fld])}, "
                                  f"not {value!r}")
        return value
    if fld in ("value", "value_low", "value_high"):
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise CorrectionError(f"{fld} must be a number, not {value!r}") from None
        if not number.is_finite():
            raise CorrectionError(f"{fld} must be a finite number")
        return number
    if fld == "year":
        if not re.fullmatch(r"\d{4}", value) or not 1949 <= int(value) <= 2100:
            raise CorrectionError(f"year must be between 1949 and 2100, not {value!r}")
        return int(value)
    if fld in ENTITY_KINDS:
        return resolve_entity(cur, fld, value)
    return value


def resolve_entity(cur: psycopg.Cursor[Any], kind: str, name: str) -> int:
    """The entity a reviewer's name designates: a region's GB/T 2260 code, an alias, a
    name; else a new provisional entity (with its alias), as the loader would make."""
    cleaned = clean_name(name)
    if not cleaned:
        raise CorrectionError(f"{kind} name is empty")
    if kind == "region" and cleaned.isdigit():
        row = cur.execute("SELECT id FROM region WHERE code = %s", (cleaned,)).fetchone()
        if row:
            return int(row[0])
    row = cur.execute("SELECT entity_id FROM entity_alias WHERE kind = %s AND alias = %s",
                      (kind, cleaned)).fetchone()
    if row:
        return int(row[0])
    table = sql.Identifier(kind)
    rows = cur.execute(sql.SQL("SELECT id FROM {} WHERE name = %s ORDER BY id").format(table),
                       (cleaned,)).fetchall()
    if rows:
        return int(rows[0][0])
    row = cur.execute(sql.SQL("INSERT INTO {} (name, provisional) VALUES (%s, true)"
                              " RETURNING id").format(table), (cleaned,)).fetchone()
    assert row is not None
    cur.execute(sql.SQL("INSERT INTO entity_alias (kind, alias, {}, origin)"
                        " VALUES (%s, %s, %s, 'loader')").format(sql.Identifier(f"{kind}_id")),
                (kind, cleaned, row[0]))
    return int(row[0])


# --- finding a quote again ----------------------------------------------------------------


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def locate(text: str, start: int, quote: str, before: str, after: str) -> int | None:
    """Where `quote` stands now: the occurrence whose context best matches (at least
    10 characters of it, or all when there is less), the old place on a tie; None when
    the quote is gone or no occurrence is backed by its context."""
    need = min(10, len(before) + len(after))
    best: tuple[int, int, int] | None = None  # (score, -distance, position)
    i = text.find(quote)
    while i >= 0:
        score = (_common_suffix(text[max(0, i - len(before)):i], before)
                 + _common_prefix(text[i + len(quote):i + len(quote) + len(after)], after))
        key = (score, -abs(i - start), i)
        if best is None or key > best:
            best = key
        i = text.find(quote, i + 1)
    if best is None or best[0] < need:
        return None
    return best[2]


# --- applying ----------------------------------------------------------------------------

CORRECTION_COLUMNS = """id, document_id, document_name, document_sha256, kind, span_start,
    span_end, quote, context_before, context_after, span_rank, target_correction_id, field,
    value_before, value_after, author, created_at, note, state, orphan_reason, applied_at"""


def apply_corrections(conn: psycopg.Connection, document_ids: Sequence[int]) -> int:
    """Apply every correction of these documents over their current observations (the
    extractor's, just written), in the caller's transaction; returns how many were
    applied. One query when there are none."""
    if not document_ids:
        return 0
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(f"SELECT {CORRECTION_COLUMNS} FROM correction"
                           " WHERE document_id = ANY(%s) ORDER BY id",
                           (list(document_ids),)).fetchall()
        if not rows:
            return 0
        texts = {int(r["id"]): r["text"] for r in cur.execute(
            "SELECT id, text FROM source_document WHERE id = ANY(%s)",
            (sorted({r["document_id"] for r in rows}),))}
    applied = 0
    with conn.cursor() as cur:
        for c in rows:
            if _apply_one(conn, cur, c, texts[int(c["document_id"])]):
                applied += 1
    return applied


def _orphan(cur: psycopg.Cursor[Any], cid: int, reason: str) -> bool:
    cur.execute("UPDATE correction SET state = 'orphaned', orphan_reason = %s,"
                " applied_at = now() WHERE id = %s", (reason, cid))
    return False


def _apply_one(conn: psycopg.Connection, cur: psycopg.Cursor[Any], c: dict[str, Any],
               text: str) -> bool:
    cid, doc = int(c["id"]), int(c["document_id"])
    start = locate(text, int(c["span_start"]), c["quote"], c["context_before"],
                   c["context_after"])
    if start is None:
        return _orphan(cur, cid, "the quote no longer stands in the document")
    end = start + len(c["quote"])
    try:
        with conn.transaction():  # a savepoint: a refused correction fails alone
            reason = _apply_at(cur, c, doc, start, end)
    except psycopg.Error as e:  # a check constraint, a value out of range: this one only
        reason = f"refused by the database: {e.diag.message_primary or e}"
    except CorrectionError as e:
        reason = str(e)
    if reason is not None:
        return _orphan(cur, cid, reason)
    cur.execute("UPDATE correction SET state = 'applied', orphan_reason = NULL,"
                " applied_at = now(), span_start = %s, span_end = %s WHERE id = %s",
                (start, end, cid))
    return True


def _target(cur: psycopg.Cursor[Any], c: dict[str, Any], doc: int, start: int, end: int
            ) -> int | None:
    if c["target_correction_id"] is not None:
        row = cur.execute("SELECT id FROM observation WHERE document_id = %s"
                          " AND correction_id = %s", (doc, c["target_correction_id"])
                          ).fetchone()
    else:
        row = cur.execute(
            "SELECT id FROM observation WHERE document_id = %s AND span_start = %s"
            " AND span_end = %s AND correction_id IS NULL ORDER BY seq, id OFFSET %s LIMIT 1",
            (doc, start, end, int(c["span_rank"]))).fetchone()
    return None if row is None else int(row[0])


def _apply_at(cur: psycopg.Cursor[Any], c: dict[str, Any], doc: int, start: int, end: int
              ) -> str | None:
    """Apply one correction at its (re)located span; the reason when it cannot be."""
    kind = c["kind"]
    if kind == "add":
        _add_record(cur, c, doc, start, end)
        return None
    obs = _target(cur, c, doc, start, end)
    if obs is None:
        return "no record stands at this span now"
    if kind == "confirm":
        cur.execute("UPDATE observation SET reviewed = true WHERE document_id = %s AND id = %s",
                    (doc, obs))
    elif kind == "reject":
        cur.execute("DELETE FROM observation WHERE document_id = %s AND id = %s", (doc, obs))
    else:
        fld = c["field"]
        column = FIELD_COLUMNS.get(fld or "")
        if column is None:
            return f"unknown field {fld!r}"
        new = _check_value(cur, fld, c["value_after"])
        col = sql.Identifier(column)
        cur.execute(sql.SQL(
            """UPDATE observation SET {col} = %(new)s, reviewed = true,
                corrected_fields = CASE
                    WHEN {col} IS NOT DISTINCT FROM %(new)s OR %(f)s = ANY(corrected_fields)
                    THEN corrected_fields ELSE corrected_fields || %(f)s::text END
                WHERE document_id = %(doc)s AND id = %(obs)s""").format(col=col),
            {"new": new, "f": fld, "doc": doc, "obs": obs})
    return None


def _add_record(cur: psycopg.Cursor[Any], c: dict[str, Any], doc: int, start: int, end: int
                ) -> None:
    try:
        rec = json.loads(c["value_after"] or "{}")
    except ValueError as e:
        raise CorrectionError(f"the added record is not JSON: {e}") from None
    values = {fld: _check_value(cur, fld, text_value(rec.get(fld)))
              for fld in FIELDS if rec.get(fld) not in (None, "")}
    for fld in ("metric", "unit"):
        if fld not in values:
            raise CorrectionError(f"an added record needs a {fld}")
    values.setdefault("measure", "level")
    values.setdefault("status", "actual")
    values.setdefault("qualifier", "range" if "value" not in values else "exact")
    cur.execute("DELETE FROM observation WHERE document_id = %s AND correction_id = %s",
                (doc, c["id"]))
    seq_row = cur.execute("SELECT coalesce(max(seq), -1) + 1 FROM observation"
                          " WHERE document_id = %s", (doc,)).fetchone()
    run_row = cur.execute("SELECT load_run_id FROM source_document WHERE id = %s",
                          (doc,)).fetchone()
    assert seq_row is not None and run_row is not None
    columns = sql.SQL(", ").join(sql.Identifier(FIELD_COLUMNS[f]) for f in values)
    cur.execute(
        sql.SQL("""INSERT INTO observation (document_id, load_run_id, seq, value_text,
              span_start, span_end, quote, reviewed, correction_id, {columns})
            VALUES (%s, %s, %s, %s, %s, %s, %s, true, %s, {values})""").format(
            columns=columns, values=sql.SQL(", ").join(sql.Placeholder() for _ in values)),
        (doc, run_row[0], seq_row[0], c["quote"], start, end,
         rec.get("quote") or c["context_before"][-12:] + c["quote"] + c["context_after"][:12],
         c["id"], *values.values()))


# --- making corrections ------------------------------------------------------------------


@dataclass
class Made:
    ids: list[int]
    state: str = "applied"


def _document(cur: psycopg.Cursor[Any], document: int | str) -> tuple[int, str, str, str]:
    if isinstance(document, int) or str(document).isdigit():
        row = cur.execute("SELECT id, name, sha256, text FROM source_document WHERE id = %s",
                          (int(document),)).fetchone()
    else:
        row = None
    if row is None:
        row = cur.execute("SELECT id, name, sha256, text FROM source_document WHERE name = %s",
                          (str(document),)).fetchone()
    if row is None:
        raise CorrectionError(f"no document {document!r} (by id or name)")
    return int(row[0]), row[1], row[2], row[3]


def correct(conn: psycopg.Connection, document: int | str, *, author: str,
            kind: str, start: int | None = None, observation_id: int | None = None,
            changes: dict[str, str | None] | None = None, note: str | None = None,
            end: int | None = None, added: dict[str, Any] | None = None,
            lock_wait: float = 5) -> Made:
    """Make corrections and apply them at once, in one transaction: on the record
    `observation_id` (or the first record starting at `start`) a `change` of each field
    in `changes`, or a `confirm` / `reject`; or an `add` of the figure at
    [start, end) with the fields in `added`. Waits up to `lock_wait` seconds for a running
    load. Raises CorrectionError, leaving nothing."""
    if kind not in KINDS:
        raise CorrectionError(f"kind must be one of {', '.join(KINDS)}")
    from etl.store.lock import take_load_lock

    with conn.transaction(), conn.cursor() as cur:
        # The load lock, for this transaction: a load replacing this document's records
        # meanwhile would replay the corrections it saw at its start, not this one.
        if not take_load_lock(conn, lock_wait):
            raise CorrectionError("a parkstat load is running; try again when it ends")
        doc, name, sha, text = _document(cur, document)
        if kind == "add":
            if start is None or end is None or not 0 <= start < end <= len(text):
                raise CorrectionError("an added figure needs a span within the text")
            rec = dict(added or {})
            made = [_insert(cur, doc, name, sha, text, "add", start, end, 0, None, None, None,
                            json.dumps(rec, ensure_ascii=False, default=str), author, note)]
        else:
            rec = _find_record(conn, doc, start, observation_id)
            s, e = int(rec["span_start"]), int(rec["span_end"])
            target = None
            if rec["correction_id"] is not None:
                target, rank = int(rec["correction_id"]), 0
            else:
                row = cur.execute(
                    "SELECT count(*) FROM observation WHERE document_id = %s AND span_start = %s"
                    " AND span_end = %s AND correction_id IS NULL AND (seq, id) < (%s, %s)",
                    (doc, s, e, rec["seq"], rec["id"])).fetchone()
                rank = int(row[0]) if row else 0
            if kind == "change":
                if not changes:
                    raise CorrectionError("a change needs FIELD=VALUE")
                made = []
                for fld, value in changes.items():
                    if fld not in FIELD_COLUMNS:
                        raise CorrectionError(f"unknown field {fld!r}; one of: "
                                              f"{', '.join(FIELDS)}")
                    before = text_value(rec[fld])
                    after = None if value is None or not str(value).strip() else str(value).strip()
                    if after == before:
                        continue
                    made.append(_insert(cur, doc, name, sha, text, "change", s, e, rank, target,
                                        fld, before, after, author, note))
                if not made:  # nothing differs: the record was right
                    made = [_insert(cur, doc, name, sha, text, "confirm", s, e, rank, target,
                                    None, None, None, author, note)]
            else:
                made = [_insert(cur, doc, name, sha, text, kind, s, e, rank, target, None,
                                None, None, author, note)]
        with conn.cursor(row_factory=dict_row) as dcur:
            rows = dcur.execute(f"SELECT {CORRECTION_COLUMNS} FROM correction"
                                " WHERE id = ANY(%s) ORDER BY id", (made,)).fetchall()
        for c in rows:
            if not _apply_one(conn, cur, c, text):
                reason = cur.execute("SELECT orphan_reason FROM correction WHERE id = %s",
                                     (c["id"],)).fetchone()
                raise CorrectionError(reason[0] if reason else "the correction did not apply")
    return Made(made)


def _find_record(conn: psycopg.Connection, doc: int, start: int | None,
                 observation_id: int | None) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        if observation_id is not None:
            rec = cur.execute(RECORD_SQL + " WHERE o.document_id = %s AND o.id = %s",
                              (doc, observation_id)).fetchone()
        else:
            rec = cur.execute(RECORD_SQL + " WHERE o.document_id = %s AND o.span_start = %s"
                              " ORDER BY o.seq, o.id LIMIT 1", (doc, start)).fetchone()
    if rec is None:
        where = f"record {observation_id}" if observation_id is not None else f"a figure at {start}"
        raise CorrectionError(f"the document has no {where}")
    return rec


def _insert(cur: psycopg.Cursor[Any], doc: int, name: str, sha: str, text: str, kind: str,
            start: int, end: int, rank: int, target: int | None, fld: str | None,
            before: str | None, after: str | None, author: str, note: str | None) -> int:
    row = cur.execute(
        """INSERT INTO correction (document_id, document_name, document_sha256, kind,
             span_start, span_end, quote, context_before, context_after, span_rank,
             target_correction_id, field, value_before, value_after, author, note)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           RETURNING id""",
        (doc, name, sha, kind, start, end, text[start:end], text[max(0, start - CONTEXT):start],
         text[end:end + CONTEXT], rank, target, fld, before, after, author, note)).fetchone()
    assert row is not None
    return int(row[0])


# --- reading -----------------------------------------------------------------------------


@dataclass
class CorrectionInfo:
    id: int
    document_id: int | None
    document_name: str
    kind: str
    span_start: int
    span_end: int
    quote: str
    field: str | None
    value_before: str | None
    value_after: str | None
    author: str
    created_at: str
    note: str | None
    state: str
    orphan_reason: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_corrections(conn: psycopg.Connection, *, document_id: int | None = None,
                     state: str | None = None, limit: int | None = None
                     ) -> list[CorrectionInfo]:
    where: list[sql.Composable] = []
    params: list[Any] = []
    if document_id is not None:
        where.append(sql.SQL("document_id = %s"))
        params.append(document_id)
    if state is not None:
        where.append(sql.SQL("state = %s"))
        params.append(state)
    query = sql.SQL(
        "SELECT id, document_id, document_name, kind, span_start, span_end, quote, field,"
        " value_before, value_after, author, created_at::text, note, state, orphan_reason"
        " FROM correction {where} ORDER BY id DESC {limit}").format(
        where=sql.SQL("WHERE ") + sql.SQL(" AND ").join(where) if where else sql.SQL(""),
        limit=sql.SQL("LIMIT {}").format(sql.Literal(int(limit))) if limit else sql.SQL(""))
    return [CorrectionInfo(*r) for r in conn.execute(query, params)]


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


# RECORDS.md's fields, as evaluate.py reads them: the extractor's evidence is not a field
# a reviewer corrects, so reviewed gold goes without it.
RECORD_FIELDS = tuple(f for f in ALL_RECORD_FIELDS if f != "evidence")


def export_corrections(conn: psycopg.Connection, out_dir: Path,
                       documents: Iterable[int] | None = None) -> list[tuple[Path, int]]:
    """Every document with a correction (or those given), as RECORDS.md JSON Lines in
    `out_dir/<stem>.jsonl`: all its records with their corrected values — reviewed
    documents as gold for evaluate.py. Returns (file, records) per document."""
    ids = list(documents) if documents is not None else [int(r[0]) for r in conn.execute(
        "SELECT DISTINCT document_id FROM correction WHERE document_id IS NOT NULL"
        " ORDER BY 1")]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in ids:
        row = conn.execute("SELECT name FROM source_document WHERE id = %s", (doc,)).fetchone()
        if row is None:
            continue
        name = str(row[0])
        with conn.cursor(row_factory=dict_row) as cur:
            recs = cur.execute(RECORD_SQL + " WHERE o.document_id = %s"
                               " ORDER BY o.span_start, o.seq, o.id", (doc,)).fetchall()
        target = out_dir / f"{Path(name).stem}.jsonl"
        with open(target, "w", encoding="utf-8", newline="\n") as f:
            for r in recs:
                out = {**r, "doc": name, "start": r["span_start"], "end": r["span_end"]}
                f.write(json.dumps({k: _jsonable(out[k]) for k in RECORD_FIELDS},
                                   ensure_ascii=False) + "\n")
        written.append((target, len(recs)))
    return written


@dataclass
class Accuracy:
    reviewed: int  # extractor records a person confirmed or corrected
    rejected: int  # extractor records rejected as not figures
    added: int  # figures the extractor missed
    fields: dict[str, float | None] = field(default_factory=dict)  # right / reviewed
    wrong: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        precision = (self.reviewed / (self.reviewed + self.rejected)
                     if self.reviewed + self.rejected else None)
        recall = (self.reviewed / (self.reviewed + self.added)
                  if self.reviewed + self.added else None)
        return {**asdict(self), "precision": precision, "recall": recall}


def accuracy(conn: psycopg.Connection) -> Accuracy:
    """Per field, the share of reviewed extractor records whose value the reviewer left
    as the extractor gave it; plus rejected (false) figures and added (missed) ones."""
    row = conn.execute(
        "SELECT count(*) FILTER (WHERE reviewed AND correction_id IS NULL),"
        " count(*) FILTER (WHERE correction_id IS NOT NULL) FROM observation").fetchone()
    reviewed, added = (int(row[0]), int(row[1])) if row else (0, 0)
    rej = conn.execute("SELECT count(*) FROM correction WHERE kind = 'reject'"
                       " AND state = 'applied'").fetchone()
    wrong = {f: 0 for f in SCORED_FIELDS}
    for fld, n in conn.execute(
            "SELECT f, count(*) FROM observation, unnest(corrected_fields) f"
            " WHERE reviewed AND correction_id IS NULL GROUP BY f"):
        if fld in wrong:
            wrong[fld] = int(n)
    fields = {f: (None if not reviewed else round(1 - wrong[f] / reviewed, 4))
              for f in SCORED_FIELDS}
    return Accuracy(reviewed, int(rej[0]) if rej else 0, added, fields, wrong)
