"""DOCX reader: paragraphs and tables in document order.

A table row becomes one line, its cells joined by a space, because the pipeline quotes
"the sentence (or table row)" that states a date: a row of a chronology table
("2020年5月14日 中央政治局常委会议 首次提出…") must stay one line.  Merged cells, which
python-docx repeats once per grid column, are kept once.

Core properties go to ``meta`` (title, author, subject, keywords, created, modified).
``created`` is *not* offered as the document date (``meta["date"]``): it is when the
file was made, often a template's date, not when the text was written.
"""

from __future__ import annotations

import io
import zipfile

from ptkg.extractors.model import RawText


def _table_lines(table) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            for inner in cell.tables:  # a table inside a cell: flattened into the cell
                text = " ".join([text, *_table_lines(inner)]).strip()
            if text:
                cells.append(text)
        if cells:
            lines.append(" ".join(cells))
    return lines


def _check_unpacked(data: bytes, path: str) -> None:
    """Refuse a zip bomb before python-docx inflates it: the sizes the archive declares bound what zipfile
    will inflate (it stops at each member's declared size), so their sum is checked against the limit."""
    from ptkg.extractors.readers import MAX_UNPACKED_BYTES, ReadError

    try:
        total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ReadError(path, f"broken zip archive ({e})") from None
    if total > MAX_UNPACKED_BYTES:
        raise ReadError(path, f"unpacks to {total} bytes, over the limit of {MAX_UNPACKED_BYTES} "
                              "(a zip bomb?); skipped")


def read_docx(data: bytes, path: str) -> RawText:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from ptkg.extractors.readers import ReadError
    from ptkg.extractors.reasons import reason

    _check_unpacked(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except SyntaxError as e:  # lxml's XMLSyntaxError: a part of the package is not well-formed XML
        raise ReadError(path, f"not a real .docx (broken XML inside: {reason(e)})") from None
    except Exception as e:  # python-docx raises PackageNotFoundError, KeyError, ValueError
        raise ReadError(path, f"not a real .docx ({reason(e)})") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(child, document)))
    meta: dict[str, str] = {}
    props = document.core_properties
    for key in ("title", "author", "subject", "keywords"):
        value = getattr(props, key, None)
        if value and str(value).strip():
            meta[key] = " ".join(str(value).split())
    for key in ("created", "modified"):
        value = getattr(props, key, None)
        if value is not None:
            meta[key] = value.date().isoformat()
    text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
    return RawText(path=path, text=text, format="docx", encoding=None, meta=meta)
