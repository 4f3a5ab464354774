"""Fuzzing: the repair steps, the date engine, the readers and the document splitter never
raise on hostile text, and the offsets they hand on stay honest.

Why: a folder gathered from the web holds text nobody wrote for us; a crash in one step
costs the user a document, and an offset outside the raw text makes the quote and line
that point back at the source wrong without any error.  The same checks run for a long
campaign in ``bench/fuzz_campaign.py`` (which imports the ``check_*`` functions and
strategies below); here the number of examples is bounded so the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from ptkg.extractors.dates import find_dates
from ptkg.extractors.documents import split_documents
from ptkg.extractors.model import RawText, Text
from ptkg.extractors.normalize import (
    STEPS,
    collapse_doubled,
    drop_furniture,
    fold_width,
    join_lines,
    normalize,
    squeeze_spaces,
    to_simplified,
)
from ptkg.extractors.readers import ReadError, read_file

EXAMPLES = int(os.environ.get("PTKG_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# ------------------------------------------------------------------ strategies
# pieces of Chinese policy text that the repairs and the date grammar react to
PIECES = list("0123456789０１２３４５６７８９年月日号初中底末旬上下半以来起至到自从今去明本周星期前后内")
PIECES += list("一二三四五六七八九十〇零两廿百千万几数")
PIECES += list("會議國內雙循環經濟發展中央政治局常委会议习近平提出构建新格局")  # Traditional and Simplified
PIECES += list("，。、；：！？“”「」（）《》【】")
PIECES += [" ", "  ", "\u3000", "\t", "\n", "\n\n", "\n\n\n\n", "\r\n", "-", ".", "/", ":", "%", "　"]
PIECES += ["ＡＢＣ", "㈠", "①", "ﬁ", "Ⅻ", "\ufeff", "\u200b", "\x00", "\ud7ff", "\U00020000", "é", "e\u0301"]
PIECES += ["以來", "季度", "上半年", "年代", "世纪", "十四五", "近日", "日前", "个月", "期间", "前后"]
PIECES += ["一、", "（二）", "3.", "第1页", "- 12 -", "2020-09-04 22:40", "来源：新华网", "【时评】", "———"]
# long numeral runs before a unit: counts (三天前) and years (一九六二年) share the digits
PIECES += ["一九六二", "九九九九", "二〇二〇", "999", "十二", "两", "个星期", "以后", "之前", "未来", "今后"]

pieces = st.sampled_from(PIECES)
# a run printed twice, as PDF extraction does with fake bold ("20202020年年")
doubled = st.lists(pieces, min_size=1, max_size=4).map(lambda xs: "".join(x + x for x in xs))
mixes = st.lists(st.one_of(pieces, pieces, pieces, doubled), max_size=60).map("".join)
# whole lines, some repeated (running headers, page furniture), blank lines between
line = st.lists(st.one_of(pieces, doubled), max_size=25).map("".join)
documentish = st.lists(line, max_size=30).flatmap(
    lambda ls: st.lists(st.sampled_from(ls or [""]), max_size=40) if ls else st.just([])
).map("\n".join)
texts = st.one_of(st.text(max_size=200), mixes, documentish)
bases = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))

REPAIRS = (fold_width, to_simplified, collapse_doubled, drop_furniture, join_lines, squeeze_spaces)



# ------------------------------------------------------------------ checks (shared with the campaign)
def check_text_map(t: Text, raw: str) -> None:
    """Every normalized character points into ``raw``, in order, with a non-empty span."""
    n = len(raw)
    assert len(t.origin) == len(t.text)
    prev = 0
    for i, o in enumerate(t.origin):
        assert 0 <= o < n, (i, o, n)
        assert o >= prev, f"origin goes backwards at {i}: {prev} → {o}"
        prev = o
        assert o < t.end_of(i) <= n, (i, o, t.end_of(i), n)


def check_raw_spans(t: Text, raw: str, cuts: list[int]) -> None:
    """``raw_span`` of any normalized span lies inside the raw text and is ordered."""
    m = len(t.text)
    points = sorted({0, m, *(c % (m + 1) for c in cuts)})
    for a, b in zip(points, points[1:], strict=False):
        s, e = t.raw_span(a, b)
        assert 0 <= s <= e <= len(raw), (a, b, s, e, len(raw))
    s, e = t.raw_span(m, m)
    assert 0 <= s <= e <= len(raw)


def check_repairs(raw: str) -> None:
    """Each repair step alone, then all of them chained as ``normalize`` runs them."""
    for step in REPAIRS:
        check_text_map(step(Text.identity(raw)), raw)
    t = Text.identity(raw)
    for step in STEPS:
        t = step(t)
        check_text_map(t, raw)
    n = normalize(raw)
    assert n.text == t.text and n.origin == t.origin
    check_raw_spans(n, raw, [len(n.text) // 3, len(n.text) // 2, len(n.text) - 1])


def check_dates(text: str, base: dt.date | None) -> None:
    prev_end = 0
    for d in find_dates(text, base):
        assert 0 <= d.start < d.end <= len(text), (d, len(text))
        assert d.start >= prev_end, "date mentions overlap or are out of order"
        prev_end = d.end
        assert d.text == text[d.start:d.end]
        if d.not_before and d.not_after:
            assert d.not_before <= d.not_after, d


def check_split(text: str) -> None:
    """The documents of a file cover its normalized text, in order, without gaps."""
    raw = RawText("fuzz.txt", text, "txt")
    t = normalize(text)
    docs = split_documents(raw, t)
    assert docs, "a file has at least one document"
    assert docs[0].start == 0 and docs[-1].end == len(t.text)
    for k, doc in enumerate(docs):
        assert doc.index == k and doc.source == "fuzz.txt"
        assert doc.start <= doc.end
        if k:
            assert docs[k - 1].end == doc.start, "documents leave a gap or overlap"


# bytes that open a container, so the fuzzer reaches the PDF, DOCX and HTML readers
_DOCX_XML = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
             b'wordprocessingml/2006/main"><w:body>%s</w:body></w:document>')


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx_like(body: bytes) -> bytes:
    return _zip({"word/document.xml": _DOCX_XML % body, "[Content_Types].xml": body[:50]})


_junk = st.binary(max_size=400)
_cjk_bytes = st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-16-le"]).flatmap(
    lambda enc: mixes.map(lambda s: s.encode(enc, errors="replace")))
file_bytes = st.one_of(
    _junk,
    _cjk_bytes,
    _junk.map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF\n"),
    _junk.map(lambda b: b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" + b
              + b"\ntrailer<</Root 1 0 R>>\n%%EOF"),
    _junk.map(lambda b: b"PK\x03\x04" + b),
    _junk.map(_docx_like),
    _junk.map(lambda b: _zip({"word/document.xml": b})),
    _cjk_bytes.map(lambda b: b"<html><head><meta charset=gbk><title>" + b + b"</title></head><body><p>" + b),
    _junk.map(lambda b: b"\xef\xbb\xbf" + b),
    _junk.map(lambda b: b"\xff\xfe" + b),
)
extensions = st.sampled_from([".txt", ".pdf", ".docx", ".html", ".htm", ".doc", ""])


def check_reader(data: bytes, ext: str) -> None:
    """Arbitrary bytes give a RawText with text, or a one-line ReadError naming the file."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"fuzz{ext}"
        path.write_bytes(data)
        try:
            raw = read_file(path, Path(d))
        except ReadError as e:
            assert e.path == path.name and "\n" not in str(e) and str(e).startswith(path.name + ": ")
            return
        assert raw.path == path.name and isinstance(raw.text, str) and raw.text.strip()
        assert "\r" not in raw.text, "line numbers count \\n only"


# ------------------------------------------------------------------ properties
@FUZZ
@given(texts)
@example("20202020年年55月月1414日日 中央政治局常委会会议议\n")
@example("\n\n\n")
@example("㈠㈡\u3000５月\u3000１４日\n" * 3)
def test_repair_steps_keep_offsets_inside_the_raw_text(raw: str) -> None:
    check_repairs(raw)


@FUZZ
@given(texts, st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_raw_span_stays_inside(raw: str, cuts: list[int]) -> None:
    check_raw_spans(normalize(raw), raw, cuts)


@FUZZ
@given(st.one_of(mixes, st.text(max_size=100)), bases)
def test_find_dates_never_raises_and_intervals_are_ordered(text: str, base: dt.date | None) -> None:
    check_dates(text, base)


# Found by the campaign: a count of Chinese numerals of any length once moved the base date out
# of the calendar (a whole 1960 report was lost); counts are now 1-3 characters standing alone.
@pytest.mark.parametrize("text, base", [
    ("一九六二年前后达到", dt.date(1959, 12, 31)),  # 1960 government work report: a whole file lost
    ("九九九九年后", dt.date(2020, 5, 5)),
    ("九九九九九个月后", dt.date(2020, 5, 5)),
    ("九九九九九九九天前", dt.date(2020, 5, 5)),
    ("未来九九九九九年", dt.date(2020, 5, 5)),
])
def test_find_dates_long_numeral_counts(text: str, base: dt.date) -> None:
    check_dates(text, base)
    assert all(d.not_before is None or d.not_before.year > 1000 for d in find_dates(text, base))


@settings(max_examples=max(50, EXAMPLES // 2), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(file_bytes, extensions)
@example(b"%PDF-1.4\n%%EOF", ".pdf")
@example(b"PK\x03\x04", ".docx")
@example(b"\xff\xfe", ".txt")
@example(b"<html>", ".html")
def test_readers_raise_only_read_error(data: bytes, ext: str) -> None:
    check_reader(data, ext)


@FUZZ
@given(st.one_of(documentish, mixes))
def test_split_documents_covers_the_text_in_order(text: str) -> None:
    assume(len(text) < 5000)
    check_split(text)
