"""The engine's lunar dates and solar terms agree with the calendar library on every day of 1901–2099.

For each Gregorian day the library's lunar date is written out as text ("2023年闰二月十五", "农历1950年腊月初八")
and read back through ``find_dates``: it must give that very day.  For each year the 24 solar terms, written
"2023年冬至", must give the library's term days.  The library was chosen by ``bench/lunar_libraries.py``
(every lunar day and term of 1900–2100 right against an astronomical reference); this test checks that the
engine's grammar, numerals and year rules carry it through whole, not that the library is right.
"""

from __future__ import annotations

import datetime as dt

import sxtwl
from ptkg.extractors.dates import find_dates
from ptkg.extractors.dates.rules import read_tsv

CN = "〇一二三四五六七八九"
MONTH_WORDS = {1: "正", 11: "冬", 12: "腊"}
TENS = ["", "十", "二十"]


def lunar_day_text(day: int) -> str:
    if day <= 10:
        return "初" + ("十" if day == 10 else CN[day])
    if day == 20:
        return "二十"
    if day == 30:
        return "三十"
    return TENS[day // 10] + CN[day % 10]


def lunar_month_text(month: int) -> str:
    return MONTH_WORDS.get(month) or ("十" + CN[month - 10] if month > 10 else ("十" if month == 10 else CN[month]))


def test_every_lunar_day_1901_2099() -> None:
    """One text per Gregorian year, its days' lunar dates joined by "；" (one scan per year keeps this quick)."""
    wrong = []
    n = 0
    for year in range(1901, 2100):
        day = dt.date(year, 1, 1)
        texts, days = [], []
        while day.year == year:
            s = sxtwl.fromSolar(day.year, day.month, day.day)
            y, m, d, leap = s.getLunarYear(), s.getLunarMonth(), s.getLunarDay(), bool(s.isLunarLeap())
            # two spellings in turn: Chinese numerals, and 农历 with an Arabic year, month and day with 号
            if n % 2:
                texts.append(f"{y}年{'闰' if leap else ''}{lunar_month_text(m)}月{lunar_day_text(d)}")
            else:
                texts.append(f"农历{y}年{'闰' if leap else ''}{m}月{d}号")
            days.append(day)
            n += 1
            day += dt.timedelta(days=1)
        found = find_dates("；".join(texts), None)
        got = [(f.text, f.not_before, f.not_after) for f in found]
        want = [(t, d, d) for t, d in zip(texts, days, strict=True)]
        if got != want:
            wrong.extend([(w, g) for w, g in zip(want, got, strict=False) if w != g][:3] or [(year, len(got))])
    assert n == 72684
    assert not wrong, wrong[:10]


def test_every_solar_term_1901_2099() -> None:
    names = {int(r[1]): r[0] for r in read_tsv("solar_terms.tsv")}
    assert len(names) == 24
    wrong = []
    for year in range(1901, 2100):
        day = dt.date(year, 1, 1)
        seen = 0
        while day.year == year:
            s = sxtwl.fromSolar(day.year, day.month, day.day)
            if s.hasJieQi():
                seen += 1
                text = f"{year}年{names[s.getJieQi()]}"
                got = [(f.not_before, f.not_after) for f in find_dates(text, None)]
                if got != [(day, day)]:
                    wrong.append((text, day, got))
            day += dt.timedelta(days=1)
        assert seen == 24, year
    assert not wrong, wrong[:10]
