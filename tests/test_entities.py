"""Names to entities: gazetteer regions, shared region names, provisional entities, and
merging with `parkstat alias add` (etl/store/entities.py), against a real PostgreSQL.

The records' subjects are set by wrapping `extract_raw`, so the tests do not depend on
what the extractor makes of the text; the figures and spans are the extractor's own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

from etl.extract.pipeline import extract_file
from etl.paths import SEEDS_DIR
from etl.store import db
from etl.store.db import Database
from etl.store.entities import (
    AliasConflict,
    AmbiguousName,
    EntitiesLocked,
    EntityNotFound,
    add_alias,
    list_aliases,
    list_entities,
)
from etl.store.load import load_paths
from etl.store.lock import LOCK_STATEMENT
from etl.store.seed import seed_regions
from tests.conftest import HAVE_CORPUS, run_cli
from tests.helpers import BODY

pytestmark = pytest.mark.db



def _report(d: Path, name: str, prefix: str = "") -> Path:
    d.mkdir(parents=True, exist_ok=True)
    path = d / name
    path.write_text(prefix + BODY, encoding="utf-8")
    n = len(extract_file(path).records)
    assert n >= 2, f"the extractor found {n} records in the test text"
    return path


def _rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def _regions_of(url: str, doc: str) -> dict[str, tuple[str | None, bool]]:
    """Region name as written in a record → (code, provisional) of the row it links to,
    via the document's observations in seq order."""
    rows = _rows(url, """SELECT r.name, r.code, r.provisional FROM observation o
                         JOIN source_document d ON d.id = o.document_id
                         JOIN region r ON r.id = o.region_id
                         WHERE d.name = %s ORDER BY o.seq""", doc)
    return {name: (code, prov) for name, code, prov in rows}


def test_gazetteer_names_link_to_seeded_regions(
        db_url: str, tmp_path: Path, subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "a.txt")
    # short names, and spaces (clean_name), resolve through the gazetteer's aliases
    subjects["a.txt"] = [{"region": "荆州区"}, {"region": "南阳"}, {"region": "南 阳 市"}]
    assert load_paths([d], Database(db_url)).ok
    rows = _rows(db_url, """SELECT o.seq, r.code, r.name, r.provisional FROM observation o
                            JOIN region r ON r.id = o.region_id ORDER BY o.seq""")
    by_seq = {seq: (code, name, prov) for seq, code, name, prov in rows}
    assert by_seq[0] == ("421003", "荆州区", False)
    assert by_seq[1] == ("411300", "南阳市", False)
    assert by_seq[2] == ("411300", "南阳市", False)
    assert _rows(db_url, "SELECT name FROM region WHERE provisional") == []


def test_shared_region_names_follow_the_document(
        db_url: str, tmp_path: Path, subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "changchun.txt")                      # another record names 长春市
    subjects["changchun.txt"] = [{"region": "朝阳区"}, {"region": "长春市"}]
    _report(d, "beijing.txt", prefix="北京市朝阳区\n")  # the text names 北京市
    subjects["beijing.txt"] = [{"region": "朝阳区"}]
    _report(d, "nowhere.txt")                        # nothing says which
    subjects["nowhere.txt"] = [{"region": "朝阳区"}]
    _report(d, "both.txt")                           # both candidates have a named ancestor
    subjects["both.txt"] = [{"region": "朝阳区"}, {"region": "北京市"}, {"region": "吉林省"}]
    _report(d, "qinghe.txt")                         # the candidate itself, by its full name
    subjects["qinghe.txt"] = [{"region": "清河"}, {"region": "清河县"}]
    assert load_paths([d], Database(db_url)).ok

    assert _regions_of(db_url, "changchun.txt")["朝阳区"] == ("220104", False)
    assert _regions_of(db_url, "beijing.txt")["朝阳区"] == ("110105", False)
    assert _regions_of(db_url, "nowhere.txt")["朝阳区"] == (None, True)
    assert _regions_of(db_url, "both.txt")["朝阳区"] == (None, True)
    assert _regions_of(db_url, "qinghe.txt") == {"清河县": ("130534", False)}
    # one provisional 朝阳区, shared by the documents that could not decide
    assert _rows(db_url, "SELECT name FROM region WHERE provisional") == [("朝阳区",)]


def test_provisional_parks_are_listed(
        db_url: str, db_conn: psycopg.Connection, tmp_path: Path,
        subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "a.txt")
    _report(d, "b.txt")
    subjects["a.txt"] = [{"region": "南阳市", "park": "测试高新区"}]
    subjects["b.txt"] = [{"park": "测试高新区", "cluster": "测试产业"}]
    assert load_paths([d], Database(db_url)).ok
    n_a = len(extract_file(d / "a.txt").records)
    n_b = len(extract_file(d / "b.txt").records)

    parks = list_entities(db_conn, provisional=True, kind="park")
    assert [(p.name, p.observations, p.documents, p.first_document, p.region, p.region_code)
            for p in parks] == [("测试高新区", n_a + n_b, 2, "a.txt", "南阳市", "411300")]
    every = list_entities(db_conn, provisional=True)
    assert {(e.kind, e.name) for e in every} == {("park", "测试高新区"), ("cluster", "测试产业")}
    assert list_entities(db_conn, provisional=True, kind="region") == []
    regions = list_entities(db_conn, provisional=False, kind="region")
    assert len(regions) > 3000 and regions[0].name == "南阳市" and regions[0].code == "411300"

    out = run_cli("entities", "--provisional", "--kind", "park", "--json", database_url=db_url)
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [(e["name"], e["kind"], e["observations"], e["first_document"], e["region"])
            for e in listed] == [("测试高新区", "park", n_a + n_b, "a.txt", "南阳市")]
    text = run_cli("entities", "--kind", "park", database_url=db_url)
    assert text.returncode == 0 and "测试高新区" in text.stdout and "南阳市" in text.stdout


def _park_counts(url: str) -> dict[str, int]:
    return dict(_rows(url, """SELECT p.name, count(o.id) FROM park p
                              LEFT JOIN observation o ON o.park_id = p.id GROUP BY p.name"""))


def test_alias_add_merges_and_a_reload_stays_on_the_canonical_park(
        db_url: str, db_conn: psycopg.Connection, tmp_path: Path,
        subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    short = _report(d, "short.txt")
    _report(d, "long.txt")
    subjects["short.txt"] = [{"region": "南阳市", "park": "南阳高新区"}]
    subjects["long.txt"] = [{"park": "南阳高新技术产业开发区"}]
    assert load_paths([d], Database(db_url)).ok
    before = _park_counts(db_url)
    n_short, n_long = before["南阳高新区"], before["南阳高新技术产业开发区"]
    assert n_short > 0 and n_long > 0

    out = run_cli("alias", "add", "南阳高新区", "南阳高新技术产业开发区", database_url=db_url)
    assert out.returncode == 0, out.stderr
    assert f"{n_short} observations moved" in out.stdout
    assert _park_counts(db_url) == {"南阳高新技术产业开发区": n_short + n_long}
    merged = _rows(db_url, "SELECT kind, alias, from_name, to_name, observations_moved"
                           " FROM entity_merge")
    assert merged == [("park", "南阳高新区", "南阳高新区", "南阳高新技术产业开发区", n_short)]
    # the merged park's region fills the canonical park's gap
    assert _rows(db_url, "SELECT r.code FROM park p JOIN region r ON r.id = p.region_id") == [
        ("411300",)]
    aliases = {(a.alias, a.entity_name, a.origin) for a in list_aliases(db_conn, kind="park")}
    assert aliases == {("南阳高新区", "南阳高新技术产业开发区", "curator"),
                       ("南阳高新技术产业开发区", "南阳高新技术产业开发区", "loader")}

    # the bi views show the canonical name only
    with psycopg.connect(db_url) as conn:
        names = conn.execute("SELECT DISTINCT park_name FROM bi.observation"
                             " WHERE park_name IS NOT NULL").fetchall()
        dim = conn.execute("SELECT park_name, aliases, region_code FROM bi.dim_park").fetchall()
        fact = conn.execute("SELECT count(*) FROM bi.fact_observation f"
                            " JOIN bi.dim_park p USING (park_id)").fetchone()
    assert names == [("南阳高新技术产业开发区",)]
    assert dim == [("南阳高新技术产业开发区", "南阳高新区", "411300")]
    assert fact == (n_short + n_long,)

    # a changed short.txt is re-extracted; its 南阳高新区 records land on the canonical park
    with open(short, "a", encoding="utf-8") as f:
        f.write("完成固定资产投资１２亿元。\n")
    n_short_now = len(extract_file(short).records)
    again = load_paths([d], Database(db_url))
    assert again.ok and again.documents_changed == 1
    assert _park_counts(db_url) == {"南阳高新技术产业开发区": n_short_now + n_long}
    assert list_entities(db_conn, provisional=True, kind="park")[0].name == "南阳高新技术产业开发区"

    # again: nothing to do
    same = add_alias(db_conn, "南阳高新区", "南阳高新技术产业开发区")
    assert same.action == "unchanged"


def test_a_new_alias_is_used_by_later_loads(
        db_url: str, db_conn: psycopg.Connection, tmp_path: Path,
        subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "a.txt")
    subjects["a.txt"] = [{"park": "南阳高新技术产业开发区"}]
    assert load_paths([d], Database(db_url)).ok
    added = add_alias(db_conn, "南 阳 高 新 区", "南阳高新技术产业开发区", "park")
    assert (added.action, added.alias) == ("added", "南阳高新区")
    _report(d, "b.txt")
    subjects["b.txt"] = [{"park": "南阳高新区"}]
    assert load_paths([d], Database(db_url)).ok
    assert list(_park_counts(db_url)) == ["南阳高新技术产业开发区"]


def test_shared_region_name_merged_by_code(
        db_url: str, db_conn: psycopg.Connection, tmp_path: Path,
        subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "nowhere.txt")
    subjects["nowhere.txt"] = [{"region": "朝阳区", "park": "朝阳园"}]
    assert load_paths([d], Database(db_url)).ok
    n = len(extract_file(d / "nowhere.txt").records)

    ambiguous = run_cli("alias", "add", "朝阳区", "朝阳区", "--kind", "region",
                        database_url=db_url)
    assert ambiguous.returncode == 1
    assert "110105" in ambiguous.stderr and "220104" in ambiguous.stderr
    assert "ambiguous" in ambiguous.stderr

    r = add_alias(db_conn, "朝阳区", "110105", "region")
    assert (r.action, r.observations_moved, r.canonical_name) == ("merged", n, "朝阳区")
    rows = _rows(db_url, """SELECT DISTINCT r.code, p.region_code FROM observation o
                            JOIN region r ON r.id = o.region_id
                            JOIN bi.dim_park p ON p.park_id = o.park_id""")
    assert rows == [("110105", "110105")]  # the park in it moved too
    assert _rows(db_url, "SELECT count(*) FROM region WHERE provisional") == [(0,)]
    # the curator's choice is the default for documents that do not say; context still wins
    _report(d, "changchun.txt")
    subjects["changchun.txt"] = [{"region": "朝阳区"}, {"region": "长春市"}]
    _report(d, "nowhere2.txt")
    subjects["nowhere2.txt"] = [{"region": "朝阳区"}]
    assert load_paths([d], Database(db_url)).ok
    assert _regions_of(db_url, "changchun.txt")["朝阳区"] == ("220104", False)
    assert _regions_of(db_url, "nowhere2.txt")["朝阳区"] == ("110105", False)


def test_alias_add_errors_are_clear(
        db_url: str, db_conn: psycopg.Connection, tmp_path: Path,
        subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "a.txt")
    subjects["a.txt"] = [{"region": "中国", "park": "光电", "cluster": "光电"}]
    assert load_paths([d], Database(db_url)).ok

    with pytest.raises(EntityNotFound, match="不存在的园区"):
        add_alias(db_conn, "某园", "不存在的园区")
    missing = run_cli("alias", "add", "某园", "不存在的园区", database_url=db_url)
    assert missing.returncode == 1 and "不存在的园区" in missing.stderr
    with pytest.raises(AmbiguousName, match="--kind"):
        add_alias(db_conn, "某名", "光电")         # a park and a cluster
    assert add_alias(db_conn, "某名", "光电", "cluster").action == "added"
    with pytest.raises(AliasConflict, match="confirmed"):
        add_alias(db_conn, "荆州", "南阳市")       # 荆州 names the confirmed 荆州市
    with pytest.raises(EntityNotFound, match="park"):
        add_alias(db_conn, "中国", "荆州区", "park")
    with pytest.raises(ValueError):
        add_alias(db_conn, " ", "荆州区")
    usage = run_cli("alias", "add", "x", "y", "--kind", "town", database_url=db_url)
    assert usage.returncode == 2
    empty = run_cli("alias", "add", "", "荆州区", database_url=db_url)
    assert empty.returncode == 2 and "empty" in empty.stderr
    assert list_entities(db_conn, provisional=False, kind="region")  # nothing above changed it
    assert _rows(db_url, "SELECT count(*) FROM entity_merge") == [(0,)]


def test_alias_add_waits_for_a_running_load(db_url: str, db_conn: psycopg.Connection
                                            ) -> None:
    with psycopg.connect(db_url) as holder:
        holder.execute(LOCK_STATEMENT)  # held until the transaction ends
        with pytest.raises(EntitiesLocked, match="load is running"):
            add_alias(db_conn, "某园", "荆州区", wait=0.3)
        out = run_cli("alias", "add", "某园", "荆州区", database_url=db_url)
        assert out.returncode == 3 and "load is running" in out.stderr
    assert add_alias(db_conn, "某园", "荆州区").action == "added"


def test_seed_takes_over_provisional_regions_and_drops_shared_aliases(
        db_url: str, tmp_path: Path, subjects: dict[str, list[dict[str, str]]]) -> None:
    d = tmp_path / "in"
    _report(d, "a.txt")
    subjects["a.txt"] = [{"region": "测试新区", "park": "测试园"}]
    assert load_paths([d], Database(db_url)).ok
    n = len(extract_file(d / "a.txt").records)
    with psycopg.connect(db_url) as conn:  # as an older seed left it
        conn.execute("INSERT INTO entity_alias (kind, alias, region_id, origin)"
                     " SELECT 'region', '朝阳区', id, 'gazetteer' FROM region"
                     " WHERE code = '110105'")

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS_DIR / "regions.csv", seeds / "regions.csv")
    with open(seeds / "regions.csv", "a", encoding="utf-8") as f:
        f.write("419999,测试新区,测试,county,411300\n")
    with psycopg.connect(db_url) as conn:
        seed_regions(conn, seeds)

    rows = _rows(db_url, """SELECT DISTINCT r.code, r.provisional, p.code FROM observation o
                            JOIN region r ON r.id = o.region_id
                            JOIN region p ON p.id = r.parent_id""")
    assert rows == [("419999", False, "411300")]
    assert _rows(db_url, "SELECT observations_moved FROM entity_merge") == [(n,)]
    assert _rows(db_url, "SELECT r.code FROM park JOIN region r ON r.id = park.region_id") == [
        ("419999",)]
    assert _rows(db_url, "SELECT count(*) FROM entity_alias WHERE alias = '朝阳区'") == [(0,)]
    assert _rows(db_url, "SELECT count(*) FROM region_name WHERE name = '朝阳区'") == [(2,)]


def test_revision_0004_goes_down_and_up(db_url: str) -> None:
    db.downgrade(db_url, "0003")
    cols = _rows(db_url, "SELECT column_name FROM information_schema.columns"
                         " WHERE table_name = 'entity_alias' AND column_name = 'origin'")
    assert cols == []
    assert _rows(db_url, "SELECT to_regclass('region_name'), to_regclass('entity_merge')") == [
        (None, None)]
    db.upgrade(db_url)
    origins = dict(_rows(db_url, "SELECT origin, count(*) FROM entity_alias GROUP BY 1"))
    assert set(origins) == {"gazetteer"} and origins["gazetteer"] > 3000


@pytest.mark.skipif(not HAVE_CORPUS, reason="needs ../shared/corpus")
def test_corpus_regions_link_to_gazetteer_rows(db_url: str, reports: Path) -> None:
    assert load_paths([reports], Database(db_url)).ok
    linked = dict(_rows(db_url, """SELECT DISTINCT r.name, r.code FROM observation o
                                   JOIN region r ON r.id = o.region_id"""))
    assert linked["荆州区"] == "421003"
    assert linked["南阳市"] == "411300"
    # no provisional region carries a name the gazetteer gives to exactly one region
    stray = _rows(db_url, """SELECT r.name FROM region r JOIN region_name g ON g.name = r.name
                             WHERE r.provisional GROUP BY r.name HAVING count(*) = 1""")
    assert stray == []


def test_places_outside_the_gazetteer_are_seeded_not_provisional(
        db_url: str, tmp_path: Path, subjects: dict[str, list[dict[str, str]]]) -> None:
    """中国, 北美 (seeds/world_regions.csv) are regions without a code, and 我国 is 中国."""
    d = tmp_path / "in"
    _report(d, "w.txt")
    subjects["w.txt"] = [{"region": "中国"}, {"region": "北美"}]
    assert load_paths([d], Database(db_url)).ok
    assert _regions_of(db_url, "w.txt") == {"中国": (None, False), "北美": (None, False)}
    alias = _rows(db_url, """SELECT r.name FROM entity_alias a JOIN region r ON r.id = a.region_id
                             WHERE a.kind = 'region' AND a.alias = '我国'""")
    assert alias == [("中国",)]
