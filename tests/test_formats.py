"""Real inputs: plain text in every encoding a Chinese report arrives in, HTML, .docx and
PDF, told apart by their bytes; spans index the extracted text exactly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import charset_normalizer
import opencc
import psycopg
import pytest

from etl.extract.pipeline import extract_file
from etl.inputs.files import report_files
from etl.inputs.read import ReportReadError, decode_report, read_report
from etl.store.db import Database
from etl.store.load import load_paths
from tests.fixtures_make import (
    REPORT,
    in_legacy,
    legacy_bytes,
    make_docx,
    make_html,
    make_pdf,
    report_paragraphs,
)

SIMPLIFIED = REPORT.read_text(encoding="utf-8")
TRADITIONAL = opencc.OpenCC("s2t").convert(SIMPLIFIED)
REFERENCE = [r.value_text for r in extract_file(REPORT).records]


def _spans_exact(path: Path) -> list[str]:
    doc = extract_file(path)
    for r in doc.records:
        assert doc.source.text[r.start:r.end] == r.value_text
        assert r.quote in doc.source.text
    return [r.value_text for r in doc.records]


@pytest.mark.parametrize("encoding, text", [
    ("utf-8", SIMPLIFIED), ("utf-8-sig", SIMPLIFIED), ("utf-16", SIMPLIFIED),
    ("utf-16-le", SIMPLIFIED), ("utf-16-be", SIMPLIFIED),
    ("gb18030", SIMPLIFIED), ("gbk", SIMPLIFIED), ("gb2312", SIMPLIFIED),
    ("big5", TRADITIONAL), ("cp950", TRADITIONAL), ("gb18030", TRADITIONAL),
    ("utf-8", TRADITIONAL),
])
def test_text_encodings_from_bytes(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "report.dat"  # the name says nothing
    text = in_legacy(text, encoding)
    data = legacy_bytes(text, encoding)
    path.write_bytes(data)
    source = read_report(path)
    assert source.text == text
    assert source.format == "text"
    assert source.sha256 == hashlib.sha256(data).hexdigest() and source.size == len(data)
    values = _spans_exact(path)
    if text == SIMPLIFIED:
        assert values == REFERENCE


# Short sentences, each way: GBK and Big5 overlap, so a strict decode proves nothing.
SENTENCES = [
    "全区完成地区生产总值23.5亿元，同比增长15%。",
    "园区规划面积9.2平方公里，入驻企业316家。",
    "力争到2015年，工业总产值达到150亿元。",
    "实际利用外资1200万美元，增长18%。",
    "新增规模以上企业30—50家。",
    "财政收入3.1亿元。",
    "产业集群实现产值31.5亿元",
    "从业人员2.3万人",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("encoding", ["gbk", "big5"])
def test_short_gbk_and_big5_are_told_apart(sentence: str, encoding: str) -> None:
    text = opencc.OpenCC("s2t").convert(sentence) if encoding == "big5" else sentence
    text = in_legacy(text, encoding)
    data = legacy_bytes(text, encoding)
    decoded, _ = decode_report(data)
    assert decoded == text


def test_beats_charset_normalizer_on_a_gbk_sentence() -> None:
    """At least one of our sentences is one charset-normalizer gets wrong; we do not."""
    wrong = []
    for s in SENTENCES:
        data = s.encode("gbk")
        best = charset_normalizer.from_bytes(data).best()
        guess = None
        if best is not None:
            try:
                guess = data.decode(best.encoding)
            except (UnicodeDecodeError, LookupError):
                guess = None
        if guess != s:
            wrong.append(s)
        assert decode_report(data)[0] == s
    if not wrong:
        pytest.skip("charset-normalizer got every sentence right in this version")


def test_a_few_bad_bytes_are_replaced_not_fatal(tmp_path: Path) -> None:
    data = SIMPLIFIED.encode("utf-8")
    cut = tmp_path / "cut.txt"  # a download cut off mid-character
    cut.write_bytes(data[:-4] + "亿".encode()[:2])
    source = read_report(cut)
    assert source.encoding == "utf-8" and source.text.endswith("\ufffd")
    stray = tmp_path / "stray.txt"
    cut_at = len(SIMPLIFIED[:100].encode("utf-8"))  # between two characters
    stray.write_bytes(data[:cut_at] + b"\xff" + data[cut_at:])
    assert read_report(stray).text.count("\ufffd") == 1
    gbk = tmp_path / "gbk.txt"
    g = SIMPLIFIED.encode("gbk")
    cut_at = len(SIMPLIFIED[:100].encode("gbk"))
    gbk.write_bytes(g[:cut_at] + b"\xff" + g[cut_at:])
    assert read_report(gbk).encoding == "gb18030"
    assert _spans_exact(gbk) == REFERENCE


def test_html_article_text_without_furniture(tmp_path: Path) -> None:
    path = make_html(tmp_path / "report.html", wrap_at=17)
    source = read_report(path)
    assert source.format == "html" and source.encoding == "utf-8"
    lines = source.text.splitlines()
    assert lines == report_paragraphs()  # one line per block, wrapped lines rejoined
    for furniture in ("首页", "访问量", "版权所有", "当前位置", "visits", "font", "999亿元"):
        assert furniture not in source.text
    assert _spans_exact(path) == REFERENCE


@pytest.mark.parametrize("charset, codec", [("gb2312", "gb18030"), ("GBK", "gb18030"),
                                            ("utf-8", "utf-8")])
def test_html_declared_charset(tmp_path: Path, charset: str, codec: str) -> None:
    path = make_html(tmp_path / "page.htm", charset=charset)
    source = read_report(path)
    assert (source.format, source.encoding) == ("html", codec)
    assert source.text.splitlines() == [in_legacy(p, charset.lower())
                                        for p in report_paragraphs()]


def test_html_with_a_wrong_declared_charset(tmp_path: Path) -> None:
    path = make_html(tmp_path / "page.htm", charset="utf-8")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))  # says utf-8
    assert read_report(path).text.splitlines() == report_paragraphs()


def test_html_is_sniffed_not_named(tmp_path: Path) -> None:
    page = make_html(tmp_path / "a.html")
    disguised = tmp_path / "a.txt"
    disguised.write_bytes(page.read_bytes())
    assert read_report(disguised).format == "html"


def test_html_tables_lists_and_breaks(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text(
        "<html><body><article><h2>主要指标</h2>"
        "<table><tr><th>指标</th><th>数值</th></tr>"
        "<tr><td>工业总产值</td><td>68.2亿元</td></tr></table>"
        "<ul><li>入驻企业316家</li><li>从业人员2.3万人</li></ul>"
        "<p>第一行<br>第二行<br/>第三行</p><pre>  保留\n  原样</pre></article>"
        "<aside>热点新闻：某地投资100亿元</aside></body></html>", encoding="utf-8")
    assert read_report(path).text.splitlines() == [
        "主要指标", "指标\t数值", "工业总产值\t68.2亿元", "入驻企业316家", "从业人员2.3万人",
        "第一行", "第二行", "第三行", "  保留", "  原样",
    ]


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "report.docx",
                     table=[["指标", "2010年"], ["工业总产值", "68.2亿元"]])
    source = read_report(path)
    assert (source.format, source.encoding) == ("docx", "docx")
    table = ["指标\t2010年", "工业总产值\t68.2亿元"]
    assert source.text.splitlines() == [*report_paragraphs(), *table]
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    values = _spans_exact(path)
    assert values[: len(REFERENCE)] == REFERENCE


def test_docx_is_sniffed_not_named(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "report.docx")
    odd = tmp_path / "report.txt"
    odd.write_bytes(path.read_bytes())
    assert read_report(odd).format == "docx"


def test_pdf_text_layer_in_chinese(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "report.pdf")
    source = read_report(path)
    assert (source.format, source.encoding) == ("pdf", "pdf")
    for p in report_paragraphs():  # lines are wrapped at 38 characters in the PDF
        assert p[:38] in source.text
    values = _spans_exact(path)
    # A figure cut by a line break is written up to the break (RECORDS.md): ２３．５⏎亿元 is
    # ２３．５, with the value of ２３．５亿元; every other figure is as in the text file.
    assert all("\n" not in v for v in values)
    assert len(values) == len(REFERENCE)
    assert all(ref.startswith(v) for v, ref in zip(values, REFERENCE, strict=True))
    pdf_values = [r.value for r in extract_file(path).records]
    assert pdf_values == [r.value for r in extract_file(REPORT).records]


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", text_layer=False)
    with pytest.raises(ReportReadError, match="no text layer: needs OCR"):
        read_report(path)


def test_files_expands_directories_globs_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.htm").write_text("x", encoding="utf-8")
    (tmp_path / "a" / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "b" / "three.docx").write_text("x", encoding="utf-8")
    found = report_files([tmp_path / "a"])
    assert [p.name for p in found.files] == ["three.docx", "two.htm", "one.txt"]  # by path
    globbed = report_files([str(tmp_path / "a" / "**" / "*.htm"), str(tmp_path / "nope*")])
    assert [p.name for p in globbed.files] == ["two.htm"]
    assert [reason for _, reason in globbed.missing] == ["no file matches this pattern"]
    twice = report_files(["-", tmp_path / "a" / "one.txt", "-", tmp_path / "a"])
    assert [p.name for p in twice.files] == ["stdin", "one.txt", "three.docx", "two.htm"]


@pytest.mark.db
def test_loaded_converted_documents_keep_exact_spans(db_url: str, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    make_docx(d / "r_docx.docx")
    make_html(d / "r_html.html", charset="gb2312", wrap_at=23)
    make_pdf(d / "r_pdf.pdf")
    summary = load_paths([d], Database(db_url))
    assert summary.status == "succeeded", summary.failures
    with psycopg.connect(db_url) as conn:
        docs = conn.execute("SELECT name, text, sha256, encoding, size FROM source_document"
                            " ORDER BY name").fetchall()
        bad = conn.execute(
            "SELECT count(*) FROM observation o JOIN source_document d ON d.id = o.document_id"
            " WHERE substr(d.text, o.span_start + 1, o.span_end - o.span_start)"
            " <> o.value_text").fetchone()
        per_doc = dict(conn.execute(
            "SELECT d.name, count(o.id) FROM source_document d"
            " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.name").fetchall())
    assert bad == (0,)
    assert [r[0] for r in docs] == ["r_docx.docx", "r_html.html", "r_pdf.pdf"]
    for name, text, sha, encoding, size in docs:
        data = (d / name).read_bytes()
        assert sha == hashlib.sha256(data).hexdigest() and size == len(data)
        assert text == read_report(d / name).text
        assert encoding in ("docx", "gb18030", "pdf")
        assert per_doc[name] == len(extract_file(d / name).records) > 0
