"""Chinese numerals ↔ integers, for canonical names ("第8次" = "第八次", "19届5中全会" = "十九届五中全会")."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零一二三四五六七八九"


def to_int(s: str) -> int | None:
    """Parse Arabic digits or a Chinese numeral up to the thousands; None when it is neither."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(ch in _DIGITS for ch in s):  # digit by digit: 二〇二〇
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


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
