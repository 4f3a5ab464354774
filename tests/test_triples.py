"""The build's graph without rdflib's in-memory store (issue 15: the build in 2 GB): ``graph.build.Triples``
writes the bytes an rdflib ``Graph`` sorted the same way wrote, the store is the same graph when it is loaded
in pieces, and the page streamed to a file is the page returned as a string."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from ptkg.extractors.lexicon import load as load_lexicon
from ptkg.extractors.readers import read_file
from ptkg.graph import build as graph_build
from ptkg.graph import store as graph_store
from ptkg.graph.build import PTK, Triples, build_graph, to_turtle, write_turtle
from ptkg.graph.merge import merge
from rdflib import XSD, BNode, Graph, Literal, URIRef

from ptkg.pipeline import extract

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


class RdflibTriples(Graph):
    """What the build held before: an rdflib graph (``update`` adds, as ``Triples.update`` does)."""

    def update(self, triples) -> None:  # type: ignore[override]
        for t in triples:
            self.add(t)


def rdflib_turtle(g: Graph) -> bytes:
    """The serializer the build had before ``Triples``: sorted by (str(s), str(p), o.n3()), written by Oxigraph."""

    def term(t):  # noqa: ANN001, ANN202
        if isinstance(t, URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype:
                return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
            return ox.Literal(str(t))
        return ox.BlankNode(str(t))

    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))
    return ox.serialize([ox.Triple(term(s), term(p), term(o)) for s, p, o in triples],
                        format=ox.RdfFormat.TURTLE, prefixes=graph_build.PREFIXES)


#: literals whose N3 form is not '"text"': rdflib escapes them, or triple-quotes them when they hold a line end
ODD = ['他说"一带一路"倡议', "C:\\报告\\2020", "第一行\n第二行", 'ends with a quote"', 'three """ quotes\nhere',
       "back\\slash\nand line", "tab\there", "return\rhere", 'two quotes at the end\n""', "至",
       "\u202e反向"]


def add_odd(g) -> None:  # noqa: ANN001
    s = URIRef("https://w3id.org/ptkg/id/test/odd")
    for i, text in enumerate(ODD):
        g.add((s, PTK.quote, Literal(text)))
        g.add((s, PTK.dateText, Literal(text, lang="zh-Hans")))
        g.add((s, PTK.line, Literal(str(i), datatype=XSD.integer)))
    g.add((s, PTK.quote, Literal(ODD[0])))  # the same triple twice is one triple
    g.add((s, PTK.isTarget, Literal(True)))
    g.add((s, PTK.document, BNode("b1")))
    g.add((BNode("b1"), PTK.quote, Literal("a blank node's quote")))


@pytest.fixture(scope="module")
def seeds_events():
    lexicon = load_lexicon(None)
    docs, mentions, fmt = [], [], {}
    for path in sorted(SEEDS.glob("*.txt")):
        r = extract(read_file(path, SEEDS), lexicon)
        docs += r.documents
        mentions += r.mentions
        fmt[r.path] = r.format
    return lexicon, [(d, fmt[d.source]) for d in docs], merge(mentions, lexicon)


def test_triples_write_the_bytes_the_rdflib_graph_wrote(seeds_events, monkeypatch) -> None:
    lexicon, docs, events = seeds_events
    new = build_graph(docs, events, lexicon)
    monkeypatch.setattr(graph_build, "Triples", RdflibTriples)
    old = build_graph(docs, events, lexicon)
    assert len(new) == len(old) > 1000
    add_odd(new)
    add_odd(old)
    assert len(new) == len(old)
    assert len(new._odd) >= 8  # the escaped and triple-quoted forms are read back from their parts
    buf = io.BytesIO()
    write_turtle(new, buf)
    assert buf.getvalue() == rdflib_turtle(old)
    assert to_turtle(new) == buf.getvalue().decode("utf-8")
    # and the text reads back as the same terms (the odd literals included)
    back = {(str(t.subject), str(t.predicate), t.object.value)
            for t in ox.parse(buf.getvalue(), format=ox.RdfFormat.TURTLE)
            if t.subject.value.endswith("/odd") and t.predicate.value.endswith("#quote")}
    assert {o for *_, o in back} == set(ODD)


def test_triples_refuse_what_is_no_triple() -> None:
    g = Triples()
    with pytest.raises(TypeError):
        g.add((Literal("x"), PTK.quote, Literal("y")))
    with pytest.raises(TypeError):
        g.add((URIRef("https://example.org/s"), BNode(), Literal("y")))


def test_the_store_loaded_in_pieces_holds_the_graph(built, tmp_path, monkeypatch) -> None:
    """Pieces of 7 triples (a few hundred loads for the seeds): the same quads as the file parsed whole."""
    graph = tmp_path / "graph.ttl"
    graph.write_bytes((built / "graph.ttl").read_bytes())
    monkeypatch.setattr(graph_store, "LOAD_CHUNK", 7)
    graph_store.write_store(graph)
    store = graph_store.open_store(graph)
    assert store is not None
    parsed = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE)}
    assert len(parsed) > 1000
    assert {(q.subject, q.predicate, q.object) for q in store} == parsed


def test_the_streamed_page_is_the_page() -> None:
    from ptkg.graph.render import render_html
    from test_render import sample_view

    view = sample_view()
    buf = io.StringIO()
    assert render_html(view, into=buf) == ""
    assert buf.getvalue() == render_html(view)
    assert "ptkg-details-0" in buf.getvalue()
