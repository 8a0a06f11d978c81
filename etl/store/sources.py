"""Sources of the loaded documents (etl/inputs/identity.py): which there are, and renaming one —
a corpus that moved to another folder, or that is loaded with `--source NAME` from now on —
so that its documents keep their records and the next load skips the unchanged files
instead of loading them again as new documents.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import psycopg

from etl.inputs.identity import check_source_name


class SourceError(RuntimeError):
    """A rename that cannot be done; the message says why. `locked`: a load is running."""

    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.locked = locked


@dataclass(frozen=True)
class Source:
    source: str | None  # None: documents loaded before revision 0008, not met since
    documents: int
    last_loaded: datetime

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_sources(conn: psycopg.Connection) -> list[Source]:
    rows = conn.execute(
        "SELECT source, count(*), max(loaded_at) FROM source_document"
        " GROUP BY source ORDER BY source NULLS FIRST").fetchall()
    return [Source(s, int(n), at) for s, n, at in rows]


def rename_source(conn: psycopg.Connection, old: str, new: str, *, wait: float = 0) -> int:
    """Give every document of source `old` the source `new`, in one transaction, under
    the load lock (no load runs meanwhile; committed when it returns, or a savepoint the
    caller commits when `conn` is already in a transaction). Returns how many documents
    moved. Refused when `new` already has a document at one of the same paths."""
    from etl.store.lock import take_load_lock

    new = check_source_name(new)
    with conn.transaction():
        if not take_load_lock(conn, wait):
            raise SourceError("a parkstat load is running; try again when it ends "
                              "(or use --wait SECONDS)", locked=True)
        clash = conn.execute(
            "SELECT count(*), min(a.path_in_source) FROM source_document a"
            " JOIN source_document b USING (path_in_source)"
            " WHERE a.source = %s AND b.source = %s", (old, new)).fetchone()
        if clash is not None and clash[0]:
            raise SourceError(
                f"{clash[0]} documents of {old} have a path that source {new} already has "
                f"({clash[1]}, …); nothing changed")
        moved = conn.execute("UPDATE source_document SET source = %s WHERE source = %s",
                             (new, old)).rowcount
        if not moved:
            raise SourceError(f"no documents have the source {old} (see `parkstat source "
                              "list`); nothing changed")
    return moved
