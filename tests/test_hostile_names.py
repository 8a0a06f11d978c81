"""Issue 15, items 4, 5 and 11 (the .docx message): any file name fails — or loads —
alone, reported in one escaped line; reasons are capped."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import psycopg
import pytest

from etl.messages import MESSAGE_LIMIT, one_line, printable
from tests.conftest import run_cli
from tests.fixtures_make import REPORT, make_docx


def _bytes_name(folder: Path, raw: bytes) -> Path:
    """A file whose name is these bytes (not UTF-8), holding a report."""
    path = os.path.join(os.fsencode(folder), raw)
    shutil.copy(REPORT, path)
    return Path(os.fsdecode(path))


def test_printable_and_capped() -> None:
    assert printable("empty\nINJECTED: fake_line.txt") == "empty\\nINJECTED: fake_line.txt"
    assert printable("a\x1b[2Jb\u202ec") == "a\\x1b[2Jb\\u202ec"
    assert printable(os.fsdecode(b"r\xff.txt")) == "r\\xff.txt"
    long = one_line("x" * 5000)
    assert len(long) < MESSAGE_LIMIT + 40 and long.endswith("(4,700 more characters)")


@pytest.mark.db
def test_load_with_a_non_utf8_and_a_newline_name(db_url: str, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(REPORT, d / "a_good.txt")
    _bytes_name(d, b"b_\xff\xfe.txt")  # loads, under an escaped name
    (d / "c_empty\nINJECTED: fake_line.txt").write_bytes(b"")  # fails, in one line
    (d / "d\x1b[31mred.txt").write_bytes(b"\x00\x01binary")
    done = run_cli("load", str(d), "--json", database_url=db_url)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [
        f"{d}/c_empty\\nINJECTED: fake_line.txt: empty file",
        f"{d}/d\\x1b[31mred.txt: " + lines[1].split(": ", 1)[1],
    ], lines
    summary = json.loads(done.stdout)
    assert (summary["status"], summary["documents_new"], summary["documents_failed"]) == (
        "partial", 2, 2)
    with psycopg.connect(db_url) as conn:
        names = sorted(r[0] for r in conn.execute(
            "SELECT path_in_source FROM source_document"))
        docs = {r[0] for r in conn.execute("SELECT DISTINCT raw->>'doc' FROM rejected_record")}
    assert names == ["a_good.txt", "b_\\xff\\xfe.txt"]
    assert not docs  # nothing quarantined for its name


def test_extract_with_a_non_utf8_name_keeps_every_record(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _bytes_name(d, b"r\xff.txt")
    out = tmp_path / "out"
    done = run_cli("extract", str(d), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "r\\xff.jsonl: 22 records, 0 rejected" in done.stdout, done.stdout
    produced = list(out.iterdir())
    assert len(produced) == 1
    records = [json.loads(line) for line in produced[0].read_text("utf-8").splitlines()]
    assert records and {r["doc"] for r in records} == {"r\\xff.txt"}


def test_corrupt_docx_message_is_short_and_readable(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    make_docx(good)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:  # damage the local header of word/document.xml
        info = zf.getinfo("word/document.xml")
    at = info.header_offset + 26  # the length of its name in the local header: the name
    data[at : at + 2] = (1500).to_bytes(2, "little")  # now runs into the deflated bytes
    bad = tmp_path / "bad.docx"
    bad.write_bytes(bytes(data))
    done = run_cli("extract", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    line = done.stderr.strip()
    assert "\n" not in line and len(line) < 250, line
    assert line.startswith(f"{bad}: corrupt .docx"), line
