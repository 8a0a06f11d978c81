"""A PDF's text layer, page by page (pypdf). Lines stay as the PDF lays them out; the
normaliser joins hard-wrapped lines. A PDF without a text layer (a scan) is an error
that says it needs OCR — never a document with zero records.
"""

from __future__ import annotations

import io
import logging
import warnings

from etl.inputs.formats.common import FormatError, Limits, check_text_size, clean_text

# pypdf logs the damage it works around (at WARNING and ERROR, with whole font tables);
# without a handler Python would print that to stderr for every broken file, in the
# middle of the loader's one-line-per-file report. What cannot be worked around raises
# and is reported as the file's error.
_pypdf_log = logging.getLogger("pypdf")
_pypdf_log.addHandler(logging.NullHandler())
_pypdf_log.propagate = False


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
    text = clean_text("\n".join(p.strip("\n") for p in pages))
    if n_pages == 0:
        raise FormatError("corrupt PDF: no pages found")
    if not text.strip():
        raise FormatError(f"no text layer: needs OCR ({n_pages} page"
                          f"{'' if n_pages == 1 else 's'}, no extractable text)")
    return check_text_size(text, lim)
