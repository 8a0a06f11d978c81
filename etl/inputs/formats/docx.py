"""A .docx's body text, read straight from its XML (zipfile + lxml): one line per
paragraph, a table row per line with its cells separated by tabs. Headers, footers,
comments, deleted revisions and field codes are not part of the text.

A .docx is a zip, so a hostile one can be a zip bomb: the document part's declared size
and compression ratio are checked before anything is inflated, and reading stops at the
limit whatever the header claims.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree  # type: ignore[import-untyped]

from etl.inputs.formats.common import (
    MB,
    FormatError,
    Limits,
    check_text_size,
    clean_text,
    size_text,
)
from etl.messages import one_line

_W_NS = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFFICE_DOC_REL = "/officeDocument"
_RATIO_MIN_SIZE = 1 * MB  # small parts may compress well without being bombs


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_comments=True, remove_pis=True, huge_tree=False)


def _read_member(zf: zipfile.ZipFile, name: str, lim: Limits) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > lim.max_unpacked_bytes:
        raise FormatError(f"refused: {name} would unpack to {size_text(info.file_size)}, over "
                          f"the {size_text(lim.max_unpacked_bytes)} limit (zip bomb?)")
    if (info.file_size > _RATIO_MIN_SIZE
            and info.file_size > lim.max_ratio * max(info.compress_size, 1)):
        ratio = info.file_size // max(info.compress_size, 1)
        raise FormatError(f"refused: {name} is compressed {ratio}:1, over the "
                          f"{lim.max_ratio}:1 limit (zip bomb?)")
    with zf.open(info) as f:
        data = f.read(lim.max_unpacked_bytes + 1)
    if len(data) > lim.max_unpacked_bytes:
        raise FormatError(f"refused: {name} unpacks to more than "
                          f"{size_text(lim.max_unpacked_bytes)} (zip bomb?)")
    return data


def _main_part(zf: zipfile.ZipFile, lim: Limits) -> str:
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        rels = etree.fromstring(_read_member(zf, "_rels/.rels", lim), _parser())
        for rel in rels:
            if str(rel.get("Type", "")).endswith(_OFFICE_DOC_REL):
                target = str(rel.get("Target", "")).lstrip("/")
                target = posixpath.normpath(target)
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    if "xl/workbook.xml" in names:
        raise FormatError("an .xlsx spreadsheet, not supported: save the report as .docx")
    if "ppt/presentation.xml" in names:
        raise FormatError("a .pptx presentation, not supported")
    if "mimetype" in names and b"opendocument" in _read_member(zf, "mimetype", lim):
        raise FormatError("an OpenDocument file, not supported: save it as .docx")
    raise FormatError("a zip archive, not a .docx (no word/document.xml)")


def _local(el: etree._Element) -> tuple[str, str]:
    q = etree.QName(el)
    return q.namespace or "", q.localname


def _runs(p: etree._Element) -> str:
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            ns, name = _local(child)
            if ns == _MC_NS and name == "Fallback":
                continue
            if ns in _W_NS:
                if name == "t":  # unresolved entity references are left out
                    out.append(child.text or "")
                    out.extend(sub.tail or "" for sub in child)
                    continue
                if name == "tab":
                    out.append("\t")
                    continue
                if name in ("br", "cr"):
                    out.append("\n")
                    continue
                if name == "noBreakHyphen":
                    out.append("-")
                    continue
                if name in ("delText", "instrText", "del", "moveFrom"):
                    continue
                if name == "p":  # a text box's paragraph inside this one
                    out.append(" ")
            walk(child)

    walk(p)
    return "".join(out)


def _blocks(el: etree._Element, lines: list[str]) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        ns, name = _local(child)
        if ns == _MC_NS and name == "Fallback":
            continue
        if ns not in _W_NS and ns != _MC_NS:
            continue
        if name == "p":
            lines.extend(ln.strip() for ln in _runs(child).split("\n"))
        elif name == "tbl":
            for tr in child.iterchildren(*(f"{{{n}}}tr" for n in _W_NS)):
                cells = []
                for tc in tr.iterchildren(*(f"{{{n}}}tc" for n in _W_NS)):
                    cell: list[str] = []
                    _blocks(tc, cell)
                    cells.append(" ".join(c for c in cell if c))
                lines.append("\t".join(c for c in cells if c))
        else:  # sdt, sdtContent, customXml, ins, AlternateContent/Choice: look inside
            _blocks(child, lines)


def _why(e: BaseException) -> str:
    """A zip or XML error in a few readable words: zipfile's "File name in directory … and
    header … differ" quotes the damaged header's bytes (100 KB of escapes on one line)."""
    text = str(e)
    if text.startswith("File name in directory"):
        return "the zip's directory does not match its entries (a damaged file)"
    return one_line(text, 160)


def docx_text(data: bytes, lim: Limits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            part = _main_part(zf, lim)
            xml = _read_member(zf, part, lim)
    except FormatError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError) as e:
        raise FormatError(f"corrupt .docx: {_why(e)}") from e
    except (RuntimeError, NotImplementedError) as e:  # encrypted, unknown compression
        raise FormatError(f"unreadable .docx: {_why(e)}") from e
    except etree.XMLSyntaxError as e:
        raise FormatError(f"corrupt .docx: _rels/.rels is not well-formed XML: {_why(e)}") from e
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as e:
        raise FormatError(f"corrupt .docx: {part} is not well-formed XML: {_why(e)}") from e
    body = next((b for n in _W_NS for b in root.iter(f"{{{n}}}body")), None)
    if body is None:
        raise FormatError(f"corrupt .docx: {part} has no w:body")
    lines: list[str] = []
    try:
        _blocks(body, lines)
    except RecursionError:
        raise FormatError(f"unreadable .docx: {part} is nested too deeply") from None
    text = "\n".join(ln for ln in lines if ln)
    text = clean_text(text)
    if not text.strip():
        raise FormatError(".docx with no text")
    return check_text_size(text, lim)
