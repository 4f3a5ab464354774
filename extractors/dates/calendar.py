"""Small calendar helpers: month ends, intervals, safe date construction."""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def make(year: int, month: int, day: int | None) -> dt.date:
    """A date; ``day=None`` means the last day of the month.  Raises ValueError when impossible."""
    if not 1 <= year <= 9999:
        raise ValueError(year)
    return dt.date(year, month, month_end(year, month) if day is None else day)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def shift_days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def add_years_safe(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)
