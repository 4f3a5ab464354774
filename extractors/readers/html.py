"""HTML reader: the article, not the page around it.

Main text comes from trafilatura, which drops navigation, footers and link lists; when
it finds no article (a bare fragment, a page of only a table) the whole visible text is
taken with lxml instead, so a small page is never refused.  ``meta`` keeps what the
page says about itself (``<title>``, ``<meta name|property=…>``) and, under ``date``,
the first publication date among them as ISO YYYY-MM-DD.
"""

from __future__ import annotations

import re

from ptkg.extractors.model import RawText
from ptkg.extractors.readers.text import DecodeError, decode_text, newlines

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# meta names that carry a publication date, strongest first
_DATE_KEYS = (
    "article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "og:published_time",
    "article:modified_time",
)
_KEEP = {"description", "author", "keywords", "og:title", "og:site_name", "source", "publisher", "copyright"}
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)")


def iso_date(value: str) -> str | None:
    """"2020-09-04T22:40:00+08:00", "2020/9/4", "2020年9月4日", "20200904" → "2020-09-04"."""
    import datetime as dt

    m = _ISO.search(value) or _COMPACT.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """BOM, then a declared ``<meta charset>``, then the text reader's detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            if declared in ("gb2312", "gbk", "x-gbk"):
                declared = "gb18030"  # the superset: pages labelled GB2312 use GBK characters
            try:
                return data.decode(declared), declared
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong label is common: detect instead
    return decode_text(data)


def page_meta(tree) -> dict[str, str]:  # type: ignore[no-untyped-def]
    meta: dict[str, str] = {}
    title = tree.findtext(".//title")
    if title and title.strip():
        meta["title"] = " ".join(title.split())
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if not key or not value or key in meta:
            continue
        if key in _KEEP or key in _DATE_KEYS:
            meta[key] = " ".join(value.split())
    for key in _DATE_KEYS:
        if key in meta and (iso := iso_date(meta[key])):
            meta["date"] = iso
            break
    if "title" not in meta and "og:title" in meta:
        meta["title"] = meta["og:title"]
    return meta


def _lxml_text(tree) -> str:  # type: ignore[no-untyped-def]
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    body = tree.find(".//body")
    lines = [" ".join(s.split()) for s in (body if body is not None else tree).itertext()]
    return "\n".join(s for s in lines if s)


def _trafilatura_text(html) -> str:  # type: ignore[no-untyped-def]
    try:
        import trafilatura
    except ImportError:  # trafilatura needs lxml_html_clean with lxml >= 5.2
        return ""
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=False)
    except RecursionError:  # a tree deeper than Python's stack: the caller reads it as a stream
        return ""
    return text or ""


class _Stream:
    """The visible text of a page read as a stream of tags (``html.parser``), which keeps no tree and so
    has no depth limit: the reader of last resort for a page nested deeper than libxml2 builds."""

    _HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        from html.parser import HTMLParser

        self.lines: list[str] = []
        self.hidden = 0
        stream = self

        class P(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list) -> None:
                stream.hidden += tag in stream._HIDDEN

            def handle_endtag(self, tag: str) -> None:
                stream.hidden -= tag in stream._HIDDEN and stream.hidden > 0

            def handle_data(self, data: str) -> None:
                if not stream.hidden and (line := " ".join(data.split())):
                    stream.lines.append(line)

        self.parser = P(convert_charrefs=True)

    def text(self, html: str) -> str:
        body = re.search(r"<body[\s>]", html, re.I)
        self.parser.feed(html[body.start():] if body else html)
        self.parser.close()
        return "\n".join(self.lines)


def _excessive_depth(parser) -> bool:  # type: ignore[no-untyped-def]
    return any("Excessive depth" in e.message for e in parser.error_log)


def _parse(html: str):  # type: ignore[no-untyped-def]
    """The page's tree, and how deep it goes: 0 within libxml2's default depth (256 levels), 1 within
    its huge-tree depth (2048), 2 deeper.  Why: past the default depth libxml2 stops building the tree
    and everything below is lost without a word (issue 16), so the page is parsed again as a huge tree,
    and past that read as a stream (:class:`_Stream`)."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    tree = lxml.html.document_fromstring(html, parser=parser)
    if not _excessive_depth(parser):
        return tree, 0
    parser = lxml.html.HTMLParser(huge_tree=True)
    tree = lxml.html.document_fromstring(html, parser=parser)
    return tree, 2 if _excessive_depth(parser) else 1


def read_html(data: bytes, path: str) -> RawText:
    from ptkg.extractors.readers import ReadError

    try:
        html, encoding = decode_html(data)
    except DecodeError as e:
        raise ReadError(path, str(e)) from None
    html = html.lstrip("\ufeff")
    try:
        tree, depth = _parse(html)
    except Exception as e:  # lxml raises ParserError on an empty or tag-less document
        raise ReadError(path, f"not parseable as HTML ({e})") from None
    meta = page_meta(tree)
    if depth == 2:
        text = _Stream().text(html)
    else:  # as a tree, trafilatura would parse the string again with the default depth
        text = _trafilatura_text(html if depth == 0 else tree)
        if not text.strip():
            text = _lxml_text(tree if depth == 0 else _parse(html)[0])
    return RawText(path=path, text=newlines(text), format="html", encoding=encoding, meta=meta)
