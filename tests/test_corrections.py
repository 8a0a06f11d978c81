"""Corrections as data (etl/store/corrections.py): every kind applied at once and again on every
load, kept across re-extraction, relocated when the text moves, orphaned (never dropped)
when the quote is gone; seen by bi.observation; exported for evaluate.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from etl.paths import SAMPLE_REPORTS_DIR
from etl.store.corrections import CorrectionError, accuracy, correct, locate
from etl.store.db import Database
from etl.store.load import load_paths
from tests.conftest import EVALUATE, run_cli

DOC = "nanshan_park_2012_midyear.txt"


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE_REPORTS_DIR, reports)
    assert load_paths([reports], Database(db_url)).ok
    return db_url, reports


def _first(conn: psycopg.Connection, n: int = 0) -> tuple[int, int, int, str]:
    row = conn.execute(
        "SELECT d.id, o.id, o.span_start, o.value_text FROM observation o"
        " JOIN source_document d ON d.id = o.document_id WHERE d.name = %s"
        " ORDER BY o.seq OFFSET %s LIMIT 1", (DOC, n)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), str(row[3])


def _bi(conn: psycopg.Connection, doc: int, start: int) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT metric_code, region_name, year, reviewed, corrected_fields FROM bi.observation"
        " WHERE document_id = %s AND span_start = %s ORDER BY observation_id",
        (doc, start)).fetchall()


def test_change_survives_reextraction_and_reaches_bi(loaded: tuple[str, Path]) -> None:
    url, reports = loaded
    with psycopg.connect(url) as conn:
        doc, obs, start, _ = _first(conn)
        made = correct(conn, doc, author="ann", kind="change", observation_id=obs,
                       changes={"metric": "industrial_value_added", "region": "南阳市",
                                "year": "2012"})
        assert len(made.ids) >= 2
        before = _bi(conn, doc, start)
    assert before[0][:2] == ("industrial_value_added", "南阳市")
    assert before[0][3] is True and {"metric", "region"} <= set(before[0][4])
    summary = load_paths([reports], Database(url), reextract=True)
    assert summary.ok and summary.documents_changed == 2
    with psycopg.connect(url) as conn:
        assert _bi(conn, doc, start) == before
        states = conn.execute("SELECT DISTINCT state FROM correction").fetchall()
    assert states == [("applied",)]


def test_confirm_reject_add(loaded: tuple[str, Path]) -> None:
    url, reports = loaded
    with psycopg.connect(url) as conn:
        doc, obs, start, _ = _first(conn, 1)
        correct(conn, doc, author="ann", kind="confirm", observation_id=obs)
        doc, obs2, start2, _ = _first(conn, 2)
        correct(conn, doc, author="ann", kind="reject", observation_id=obs2)
        text = conn.execute("SELECT text FROM source_document WHERE id = %s", (doc,)
                            ).fetchone()[0]
        at = text.index("南山")  # not a figure; added as one to test the mechanism
        correct(conn, doc, author="ann", kind="add", start=at, end=at + 2,
                added={"metric": "other", "unit": "count", "value": "2"})
        n = conn.execute("SELECT count(*) FROM observation WHERE document_id = %s",
                         (doc,)).fetchone()[0]
    assert load_paths([reports], Database(url), reextract=True).ok
    with psycopg.connect(url) as conn:
        assert _bi(conn, doc, start)[0][3] is True
        assert _bi(conn, doc, start2) == []
        added = conn.execute("SELECT value_text, metric_code, value, reviewed FROM observation"
                             " WHERE document_id = %s AND correction_id IS NOT NULL",
                             (doc,)).fetchall()
        assert [(a[0], a[1], float(a[2]), a[3]) for a in added] == [("南山", "other", 2.0, True)]
        assert conn.execute("SELECT count(*) FROM observation WHERE document_id = %s",
                            (doc,)).fetchone()[0] == n
        acc = accuracy(conn)
    assert acc.reviewed == 1 and acc.rejected == 1 and acc.added == 1
    assert acc.fields["metric"] == 1.0


def test_refused_corrections_leave_nothing(loaded: tuple[str, Path]) -> None:
    url, _ = loaded
    with psycopg.connect(url) as conn:
        doc, obs, _, _ = _first(conn)
        for changes in ({"metric": "no_such_metric"}, {"year": "1800"}, {"value": "abc"},
                        {"colour": "red"}, {"qualifier": "range"}):
            with pytest.raises(CorrectionError):
                correct(conn, doc, author="ann", kind="change", observation_id=obs,
                        changes=changes)
        assert conn.execute("SELECT count(*) FROM correction").fetchone()[0] == 0


def test_moved_text_relocates_and_removed_text_orphans(loaded: tuple[str, Path]) -> None:
    url, reports = loaded
    with psycopg.connect(url) as conn:
        doc, obs, start, _value_text = _first(conn)
        correct(conn, doc, author="ann", kind="change", observation_id=obs,
                changes={"status": "estimate"})
        _, obs3, start3, vt3 = _first(conn, 4)
        correct(conn, doc, author="ann", kind="confirm", observation_id=obs3)
    path = reports / DOC
    text = path.read_bytes().decode("gb18030")  # the sample report is GBK
    # A new first line moves every figure; the fifth figure's clause (…；实现税收X亿元。)
    # is cut out of its sentence.
    at = text.index(vt3, start3 - 2)
    clause_start, clause_end = text.rindex("；", 0, at), text.index("。", at)
    path.write_text("前言：本报告由园区管委会发布。\n" + text[:clause_start] + text[clause_end:],
                    encoding="gb18030")
    assert load_paths([reports], Database(url)).ok
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT kind, state, span_start, orphan_reason FROM correction"
                            " ORDER BY id").fetchall()
        assert rows[0][:3] == ("change", "applied", start + len("前言：本报告由园区管委会发布。\n"))
        assert rows[1][:2] == ("confirm", "orphaned") and rows[1][3]
        assert conn.execute("SELECT status FROM observation WHERE document_id = %s AND"
                            " span_start = %s", (doc, rows[0][2])).fetchone() == ("estimate",)
    listed = run_cli("corrections", "list", "--orphaned", "--json", database_url=url)
    assert listed.returncode == 0, listed.stderr
    assert [c["kind"] for c in json.loads(listed.stdout)] == ["confirm"]


def test_locate_needs_context() -> None:
    text = "甲园区产值15%，乙园区产值15%。"
    assert locate(text, 5, "15%", "甲园区产值", "，乙园区产值") == 5
    assert locate("丙" + text, 5, "15%", "甲园区产值", "，乙园区产值") == 6
    assert locate(text, 5, "15%", "丁县工业增加值", "以上，全部完成") is None
    assert locate(text, 5, "20%", "甲园区产值", "，") is None


def test_cli_correct_export_scores_with_evaluate(loaded: tuple[str, Path], tmp_path: Path
                                                 ) -> None:
    url, _ = loaded
    with psycopg.connect(url) as conn:
        _, _, start, _ = _first(conn)
    r = run_cli("correct", DOC, str(start), "region=南阳市", "--note", "from the title",
                "--author", "bob", database_url=url)
    assert r.returncode == 0, r.stderr
    bad = run_cli("correct", DOC, str(start), "metric=nope", database_url=url)
    assert bad.returncode == 1 and "no metric" in bad.stderr
    r = run_cli("corrections", "list", database_url=url)
    assert "bob" in r.stdout and "南阳市" in r.stdout
    out = tmp_path / "gold"
    r = run_cli("corrections", "export", "--out", str(out), database_url=url)
    assert r.returncode == 0, r.stderr
    lines = (out / (Path(DOC).stem + ".jsonl")).read_text(encoding="utf-8").splitlines()
    recs = [json.loads(x) for x in lines]
    assert any(rec["start"] == start and rec["region"] == "南阳市" for rec in recs)
    assert all(rec["doc"] == DOC for rec in recs)
    if EVALUATE.is_file():
        pred = tmp_path / "pred"
        run_cli("extract", str(SAMPLE_REPORTS_DIR / DOC), "--out", str(pred))
        ev = subprocess.run([sys.executable, str(EVALUATE), str(out), str(pred)],
                            capture_output=True, text=True, check=False)
        assert ev.returncode == 0, ev.stderr
        assert "region" in ev.stdout
    acc = run_cli("corrections", "accuracy", "--json", database_url=url)
    assert json.loads(acc.stdout)["wrong"]["region"] == 1


def test_no_correction_while_a_load_runs(loaded: tuple[str, Path]) -> None:
    from etl.store.lock import take_load_lock

    url, _ = loaded
    with psycopg.connect(url) as loader, psycopg.connect(url) as conn:
        assert take_load_lock(loader, 0)  # held until loader's transaction ends
        doc, obs, _, _ = _first(conn)
        conn.rollback()
        with pytest.raises(CorrectionError, match="load is running"):
            correct(conn, doc, author="ann", kind="confirm", observation_id=obs, lock_wait=0.3)
        loader.rollback()
        correct(conn, doc, author="ann", kind="confirm", observation_id=obs)
