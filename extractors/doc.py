"""The one document object that flows through the extraction components (spaCy's ``Doc``, without the framework).

A ``Doc`` is one file: its raw text, the lexicon it is read with, and what each component adds in turn —
the normalized text with its offset map, the documents the file holds (with their dates), the date
expressions, the mentions of occasions, people, organizations, acts and phrases, the event mentions, and the
keyword words of each event sentence.  Each field is written by exactly one component (``extractors.pipeline``)
and never rewritten by a later one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ptkg.extractors.headings import Heading
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import DateMention, Document, EventMention, LineIndex, Mention, RawText, Text


@dataclass
class Doc:
    raw: RawText
    lexicon: Lexicon
    manifest: dict[str, str] = field(default_factory=dict)  # the file's manifest.csv row
    text: Text | None = None  # normalize
    lines: LineIndex | None = None  # normalize: raw offsets → raw line numbers
    documents: list[Document] = field(default_factory=list)  # documents (dates, titles, reference dates)
    headings: list[Heading] = field(default_factory=list)  # headings: titles and item headlines, every document
    dates: list[DateMention] = field(default_factory=list)  # dates (offsets in text.text, every document)
    occasions: list[Mention] = field(default_factory=list)  # occasions
    people: list[Mention] = field(default_factory=list)  # people
    organizations: list[Mention] = field(default_factory=list)  # organizations
    acts: list[Mention] = field(default_factory=list)  # acts (occasions named by who did them)
    phrases: list[Mention] = field(default_factory=list)  # phrases
    event_mentions: list[EventMention] = field(default_factory=list)  # events
    keyword_words: list[tuple[str, ...]] = field(default_factory=list)  # keywords: one per event mention
