"""The extraction components, declared in one place and run in order over one :class:`~ptkg.extractors.doc.Doc`.

Each component is a plain function ``Doc -> Doc`` with one job and a name (the spaCy pipeline idea,
without the framework): it reads what earlier components wrote and adds its own field; it never rewrites
an earlier component's output.  ``ptkg build`` and ``ptkg inspect`` both run :data:`COMPONENTS`, so
what inspect shows is what the build uses.  Nothing is extracted after these steps: merge, graph and
render only combine and write what they produce.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable

from ptkg.extractors.acts import find_acts, line_breaks
from ptkg.extractors.assemble import Found, assemble
from ptkg.extractors.attribution import attribute
from ptkg.extractors.dates import find_dates
from ptkg.extractors.doc import Doc
from ptkg.extractors.documents import split_documents
from ptkg.extractors.headings import find_headings
from ptkg.extractors.keywords import sentence_nouns
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.manifest import apply_manifest
from ptkg.extractors.mentions import find_organizations, find_people, find_phrases
from ptkg.extractors.model import DateMention, Document, LineIndex, RawText
from ptkg.extractors.normalize import normalize
from ptkg.extractors.occasions import find_occasions

Component = Callable[[Doc], Doc]


def normalize_text(doc: Doc) -> Doc:
    """The repaired text the finders read, with its map back to raw offsets (``extractors.normalize``)."""
    doc.text = normalize(doc.raw.text)
    doc.lines = LineIndex(doc.raw.text)
    return doc


def infer_reference_date(text: str) -> dt.date | None:
    """A base date for a document that states none.

    A report is written after the latest past event it dates, so take the latest year
    given with a month (years alone are often targets: 2035年远景目标), then the latest
    month of that year that the text mentions, and its last day.
    """
    dates = [d for d in find_dates(text, None) if d.not_before and d.role == "point"]
    fine = [d for d in dates if d.precision in ("day", "part-of-month", "month", "season")]
    if not fine:
        return None
    year = max(d.not_before.year for d in fine)

    def in_year(base: dt.date) -> set[tuple[int, int, dt.date]]:
        return {
            (d.start, d.end, d.not_before) for d in find_dates(text, base)
            if d.not_before and d.role == "point" and d.not_before.year == year
            and d.precision in ("day", "part-of-month", "month")
        }

    # words relative to the base (今天, 本月) move with it: only what stays put counts
    months = [nb.month for _, _, nb in in_year(dt.date(year, 12, 31)) & in_year(dt.date(year, 1, 1))]
    month = max(months) if months else 12
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def find_documents(doc: Doc) -> Doc:
    """The documents of the file with their dates and titles: as the layout says, the manifest row winning;
    a document that states no date gets a reference date inferred from what it mentions."""
    docs = split_documents(doc.raw, doc.text)
    apply_manifest(docs, doc.manifest)
    for d in docs:
        if d.date is None:
            d.reference_date = infer_reference_date(doc.text.text[d.start:d.end])
    doc.documents = docs
    return doc


def find_document_headings(doc: Doc) -> Doc:
    """Each document's title and the headlines of its items, with the paragraph each heads
    (``extractors.headings``): how the reporter named what the paragraph reports."""
    for d in doc.documents:
        doc.headings.extend(find_headings(doc.text, d, doc.lexicon))
    return doc


def _shift(dates: list[DateMention], offset: int) -> list[DateMention]:
    return [dataclasses.replace(d, start=d.start + offset, end=d.end + offset) for d in dates]


_BRACKETS = " \t\u3000()（）[]【】0123456789:"  # and a time of day the date engine left out


def _on_dateline(doc: Doc, document: Document, date: DateMention) -> bool:
    """Is this date the document's own dateline, alone on its line ("2015-07-09 19:00:00" under a news title)?
    It dates the document, not an occasion named in the heading that normalization joined to it.  A dateline
    that names its occasion ("（1957年6月26日在……会议上）") still dates it."""
    if not document.date_evidence:
        return False
    a, b = doc.text.raw_span(date.start, date.end)
    line = doc.lines.line_of(a)
    starts = doc.lines.starts
    end = starts[line] - 1 if line < len(starts) else len(doc.raw.text)
    raw_line = doc.raw.text[starts[line - 1]:end]
    rest = (raw_line[:a - starts[line - 1]] + raw_line[b - starts[line - 1]:]).strip(_BRACKETS)
    return raw_line.strip() == document.date_evidence and not rest


def find_all_dates(doc: Doc) -> Doc:
    """Date expressions of each document, read against its date (or reference date); a document's own
    dateline is not one of them."""
    t = doc.text.text
    for d in doc.documents:
        found = _shift(find_dates(t[d.start:d.end], d.date or d.reference_date), d.start)
        doc.dates.extend(x for x in found if not _on_dateline(doc, d, x))
    return doc


def find_occasion_mentions(doc: Doc) -> Doc:
    doc.occasions = find_occasions(doc.text.text, doc.lexicon)
    return doc


def find_person_mentions(doc: Doc) -> Doc:
    doc.people = find_people(doc.text.text, doc.lexicon)
    return doc


def find_organization_mentions(doc: Doc) -> Doc:
    doc.organizations = find_organizations(doc.text.text, doc.lexicon)
    return doc


def find_act_mentions(doc: Doc) -> Doc:
    """Dated acts named by who did them (会见, 致电, 作出重要指示 …): they need the people and bodies found
    before (``extractors.acts``)."""
    doc.acts = find_acts(doc.text.text, doc.lexicon, doc.people, doc.organizations, doc.dates,
                         line_breaks(doc.text, doc.raw.text))
    return doc


def find_phrase_mentions(doc: Doc) -> Doc:
    doc.phrases = find_phrases(doc.text.text, doc.lexicon)
    return doc


def assemble_events(doc: Doc) -> Doc:
    """Event mentions: each occasion with its date, speakers, organizers and phrases (``extractors.assemble``)."""
    found = Found(doc.dates, doc.occasions, doc.people, doc.organizations, doc.phrases, doc.acts, doc.headings)
    for d in doc.documents:
        dates = [x for x in doc.dates if d.start <= x.start and x.end <= d.end]
        doc.event_mentions.extend(assemble(doc.raw, doc.text, d, dataclasses.replace(found, dates=dates),
                                           doc.lines, doc.lexicon))
    return doc


def attribute_phrases(doc: Doc) -> Doc:
    """Which phrases each event mention is about, as the text attributes them (``extractors.attribution``):
    fills the mentions' ``attributions``, ``phrases`` and ``recalled``, which assembly leaves empty."""
    for d in doc.documents:
        idx = [i for i, m in enumerate(doc.event_mentions) if m.document == d.index]
        if not idx:
            continue
        ms = [doc.event_mentions[i] for i in idx]
        flags, found = attribute(doc.raw.text, doc.text, d, ms, 0, doc.occasions, doc.phrases, doc.lexicon)
        for k, m in enumerate(ms):
            m.recalled = flags[k]
            m.attributions = [a for a in found if a.mention == k]
            m.phrases = sorted({a.concept for a in m.attributions})
    return doc


def find_keywords(doc: Doc) -> Doc:
    """The noun words of each event sentence, for the corpus-wide keyword candidates (``ptkg.graph.keywords``)."""
    doc.keyword_words = [sentence_nouns(m.sentence_text) for m in doc.event_mentions]
    return doc


#: the extraction pipeline, in order: (name, component)
COMPONENTS: tuple[tuple[str, Component], ...] = (
    ("normalize", normalize_text),
    ("documents", find_documents),
    ("headings", find_document_headings),
    ("dates", find_all_dates),
    ("occasions", find_occasion_mentions),
    ("people", find_person_mentions),
    ("organizations", find_organization_mentions),
    ("acts", find_act_mentions),
    ("phrases", find_phrase_mentions),
    ("events", assemble_events),
    ("attribution", attribute_phrases),
    ("keywords", find_keywords),
)


def run(raw: RawText, lexicon: Lexicon, manifest: dict[str, str] | None = None,
        components: tuple[tuple[str, Component], ...] = COMPONENTS, until: str | None = None) -> Doc:
    """Run the components over one file (up to and including ``until``, if named)."""
    doc = Doc(raw, lexicon, dict(manifest or {}))
    for name, component in components:
        if TIMES is None:
            doc = component(doc)
        else:
            t = time.process_time()
            doc = component(doc)
            TIMES[name] = TIMES.get(name, 0.0) + time.process_time() - t
        if name == until:
            break
    return doc


#: CPU seconds per component in this process, summed over files, while a benchmark asks for them
#: (``PTKG_PHASES``, see ``ptkg.pipeline``); None: not measured
TIMES: dict[str, float] | None = None
