"""The short summary ``ptkg build`` prints at the end: what was built, and the analyst's first
question answered at once — when was each key phrase first said, by whom, at which occasion,
on what evidence, and how many documents repeat it.

"First" has one meaning everywhere (this summary, ``queries/first-said.rq`` and the page, which reads
:func:`first_said`): the earliest event that has an attribution of the phrase (``extractors.attribution``),
ordered by the latest day the event can have been (``not_after``), then the earliest (``not_before``), then (on
the same days) an event a later statement names as the origin, then one with a speaker, then the event's IRI — a
meeting known to the day beats a vague "since May" that might be later.  The answer carries the
evidence of that event: preferably the report of the day, else a later statement (cited content, "首次提出").

Not every attribution dates a phrase.  A *report* is the content of a mention's sentence and paragraph; when the
mention itself is vague ("今年", "今年以来", "2021" of a year-end review, "今年2月" in a May story) and merged by its
name into an event of some other day, the phrases of the story would be dated to that day — a May story about a
February meeting holds the phrases of May.  So a report dates a phrase only when its mention is dated within
``dating_days`` (the lead of a story: "4月15日上午", "17日至19日"), or is the window of days just before its
document ("近日", "日前": it ends on the document's day and is at most ``recent_days`` wide).  Statements that name
the occasion (``cited``, ``origin``) always date it.  A phrase with no dating attribution is answered from all of
them (the best evidence there is).  Numbers: ``extractors/data/attribution.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
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


def first_key(e: Event, phrase: str | None = None) -> tuple:
    """The order of "first": latest possible day, then earliest; on the same days, an event where a later statement
    says the phrase was first said (an ``origin`` attribution) and then one with a speaker come before the rest,
    then the event IRI.  Why the tie-break: one day holds the occasion and the things written of it the same day —
    the 2025-09-01 "上海合作组织" meeting where 习近平 proposed 全球治理倡议 and the CCTV commentary of that evening
    (no speaker); the 2023-03-15 对话会 and the speech's title.  "By whom" needs the speaker."""
    said = phrase is not None and any(a.how == "origin" and a.concept == phrase for m in e.mentions
                                      for a in m.attributions)
    return (e.not_after, e.not_before, not said, not e.speakers, iri_part(e.key))


def dates_phrase(m: EventMention, a: Attribution, day: dt.date | None, lexicon: Lexicon) -> bool:
    """Does attribution ``a`` of mention ``m`` date its phrase to m's event? (``day``: m's document's date)"""
    if a.how not in ("report", "document"):
        return True
    words = lexicon.attribution
    span = (m.date.not_after - m.date.not_before).days
    if span < int(words["dating_days"]):
        return True
    return day is not None and span < int(words["recent_days"]) and m.date.not_after >= day


def first_said(events: list[Event], lexicon: Lexicon, documents: Iterable[Document] = ()) -> list[FirstSaid]:
    """For each phrase attributed to an event, its first event and the evidence; most documents first.

    ``documents``: the documents of the mentions (their dates tell a report of the days just before a story)."""
    label = {c.iri: c.pref_label for c in lexicon.concepts}
    day = {(d.source, d.index): d.date or d.reference_date for d in documents}
    first: dict[str, Event] = {}
    dated: dict[str, Event] = {}  # the first event with an attribution that dates the phrase
    docs: dict[str, set[tuple[str, int]]] = defaultdict(set)

    def dating(e: Event, p: str) -> bool:
        return any(dates_phrase(m, a, day.get((m.source, m.document)), lexicon)
                   for m in e.mentions for a in m.attributions if a.concept == p)

    for e in events:
        for p in e.phrases:
            for m in e.mentions:
                if p in m.phrases:
                    docs[p].add((m.source, m.document))
            cur = first.get(p)
            if cur is None or first_key(e, p) < first_key(cur, p):
                first[p] = e
            cur = dated.get(p)
            if (cur is None or first_key(e, p) < first_key(cur, p)) and dating(e, p):
                dated[p] = e
    first.update(dated)
    rows = []
    for p, e in first.items():
        ev = sorted(((0 if dates_phrase(m, a, day.get((m.source, m.document)), lexicon) else 1,
                      EVIDENCE_ORDER.index(a.how) if a.how in EVIDENCE_ORDER else 9, m.source, m.line, a.evidence,
                      a.how), i, j) for i, m in enumerate(e.mentions) for j, a in enumerate(m.attributions)
                    if a.concept == p)
        if ev:
            (_, _, source, line, evidence, how), i, j = ev[0]
            m = e.mentions[i]
            rows.append(FirstSaid(p, label.get(p, p), e, len(docs[p]), how, evidence, source, line, m,
                                  m.attributions[j]))
        else:
            rows.append(FirstSaid(p, label.get(p, p), e, len(docs[p]), "", "", "", 0))
    return sorted(rows, key=lambda r: (-r.documents, r.event.not_before, r.label))


def first_mentions(events: list[Event], lexicon: Lexicon,
                   documents: Iterable[Document] = ()) -> list[tuple[str, Event, int]]:
    """(phrase label, first event about it, number of documents), most documents first (see :func:`first_said`)."""
    return [(r.label, r.event, r.documents) for r in first_said(events, lexicon, documents)]


def summarize(events: list[Event], documents: list[Document], lexicon: Lexicon, top: int = 5,
              first: list[FirstSaid] | None = None) -> str:
    """The build's closing lines; ``first``: :func:`first_said` of these events when the caller has it."""
    people = {s for e in events for s in e.speakers}
    phrases = {p for e in events for p in e.phrases}
    lines = [f"{len(documents)} documents, {len(events)} events, {len(people)} people, {len(phrases)} phrases"]
    for r in (first if first is not None else first_said(events, lexicon, documents))[:top]:
        e, n = r.event, r.documents
        who = "、".join(e.speakers) or "—"
        when = e.not_before.isoformat() if e.not_before == e.not_after else f"{e.not_before}..{e.not_after}"
        lines.append(f"  first {r.label}: {when} {e.name} ({who}); in {n} document{'s' if n != 1 else ''}; "
                     f"{r.how} {r.source}:{r.line}")
    return "\n".join(lines)
