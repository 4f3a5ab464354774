"""SPARQL 1.1 query results in the protocol's formats, written from solutions already read.

Why our own writers rather than Oxigraph's ``serialize``: the endpoint caps the rows it reads
(``max_rows``) while reading them, so it holds a list, not Oxigraph's one-shot iterator.  Each
writer follows its W3C Recommendation (2013):

* JSON (SPARQL 1.1 Query Results JSON Format) and CSV (SPARQL 1.1 Query Results CSV and TSV
  Formats, section 2: plain values, RFC 4180 quoting, CRLF line ends).
* TSV (same document, section 3): every term in its SPARQL/Turtle form (``<iri>``,
  ``"literal"@lang``, ``"1"^^<datatype>``) with ``\\t``, ``\\n``, ``\\r``, ``"`` and ``\\`` escaped inside
  literals, never CSV-quoted; header ``?name``; LF line ends.
* XML (SPARQL Query Results XML Format, second edition): XML 1.0 cannot carry most C0 control
  characters at all, not even as character references, so they are written as U+FFFD (the
  replacement character) rather than producing a document no XML parser accepts.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Characters XML 1.0 (5th edition, production [2] Char) does not allow anywhere in a document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


#: what makes a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would run it as a formula (``=HYPERLINK(...)``).

    Used where a person opens the file (``ptkg query --format csv``); the endpoint's ``text/csv`` stays the
    W3C format's plain values, for programs.
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _json_term(t: object) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": str(t)}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != XSD_STRING:
        d["datatype"] = t.datatype.value
    return d


def json_results(names: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    data = {"head": {"vars": list(names)}, "results": {"bindings": [
        {n: _json_term(r[n]) for n in names if r[n] is not None} for r in rows]}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def csv_results(names: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for r in rows:
        w.writerow(["" if r[n] is None else (r[n].value if not isinstance(r[n], ox.Triple) else str(r[n]))
                    for n in names])
    return buf.getvalue().encode("utf-8")


def tsv_term(t: object) -> str:
    """A term in the TSV results format: Oxigraph's N-Triples form, which escapes tab, newline,
    carriage return, quote and backslash inside literals exactly as TSV requires."""
    return "" if t is None else str(t)


def tsv_results(names: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    out = ["\t".join("?" + n for n in names)]
    out += ["\t".join(tsv_term(r[n]) for n in names) for r in rows]
    return ("\n".join(out) + "\n").encode("utf-8")


def _xml_term(t: object) -> str:
    from xml.sax.saxutils import escape, quoteattr  # here: the module imports urllib.request and http.client

    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(xml_safe(t.value))}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(xml_safe(t.value))}</bnode>"
    if isinstance(t, ox.Triple):
        return f"<literal>{escape(xml_safe(str(t)))}</literal>"
    attr = ""
    if t.language:
        attr = f" xml:lang={quoteattr(xml_safe(t.language))}"
    elif t.datatype and t.datatype.value != XSD_STRING:
        attr = f" datatype={quoteattr(xml_safe(t.datatype.value))}"
    return f"<literal{attr}>{escape(xml_safe(t.value))}</literal>"


def xml_results(names: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    from xml.sax.saxutils import quoteattr

    out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out.append("</head><results>")
    for r in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(n)}>{_xml_term(r[n])}</binding>" for n in names if r[n] is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def boolean_results(value: bool, media: str) -> bytes:
    """An ASK answer.  CSV and TSV define no boolean form; like other stores we write the bare word."""
    word = "true" if value else "false"
    if media in ("text/csv", "text/tab-separated-values"):
        return (word + "\n").encode("utf-8")
    if media.endswith("xml"):
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode()
    return json.dumps({"head": {}, "boolean": bool(value)}).encode("utf-8")


SELECT_WRITERS = {
    "application/sparql-results+json": json_results,
    "application/json": json_results,
    "application/sparql-results+xml": xml_results,
    "application/xml": xml_results,
    "text/csv": csv_results,
    "text/tab-separated-values": tsv_results,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def negotiate(accept: str, offered: Sequence[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (RFC 9110 section 12.5.1), None if none.

    Higher q first; among equal q, the more specific range (``text/csv`` over ``text/*`` over
    ``*/*``), then the header's order; a range ``type/*`` takes the first offered type of that
    type, ``*/*`` (or no header) the first offered; ``q=0`` refuses a type.
    """
    if not accept.strip():
        return offered[0]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        if "/" in media:
            ranges.append((media, q, i))

    def quality(m: str) -> tuple[float, int, int]:
        best = (-1.0, 0, 0)
        kind = m.split("/")[0]
        for media, q, i in ranges:
            spec = 3 if media == m else 2 if media == kind + "/*" else 1 if media == "*/*" else 0
            if spec and (spec, -i) > (best[1], best[2]):
                best = (q, spec, -i)
        return best

    scored = [(quality(m), -n, m) for n, m in enumerate(offered)]
    (q, _, _), _, media = max(scored)
    return media if q > 0 else None
