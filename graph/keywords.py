"""Which words the corpus stresses: candidate phrases from the event sentences' nouns, over all files.

Why a step of its own between merge and graph: the choice is corpus-wide (the top TF-IDF nouns of all
event sentences together), so it cannot be made per file; the words themselves were found by the
keywords component (``ptkg.extractors.keywords``) during extraction.  Plain functions over plain data;
the graph writer only writes what this returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ptkg.extractors.candidates import known_words
from ptkg.extractors.keywords import idf
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import Event, EventMention


@dataclass(frozen=True)
class KeywordLink:
    """A keyword candidate stated by these mentions of this event."""

    event: Event
    word: str
    mentions: tuple[EventMention, ...]


def top_keywords(nouns: list[tuple[str, ...]], lex: Lexicon, top: int = 10) -> list[str]:
    """The ``top`` TF-IDF nouns of the event sentences (``jieba.analyse.extract_tags`` over their join),
    minus known words and occasion names."""
    freq: dict[str, float] = {}
    for words in nouns:
        for w in words:
            freq[w] = freq.get(w, 0.0) + 1.0
    if not freq:
        return []
    total = sum(freq.values())
    weight = {w: f * idf(w) / total for w, f in freq.items()}
    tags = sorted(weight, key=weight.__getitem__, reverse=True)[:top * 3]
    known = [k for k in known_words(lex) if len(k) >= 2]
    not_suffix = tuple(lex.boundaries.get("keyword_not_suffix", []))
    return [t for t in tags if len(t) >= 3 and not any(k in t or t in k for k in known)
            and not t.endswith(not_suffix)][:top]


def keyword_links(events: list[Event], nouns_of: Callable[[EventMention], tuple[str, ...]], lex: Lexicon,
                  top: int = 10) -> list[KeywordLink]:
    """Each top keyword linked to the events (and their mentions) whose sentences say it."""
    nouns = [nouns_of(m) for e in events for m in e.mentions if m.sentence_text]
    links = []
    for word in top_keywords(nouns, lex, top):
        for e in events:
            saying = tuple(m for m in e.mentions if word in m.sentence_text)
            if saying and word not in e.candidates:
                links.append(KeywordLink(e, word, saying))
    return links
