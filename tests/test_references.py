"""`observation`'s references are declared foreign keys (revision 0011, in place of 0007's
statement-level triggers): a row naming a key that does not exist is refused, a key still
named cannot be deleted, re-keyed or truncated away, deleting a document deletes its
observations, a delete racing a load in flight cannot leave an orphan, and schema tools
(SQLAlchemy reflection) see the keys."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors

pytestmark = pytest.mark.db

_INSERT = """INSERT INTO observation (document_id, seq, load_run_id, metric_code, unit_code,
      region_id, park_id, cluster_id, company_id, value, qualifier, measure, status,
      value_text, span_start, span_end, quote)
    VALUES (%(document_id)s, 0, %(load_run_id)s, %(metric_code)s, %(unit_code)s,
      %(region_id)s, %(park_id)s, %(cluster_id)s, %(company_id)s, 1, 'exact', 'level',
      'actual', '1亿元', 0, 3, 'q')"""


@pytest.fixture
def refs(db_url: str) -> Iterator[dict[str, Any]]:
    """A run, a document, a park and a company, and one observation naming them."""
    with psycopg.connect(db_url) as c:
        row: dict[str, Any] = {"metric_code": "gdp", "unit_code": "CNY", "cluster_id": None}
        row["load_run_id"] = _one(c, "INSERT INTO load_run (extractor_version,"
                                     " parkstat_version) VALUES ('t', 't') RETURNING id")
        row["document_id"] = _one(
            c, "INSERT INTO source_document (name, path, sha256, size, encoding,"
               " extractor_version, text, load_run_id) VALUES ('d.txt', 'd.txt', %s, 1,"
               " 'utf-8', 't', 'x', %s) RETURNING id", ("0" * 64, row["load_run_id"]))
        row["region_id"] = _one(c, "SELECT min(id) FROM region")
        row["park_id"] = _one(c, "INSERT INTO park (name, provisional) VALUES"
                                 " ('测试产业园', true) RETURNING id")
        row["company_id"] = _one(c, "INSERT INTO company (name, provisional) VALUES"
                                    " ('测试公司', true) RETURNING id")
        c.execute(_INSERT, row)
        c.commit()
    yield {"url": db_url, **row}


def _one(c: psycopg.Connection, sql: str, params: Any = None) -> Any:
    found = c.execute(sql, params).fetchone()
    assert found is not None
    return found[0]


@pytest.mark.parametrize("column, value", [
    ("metric_code", "no_such_metric"), ("unit_code", "furlong"), ("load_run_id", 10**9),
    ("document_id", 10**9), ("region_id", 10**9), ("park_id", 10**9),
    ("cluster_id", 10**9), ("company_id", 10**9),
])
def test_an_observation_naming_a_missing_key_is_refused(
        refs: dict[str, Any], column: str, value: Any) -> None:
    with psycopg.connect(refs["url"]) as c:
        with pytest.raises(errors.ForeignKeyViolation) as e:
            c.execute(_INSERT, {**refs, column: value})
        assert e.value.diag.message_detail == (
            f'Key ({column})=({value}) is not present in table '
            f'"{_TABLES[column]}".')


_TABLES = {"metric_code": "metric", "unit_code": "unit", "load_run_id": "load_run",
           "document_id": "source_document", "region_id": "region", "park_id": "park",
           "cluster_id": "cluster", "company_id": "company"}


def test_one_bad_row_refuses_the_whole_statement(refs: dict[str, Any]) -> None:
    with psycopg.connect(refs["url"]) as c:
        before = _one(c, "SELECT count(*) FROM observation")
        with pytest.raises(errors.ForeignKeyViolation), c.cursor() as cur, \
                cur.copy("COPY observation (document_id, seq, load_run_id, metric_code,"
                         " unit_code, value, qualifier, measure, status, value_text,"
                         " span_start, span_end, quote) FROM STDIN") as copy:
            for metric in ("gdp", "gdp", "no_such_metric", "gdp"):
                copy.write_row((refs["document_id"], 1, refs["load_run_id"], metric, "CNY",
                                1, "exact", "level", "actual", "1", 0, 1, "q"))
        c.rollback()
        assert _one(c, "SELECT count(*) FROM observation") == before


def test_moving_observations_to_a_missing_entity_is_refused(refs: dict[str, Any]) -> None:
    with psycopg.connect(refs["url"]) as c, pytest.raises(errors.ForeignKeyViolation):
        c.execute("UPDATE observation SET company_id = %s", (10**9,))


@pytest.mark.parametrize("table, key, column", [
    ("park", "id", "park_id"), ("company", "id", "company_id"),
    ("region", "id", "region_id"), ("metric", "code", "metric_code"),
    ("unit", "code", "unit_code"), ("load_run", "id", "load_run_id"),
])
def test_a_referenced_row_cannot_be_deleted_or_rekeyed(
        refs: dict[str, Any], table: str, key: str, column: str) -> None:
    with psycopg.connect(refs["url"]) as c:
        value = refs[column]
        if table in _ALSO_REFERENCED:  # a row only observation refers to
            value = _one(c, _ALSO_REFERENCED[table])
            c.execute(_INSERT, {**refs, column: value})
            c.commit()
        with pytest.raises(errors.ForeignKeyViolation) as e:
            c.execute(f"DELETE FROM {table} WHERE {key} = %s", (value,))
        assert e.value.diag.message_detail == (
            f'Key ({key})=({value}) is still referenced from table "observation".')
        c.rollback()
        if key == "id":
            new_key: Any = 10**9
        else:
            new_key = "renamed"
        with pytest.raises(errors.ForeignKeyViolation):
            c.execute(f"UPDATE {table} SET {key} = %s WHERE {key} = %s", (new_key, value))


# Units and runs are also referred to by metric.canonical_unit and source_document (foreign
# keys, which would answer first): these make a row that only observation refers to.
_ALSO_REFERENCED = {
    "unit": "SELECT min(code) FROM unit u WHERE NOT EXISTS"
            " (SELECT 1 FROM metric m WHERE m.canonical_unit = u.code)",
    "load_run": "INSERT INTO load_run (extractor_version, parkstat_version)"
                " VALUES ('t', 't') RETURNING id",
}


def test_an_unreferenced_row_can_be_deleted_and_others_updated(refs: dict[str, Any]) -> None:
    with psycopg.connect(refs["url"]) as c:
        spare = _one(c, "INSERT INTO park (name, provisional) VALUES ('空园', true)"
                        " RETURNING id")
        assert c.execute("DELETE FROM park WHERE id = %s", (spare,)).rowcount == 1
        assert c.execute("UPDATE park SET name = name || '区'").rowcount >= 1
        assert c.execute("UPDATE metric SET name_zh = name_zh").rowcount > 0


def test_deleting_a_document_deletes_its_observations(refs: dict[str, Any]) -> None:
    with psycopg.connect(refs["url"]) as c:
        c.execute("DELETE FROM source_document WHERE id = %s", (refs["document_id"],))
        assert _one(c, "SELECT count(*) FROM observation") == 0


def test_truncating_a_referenced_table_is_refused(refs: dict[str, Any]) -> None:
    with psycopg.connect(refs["url"]) as c:
        with pytest.raises(errors.FeatureNotSupported, match="foreign key"):
            c.execute("TRUNCATE company")
        c.rollback()
        c.execute("TRUNCATE observation")
        c.execute("TRUNCATE company CASCADE")


def test_the_foreign_keys_are_declared(refs: dict[str, Any]) -> None:
    """What ER diagrams and BI tools read: SQLAlchemy's reflection lists all eight."""
    import sqlalchemy as sa

    from etl.store.db import sqlalchemy_url

    engine = sa.create_engine(sqlalchemy_url(refs["url"]))
    try:
        fks = sa.inspect(engine).get_foreign_keys("observation")
    finally:
        engine.dispose()
    got = {(fk["constrained_columns"][0], fk["referred_table"]) for fk in fks}
    assert got == {("document_id", "source_document"), ("load_run_id", "load_run"),
                   ("metric_code", "metric"), ("unit_code", "unit"), ("region_id", "region"),
                   ("park_id", "park"), ("cluster_id", "cluster"), ("company_id", "company")}


def _new_park(url: str, name: str) -> int:
    with psycopg.connect(url, autocommit=True) as c:
        return int(_one(c, "INSERT INTO park (name, provisional) VALUES (%s, true)"
                           " RETURNING id", (name,)))


def _waits_then_fails(conn: psycopg.Connection, sql: str, params: Any,
                      release: Callable[[], None]) -> None:
    """`sql` on `conn`, in a thread: it must wait until `release()`, then be refused as a
    foreign key would refuse it."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            conn.execute(sql, params)
            outcome.append(None)
        except psycopg.Error as e:
            outcome.append(e)

    waiting = threading.Thread(target=run)
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive()  # blocked behind the other transaction
    release()
    waiting.join(10)
    assert isinstance(outcome[0], errors.ForeignKeyViolation)


def test_a_delete_waits_for_a_load_in_flight_and_then_fails(refs: dict[str, Any]) -> None:
    """As with a foreign key: the load's statement locks the park it names (FOR KEY
    SHARE), so deleting the park waits; once the load commits, the delete sees its row."""
    park = _new_park(refs["url"], "新园")
    with psycopg.connect(refs["url"]) as load, psycopg.connect(refs["url"]) as curator:
        load.execute(_INSERT, {**refs, "park_id": park})  # not committed yet
        curator.execute("SET lock_timeout = '300ms'")
        with pytest.raises(errors.LockNotAvailable):
            curator.execute("DELETE FROM park WHERE id = %s", (park,))
        curator.rollback()
        curator.execute("SET lock_timeout = 0")
        _waits_then_fails(curator, "DELETE FROM park WHERE id = %s", (park,), load.commit)


def test_a_load_waits_for_a_delete_in_flight_and_then_fails(refs: dict[str, Any]) -> None:
    park = _new_park(refs["url"], "旧园")
    with psycopg.connect(refs["url"]) as load, psycopg.connect(refs["url"]) as curator:
        curator.execute("DELETE FROM park WHERE id = %s", (park,))  # not committed yet
        _waits_then_fails(load, _INSERT, {**refs, "park_id": park}, curator.commit)
