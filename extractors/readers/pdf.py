"""PDF reader: the text layer, page by page, joined by "\\n".

pdfplumber (pdfminer.six underneath) rather than pypdf, measured on PDFs generated from
seed 003 in reportlab's CID font STSong-Light (tests/test_readers.py,
``test_pdf_backends_compared``): both recover every character of the 11k-character
speech, and pypdf is ~10x faster (0.04 s against 0.35 s), but only pdfplumber sees
glyph positions, so it can undo fake bold (every run drawn twice, the damage seen in
seed 000) with ``dedupe_chars``; pypdf prints each such line twice.  Text quality
matters more here than a fraction of a second per document.

No OCR: a scanned PDF without a text layer is refused as "empty after extraction".
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter

from ptkg.extractors.model import RawText
from ptkg.extractors.readers.html import iso_date

_INFO_KEYS = {"Title": "title", "Author": "author", "Subject": "subject", "Keywords": "keywords",
              "Creator": "creator", "Producer": "producer"}


def pdf_date(value: str) -> str | None:
    """PDF date string "D:20200817093000+08'00'" → "2020-08-17"."""
    v = value.strip()
    if v.startswith("D:"):
        v = v[2:]
    return iso_date(v[:8]) if len(v) >= 8 and v[:8].isdigit() else iso_date(v)


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        # PDF text strings: UTF-16BE with a BOM, else (close to) PDFDocEncoding
        for enc in (("utf-16",) if value.startswith((b"\xfe\xff", b"\xff\xfe")) else ("utf-8", "latin-1")):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if value is None or not isinstance(value, str):
        value = getattr(value, "name", None) if value is not None else None  # PSLiteral
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    return value or None


def pdf_meta(info: dict) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, name in _INFO_KEYS.items():
        if key in info and (v := _text(_resolve(info[key]))):
            meta[name] = v
    for key, name in (("CreationDate", "creationdate"), ("ModDate", "moddate")):
        if key in info and (v := _text(_resolve(info[key]))) and (d := pdf_date(v)):
            meta[name] = d
    if "creationdate" in meta:
        meta["date"] = meta["creationdate"]
    return meta


def _resolve(value: object) -> object:
    resolve = getattr(value, "resolve", None)
    return resolve() if callable(resolve) else value


def _doubled(chars: list[dict]) -> bool:
    """Fake bold: more than 5% of the glyphs drawn twice at (about) the same place."""
    if not chars:
        return False
    seen = Counter((c["text"], round(c["x0"]), round(c["top"])) for c in chars)
    return sum(n - 1 for n in seen.values()) > 0.05 * len(chars)


def _pdfminer_cause(e: BaseException) -> BaseException:
    """The pdfminer error inside pdfplumber's ``PdfminerException`` wrapper.

    pdfplumber ≥ 0.11 wraps what pdfminer raises (``PdfminerException(PDFPasswordIncorrect())``),
    so an ``except PDFPasswordIncorrect`` never fires and an encrypted PDF was reported as
    "pdf reader failed: PdfminerException:" with no reason at all.
    """
    seen = 0
    while seen < 5 and type(e).__name__ == "PdfminerException":
        inner = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e.__cause__ or e.__context__
        if inner is None:
            break
        e, seen = inner, seen + 1
    return e


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 1 << 16


def _check_inflated(data: bytes, path: str) -> None:
    """Refuse a PDF whose zlib streams inflate to more than the limit, before pdfminer inflates them whole.

    Every zlib stream that follows a ``stream`` keyword is inflated here in bounded pieces, counting
    only the size; encrypted streams do not inflate and are not counted (pdfminer decrypts them).
    """
    from ptkg.extractors.readers import MAX_UNPACKED_BYTES, ReadError

    view = memoryview(data)
    total = 0
    for m in _STREAM.finditer(data):
        z = zlib.decompressobj()
        at = m.end()
        try:
            while not z.eof and at < len(data):
                total += len(z.decompress(view[at:at + _CHUNK], MAX_UNPACKED_BYTES + 1 - total))
                while z.unconsumed_tail and total <= MAX_UNPACKED_BYTES:
                    total += len(z.decompress(z.unconsumed_tail, MAX_UNPACKED_BYTES + 1 - total))
                if total > MAX_UNPACKED_BYTES:
                    raise ReadError(path, f"its compressed streams inflate to over {MAX_UNPACKED_BYTES} bytes, "
                                          "the limit (a decompression bomb?); skipped")
                at += _CHUNK
        except zlib.error:
            continue


def _page_count(pdf) -> int:  # type: ignore[no-untyped-def]
    """The page count the page tree declares (0 when it declares none), without building the pages."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged catalog: the loop's own count still holds
        return 0
    return count if isinstance(count, int) else 0


def read_pdf(data: bytes, path: str) -> RawText:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from ptkg.extractors.readers import MAX_PDF_PAGES, MAX_TEXT_CHARS, ReadError
    from ptkg.extractors.reasons import is_bug, reason

    if b"%%EOF" not in data[-2048:]:
        # pdfminer would scan a cut-off file for whatever objects survive; a partial
        # document must be reported, not silently read in part
        raise ReadError(path, "truncated PDF (no %%EOF marker at the end)")
    _check_inflated(data, path)
    pages: list[str] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta = pdf_meta(pdf.doc.info[0] if pdf.doc.info else {})
            count = _page_count(pdf)
            if count > MAX_PDF_PAGES:
                raise ReadError(path, f"{count} pages, over the limit of {MAX_PDF_PAGES}; skipped")
            for n, page in enumerate(pdf.pages, 1):
                if n > MAX_PDF_PAGES:  # the page tree said fewer than it holds
                    raise ReadError(path, f"over {MAX_PDF_PAGES} pages, the limit; skipped")
                # dedupe_chars costs ~3x the extraction itself: only where glyphs are doubled
                view = page.dedupe_chars() if _doubled(page.chars) else page
                pages.append((view.extract_text() or "").rstrip())
                page.close()  # drop the page's glyph objects: memory stays that of one page
                chars += len(pages[-1])
                if chars > MAX_TEXT_CHARS:
                    raise ReadError(path, f"over {MAX_TEXT_CHARS} characters of text by page {n}, the limit; "
                                          "skipped")
    except ReadError:
        raise
    except Exception as e:
        cause = _pdfminer_cause(e)
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReadError(path, "encrypted PDF (it needs a password to be read)") from None
        if isinstance(cause, PDFEncryptionError):
            raise ReadError(path, f"encrypted PDF (its encryption cannot be read: {reason(cause)})") from None
        if isinstance(cause, (PSException, zlib.error, ValueError)) or isinstance(cause, KeyError) and \
                not is_bug(cause):
            # pdfminer's own errors (PDFSyntaxError and the rest are PSExceptions) and its decoders' ValueErrors
            # say what is damaged in words (a bad stream, a missing object)
            raise ReadError(path, f"broken PDF ({reason(cause)})") from None
        raise cause from None
    if not pages:
        raise ReadError(path, "PDF without pages")
    return RawText(path=path, text="\n".join(pages), format="pdf", encoding=None, meta=meta)
