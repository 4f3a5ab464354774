"""The graph of the seeds keeps CONTRACT §2: it validates against ``graph/shapes.ttl``, the scorer's
queries find rows, every ``ptk:`` term it uses is documented in ``graph/vocab.ttl``, and a rebuild
gives the same bytes.

The build runs once per session through the real command line (``python -m ptkg.cli build``), so
the test sees what a user's graph.ttl holds, not an in-process shortcut.  A mutated graph must fail
validation: without that check a shapes file that constrained nothing would pass everything.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from ptkg.graph.query import load_graph, run
from ptkg.graph.validate import validate, vocab_graph
from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV

ROOT = Path(__file__).resolve().parents[1]
PTK = rdflib.Namespace("https://w3id.org/ptkg/ns#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SCORE_PY = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"

# Verbatim copies of QUERY, SPEAKERS and PHRASES in the shared scorer (shared/eval/score.py): the
# scorer is a user of the contract, so these must keep returning rows.  test_scorer_queries_unchanged
# checks that the copies have not drifted when the scorer is present.
QUERY = """
PREFIX ptk: <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?name ?nb ?na ?file ?mnb ?mna ?line WHERE {
  ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na ; ptk:mention ?m .
  ?m ptk:sourceFile ?file .
  OPTIONAL { ?m ptk:notBefore ?mnb ; ptk:notAfter ?mna }
  OPTIONAL { ?m ptk:line ?line }
}"""
SPEAKERS = """
PREFIX ptk: <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?n WHERE { ?e a schema:Event ; ptk:speaker ?p . ?p schema:name ?n }"""
PHRASES = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?n WHERE { ?e a schema:Event ; schema:about ?c . { ?c skos:prefLabel ?n } UNION { ?c skos:altLabel ?n } }"""


def build_seeds(out: Path, hashseed: str) -> Path:
    """Build seeds/ into ``out`` with the CLI and return graph.ttl; the hash seed is fixed per call."""
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    graph = out / "graph.ttl"
    assert graph.is_file()
    return graph


@pytest.fixture(scope="session")
def seeds_graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seeds(tmp_path_factory.mktemp("shape-build"), hashseed="1")


@pytest.fixture()
def seeds_graph(seeds_graph_file: Path) -> rdflib.Graph:
    """A fresh in-memory copy per test, so that mutating tests cannot leak into others."""
    g = rdflib.Graph()
    g.parse(seeds_graph_file, format="turtle")
    return g


def test_seeds_graph_conforms_to_shapes(seeds_graph: rdflib.Graph) -> None:
    ok, report = validate(seeds_graph)
    assert ok, report


def test_scorer_queries_return_rows(seeds_graph_file: Path) -> None:
    g = load_graph(seeds_graph_file)
    events = list(run(g, QUERY))
    assert events
    for r in events:
        assert r.nb.datatype == XSD.date and r.na.datatype == XSD.date
        assert r.nb.toPython() <= r.na.toPython()
        assert r.line is not None and r.line.datatype == XSD.integer and int(r.line) >= 1
        assert (ROOT / "seeds" / str(r.file)).is_file()
    speakers = {str(r.n) for r in run(g, SPEAKERS)}
    assert "习近平" in speakers
    phrases = {str(r.n) for r in run(g, PHRASES)}
    assert {"双循环", "国内国际双循环"} <= phrases


def test_scorer_queries_unchanged() -> None:
    """The copies above are the scorer's: if it changed, the contract (or the scorer) moved."""
    if not SCORE_PY.is_file():
        pytest.skip("shared scorer not beside the checkout (the copies are run on the seeds by the test above)")
    spec = importlib.util.spec_from_file_location("ptkg_shared_score", SCORE_PY)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (mod.QUERY, mod.SPEAKERS, mod.PHRASES) == (QUERY, SPEAKERS, PHRASES)


def minted_terms(g: rdflib.Graph) -> set[URIRef]:
    """``ptk:`` predicates and classes in the graph, plus every one build.py can write.

    build.py is read as well because the seeds need not exercise every term (ptk:isTarget,
    the generic ptk:Event kind), and a term first seen on a user's corpus must be documented too.
    """
    ns = str(PTK)
    used = {p for p in g.predicates() if str(p).startswith(ns)}
    used |= {c for c in g.objects(None, RDF.type) if str(c).startswith(ns)}
    from ptkg.extractors.kinds import kind_ids

    src = (ROOT / "graph" / "build.py").read_text(encoding="utf-8")
    used |= {PTK[name] for name in re.findall(r"\bPTK\.(\w+)", src)}
    used |= {PTK[k] for k in kind_ids()}
    return used


def test_every_minted_term_is_in_the_vocabulary(seeds_graph: rdflib.Graph) -> None:
    v = vocab_graph()
    terms = minted_terms(seeds_graph)
    assert {PTK.Mention, PTK.mention, PTK.notBefore, PTK.line, PTK.Meeting} <= terms
    declared = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype}
    problems = []
    for t in sorted(terms):
        if not set(v.objects(t, RDF.type)) & declared:
            problems.append(f"{t}: not declared as a class or property")
        langs = {lab.language for lab in v.objects(t, RDFS.label) if isinstance(lab, Literal)}
        if not {"en", "zh-Hans"} <= langs:
            problems.append(f"{t}: rdfs:label @en and @zh-Hans wanted, has {sorted(map(str, langs))}")
        if not any(str(c).strip() for c in v.objects(t, RDFS.comment)):
            problems.append(f"{t}: no rdfs:comment")
    assert not problems, "\n".join(problems)


def test_vocabulary_hangs_on_established_vocabularies() -> None:
    v = vocab_graph()
    onto = URIRef("https://w3id.org/ptkg/ns")
    assert (onto, RDF.type, OWL.Ontology) in v
    for p in (rdflib.DCTERMS.title, rdflib.DCTERMS.description, OWL.versionInfo):
        assert v.value(onto, p) is not None, p
    from ptkg.extractors.kinds import kind_ids

    for k in kind_ids():
        assert (PTK[k], RDFS.subClassOf, SCHEMA.Event) in v, k
    assert (PTK.Mention, RDFS.subClassOf, PROV.Entity) in v
    assert (PTK.document, RDFS.subPropertyOf, PROV.wasDerivedFrom) in v
    assert (PTK.speaker, RDFS.subPropertyOf, SCHEMA.performer) in v
    for p in (PTK.notBefore, PTK.notAfter, PTK.referenceDate):
        assert (p, RDFS.range, XSD.date) in v, p


def test_rebuild_is_byte_identical(seeds_graph_file: Path, tmp_path: Path) -> None:
    again = build_seeds(tmp_path / "again", hashseed="2")
    assert again.read_bytes() == seeds_graph_file.read_bytes()


def _first(g: rdflib.Graph, cls: URIRef) -> URIRef:
    return sorted(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))[0]


def _drop_line(g: rdflib.Graph) -> str:
    g.remove((_first(g, PTK.Mention), PTK.line, None))
    return "ptk:line"


def _dates_reversed(g: rdflib.Graph) -> str:
    e = _first(g, SCHEMA.Event)
    na = g.value(e, PTK.notAfter).toPython()
    g.set((e, PTK.notBefore, Literal(na.replace(year=na.year + 1).isoformat(), datatype=XSD.date)))
    return "is after ptk:notAfter"


def _mention_elsewhere(g: rdflib.Graph) -> str:
    m = _first(g, PTK.Mention)
    for p in (PTK.notBefore, PTK.notAfter):
        g.set((m, p, Literal("1900-01-01", datatype=XSD.date)))
    return "do not overlap"


def _bad_precision(g: rdflib.Graph) -> str:
    g.set((_first(g, SCHEMA.Event), PTK.precision, Literal("week")))
    return "ptk:precision"


def _line_zero(g: rdflib.Graph) -> str:
    g.set((_first(g, PTK.Mention), PTK.line, Literal(0)))
    return "ptk:line"


def _string_date(g: rdflib.Graph) -> str:
    e = _first(g, SCHEMA.Event)
    g.set((e, PTK.notAfter, Literal(str(g.value(e, PTK.notAfter)))))
    return "ptk:notAfter"


def _untyped_speaker(g: rdflib.Graph) -> str:
    person = next(iter(sorted(g.objects(None, PTK.speaker))))
    g.remove((person, RDF.type, SCHEMA.Person))
    return "ptk:speaker"


def _empty_quote(g: rdflib.Graph) -> str:
    g.set((_first(g, PTK.Mention), PTK.quote, Literal("")))
    return "ptk:quote"


def _event_without_mention(g: rdflib.Graph) -> str:
    g.remove((_first(g, SCHEMA.Event), PTK.mention, None))
    return "ptk:mention"


BREAKS = [_drop_line, _dates_reversed, _mention_elsewhere, _bad_precision, _line_zero, _string_date,
          _untyped_speaker, _empty_quote, _event_without_mention]


@pytest.mark.parametrize("mutate", BREAKS, ids=lambda f: f.__name__.strip("_"))
def test_broken_graph_fails_validation(seeds_graph: rdflib.Graph, mutate: Callable[[rdflib.Graph], str]) -> None:
    expected = mutate(seeds_graph)
    ok, report = validate(seeds_graph)
    assert not ok
    assert expected in report, report


def test_two_breaks_are_both_reported(seeds_graph: rdflib.Graph) -> None:
    """A mention without its line and an event whose dates are reversed: each is reported, not only the first."""
    _drop_line(seeds_graph)
    _dates_reversed(seeds_graph)
    ok, report = validate(seeds_graph)
    assert not ok
    assert "a mention has exactly one xsd:integer ptk:line" in report, report
    assert "is after ptk:notAfter" in report, report
