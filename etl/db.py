"""Which database, and bringing its schema to a revision.

One URL flows everywhere in libpq form (`postgresql://…`), which psql, BI tools and
psycopg all accept; SQLAlchemy gets the same URL with the psycopg 3 driver named.
"""

from __future__ import annotations

import os
from functools import cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect

from etl.paths import ALEMBIC_INI, MIGRATIONS_DIR


def libpq_url(url: str) -> str:
    """Strip a SQLAlchemy driver suffix so psycopg and psql can use the URL."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + libpq_url(url).removeprefix("postgresql://")


def resolve_url(url: str | None = None) -> str:
    """An explicit URL, else DATABASE_URL, else the embedded server (started on demand)."""
    chosen = url or os.environ.get("DATABASE_URL")
    if chosen:
        return libpq_url(chosen)
    from etl import embedded

    return embedded.url()


def make_engine(url: str | None = None) -> Engine:
    return create_engine(sqlalchemy_url(resolve_url(url)), pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not via set_main_option: configparser would treat a `%`
    # in a password as interpolation.
    cfg.attributes["database_url"] = sqlalchemy_url(url)
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


@cache
def head_revision() -> str | None:
    """The newest migration this parkstat ships (what `db upgrade` goes to)."""
    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(url: str) -> str | None:
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return None if row is None else str(row[0])
    finally:
        engine.dispose()
