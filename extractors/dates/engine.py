"""find_dates: scan a text with the compiled grammar and resolve each match.

The scan is one ``re`` search per candidate (C speed); a match the resolver rejects is retried one
character later, so a shorter reading inside it can still be found.  Matches never overlap and come in
text order; within one start the grammar prefers the longest reading (greedy optional parts, longer
alternatives first).
"""

from __future__ import annotations

import datetime as dt

from ptkg.extractors.dates import resolve as R
from ptkg.extractors.dates.grammar import compile_master, groups
from ptkg.extractors.dates.rules import tables
from ptkg.extractors.model import DateMention


def _mention(text: str, start: int, end: int, p: R.Point, role: str) -> DateMention:
    return DateMention(start, end, text[start:end], p.nb, p.na, p.precision, role)


def _core(g: R.G, base: dt.date | None) -> R.Point | None:
    """The interval of the core expression, or None when it is a range/list handled by the caller."""
    if "plan" in g or "plann" in g:
        return R.plan(g)
    if "dec" in g or "dec4" in g or "deca" in g:
        return R.decade(g, base)
    if "cen" in g:
        return R.century(g, base)
    if "futn" in g:
        return R.future(g, base)
    if "lastn" in g:
        return R.last(g, base)
    if "winn" in g:
        return R.within(g, base)
    if "agon" in g:
        return R.ago(g, base)
    if "anvn" in g:
        return R.anniversary(g)
    if "lm" in g or "lw" in g:
        return R.lunar(g, base)
    if "dl1" in g:
        return R.day_list(g, base)
    if "ey1" in g or "em1" in g or "ed1" in g:
        return R.elided(g, base)
    if "vague" in g:
        return R.vague(g["vague"][0], base)
    return None


def _since(p: R.Point, base: dt.date | None) -> R.Point:
    """X以来 / 自X起: from the start of X to the document date.

    When X starts after the document date (自2021年1月1日起施行 in a 2020 text) the interval is X itself;
    without a document date the end is unknown."""
    if base is not None and p.nb is not None and base < p.nb:
        return p
    return R.Point(p.nb, base if p.nb is not None else None, "period")


def _anniversary_start(text: str, start: int) -> int:
    """Where the event named right before "N周年" begins (新中国成立70周年); Reject when none is named."""
    words = tables().anniversaries
    head = text[max(0, start - 40):start]
    stripped = head.rstrip(" \t\u3000")
    gap = len(head) - len(stripped)
    for n in range(len(stripped), 1, -1):
        if stripped[-n:] in words:
            return start - gap - n
    raise R.Reject("a count of years, not an anniversary")


def _matches(text: str, m_start: int, m_end: int, g: R.G, base: dt.date | None) -> list[DateMention]:
    t = tables()
    if "anvn" in g:
        word_start = _anniversary_start(text, m_start)
        g = dict(g)
        word = text[word_start:m_start].rstrip(" \t\u3000")
        g["anv"] = (word, word_start, word_start + len(word))
        m_start = word_start
    pre = t.markers.get(("prefix", g["pre"][0])) if "pre" in g else None
    suf = t.markers.get(("suffix", g["suf"][0])) if "suf" in g else None
    core = _core(g, base)
    if "vague" in g:
        v = t.vague[g["vague"][0]]
        head = text[max(0, m_start - 8):m_start].rstrip(" \t\u3000")
        if v.ahead_after and head.endswith(v.ahead_after):
            core = R.vague(g["vague"][0], base, ahead=True)
        return [_mention(text, m_start, m_end, core, v.role)] if core else []
    if core is None:  # a date or a range/list of two dates
        p1 = R.point(g, "1", base)
        if "p2" in g:
            sep = g["sep"][0]
            is_list = ("list_sep", sep) in t.markers
            try:
                p2 = R.point(g, "2", base, ctx=p1)
                if (p2.na and p1.nb and p2.na < p1.nb and p1.year is not None
                        and not any(k in g for k in ("y2", "yr2", "yy2", "iy2"))):
                    # 12月下旬至1月上旬: the second month is in the next year
                    p2 = R.point(g, "2", base, ctx=R.Point(None, None, p1.precision, p1.year + 1, p1.month))
            except R.Reject:
                p2 = None
            if p2 is not None and is_list and suf != "span":
                # 2019年、2020年: two dates; each keeps its own span
                _, s1, e1 = g["p1"]
                _, s2, e2 = g["p2"]
                first = _mention(text, m_start if pre else s1, e1, p1, "point")
                return [first, _mention(text, s2, m_end if suf else e2, p2, _role(p2, suf, None, base))]
            if p2 is not None and (p1.nb is None or p2.na is None or p1.nb <= p2.na):
                core = R.Point(p1.nb, p2.na, "period", p2.year, p2.month)
                if core.nb is None or core.na is None:
                    core = R.Point(None, None, "period")
            else:  # the second member did not parse: keep the first date alone
                _, s1, e1 = g["p1"]
                m_end = e1
                suf = None
                core = p1
        else:
            core = p1
    if pre == "until" and suf is None and text.startswith("的", m_end):
        pre = "since"  # 从1997年的509亿元增加到2002年的1161亿元: a plain year, not a deadline; drop the prefix
    if pre == "since" and suf != "since" and "pre" in g:  # 自2015年创办: the date alone, prefix left out
        _, _, pre_end = g["pre"]
        m_start = pre_end + len(text[pre_end:m_end]) - len(text[pre_end:m_end].lstrip(" \t\u3000"))
        pre = None
    if pre == "from_now":  # 从现在起到X: the document date to the end of X
        core = R.Point(base, core.na, "period") if base is not None and core.na is not None and base <= core.na \
            else R.Point(None, None, "period")
        return [_mention(text, m_start, m_end, core, "target")]
    if suf in ("before", "after") and any(k in g for k in ("dec", "dec4", "deca", "cen", "plan", "plann")):
        # 20世纪80年代后: "from the 1980s on" frames a statement; the decade itself is the date
        m_end = len(text[:g["suf"][1]].rstrip(" \t\u3000"))
        suf = None
    if suf in ("before", "after"):
        return [_before_after(text, m_start, m_end, core, suf, base)]
    role = "target" if "futn" in g or "winn" in g else _role(core, suf, pre, base)
    if role == "since":
        core = _since(core, base)
    return [_mention(text, m_start, m_end, core, role)]


def _before_after(text: str, start: int, end: int, p: R.Point, suf: str, base: dt.date | None) -> DateMention:
    """X前 = from the document date to the end of X while X is to come (a deadline: 年底前, 2030年前), open at
    the start when X is past; X后 = open at the end, from the day after X (CONTRACT §3 prints open ends null)."""
    if suf == "after":
        nb = R.shift_days(p.na, 1) if p.na is not None else None
        return DateMention(start, end, text[start:end], nb, None, "period", "until")
    if base is not None and p.na is not None and base <= p.na:
        return DateMention(start, end, text[start:end], base, p.na, "period", "target")
    return DateMention(start, end, text[start:end], None, p.na, "period", "until")


def _role(p: R.Point, suf: str | None, pre: str | None, base: dt.date | None) -> str:
    if suf == "since":
        return "since"
    if pre == "until":
        return "target" if base is None or (p.nb is not None and p.nb > base) else "until"
    return "point"


def find_dates(text: str, base: dt.date | None) -> list[DateMention]:
    """Date expressions in ``text``, in text order, non-overlapping, longest match first.

    ``base`` is the document date: it resolves year-less and relative expressions (今年, 5月, 近日,
    X以来); without it those come back with ``not_before``/``not_after`` None.
    """
    pattern = compile_master()
    out: list[DateMention] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = pattern.search(text, pos)
        if m is None:
            break
        if m.end() == m.start():
            pos = m.start() + 1
            continue
        try:
            found = _matches(text, m.start(), m.end(), groups(m), base)
        except (R.Reject, ValueError, OverflowError):  # a date outside the calendar is no date
            pos = m.start() + 1
            continue
        out.extend(found)
        pos = m.end()
    return out
