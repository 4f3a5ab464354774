"""Find the headings of a document — its title and the headlines of the items of a compiled story — and the
text each one heads.

Why a component of its own: a news story is headed by its title ("俄罗斯副外长：欧盟制裁是干涉内政表现"), and a
compiled story (国际联播快讯: 8,000 of 69,000 stories outside 2024) by a headline over each item ("韩将把日本移出
本国贸易“白色清单”" over "韩国副总理兼企划财政部长官洪楠基2日表示，……").  What the reporter wrote there is how a
reader names the item's event; the act grammar can only name it from the clause that reports it ("……表示，针对
日本把韩国……").  Assembly reads these headings to name an event the grammar named by clause words
(``named_by_heading`` in ``extractors/data/acts.yaml``).

A headline is a line of its own only in a file that keeps one paragraph per line (``normalize.WRAP_MAX``); in a
hard-wrapped PDF a short line is a wrap or a table cell, and no heading is read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import Document, Text
from ptkg.extractors.normalize import HEADLINE_MAX

#: what may end a headline's line: none of these (a sentence, a clause, a list, or a lead-in "……消息：")
_NOT_LAST = set("。！？!?；;：:，,、…")
#: a programme's tag opening a title ("[视频]", "【新思想引领新征程】") is no part of its words
_TAG = re.compile(r"^\s*(?:[\[【][^\]】\n]{1,12}[\]】]\s*)+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: ... and a tag closing a line ("央视网消息（新闻联播）：【口播】": a lead-in, no headline)
_END_TAG = re.compile(r"(?:\s*[\[【][^\]】\n]{1,12}[\]】])+\s*$")


@dataclass(frozen=True)
class Heading:
    """A title or headline (``start``/``end`` in the normalized text, ``name`` without a programme's tag) and the
    paragraph it heads: the first paragraph after it (``body_start``/``body_end``).  ``neutral``: its words report
    weather, a disaster, a crime, sport or a statistic (``headings.yaml`` neutral_words)."""

    start: int
    end: int
    name: str
    body_start: int
    body_end: int
    title: bool
    neutral: bool


def _lines(t: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    while pos < end:
        nl = t.find("\n", pos, end)
        stop = end if nl < 0 else nl
        a, b = pos, stop
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        pos = stop + 1
    return out


def _headline_like(line: str) -> bool:
    line = _END_TAG.sub("", line)
    return bool(line) and 2 <= len(line) <= HEADLINE_MAX and line[-1] not in _NOT_LAST and bool(_CJK.search(line)) \
        and line[0] not in "(（"


def find_headings(text: Text, doc: Document, lex: Lexicon) -> list[Heading]:
    """The document's title (its first line, when it is one) and the headlines of its items, in text order.

    A headline is a short line that ends no sentence straight above a paragraph longer than itself; the title
    heads the story's first paragraph unless a headline stands before that paragraph (a compilation's title,
    "国际联播快讯", names no item) or it names a series (``headings.yaml`` series_titles)."""
    if not text.paragraph_lines:
        return []
    t = text.text
    lines = _lines(t, doc.start, doc.end)
    out: list[Heading] = []
    series = set(lex.headings.get("series_titles", []))
    neutral = tuple(lex.headings.get("neutral_words", []))
    heads = [i for i, (a, b) in enumerate(lines[1:], 1) if i + 1 < len(lines) and _headline_like(t[a:b])
             and lines[i + 1][1] - lines[i + 1][0] > b - a and not _headline_like(t[slice(*lines[i + 1])])]
    paragraphs = [i for i, (a, b) in enumerate(lines[1:], 1) if i not in heads and len(t[a:b]) > HEADLINE_MAX]
    if doc.title and lines and paragraphs and not any(h < paragraphs[0] for h in heads):
        a, b = lines[0]
        name = _TAG.sub("", t[a:b]).strip()
        if name and _CJK.search(name) and name not in series:
            p = lines[paragraphs[0]]
            out.append(Heading(a, b, name, p[0], p[1], True, any(w in name for w in neutral)))
    for i in heads:
        a, b = lines[i]
        p = lines[i + 1]
        out.append(Heading(a, b, t[a:b], p[0], p[1], False, any(w in t[a:b] for w in neutral)))
    return out
