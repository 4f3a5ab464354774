"""Dates written in a file's metadata (HTML ``<meta>``, PDF info, DOCX core properties).

Why dateparser here and not in the date engine: metadata dates are Western or numeric ("2020-05-14T08:00:00+08:00",
"D:20200514", "May 14, 2020", "14/05/2020"), where dateparser is strong; on Chinese prose it is weak
(``shared/notes/dependencies.md``: "5 月 14日" → 2020-03-03, no 下旬/初/底), so Chinese text goes to
``extractors.dates``.  It is imported only when a value is not plain ISO (its import costs ~0.3 s).
"""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
             "RETURN_AS_TIMEZONE_AWARE": False, "DATE_ORDER": "YMD"}


def metadata_date(value: str) -> dt.date | None:
    """The calendar day a metadata value states (year, month and day all given), or None."""
    if m := _ISO.match(value):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if not _YEAR.search(value):
        return None  # "yesterday", "Thursday": a metadata date states its year
    import dateparser

    parsed = dateparser.parse(value.strip(), languages=["en"], settings=_SETTINGS)
    return parsed.date() if parsed and 1900 <= parsed.year <= 2100 else None
