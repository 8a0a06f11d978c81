"""What the database benchmarks share: a throwaway database, a generated corpus."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from benchmarks import generate

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    """$DATABASE_URL's server if set, else the local one on 127.0.0.1:5432."""
    from etl.store import db

    url = os.environ.get("DATABASE_URL")
    return db.libpq_url(url) if url else LOCAL_SERVER


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(server: str) -> psycopg.Connection:
    return psycopg.connect(with_database(server, "postgres"), autocommit=True)


def create_database(server: str, template: str | None = None, tag: str = "bench") -> str:
    """A new empty database (or a copy of `template`); returns its URL."""
    name = f"parkstat_{tag}_{secrets.token_hex(4)}"
    with _admin(server) as conn:
        tpl = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{tpl}')
    return with_database(server, name)


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@contextlib.contextmanager
def migrated_database(server: str, tag: str = "bench") -> Iterator[str]:
    """A throwaway database at alembic head, seeded (catalogues and regions)."""
    from etl.store import db
    from etl.store.seed import seed_all

    url = create_database(server, tag=tag)
    try:
        db.upgrade(url)
        with psycopg.connect(url) as seeding:
            seed_all(seeding)
        yield url
    finally:
        drop_database(url)


@contextlib.contextmanager
def copy_of(server: str, template_url: str) -> Iterator[str]:
    url = create_database(server, template=database_name(template_url))
    try:
        yield url
    finally:
        drop_database(url)


@contextlib.contextmanager
def corpus_dir(reports: int, seed: int, given: Path | None = None) -> Iterator[Path]:
    """DIR/corpus of `reports` generated reports in a temporary directory (or `given`,
    a directory of reports, as it is)."""
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="parkstat-bench-") as tmp:
        generate.write_corpus(Path(tmp), reports, seed)
        yield Path(tmp) / "corpus"
