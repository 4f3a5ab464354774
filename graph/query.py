"""Run SPARQL 1.1 queries on a built graph and format the results.

The graph is the build's on-disk Oxigraph store (``graph/store.py``) when there is a fresh one,
else ``graph.ttl`` loaded into an in-memory Oxigraph store; rdflib reaches either through ``oxrdflib``: the same rdflib
API, but queries are evaluated in Rust — about 30x faster than rdflib's own engine on
100k triples (measured in ``shared/notes/dependencies.md``).  Saved queries in
``queries/*.rq`` are plain files; ``ptkg query FILE`` runs them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import rdflib
from ptkg.graph.build import bind_prefixes
from rdflib.query import Result

PREFIXES = """PREFIX ptk:    <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


class QueryError(Exception):
    """A query that cannot be parsed or run; ``str()`` is one line."""


def load_graph(path: Path) -> rdflib.Graph:
    """The graph for querying: the build's on-disk store when it matches ``path``
    (opens in milliseconds, whatever the size), else ``path`` parsed into an in-memory store."""
    from oxrdflib import OxigraphStore
    from ptkg.graph.store import open_store
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    disk = open_store(Path(path))
    if disk is not None:
        g = rdflib.Graph(store=OxigraphStore(store=disk), identifier=DATASET_DEFAULT_GRAPH_ID)
        bind_prefixes(g)
        return g
    g = rdflib.Graph(store="Oxigraph")
    bind_prefixes(g)
    g.parse(str(path), format="turtle")
    return g


def query_text(arg: str) -> str:
    """A query given inline or as a path to a .rq file."""
    p = Path(arg)
    if arg.endswith((".rq", ".sparql")):
        return p.read_text(encoding="utf-8")
    try:
        is_file = "\n" not in arg and p.is_file()
    except OSError:  # an inline query longer than a file name may be
        is_file = False
    return p.read_text(encoding="utf-8") if is_file else arg


def with_prefixes(q: str) -> str:
    """Add the contract's prefixes that the query uses but does not declare."""
    declared = {line.split()[1].rstrip(":") for line in q.splitlines() if line.strip().upper().startswith("PREFIX")
                and len(line.split()) > 1}
    extra = [ln for ln in PREFIXES.splitlines() if ln.split()[1].rstrip(":") not in declared]
    return "\n".join(extra) + "\n" + q


def run(g: rdflib.Graph, q: str) -> Result:
    try:
        return g.query(with_prefixes(q))
    except Exception as e:  # pyparsing/oxigraph syntax errors come in many types
        msg = " ".join(str(e).split())
        raise QueryError(f"SPARQL error: {msg}") from None


def _oxigraph(g: rdflib.Graph):  # noqa: ANN202 (pyoxigraph.Store | None)
    """The pyoxigraph store behind an oxrdflib graph, to read SELECT results without turning
    every term into an rdflib object (that conversion took 1.6 s of a 20,000-row listing)."""
    return getattr(g.store, "_store", None)


def execute(g: rdflib.Graph, q: str, fmt: str) -> str:
    """Run ``q`` and format it: the command line's path, fast for large SELECT results."""
    import pyoxigraph as ox

    store = _oxigraph(g)
    if store is None:
        return format_result(run(g, q), fmt)
    try:
        result = store.query(with_prefixes(q))
    except Exception as e:  # Oxigraph raises SyntaxError for malformed queries
        raise QueryError(f"SPARQL error: {' '.join(str(e).split())}") from None
    if not isinstance(result, ox.QuerySolutions):
        return format_result(run(g, q), fmt)  # ASK / CONSTRUCT: small; rdflib's formatting
    names = [v.value for v in result.variables]
    data = [["" if t is None else t.value for t in (row[n] for n in names)] for row in result]
    return _format_rows(names, data, fmt)


def _cell(v: object) -> str:
    if v is None:
        return ""
    return str(v)


def rows(result: Result) -> tuple[list[str], list[list[str]]]:
    if result.type == "ASK":
        return ["ask"], [[str(bool(result.askAnswer)).lower()]]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return ["subject", "predicate", "object"], [[_cell(s), _cell(p), _cell(o)] for s, p, o in result.graph]
    names = [str(v) for v in result.vars]
    return names, [[_cell(r[i]) for i in range(len(names))] for r in result]


def format_result(result: Result, fmt: str) -> str:
    if result.type in ("CONSTRUCT", "DESCRIBE") and fmt == "table":
        return result.graph.serialize(format="turtle")
    names, data = rows(result)
    return _format_rows(names, data, fmt)


def _format_rows(names: list[str], data: list[list[str]], fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(data)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(names, r, strict=True)) for r in data], ensure_ascii=False, indent=1) + "\n"
    return _table(names, data)


# East Asian Wide and Fullwidth ranges (Unicode UAX #11): CJK, Hangul, kana, full-width forms
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def _width(s: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return len(s) + len(_WIDE.findall(s))


def _table(names: list[str], data: list[list[str]], max_cell: int = 60) -> str:
    def clip(s: str) -> str:
        s = " ".join(s.split())
        return s if len(s) <= max_cell else s[: max_cell - 1] + "…"

    cells = [[clip(c) for c in r] for r in data]
    widths = [max([_width(n)] + [_width(r[i]) for r in cells]) for i, n in enumerate(names)]

    def line(r: list[str]) -> str:
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(data)} rows)")
    return "\n".join(out) + "\n"
