"""Measure Chinese-calendar libraries against an astronomical reference, 1900–2100.

Why: the date engine reads lunar dates (正月十五, 闰四月, 农历8月23号), the 24 solar terms and lunar festivals
of any year through one calendar library; this script is how that library was chosen (docs/dates.md).

Reference: the rules of GB/T 33661-2017《农历的编算和颁行》 applied to astronomy computed here with PyEphem
(MIT; VSOP87 sun, its own moon theory): days in Beijing time (UTC+8); a month starts on the day of a new
moon; the month holding the winter solstice is month 11; in a year of 13 months between two such months the
first month without a principal term (中气) is the leap month; solar terms are the days the sun's apparent
longitude reaches multiples of 15°.  An event within ``--margin`` minutes of midnight is "borderline" (the
reference itself is not that precise there) and a disagreement on it is not counted against a library.
Before 1929 China's almanacs kept Beijing local time (UTC+7:45:40); the script counts 1900–1928 apart.

Needs (not project dependencies): ``pip install ephem lunar-python tyme4py sxtwl borax lunarcalendar cnlunar
lunardate zhdate`` — libraries missing are skipped.  Takes a few minutes on one core.

usage: python bench/lunar_libraries.py [--first 1900] [--last 2100] [--margin 10]
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import importlib
import math
import time
from collections.abc import Callable

# solar-term longitudes: index k = 0..23 is longitude 15*k degrees (0 = 春分 … 270 = 冬至); principal terms (中气)
# are the multiples of 30 degrees
BEIJING = 8 / 24


def _ephem():
    return importlib.import_module("ephem")


def sun_longitude(ephem, t: float) -> float:
    s = ephem.Sun()
    s.compute(t, epoch=t)
    ecl = ephem.Ecliptic(ephem.Equatorial(s.g_ra, s.g_dec, epoch=t), epoch=t)
    return math.degrees(ecl.lon) % 360


def term_time(ephem, target: float, guess: float) -> float:
    t = guess
    for _ in range(8):
        diff = (target - sun_longitude(ephem, t) + 180) % 360 - 180
        t += diff / 0.98565
        if abs(diff) < 1e-7:
            break
    return t


def to_day(ephem, t: float, offset: float = BEIJING) -> tuple[dt.date, float]:
    """Calendar day of ephem time ``t`` at UTC+offset, and minutes from the nearest midnight."""
    local = ephem.Date(t + offset).datetime()
    minutes = local.hour * 60 + local.minute + local.second / 60
    return local.date(), min(minutes, 1440 - minutes)


def reference(first: int, last: int, offset: float = BEIJING):
    ephem = _ephem()
    terms: dict[tuple[int, int], tuple[dt.date, float]] = {}  # (gregorian year, k) -> day, margin
    for y in range(first - 2, last + 2):
        for k in range(24):
            # 春分 (k=0) is near 20 March; longitude 15k reached about 15.2k days later (mod year)
            guess = ephem.Date(dt.datetime(y, 3, 20)) + ((k * 15.2184) % 365.2422)
            if k >= 19:  # 小寒 … 惊蛰 of Gregorian year y come early in y
                guess -= 365.2422
            t = term_time(ephem, 15.0 * k, guess)
            terms[(y, k)] = to_day(ephem, t, offset)
    moons: list[tuple[dt.date, float]] = []
    t = ephem.Date(dt.datetime(first - 2, 10, 1))
    end = ephem.Date(dt.datetime(last + 2, 3, 1))
    while t < end:
        t = ephem.next_new_moon(t)
        moons.append(to_day(ephem, float(t), offset))
        t = ephem.Date(t + 1)
    return terms, moons


def lunar_days(terms, moons, first: int, last: int):
    """Gregorian day -> (lunar year, month, day, leap) from the reference, plus the set of borderline days."""
    starts = [m[0] for m in moons]
    borderline_months = {m[0] for m in moons if m[1] < ARGS.margin}
    zhongqi = sorted(d for (y, k), (d, _) in terms.items() if k % 2 == 0)
    labels: dict[dt.date, tuple[int, bool]] = {}
    for y in range(first - 1, last + 2):
        ws_a, ws_b = terms[(y - 1, 18)][0], terms[(y, 18)][0]
        ia = bisect.bisect_right(starts, ws_a) - 1
        ib = bisect.bisect_right(starts, ws_b) - 1
        months = starts[ia:ib]
        leap_at = None
        if len(months) == 13:
            for i in range(1, 13):
                lo, hi = starts[ia + i], starts[ia + i + 1]
                j = bisect.bisect_left(zhongqi, lo)
                if not (j < len(zhongqi) and zhongqi[j] < hi):
                    leap_at = i
                    break
        number = 11
        for i, start in enumerate(months):
            if i == 0:
                labels[start] = (11, False)
                continue
            if i == leap_at:
                labels[start] = (number, True)
                continue
            number = number % 12 + 1
            labels[start] = (number, False)
    out: dict[dt.date, tuple[int, int, int, bool]] = {}
    borderline: set[dt.date] = set()
    year = None
    day = dt.date(first, 1, 1)
    stop = dt.date(last, 12, 31)
    i = bisect.bisect_right(starts, day) - 1
    # the lunar year of the month in force at ``day``: count back to its month 1
    k = i
    while labels[starts[k]] != (1, False):
        k -= 1
    year = starts[k].year
    while day <= stop:
        while i + 1 < len(starts) and starts[i + 1] <= day:
            i += 1
            if labels[starts[i]] == (1, False):
                year = starts[i].year
        month, leap = labels[starts[i]]
        out[day] = (year, month, (day - starts[i]).days + 1, leap)
        if starts[i] in borderline_months or (i + 1 < len(starts) and starts[i + 1] in borderline_months):
            borderline.add(day)
        day += dt.timedelta(days=1)
    return out, borderline


# ----------------------------------------------------------------- the candidates
def _lunar_python():
    from lunar_python import Solar

    def conv(d: dt.date):
        lu = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        return lu.getYear(), abs(lu.getMonth()), lu.getDay(), lu.getMonth() < 0

    def term(d: dt.date) -> str | None:
        lu = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        name = lu.getJieQi()
        return name or None
    return conv, term


def _tyme4py():
    from tyme4py.solar import SolarDay

    def conv(d: dt.date):
        ld = SolarDay.from_ymd(d.year, d.month, d.day).get_lunar_day()
        lm = ld.get_lunar_month()
        return lm.get_year(), lm.get_month(), ld.get_day(), lm.is_leap()

    def term(d: dt.date) -> str | None:
        sd = SolarDay.from_ymd(d.year, d.month, d.day)
        t = sd.get_term()
        return t.get_name() if t.get_solar_day().equals(sd) else None
    return conv, term


def _sxtwl():
    import sxtwl

    def conv(d: dt.date):
        x = sxtwl.fromSolar(d.year, d.month, d.day)
        return x.getLunarYear(), x.getLunarMonth(), x.getLunarDay(), bool(x.isLunarLeap())

    names = ["冬至", "小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至",
             "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪"]

    def term(d: dt.date) -> str | None:
        x = sxtwl.fromSolar(d.year, d.month, d.day)
        return names[x.getJieQi()] if x.hasJieQi() else None
    return conv, term


def _borax():
    from borax.calendars.lunardate import LunarDate

    def conv(d: dt.date):
        x = LunarDate.from_solar_date(d.year, d.month, d.day)
        return x.year, x.month, x.day, bool(x.leap)

    def term(d: dt.date) -> str | None:
        x = LunarDate.from_solar_date(d.year, d.month, d.day)
        return x.term or None
    return conv, term


def _lunarcalendar():
    from lunarcalendar import Converter, Solar

    def conv(d: dt.date):
        x = Converter.Solar2Lunar(Solar(d.year, d.month, d.day))
        return x.year, x.month, x.day, bool(x.isleap)
    return conv, None


def _cnlunar():
    import cnlunar

    def conv(d: dt.date):
        x = cnlunar.Lunar(dt.datetime(d.year, d.month, d.day, 12), godType="8char")
        return x.lunarYear, x.lunarMonth, x.lunarDay, bool(x.isLunarLeapMonth)

    def term(d: dt.date) -> str | None:
        x = cnlunar.Lunar(dt.datetime(d.year, d.month, d.day, 12), godType="8char")
        return x.todaySolarTerms if x.todaySolarTerms not in ("无", "") else None
    return conv, term


def _lunardate():
    from lunardate import LunarDate

    def conv(d: dt.date):
        x = LunarDate.fromSolarDate(d.year, d.month, d.day)
        return x.year, x.month, x.day, bool(x.isLeapMonth)
    return conv, None


def _zhdate():
    from zhdate import ZhDate

    def conv(d: dt.date):
        x = ZhDate.from_datetime(dt.datetime(d.year, d.month, d.day))
        return x.lunar_year, x.lunar_month, x.lunar_day, bool(x.leap_month)
    return conv, None


CANDIDATES: dict[str, Callable] = {
    "lunar-python": _lunar_python, "tyme4py": _tyme4py, "sxtwl": _sxtwl, "borax": _borax,
    "lunarcalendar": _lunarcalendar, "cnlunar": _cnlunar, "lunardate": _lunardate, "zhdate": _zhdate,
}

TERM_NAMES = ["春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至", "小暑", "大暑", "立秋", "处暑", "白露",
              "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至", "小寒", "大寒", "立春", "雨水", "惊蛰"]


def main() -> int:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--first", type=int, default=1900)
    ap.add_argument("--last", type=int, default=2100)
    ap.add_argument("--margin", type=float, default=10.0, help="minutes from midnight that count as borderline")
    ARGS = ap.parse_args()
    t0 = time.time()
    terms, moons = reference(ARGS.first, ARGS.last)
    ref, border = lunar_days(terms, moons, ARGS.first, ARGS.last)
    term_day = {}
    for (_y, k), (d, margin) in terms.items():
        if ARGS.first <= d.year <= ARGS.last:
            term_day[d] = (TERM_NAMES[k], margin)
    print(f"reference: {len(ref)} days, {len(border)} borderline, {len(term_day)} terms ({time.time() - t0:.0f} s)")
    start = dt.date(ARGS.first, 1, 31) if ARGS.first == 1900 else dt.date(ARGS.first, 1, 1)
    for name, make in CANDIDATES.items():
        try:
            conv, term = make()
        except Exception as e:  # noqa: BLE001 - a missing or broken candidate is reported, not fatal
            print(f"{name}: unavailable ({type(e).__name__}: {e})")
            continue
        t1 = time.time()
        wrong = {"1900-1928": 0, "1929-": 0}
        errors = 0
        examples = []
        for day, want in ref.items():
            if day < start:
                continue
            try:
                got = conv(day)
            except Exception:  # noqa: BLE001
                errors += 1
                continue
            if tuple(got) != want and day not in border:
                wrong["1900-1928" if day.year < 1929 else "1929-"] += 1
                if len(examples) < 4 and (not examples or (day - examples[-1][0]).days > 40):
                    examples.append((day, got, want))
        twrong = terrors = 0
        tex = []
        if term is not None:
            for day, (tname, margin) in term_day.items():
                if margin < ARGS.margin:
                    continue
                try:
                    got_t = term(day)
                except Exception:  # noqa: BLE001
                    terrors += 1
                    continue
                if got_t != tname:
                    twrong += 1
                    if len(tex) < 3:
                        tex.append((day, got_t, tname))
        print(f"{name}: days wrong 1900-1928 {wrong['1900-1928']}, 1929-{ARGS.last} {wrong['1929-']}, "
              f"errors {errors}; terms wrong {twrong if term else '-'} (errors {terrors}); {time.time() - t1:.0f} s")
        for ex in examples:
            print("   ", ex)
        for ex in tex:
            print("    term", ex)
    return 0


ARGS = argparse.Namespace(margin=10.0)

if __name__ == "__main__":
    raise SystemExit(main())
