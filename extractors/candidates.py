"""Candidate policy phrases: terms the text itself marks, that the concept scheme does not know yet.

Policy writing puts new slogans in quotation marks the first times it uses them (“六稳”,
“两新一重”, “双循环” in 2020), so a quoted short term is the best signal a rule has that a
phrase is being coined.  Each candidate keeps where it was seen, so an analyst can judge it
and promote it into ``phrases.ttl`` (or a lexicon folder: see ``extractors.lexicon``).

Keywords of the event sentences are the other source of candidates (``extractors.keywords``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ptkg.extractors.lexicon import Lexicon, alias_map
from ptkg.extractors.model import Mention

_QUOTED = re.compile(r"[“「『\"]([\u4e00-\u9fff0-9A-Za-z]{2,10})[”」』\"]")


@lru_cache(maxsize=4)
def known_words(lex: Lexicon) -> frozenset[str]:
    """Words that already have a place: phrases of the scheme, people, organizations, titles."""
    words = set(lex.titles) | set(alias_map(lex.people)) | set(alias_map(lex.organizations))
    words |= set(lex.boundaries.get("not_candidates", []))
    for c in lex.concepts:
        words.add(c.pref_label)
        words.update(c.alt_labels)
    return frozenset(words)


def _is_named(term: str, lex: Lexicon) -> bool:
    """An occasion's or a body's name is an entity, not a phrase."""
    from ptkg.extractors.occasions import find_occasions

    return any(o.start == 0 and o.end == len(term) for o in find_occasions(term, lex))


def find_quoted_terms(text: str, lex: Lexicon) -> list[Mention]:
    """Quoted short terms that are not yet phrases of the scheme."""
    known = known_words(lex)
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1)
        if term in known or term.isdigit() or any(k in term for k in known if len(k) >= 3) \
                or _is_named(term, lex):
            continue
        out.append(Mention("candidate", m.start(1), m.end(1), term, source="quoted"))
    return out
