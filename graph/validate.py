"""Check a ptkg graph against CONTRACT §2, written down as SHACL in ``graph/shapes.ttl``.

The shapes and the vocabulary (``graph/vocab.ttl``) ship as package data and are read with
``importlib.resources``, so validation works from an installed wheel as well as a checkout.

Inference is ``"none"``, on purpose.  The contract promises triples that a plain SPARQL query
matches (``?e a schema:Event``, ``?m a ptk:Mention``): with RDFS inference the vocabulary's
domains, ranges and subclass axioms would *add* those types before the shapes look, so a graph
that forgot to type its events or mentions would still conform.  The vocabulary is still passed
as the ontology graph — pyshacl mixes it into the data — so that ``sh:class`` sees its
``rdfs:subClassOf`` axioms (SHACL follows subclass triples present in the data).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import rdflib
from pyshacl import validate as shacl_validate


def _read(name: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=resources.files("ptkg.graph").joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes (cached: parsing them is most of the cost of a small validation)."""
    return _read("shapes.ttl")


@lru_cache(maxsize=1)
def vocab_graph() -> rdflib.Graph:
    """The ``ptk:`` vocabulary as an OWL/RDFS ontology."""
    return _read("vocab.ttl")


def validate(data_graph: rdflib.Graph) -> tuple[bool, str]:
    """``(conforms, report)``: the pyshacl result and its human-readable report text.

    The data graph is not modified (pyshacl validates a copy when an ontology is mixed in).
    """
    conforms, _report_graph, text = shacl_validate(
        data_graph,
        shacl_graph=shapes_graph(),
        ont_graph=vocab_graph(),
        inference="none",
        advanced=False,  # sh:sparql constraints are SHACL-SPARQL, on by default; no SHACL-AF rules
        allow_warnings=False,
    )
    return bool(conforms), str(text)


def main(argv: list[str] | None = None) -> int:
    """``python -m graph.validate GRAPH.ttl``: print the report, exit 0 if it conforms."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m graph.validate GRAPH.ttl", file=sys.stderr)
        return 2
    g = rdflib.Graph()
    try:
        g.parse(args[0], format="turtle")
    except Exception as e:  # rdflib raises many parser error types
        print(f"{args[0]}: cannot load graph: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    ok, text = validate(g)
    print(text.rstrip())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
