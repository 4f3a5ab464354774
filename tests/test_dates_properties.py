"""Property tests: the engine never raises and its spans are honest, whatever the input."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from ptkg.extractors.dates import find_dates
from ptkg.extractors.dates.timex import timex_line

PIECES = list("0123456789０１２３年月日号初中底末旬上下半以来起至到自从今去明本周星期")
PIECES += list("一二三四五六七八九十〇零两廿")
PIECES += ["以來", "季度", "上半年", "年代", "世纪", "十四五", "“", "”", "、", "-", ".", "/", " ", "\n", "%"]
PIECES += ["（", "）", "近日", "日前", "前", "后", "个月", "天", "间", "期间", "末", "内"]
mixes = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
bases = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


def check(text: str, base: dt.date | None) -> None:
    found = find_dates(text, base)
    prev_end = 0
    for d in found:
        assert 0 <= d.start < d.end <= len(text)
        assert d.start >= prev_end, "mentions overlap or are out of order"
        prev_end = d.end
        assert d.text == text[d.start:d.end]
        if d.not_before and d.not_after:
            assert d.not_before <= d.not_after
        assert d.role in {"point", "since", "until", "vague", "target"}
        assert d.precision in {"day", "part-of-month", "month", "season", "year", "period"}


def check_timex(line: str, base: dt.date) -> None:
    prev_end = 0
    for obj in timex_line(line, base):
        assert 0 <= obj["start"] < obj["end"] <= len(line)
        assert obj["start"] >= prev_end
        prev_end = obj["end"]
        assert obj["text"] == line[obj["start"]:obj["end"]]
        if obj["not_before"] and obj["not_after"]:
            assert obj["not_before"] <= obj["not_after"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), bases)
def test_any_string(text: str, base: dt.date | None) -> None:
    check(text, base)


@settings(max_examples=600, deadline=None)
@given(mixes, bases)
def test_date_like_mixes(text: str, base: dt.date | None) -> None:
    check(text, base)


@settings(max_examples=300, deadline=None)
@given(st.one_of(mixes, st.text(max_size=60)), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2050, 1, 1)))
def test_timex_line_spans(line: str, base: dt.date) -> None:
    check_timex(line, base)


@settings(max_examples=200, deadline=None)
@given(st.integers(1000, 2199), st.integers(1, 12), st.integers(1, 31))
def test_full_dates_round_trip(y: int, m: int, d: int) -> None:
    try:
        want = dt.date(y, m, d)
    except ValueError:
        return
    found = find_dates(f"会议于{y}年{m}月{d}日召开", None)
    assert [(f.not_before, f.not_after, f.precision) for f in found] == [(want, want, "day")]
