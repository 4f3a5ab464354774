"""The built graph in the formats other tools read, and pushed into other SPARQL stores.

* GraphML and GEXF (networkx) for network tools: nodes are events, people, organizations,
  phrases and documents (``kind``, ``label``, dates), edges ``speaker``/``organizer``/``about``/
  ``mentioned-in`` from each event.  GEXF nodes carry ``start``/``end`` dates (timeformat
  ``date``) so Gephi's timeline filter plays the events in time.
* JSON-LD and N-Triples (Oxigraph's serializers: fast on large graphs) for RDF tools.
* CSV of event mentions, one row per mention with its source: for spreadsheets and pandas.  A
  cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``
  (OWASP's advice against CSV formula injection): document text is untrusted, and a spreadsheet
  would otherwise run ``=HYPERLINK(...)`` found in a quote as a formula.
* GraphML and GEXF are XML 1.0, which cannot hold most C0 control characters (not even as
  character references); those a damaged document brings are written as U+FFFD.
* :func:`push`: the graph into any SPARQL 1.1 Graph Store Protocol endpoint (Fuseki, QLever's
  loader front ends, Virtuoso, GraphDB, Oxigraph) with one HTTP PUT of the Turtle file.

Everything is read back through SPARQL from the store (``graph/store.py``), so the exports see
exactly what ``ptkg query`` sees, in a fixed order (GEXF alone also stamps the day it was written).
"""

from __future__ import annotations

import base64
import csv
import io
import urllib.error
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from ptkg.extractors.reasons import reason as reason_of
from ptkg.graph.results import xml_safe
from ptkg.graph.store import load_store

if TYPE_CHECKING:  # networkx (0.1-0.2 s to import) only when a network format is written: ptkg.cli imports
    import networkx as nx  # this module for FORMATS, and every command, ``ptkg query`` too, paid for it

FORMATS = ("graphml", "gexf", "jsonld", "nt", "csv")

_PREFIXES = """PREFIX ptk: <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_EVENTS = _PREFIXES + """
SELECT ?e ?name ?type ?nb ?na ?p WHERE {
  ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na ; ptk:precision ?p .
  OPTIONAL { ?e a ?type . FILTER(?type != schema:Event) }
} ORDER BY ?nb ?na ?name ?e"""
_EDGES = _PREFIXES + """
SELECT ?e ?rel ?x (COUNT(?m) AS ?n) WHERE {
  ?e a schema:Event .
  { ?e ptk:speaker ?x . BIND("speaker" AS ?rel) }
  UNION { ?e schema:organizer ?x . BIND("organizer" AS ?rel) }
  UNION { ?e schema:about ?x . BIND("about" AS ?rel) }
  UNION { ?e ptk:mention ?m . ?m ptk:document ?x . BIND("mentioned-in" AS ?rel) }
} GROUP BY ?e ?rel ?x ORDER BY ?e ?rel ?x"""
_KIND_OF_REL = {"speaker": "person", "organizer": "organization", "about": "phrase", "mentioned-in": "document"}
_NAMES = _PREFIXES + "SELECT ?x ?name WHERE { ?x schema:name ?name } ORDER BY ?x ?name"
_LABELS = _PREFIXES + "SELECT ?x ?label WHERE { ?x skos:prefLabel ?label } ORDER BY ?x ?label"
_DATES = _PREFIXES + "SELECT ?x ?date WHERE { ?x a schema:CreativeWork ; schema:dateCreated ?date } ORDER BY ?x ?date"
_MENTIONS = _PREFIXES + """
SELECT ?event ?name ?kind ?notBefore ?notAfter ?precision ?file ?line ?dateText ?quote WHERE {
  ?event a schema:Event ; schema:name ?name ; ptk:notBefore ?notBefore ; ptk:notAfter ?notAfter ;
         ptk:precision ?precision ; ptk:mention ?m .
  OPTIONAL { ?event a ?t . FILTER(?t != schema:Event) }
  BIND(COALESCE(STRAFTER(STR(?t), "#"), "Event") AS ?kind)
  ?m ptk:sourceFile ?file ; ptk:line ?line ; ptk:dateText ?dateText ; ptk:quote ?quote .
} ORDER BY ?notBefore ?notAfter ?name ?event ?file ?line ?dateText"""
CSV_COLUMNS = ["event", "name", "kind", "notBefore", "notAfter", "precision", "file", "line", "dateText", "quote"]


def _v(term: object) -> str:
    return "" if term is None else term.value


def to_networkx(store: ox.Store) -> nx.DiGraph:
    """Events and what they link to, as a directed graph; node ids are the RDF IRIs."""
    import networkx as nx

    g = nx.DiGraph(name="ptkg")
    for r in store.query(_EVENTS):
        e = _v(r["e"])
        if e in g:  # a second ptk: class; keep the first (ordered) one
            continue
        kind = _v(r["type"]).rsplit("#", 1)[-1] or "Event"
        g.add_node(e, kind="event", type=kind, label=_v(r["name"]), notBefore=_v(r["nb"]),
                   notAfter=_v(r["na"]), precision=_v(r["p"]))
    names: dict[str, str] = {}
    for r in store.query(_NAMES):
        names.setdefault(_v(r["x"]), _v(r["name"]))
    for r in store.query(_LABELS):  # a phrase's Simplified prefLabel, else its first one
        x, label = _v(r["x"]), r["label"]
        if x not in names or (label.language or "").lower() == "zh-hans":
            names[x] = label.value
    dates = {_v(r["x"]): _v(r["date"]) for r in store.query(_DATES)}
    for r in store.query(_EDGES):
        e, x, rel = _v(r["e"]), _v(r["x"]), _v(r["rel"])
        if x not in g:
            g.add_node(x, kind=_KIND_OF_REL[rel], label=names.get(x, x))
            if x in dates:
                g.nodes[x]["date"] = dates[x]
        g.add_edge(e, x, label=rel, weight=int(_v(r["n"])) or 1)
    return g


def _xml_safe_graph(g: nx.DiGraph) -> nx.DiGraph:
    """The graph with every string (node ids, attribute values) fit for XML 1.0."""
    import networkx as nx

    def clean(d: dict) -> dict:
        return {k: xml_safe(v) if isinstance(v, str) else v for k, v in d.items()}
    h = nx.DiGraph(**clean(g.graph))
    h.add_nodes_from((xml_safe(n), clean(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((xml_safe(u), xml_safe(v), clean(d)) for u, v, d in g.edges(data=True))
    return h


def graphml(store: ox.Store) -> str:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(_xml_safe_graph(to_networkx(store)), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def gexf(store: ox.Store) -> str:
    """GEXF 1.2 with ``start``/``end`` on events (and ``start`` on dated documents) for Gephi's timeline."""
    import networkx as nx

    g = _xml_safe_graph(to_networkx(store))
    for _, d in g.nodes(data=True):
        if d["kind"] == "event":
            d["start"], d["end"] = d["notBefore"], d["notAfter"]
        elif d.get("date"):
            d["start"] = d["date"]
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", version="1.2draft")
    return buf.getvalue().decode("utf-8")


def ntriples(store: ox.Store) -> str:
    """Sorted N-Triples: one triple per line, the same bytes for the same graph (diff-friendly)."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8")
    return "".join(line + "\n" for line in sorted(set(data.splitlines())) if line)


def jsonld(store: ox.Store) -> str:
    return store.dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph()).decode("utf-8") + "\n"


def mentions_csv(store: ox.Store) -> str:
    """One row per event mention: the event, its dates, and where the text states it."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in store.query(_MENTIONS):
        w.writerow([spreadsheet_safe(_v(r[c])) for c in CSV_COLUMNS])
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


WRITERS = {"graphml": graphml, "gexf": gexf, "jsonld": jsonld, "nt": ntriples, "csv": mentions_csv}


def export(graph: Path, fmt: str) -> str:
    """``graph`` (``graph.ttl``; its store when fresh) in format ``fmt`` (one of ``FORMATS``)."""
    return WRITERS[fmt](load_store(graph))


def redact_url(url: str) -> str:
    """``url`` with the password of its userinfo replaced by ``***`` (for messages and logs)."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.password is None and "@" not in parts.netloc:
            return url
        user = parts.username or ""
        host = parts.netloc.rpartition("@")[2]
        netloc = (f"{user}:***@" if parts.password is not None else f"{user}@") + host
        return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return "<the --push URL>"


class PushError(Exception):
    """The endpoint refused or could not be reached; ``str()`` is one line."""


def push_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be pushed to, in words (None when it can): checked before a build spends its time."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as e:  # "Invalid IPv6 URL"
        return f"not a valid URL ({reason_of(e)})"
    try:
        port = parts.port
    except ValueError:  # out of range or not a number
        return "its port is not a number from 1 to 65535"
    if parts.scheme not in ("http", "https"):
        return "not an http(s) URL"
    if not parts.hostname:
        return "no host in the URL"
    if port == 0:
        return "its port is not a number from 1 to 65535"
    return None


def push_url(url: str, graph_iri: str | None = None) -> str:
    """The Graph Store Protocol address: ``?graph=IRI`` or ``?default`` unless the URL already names one."""
    parts = urllib.parse.urlsplit(url)
    if "graph=" in parts.query or "default" in parts.query.split("&"):
        return url
    extra = f"graph={urllib.parse.quote(graph_iri, safe='')}" if graph_iri else "default"
    query = f"{parts.query}&{extra}" if parts.query else extra
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def push(graph: Path, url: str, graph_iri: str | None = None, timeout: float = 600.0) -> int:
    """Replace the default graph (or ``graph_iri``) at a SPARQL 1.1 Graph Store endpoint with ``graph``.

    HTTP PUT of the Turtle file, streamed from disk, so a rebuild replaces rather than appends.
    Credentials in the URL (``http://user:pass@host/...``) are sent as HTTP Basic auth.
    Returns the number of bytes sent.
    """
    if (problem := push_url_problem(url)) is not None:
        raise PushError(problem)
    parts = urllib.parse.urlsplit(url)
    size = Path(graph).stat().st_size
    headers = {"Content-Type": "text/turtle; charset=utf-8", "Content-Length": str(size)}
    if parts.username:
        auth = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    from urllib.request import Request, urlopen  # http.client, email and ssl: only for a push

    with open(graph, "rb") as body:
        req = Request(push_url(url, graph_iri), data=body, method="PUT", headers=headers)
        try:
            with urlopen(req, timeout=timeout) as r:
                r.read()
        except urllib.error.HTTPError as e:
            detail = " ".join(e.read(300).decode("utf-8", "replace").split())
            raise PushError(f"HTTP {e.code} {e.reason}: {detail}".rstrip(": ")) from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = reason_of(e)
            for secret in {parts.password, urllib.parse.unquote(parts.password or "")} - {None, ""}:
                reason = reason.replace(secret, "***")
            raise PushError(f"cannot reach it: {reason}") from None
    return size
