"""Sentences and clauses of normalized text: the one splitter the event assembly and the attribution share.

Why one module: both steps must agree on where a sentence or clause starts, or an attribution could point
at a sentence the event mention does not have.  A news dateline ("新华社北京12月18日电") ends a sentence of
its own; a TAB is a table cell edge (``normalize.join_lines``).
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[。！？!?；;\n]|(?<=\d日电)")
CLAUSE_END = re.compile(r"[，,：:；;。！？!?\n\t]")


def spans(text: str, start: int, end: int, pattern: re.Pattern[str] = SENTENCE_END) -> list[tuple[int, int]]:
    """(start, end) of each piece of ``text[start:end]`` cut after every match of ``pattern``."""
    out = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.end() > pos:
            out.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def clause_start(text: str, lo: int, at: int) -> int:
    """Start of the clause holding offset ``at`` (not before ``lo``)."""
    for i in range(at - 1, lo - 1, -1):
        if CLAUSE_END.match(text, i):
            return i + 1
    return lo
