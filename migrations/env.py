"""Alembic environment: online migrations only, against the URL etl.store.db resolves."""

from alembic import context
from sqlalchemy import create_engine, pool

from etl.store.db import resolve_url, sqlalchemy_url
from models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:  # inside the caller's transaction (etl.store.db.downgrade_plan)
        context.configure(connection=given, target_metadata=target_metadata,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.attributes.get("database_url") or sqlalchemy_url(resolve_url())
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run parkstat db upgrade")
run_migrations_online()
