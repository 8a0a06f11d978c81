"""Bad input: each bad file gets one line naming it and the reason, the run goes on with
the rest, the summary counts the failures, the exit code says so, and nothing of a
failed document reaches the database."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from etl.extract.pipeline import extract_file
from etl.inputs.files import report_files
from etl.inputs.read import ReportReadError, read_report
from etl.paths import PROJECT_ROOT, SAMPLE_REPORTS_DIR
from etl.store.load import PAUSE_ENV, PAUSE_SECONDS_ENV, load_paths
from tests.conftest import run_cli
from tests.fixtures_make import (
    DOCX_RELS,
    REPORT,
    make_docx,
    make_html,
    make_pdf,
    zip_bomb_docx,
    zip_bytes,
)

TEXT = REPORT.read_text(encoding="utf-8")
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _random(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def _docx_bytes(tmp: Path) -> bytes:
    return make_docx(tmp / "_good.docx").read_bytes()


def _pdf_bytes(tmp: Path) -> bytes:
    return make_pdf(tmp / "_good.pdf").read_bytes()


def _encrypted_pdf(tmp: Path) -> bytes:
    from reportlab.pdfgen import canvas

    path = tmp / "_enc.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "GDP 23.5")
    c.showPage()
    c.save()
    return path.read_bytes()


def _xml_docx(xml: bytes) -> bytes:
    return zip_bytes({"_rels/.rels": DOCX_RELS, "word/document.xml": xml})


# name → (bytes maker, a part of the reason)
BAD: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "empty.txt": (lambda t: b"", "empty file"),
    "blank.txt": (lambda t: b"  \r\n\t\n\xe3\x80\x80\n", "no text"),
    "image.txt": (lambda t: b"\x89PNG\r\n\x1a\n" + _random(5000), "PNG image"),
    "random.txt": (lambda t: _random(20000), "binary file"),
    "random_no_nul.txt": (lambda t: _random(20000).replace(b"\x00", b"A"),
                          "invalid byte sequences"),
    "mangled.txt": (lambda t: bytes(b if i % 40 else 0xFF
                                    for i, b in enumerate(TEXT.encode("utf-8"))),
                    "invalid byte sequences"),
    "bad_utf16.txt": (lambda t: b"\xff\xfe" + "报告".encode("utf-16-le") + b"\x00\xd8a",
                      "invalid utf-16 after its byte-order mark"),
    "controls.txt": (lambda t: bytes(range(1, 32)) * 200, "binary file"),
    "legacy.doc": (lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy Office"),
    "report.txt.gz": (lambda t: gzip.compress(TEXT.encode()), "gzip archive"),
    "truncated.docx": (lambda t: _docx_bytes(t)[:3000], "corrupt .docx"),
    "garbage.docx": (lambda t: b"PK\x03\x04" + _random(4000), "corrupt .docx"),
    "bad_xml.docx": (lambda t: _xml_docx(b"<w:document " + W_NS + b"><w:body><w:p>"),
                     "not well-formed XML"),
    "no_body.docx": (lambda t: _xml_docx(b"<w:document " + W_NS + b"/>"), "no w:body"),
    "empty_body.docx": (lambda t: _xml_docx(b"<w:document " + W_NS + b"><w:body/></w:document>"),
                        ".docx with no text"),
    "archive.docx": (lambda t: zip_bytes({"a.txt": TEXT.encode()}), "not a .docx"),
    "sheet.docx": (lambda t: zip_bytes({"xl/workbook.xml": b"<x/>"}), ".xlsx"),
    "truncated.pdf": (lambda t: _pdf_bytes(t)[:1500], "corrupt PDF"),
    "garbage.pdf": (lambda t: b"%PDF-1.4\n" + _random(3000), "corrupt PDF"),
    "scan.pdf": (lambda t: make_pdf(t / "_scan.pdf", text_layer=False).read_bytes(),
                 "no text layer: needs OCR"),
    "locked.pdf": (_encrypted_pdf, "encrypted PDF"),
    "nav_only.html": (lambda t: b"<html><body><div class='nav'>\xe9\xa6\x96\xe9\xa1\xb5</div>"
                      b"<script>x=1</script></body></html>", "no article text"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_one_clear_error(tmp_path: Path, name: str) -> None:
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(ReportReadError) as err:
        read_report(path)
    assert reason in err.value.reason
    assert str(err.value).startswith(f"{path}: ")
    assert "\n" not in str(err.value)


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=300)
    assert path.stat().st_size < 1 << 20
    started = time.monotonic()
    with pytest.raises(ReportReadError, match=r"zip bomb") as err:
        read_report(path)
    assert time.monotonic() - started < 2
    assert "300.0 MB" in err.value.reason  # over the 200 MB size limit


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=20)
    with pytest.raises(ReportReadError, match=r"compressed \d+:1, over the 100:1 limit"):
        read_report(path)


def test_unpacked_size_limit_is_configurable(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_docx(tmp_path / "r.docx", paragraphs=[TEXT] * 40)
    assert read_report(path).text
    monkeypatch.setenv("PARKSTAT_MAX_UNPACKED_MB", "0.01")
    with pytest.raises(ReportReadError, match="would unpack to"):
        read_report(path)


def test_docx_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    xml = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://'
           + str(secret).encode() + b'">]>'
           b"<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>\xe6\x8a\xa5&x;\xe5\x91\x8a"
           b"</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "xxe.docx"
    path.write_bytes(_xml_docx(xml))
    assert read_report(path).text == "报告"


def test_fifty_megabytes_on_one_line_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "one_line.txt"
    line = ("全区完成ＧＤＰ２３．５亿元，同比增１５％，" * 40).encode("utf-8")
    with open(path, "wb") as f:
        for _ in range((50 << 20) // len(line) + 1):
            f.write(line)
    assert path.stat().st_size >= 50 << 20
    started = time.monotonic()
    with pytest.raises(ReportReadError, match="too large") as err:
        read_report(path)
    assert time.monotonic() - started < 5
    assert "PARKSTAT_MAX_TEXT_CHARS" in err.value.reason


def test_file_size_limit_refuses_before_reading(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(3 << 20))
    monkeypatch.setenv("PARKSTAT_MAX_FILE_MB", "2")
    with pytest.raises(ReportReadError, match=r"too large: 3\.0 MB; the limit is 2\.0 MB"):
        read_report(path)
    monkeypatch.setenv("PARKSTAT_MAX_FILE_MB", "lots")
    with pytest.raises(ReportReadError, match="PARKSTAT_MAX_FILE_MB='lots' is not a number"):
        read_report(path)


def test_long_single_line_under_the_limit_extracts(tmp_path: Path) -> None:
    """A 460,000-character line with no break is extracted whole, every span right. Its
    time is measured by benchmarks.bench_linear (linear in the length), not here: a
    wall-clock bound fails on a busy machine, not on slow code."""
    path = tmp_path / "long.txt"
    sentence = "全区完成ＧＤＰ２３．５亿元，同比增１５％；"
    path.write_text(sentence * 20000, encoding="utf-8")  # 460,000 characters, no newline
    doc = extract_file(path)
    assert len(doc.records) >= 20000
    for r in doc.records:
        assert doc.source.text[r.start:r.end] == r.value_text


def test_text_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARKSTAT_MAX_TEXT_CHARS", "100")
    for path in (REPORT, make_docx(tmp_path / "r.docx"), make_html(tmp_path / "r.html"),
                 make_pdf(tmp_path / "r.pdf")):
        with pytest.raises(ReportReadError, match="too large"):
            read_report(path)


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    with pytest.raises(ReportReadError, match="is a directory"):
        read_report(tmp_path)


def test_broken_link_fifo_and_deep_html(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(REPORT, d / "good.txt")
    (d / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(d / "pipe.txt")  # opening it would block the run forever
    (d / "loop").symlink_to(d)  # a link to a directory is not followed
    found = report_files([d])
    assert found.files == [d / "good.txt"]
    assert sorted((p.name, r) for p, r in found.missing) == [
        ("dangling.txt", "broken symbolic link"),
        ("pipe.txt", "not a regular file (a FIFO); skipped"),
    ]
    with pytest.raises(ReportReadError, match="no such file"):
        read_report(d / "dangling.txt")
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 50000 + "产值31.5亿元" + "</div>" * 50000,
                    encoding="utf-8")
    with pytest.raises(ReportReadError, match="nested deeper than 256"):
        read_report(deep)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads through chmod 000; the other "
                    "failure paths (broken link, FIFO, directory) are tested as root")
def test_unreadable_directory_and_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(TEXT, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    secret.chmod(0)
    try:
        found = report_files([locked, tmp_path / "secret.txt"])
        assert [(p, r) for p, r in found.missing] == [(locked, "permission denied")]
        with pytest.raises(ReportReadError, match="permission denied"):
            read_report(secret)
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)


def _bad_dir(tmp_path: Path) -> tuple[Path, list[str]]:
    d = tmp_path / "in"
    shutil.copytree(SAMPLE_REPORTS_DIR, d)
    make_docx(d / "good.docx")
    bad = ["empty.txt", "random.txt", "truncated.docx", "garbage.pdf", "scan.pdf",
           "legacy.doc", "mangled.txt"]
    for name in bad:
        (d / name).write_bytes(BAD[name][0](tmp_path))
    (d / "dangling.txt").symlink_to(tmp_path / "nowhere")
    return d, [*bad, "dangling.txt"]


@pytest.mark.db
def test_load_goes_on_past_bad_files(db_url: str, tmp_path: Path) -> None:
    d, bad = _bad_dir(tmp_path)
    good = sorted(p for p in d.iterdir() if p.name not in bad)
    done = run_cli("load", str(d), "--json", database_url=db_url)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "partial"
    assert summary["documents_failed"] == len(bad)
    assert summary["documents_new"] == len(good)
    errors = done.stderr.splitlines()
    assert sorted(Path(line.split(": ", 1)[0]).name for line in errors) == sorted(bad)
    with psycopg.connect(db_url) as conn:
        per_doc = dict(conn.execute(
            "SELECT d.name, count(o.id) FROM source_document d"
            " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.name").fetchall())
        run = conn.execute("SELECT status, documents_failed FROM load_run").fetchone()
        orphans = conn.execute("SELECT count(*) FROM rejected_record r LEFT JOIN "
                               "source_document d ON d.id = r.document_id"
                               " WHERE d.id IS NULL").fetchone()
    assert per_doc == {p.name: len(extract_file(p).records) for p in good}
    assert run == ("partial", len(bad)) and orphans == (0,)

    again = run_cli("load", str(d), "--json", database_url=db_url)
    assert again.returncode == 1
    assert json.loads(again.stdout)["documents_skipped"] == len(good)


def test_extract_cli_counts_bad_files(tmp_path: Path) -> None:
    d, bad = _bad_dir(tmp_path)
    out = tmp_path / "out"
    done = run_cli("extract", str(d), "--out", str(out))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert sorted(Path(line.split(": ", 1)[0]).name
                  for line in done.stderr.splitlines()) == sorted(bad)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{Path(n).stem}.jsonl" for n in os.listdir(d) if n not in bad)


def test_extract_from_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "extract", "-", "--out", str(out)],
        input=TEXT.encode("gb18030"), cwd=PROJECT_ROOT, capture_output=True, timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = (out / "stdin.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(extract_file(REPORT).records)
    assert {json.loads(line)["doc"] for line in lines} == {"stdin"}


@pytest.mark.db
def test_load_from_standard_input(db_url: str, tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "r.docx").read_bytes()
    env = dict(os.environ, DATABASE_URL=db_url)
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "load", "-", "--json"], input=docx, env=env,
        cwd=PROJECT_ROOT, capture_output=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT name, encoding, size FROM source_document").fetchone()
    assert row == ("stdin", "docx", len(docx))
    assert summary["records_loaded"] == len(extract_file(tmp_path / "r.docx").records) > 0


@pytest.mark.db
def test_file_disappearing_mid_run(db_url: str, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(3):
        shutil.copy(REPORT, d / f"r{i}.txt")
    env = dict(os.environ, DATABASE_URL=db_url, **{PAUSE_ENV: "1", PAUSE_SECONDS_ENV: "1"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "load", str(d), "--json"], cwd=PROJECT_ROOT,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # the loader holds r0's transaction open
    assert "paused in transaction" in line, line
    (d / "r2.txt").unlink()  # listed at the start, gone when its turn comes
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.strip().splitlines() == [f"{d / 'r2.txt'}: no such file or directory"]
    summary = json.loads(out)
    assert (summary["documents_new"], summary["documents_failed"]) == (2, 1)
    with psycopg.connect(db_url) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM source_document ORDER BY 1")]
    assert names == ["r0.txt", "r1.txt"]


def test_loader_api_reports_missing_and_bad(tmp_path: Path) -> None:
    """Without a database: expansion errors come back as (path, reason) pairs."""
    found = report_files([tmp_path / "missing.txt", "-", tmp_path])
    assert found.missing == [(tmp_path / "missing.txt", "no such file or directory")]
    assert [p.name for p in found.files] == ["stdin"]
    assert load_paths  # the same FileSet feeds etl.store.load.load_paths
