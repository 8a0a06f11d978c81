"""The loader's observation columns (etl/store/load.py, OBSERVATION_COLUMNS, declared once)
and the `observation` table agree — the model's, and the migrated database's. A column the
model gains without a default, or renames, and the loader forgets fails here, not in a
load in production."""

from __future__ import annotations

import psycopg
from sqlalchemy import Column, Table

from etl.extract.record import Record
from etl.store.entities import ENTITY_KINDS
from etl.store.load import OBSERVATION_COLUMNS, RECORD_COLUMNS, _Names
from models import Observation

# Columns of `observation` the loader leaves to the database: its identity, and what
# corrections (etl/store/corrections.py) set over the extractor's output. A new column
# belongs here or in the loader's declaration; a test below says which is missing.
NOT_THE_LOADERS = {"id", "reviewed", "corrected_fields", "correction_id"}


def _table() -> Table:
    table = Observation.__table__
    assert isinstance(table, Table)
    return table


def _required(column: Column[object]) -> bool:
    """A value must be given: NOT NULL, no server default, not an identity."""
    return (not column.nullable and column.server_default is None
            and column.identity is None)


def test_the_declared_columns_are_distinct() -> None:
    assert len(set(OBSERVATION_COLUMNS)) == len(OBSERVATION_COLUMNS), OBSERVATION_COLUMNS


def test_every_declared_column_is_one_of_the_model() -> None:
    columns = set(_table().columns.keys())
    assert [c for c in OBSERVATION_COLUMNS if c not in columns] == []


def test_every_required_column_of_the_model_is_written() -> None:
    missing = [c.name for c in _table().columns if _required(c)
               and c.name not in OBSERVATION_COLUMNS]
    assert missing == [], f"observation columns the loader must fill: {missing}"


def test_every_column_of_the_model_is_the_loaders_or_said_not_to_be() -> None:
    columns = set(_table().columns.keys())
    forgotten = sorted(columns - set(OBSERVATION_COLUMNS) - NOT_THE_LOADERS)
    assert forgotten == [], (f"observation columns neither etl/store/load.py writes nor "
                             f"NOT_THE_LOADERS lists: {forgotten}")
    assert columns >= NOT_THE_LOADERS, sorted(NOT_THE_LOADERS - columns)
    assert not NOT_THE_LOADERS & set(OBSERVATION_COLUMNS)


def test_the_entity_names_are_those_of_the_entity_kinds() -> None:
    assert _Names._fields == ENTITY_KINDS
    assert all(f"{kind}_id" in OBSERVATION_COLUMNS for kind in ENTITY_KINDS)


def test_every_record_column_reads_a_field_of_the_record() -> None:
    fields = set(Record.model_fields)
    assert [c.field for c in RECORD_COLUMNS if c.field not in fields] == []
    assert set(_Names._fields) <= fields


def test_the_migrated_table_takes_the_declared_columns(db_url: str) -> None:
    """The database the migrations make, not only the model: same names, and every
    column without a value of its own is written."""
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL"
            " AND is_identity = 'NO' FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = 'observation'").fetchall()
    required = {name for name, need in rows if need}
    columns = {name for name, _ in rows}
    assert [c for c in OBSERVATION_COLUMNS if c not in columns] == []
    assert sorted(required - set(OBSERVATION_COLUMNS)) == []
    assert columns == set(_table().columns.keys())
