"""Candidate policy phrases: terms the text itself marks, that the concept scheme does not know yet.

Policy writing puts new slogans in quotation marks the first times it uses them (“六稳”,
“两新一重”, “双循环” in 2020), so a quoted short term is the best signal a rule has that a
phrase is being coined.  Each candidate keeps where it was seen, so an analyst can judge it
and promote it into ``phrases.ttl`` (or a lexicon folder: see ``extractors.lexicon``).

jieba's TF-IDF keywords (``jieba.analyse.extract_tags``) add candidates from the sentences
that carry dated events only: run over whole corpora jieba would cost more than the rest
of the build (``shared/notes/dependencies.md``: ~367k characters/s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ptkg.extractors.lexicon import alias_map, load
from ptkg.extractors.model import Mention

_QUOTED = re.compile(r"[“「『\"]([\u4e00-\u9fff0-9A-Za-z]{2,10})[”」』\"]")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """Words that already have a place: phrases of the scheme, people, organizations, titles."""
    lex = load()
    words = set(lex.titles) | set(alias_map(lex.people)) | set(alias_map(lex.organizations))
    words |= set(lex.boundaries.get("not_candidates", []))
    for c in lex.concepts:
        words.add(c.pref_label)
        words.update(c.alt_labels)
    return frozenset(words)


def _is_named(term: str) -> bool:
    """An occasion's or a body's name is an entity, not a phrase."""
    from ptkg.extractors.occasions import find_occasions

    return any(o.start == 0 and o.end == len(term) for o in find_occasions(term))


def find_quoted_terms(text: str) -> list[Mention]:
    """Quoted short terms that are not yet phrases of the scheme."""
    known = _known()
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1)
        if term in known or term.isdigit() or any(k in term for k in known if len(k) >= 3) \
                or _is_named(term):
            continue
        out.append(Mention("candidate", m.start(1), m.end(1), term, source="quoted"))
    return out


def keywords(sentences: list[str], top: int = 10) -> list[str]:
    """jieba TF-IDF keywords of the event sentences (nouns only), minus known phrases."""
    if not sentences:
        return []
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # jieba prints its dictionary loading on stderr otherwise
    known = _known()
    tags = jieba.analyse.extract_tags("\n".join(sentences), topK=top * 3, allowPOS=("n", "nz"))
    occasion_nouns = ("会议", "会", "论坛", "峰会", "博览会")
    return [t for t in tags if len(t) >= 3 and not any(k in t or t in k for k in known if len(k) >= 2)
            and not t.endswith(occasion_nouns)][:top]


@dataclass
class Candidate:
    """A candidate phrase with where it was seen (file, raw line, quote)."""

    label: str
    source: str
    count: int = 0
    documents: set[tuple[str, int]] = field(default_factory=set)
    examples: list[tuple[str, int, str]] = field(default_factory=list)
