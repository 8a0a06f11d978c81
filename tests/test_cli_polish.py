"""What users of the command noticed (issue 17): a progress line on a terminal and nothing
extra otherwise, `extract` to standard output, `db` actions' help, `db status` details,
unknown options refused, `export --excel` and SDMX-CSV's qualifier, bounds and unplaced
rows."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from etl.paths import PROJECT_ROOT, SAMPLE_REPORTS_DIR
from etl.progress import Progress
from tests.conftest import run_cli


def test_progress_line_draws_and_clears() -> None:
    out = io.StringIO()
    bar = Progress(4, "load", stream=out, enabled=True)
    for _ in range(4):
        bar.advance(records=10)
    bar.close()
    text = out.getvalue()
    assert "4/4 files" in text and "40 records" in text and "left" in text
    assert text.endswith("\r")  # cleared: the summary starts on a clean line


def test_progress_is_silent_when_not_a_terminal() -> None:
    out = io.StringIO()  # not a TTY
    bar = Progress(3, "load", stream=out)
    bar.advance()
    bar.close()
    assert out.getvalue() == ""


def test_extract_on_a_terminal_shows_progress(tmp_path: Path) -> None:
    """Standard error a terminal (a pty): the progress line is drawn there."""
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "etl.cli", "extract", str(SAMPLE_REPORTS_DIR),
             "--out", str(tmp_path / "out")],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=secondary, timeout=120,
            check=False)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert done.returncode == 0
    assert b"extract [" in seen and b"files" in seen


def test_extract_without_out_writes_records_to_stdout() -> None:
    done = run_cli("extract", str(SAMPLE_REPORTS_DIR))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(json.loads(line)["doc"] for line in lines)
    assert "files extracted" in done.stderr and "\r" not in done.stderr


def test_db_help_says_what_each_action_does() -> None:
    top = run_cli("db", "--help")
    assert top.returncode == 0
    for action in ("upgrade", "downgrade", "start", "stop", "url", "status", "reader-url"):
        assert action in top.stdout
    assert "password hidden" in top.stdout
    one = run_cli("db", "reader-url", "--help")
    assert "read-only" in one.stdout and "--rotate" in one.stdout


def test_unknown_options_are_refused() -> None:
    done = run_cli("db", "status", "--rotate")
    assert done.returncode == 2 and "unrecognized arguments: --rotate" in done.stderr


@pytest.mark.db
def test_db_status_hides_the_password(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("DROP ROLE IF EXISTS parkstat_status_test")
        c.execute("CREATE ROLE parkstat_status_test LOGIN PASSWORD 's3cret-pw'")
    try:
        url = db_url.replace("postgres@", "parkstat_status_test:s3cret-pw@", 1)
        done = run_cli("db", "status", database_url=url)
        assert done.returncode == 0, done.stderr
        assert "s3cret-pw" not in done.stdout
        assert "parkstat_status_test:***@" in done.stdout
        for what in ("port: ", "server version: PostgreSQL", "data folder: ",
                     "schema revision: "):
            assert what in done.stdout
    finally:
        with psycopg.connect(db_url, autocommit=True) as c:
            c.execute("DROP ROLE parkstat_status_test")


@pytest.fixture
def loaded(db_url: str) -> str:
    done = run_cli("load", str(SAMPLE_REPORTS_DIR), "--json", database_url=db_url)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr  # not a terminal: no progress line
    json.loads(done.stdout)  # --json: the output is exactly the JSON
    return db_url


@pytest.mark.db
def test_export_excel_starts_with_a_bom(loaded: str, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert run_cli("export", "--excel", "--out", str(out), database_url=loaded).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "亿元" in data[3:].decode("utf-8")
    plain = run_cli("export", database_url=loaded)
    assert not plain.stdout.startswith("\ufeff")


@pytest.mark.db
def test_sdmx_keeps_qualifier_bounds_and_names_unplaced_rows(loaded: str) -> None:
    with psycopg.connect(loaded) as c:
        # One range (30—50家) and one open figure (17%以上), one with no year nor period.
        c.execute("""UPDATE observation SET qualifier = 'range', value = NULL,
                     value_low = 30, value_high = 50, value_text = '30—50家'
                     WHERE id = (SELECT min(id) FROM observation)""")
        c.execute("""UPDATE observation SET qualifier = 'more_than', value = 17,
                     value_text = '17%以上'
                     WHERE id = (SELECT min(id) + 1 FROM observation)""")
        c.execute("""UPDATE observation SET year = NULL, period = NULL, period_text = NULL,
                     value_text = '无年份的数'
                     WHERE id = (SELECT min(id) + 2 FROM observation)""")
        c.commit()
    done = run_cli("export", "--format", "sdmx-csv", database_url=loaded)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    ranged = [r for r in rows if r["OBS_QUALIFIER"] == "RANGE"]
    assert ranged and ranged[0]["OBS_LOWER_BOUND"] == "30"
    assert ranged[0]["OBS_UPPER_BOUND"] == "50"
    more = [r for r in rows if r["OBS_QUALIFIER"] == "GT"]
    assert more and more[0]["OBS_LOWER_BOUND"] == "17" and more[0]["OBS_UPPER_BOUND"] == ""
    blank = [r for r in rows if not r["TIME_PERIOD"]]
    assert blank
    assert f"{len(blank)} rows have no TIME_PERIOD" in done.stderr
    assert "无年份的数" in done.stderr


def test_overview_lists_twenty_documents_aligned_by_display_width() -> None:
    from etl.serve.report import DocumentRow, Overview, display_width, format_overview

    docs = [DocumentRow(f"报告{i:02d}.txt" if i % 2 else f"report_{i:02d}.txt", None, i, 0)
            for i in range(25)]
    text = format_overview(Overview(documents=docs, by_metric=[
        ("gdp", "地区生产总值", 3), ("enterprise_count", "企业数", 12)], quarantined=[]))
    lines = text.splitlines()
    listed = [ln for ln in lines if "records," in ln]
    assert len(listed) == 20
    assert "  … and 5 more" in lines
    assert "Quarantined" not in text
    # The counts start in the same terminal column whatever the script of the name.
    columns = {display_width(ln[: ln.index("records,")]) for ln in listed}
    assert len(columns) == 1
    metric_lines = [ln for ln in lines if (ln.rstrip().endswith(("3", "12")) and "  gdp" in ln)
                    or "enterprise_count" in ln]
    assert len({display_width(ln) for ln in metric_lines}) == 1
