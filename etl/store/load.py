"""Load reports into PostgreSQL: documents in batches, one transaction and a fixed number of
set-based statements per batch.

Why batches: written one transaction per document, each document cost ~12 statements and
a commit — ~3 ms, ~70 times what COPY needs for the same rows. A batch (up to
BATCH_DOCUMENTS documents, BATCH_RECORDS records or BATCH_CHARS characters of text) is
written by 15–20 statements whatever its size: one COPY + upsert of its source_document
rows, one DELETE each of the old observations and quarantined records of its changed
documents, its names resolved per distinct name (etl/store/entities.py, `resolve_names`), one
COPY of its observations with their entity ids, one COPY of its quarantine. What is left
is per row: `observation`'s indexes and its eight foreign keys (declared again by revision
0011), and the series_summary / observation_tally triggers, which run once per COPY for
the series that batch touched (benchmarks/README.md).

Guarantees, and how:
- a document's observations are replaced as a unit: its delete and inserts are in its
  batch's transaction, so a crash (or SIGKILL) leaves either the old version of every
  document of the batch or the new one — never half a document;
- a document the database refuses fails alone, with the database's reason, as when each
  document had its own transaction: a failed batch is rolled back and written again in
  halves, down to single documents;
- a session dropped anywhere (mid-batch, idle between batches, while reading stored
  hashes, a server restart) is reconnected for up to PARKSTAT_RECONNECT_SECONDS and the
  work in hand done again (`_Live`): a batch is written again whole, once; a single
  document whose session is dropped twice is reported failed (`database connection lost
  twice; the document was rolled back`), and a re-run loads it;
- a document is its (source, path within the source), etl/inputs/identity.py: documents loaded
  before revision 0008, known by name only, are adopted by the first load that meets the
  same file (`_adopt`);
- every failure is one printable line, capped (etl/messages.py), whatever the file's
  name; an extraction that takes longer than PARKSTAT_MAX_EXTRACT_SECONDS fails alone;
- the result does not depend on how documents are batched: ids are given in input order
  and each document's names are resolved as if it were loaded alone, after the ones
  before it (tests/test_load_batches.py compares a batch with one-by-one writes);
- re-running on unchanged input does nothing: a file whose bytes hash to the stored
  sha256 under the same EXTRACTOR_VERSION is skipped before extraction;
- loads never overlap: a separate session holds `LOCK TABLE load_lock IN EXCLUSIVE
  MODE` in an open transaction for the whole run (revision 0010), which PostgreSQL
  releases by itself when a loader dies. Only roles that may write load_lock (its owner)
  can take that lock, so a read-only login cannot block loads by holding it (as it could
  the advisory lock used before). A second loader does not queue behind the first (that
  would silently re-do work the first just did); it waits at most `wait` seconds
  (default 0) and then stops with `LoadLocked` — exit code 3 in the CLI. Before each
  commit the loader checks that the session holding the lock is alive; if it is not, it
  takes the lock again on a new session, or stops (the batch rolled back) if another load
  took it or ran meanwhile;
- memory stays flat: a batch holds its documents' rows (not their pydantic records) and
  texts, within the bounds above;
- with `workers` > 1, extraction runs in a process pool, a few documents ahead of the
  writer (at most 2 × workers in flight, so memory does not grow with the corpus); the
  database writes stay in this process, serial, in input order. The workers die with
  this process, even when it is killed with SIGKILL (`_die_with`).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import psycopg

from etl import __version__
from etl.extract import deadline, pipeline
from etl.extract.jsonl import raw_json
from etl.extract.pipeline import EXTRACTOR_VERSION, ExtractedDocument
from etl.extract.record import Record
from etl.inputs.files import FileSet, FirstSeen, report_files
from etl.inputs.identity import Identity, check_source_name, identity
from etl.inputs.read import STDIN, ReportReadError, read_bytes, report_from_bytes
from etl.messages import one_line, path_text, printable, stored_name
from etl.progress import Progress
from etl.store.corrections import apply_corrections
from etl.store.db import Database, head_revision
from etl.store.entities import ENTITY_KINDS, StagedName, clean_name, resolve_names
from etl.store.lock import take_load_lock
from etl.store.seed import seed_catalogues

T = TypeVar("T")

# Test hook: pause inside the N-th (1-based) document's transaction, after its rows are
# written and before COMMIT, so a test can SIGKILL the loader (or terminate its database
# session) at the worst moment. The pause lasts PAUSE_SECONDS_ENV seconds (default 3600).
# That document is written as a batch of its own: the documents before it are committed
# and the ones after it not yet read while it pauses.
PAUSE_ENV = "PARKSTAT_LOAD_PAUSE_AT"
PAUSE_SECONDS_ENV = "PARKSTAT_LOAD_PAUSE_SECONDS"

CONNECT_TIMEOUT = 10  # seconds; an unreachable server fails the load instead of hanging
APPLICATION_NAME = "parkstat load"
LOCK_APPLICATION_NAME = f"{APPLICATION_NAME} (lock)"
# How long a load keeps trying to reconnect after the server dropped its session (a
# restart takes a few seconds); past that it stops with one line.
RECONNECT_ENV = "PARKSTAT_RECONNECT_SECONDS"
RECONNECT_SECONDS = 30.0


class LoadError(RuntimeError):
    """The load could not run at all (no schema, no server); nothing was changed."""


class LoadLocked(LoadError):
    """Another load holds the lock."""


class ConnectionLost(LoadError):
    """The database went away mid-run and could not be reached again. Documents already
    committed stay; the one in flight rolled back; a re-run completes the rest."""


@dataclass
class DocumentFailure:
    path: str
    reason: str


@dataclass
class LoadSummary:
    run_id: int
    status: str
    documents_new: int = 0
    documents_changed: int = 0
    documents_skipped: int = 0
    documents_failed: int = 0
    records_loaded: int = 0
    records_quarantined: int = 0
    failures: list[DocumentFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_paths(
    paths: Iterable[Path | str], database: Database, *, wait: float = 0,
    workers: int = 1, source: str | None = None, reextract: bool = False,
    progress: Callable[[int], Progress] | None = None,
) -> LoadSummary:
    """Load files and directories into `database`; per-document failures are reported, not
    raised. The loader opens its own sessions (the lock's, the data session, new ones
    when the server drops them), so it takes the `Database`, not a connection.
    `workers` > 1 extracts in that many processes (writes stay serial). `source` names
    the source of every document of the load (etl/inputs/identity.py; default: the folder each
    file is found under). `reextract` extracts every file again even when its sha256 and
    extractor version are stored. `progress`, given the number of files, makes the
    progress line to advance (etl/progress.py; the CLI's).

    Raises `LoadError` (one line, no traceback needed) when the load cannot run or
    cannot go on: no server, no schema, the lock held (`LoadLocked`), the connection
    lost for good (`ConnectionLost`)."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if source is not None:
        source = check_source_name(source)
    try:
        deadline.max_seconds()
        reconnect_for = _reconnect_seconds()
    except ValueError as e:
        raise LoadError(str(e)) from e
    files = report_files(paths)
    live = _Live(_connect(database, LOCK_APPLICATION_NAME), database, reconnect_for)
    try:
        _acquire_lock(live.lock_conn, wait)
        live.conn = _data_connection(database)
        bar = progress(len(files.files) + len(files.missing)) if progress else None
        try:
            return _run(live, files, source, workers, bar, reextract)
        except psycopg.OperationalError as e:
            raise ConnectionLost(f"lost the database connection: {_one_line(e)}; "
                                 "re-run the load to complete it") from e
        finally:
            if bar is not None:
                bar.close()
    finally:
        live.close()


def _reconnect_seconds() -> float:
    raw = os.environ.get(RECONNECT_ENV, "").strip()
    if not raw:
        return RECONNECT_SECONDS
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise ValueError(f"{RECONNECT_ENV}={raw!r} is not a number of seconds") from None


def _run(live: _Live, files: FileSet, source: str | None, workers: int = 1,
         bar: Progress | None = None, reextract: bool = False) -> LoadSummary:
    _check_schema(live.conn)
    run_id = _start_run(live.conn)
    summary = LoadSummary(run_id=run_id, status="running")
    live.summary = summary
    try:
        for path, reason in files.missing:
            _fail(summary, path, reason)
        _load_files(live, files, source, summary, workers,
                    bar or Progress(0, "", enabled=False), reextract)
        summary.status = "succeeded" if not summary.failures else "partial"
        live.retrying(lambda conn: _finish_run(conn, summary))
    except BaseException as e:
        summary.status = "failed"
        _mark_failed(live, summary, f"{type(e).__name__}: {_one_line(e)}")
        raise
    return summary


def _one_line(e: BaseException) -> str:
    return one_line(e) if str(e).strip() else type(e).__name__


def _connect(database: Database, name: str, *, autocommit: bool = False
             ) -> psycopg.Connection:
    try:
        return database.connect(autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT,
                                application_name=name)
    except psycopg.OperationalError as e:
        raise LoadError(f"cannot connect to PostgreSQL at {database.where}: "
                        f"{_one_line(e)}") from e


def _connect_retrying(database: Database, name: str, seconds: float, *,
                      autocommit: bool = False) -> psycopg.Connection:
    """`_connect`, tried again for up to `seconds` (a restarting server refuses
    connections, or says it is starting up, for a few seconds)."""
    give_up = time.monotonic() + seconds
    while True:
        try:
            return _connect(database, name, autocommit=autocommit)
        except LoadError:
            left = give_up - time.monotonic()
            if left <= 0:
                raise
            time.sleep(min(0.5, left))


def _data_connection(database: Database, retry_for: float = 0) -> psycopg.Connection:
    """The session that writes documents. Its commits do not wait for the WAL flush
    (synchronous_commit off): a crash can lose the last few committed documents, never
    half of one, and the next run re-loads whatever is missing — the loader is idempotent,
    so durability of each commit buys nothing but a disk round trip per document."""
    conn = _connect_retrying(database, APPLICATION_NAME, retry_for)
    conn.execute("SET synchronous_commit TO off")
    conn.commit()
    return conn


class _Live:
    """The load's two sessions — the data session, and the one holding the load lock
    (LOCK TABLE load_lock in its open transaction) — each replaced when the server drops
    it, wherever in the load that happens
    (writing a batch, reading stored hashes, idle between batches, a server restart):

    - the data session is reconnected (for up to `reconnect_for` seconds) and the work
      in hand is done again (`retrying`, `_Writer.write`);
    - the lock's session is reconnected and the lock taken again if no other load has
      taken it meanwhile (`check_lock`, before every commit); if one has — it holds the
      lock now, or it ran and marked this run aborted — the load stops with one line."""

    def __init__(self, lock_conn: psycopg.Connection, database: Database,
                 reconnect_for: float) -> None:
        self.lock_conn = lock_conn
        self.conn: psycopg.Connection = lock_conn  # replaced by the data session
        self.database = database
        self.reconnect_for = reconnect_for
        self.summary: LoadSummary | None = None

    def close(self) -> None:
        if self.conn is not self.lock_conn:
            self.conn.close()
        try:
            if not self.lock_conn.closed:
                self.lock_conn.rollback()  # ends the transaction holding the lock
        except psycopg.Error:
            pass  # the session is gone, and its lock with it
        self.lock_conn.close()

    def lost(self) -> bool:
        return self.conn.closed or self.conn.broken

    def _what(self) -> str:
        s = self.summary
        return f"load run {s.run_id} ({_stored(s)})" if s is not None else "a load"

    def retrying(self, work: Callable[[psycopg.Connection], T]) -> T:
        """`work(conn)` — which commits or rolls back what it does — done again on a new
        session if the server dropped this one (idle, or during the work)."""
        try:
            return work(self.conn)
        except psycopg.OperationalError as e:
            if not self.lost():
                raise
            self.reconnect(e)
        return work(self.conn)

    def reconnect(self, cause: BaseException) -> None:
        self.conn.close()
        self.check_lock()
        try:
            self.conn = _data_connection(self.database, self.reconnect_for)
        except LoadError as e:
            raise ConnectionLost(
                f"lost the database connection during {self._what()}: {_one_line(cause)}; "
                f"reconnecting failed for {self.reconnect_for:g} s: {e}; "
                "re-run the load to complete it") from e

    def check_lock(self) -> None:
        """Go on only while this load holds the lock: its session alive, or a new session
        that took the lock again with no other load in between."""
        try:
            self.lock_conn.execute("SELECT 1")
            return
        except psycopg.Error as e:
            cause = e
        self.lock_conn.close()
        what = (f"lost the database session holding the load lock during {self._what()}: "
                f"{_one_line(cause)}")
        try:
            self.lock_conn = _connect_retrying(self.database, LOCK_APPLICATION_NAME,
                                               self.reconnect_for)
            self.lock_conn.execute("SET idle_in_transaction_session_timeout = 0")
            held = take_load_lock(self.lock_conn, 0)
            run = self.summary.run_id if self.summary is not None else None
            row = self.lock_conn.execute(
                "SELECT (SELECT status FROM load_run WHERE id = %s),"
                " (SELECT max(id) FROM load_run)", (run,)).fetchone() if held else None
        except (LoadError, psycopg.Error) as e:
            raise ConnectionLost(f"{what}; reconnecting failed: {_one_line(e)}; "
                                 "re-run the load to complete it") from e
        if not held:
            raise ConnectionLost(f"{what}; another parkstat load holds the lock now; "
                                 "re-run this load when it ends")
        if run is not None and row is not None and (row[0] != "running" or row[1] != run):
            raise ConnectionLost(f"{what}; another parkstat load ran meanwhile (load run "
                                 f"{row[1]}); re-run this load to complete it")


def _stored(s: LoadSummary) -> str:
    n = s.documents_new + s.documents_changed
    return f"{n} document{'' if n == 1 else 's'} stored"


def _mark_failed(live: _Live, summary: LoadSummary, message: str) -> None:
    """Best effort: record the failed run; if the server is gone the next load marks the
    run aborted instead."""
    try:
        if live.lost():
            live.conn.close()
            live.conn = _data_connection(live.database)
        live.conn.rollback()
        _finish_run(live.conn, summary, message=message)
    except (psycopg.Error, LoadError):
        pass


def _acquire_lock(conn: psycopg.Connection, wait: float) -> None:
    """Open the lock session's transaction (left open for the whole run) and take the
    lock in it."""
    # The run may be long and this session idle: a server-wide idle timeout must not end it.
    conn.execute("SET idle_in_transaction_session_timeout = 0")
    try:
        if take_load_lock(conn, wait):
            return
    except psycopg.errors.UndefinedTable as e:
        conn.rollback()
        raise LoadError("the database has no parkstat schema, or an older one; run "
                        "`parkstat db upgrade` first") from e
    except psycopg.errors.InsufficientPrivilege as e:
        conn.rollback()
        raise LoadError(f"{conn.info.user} may not load here (it cannot lock "
                        "load_lock); load as the database's owner") from e
    holder = conn.execute(
        "SELECT max(id) FROM load_run WHERE status = 'running'"
    ).fetchone() if _has_table(conn, "load_run") else None
    conn.rollback()
    run = f" (load run {holder[0]})" if holder and holder[0] else ""
    raise LoadLocked(f"another parkstat load is running{run}; try again when it ends")


def _has_table(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


def _check_schema(conn: psycopg.Connection) -> None:
    if not (_has_table(conn, "observation") and _has_table(conn, "load_run")):
        raise LoadError("the database has no parkstat schema; run `parkstat db upgrade` first")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    have, need = (row[0] if row else None), head_revision()
    if need is not None and have != need:
        raise LoadError(f"the database schema is at revision {have}, this parkstat needs "
                        f"{need}; run `parkstat db upgrade` (then `parkstat seed`)")
    conn.commit()


def _start_run(conn: psycopg.Connection) -> int:
    with conn.transaction():
        # We hold the lock, so any run still marked running died without finishing.
        conn.execute(
            "UPDATE load_run SET status = 'aborted', finished_at = now(),"
            " message = 'the loader stopped before finishing' WHERE status = 'running'"
        )
        seed_catalogues(conn)
        row = conn.execute(
            "INSERT INTO load_run (extractor_version, parkstat_version) VALUES (%s, %s)"
            " RETURNING id",
            (EXTRACTOR_VERSION, __version__),
        ).fetchone()
    assert row is not None
    return int(row[0])


def _finish_run(conn: psycopg.Connection, s: LoadSummary, message: str | None = None) -> None:
    if message is None and s.failures:
        message = "\n".join(f"{f.path}: {f.reason}" for f in s.failures)
    with conn.transaction():
        conn.execute(
            """UPDATE load_run SET finished_at = now(), status = %s,
                 documents_new = %s, documents_changed = %s, documents_skipped = %s,
                 documents_failed = %s, records_loaded = %s, records_quarantined = %s,
                 message = %s
               WHERE id = %s""",
            (s.status, s.documents_new, s.documents_changed, s.documents_skipped,
             s.documents_failed, s.records_loaded, s.records_quarantined, message, s.run_id),
        )


def _fail(summary: LoadSummary, path: Path, reason: str) -> None:
    """A document that failed: its path printable (any bytes, newlines, escapes), its
    reason one line of at most MESSAGE_LIMIT characters (etl/messages.py)."""
    summary.documents_failed += 1
    summary.failures.append(DocumentFailure(path=path_text(path), reason=one_line(reason)))


def document_name(path: Path) -> str:
    """A document's name, the records' `doc`: its file name as valid Unicode."""
    return "stdin" if path == STDIN else stored_name(path.name)


def _extract(path: Path, data: bytes) -> ExtractedDocument:
    """`pipeline.extract_file` on bytes already read (and hashed): one read per file, so
    the stored sha256 is always that of the bytes extracted."""
    return pipeline.extract_source(document_name(path), report_from_bytes(path, data))


def _extract_job(path: Path, data: bytes) -> ExtractedDocument | str:
    """A document, or why it could not be extracted (a string: it crosses processes).
    At most PARKSTAT_MAX_EXTRACT_SECONDS (etl/extract/deadline.py): a runaway file fails alone."""
    try:
        pipeline.warm_up()
        with deadline.time_limit(deadline.max_seconds()):
            return _extract(path, data)
    except ReportReadError as e:
        return e.reason
    except deadline.ExtractionTimeout as e:
        return str(e)
    except Exception as e:  # an extractor bug must not stop the other documents
        return f"extraction failed: {type(e).__name__}: {_one_line(e)}"


def _die_with(parent: int) -> None:
    """Initializer of an extraction process: it dies with the loader. A `kill -9` of the
    loader runs no clean-up, and a worker would go on extracting (and holding memory)
    for nobody. Linux: the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG);
    elsewhere a thread watches the parent."""
    armed = False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the loader died before this process could ask
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _extracted(jobs: Iterator[tuple[int, Path, bytes]], workers: int
               ) -> Iterator[tuple[int, Path, ExtractedDocument | str]]:
    """Extract each (index, path, bytes) in input order: here, or in a pool of `workers`
    processes (which die with this one) with at most 2 × workers documents in flight."""
    if workers <= 1:
        for i, path, data in jobs:
            yield i, path, _extract_job(path, data)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with,
                               initargs=(os.getpid(),))
    window: deque[tuple[int, Path, Future[ExtractedDocument | str]]] = deque()
    try:
        for i, path, data in jobs:
            window.append((i, path, pool.submit(_extract_job, path, data)))
            del data
            if len(window) >= 2 * workers:
                yield _result(*window.popleft())
        while window:
            yield _result(*window.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(i: int, path: Path, future: Future[ExtractedDocument | str]
            ) -> tuple[int, Path, ExtractedDocument | str]:
    try:
        return i, path, future.result()
    except BrokenProcessPool as e:  # a worker died (OOM killer, signal)
        return i, path, f"extraction failed: worker process died: {_one_line(e)}"


@dataclass(frozen=True)
class _Stored:
    """What is stored for a file's document: found by its identity, or (`legacy`) a
    document loaded before revision 0008, known by its file name only."""

    id: int
    sha256: str
    version: str
    legacy: bool
    path: str


def _load_files(live: _Live, files: FileSet, source: str | None, summary: LoadSummary,
                workers: int = 1, bar: Progress | None = None, reextract: bool = False
                ) -> None:
    bar = bar or Progress(0, "", enabled=False)
    pause_at = int(os.environ.get(PAUSE_ENV, "0") or 0)
    pause_for = float(os.environ.get(PAUSE_SECONDS_ENV, "3600") or 3600)
    paths = files.files

    def ident(j: int) -> Identity:
        return identity(paths[j], files.base_of(j), source)

    def to_extract() -> Iterator[tuple[int, Path, bytes]]:
        """Files read and hashed; the unchanged ones skipped here, before extraction."""
        # identity → index of its file, 8 bytes a file, not a dict's ~100: a second fails
        seen = FirstSeen(lambda j: ident(j).key(), len(paths))
        known: dict[int, _Stored] = {}
        for i, path in enumerate(paths):
            if i % KNOWN_CHUNK == 0:  # what is stored, for the next files only (memory)
                chunk = [(j, ident(j), document_name(paths[j]))
                         for j in range(i, min(i + KNOWN_CHUNK, len(paths)))]
                known = live.retrying(partial(_stored_versions, chunk=chunk))
            me = ident(i)
            first = seen.check(me.key(), i)
            if first is not None:
                _fail(summary, path, f"another file in this load has the same path "
                      f"({printable(me.path_in_source)}) in source {printable(me.source)}: "
                      f"{path_text(paths[first])}")
                bar.advance()
                continue
            try:
                data = read_bytes(path)
            except ReportReadError as e:
                _fail(summary, path, e.reason)
                bar.advance()
                continue
            sha = hashlib.sha256(data).hexdigest()
            stored = known.get(i)
            if stored is not None and stored.legacy:
                stored = _adopt(live, stored, me, path, sha)
            if (not reextract and stored is not None
                    and (stored.sha256, stored.version) == (sha, EXTRACTOR_VERSION)):
                summary.documents_skipped += 1
                bar.advance()
                continue
            yield i, path, data

    writer = _Writer(live, summary, pause_for)
    batch = _Batch()
    stored = 0
    for i, path, doc in _extracted(to_extract(), workers):
        if isinstance(doc, str):
            _fail(summary, path, doc)
            bar.advance()
            continue
        stored += 1
        item = _staged(path, doc, ident(i))
        bar.advance(records=len(item.records))
        del doc  # the batch keeps rows, not pydantic records
        if stored == pause_at:
            # The test hook's document is a batch of its own: the documents before it are
            # committed and those after it not yet read while it pauses (tests kill the
            # loader, or remove a later file, at that moment).
            writer.write(batch.take())
            writer.write([item], pause=True)
            continue
        if batch.add(item):
            writer.write(batch.take())
    writer.write(batch.take())


# Stored hashes are looked up for this many files at a time, not for the whole database
# at once: a load's memory should not grow with what is already loaded.
KNOWN_CHUNK = 1000


def _stored_versions(conn: psycopg.Connection, chunk: list[tuple[int, Identity, str]]
                     ) -> dict[int, _Stored]:
    """file index → what is stored for its document: the document of its identity, else
    a document loaded before revision 0008 with its file name (to be adopted)."""
    columns = ([i for i, _, _ in chunk], [ident.source for _, ident, _ in chunk],
               [ident.path_in_source for _, ident, _ in chunk], [name for _, _, name in chunk])
    with conn.transaction():
        rows = conn.execute(
            """WITH k AS (SELECT * FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[])
                          AS k(i, source, path_in_source, name))
               SELECT k.i, d.id, d.sha256, d.extractor_version, false, d.path
               FROM k JOIN source_document d USING (source, path_in_source)
               UNION ALL
               SELECT k.i, d.id, d.sha256, d.extractor_version, true, d.path
               FROM k JOIN source_document d ON d.source IS NULL AND d.name = k.name""",
            columns,
        ).fetchall()
    out: dict[int, _Stored] = {}
    for i, doc_id, sha, version, legacy, path in rows:
        if not legacy or i not in out:  # its own identity first
            out[i] = _Stored(int(doc_id), sha, version, bool(legacy), path)
    return out


def _adopt(live: _Live, stored: _Stored, me: Identity, path: Path, sha: str
           ) -> _Stored | None:
    """A document loaded before revision 0008 (known by file name only) becomes this
    file's — it takes the file's identity — when it is the same file: the same bytes, or
    loaded from the same path. Then an unchanged file is still skipped and a changed one
    replaces its records; another file of that name elsewhere is a new document."""
    if stored.sha256 != sha and not _same_path(stored.path, path):
        return None

    def adopt(conn: psycopg.Connection) -> bool:
        with conn.transaction():
            row = conn.execute(
                "UPDATE source_document SET source = %s, path_in_source = %s"
                " WHERE id = %s AND source IS NULL RETURNING id",
                (me.source, me.path_in_source, stored.id)).fetchone()
        return row is not None

    return stored if live.retrying(adopt) else None  # another file of the load took it


def _same_path(stored: str, path: Path) -> bool:
    """`stored` (source_document.path before 0008: the path as given to `load`, maybe
    relative to where it ran) names the file at `path`."""
    if path == STDIN:
        return stored == str(STDIN)
    full = stored_name(os.path.abspath(path))
    if os.path.isabs(stored):
        return os.path.normpath(stored) == full
    rel = os.path.normpath(stored)
    return full == rel or full.endswith(os.sep + rel)


# Bounds of a batch (one transaction): whichever is reached first. Measured (database part
# of loading 1,000 generated reports, ~29 records each; benchmarks/README.md): 4.2 s in
# batches of 1 document, 2.3 s of 10, 1.5 s of 50, 1.36 s of 100, 1.27 s of 500, 1.25 s of
# 1,000 — past ~100 documents the per-batch costs (~20 statements, a commit) are small
# against the per-row ones (observation's indexes and foreign keys; the summary triggers
# run once per batch). The bounds keep what
# a batch holds (rows ready for COPY, texts: ~10 MB at 20,000 records) flat whatever the
# corpus — bench_memory checks it — and bound the work redone when a batch fails.
BATCH_DOCUMENTS = 500
BATCH_RECORDS = 20_000
BATCH_CHARS = 4_000_000  # of document text: a few very long documents make a batch alone


@dataclass
class _Staged:
    """An extracted document as the writer needs it: its source_document values, its
    records as rows, the distinct names they use, its rejected records as JSON. The
    ExtractedDocument (pydantic records) is dropped as soon as this is made."""

    path: Path
    name: str
    document: tuple[Any, ...]  # the stage_doc columns between `doc` and `text`
    text: str
    records: list[_Row]
    names: dict[tuple[str, str], list[Any]]  # (kind, name) → [first seq, park's region]
    rejected: list[tuple[str, str]]


def _staged(path: Path, doc: ExtractedDocument, ident: Identity) -> _Staged:
    src = doc.source
    records = [_record_row(seq, r) for seq, r in enumerate(doc.records)]
    names: dict[tuple[str, str], list[Any]] = {}
    for seq, (_, found) in enumerate(records):
        for kind, name in zip(ENTITY_KINDS, found, strict=True):
            if name is None:
                continue
            seen = names.get((kind, name))
            if seen is None:
                names[kind, name] = [seq, found.region if kind == "park" else None]
            elif kind == "park" and seen[1] is None:
                seen[1] = found.region  # a park lies in the first region its records name
    return _Staged(
        path=path, name=doc.name,
        document=(ident.source, ident.path_in_source, doc.name,
                  str(src.path) if path == STDIN else stored_name(os.path.abspath(path)),
                  src.sha256, src.size, src.encoding, doc.title, doc.stated_date),
        text=src.text, records=records, names=names,
        rejected=[(raw_json(rej.raw),
                   _reason_json(rej.reason)) for rej in doc.rejected],
    )


@dataclass
class _Batch:
    items: list[_Staged] = field(default_factory=list)
    records: int = 0
    chars: int = 0

    def add(self, item: _Staged) -> bool:
        """Add a document; True when the batch is full."""
        self.items.append(item)
        self.records += len(item.records)
        self.chars += len(item.text)
        return (len(self.items) >= BATCH_DOCUMENTS or self.records >= BATCH_RECORDS
                or self.chars >= BATCH_CHARS)

    def take(self) -> list[_Staged]:
        items = self.items
        self.items, self.records, self.chars = [], 0, 0
        return items


@dataclass
class _Writer:
    """Writes batches of documents, each in one transaction. A batch whose session the
    server dropped (idle since the last batch, a restart, pg_terminate_backend) is written
    again, whole, once on a new session; a batch the database refuses (or that loses its
    session a second time) is written again in halves, down to single documents, so that
    a bad document fails alone, with its reason."""

    live: _Live
    summary: LoadSummary
    pause_for: float

    def write(self, batch: list[_Staged], pause: bool = False, retry: bool = True) -> None:
        if not batch:
            return
        live, summary = self.live, self.summary
        try:
            with live.conn.transaction():
                inserted = _store_batch(live.conn, summary.run_id, batch)
                if pause:
                    print(f"parkstat: paused in transaction for {printable(batch[0].name)}",
                          file=sys.stderr, flush=True)
                    time.sleep(self.pause_for)
                live.check_lock()  # never commit once another load may run
        except psycopg.Error as e:
            lost = live.lost()
            if lost:
                try:
                    live.reconnect(e)
                except LoadError:
                    for item in batch:
                        _fail(summary, item.path, "database connection lost; the document "
                              f"was rolled back: {_one_line(e)}")
                    raise
                if retry:  # nothing of the batch was committed: all of it again, once
                    self.write(batch, pause, retry=False)
                    return
            reason = ("database connection lost twice; the document was rolled back" if lost
                      else "database rejected the document") + f": {_one_line(e)}"
            if len(batch) == 1:
                _fail(summary, batch[0].path, reason)
                return
            # Which document was at fault (or in flight when the connection dropped) is
            # unknown: write each half again, and so on down to single documents, so
            # that a bad one fails alone (one bad document in 500: ~18 transactions).
            half = len(batch) // 2
            self.write(batch[:half])
            self.write(batch[half:])
            return
        for item, new in zip(batch, inserted, strict=True):
            if new:
                summary.documents_new += 1
            else:
                summary.documents_changed += 1
            summary.records_loaded += len(item.records)
            summary.records_quarantined += len(item.rejected)


def _num(v: Decimal | None) -> str | None:
    # the exact decimal as text: NUMERIC stores 54480000000 and 23.5 as they were read
    return None if v is None else format(v, "f")


def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


@dataclass(frozen=True)
class _Column:
    """An observation column a record fills: from the record's `field`, written through
    `convert` when not as it is."""

    name: str
    field: str
    convert: Callable[[Any], Any] | None = None


# The observation columns a record fills, in COPY order. Declared once: the COPY's column
# list and every row are made from it, so a column cannot be listed in one order and
# filled in another; tests/test_load_columns.py checks it against models.Observation (a
# column the model gains and the loader forgets fails there).
RECORD_COLUMNS: tuple[_Column, ...] = (
    _Column("metric_code", "metric"),
    _Column("unit_code", "unit"),
    _Column("value", "value", _num),
    _Column("value_low", "value_low", _num),
    _Column("value_high", "value_high", _num),
    _Column("qualifier", "qualifier"),
    _Column("measure", "measure"),
    _Column("status", "status"),
    _Column("year", "year"),
    _Column("period", "period"),
    _Column("period_text", "period_text"),
    _Column("metric_text", "metric_text"),
    _Column("value_text", "value_text"),
    _Column("span_start", "start"),
    _Column("span_end", "end"),
    _Column("quote", "quote"),
    _Column("evidence", "evidence", _json),
)
# One attrgetter for all fields, converters only where declared: as fast as the tuple
# written out by hand (a getter called per column costs ~6 µs a record more).
_RECORD_FIELDS = attrgetter(*(c.field for c in RECORD_COLUMNS))
_CONVERTERS = tuple(c.convert for c in RECORD_COLUMNS)


class _Names(NamedTuple):
    """A record's entity names, clean_name'd, in ENTITY_KINDS order. They are resolved
    to ids when the batch is written (`resolve_names`), which fill the `<kind>_id`
    columns."""

    region: str | None
    park: str | None
    cluster: str | None
    company: str | None


_NAME_FIELDS = attrgetter(*_Names._fields)

# Every column the loader writes to `observation`, in COPY order: the document's and the
# run's ids (the batch's), the entity ids (from the record's _Names), the record's number
# in its document, then RECORD_COLUMNS.
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "document_id", "load_run_id", *(f"{kind}_id" for kind in _Names._fields), "seq",
    *(c.name for c in RECORD_COLUMNS))
_COPY_OBSERVATION = f"COPY observation ({', '.join(OBSERVATION_COLUMNS)}) FROM STDIN"

# A staged record: (seq, *its RECORD_COLUMNS values), and its names (their ids are known
# only when the batch is written).
_Row = tuple[tuple[Any, ...], _Names]


def _record_row(seq: int, r: Record) -> _Row:
    """A record as its number and RECORD_COLUMNS values, and its four names."""
    values = (seq, *[v if convert is None else convert(v)
                     for convert, v in zip(_CONVERTERS, _RECORD_FIELDS(r), strict=True)])
    return values, _Names._make(map(clean_name, _NAME_FIELDS(r)))


_STAGE_DOC_COLUMNS = ("doc, source, path_in_source, name, path, sha256, size, encoding, title,"
                      " stated_date, text")

# Created once per session (creating and dropping it for every document was a fifth of
# the write time of the per-document loader); emptied by every commit. IF NOT EXISTS: a
# rolled-back first batch takes its creation with it. `doc`: a document's number in its
# batch.
_STAGE_DOC_TABLE = """CREATE TEMP TABLE IF NOT EXISTS stage_doc (doc int, source text,
    path_in_source text, name text, path text, sha256 text, size bigint, encoding text,
    title text, stated_date date, text text
) ON COMMIT DELETE ROWS"""

_UPSERT_DOCUMENTS = """
WITH up AS (
    INSERT INTO source_document (source, path_in_source, name, path, sha256, size, encoding,
      title, stated_date, extractor_version, text, load_run_id)
    SELECT source, path_in_source, name, path, sha256, size, encoding, title, stated_date,
      %(version)s, text, %(run)s
    FROM stage_doc ORDER BY doc
    ON CONFLICT (source, path_in_source) DO UPDATE SET name = EXCLUDED.name,
      path = EXCLUDED.path, sha256 = EXCLUDED.sha256,
      size = EXCLUDED.size, encoding = EXCLUDED.encoding, title = EXCLUDED.title,
      stated_date = EXCLUDED.stated_date, extractor_version = EXCLUDED.extractor_version,
      text = EXCLUDED.text, load_run_id = EXCLUDED.load_run_id, loaded_at = now()
    RETURNING id, source, path_in_source, (xmax = 0) AS inserted
)
SELECT d.doc, up.id, up.inserted FROM up JOIN stage_doc d USING (source, path_in_source)"""


def _store_batch(conn: psycopg.Connection, run_id: int, batch: list[_Staged]) -> list[bool]:
    """Replace the facts of a batch of documents (distinct identities) in 15–20 statements
    whatever its size; for each document, True if it is new. Caller owns the txn.

    Documents, and their records, get their ids in input order, as when they were written
    one by one; names resolve per document (etl/store/entities.py). The records go to
    `observation` by one COPY with their entity ids already in them: names are resolved
    first, per distinct name, so no per-record staging table is written and read back."""
    with conn.cursor() as cur:
        cur.execute(_STAGE_DOC_TABLE)
        with cur.copy(f"COPY stage_doc ({_STAGE_DOC_COLUMNS}) FROM STDIN") as copy:
            for i, item in enumerate(batch):
                copy.write_row((i, *item.document, item.text))
        doc_ids: list[int] = [0] * len(batch)
        inserted: list[bool] = [False] * len(batch)
        for i, doc_id, new in cur.execute(_UPSERT_DOCUMENTS,
                                          {"version": EXTRACTOR_VERSION, "run": run_id}):
            doc_ids[i], inserted[i] = int(doc_id), bool(new)
        changed = [doc_ids[i] for i in range(len(batch)) if not inserted[i]]
        if changed:
            cur.execute("DELETE FROM observation WHERE document_id = ANY(%s)", (changed,))
            cur.execute("DELETE FROM rejected_record WHERE document_id = ANY(%s)", (changed,))

        ids = resolve_names(  # names → entity ids (etl/store/entities.py)
            cur, (StagedName(kind, i, name, seq, region)
                  for i, item in enumerate(batch)
                  for (kind, name), (seq, region) in item.names.items()),
            lambda i: batch[i].text)
        with cur.copy(_COPY_OBSERVATION) as copy:  # OBSERVATION_COLUMNS
            for i, item in enumerate(batch):
                doc_id = doc_ids[i]
                for values, names in item.records:
                    copy.write_row((
                        doc_id, run_id,
                        *(name and ids[kind, i, name]
                          for kind, name in zip(_Names._fields, names, strict=True)),
                        *values))
        with cur.copy(
            "COPY rejected_record (document_id, load_run_id, raw, reason) FROM STDIN"
        ) as copy:
            for i, item in enumerate(batch):
                for raw, reason in item.rejected:
                    copy.write_row((doc_ids[i], run_id, raw, reason))
    apply_corrections(conn, doc_ids)  # people's corrections over the new extraction
    return inserted


def _reason_json(reason: str) -> str:
    """pydantic's error JSON as is; any other reason wrapped as a JSON string."""
    try:
        json.loads(reason)
    except ValueError:
        return json.dumps(reason, ensure_ascii=False)
    return reason
