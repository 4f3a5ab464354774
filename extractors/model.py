"""Plain data passed between the pipeline steps.

The data flows one way: read → normalize → find dates → find mentions →
assemble events → merge → graph → render.  Each step takes and returns the
plain types below, so a step can be replaced or tested alone (the spaCy
pipeline idea, without the framework).

Offsets: every step after reading works on a *normalized* text, but users must
see the file as written.  ``Text.origin[i]`` is the offset in the raw text of
normalized character ``i``, so any span found late in the pipeline maps back to
the raw line and the raw quote.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawText:
    """What a reader got out of one file: the decoded text as written, page by page joined.

    ``path`` is relative to the input root (POSIX separators); ``meta`` holds what the
    file format itself says (HTML ``<meta>``, PDF info, DOCX core properties).
    """

    path: str
    text: str
    format: str
    encoding: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Text:
    """A normalized text and, per character, the raw span it stands for.

    Normalized character ``i`` covers raw ``[origin[i], ends[i])``: usually one raw
    character (``ends`` is None then, meaning ``origin[i] + 1``), several when a repair
    folded them into one (a PDF-doubled "日日" becomes one "日" that covers both).
    """

    text: str
    origin: list[int]
    ends: list[int] | None = None
    #: the file keeps one paragraph per line: no line was a hard wrap (``normalize.join_lines``), so a short line
    #: is a title or headline of its own (``extractors.headings``)
    paragraph_lines: bool = False

    def __post_init__(self) -> None:
        if len(self.text) != len(self.origin) or (self.ends is not None and len(self.ends) != len(self.origin)):
            raise ValueError("text, origin and ends differ in length")

    @classmethod
    def identity(cls, raw: str) -> Text:
        return cls(raw, list(range(len(raw))))

    def end_of(self, i: int) -> int:
        return self.ends[i] if self.ends is not None else self.origin[i] + 1

    def piece(self, a: int, b: int) -> tuple[str, list[int], list[int]]:
        """Normalized [a, b) with its origins and ends, for steps that rebuild the text."""
        ends = self.ends[a:b] if self.ends is not None else [o + 1 for o in self.origin[a:b]]
        return self.text[a:b], self.origin[a:b], ends

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) covering normalized [start, end)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else (self.end_of(len(self.origin) - 1)
                                                                      if self.origin else 0)
            return at, at
        return self.origin[start], max(self.end_of(i) for i in range(max(start, end - 4), end))


class LineIndex:
    """Maps raw offsets to 1-based line numbers."""

    def __init__(self, raw: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(raw) if ch == "\n"]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


@dataclass
class Document:
    """One logical document: a whole file, or one part of a file that holds several.

    ``start``/``end`` delimit the document inside the normalized text of its file.
    """

    source: str
    index: int
    start: int
    end: int
    date: dt.date | None = None
    date_evidence: str | None = None
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    language: str | None = None
    url: str | None = None
    #: for a document that states no date: the base date its relative dates were read against
    reference_date: dt.date | None = None


@dataclass(frozen=True)
class DateMention:
    """A date expression: span in the text it was found in, and the interval it allows."""

    start: int
    end: int
    text: str
    not_before: dt.date | None
    not_after: dt.date | None
    precision: str
    # "point" for a date, "since"/"until" for open ranges closed by the base date,
    # "vague" for 近日-like words, "target" for 到2025年-like deadlines.
    role: str = "point"


@dataclass(frozen=True)
class Mention:
    """A span naming something from a lexicon or grammar.

    ``type`` is one of "occasion", "person", "organization", "phrase";
    ``key`` is the canonical (simplified) name; ``kind`` refines occasions
    (one of the kinds declared in ``extractors/data/kinds.yaml``).
    """

    type: str
    start: int
    end: int
    key: str
    kind: str = ""
    source: str = ""  # which lexicon entry or pattern found it
    organizer: str = ""  # occasions: the body the grammar says convenes it (十九届五中全会 → 中共中央)
    names_body: bool = False  # occasions: the name holds the convening body ("中央财经委员会第八次会议")
    dated_inside: bool = False  # occasions: a date inside the match is the occasion's ("……7月30日召开会议")
    named_after_actor: bool = False  # occasions: named after who did it and to whom ("习近平会见南非总统祖马")
    speakers: tuple[str, ...] = ()  # acts: who spoke, as the act's grammar reads them (actor, counterpart)


@dataclass(frozen=True, order=True)
class Attribution:
    """One phrase attributed to one event mention, with the words that attribute it.

    ``start``/``end`` delimit the attributing words (a sentence or part of one) in the normalized text;
    ``evidence`` is that stretch as written in the raw file (cut to ``attribution.EVIDENCE_MAX`` around the phrase)."""

    mention: int  # index in the document's event mentions
    concept: str
    how: str  # "report" | "cited" | "document" | "origin"
    start: int
    end: int
    evidence: str


@dataclass
class EventMention:
    """One statement in one document that an occasion happened at a date."""

    source: str
    document: int
    kind: str
    name: str
    date: DateMention
    line: int
    date_text: str
    quote: str
    sentence: tuple[int, int]
    occasion: Mention | None = None
    speakers: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # quoted terms not in the scheme (extractors.candidates)
    sentence_text: str = ""  # the normalized sentence, for keyword discovery
    target: bool = False
    # written by the attribution component (extractors.attribution), left empty by assembly: ``phrases`` are the
    # concepts of ``attributions``; ``recalled`` says the mention recalls an earlier occasion
    attributions: list[Attribution] = field(default_factory=list)
    recalled: bool = False


@dataclass
class Event:
    """A real-world occasion, merged over all its mentions."""

    key: str
    kind: str
    name: str
    not_before: dt.date
    not_after: dt.date
    precision: str
    mentions: list[EventMention]
    speakers: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
