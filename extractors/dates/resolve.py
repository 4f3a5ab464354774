"""Turn one regex match into DateMentions: the interval each expression allows.

Group names (see rules/grammar.yaml): per date of a range (suffix 1/2) ``y`` year number, ``yr`` relative
year word, ``m`` month, ``d`` day, ``pm`` part of month, ``yp`` part of year, ``rm`` relative month,
``rd`` relative day, ``ya`` years counted back (5年前的), ``ytd`` that year's
``今天``, ``wk`` relative week, ``wd`` weekday, ``wdd`` explicit day in brackets,
``iy/im/id`` ISO parts, ``bd`` a day alone (14日), ``rs`` a run of units (今明两年), ``hol``/``hx`` a holiday and
its 前后, ``woy`` an ISO week; ``sep`` between the two; ``ey*/em*/ed*`` elided ranges; ``plan*`` five-year
plans; ``dec*/cen*`` decades and centuries; ``ago*``/``fut*``/``last*``/``win*`` counted offsets and spans;
``vague``; ``pre``/``suf`` role markers.  A resolver raises :class:`Reject` when the match is not a date
after all (13月, 一五一十).
"""

from __future__ import annotations

import datetime as dt

from ptkg.extractors.dates import lunisolar
from ptkg.extractors.dates.calendar import add_months, add_years_safe, make, shift_days
from ptkg.extractors.dates.numerals import to_int
from ptkg.extractors.dates.rules import tables

G = dict[str, tuple[str, int, int]]


class Reject(Exception):
    """The match does not name a date."""


class Point:
    """An interval with a precision; ``nb``/``na`` None when the base date would be needed but is unknown."""

    __slots__ = ("nb", "na", "precision", "year", "month")

    def __init__(self, nb: dt.date | None, na: dt.date | None, precision: str,
                 year: int | None = None, month: int | None = None) -> None:
        if nb and na and nb > na:
            raise Reject("empty interval")
        self.nb, self.na, self.precision, self.year, self.month = nb, na, precision, year, month


def _num(text: str, lo: int, hi: int) -> int:
    n = to_int(text)
    if n is None or not lo <= n <= hi:
        raise Reject(text)
    return n


def _year(g: G, k: str, base: dt.date | None, default: int | None) -> int | None:
    """The year a date of slot ``k`` names: its own number, a relative word, or ``default``."""
    if ("y" + k) in g:
        s = g["y" + k][0].strip()
        n = to_int(s)
        if n is None:
            raise Reject(s)
        if len(s) == 2:  # 1985到89年: the century of the first year
            if default is None:
                raise Reject(s)
            n += default // 100 * 100
            if n < default:
                n += 100
        if not 1000 <= n <= 2199:
            raise Reject(s)
        return n
    if ("yr" + k) in g:
        if base is None:
            return None
        return base.year + tables().relative[g["yr" + k][0]].offset
    if ("ya" + k) in g:  # 5年前的12月4日: counted back from the document's year
        if base is None:
            return None
        return base.year - _num(g["ya" + k][0], 1, 999)
    if ("yy" + k) in g:  # 21年6月: the 2000s unless that lies more than 10 years after the base date
        n = 2000 + _num(g["yy" + k][0], 0, 99)
        return n - 100 if base is not None and n > base.year + 10 else n
    return default


def _month_interval(year: int | None, month: int, g: G, k: str) -> Point:
    prec = "month"
    if year is None:
        return Point(None, None, "day" if ("d" + k) in g else "month", None, month)
    try:
        if ("d" + k) in g:
            day = _num(g["d" + k][0], 1, 31)
            d = make(year, month, day)
            return Point(d, d, "day", year, month)
        if ("nwk" + k) in g:  # 6月第3个星期日: the N-th such weekday of the month
            n = _num(g["nwk" + k][0], 1, 5)
            wd = tables().weekdays[g["nwd" + k][0]][0]
            first_day = make(year, month, 1)
            d = shift_days(first_day, (wd - first_day.weekday()) % 7 + 7 * (n - 1))
            if d.month != month:
                raise Reject("weekday")
            return Point(d, d, "day", year, month)
        if ("nth" + k) in g or ("lastday" + k) in g or ("fdays" + k) in g:
            return _nth_day(make(year, month, 1), make(year, month, None), g, k, year, month)
        if ("wom" + k) in g:  # 第N周: N-th week (Monday start) whose Monday falls in the month
            n = _num(g["wom" + k][0], 1, 5)
            first_day = make(year, month, 1)
            monday = shift_days(first_day, (7 - first_day.weekday()) % 7 + 7 * (n - 1))
            if monday.month != month:
                raise Reject("week")
            return Point(monday, shift_days(monday, 6), "part-of-month", year, month)
        if ("pm" + k) in g:
            first, last = tables().month_parts[g["pm" + k][0]]
            return Point(make(year, month, first), make(year, month, last), "part-of-month", year, month)
        return Point(make(year, month, 1), make(year, month, None), prec, year, month)
    except ValueError as e:
        raise Reject(str(e)) from e


def _nth_day(first: dt.date, last: dt.date, g: G, k: str, year: int | None = None,
             month: int | None = None) -> Point:
    """第N天 / 最后一天 / 前N天 of the period first..last."""
    if ("lastday" + k) in g:
        return Point(last, last, "day", year, month)
    if ("fdays" + k) in g:
        n = _count(g["fdays" + k][0])
        end = shift_days(first, n - 1)
        if n < 1 or end > last:
            raise Reject("days")
        return Point(first, end, "period", year, month)
    n = _count(g["nth" + k][0])
    d = shift_days(first, n - 1)
    if n < 1 or d > last:
        raise Reject("day")
    return Point(d, d, "day", year, month)


def _year_months(year: int | None, g: G, k: str) -> Point:
    """前5个月 / 后三个月 / 首月 of a year."""
    side = tables().grammar["period_part_dirs"][g["fmd" + k][0]]
    n = _count(g["fmn" + k][0]) if ("fmn" + k) in g else 1
    if not 1 <= n <= 12:
        raise Reject("months")
    if year is None:
        return Point(None, None, "month" if n == 1 else "period")
    if side == "first":
        return Point(make(year, 1, 1), make(year, n, None), "month" if n == 1 else "period", year)
    return Point(make(year, 13 - n, 1), make(year, 12, 31), "month" if n == 1 else "period", year)


def _year_part(year: int | None, word: str) -> Point:
    p = tables().year_parts[word]
    if year is None:
        return Point(None, None, p.precision)

    def at(spec: str) -> dt.date:
        y = year
        if spec.startswith("+"):
            y, spec = year + 1, spec[1:]
        mm, dd = spec.split("-")
        return make(y, int(mm), None if dd == "end" else int(dd))

    return Point(at(p.start), at(p.end), p.precision, year)


def _week(g: G, k: str, base: dt.date | None) -> Point:
    t = tables()
    offset = t.relative[g["wk" + k][0]].offset if ("wk" + k) in g else 0
    if base is None:
        return Point(None, None, "day" if ("wd" + k) in g or ("wdd" + k) in g else "part-of-month")
    monday = shift_days(base, 7 * offset - base.weekday())
    if ("wd" + k) in g:
        first, last = t.weekdays[g["wd" + k][0]]
        nb, na = shift_days(monday, first), shift_days(monday, last)
        precision = "day" if first == last else "part-of-month"
    else:
        nb, na, precision = monday, shift_days(monday, 6), "part-of-month"
    if ("wdd" + k) in g:  # 下周一（17日）: the stated day of month nearest to the weekday
        day = _num(g["wdd" + k][0], 1, 31)
        best = None
        for dm in (0, -1, 1):
            y, m = add_months(nb.year, nb.month, dm)
            try:
                cand = make(y, m, day)
            except ValueError:
                continue
            if best is None or abs((cand - nb).days) < abs((best - nb).days):
                best = cand
        if best is None:
            raise Reject("day")
        return Point(best, best, "day")
    return Point(nb, na, precision)


def _anchor(spec: str, year: int) -> dt.date:
    """A holidays.tsv bound (see the file's header): MM-DD, LMM-DD±N (lunar), T<term>±N (solar term), WMM-n-d."""
    t = tables()
    if spec[:1].isdigit():
        return make(year, int(spec[:2]), int(spec[3:5]))
    kind, body = spec[0], spec[1:]
    if kind == "W":
        mm, nth, wd = (int(x) for x in body.split("-"))
        first_day = make(year, mm, 1)
        return shift_days(first_day, (wd - first_day.weekday()) % 7 + 7 * (nth - 1))
    shift = 0
    for i, ch in enumerate(body):
        if ch in "+-" and (kind == "T" or i > 2):
            body, shift = body[:i], int(body[i:])
            break
    if kind == "L":
        day = lunisolar.lunar_to_solar(year, int(body[:2]), int(body[3:5]))
    elif kind == "T":
        day = lunisolar.solar_term(year, t.solar_terms[body])
    else:
        raise ValueError(f"holidays.tsv: bad bound {spec!r}")
    return shift_days(day, shift)


def _holiday(g: G, k: str, year: int | None) -> Point:
    t = tables()
    start, end = t.holidays[g["hol" + k][0]]
    if year is None:
        return Point(None, None, "day")
    try:
        nb, na = _anchor(start, year), _anchor(end, year)
    except ValueError:  # a lunar festival outside the calendar's years
        return Point(None, None, "day")
    if ("hx" + k) in g:  # 中秋节前后
        n = int(t.grammar["holiday_around"])
        nb, na = shift_days(nb, -n), shift_days(na, n)
    return Point(nb, na, "day" if nb == na else "period", year)


def _iso_week(year: int, n: int) -> Point:
    """ISO week ``n`` of ``year``: Monday to Sunday, week 1 holding the year's first Thursday."""
    try:
        monday = dt.date.fromisocalendar(year, n, 1)
    except ValueError as e:
        raise Reject(str(e)) from e
    return Point(monday, shift_days(monday, 6), "part-of-month", year)


def _rel_span(word: str, base: dt.date | None) -> Point:
    unit, first, last = tables().spans[word]
    if base is None:
        return Point(None, None, "period")
    if unit == "year":
        return Point(make(base.year + first, 1, 1), make(base.year + last, 12, 31), "period")
    if unit == "month":
        y1, m1 = add_months(base.year, base.month, first)
        y2, m2 = add_months(base.year, base.month, last)
        return Point(make(y1, m1, 1), make(y2, m2, None), "period")
    return Point(shift_days(base, first), shift_days(base, last), "period")


def point(g: G, k: str, base: dt.date | None, ctx: Point | None = None) -> Point:
    """Interval of date slot ``k`` ("1" or "2"); ``ctx`` is the first date of a range (gives year/month)."""
    t = tables()
    default_year = ctx.year if ctx else (base.year if base else None)
    if ("iy" + k) in g:
        try:
            d = make(_num(g["iy" + k][0], 1000, 2199), _num(g["im" + k][0], 1, 12), _num(g["id" + k][0], 1, 31))
        except ValueError as e:
            raise Reject(str(e)) from e
        return Point(d, d, "day", d.year, d.month)
    if ("rs" + k) in g:
        return _rel_span(g["rs" + k][0], base)
    if ("bd" + k) in g:  # 14日 alone: the day of the base month
        if base is None:
            return Point(None, None, "day")
        try:
            d = make(base.year, base.month, _num(g["bd" + k][0], 1, 31))
        except ValueError as e:
            raise Reject(str(e)) from e
        return Point(d, d, "day", d.year, d.month)
    if ("rd" + k) in g:
        if base is None:
            return Point(None, None, "day")
        d = shift_days(base, t.relative[g["rd" + k][0]].offset)
        return Point(d, d, "day", d.year, d.month)
    if ("wk" + k) in g or ("wd" + k) in g:
        return _week(g, k, base)
    if ("bm" + k) in g:  # 月底 alone: the base month
        if base is None:
            return Point(None, None, "part-of-month")
        return _month_interval(base.year, base.month, g, k)
    if ("rq" + k) in g:
        if base is None:
            return Point(None, None, "season")
        y, m = add_months(base.year, (base.month - 1) // 3 * 3 + 1, 3 * t.relative[g["rq" + k][0]].offset)
        return Point(make(y, m, 1), make(*add_months(y, m, 2), None), "season", y)
    if ("rm" + k) in g:
        if base is None:
            return Point(None, None, "month")
        y, m = add_months(base.year, base.month, t.relative[g["rm" + k][0]].offset)
        return _month_interval(y, m, g, k)
    has_year = any((n + k) in g for n in ("y", "yr", "yy", "ya"))
    year = _year(g, k, base, default_year)
    if ("ytd" + k) in g:  # 去年的今天: the document's month and day in that year
        if base is None or year is None:
            return Point(None, None, "day")
        try:
            d = make(year, base.month, base.day)
        except ValueError as e:
            raise Reject(str(e)) from e
        return Point(d, d, "day", d.year, d.month)
    if ("m" + k) in g:
        return _month_interval(year, _num(g["m" + k][0], 1, 12), g, k)
    if ("yp" + k) in g:
        return _year_part(year, g["yp" + k][0])
    if ("fmd" + k) in g:
        return _year_months(year, g, k)
    if ("nth" + k) in g or ("lastday" + k) in g or ("fdays" + k) in g:
        if year is None:
            return Point(None, None, "day")
        return _nth_day(make(year, 1, 1), make(year, 12, 31), g, k, year)
    if ("hol" + k) in g:
        return _holiday(g, k, year)
    if ("woy" + k) in g:
        if year is None:
            return Point(None, None, "part-of-month")
        return _iso_week(year, _num(g["woy" + k][0], 1, 53))
    if ("pm" + k) in g:  # 6月上旬到中旬: a part of the first date's month
        if ctx is None or ctx.month is None:
            raise Reject("bare part of month")
        if ctx.year is None:
            return Point(None, None, "part-of-month")
        return _month_interval(ctx.year, ctx.month, g, k)
    if ("d" + k) in g:  # a bare day: only as the end of a range (5月14日至16日)
        if ctx is None or ctx.month is None or ctx.precision != "day":
            raise Reject("bare day")
        if ctx.year is None:
            return Point(None, None, "day")
        return _month_interval(ctx.year, ctx.month, g, k)
    if has_year:
        if year is None:
            return Point(None, None, "year")
        return Point(make(year, 1, 1), make(year, 12, 31), "year", year)
    raise Reject("no date")


# ---------------------------------------------------------------- forms that are not a calendar point
def plan(g: G) -> Point:
    t = tables()
    if "plan" in g:
        name = g["plan"][0]
        first, last = t.plans[name]
        # 一五/九五 … without quotes or a following 时期/末 are ordinary numbers (一五一十)
        if len(name) < 3 and "pq2" not in g and "pp" not in g:
            raise Reject(name)
    else:
        n = to_int(g["plann"][0])
        if n not in t.plan_by_ordinal:
            raise Reject(g["plann"][0])
        first, last = t.plan_by_ordinal[n]
    part = t.plan_parts.get(g["pp"][0], "period") if "pp" in g else "period"
    if part == "last":
        return Point(make(last, 1, 1), make(last, 12, 31), "year", last)
    if part == "first":
        return Point(make(first, 1, 1), make(first, 12, 31), "year", first)
    return Point(make(first, 1, 1), make(last, 12, 31), "period")


def decade(g: G, base: dt.date | None) -> Point:
    parts = tables().grammar["decade_parts"]
    hi_dec = None
    if "deca" in g:  # 八九十年代: two neighbouring decades
        g = dict(g)
        lo_n, hi_n = to_int(g["deca"][0]), to_int(g["decb"][0])
        if lo_n is None or hi_n is None or hi_n != lo_n + 1:
            raise Reject("decades")
        hi_dec = (hi_n - lo_n) * 10
        g["dec"] = (str(lo_n * 10), 0, 0)
    if "dec4" in g:
        start = _num(g["dec4"][0], 1000, 2190)
    elif "cenn" in g:  # 十九世纪七十年代: the decade of that century
        start = (_num(g["cenn"][0], 1, 21) - 1) * 100 + (to_int(g["dec"][0]) or 0)
    else:
        n = to_int(g["dec"][0]) or 0
        cent = g.get("cent", ("", 0, 0))[0]
        if cent.startswith(("本", "二十一", "21")):
            start = 2000 + n
        elif cent:
            start = 1900 + n
        else:  # bare 80年代: the 1900s unless the base date shows a 2000s decade already began (10年代 in 2020)
            start = 2000 + n if base and n <= 30 and 2000 + n <= base.year else 1900 + n
    lo, hi = parts.get(g["decp"][0], [0, 9]) if "decp" in g else [0, 9]
    if hi_dec is not None:
        hi += hi_dec
    return Point(make(start + lo, 1, 1), make(start + hi, 12, 31), "period")


def century(g: G, base: dt.date | None) -> Point:
    word = g["cen"][0]
    if word in ("本", "上", "上个", "上個"):
        if base is None:
            return Point(None, None, "period")
        n = (base.year - 1) // 100 + 1 - (0 if word == "本" else 1)
    else:
        n = _num(word, 1, 21)
    lo, hi = tables().grammar["century_parts"].get(g["cenp"][0], [1, 100]) if "cenp" in g else [1, 100]
    first = (n - 1) * 100
    return Point(make(max(1, first + lo), 1, 1), make(first + hi, 12, 31), "period")


def _count(text: str) -> int:
    if text.strip() == "半":
        raise Reject("half")  # handled by _half where the unit allows it
    n = to_int(text)
    if n is None:
        if text.strip() in ("数", "數", "几", "幾"):
            return int(tables().grammar["vague_count"])
        raise Reject(text)
    return n


def _offset(base: dt.date, n: int, unit: str) -> dt.date:
    if unit in ("天", "日"):
        return shift_days(base, n)
    if unit in ("周", "週", "星期", "个星期", "個星期"):
        return shift_days(base, 7 * n)
    if unit in ("个月", "個月"):
        y, m = add_months(base.year, base.month, n)
        return make(y, m, min(base.day, make(y, m, None).day))
    return add_years_safe(base, n)


_UNIT_PRECISION = {"天": "day", "日": "day", "个月": "month", "個月": "month", "年": "year"}


_APPROX = {"一两": 2, "一兩": 2, "两三": 3, "兩三": 3, "三四": 4, "四五": 5, "五六": 6, "六七": 7, "七八": 8,
           "八九": 9}


def _approx(count: str) -> int | None:
    """一两/两三/三四 …: an approximate count, taken at its larger value (两三天内 = within 3 days)."""
    return _APPROX.get(count.strip())


def _half(count: str, unit: str) -> tuple[int, str]:
    """半个月 = 15 days, 半年 = 6 months; 两三 = 3; other counts as written."""
    if _approx(count) is not None:
        return _approx(count), unit  # type: ignore[return-value]
    if count.strip() != "半":
        return _count(count), unit
    if unit in ("个月", "個月"):
        return 15, "天"
    if unit == "年":
        return 6, "个月"
    raise Reject("half")


_MAX_COUNT = {"年": 200, "个月": 2400, "個月": 2400}


def _plausible_count(written: str, n: int, unit: str) -> None:
    """A count written digit by digit (一九六二) is a year, and no policy text counts back
    a thousand years: "一九六二年前后" is "around 1962", not "1962 years ago"."""
    w = written.strip()
    digits_only = len(w) >= 3 and not w.isascii() and not any(u in w for u in "十百千万拾佰仟")
    if digits_only or n > _MAX_COUNT.get(unit, 36500):
        raise Reject("a year or an implausible count, not a distance in time")


def ago(g: G, base: dt.date | None) -> Point:
    """三天前 / 两个月后 / 5年前: the day, month or year that far from the base date (半个月后: the day 15 days on)."""
    if g["agon"][0].strip() in ("数", "數", "几", "幾"):
        raise Reject("vague count")
    if _approx(g["agon"][0]) is not None:
        return _ago_approx(g, base)
    n, unit = _half(g["agon"][0], g["agou"][0])
    _plausible_count(g["agon"][0], n, unit)
    sign = -1 if "前" in g["agod"][0] else 1
    precision = _UNIT_PRECISION.get(unit, "part-of-month")
    if base is None:
        return Point(None, None, precision)
    d = _offset(base, sign * n, unit)
    if precision == "month":
        return Point(make(d.year, d.month, 1), make(d.year, d.month, None), precision)
    if precision == "year":
        return Point(make(d.year, 1, 1), make(d.year, 12, 31), precision)
    if precision == "day":
        return Point(d, d, precision)
    monday = shift_days(d, -d.weekday())
    return Point(monday, shift_days(monday, 6), precision)


def _ago_approx(g: G, base: dt.date | None) -> Point:
    """两三天后 / 三四年前: the span between the two counts' points."""
    hi = _approx(g["agon"][0])
    assert hi is not None
    unit = g["agou"][0]
    sign = -1 if "前" in g["agod"][0] else 1
    if base is None:
        return Point(None, None, "period")
    a, b = _offset(base, sign * (hi - 1), unit), _offset(base, sign * hi, unit)
    nb, na = min(a, b), max(a, b)
    if unit in ("个月", "個月"):
        nb, na = make(nb.year, nb.month, 1), make(na.year, na.month, None)
    elif unit == "年":
        nb, na = make(nb.year, 1, 1), make(na.year, 12, 31)
    elif unit not in ("天", "日"):
        nb, na = shift_days(nb, -nb.weekday()), shift_days(na, 6 - na.weekday())
    return Point(nb, na, "period")


def last(g: G, base: dt.date | None) -> Point:
    """近三天 / 最近一周 / 近三个月 / 过去五年: the N units ending on the base date.

    Counted in days back from base (近三天 = base-2 … base); 过去N年 takes whole calendar years
    (grammar.yaml: last_calendar_years)."""
    if g["lastn"][0].strip() in ("数", "數", "几", "幾"):
        raise Reject("vague count")
    n, unit = _half(g["lastn"][0], g["lastu"][0])
    if n < 1:
        raise Reject("zero")
    if base is None:
        return Point(None, None, "period")
    if unit == "年" and g["lastw"][0] in tables().grammar["last_calendar_years"]:
        return Point(make(base.year - n, 1, 1), make(base.year - 1, 12, 31), "period")
    return Point(shift_days(_offset(base, -n, unit), 1), base, "period")


def within(g: G, base: dt.date | None) -> Point:
    """十天内 / 两周内 / 一个月内: from the base date to N units after it."""
    if g["winn"][0].strip() in ("数", "數", "几", "幾"):
        raise Reject("vague count")
    n, unit = _half(g["winn"][0], g["winu"][0])
    if base is None:
        return Point(None, None, "period")
    return Point(base, _offset(base, n, unit), "period")


def future(g: G, base: dt.date | None) -> Point:
    """未来数天内 / 今后五年: from the day after base to base + N units."""
    n, unit = _half(g["futn"][0], g["futu"][0])
    _plausible_count(g["futn"][0], n, unit)
    if base is None:
        return Point(None, None, "period")
    if unit in tables().grammar["hour_units"]:  # 未来24小时: the document day to the day the hours end
        return Point(base, shift_days(base, -(-n // 24)), "period")
    return Point(shift_days(base, 1), _offset(base, n, unit), "period")


def vague(word: str, base: dt.date | None, ahead: bool = False) -> Point:
    """The interval a vague word means around the base date; ``ahead``: a future marker stands before it
    (将于近期), so it runs from the base date to the word's ``ahead_to`` bound."""
    v = tables().vague[word]

    def at(spec: str) -> dt.date | None:
        if spec == "-" or base is None:
            return None
        if spec == "base":
            return base
        if spec == "year_start":
            return make(base.year, 1, 1)
        if spec.startswith("newyear"):  # 新的一年: the base year; in December, the year ahead
            y = base.year + (base.month == 12)
            return make(y, 1, 1) if spec.endswith("start") else make(y, 12, 31)
        if spec.startswith("base") and spec.endswith("d"):
            return shift_days(base, int(spec[4:-1]))
        raise ValueError(f"vague.tsv: bad bound {spec!r}")

    if ahead and v.ahead_to:
        return Point(at("base"), at(v.ahead_to), "period")
    return Point(at(v.start), at(v.end), "period")


def elided(g: G, base: dt.date | None) -> Point:
    """2001至2008年, 2020年1-7月, 5月14-16日: one unit written once for both ends."""
    if "ey1" in g:
        y1 = _num(g["ey1"][0], 1000, 2199)
        s2 = g["ey2"][0]
        y2 = to_int(s2)
        if y2 is None:
            raise Reject(s2)
        if len(s2) == 2:
            y2 += y1 // 100 * 100
            if y2 < y1:
                y2 += 100
        if not y1 < y2 <= 2199:
            raise Reject(s2)
        return Point(make(y1, 1, 1), make(y2, 12, 31), "period")
    year = _year(g, "1", base, base.year if base else None)
    if "em1" in g:
        m1, m2 = _num(g["em1"][0], 1, 12), _num(g["em2"][0], 1, 12)
        if m2 <= m1:
            raise Reject("month range")
        if year is None:
            return Point(None, None, "period")
        return Point(make(year, m1, 1), make(year, m2, None), "period")
    month = _num(g["m1"][0], 1, 12)
    d1, d2 = _num(g["ed1"][0], 1, 31), _num(g["ed2"][0], 1, 31)
    if d2 <= d1:
        raise Reject("day range")
    if year is None:
        return Point(None, None, "period")
    try:
        return Point(make(year, month, d1), make(year, month, d2), "period")
    except ValueError as e:
        raise Reject(str(e)) from e


def lunar(g: G, base: dt.date | None) -> Point:
    """农历八月十五 / 腊月初十 / 2023年闰二月 / 正月: a lunar day or month, through the calendar library.

    The lunar year is the one named, or else the base's Gregorian year — except 冬月/腊月 written in a text dated
    before that year's 春节, which are the months then running (腊月二十三 on 20 January = that 腊月)."""
    t = tables()
    gm = t.grammar
    word = (g.get("lw") or g["lm"])[0]
    month = gm["lunar_month_words"].get(word) or _num(word, 1, 12)
    leap = "lleap" in g
    if "ly" in g:
        year = _num(g["ly"][0], 1000, 2199)
    elif "lyr" in g:
        if base is None:
            return Point(None, None, "day")
        year = base.year + t.relative[g["lyr"][0]].offset
    elif base is None:
        return Point(None, None, "day")
    else:
        year = base.year
        if month >= 11 and lunisolar.lunar_year_of(base) < base.year:
            year -= 1
    try:
        if "ld" in g or "lda" in g:
            day_text = g["ld"][0] if "ld" in g else g["lda"][0]
            day = _num(day_text.lstrip(gm["lunar_day_prefix"]), 1, 30)
            d = lunisolar.lunar_to_solar(year, month, day, leap)
            return Point(d, d, "day")
        first, last = lunisolar.lunar_month(year, month, leap)
    except ValueError as e:
        raise Reject(str(e)) from e
    return Point(first, last, "month")


def anniversary(g: G) -> Point:
    """新中国成立70周年: the year of the anniversary."""
    n = _num(g["anvn"][0], 1, 500)
    year = tables().anniversaries[g["anv"][0]] + n
    return Point(make(year, 1, 1), make(year, 12, 31), "year", year)


def day_list(g: G, base: dt.date | None) -> Point:
    """9月7日、9日、10日: one interval from the first listed day to the last."""
    year = _year(g, "1", base, base.year if base else None)
    month = _num(g["m1"][0], 1, 12)
    d1, d2 = _num(g["dl1"][0], 1, 31), _num(g["dln"][0], 1, 31)
    if year is None:
        return Point(None, None, "period")
    try:
        a, b = make(year, month, d1), make(year, month, d2)
    except ValueError as e:
        raise Reject(str(e)) from e
    if b <= a:
        raise Reject("day list")
    return Point(a, b, "period", year, month)
