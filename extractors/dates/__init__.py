"""Chinese date-expression engine (issue 4).

``find_dates(text, base)`` finds date expressions — full dates in Arabic or Chinese numerals, ISO forms,
months, parts of months and years, quarters, relative words (今年, 上星期), ranges and lists, since/until
markers, vague words (近日), five-year plans, decades — and gives each the interval of days it allows.

Layout: ``rules/`` holds the data (word lists and grammar), ``grammar`` compiles it into one regex,
``resolve`` turns a match into an interval, ``engine`` scans, ``timex`` is the line-level JSON door.
"""

from ptkg.extractors.dates.engine import find_dates

__all__ = ["find_dates"]
