"""Nobody gets in where they don't belong (issue 14): the load lock only loaders can take,
the reader confined to `bi`, the database to the roles it names.

* `load_lock`, a view that holds no data: `parkstat load` (for its whole run), `parkstat
  alias add` and `parkstat seed` (for their transaction) take `LOCK TABLE load_lock IN
  EXCLUSIVE MODE`. That mode needs UPDATE, DELETE or TRUNCATE on it, which only its owner
  has, so a role that cannot load can neither take nor hold the lock (the advisory lock
  before it could be taken by anyone, the reader included). A view, not a table: VACUUM
  and ANALYZE never wait for it, and holding it assigns no transaction id.
* The reader sees `bi` only: USAGE on schema public is taken from PUBLIC (and given to the
  role migrating, which loads), and parkstat_reader's SELECT on metric, unit and region
  goes (bi.dim_metric, dim_unit and dim_region show them). The views run with their
  owner's rights and need neither.
* CONNECT on this database is taken from PUBLIC and given to the role migrating;
  `parkstat db reader-url` grants it to each login it makes, so a login made for one
  database cannot connect to another parkstat database of the same server.
* The migrating role becomes a member of parkstat_reader (SET, not INHERIT, on PostgreSQL
  16+) so that `parkstat export` can `SET LOCAL ROLE parkstat_reader`.
* As a superuser: EXECUTE on functions that write or hold shared resources outside the
  tables — large objects (lo_*), advisory locks (a reader could fill the shared lock
  table), pg_logical_emit_message (WAL), pg_notify, xid assignment — is revoked from
  PUBLIC in this database. Not a superuser: a WARNING says so; `parkstat db reader-url`
  run by a superuser does it too, and warns when it is still missing.

REVOKE by a role that lacks the right is only a WARNING in PostgreSQL, as in 0002.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

READER = "parkstat_reader"
REFERENCE_TABLES = ("metric", "unit", "region")
# pg_catalog functions PUBLIC may run by default that write or hold something outside the
# tables (a read-only transaction allows them all).
GUARDED = (r"^(lo_(close|creat|create|from_bytea|get|lseek|lseek64|open|put|tell|tell64|"
           r"truncate|truncate64|unlink)|loread|lowrite|pg_(try_)?advisory_.*|"
           r"pg_logical_emit_message|pg_notify|txid_current|pg_current_xact_id)$")

LOCK_COMMENT = (
    "Not data: the load lock. parkstat load (for its whole run), parkstat alias add and "
    "parkstat seed (for their transaction) hold LOCK TABLE load_lock IN EXCLUSIVE MODE; "
    "that mode needs UPDATE, DELETE or TRUNCATE on it, which only its owner has.")


def _functions(action: str) -> str:
    verb = "REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC" if action == "revoke" \
        else "GRANT EXECUTE ON FUNCTION %s TO PUBLIC"
    return f"""
DO $$
DECLARE f regprocedure;
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE WARNING 'parkstat: % is not a superuser, so large-object, advisory-lock and '
            'other writing functions stay executable by every role here; run `parkstat db '
            'reader-url` once as a superuser', current_user;
        RETURN;
    END IF;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname ~ '{GUARDED}'
    LOOP
        EXECUTE format('{verb}', f);
    END LOOP;
END $$"""


def upgrade() -> None:
    op.execute("CREATE VIEW public.load_lock AS SELECT true AS lock")
    op.execute(f"COMMENT ON VIEW public.load_lock IS '{LOCK_COMMENT}'")
    op.execute("COMMENT ON COLUMN public.load_lock.lock IS 'Always true; the view is only "
               "ever locked, never read.'")
    op.execute("REVOKE ALL ON public.load_lock FROM PUBLIC")

    tables = ", ".join(f"public.{t}" for t in REFERENCE_TABLES)
    op.execute(f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
        REVOKE ALL ON {tables} FROM {READER};
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        GRANT USAGE ON SCHEMA public TO CURRENT_USER;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), current_user);
    END IF;
    REVOKE USAGE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
END $$""")

    op.execute(f"""
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN;
    END IF;
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE format('GRANT {READER} TO %I WITH INHERIT FALSE, SET TRUE', current_user);
    ELSE
        EXECUTE format('GRANT {READER} TO %I', current_user);
    END IF;
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
    RAISE WARNING 'parkstat: cannot make % a member of {READER}; `parkstat export` needs '
        'it (GRANT {READER} TO %)', current_user, current_user;
END $$""")

    op.execute(_functions("revoke"))


def downgrade() -> None:
    op.execute(_functions("grant"))
    op.execute(f"""
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
            AND pg_has_role(current_user, '{READER}', 'MEMBER') THEN
        EXECUTE format('REVOKE {READER} FROM %I', current_user);
    END IF;
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
    NULL;
END $$""")
    tables = ", ".join(f"public.{t}" for t in REFERENCE_TABLES)
    op.execute(f"""
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC', current_database());
    GRANT USAGE ON SCHEMA public TO PUBLIC;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
        GRANT SELECT ON {tables} TO {READER};
    END IF;
END $$""")
    op.execute("DROP VIEW public.load_lock")
