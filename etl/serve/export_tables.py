"""Exports of `bi.observation` for people and statistical tooling (`parkstat export`):
CSV, Parquet (needs the optional `parkstat[parquet]` extra, pyarrow) and SDMX-CSV.

`where` is a condition on bi.observation's columns (`year >= 2010 AND province_name =
'河南省'`). It can filter and never do anything else; four walls, each enough on its own
against the attacks of issue 14 (tests/test_attacks.py):
1. it must be one expression over the view's columns with the allowed operators and
   functions (etl/serve/where.py), and what runs is printed from its parse tree;
2. the export runs as the role parkstat_reader (`SET LOCAL ROLE`), which reads the bi
   views and nothing else, whoever connected;
3. in a READ ONLY transaction with a statement timeout (`timeout` seconds, per statement:
   the cursor's DECLARE and each FETCH of ITERSIZE rows);
4. through the extended query protocol (a server-side cursor), which refuses a second
   statement.

SDMX-CSV (version 1 layout: one row per observation, the DATAFLOW first):
DATAFLOW, REF_AREA (GB/T 2260 code, else the region's name), PARK, CLUSTER, INDICATOR
(metric code), MEASURE (level / growth / change / share), TIME_PERIOD (SDMX periods:
`2010`, `2008-S1`, `2012-Q3`, `2012-05`, or a range `2012-01-01/P5M`,
`2006-01-01/P5Y`), OBS_VALUE (value; the midpoint for a range), UNIT_MEASURE (unit code),
UNIT_MULT (always 0: values are in the unit, not in 万 or 亿), OBS_STATUS (A actual, F
target / forecast, E estimate), and the attributes OBS_QUALIFIER (EXACT, APPROX, GT for
17%以上, LT for 不足, RANGE for 30—50家), OBS_LOWER_BOUND / OBS_UPPER_BOUND (the interval the
report states: [17, ) for 17%以上, [30, 50] for 30—50家; empty where open). TIME_PERIOD
is the period, else the year; a row with neither cannot be placed in time: its
TIME_PERIOD is empty, and the export counts and names those rows (`unplaced`).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import psycopg
from psycopg import sql

from etl.serve.where import WhereError, compile_where
from etl.store.db import Database

FORMATS = ("csv", "parquet", "sdmx-csv")
DATAFLOW = "PARKSTAT:PARK_INDICATORS(1.0)"
SDMX_COLUMNS = ("DATAFLOW", "REF_AREA", "PARK", "CLUSTER", "INDICATOR", "MEASURE",
                "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS",
                "OBS_QUALIFIER", "OBS_LOWER_BOUND", "OBS_UPPER_BOUND")
# How the report qualified the figure (an attribute; 17%以上 → more_than, 30—50家 → range).
OBS_QUALIFIER = {"exact": "EXACT", "approx": "APPROX", "more_than": "GT", "less_than": "LT",
                 "range": "RANGE"}
UTF8_BOM = b"\xef\xbb\xbf"  # Excel opens a CSV as UTF-8 (中文 readable) only with it
OBS_STATUS = {"actual": "A", "target": "F", "estimate": "E"}


DEFAULT_TIMEOUT = 300  # seconds per statement
ITERSIZE = 5000
READER_ROLE = "parkstat_reader"


class ExportError(RuntimeError):
    """The export could not be made (bad --where, pyarrow missing, …); one line."""


def _one_line(e: psycopg.Error) -> str:
    diag = getattr(e, "diag", None)
    primary = diag.message_primary if diag is not None else None
    return primary or (str(e).strip().splitlines() or [type(e).__name__])[0]


@contextmanager
def _reading(database: Database, timeout: float) -> Iterator[psycopg.Connection]:
    """A READ ONLY transaction as parkstat_reader, with a statement timeout, on a session
    of its own (opened here, not passed in: its role, read-only mode and search_path are
    set for the export and must not leak into, or be undone by, a caller's session)."""
    try:
        conn = database.connect()
    except psycopg.Error as e:
        raise ExportError(f"cannot connect: {_one_line(e)}") from e
    with conn:
        conn.read_only = True
        try:
            conn.execute("SELECT set_config('statement_timeout', %s, true)",
                         (f"{max(1, round(timeout * 1000))}ms",))
            try:
                conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(READER_ROLE)))
            except psycopg.Error as e:
                raise ExportError(
                    f"cannot read as {READER_ROLE} ({_one_line(e)}); run `parkstat db "
                    f"upgrade`, or GRANT {READER_ROLE} TO the user exporting") from e
            # Unqualified functions and operators resolve in pg_catalog only.
            conn.execute("SET LOCAL search_path = pg_catalog")
            yield conn
        except psycopg.Error as e:
            raise ExportError(f"the query failed: {_one_line(e)}") from e


def _columns(conn: psycopg.Connection) -> list[tuple[str, int]]:
    """bi.observation's columns: (name, type oid), in order."""
    cur = conn.execute("SELECT * FROM bi.observation LIMIT 0")
    return [(c.name, c.type_code) for c in cur.description or ()]


def _select(conn: psycopg.Connection, where: str | None,
            columns: Sequence[str] | None = None, lines: sql.Composable | None = None
            ) -> sql.Composed:
    """The export's one statement: `columns` (default all), or the one expression
    `lines`, of the rows `where` keeps."""
    names = [n for n, _ in _columns(conn)]
    try:
        cond = compile_where(where or "", names)
    except WhereError as e:
        raise ExportError(f"--where: {e}") from None
    wanted = lines if lines is not None else sql.SQL(", ").join(
        sql.Identifier(c) for c in (columns or names))
    return sql.SQL("SELECT {} FROM bi.observation{} ORDER BY document_id, observation_id"
                   ).format(wanted, sql.SQL("") if cond is None
                            else sql.SQL(" WHERE ({})").format(sql.SQL(cond)))  # type: ignore[arg-type]


def _cursor(conn: psycopg.Connection, name: str) -> psycopg.ServerCursor[Any]:
    """A server-side cursor: DECLARE goes through the extended protocol."""
    cur = conn.cursor(name=name)
    cur.itersize = ITERSIZE
    return cur


BOOL_OID = 16
# Types whose cast to text is their output function (what COPY writes); others go
# through format('%s', …), which always is, but costs more.
_TEXT_CASTS = {20, 21, 23, 25, 700, 701, 1042, 1043, 1082, 1083, 1114, 1184, 1186, 1700}


def _csv_lines(columns: Sequence[tuple[str, int]]) -> sql.Composed:
    """One CSV line per row, made by the server as COPY … (FORMAT csv) writes it: each
    value as its type prints it (`t`, not `true`), quoted when empty or holding a comma,
    a quote or a line break (quotes doubled), NULL as nothing. Applied to the subquery
    `t` whose columns are the values as text."""
    parts = []
    for i in range(len(columns)):
        v = sql.Identifier(f"c{i}")
        parts.append(sql.SQL(
            "CASE WHEN {v} IS NULL THEN '' WHEN {v} = '' OR {v} ~ '[\",\\r\\n]'"
            " THEN '\"' || replace({v}, '\"', '\"\"') || '\"' ELSE {v} END").format(v=v))
    return sql.SQL(" || ',' || ").join(parts)


def _as_text(columns: Sequence[tuple[str, int]]) -> sql.Composed:
    """bi.observation's columns as text named c0, c1, …, NULL kept."""
    out = []
    for i, (name, oid) in enumerate(columns):
        c = sql.Identifier(name)
        if oid == BOOL_OID:
            expr = sql.SQL("CASE WHEN {c} THEN 't' WHEN NOT {c} THEN 'f' END").format(c=c)
        elif oid in _TEXT_CASTS:
            expr = sql.SQL("{c}::text").format(c=c)
        else:
            expr = sql.SQL("CASE WHEN {c} IS NOT NULL THEN format('%s', {c}) END").format(c=c)
        out.append(sql.SQL("{} AS {}").format(expr, sql.Identifier(f"c{i}")))
    return sql.SQL(", ").join(out)


def _csv_field(v: str) -> str:
    if v == "" or any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def export_csv(database: Database, out: IO[bytes], where: str | None = None, *,
               timeout: float = DEFAULT_TIMEOUT) -> int:
    """bi.observation as CSV with a header, UTF-8, byte for byte what COPY … (FORMAT csv,
    HEADER) wrote before (COPY cannot go through the extended protocol in psycopg, so
    the server makes the lines); returns the number of rows."""
    rows = 0
    with _reading(database, timeout) as conn:
        columns = _columns(conn)
        inner = _select(conn, where, lines=sql.SQL(
            "{}, document_id AS k1, observation_id AS k2").format(_as_text(columns)))
        query = sql.SQL("SELECT {} FROM ({}) t ORDER BY k1, k2").format(
            _csv_lines(columns), inner)
        out.write((",".join(_csv_field(n) for n, _ in columns) + "\n").encode("utf-8"))
        with _cursor(conn, "parkstat_export_csv") as cur:
            cur.execute(query)
            for batch in iter(lambda: cur.fetchmany(ITERSIZE), []):
                out.write("".join(line + "\n" for (line,) in batch).encode("utf-8"))
                rows += len(batch)
    out.flush()
    return rows


def export_parquet(database: Database, out: Path, where: str | None = None, *,
                   timeout: float = DEFAULT_TIMEOUT) -> int:
    """bi.observation as a Parquet file, typed; NUMERIC columns become float64 (canonical
    values span 3.3 persons to 2.81e12 CNY, more than one decimal128 scale holds)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ExportError("Parquet export needs pyarrow: pip install 'parkstat[parquet]'") from e
    with _reading(database, timeout) as conn:
        query = _select(conn, where)
        with _cursor(conn, "parkstat_export_parquet") as cur:
            cur.execute(query)
            data = list(cur)
            names = [c.name for c in cur.description or ()]
            type_oids = [c.type_code for c in cur.description or ()]
    columns: dict[str, list[Any]] = {n: [r[i] for r in data] for i, n in enumerate(names)}
    numeric_oid = 1700
    arrays = {}
    for name, oid in zip(names, type_oids, strict=True):
        values = columns[name]
        if oid == numeric_oid:
            # Canonical values can be large (2.81e12) or fractional: float64 keeps both.
            arrays[name] = pa.array([None if v is None else float(v) for v in values],
                                    type=pa.float64())
        else:
            arrays[name] = pa.array(values)
    table = pa.table(arrays)
    pq.write_table(table, str(out))
    return len(data)


_PERIOD = {
    "year": re.compile(r"^(\d{4})$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "years": re.compile(r"^(\d{4})/(\d{4})$"),
    "months": re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$"),
}


def sdmx_time_period(period: str | None, year: int | None) -> str:
    """parkstat's period (RECORDS.md) in SDMX's time formats; the year if no period."""
    if period:
        if m := _PERIOD["year"].match(period):
            return m[1]
        if m := _PERIOD["half"].match(period):
            return f"{m[1]}-S{m[2]}"
        if m := _PERIOD["quarter"].match(period):
            return f"{m[1]}-Q{m[2]}"
        if m := _PERIOD["month"].match(period):
            return f"{m[1]}-{m[2]}"
        if m := _PERIOD["years"].match(period):
            start, end = int(m[1]), int(m[2])
            if end >= start:
                return f"{start}-01-01/P{end - start + 1}Y"
        if m := _PERIOD["months"].match(period):
            start = int(m[1]) * 12 + int(m[2]) - 1
            end = int(m[3]) * 12 + int(m[4]) - 1
            if end >= start:
                return f"{m[1]}-{m[2]}-01/P{end - start + 1}M"
    return "" if year is None else str(year)


def _number(v: Decimal | None) -> str:
    if v is None:
        return ""
    return format(v.normalize(), "f")


def export_sdmx_csv(database: Database, out: IO[str], where: str | None = None, *,
                    timeout: float = DEFAULT_TIMEOUT, unplaced: list[str] | None = None) -> int:
    """SDMX-CSV rows; each row with no TIME_PERIOD is named in `unplaced` (document, the
    figure as written, and the time words if any)."""
    cols = ("region_code", "region_name", "park_name", "cluster_name", "metric_code",
            "measure", "period", "year", "value", "value_low", "value_high", "unit_code",
            "status", "qualifier", "interval_low", "interval_high", "document_name",
            "value_text", "period_text")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SDMX_COLUMNS)
    rows = 0
    with _reading(database, timeout) as conn, _cursor(conn, "parkstat_export_sdmx") as cur:
        cur.execute(_select(conn, where, cols))
        for (region_code, region_name, park, cluster, metric, measure, period, year,
             value, low, high, unit, status, qualifier, lower, upper, document, value_text,
             period_text) in cur:
            if value is None and low is not None and high is not None:
                value = (low + high) / 2
            time_period = sdmx_time_period(period, year)
            if not time_period and unplaced is not None:
                unplaced.append(f"{document}: {value_text}"
                                + (f" ({period_text})" if period_text else ""))
            writer.writerow((
                DATAFLOW, region_code or region_name or "", park or "", cluster or "",
                metric, measure, time_period, _number(value), unit, 0,
                OBS_STATUS.get(status, ""), OBS_QUALIFIER.get(qualifier, ""),
                _number(lower), _number(upper),
            ))
            rows += 1
    out.flush()
    return rows


def export(database: Database, fmt: str, out: Path | None = None, where: str | None = None, *,
           timeout: float = DEFAULT_TIMEOUT, excel: bool = False,
           unplaced: list[str] | None = None) -> int:
    """Write bi.observation in `fmt` to `out` (stdout when None; not for parquet).
    `excel`: CSV starts with a UTF-8 byte order mark. `unplaced` collects the SDMX rows
    that have no TIME_PERIOD."""
    if excel and fmt != "csv":
        raise ExportError("--excel is for --format csv")
    if fmt == "parquet":
        if out is None:
            raise ExportError("--format parquet needs --out FILE")
        return export_parquet(database, out, where, timeout=timeout)
    if fmt == "csv":
        if out is None:
            if excel:
                sys.stdout.buffer.write(UTF8_BOM)
            return export_csv(database, sys.stdout.buffer, where, timeout=timeout)
        with open(out, "wb") as fb:
            if excel:
                fb.write(UTF8_BOM)
            return export_csv(database, fb, where, timeout=timeout)
    if fmt == "sdmx-csv":
        if out is None:
            text = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                                    write_through=True)
            try:
                return export_sdmx_csv(database, text, where, timeout=timeout, unplaced=unplaced)
            finally:
                text.detach()
        with open(out, "w", encoding="utf-8", newline="") as ft:
            return export_sdmx_csv(database, ft, where, timeout=timeout, unplaced=unplaced)
    raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
