"""Events and documents → the plain "view model" the HTML page is rendered from.

Kept apart from the renderer so that the page never sees rdflib or pipeline types, only
JSON-able dicts (and a test can build a view by hand).  Names of concepts are their SKOS
prefLabels; IRIs match the ones in ``graph.ttl``.
"""

from __future__ import annotations

from ptkg.extractors.kinds import kinds
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import Document, Event
from ptkg.extractors.normalize import repair_quote
from ptkg.graph.build import DEFAULT_BASE, Iris
from ptkg.graph.summary import FirstSaid, first_said


def view_model(events: list[Event], documents: list[Document], lex: Lexicon, base: str = DEFAULT_BASE,
               title: str = "ptkg — policy timeline", first: list[FirstSaid] | None = None) -> dict:
    """The page's data; ``first``: :func:`first_said` of these events when the caller has it (the build does)."""
    iris = Iris(base)
    label = {c.iri: c.pref_label for c in lex.concepts}
    titles = {(d.source, d.index): d.title or d.source for d in documents}
    doc_ids = {(d.source, d.index): str(iris.doc_iri(d.source, d.index)) for d in documents}
    # English beside the Chinese for a reader who does not read it: the scheme's prefLabel@en and the
    # bodies' official names (organizations.tsv), for the phrases and bodies the events name
    phrases_en = {c.pref_label: c.label_en for c in lex.concepts if c.label_en}
    orgs_en = {o.name: o.en for o in lex.organizations if o.en}
    used_phrases = {label.get(p, p) for e in events for p in e.phrases}
    used_orgs = {o for e in events for o in e.organizations}
    return {
        "title": title,
        # lane order, colour and labels per event kind (extractors/data/kinds.yaml)
        "kinds": [{"id": k.id, "en": k.en, "zh": k.zh, "colour": k.colour} for k in kinds()],
        "english": {
            "phrases": {p: phrases_en[p] for p in sorted(used_phrases) if p in phrases_en},
            "organizations": {o: orgs_en[o] for o in sorted(used_orgs) if o in orgs_en},
        },
        "events": [
            {
                "id": str(iris.iri("event", e.key)),
                "name": e.name,
                "kind": e.kind,
                "not_before": e.not_before.isoformat(),
                "not_after": e.not_after.isoformat(),
                "precision": e.precision,
                "speakers": e.speakers,
                "organizations": e.organizations,
                "phrases": [label.get(p, p) for p in e.phrases],
                "mentions": [
                    {
                        "file": m.source,
                        "line": m.line,
                        "date_text": m.date_text,
                        "quote": m.quote,
                        # the quote read through PDF damage; the raw one stays one click away
                        "repaired": r if (r := repair_quote(m.quote)) != m.quote else None,
                        "document": titles.get((m.source, m.document), m.source),
                        # Links the mention to its entry in "documents" (a file may hold several documents).
                        "document_id": doc_ids.get((m.source, m.document)),
                        "not_before": m.date.not_before.isoformat() if m.date.not_before else None,
                        "not_after": m.date.not_after.isoformat() if m.date.not_after else None,
                        "recalled": m.recalled,
                        # why this mention is about each phrase: the attributing words (extractors.attribution)
                        "attributions": [{"phrase": label.get(a.concept, a.concept), "how": a.how,
                                          "evidence": a.evidence} for a in m.attributions],
                    }
                    for m in e.mentions
                ],
            }
            for e in events
        ],
        # phrase label → its first event, as the build summary and queries/first-said.rq answer it
        "first_said": {
            r.label: {"event": str(iris.iri("event", r.event.key)), "how": r.how, "evidence": r.evidence,
                      "repaired": ev if (ev := repair_quote(r.evidence)) != r.evidence else None,
                      "file": r.source, "line": r.line}
            for r in (first if first is not None else first_said(events, lex, documents))
        },
        "documents": [
            {
                "id": str(iris.doc_iri(d.source, d.index)),
                "file": d.source,
                "title": d.title or d.source,
                "date": d.date.isoformat() if d.date else None,
            }
            for d in documents
        ],
    }
