"""Load throughput into PostgreSQL against a raw COPY of the same rows; the cost of a
no-op re-run; the speed-up of `--workers`.

Not a test: a measurement. Generates a corpus (benchmarks/generate.py: 1,000 reports by
default, `--reports 10000` for 10k) or takes `--corpus DIR`, makes a throwaway database
on $DATABASE_URL's server (else 127.0.0.1:5432, user postgres) at alembic head, seeded,
and then, in one process, `--repeat` interleaved passes, each on a fresh copy of it:

* first load: `etl.store.load.load_paths(corpus, database)` — wall time, and the part of it spent in
  extraction (`etl.store.load._extract`, timed in place), so that the database part is
  load − extraction (it includes the Python side of writing: reading and hashing files,
  turning records into rows);
* no-op re-run: `load_paths` again over the unchanged corpus (every file read and
  hashed, nothing extracted or written) — goal: <= 2 % of the first load;
* raw COPY: the rows that load wrote (source_document and observation, dumped with COPY
  TO a temporary file) copied with COPY FROM into bare tables (`CREATE TABLE … (LIKE …)`:
  no keys, indexes, constraints or triggers) in one transaction — the floor for writing
  those bytes; goal: the load's database part runs at >= 0.5 of its throughput;
* raw COPY per document: the same rows, one transaction per document (a COPY of its
  source_document row and a COPY of its observations) — the floor for a loader that
  commits every document (as etl.store.load did before it wrote in batches);
* COPY into the schema's tables: the same rows, in one transaction, into copies of
  source_document and observation with all their keys, indexes, check constraints,
  foreign keys and reference-checking triggers (`LIKE … INCLUDING ALL`, the foreign keys
  and triggers added; the triggers check against the real tables, which hold the same
  keys) — the floor for any loader that keeps the schema as it is; the ratio to it is
  the loader's own overhead;
* `parkstat extract` on the same files (`etl.cli.main(["extract", corpus, "--out", tmp])`,
  its output discarded): the end-to-end goal is a first load in <= 1.3x its time;
* with `--workers N` (N > 1): a first load with N extraction processes, on another copy;
* with `--statements`: the first pass's load again, on another copy, with every SQL
  statement it runs timed (client side: round trip included), the slowest kinds listed.

The best pass of each counts (a shared 2-core machine varies by ±15 %).

    .venv/bin/python -m benchmarks.bench_load [--reports 1000] [--workers 2] [--repeat 3]
                                              [--statements]
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.common import copy_of, corpus_dir, migrated_database, server_url
from etl.store import load as loader
from etl.store.db import Database

ROW_TABLES = ("source_document", "observation")


@dataclass
class Pass:
    load: float = 0.0
    extract: float = 0.0
    rerun: float = 0.0
    copy: float = 0.0
    copy_per_doc: float = 0.0
    copy_schema: float = 0.0
    extract_cli: float = 0.0
    workers: dict[int, float] = field(default_factory=dict)
    documents: int = 0
    records: int = 0
    bytes_copied: int = 0


def timed_extraction() -> tuple[Callable[[], float], Callable[[], None]]:
    """Wrap etl.store.load._extract to add up the time spent in it: (elapsed, undo)."""
    original: Callable[..., Any] = loader._extract
    spent = [0.0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    loader._extract = wrapper  # type: ignore[assignment]

    def undo() -> None:
        loader._extract = original  # type: ignore[assignment]

    return (lambda: spent[0]), undo


def load(corpus: Path, url: str, workers: int = 1) -> tuple[float, loader.LoadSummary]:
    kwargs: dict[str, Any] = {}
    if workers > 1:
        kwargs["workers"] = workers
    t0 = time.perf_counter()
    summary = loader.load_paths([corpus], Database(url), **kwargs)
    elapsed = time.perf_counter() - t0
    if summary.status != "succeeded":
        raise SystemExit(f"load {summary.status}: {summary.failures[:3]}")
    return elapsed, summary


def raw_copy(url: str) -> tuple[float, int]:
    """Dump what the load wrote, then time COPY FROM of it into bare tables."""
    with tempfile.TemporaryDirectory(prefix="parkstat-copy-") as tmp, \
            psycopg.connect(url) as conn:
        files: dict[str, Path] = {}
        for table in ROW_TABLES:
            files[table] = Path(tmp) / f"{table}.copy"
            with files[table].open("wb") as f, conn.cursor() as cur, \
                    cur.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    f.write(chunk)
            conn.execute(f"CREATE TABLE bare_{table} (LIKE {table})")
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            for table in ROW_TABLES:
                with cur.copy(f"COPY bare_{table} FROM STDIN") as copy, \
                        files[table].open("rb") as f:
                    while chunk := f.read(1 << 20):
                        copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - t0
        return elapsed, sum(p.stat().st_size for p in files.values())


def raw_copy_per_document(url: str) -> float:
    """The dumped rows again, into fresh bare tables, one transaction per document."""
    with psycopg.connect(url) as conn:
        docs: dict[str, list[bytes]] = {}
        obs: dict[str, list[bytes]] = {}
        for table, into in (("source_document", docs), ("observation", obs)):
            buf = bytearray()
            with conn.cursor() as cur, cur.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    buf += chunk
            for line in bytes(buf).splitlines(keepends=True):
                into.setdefault(line.split(b"\t", 1)[0].decode(), []).append(line)
            conn.execute(f"CREATE TABLE bare2_{table} (LIKE {table})")
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            for doc_id, doc_rows in docs.items():
                with cur.copy("COPY bare2_source_document FROM STDIN") as copy:
                    copy.write(b"".join(doc_rows))
                with cur.copy("COPY bare2_observation FROM STDIN") as copy:
                    copy.write(b"".join(obs.get(doc_id, [])))
                conn.commit()
        return time.perf_counter() - t0


def _dump(conn: psycopg.Connection, table: str) -> bytes:
    buf = bytearray()
    with conn.cursor() as cur, cur.copy(f"COPY {table} TO STDOUT") as copy:
        for chunk in copy:
            buf += chunk
    return bytes(buf)


def schema_copy(url: str) -> float:
    """The dumped rows again, in one transaction, into copies of the tables with all their
    keys, indexes, check constraints, foreign keys (to the copy of source_document, the
    others to the same dimension rows the load used) and triggers."""
    with psycopg.connect(url) as conn:
        data = {table: _dump(conn, table) for table in ROW_TABLES}
        for table in ROW_TABLES:
            conn.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
        for table in ROW_TABLES:
            fks = conn.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'", (table,)).fetchall()
            for (definition,) in fks:
                definition = definition.replace(
                    "REFERENCES source_document(", "REFERENCES floor_source_document(")
                conn.execute(f"ALTER TABLE floor_{table} ADD {definition}")
            # Triggers are not copied: since revision 0011 the only ones are
            # series_summary's, which write to the real summary tables.
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            for table in ROW_TABLES:
                with cur.copy(f"COPY floor_{table} FROM STDIN") as copy:
                    copy.write(data[table])
        conn.commit()
        return time.perf_counter() - t0


@contextlib.contextmanager
def statement_timer() -> Iterator[dict[str, list[float]]]:
    """Time every psycopg execute() and copy() in this process, by the statement's first
    words: {statement: [count, seconds]}."""
    spent: dict[str, list[float]] = {}
    execute, copy = psycopg.Cursor.execute, psycopg.Cursor.copy

    def add(query: object, t0: float) -> None:
        key = " ".join(str(query).split())[:72]
        entry = spent.setdefault(key, [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - t0

    def timed_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(self, query, *args, **kwargs)
        finally:
            add(query, t0)

    @contextlib.contextmanager
    def timed_copy(self: Any, statement: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        t0 = time.perf_counter()
        try:
            with copy(self, statement, *args, **kwargs) as c:
                yield c
        finally:
            add(statement, t0)

    psycopg.Cursor.execute = timed_execute  # type: ignore[method-assign]
    psycopg.Cursor.copy = timed_copy  # type: ignore[method-assign,assignment]
    try:
        yield spent
    finally:
        psycopg.Cursor.execute = execute  # type: ignore[method-assign]
        psycopg.Cursor.copy = copy  # type: ignore[method-assign]


def time_statements(corpus: Path, template: str, server: str) -> list[str]:
    """A load with its SQL statements timed: lines to print."""
    with copy_of(server, template) as url:
        spent, undo = timed_extraction()
        try:
            with statement_timer() as timed:
                elapsed, _ = load(corpus, url)
        finally:
            undo()
    db_part = elapsed - spent()
    in_sql = sum(t for _, t in timed.values())
    lines = [f"statements of one load (database part {db_part:.2f} s, of which {in_sql:.2f} s"
             " in SQL statements; client-side times, round trips included):"]
    for key, (n, t) in sorted(timed.items(), key=lambda kv: -kv[1][1])[:12]:
        lines.append(f"  {t:7.3f} s {t / db_part:4.0%} {int(n):5d}x  {key}")
    return lines


def extract_cli(corpus: Path) -> float:
    """`parkstat extract CORPUS --out TMP`, in this process, its per-file lines discarded."""
    from etl import cli

    with tempfile.TemporaryDirectory() as out, open(os.devnull, "w") as devnull, \
            contextlib.redirect_stdout(devnull):
        t0 = time.perf_counter()
        code = cli.main(["extract", str(corpus), "--out", out])
        elapsed = time.perf_counter() - t0
    if code != 0:
        raise SystemExit(f"parkstat extract exited {code}")
    return elapsed


def one_pass(corpus: Path, template: str, server: str, workers: int) -> Pass:
    p = Pass()
    p.extract_cli = extract_cli(corpus)
    with copy_of(server, template) as url:
        spent, undo = timed_extraction()
        try:
            p.load, summary = load(corpus, url)
        finally:
            undo()
        p.extract = spent()
        p.documents = summary.documents_new
        p.records = summary.records_loaded
        p.rerun, again = load(corpus, url)
        if again.documents_skipped != p.documents:
            raise SystemExit(f"the re-run was not a no-op: {again.as_dict()}")
        p.copy, p.bytes_copied = raw_copy(url)
        p.copy_per_doc = raw_copy_per_document(url)
        p.copy_schema = schema_copy(url)
    if workers > 1:
        with copy_of(server, template) as url:
            p.workers[workers], _ = load(corpus, url, workers)
    return p


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reports", type=int, default=1000, help="generated reports (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--corpus", type=Path, help="load this directory instead of a generated one")
    ap.add_argument("--workers", type=int, default=1,
                    help="also time a load with N extraction processes (needs load --workers)")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved passes (default 3)")
    ap.add_argument("--statements", action="store_true",
                    help="also time the SQL statements of one load")
    args = ap.parse_args(argv)
    if args.workers > 1 and "workers" not in inspect.signature(loader.load_paths).parameters:
        raise SystemExit("this etl.store.load.load_paths has no workers parameter")

    server = server_url()
    print(f"server: {server.rsplit('@', 1)[-1]}; cpus: {os.cpu_count()}")
    with corpus_dir(args.reports, args.seed, args.corpus) as corpus, \
            migrated_database(server, tag="bench_load") as template:
        n_files = sum(1 for _ in corpus.rglob("*.txt"))
        size = sum(f.stat().st_size for f in corpus.rglob("*.txt"))
        print(f"corpus: {corpus} ({n_files:,} files, {size / 1e6:.1f} MB)")
        passes = [one_pass(corpus, template, server, args.workers)
                  for _ in range(max(1, args.repeat))]
        statements = time_statements(corpus, template, server) if args.statements else []

    best = Pass(
        load=min(p.load for p in passes), extract=min(p.extract for p in passes),
        rerun=min(p.rerun for p in passes), copy=min(p.copy for p in passes),
        copy_per_doc=min(p.copy_per_doc for p in passes),
        copy_schema=min(p.copy_schema for p in passes),
        extract_cli=min(p.extract_cli for p in passes),
        documents=passes[0].documents, records=passes[0].records,
        bytes_copied=passes[0].bytes_copied,
    )
    db_part = min(p.load - p.extract for p in passes)
    print(f"passes: {len(passes)}, interleaved; best of each shown")
    print(f"rows: {best.documents:,} documents, {best.records:,} observations "
          f"({best.bytes_copied / 1e6:.1f} MB as COPY text)")
    per_doc = db_part / best.documents * 1000
    print(f"batches: up to {loader.BATCH_DOCUMENTS} documents / {loader.BATCH_RECORDS:,} "
          f"records each; database part {per_doc:.2f} ms per document")
    print(f"first load:      {best.load:8.2f} s  {best.documents / best.load:8,.0f} docs/s  "
          f"{best.records / best.load:9,.0f} records/s")
    print(f"  extraction:    {best.extract:8.2f} s  ({best.extract / best.load:.0%} of the load)")
    print(f"  database part: {db_part:8.2f} s  {best.records / db_part:9,.0f} records/s")
    print(f"raw COPY:        {best.copy:8.2f} s  {best.records / best.copy:9,.0f} records/s")
    print(f"raw COPY, a transaction per document: {best.copy_per_doc:8.2f} s  "
          f"{best.records / best.copy_per_doc:9,.0f} records/s")
    print(f"COPY into the schema's tables (keys, indexes, reference checks): "
          f"{best.copy_schema:8.2f} s  {best.records / best.copy_schema:9,.0f} records/s")
    ratio = best.copy / db_part
    print(f"ratio load (database part) / raw COPY throughput: {ratio:.3f}  "
          f"(goal >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'})")
    print(f"ratio load (database part) / raw COPY per document: "
          f"{best.copy_per_doc / db_part:.2f}")
    print(f"ratio load (database part) / COPY into the schema's tables: "
          f"{best.copy_schema / db_part:.2f}")
    print(f"ratio end-to-end load / raw COPY throughput: {best.copy / best.load:.3f}")
    end_to_end = min(p.load / p.extract_cli for p in passes)
    print(f"parkstat extract: {best.extract_cli:8.2f} s  (same files, JSON Lines out)")
    print(f"ratio first load / parkstat extract: {end_to_end:.2f}  (best pass; goal <= 1.3: "
          f"{'met' if end_to_end <= 1.3 else 'NOT met'}; passes: "
          + ", ".join(f"{p.load / p.extract_cli:.2f}" for p in passes) + ")")
    rerun = best.rerun / best.load
    print(f"no-op re-run:    {best.rerun:8.2f} s  = {rerun:.1%} of the first load  "
          f"(goal <= 2 %: {'met' if rerun <= 0.02 else 'NOT met'})")
    if args.workers > 1:
        t_n = min(p.workers[args.workers] for p in passes)
        print(f"load --workers {args.workers}: {t_n:8.2f} s  speed-up {best.load / t_n:.2f}x "
              f"over --workers 1")
    for line in statements:
        print(line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
