"""A PDF's text layer, page by page (pypdf). Lines stay as the PDF lays them out; the
normaliser joins hard-wrapped lines. A PDF without a text layer (a scan) is an error
that says it needs OCR — never a document with zero records.
"""

from __future__ import annotations

import io
import logging
import warnings

from etl.formats import FormatError, Limits, check_text_size

# pypdf reports repairable damage through logging; without a handler Python would print
# it to stderr on every broken file. What cannot be repaired raises and is reported.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def pdf_text(data: bytes, lim: Limits) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    pages: list[str] = []
    total = 0
    n_pages = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError) as e:
                    raise FormatError(f"encrypted PDF that cannot be opened: {e}") from e
                if not ok:
                    raise FormatError("encrypted PDF: needs a password")
            n_pages = len(reader.pages)
            for page in reader.pages:
                text = page.extract_text() or ""
                total += len(text)
                if total > lim.max_text_chars:
                    raise FormatError(f"too large: more than {lim.max_text_chars:,} characters"
                                      " of text (PARKSTAT_MAX_TEXT_CHARS)")
                pages.append(text)
    except FormatError:
        raise
    except FileNotDecryptedError as e:
        raise FormatError(f"encrypted PDF: {e}") from e
    except RecursionError:
        raise FormatError("corrupt PDF: nested too deeply") from None
    except Exception as e:  # pypdf raises many types on damaged files
        raise FormatError(f"corrupt PDF: {type(e).__name__}: {e}".rstrip(": ")) from e
    text = "\n".join(p.strip("\n") for p in pages)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c >= " " or c in "\t\n")
    if n_pages == 0:
        raise FormatError("corrupt PDF: no pages found")
    if not text.strip():
        raise FormatError(f"no text layer: needs OCR ({n_pages} page"
                          f"{'' if n_pages == 1 else 's'}, no extractable text)")
    return check_text_size(text, lim)
