"""Find people, organizations and policy phrases in normalized (simplified) text.

Each finder is a plain function ``text -> list[Mention]`` over patterns compiled once
from the lexicon they are given (``extractors.lexicon``).  Occasions (meetings, publications …) have a
grammar of their own in :mod:`extractors.occasions`.

People come from three sources, in this order of precedence: the curated lexicon (exact names and
aliases such as 习总书记), the title-chain recognizer of :mod:`extractors.titled_people` ("俄罗斯总统普京",
"苏丹主权委员会主席布尔汉", "广西大化县委书记杨龙文"), and title patterns for people the lexicon does not know
("刘鹤副总理", "徐书记").  Where two of them find overlapping spans the earlier source keeps its mention,
so the lexicon wins for canonical names and aliases.  The ``people`` field of a Doc stays written by one
component (``pipeline.find_person_mentions``), which calls this function.  A title pattern only accepts a
name that starts with a known surname, which keeps words such as 双循环 or 成渝 (that a statistical tagger
calls names) out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ptkg.extractors.lexicon import Lexicon, alias_map
from ptkg.extractors.literals import literals as _literals
from ptkg.extractors.model import Mention
from ptkg.extractors.titled_people import find_titled_people

_CJK = "\u4e00-\u9fff"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=4)
def _person_patterns(lex: Lexicon) -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], re.Pattern[str]]:
    names = alias_map(lex.people)
    known = re.compile(_literals(list(names)))
    titles = _alternation(lex.titles)
    single = "".join(sorted(s for s in lex.surnames if len(s) == 1))
    double = _alternation([s for s in lex.surnames if len(s) == 2])
    surname = f"(?:{double}|[{single}])"
    # "<name><title>": 刘鹤副总理, 白春礼院长; also "<surname><title>": 徐书记
    after = re.compile(
        f"(?<![{_CJK}])(?P<name>{surname}[{_CJK}]{{1,2}})(?P<title>{titles})"
        f"|(?P<name2>{surname})(?P<title2>{titles})(?=[带在于的对主指强表说讲提要认,，、。：:])"
    )
    # "<title><name>": 国家主席习近平, 院长徐东华
    before = re.compile(
        f"(?P<title>{titles})(?P<name>{surname}[{_CJK}]{{1,2}}?)(?=[在于的对主指强表说讲提要认称,，、。：:])"
    )
    return known, names, after, before


@lru_cache(maxsize=4)
def _not_person(lex: Lexicon) -> tuple[frozenset[str], tuple[str, ...]]:
    b = lex.boundaries
    words = set(b.get("not_person", [])) | set(alias_map(lex.organizations))
    return frozenset(words), tuple(b.get("not_person_suffix", []))


@lru_cache(maxsize=4)
def _title_starts(lex: Lexicon) -> frozenset[str]:
    """The beginnings of titles (国务 of 国务委员): a title pattern's "name" that is one is part of a title."""
    return frozenset(t[:n] for t in set(lex.titles) | set(lex.titles_before) for n in range(2, len(t)))


def find_people(text: str, lex: Lexicon) -> list[Mention]:
    known, names, after, before = _person_patterns(lex)
    words, suffixes = _not_person(lex)

    starts = _title_starts(lex)
    body_final = frozenset(lex.titled.get("body_final_surnames", []))

    def not_person(name: str) -> bool:  # 国务 of 国务委员长 begins a title: no name
        return name in words or name.endswith(suffixes) or name in starts

    titles = tuple(sorted(set(lex.titles) | set(lex.titles_before), key=len, reverse=True))

    def eats_title(a: int, b: int) -> bool:
        """Does the name at a..b hold a title's first character (韩国副 + 总理 of 副总理) or its last (官 + 柳吉
        of 长官柳吉)? Then the title is the longer one and the name is cut wrong."""
        return text.startswith(titles, b - 1) or any(text.endswith(t, 0, a + 1) for t in titles)

    found: dict[tuple[int, int], Mention] = {}
    for m in known.finditer(text):
        found[(m.start(), m.end())] = Mention("person", m.start(), m.end(), names[m.group()], source="lexicon")
    taken = [(a, b) for a, b in found]

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in find_titled_people(text, lex):
        if free(m.start, m.end) and not not_person(m.key):
            found[(m.start, m.end)] = m
            taken.append((m.start, m.end))

    for m in after.finditer(text):
        if m.group("name"):
            a, b, key = m.start("name"), m.end("name"), m.group("name")
        else:  # surname + title only: the title is part of how the text names the person
            a, b, key = m.start("name2"), m.end("title2"), m.group("name2") + m.group("title2")
            if m.group("name2") in body_final and a and re.match(f"[{_CJK}]", text[a - 1]):
                continue  # 听徐书记的, but not 党 + 总书记 of 朝鲜劳动党总书记: a body's last character
        if not_person(key) or (m.group("name") and not_person(m.group("name"))):
            continue
        if eats_title(m.start("name") if m.group("name") else a, m.end("name") if m.group("name") else m.end("name2")):
            continue
        if free(a, b):
            found[(a, b)] = Mention("person", a, b, key, source="title")
            taken.append((a, b))
    no_name = tuple(lex.titled.get("not_name", []))
    for m in before.finditer(text):
        a, b = m.start("name"), m.end("name")
        if text.startswith(no_name, a):
            continue  # "总书记强调": a verb after a title, no name
        if not not_person(m.group("name")) and free(a, b) and not eats_title(a, b):
            found[(a, b)] = Mention("person", a, b, m.group("name"), source="title")
            taken.append((a, b))
    return sorted(found.values(), key=lambda x: (x.start, x.end))


@lru_cache(maxsize=4)
def _org_pattern(lex: Lexicon) -> tuple[re.Pattern[str], dict[str, str]]:
    names = alias_map(lex.organizations)
    return re.compile(_literals(list(names))), names


def find_organizations(text: str, lex: Lexicon) -> list[Mention]:
    pattern, names = _org_pattern(lex)
    return [Mention("organization", m.start(), m.end(), names[m.group()], source=m.group())
            for m in pattern.finditer(text)]


@lru_cache(maxsize=4)
def _phrase_pattern(lex: Lexicon) -> tuple[re.Pattern[str], dict[str, str]]:
    labels: dict[str, str] = {}
    for c in lex.concepts:
        labels[c.pref_label] = c.iri
        for a in c.alt_labels:
            labels.setdefault(a, c.iri)
    # a lookahead finds a match at every position, so nested phrases (内需 in 扩大内需) are found too
    return re.compile(f"(?=({_literals(list(labels))}))"), labels


def find_phrases(text: str, lex: Lexicon) -> list[Mention]:
    """Every phrase occurrence; a shorter label of the same concept inside a longer one is dropped."""
    pattern, labels = _phrase_pattern(lex)
    not_after: dict[str, str] = lex.boundaries.get("phrase_not_after", {})
    hits = [(m.start(), m.start() + len(m.group(1)), labels[m.group(1)]) for m in pattern.finditer(text)
            if not (m.start() and text[m.start() - 1] in not_after.get(m.group(1), ""))]
    out = []
    cover_end: dict[str, int] = {}  # per concept, the end of the furthest-reaching match so far
    for a, b, iri in hits:  # hits come in start order
        if cover_end.get(iri, -1) >= b:
            continue  # inside a longer label of the same concept (双循环 in 国内国际双循环)
        cover_end[iri] = b
        out.append(Mention("phrase", a, b, iri, source=text[a:b]))
    return out
