"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, plus the HTML page.

Oxigraph (pyoxigraph) is the store and query engine; this module only speaks the protocol
(W3C SPARQL 1.1 Protocol, 2013): ``GET /query?query=…`` and ``POST /query`` with an
``application/sparql-query`` body or a form, results negotiated by ``Accept``.  Updates
are refused (403): the graph is the build's output, changed only by rebuilding.  ``/`` is
the interactive page (``index.html`` beside the graph) and ``/sparql`` a small query form
that works offline.

The store is the build's on-disk Oxigraph store, opened read-only (``graph/store.py``), or
``graph.ttl`` loaded into memory when there is none.  Restart the server after a rebuild.

Safety (issue 8): it binds 127.0.0.1 unless told otherwise; a query that runs longer than
``timeout`` seconds is answered 503 and abandoned.  Oxigraph cannot cancel an evaluation, so the
abandoned thread runs on, but bounded: it stops reading at the row/triple cap (``MAX_ROWS``,
``MAX_TRIPLES``), and at most ``MAX_RUNNING`` evaluations exist at once (more are refused with
503), so slow queries cannot pile up.  A query that sorts or aggregates everything before its
first row still runs to the end of that step in the background, within one of those slots.
"""

from __future__ import annotations

import html
import ipaddress
import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD if hasattr(ox.RdfFormat, "JSON_LD") else ox.RdfFormat.TURTLE,
}
MAX_BODY = 1 << 20
MAX_ROWS = 100_000
MAX_TRIPLES = 500_000
MAX_RUNNING = 4
DEFAULT_TIMEOUT = 30.0


class _Refused(Exception):
    """An answer that is an HTTP error: status and a one-line message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def negotiate(accept: str, offered: dict) -> str | None:
    """The first offered media type the client accepts (q-values respected; */* takes the default)."""
    prefs = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        prefs.append((-q, i, bits[0].lower()))
    default = next(iter(offered))
    for _, _, media in sorted(prefs):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*") and media != "text/*":
            return default
        if media == "text/*":
            return next((m for m in offered if m.startswith("text/")), None)
    return default if not accept.strip() else None


def _query_form() -> bytes:
    page = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ptkg SPARQL</title>
<style>body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em}
textarea{width:100%;height:12em;font-family:monospace}table{border-collapse:collapse;margin-top:1em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}</style></head><body>
<h1>ptkg SPARQL endpoint</h1><p>Read-only SPARQL 1.1 at <code>/query</code>. <a href="/">Timeline and network</a></p>
<textarea id="q">PREFIX ptk: &lt;https://w3id.org/ptkg/ns#&gt;
PREFIX schema: &lt;https://schema.org/&gt;
SELECT ?name ?nb ?na WHERE { ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na }
ORDER BY ?nb LIMIT 100</textarea>
<p><button id="run">Run</button> <span id="status"></span></p><div id="out"></div>
<script>
// Results are inserted with textContent only: graph literals are document text, untrusted.
document.getElementById("run").addEventListener("click", async function () {
  var status = document.getElementById("status"), out = document.getElementById("out");
  status.textContent = "running…"; out.textContent = "";
  var r = await fetch("/query", {method: "POST", headers: {"Content-Type": "application/sparql-query",
    "Accept": "application/sparql-results+json"}, body: document.getElementById("q").value});
  var text = await r.text();
  if (!r.ok) { status.textContent = "error " + r.status + ": " + text; return; }
  var data = JSON.parse(text);
  if (data.boolean !== undefined) { status.textContent = String(data.boolean); return; }
  var table = document.createElement("table"), head = table.insertRow();
  data.head.vars.forEach(function (v) {
    var th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  });
  data.results.bindings.forEach(function (b) {
    var row = table.insertRow();
    data.head.vars.forEach(function (v) { row.insertCell().textContent = b[v] ? b[v].value : ""; });
  });
  status.textContent = data.results.bindings.length + " rows"; out.appendChild(table);
});
</script></body></html>"""
    return page.encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    store: ox.Store
    site: Path
    timeout_s: float = DEFAULT_TIMEOUT
    max_rows: int = MAX_ROWS
    max_triples: int = MAX_TRIPLES
    slots: threading.BoundedSemaphore
    server_version = "ptkg"

    def log_message(self, fmt: str, *args: object) -> None:  # one quiet line per request on stderr
        sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        if url.path == "/query":
            params = parse_qs(url.query)
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            q = params.get("query", [None])[0]
            if not q:
                return self._error(HTTPStatus.BAD_REQUEST, "missing ?query=")
            return self._answer(q)
        if url.path in ("/", "/index.html"):
            page = self.site / "index.html"
            if page.is_file():
                return self._send(HTTPStatus.OK, page.read_bytes(), "text/html; charset=utf-8")
            return self._error(HTTPStatus.NOT_FOUND, "no index.html beside the graph; run ptkg build")
        if url.path == "/sparql":
            return self._send(HTTPStatus.OK, _query_form(), "text/html; charset=utf-8")
        return self._error(HTTPStatus.NOT_FOUND, "not found: try /query, /sparql or /")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/query":
            return self._error(HTTPStatus.NOT_FOUND, "POST to /query")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"query over {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
        if ctype == "application/sparql-query":
            return self._answer(body)
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            if form.get("query"):
                return self._answer(form["query"][0])
            return self._error(HTTPStatus.BAD_REQUEST, "missing query= in the form")
        return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "send application/sparql-query or application/x-www-form-urlencoded")

    def _answer(self, q: str) -> None:
        """Evaluate in a worker thread; answer what it gives within the time limit, else 503."""
        accept = self.headers.get("Accept") or ""
        if not self.slots.acquire(blocking=False):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE,
                               f"busy: {MAX_RUNNING} queries are still running; try again later")
        box: dict[str, tuple] = {}
        done = threading.Event()

        # Only bytes and strings leave the worker: Oxigraph's result objects must be dropped on the
        # thread that made them, so no exception (whose traceback holds them) is handed over.
        def work() -> None:
            try:
                box["answer"] = self._evaluate(q, accept)
            except _Refused as e:
                box["refused"] = (e.status, e.message)
            except BaseException as e:  # noqa: BLE001 (reported to the client, not lost in a thread)
                box["refused"] = (HTTPStatus.INTERNAL_SERVER_ERROR,
                                  f"query failed: {type(e).__name__}: {' '.join(str(e).split())}")
            finally:
                self.slots.release()
                done.set()

        threading.Thread(target=work, name="ptkg-query", daemon=True).start()
        if not done.wait(self.timeout_s):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE,
                               f"query took over {self.timeout_s:g} s and was abandoned: narrow it or add a LIMIT")
        if "refused" in box:
            return self._error(*box["refused"])
        body, ctype = box["answer"]
        return self._send(HTTPStatus.OK, body, ctype)

    def _evaluate(self, q: str, accept: str) -> tuple[bytes, str]:
        """Run the query and serialize at most the capped number of rows or triples."""
        try:
            result = self.store.query(q)
        except SyntaxError as e:
            raise _Refused(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {' '.join(str(e).split())}") from None
        except Exception as e:  # evaluation errors are the query's, not the server's
            raise _Refused(HTTPStatus.BAD_REQUEST, f"SPARQL error: {' '.join(str(e).split())}") from None
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, GRAPH_TYPES)
            if media is None:
                raise _Refused(HTTPStatus.NOT_ACCEPTABLE, "offered: " + ", ".join(GRAPH_TYPES))
            triples = []
            for i, t in enumerate(result):
                if i >= self.max_triples:
                    raise _Refused(HTTPStatus.BAD_REQUEST, f"more than {self.max_triples} triples: add a LIMIT")
                triples.append(t)
            body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
            return body, f"{media}; charset=utf-8"
        media = negotiate(accept, SELECT_TYPES)
        if media is None:
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, "offered: " + ", ".join(SELECT_TYPES))
        if isinstance(result, ox.QuerySolutions):
            rows = []
            for i, row in enumerate(result):
                if i >= self.max_rows:
                    raise _Refused(HTTPStatus.BAD_REQUEST, f"more than {self.max_rows} rows: add a LIMIT")
                rows.append(row)
            body = _solutions(result.variables, rows, SELECT_TYPES[media])
        else:
            body = result.serialize(format=SELECT_TYPES[media]) or b""
        return body, f"{media}; charset=utf-8"


def _solutions(variables: list, rows: list, fmt: ox.QueryResultsFormat) -> bytes:
    """Serialize solutions already read (the row bound was checked while reading)."""
    names = [v.value for v in variables]
    if fmt == ox.QueryResultsFormat.JSON:
        def term(t: object) -> dict:
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            d = {"type": "literal", "value": t.value}
            if t.language:
                d["xml:lang"] = t.language
            elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                d["datatype"] = t.datatype.value
            return d
        data = {"head": {"vars": names}, "results": {"bindings": [
            {n: term(r[n]) for n in names if r[n] is not None} for r in rows]}}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    sep = "," if fmt == ox.QueryResultsFormat.CSV else "\t"
    if fmt in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
        w.writerow(names if sep == "," else ["?" + n for n in names])
        for r in rows:
            w.writerow(["" if r[n] is None else (r[n].value if sep == "," else str(r[n])) for n in names])
        return buf.getvalue().encode("utf-8")
    # XML
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f'<variable name="{html.escape(n)}"/>' for n in names]
    out.append("</head><results>")
    for r in rows:
        out.append("<result>")
        for n in names:
            t = r[n]
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                inner = f"<uri>{html.escape(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                inner = f"<bnode>{html.escape(t.value)}</bnode>"
            else:
                attr = f' xml:lang="{t.language}"' if t.language else (
                    f' datatype="{html.escape(t.datatype.value)}"' if t.datatype else "")
                inner = f"<literal{attr}>{html.escape(t.value)}</literal>"
            out.append(f'<binding name="{html.escape(n)}">{inner}</binding>')
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def make_server(graph: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = DEFAULT_TIMEOUT,
                max_rows: int = MAX_ROWS, max_triples: int = MAX_TRIPLES) -> ThreadingHTTPServer:
    """A server over ``graph`` (its on-disk store when fresh); not started: call ``serve_forever``."""
    from ptkg.graph.store import load_store

    handler = type("PtkgHandler", (Handler,), {
        "store": load_store(graph), "site": graph.parent, "timeout_s": timeout, "max_rows": max_rows,
        "max_triples": max_triples, "slots": threading.BoundedSemaphore(MAX_RUNNING)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(graph: Path, port: int = 7878, host: str = "127.0.0.1", timeout: float = DEFAULT_TIMEOUT,
          max_rows: int = MAX_ROWS) -> int:
    if not graph.is_file():
        print(f"{graph}: no graph here; run `ptkg build` first or pass --graph FILE", file=sys.stderr)
        return 2
    try:
        server = make_server(graph, host, port, timeout=timeout, max_rows=max_rows)
    except OSError as e:
        print(f"ptkg serve: cannot listen on {host}:{port}: {e.strerror or e}", file=sys.stderr)
        return 2
    if not _loopback(host):
        print(f"ptkg serve: listening on {host}, reachable from other machines (read-only, no authentication)",
              file=sys.stderr)
    print(f"ptkg serve: SPARQL endpoint http://{host}:{server.server_port}/query — page http://{host}:"
          f"{server.server_port}/ — query form http://{host}:{server.server_port}/sparql", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
