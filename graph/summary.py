"""The short summary ``ptkg build`` prints at the end: what was built, and the analyst's first
question answered at once — when was each key phrase first said, by whom, at which occasion,
on what evidence, and how many documents repeat it.

"First" has one meaning everywhere (this summary, ``queries/first-said.rq`` and the page, which reads
:func:`first_said`): the earliest event that has an attribution of the phrase (``extractors.attribution``),
ordered by the latest day the event can have been (``not_after``), then the earliest (``not_before``), then the
event's IRI — a meeting known to the day beats a vague "since May" that might be later.  The answer carries the
evidence of that event: preferably the report of the day, else a later statement (cited content, "首次提出").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import Attribution, Document, Event, EventMention
from ptkg.graph.build import iri_part

#: which evidence answers first, when the first event has several
EVIDENCE_ORDER = ("report", "document", "cited", "origin")


@dataclass(frozen=True)
class FirstSaid:
    concept: str
    label: str
    event: Event
    documents: int  # how many documents attribute the phrase to some event
    how: str  # the evidence kind (ptk:evidenceKind)
    evidence: str  # the attributing words
    source: str
    line: int
    mention: EventMention | None = None  # the mention whose attribution answers (None: no evidence kept)
    attribution: Attribution | None = None


def first_key(e: Event) -> tuple:
    """The order of "first": latest possible day, then earliest, then the event IRI (as first-said.rq)."""
    return (e.not_after, e.not_before, iri_part(e.key))


def first_said(events: list[Event], lexicon: Lexicon) -> list[FirstSaid]:
    """For each phrase attributed to an event, its first event and the evidence; most documents first."""
    label = {c.iri: c.pref_label for c in lexicon.concepts}
    first: dict[str, Event] = {}
    docs: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for e in events:
        for p in e.phrases:
            for m in e.mentions:
                if p in m.phrases:
                    docs[p].add((m.source, m.document))
            cur = first.get(p)
            if cur is None or first_key(e) < first_key(cur):
                first[p] = e
    rows = []
    for p, e in first.items():
        ev = sorted(((EVIDENCE_ORDER.index(a.how) if a.how in EVIDENCE_ORDER else 9, m.source, m.line, a.evidence,
                      a.how), i, j) for i, m in enumerate(e.mentions) for j, a in enumerate(m.attributions)
                    if a.concept == p)
        if ev:
            (_, source, line, evidence, how), i, j = ev[0]
            m = e.mentions[i]
            rows.append(FirstSaid(p, label.get(p, p), e, len(docs[p]), how, evidence, source, line, m,
                                  m.attributions[j]))
        else:
            rows.append(FirstSaid(p, label.get(p, p), e, len(docs[p]), "", "", "", 0))
    return sorted(rows, key=lambda r: (-r.documents, r.event.not_before, r.label))


def first_mentions(events: list[Event], lexicon: Lexicon) -> list[tuple[str, Event, int]]:
    """(phrase label, first event about it, number of documents), most documents first (see :func:`first_said`)."""
    return [(r.label, r.event, r.documents) for r in first_said(events, lexicon)]


def summarize(events: list[Event], documents: list[Document], lexicon: Lexicon, top: int = 5,
              first: list[FirstSaid] | None = None) -> str:
    """The build's closing lines; ``first``: :func:`first_said` of these events when the caller has it."""
    people = {s for e in events for s in e.speakers}
    phrases = {p for e in events for p in e.phrases}
    lines = [f"{len(documents)} documents, {len(events)} events, {len(people)} people, {len(phrases)} phrases"]
    for r in (first if first is not None else first_said(events, lexicon))[:top]:
        e, n = r.event, r.documents
        who = "、".join(e.speakers) or "—"
        when = e.not_before.isoformat() if e.not_before == e.not_after else f"{e.not_before}..{e.not_after}"
        lines.append(f"  first {r.label}: {when} {e.name} ({who}); in {n} document{'s' if n != 1 else ''}; "
                     f"{r.how} {r.source}:{r.line}")
    return "\n".join(lines)
