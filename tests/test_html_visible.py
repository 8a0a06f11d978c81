"""Issue 15, item 8: only the text a reader sees is extracted from HTML."""

from __future__ import annotations

from etl.extract.pipeline import extract_text
from etl.inputs.formats import Limits
from etl.inputs.formats.html import html_text


def _text(html: str) -> str:
    return html_text(html.encode("utf-8"), Limits())[0]


def test_hidden_parts_inside_pre_give_no_figures() -> None:
    text = _text(
        "<html><body><h1>年报</h1><pre>全区完成工业总产值50亿元。"
        "<script>var s = '财政收入99亿元';</script><style>.x{content:'税收98亿元'}</style>"
        "<span style=\"display: none\">固定资产投资97亿元</span>"
        "<b hidden>实际利用外资96亿元</b><template><p>销售收入95亿元</p></template>"
        "</pre></body></html>")
    assert text == "年报\n全区完成工业总产值50亿元。"
    _, records, _ = extract_text("t.html", text)
    assert [r.value_text for r in records] == ["50亿元"]


def test_hidden_article_does_not_replace_the_visible_body() -> None:
    text = _text(
        "<html><body><div style='visibility:hidden'><article><p>工业总产值99亿元。</p>"
        "</article></div><div id='content'><p>全区完成工业总产值50亿元。</p></div>"
        "</body></html>")
    assert text == "全区完成工业总产值50亿元。"


def test_script_inside_the_heading_is_not_the_title() -> None:
    text = _text(
        "<html><head><title>t</title></head><body><h1>南山园区<script>document.write("
        "'工业总产值99亿元')</script>年报</h1><article><p>全区完成工业总产值50亿元。</p>"
        "</article></body></html>")
    assert text.splitlines()[0] == "南山园区年报"
    assert "99" not in text


def test_text_after_a_hidden_element_stays() -> None:
    text = _text("<html><body><p>产值<span style='DISPLAY:NONE !important'>9亿元</span>"
                 "5亿元，增长3%</p></body></html>")
    assert text == "产值5亿元，增长3%"
