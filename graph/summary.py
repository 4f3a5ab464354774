"""The short summary ``ptkg build`` prints at the end: what was built, and the analyst's first
question answered at once — when was each key phrase first said, by whom, at which occasion,
and how many documents repeat it.
"""

from __future__ import annotations

from collections import defaultdict

from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import Document, Event


def first_mentions(events: list[Event], lexicon: Lexicon) -> list[tuple[str, Event, int]]:
    """(phrase label, earliest event about it, number of documents mentioning it), most documents first.

    "Earliest" is by the latest day the event can have been (``not_after``), then the earliest:
    a meeting known to the day beats a vague "since May" that might be later.
    """
    label = {c.iri: c.pref_label for c in lexicon.concepts}
    first: dict[str, Event] = {}
    docs: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for e in events:
        for p in e.phrases:
            for m in e.mentions:
                if p in m.phrases:
                    docs[p].add((m.source, m.document))
            cur = first.get(p)
            if cur is None or (e.not_after, e.not_before, e.name) < (cur.not_after, cur.not_before, cur.name):
                first[p] = e
    rows = [(label.get(p, p), e, len(docs[p])) for p, e in first.items()]
    return sorted(rows, key=lambda r: (-r[2], r[1].not_before, r[0]))


def summarize(events: list[Event], documents: list[Document], lexicon: Lexicon, top: int = 5) -> str:
    people = {s for e in events for s in e.speakers}
    phrases = {p for e in events for p in e.phrases}
    lines = [f"{len(documents)} documents, {len(events)} events, {len(people)} people, {len(phrases)} phrases"]
    for phrase, e, n in first_mentions(events, lexicon)[:top]:
        who = "、".join(e.speakers) or "—"
        when = e.not_before.isoformat() if e.not_before == e.not_after else f"{e.not_before}..{e.not_after}"
        lines.append(f"  first {phrase}: {when} {e.name} ({who}); in {n} document{'s' if n != 1 else ''}")
    return "\n".join(lines)
