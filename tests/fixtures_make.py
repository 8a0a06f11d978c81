"""Binary fixtures made at test time (nothing binary is committed): .docx through
python-docx, PDF through reportlab (its built-in Adobe CID font STSong-Light gives a
real Chinese text layer without embedding a font file), HTML, and broken variants."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from etl.paths import SAMPLE_REPORTS_DIR

REPORT = SAMPLE_REPORTS_DIR / "qinghe_2011_work_report.txt"


# Characters of the sample report some legacy encodings lack, and what such files use.
_LEGACY = {"gb2312": {"〇": "○"}, "big5": {"〇": "○", "羣": "群"},
           "cp950": {"〇": "○", "羣": "群"}}
# Python's gb2312 codec maps A1AA to U+2015 where GB18030 (and every browser) says U+2014
_CODEC = {"gb2312": "gb18030"}


def in_legacy(text: str, encoding: str) -> str:
    """`text` with the substitutions a file in `encoding` would make."""
    for a, b in _LEGACY.get(encoding, {}).items():
        text = text.replace(a, b)
    legacy_bytes(text, encoding)
    return text


def legacy_bytes(text: str, encoding: str) -> bytes:
    """`text` (already `in_legacy`) as a file in `encoding` holds it."""
    if encoding == "gb2312":
        text.encode("gb2312", errors="ignore")  # the codec exists
        assert all(c == "—" or c.encode("gb2312") for c in text if ord(c) > 127)
    return text.encode(_CODEC.get(encoding, encoding))


def report_paragraphs() -> list[str]:
    """The sample report's non-empty lines: title, date, headings, paragraphs."""
    return [ln.strip() for ln in REPORT.read_text(encoding="utf-8").splitlines() if ln.strip()]


def make_docx(path: Path, paragraphs: list[str] | None = None,
              table: list[list[str]] | None = None) -> Path:
    import docx

    d = docx.Document()
    paras = paragraphs if paragraphs is not None else report_paragraphs()
    for i, p in enumerate(paras):
        if i == 0:
            d.add_heading(p, level=1)
        else:
            d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    d.core_properties.title = "fixture"
    d.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str] | None = None, *, text_layer: bool = True) -> Path:
    """A PDF of `lines` (one per line, wrapped at 38 characters). Without a text layer
    the page holds only vector shapes, as a scan holds only an image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("fixture")
    c.setPageCompression(0)
    y = 800.0
    for line in lines if lines is not None else report_paragraphs():
        chunks = [line[i:i + 38] for i in range(0, len(line), 38)] or [""]
        for chunk in chunks:
            if text_layer:
                c.setFont("STSong-Light", 12)
                c.drawString(40, y, chunk)
            else:
                c.rect(40, y, 12 * len(chunk), 10, fill=1)
            y -= 18
            if y < 60:
                c.showPage()
                y = 800.0
    c.showPage()
    c.save()
    return path


HTML_TEMPLATE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_清河政府网</title>
<style>body {{ font: 12px 宋体 }} .nav {{ color: red }}</style>
<script>var visits = 12345; document.write("访问量12345次");</script>
</head><body>
<div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a> | 今日访问量8888次</div>
<div id="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 工作报告</div>
<div class="main-content">
<h1>{title}</h1>
{body}
</div>
<div class="footer">版权所有 清河经济开发区管委会 冀ICP备05001234号 电话：0311-12345678</div>
<div style="display:none">隐藏文字投资999亿元</div>
</body></html>
"""


def make_html(path: Path, paragraphs: list[str] | None = None, *, charset: str = "utf-8",
              wrap_at: int = 0) -> Path:
    """A web page of the report among site furniture. `wrap_at` breaks paragraph lines
    in the markup (as editors do) to check they are rejoined."""
    paras = paragraphs if paragraphs is not None else report_paragraphs()
    body = []
    for p in paras[1:]:
        if wrap_at:
            p = _wrap(p, wrap_at)
        body.append(f"<p>&nbsp;&nbsp;{p}</p>")
    page = HTML_TEMPLATE.format(charset=charset, title=paras[0], body="\n".join(body))
    path.write_bytes(legacy_bytes(in_legacy(page, charset.lower()), charset.lower()))
    return path


def _wrap(p: str, width: int) -> str:
    """Break `p` about every `width` characters, never between two ASCII characters
    (a browser shows such a break as a space)."""
    out, line = [], ""
    for i, c in enumerate(p):
        line += c
        nxt = p[i + 1] if i + 1 < len(p) else ""
        if len(line) >= width and nxt and not (c.isascii() and nxt.isascii()):
            out.append(line)
            line = ""
    return "\n    ".join([*out, line] if line else out)


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
             b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
             b'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             b'officeDocument" Target="word/document.xml"/></Relationships>')


def zip_bomb_docx(path: Path, inflated_mb: int = 20) -> Path:
    """A "docx" whose document part inflates ~1000:1: kilobytes on disk, megabytes of
    XML whitespace inside."""
    xml = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
           + b" " * (inflated_mb << 20) + b"</w:t></w:r></w:p></w:body></w:document>")
    path.write_bytes(zip_bytes({"_rels/.rels": DOCX_RELS, "word/document.xml": xml}))
    return path
