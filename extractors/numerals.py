"""Chinese numerals ↔ integers, for canonical names ("第8次" = "第八次", "19届5中全会" = "十九届五中全会").

Reading numerals is the date engine's job (``extractors.dates.numerals``, its table of numeral
characters is data); this module adds the way back, integer → the numeral names are written with.
"""

from __future__ import annotations

from ptkg.extractors.dates.numerals import to_int

__all__ = ["canonical", "to_chinese", "to_int"]

_CN = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Integer → Chinese numeral as written in names (十九, 二十, 一百零五)."""
    if n < 0:
        raise ValueError("negative")
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CN[tens] + "十" + (_CN[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return _CN[hundreds] + "百"
        if rest < 10:
            return _CN[hundreds] + "百零" + _CN[rest]
        tail = to_chinese(rest)
        return _CN[hundreds] + "百" + ("一" + tail if tail.startswith("十") else tail)
    return str(n)


def canonical(s: str) -> str:
    """A numeral as canonical Chinese, or the input unchanged when it is not a numeral."""
    n = to_int(s)
    return to_chinese(n) if n is not None else s
