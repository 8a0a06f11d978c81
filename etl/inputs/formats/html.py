"""HTML → the article's text: no markup, scripts, styles, navigation or hidden parts;
one line per block (paragraph, heading, list item, table row, <br>) so the segmenter
sees the paragraphs, table cells separated by tabs.

Only text a reader sees: `<script>`, `<style>` and `<template>` elements, and elements
that are `hidden` or styled `display:none` / `visibility:hidden`, are cut out of the tree
before anything else looks at it — wherever they sit (inside a `<pre>`, an `<h1>` that
becomes the title, an `<article>`) — so the content root is chosen among visible
elements and a hidden `<article>` cannot replace the visible body.

Whitespace follows the browser's rules: runs collapse to one space, and a line break in
the markup next to a Chinese character disappears (as CSS Text 3 removes segment breaks
between East Asian characters; Chinese puts no space before a number either), so a
sentence wrapped in the source HTML stays one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from etl.inputs.formats.common import FormatError, Limits, check_text_size, clean_text, size_text
from etl.inputs.formats.encoding import decode_text

_HEAD = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.I | re.S,
)
_ANY_TAG = re.compile(rb"<(?:p|div|br|table|span|a|h[1-6]|html|body|li|font|center)\b", re.I)
_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

_DROP = frozenset({
    "script", "style", "noscript", "template", "head", "nav", "aside", "form", "button",
    "select", "option", "textarea", "input", "label", "iframe", "frame", "frameset",
    "object", "embed", "applet", "svg", "math", "canvas", "map", "audio", "video",
    "picture", "source", "track", "dialog", "menu",
})
# class / id words that mark site furniture rather than the article
_FURNITURE = frozenset({
    "nav", "navbar", "navigation", "menu", "menubar", "breadcrumb", "breadcrumbs", "crumb",
    "crumbs", "footer", "sidebar", "share", "sharebar", "toolbar", "topbar", "copyright",
    "skip", "pagination", "pager", "login", "search", "searchbox", "advert", "ads",
})
_WORD = re.compile(r"[a-z]+")
_BLOCK = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "title",
})
_CELL = frozenset({"td", "th"})
_WS = re.compile(r"[ \t\r\n\f\v]+")
# East Asian characters and the punctuation Chinese text sets between them
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u2014-\u201f\u2026\u00b7]")


def looks_like_html(data: bytes, html_suffix: bool) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return False
    if _HEAD.match(head):
        return True
    return html_suffix and head.lstrip().startswith(b"<") and bool(_ANY_TAG.search(head))


def _declared_charset(data: bytes) -> list[str]:
    m = _META_CHARSET.search(data[:8192])
    return [m.group(1).decode("ascii", "replace")] if m else []


# Never rendered as text, wherever they are
_INVISIBLE = frozenset({"script", "style", "template"})
_HIDING_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))"
                           r"\s*(?:!\s*important\s*)?(?:;|$)", re.I)


def _invisible(el: etree._Element) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    return (tag in _INVISIBLE or el.get("hidden") is not None
            or _HIDING_STYLE.search(el.get("style") or "") is not None)


def _prune_invisible(doc: etree._Element) -> None:
    """Cut every element no reader sees out of the tree, keeping the text that follows it
    (its tail): `<p>产值<span style="display:none">9亿元</span>5亿元</p>` → 产值5亿元."""
    for el in [e for e in doc.iter() if isinstance(e.tag, str) and _invisible(e)]:
        if el.getparent() is not None:
            el.drop_tree()


def _furniture(el: etree._Element) -> bool:
    if el.get("aria-hidden") == "true" or _invisible(el):
        return True
    words = _WORD.findall(f"{el.get('class') or ''} {el.get('id') or ''}".lower())
    return any(w in _FURNITURE for w in words)


def _collapse(s: str) -> str:
    def space(m: re.Match[str]) -> str:
        if "\n" in m.group() or "\r" in m.group():
            before = s[m.start() - 1] if m.start() else ""
            after = s[m.end()] if m.end() < len(s) else ""
            if (before and _CJK.match(before)) or (after and _CJK.match(after)):
                return ""
        return " "

    return _WS.sub(space, s).strip()


class _Text:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def inline(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def cell(self) -> None:
        if "".join(self.buf).strip():
            self.buf.append("\t")

    def brk(self) -> None:
        if self.buf:
            cells = "".join(self.buf).split("\t")
            line = "\t".join(c for c in (_collapse(c) for c in cells) if c)
            if line:
                self.lines.append(line)
            self.buf = []

    def pre(self, s: str) -> None:
        self.brk()
        self.lines.extend(ln.rstrip() for ln in s.splitlines() if ln.strip())


def _walk(el: etree._Element, out: _Text) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag == "br":
        out.brk()
        return
    if tag == "pre":
        out.pre("".join(el.itertext()))
        return
    block = tag in _BLOCK
    if block:
        out.brk()
    elif tag in _CELL:
        out.cell()
    out.inline(el.text)
    for child in el:
        ctag = child.tag.lower() if isinstance(child.tag, str) else ""
        if isinstance(child.tag, str) and ctag not in _DROP and not _furniture(child):
            _walk(child, out)
        out.inline(child.tail)
    if block:
        out.brk()


def _content_root(doc: etree._Element) -> tuple[etree._Element, str | None]:
    """The element holding the article (a lone <main> or <article>, else <body>), and a
    title line to put first when the root does not contain the page's heading."""
    body = doc.find(".//body")
    root = body if body is not None else doc
    for tag in ("main", "article"):
        found = [e for e in doc.iter(tag) if not _inside_dropped(e) and not _furniture(e)]
        if len(found) == 1:
            root = found[0]
            break
    h1s = [h for h in doc.iter("h1") if not _inside_dropped(h)]
    if h1s:
        title = None if _contains(root, h1s[0]) else _collapse(h1s[0].text_content())
    else:
        t = doc.find(".//title")
        title = _collapse(t.text_content()) if t is not None else None
    return root, title or None


def _inside_dropped(el: etree._Element) -> bool:
    for anc in el.iterancestors():
        if isinstance(anc.tag, str) and (anc.tag.lower() in _DROP or _furniture(anc)):
            return True
    return False


def _contains(root: etree._Element, el: etree._Element) -> bool:
    return root is el or any(a is root for a in el.iterancestors())


def _lines(doc: etree._Element) -> Iterator[str]:
    root, title = _content_root(doc)
    out = _Text()
    _walk(root, out)
    out.brk()
    if title:
        yield title
    yield from out.lines


def html_text(data: bytes, lim: Limits) -> tuple[str, str]:
    """(article text, the charset the bytes were decoded with)."""
    if len(data) > 10 * lim.max_text_chars:
        raise FormatError(f"too large: {size_text(len(data))} of HTML; the limit is "
                          f"{10 * lim.max_text_chars:,} bytes (PARKSTAT_MAX_TEXT_CHARS × 10)")
    source, encoding = decode_text(data, _declared_charset(data))
    source = _XML_DECL.sub("", source, count=1)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  default_doctype=False)
    try:
        doc = lxml_html.document_fromstring(source, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise FormatError(f"unreadable HTML: {e}") from e
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise FormatError("unreadable HTML: nested deeper than 256 elements")
    _prune_invisible(doc)
    text = "\n".join(_lines(doc))
    text = clean_text(text)
    if not text.strip():
        raise FormatError("HTML page with no article text")
    return check_text_size(text, lim), encoding
