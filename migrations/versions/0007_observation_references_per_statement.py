"""`observation`'s references are checked once per statement, not once per row.

A foreign key checks each inserted row with its own query (and row lock): the eight on
`observation` were ~65 % of the cost of loading it (benchmarks/README.md, bench_load).
This revision replaces them with statement-level triggers that keep the same guarantees
set-wise:

* inserting or updating observations: `observation_check_references()` (AFTER … FOR EACH
  STATEMENT, on the statement's new rows) collects the distinct keys the statement
  refers to, locks the rows they name `FOR KEY SHARE` — what a foreign key does, so a
  concurrent delete of a referenced row waits for this transaction — and raises
  `foreign_key_violation` (SQLSTATE 23503) naming the first key that is not there;
* deleting or re-keying a referenced row (`metric`, `unit`, `load_run`, `region`, `park`,
  `cluster`, `company`): `observation_guard_reference()` raises 23503 when an
  observation still refers to a key that is gone (a delete waits for the key-share locks
  of loads in flight, then sees their rows);
* deleting documents removes their observations (`ON DELETE CASCADE` before);
* `TRUNCATE` of a referenced table is refused while `observation` has rows.

A load of 500 documents now checks a few hundred distinct keys instead of ~160,000
row references. `rejected_record` (a few rows per load) keeps its foreign keys.

The same revision drops two indexes no analyst query uses: `unit_code` (17 values, always
filtered with a selective column) and `load_run_id` (a run's rows are found through
`source_document.load_run_id`).

Moving `observation` to Citus (docs/SCALING.md): Citus runs foreign keys from a
distributed table to reference tables on each shard, and does not run these triggers by
default; there, `downgrade()`'s foreign keys are the ones to add back.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 05:00:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (observation column, referenced table, its key, the foreign key this replaces)
REFERENCES = (
    ("document_id", "source_document", "id"),
    ("load_run_id", "load_run", "id"),
    ("metric_code", "metric", "code"),
    ("unit_code", "unit", "code"),
    ("region_id", "region", "id"),
    ("park_id", "park", "id"),
    ("cluster_id", "cluster", "id"),
    ("company_id", "company", "id"),
)
DROPPED_INDEXES = (("ix_observation_unit_code", "unit_code"),
                   ("ix_observation_load_run_id", "load_run_id"))


def _fk_name(column: str, table: str) -> str:
    return f"fk_observation_{column}_{table}"


def _check_function() -> str:
    """One scan of the new rows for every column's distinct keys, then per column: lock
    the referenced rows, and name a key that is missing."""
    aggregates = ",\n           ".join(
        f"array_agg(DISTINCT {col}) FILTER (WHERE {col} IS NOT NULL)"
        for col, _, _ in REFERENCES)
    variables = ", ".join(f"k_{col}" for col, _, _ in REFERENCES)
    declarations = "\n  ".join(
        f"k_{col} {'text' if key == 'code' else 'bigint'}[];" for col, _, key in REFERENCES)
    checks = "\n".join(f"""
  SELECT k::text INTO missing FROM unnest(k_{col}) k
  WHERE k NOT IN (SELECT {key} FROM public.{table} WHERE {key} = ANY(k_{col}) FOR KEY SHARE)
  LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert or update on table "observation" violates foreign key "{_fk_name(col, table)}"'
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = format('Key ({col})=(%s) is not present in table "{table}".', missing);
  END IF;""" for col, table, key in REFERENCES)
    return f"""
CREATE FUNCTION public.observation_check_references() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  {declarations}
  missing text;
BEGIN
  SELECT {aggregates}
  INTO {variables}
  FROM new_rows;
{checks}
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION public.observation_check_references() IS
  'observation''s references, checked once per statement (revision 0007): the referenced rows are locked FOR KEY SHARE, as a foreign key would, and a missing one raises 23503.';
"""


GUARD_FUNCTION = """
CREATE FUNCTION public.observation_guard_reference() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  col text := TG_ARGV[0];
  key text := TG_ARGV[1];
  still text;
BEGIN
  EXECUTE format(
    'SELECT o.k::text FROM (SELECT DISTINCT %2$I AS k FROM old_rows) o
      WHERE NOT EXISTS (SELECT 1 FROM %3$I.%4$I t WHERE t.%2$I = o.k)
        AND EXISTS (SELECT 1 FROM public.observation x WHERE x.%1$I = o.k)
      LIMIT 1', col, key, TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO still;
  IF still IS NOT NULL THEN
    RAISE EXCEPTION 'update or delete on table "%" violates foreign key "fk_observation_%_%" on table "observation"',
        TG_TABLE_NAME, col, TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = format('Key (%s)=(%s) is still referenced from table "observation".',
                            key, still);
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION public.observation_guard_reference() IS
  'Refuses to delete or re-key a row observation still refers to (revision 0007).';

CREATE FUNCTION public.observation_cascade_documents() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM public.observation WHERE document_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION public.observation_cascade_documents() IS
  'Deleting documents deletes their observations (ON DELETE CASCADE before revision 0007).';

CREATE FUNCTION public.observation_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM public.observation) THEN
    RAISE EXCEPTION 'cannot truncate table "%": observation refers to it', TG_TABLE_NAME
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Delete or truncate the observations first.';
  END IF;
  RETURN NULL;
END
$fn$;
"""


def create_references() -> None:
    """The functions and statement-level triggers that check observation's references
    (revision 0011 makes them again when it is undone)."""
    op.execute(_check_function())
    op.execute(GUARD_FUNCTION)
    for event in ("INSERT", "UPDATE"):
        op.execute(f"""CREATE TRIGGER observation_references_{event.lower()}
            AFTER {event} ON public.observation REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION public.observation_check_references()""")
    for col, table, key in REFERENCES:
        deleted = ("public.observation_cascade_documents()" if table == "source_document"
                   else f"public.observation_guard_reference('{col}', '{key}')")
        op.execute(f"""CREATE TRIGGER observation_reference_delete
            AFTER DELETE ON public.{table} REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {deleted}""")
        op.execute(f"""CREATE TRIGGER observation_reference_update
            AFTER UPDATE ON public.{table} REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT
            EXECUTE FUNCTION public.observation_guard_reference('{col}', '{key}')""")
        op.execute(f"""CREATE TRIGGER observation_reference_truncate
            BEFORE TRUNCATE ON public.{table}
            FOR EACH STATEMENT EXECUTE FUNCTION public.observation_refuse_truncate()""")


def drop_references() -> None:
    """Their removal (this revision's downgrade, and revision 0011's upgrade)."""
    for _, table, _ in REFERENCES:
        for event in ("delete", "update", "truncate"):
            op.execute(f"DROP TRIGGER observation_reference_{event} ON public.{table}")
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER observation_references_{event} ON public.observation")
    for function in ("observation_check_references", "observation_guard_reference",
                     "observation_cascade_documents", "observation_refuse_truncate"):
        op.execute(f"DROP FUNCTION public.{function}()")


def upgrade() -> None:
    for col, table, _ in REFERENCES:
        op.drop_constraint(_fk_name(col, table), "observation", type_="foreignkey")
    for name, _ in DROPPED_INDEXES:
        op.drop_index(name, table_name="observation")
    create_references()


def downgrade() -> None:
    drop_references()
    for name, col in DROPPED_INDEXES:
        op.create_index(name, "observation", [col], unique=False)
    for col, table, key in REFERENCES:
        op.create_foreign_key(_fk_name(col, table), "observation", table, [col], [key],
                              ondelete="CASCADE" if table == "source_document" else None)
