"""Numbers as written in dates: Arabic (also full-width), Chinese digit-by-digit years, Chinese 1–99."""

from __future__ import annotations

from ptkg.extractors.dates.rules import tables


def to_int(s: str) -> int | None:
    """Value of a day/month/count or a year; None when ``s`` is not a number this module reads.

    "2020" / "２０２０" → 2020; "二〇二〇" → 2020 (digit by digit, no 十); "二十三" → 23; "十二" → 12; "廿一" → 21.
    """
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        try:
            return int(s)
        except ValueError:
            return None
    digits = tables().numerals
    values = [digits.get(ch) for ch in s]
    if any(v is None for v in values):
        return None
    if not any(v >= 10 for v in values):  # type: ignore[operator]
        n = 0
        for v in values:
            n = n * 10 + v  # type: ignore[operator]
        return n
    # positional with 十/廿/卅: [tens-digit] 十 [units-digit]
    total = 0
    pending = 0
    for v in values:
        assert v is not None
        if v == 10:
            total += (pending or 1) * 10
            pending = 0
        elif v in (20, 30):
            total += v
        else:
            pending = pending * 10 + v
    return total + pending
