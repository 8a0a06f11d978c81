"""Which database, and bringing its schema to a revision.

One URL flows everywhere in libpq form (`postgresql://…`), which psql, BI tools and
psycopg all accept; SQLAlchemy gets the same URL with the psycopg 3 driver named.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

import psycopg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect

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
    from etl.store import embedded

    return embedded.url()


@dataclass(frozen=True)
class Database:
    """The database a command works on: its URL, resolved once (by the CLI, from
    --database-url, $DATABASE_URL or the embedded server: `Database.resolve`), and how to
    open a session on it.

    Library functions that only use a session take an open `psycopg.Connection`; the few
    that must open sessions themselves take this instead: the loader (its lock session,
    and a new session when the server drops one), the web application (one per request),
    an export (its own read-only session), a reader login (whose URL is made from this
    one). Not a pool and holds no session: cheap to pass, safe to share between threads."""

    url: str  # libpq form (postgresql://…)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", libpq_url(self.url))

    @classmethod
    def resolve(cls, url: str | None = None) -> Database:
        """`resolve_url(url)`: starts the embedded server when no URL is given."""
        return cls(resolve_url(url))

    @property
    def where(self) -> str:
        """host:port/dbname, without user or password, for messages."""
        return where(self.url)

    def connect(self, *, application_name: str | None = None,
                connect_timeout: int | None = None,
                autocommit: bool = False) -> psycopg.Connection:
        """A new session (the caller closes it: `with database.connect() as conn:` also
        commits, or rolls back on an exception). psycopg's errors are raised as they are:
        each caller words a failure to connect for its own command."""
        return psycopg.connect(self.url, autocommit=autocommit,
                               application_name=application_name,
                               connect_timeout=connect_timeout)


def where(url: str) -> str:
    """host:port/dbname of a URL, without user or password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(libpq_url(url))
    except psycopg.Error:
        return "the database"
    return (f"{info.get('host') or 'localhost'}:{info.get('port') or '5432'}/"
            f"{info.get('dbname') or ''}")


def make_engine(database: Database) -> Engine:
    """A SQLAlchemy engine on `database` (the caller disposes of it)."""
    return create_engine(sqlalchemy_url(database.url), pool_pre_ping=True)


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


@dataclass
class DowngradePlan:
    """What `db downgrade` to `target` would do, found by doing it inside a transaction
    that is rolled back: every revision's own statements run, so the list is exact."""

    where: str
    current: str | None
    target: str
    revisions: list[tuple[str, str]] = field(default_factory=list)  # (id, title) undone
    tables: list[tuple[str, int]] = field(default_factory=list)  # dropped, with rows
    views: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # table.column dropped
    schemas: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.revisions

    def describe(self) -> str:
        if self.empty:
            return (f"nothing to downgrade: {self.where} is at revision "
                    f"{self.current or 'base (no schema)'}")
        ids = ", ".join(rev for rev, _ in self.revisions)
        lines = [f"downgrade of {self.where} from revision {self.current} to "
                 f"{self.target} undoes {ids} and drops:"]
        if self.tables:
            rows = sum(n for _, n in self.tables)
            lines.append(f"  {len(self.tables)} tables, {rows:,} rows: " + ", ".join(
                f"{t} ({n:,} rows)" for t, n in self.tables))
        if self.views:
            lines.append(f"  {len(self.views)} views: {', '.join(self.views)}")
        if self.columns:
            lines.append(f"  {len(self.columns)} columns: {', '.join(self.columns)}")
        if self.schemas:
            lines.append(f"  schemas: {', '.join(self.schemas)}")
        if self.roles:
            lines.append(f"  roles: {', '.join(self.roles)} (their logins lose their "
                         "access until the next upgrade)")
        if not (self.tables or self.views or self.columns or self.schemas or self.roles):
            lines.append("  no table, view or column (constraints, indexes, functions only)")
        return "\n".join(lines)


_SCHEMAS = ("public", "bi")


def _snapshot(conn: Connection) -> tuple[dict[str, str], set[str], set[str], set[str]]:
    """(relation → kind 'table'/'view', table.column set, schemas, roles)."""
    rels = {f"{'' if s == 'public' else s + '.'}{n}": ("view" if k in ("v", "m") else "table")
            for s, n, k in conn.exec_driver_sql(
                "SELECT n.nspname, c.relname, c.relkind FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = ANY(%(s)s) AND c.relkind IN ('r', 'p', 'v', 'm')",
                {"s": list(_SCHEMAS)})}
    cols = {f"{'' if s == 'public' else s + '.'}{t}.{c}" for s, t, c in conn.exec_driver_sql(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = ANY(%(s)s)", {"s": list(_SCHEMAS)})}
    schemas = {r[0] for r in conn.exec_driver_sql("SELECT nspname FROM pg_namespace")}
    roles = {r[0] for r in conn.exec_driver_sql("SELECT rolname FROM pg_roles")}
    return rels, cols, schemas, roles


def downgrade_plan(url: str, revision: str = "base") -> DowngradePlan:
    """What `downgrade(url, revision)` would drop, with row counts; nothing is changed.
    Raises what the downgrade itself would raise (a revision that does not exist, a
    downgrade that fails) before anything is changed."""
    current = current_revision(url)
    plan = DowngradePlan(where=where(url), current=current, target=revision)
    if current is None:
        return plan
    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    down_to = None if revision == "base" else revision
    plan.revisions = [
        (rev.revision, (rev.doc or "").strip().splitlines()[0] if rev.doc else "")
        for rev in script.iterate_revisions(current, down_to or "base")
        if rev.revision != down_to]
    if not plan.revisions:
        return plan
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
                rels, cols, schemas, roles = _snapshot(conn)
                counts = {t: int(conn.exec_driver_sql(
                    f'SELECT count(*) FROM {_quoted(t)}').scalar_one())
                    for t, kind in rels.items() if kind == "table"}
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, revision)
                after_rels, after_cols, after_schemas, after_roles = _snapshot(conn)
            finally:
                tx.rollback()
    finally:
        engine.dispose()
    gone = sorted(set(rels) - set(after_rels))
    plan.tables = sorted(((t, counts[t]) for t in gone if rels[t] == "table"),
                         key=lambda x: (-x[1], x[0]))
    plan.views = [t for t in gone if rels[t] == "view"]
    plan.columns = sorted(c for c in cols - after_cols if c.rsplit(".", 1)[0] in after_rels)
    plan.schemas = sorted(schemas - after_schemas)
    plan.roles = sorted(roles - after_roles)
    return plan


def _quoted(relation: str) -> str:
    return ".".join(f'"{part}"' for part in relation.split("."))
