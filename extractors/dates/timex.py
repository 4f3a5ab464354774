"""The ``ptkg timex`` door: one raw line in, CONTRACT §3 objects out.

The line is normalized first (full-width digits, Traditional script, PDF-doubled runs, layout spaces), the
engine runs on the normalized text, and every span is mapped back through ``Text.origin`` so ``start``/``end``
and ``text`` are the line as written.
"""

from __future__ import annotations

import datetime as dt

from ptkg.extractors.dates.engine import find_dates
from ptkg.extractors.normalize import normalize_line


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _cover_doubled_tail(line: str, origin: list[int], norm_end: int, raw_end: int) -> int:
    """Extend a raw span over the dropped second copy of a PDF-doubled run ("…5月下旬|月下旬").

    Normalization keeps the first copy of a doubled run; when the expression ends where a run ends, the
    raw characters up to the next kept character are that run's second copy and belong to the surface text.
    Dropped layout spaces are not taken in.
    """
    next_raw = origin[norm_end] if norm_end < len(origin) else len(line)
    gap = line[raw_end:next_raw]
    if gap.strip():
        return raw_end + len(gap.rstrip())
    return raw_end


def timex_line(line: str, base: dt.date | None) -> list[dict]:
    """Date expressions of one raw line as JSON-ready dicts (text, start, end, not_before, not_after, precision)."""
    norm = normalize_line(line)
    out = []
    for d in find_dates(norm.text, base):
        start, end = norm.raw_span(d.start, d.end)
        end = _cover_doubled_tail(line, norm.origin, d.end, end)
        nb, na = d.not_before, d.not_after
        if nb is None or na is None:  # CONTRACT §3: no recoverable interval → both null
            nb = na = None
        out.append({
            "text": line[start:end],
            "start": start,
            "end": end,
            "not_before": _iso(nb),
            "not_after": _iso(na),
            "precision": d.precision,
        })
    return out
