"""Exports of `bi.observation` for people and statistical tooling (`parkstat export`):
CSV, Parquet (needs the optional `parkstat[parquet]` extra, pyarrow) and SDMX-CSV.

`where` is an SQL condition on bi.observation's columns (`year >= 2010 AND
province_name = '河南省'`); it runs inside a READ ONLY transaction, so it can filter but
never change anything.

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
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import psycopg

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


class ExportError(RuntimeError):
    """The export could not be made (bad --where, pyarrow missing, …)."""


def _query(where: str | None, columns: str = "*") -> str:
    cond = f" WHERE ({where})" if where and where.strip() else ""
    return f"SELECT {columns} FROM bi.observation{cond} ORDER BY document_id, observation_id"


@contextmanager
def _reading(url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(url) as conn:
        conn.read_only = True
        try:
            yield conn
        except psycopg.Error as e:
            raise ExportError(f"the query failed: {e}".strip()) from e


def export_csv(url: str, out: IO[bytes], where: str | None = None) -> int:
    """bi.observation as CSV with a header, UTF-8; returns the number of rows."""
    rows = 0
    with _reading(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY ({_query(where)}) TO STDOUT WITH (FORMAT csv, HEADER true)"
                      ) as copy:
            for chunk in copy:
                out.write(bytes(chunk))
        rows = cur.rowcount
    out.flush()
    return rows


def export_parquet(url: str, out: Path, where: str | None = None) -> int:
    """bi.observation as a Parquet file, typed; NUMERIC columns become float64 (canonical
    values span 3.3 persons to 2.81e12 CNY, more than one decimal128 scale holds)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ExportError("Parquet export needs pyarrow: pip install 'parkstat[parquet]'") from e
    with _reading(url) as conn, conn.cursor() as cur:
        cur.execute(_query(where))
        names = [c.name for c in cur.description or ()]
        type_oids = [c.type_code for c in cur.description or ()]
        data = cur.fetchall()
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


def export_sdmx_csv(url: str, out: IO[str], where: str | None = None,
                    unplaced: list[str] | None = None) -> int:
    """SDMX-CSV rows; each row with no TIME_PERIOD is named in `unplaced` (document, the
    figure as written, and the time words if any)."""
    cols = ("region_code, region_name, park_name, cluster_name, metric_code, measure,"
            " period, year, value, value_low, value_high, unit_code, status, qualifier,"
            " interval_low, interval_high, document_name, value_text, period_text")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SDMX_COLUMNS)
    rows = 0
    with _reading(url) as conn, conn.cursor(name="sdmx_export") as cur:
        cur.execute(_query(where, cols))
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


def export(url: str, fmt: str, out: Path | None = None, where: str | None = None, *,
           excel: bool = False, unplaced: list[str] | None = None) -> int:
    """Write bi.observation in `fmt` to `out` (stdout when None; not for parquet).
    `excel`: CSV starts with a UTF-8 byte order mark. `unplaced` collects the SDMX rows
    that have no TIME_PERIOD."""
    if excel and fmt != "csv":
        raise ExportError("--excel is for --format csv")
    if fmt == "parquet":
        if out is None:
            raise ExportError("--format parquet needs --out FILE")
        return export_parquet(url, out, where)
    if fmt == "csv":
        if out is None:
            if excel:
                sys.stdout.buffer.write(UTF8_BOM)
            return export_csv(url, sys.stdout.buffer, where)
        with open(out, "wb") as fb:
            if excel:
                fb.write(UTF8_BOM)
            return export_csv(url, fb, where)
    if fmt == "sdmx-csv":
        if out is None:
            text = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                                    write_through=True)
            try:
                return export_sdmx_csv(url, text, where, unplaced)
            finally:
                text.detach()
        with open(out, "w", encoding="utf-8", newline="") as ft:
            return export_sdmx_csv(url, ft, where, unplaced)
    raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
