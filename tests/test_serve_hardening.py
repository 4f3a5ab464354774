"""Issue 16 against ``ptkg serve``: each finding of the security review as a crafted request over real
HTTP on a loopback port, and the endpoint still answering a well-behaved client afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil
import pytest
from conftest import listener
from ptkg.graph.serve import RunningServer

ROOT = Path(__file__).resolve().parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CROSS = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"


@contextlib.contextmanager
def running(graph: Path, **kw):
    server = RunningServer(graph, "127.0.0.1", 0, **kw)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def server(built):
    with running(built / "graph.ttl", memory_mb=256, timeout=20) as s:
        yield s


def request(server_or_port, method: str = "GET", path: str = "/query", body: bytes | None = None,
            headers: dict | None = None, timeout: float = 60) -> tuple[int, dict, str]:
    port = server_or_port if isinstance(server_or_port, int) else server_or_port.port
    conn = __import__("http.client").client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def query(server, q: str, accept: str = "application/sparql-results+json", **headers) -> tuple[int, dict, str]:
    return request(server, "POST", "/query", q.encode("utf-8"),
                   {"Content-Type": "application/sparql-query", "Accept": accept, **headers})


def alive(server) -> None:
    status, _, body = query(server, COUNT)
    assert status == 200, body
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000


# --- SSRF ----------------------------------------------------------------------------------------

def test_service_is_refused_unless_allowed(built, server):
    with listener() as (port, hits):
        q = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}"
        # a cross-site HTML form sends exactly this: a urlencoded POST with no Origin check of its own
        form = urllib.parse.urlencode({"query": q}).encode()
        status, _, body = request(server, "POST", "/query", form,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 400 and "SERVICE" in body and "--allow-service" in body
        for hidden in ("\\u0053ERVICE", "service", "SERVICE SILENT"):
            status, _, _ = query(server, q.replace("SERVICE", hidden))
            assert status == 400, hidden
        prefixed = f"PREFIX r: <http://127.0.0.1:{port}/> SELECT ?x WHERE {{ SERVICE r:sparql {{ ?x ?y ?z }} }}"
        assert query(server, prefixed)[0] == 400
        assert query(server, "SELECT * WHERE { BIND(<http://x/> AS ?s) SERVICE ?s { ?a ?b ?c } }")[0] == 400
        assert hits == []
        with running(built / "graph.ttl", allow_service=[f"127.0.0.1:{port}"]) as allowed:
            status, _, body = query(allowed, q)
            assert status == 200 and "leaked" in body and hits
            other = q.replace(f"127.0.0.1:{port}", "localhost:1")
            assert query(allowed, other)[0] == 400


# --- DNS rebinding and other sites ------------------------------------------------------------------

def test_only_its_own_host_names_are_served(server):
    port = server.port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", ""):
        status, _, body = request(server, "GET", "/sparql", headers={"Host": host})
        assert status == 421, host
        assert len(body.strip().splitlines()) == 1
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert request(server, "GET", "/sparql", headers={"Host": host})[0] == 200, host


def test_allow_host_adds_a_name(built):
    with running(built / "graph.ttl", allow_host=["myhost.lan"], workers=1) as s:
        assert request(s, "GET", "/sparql", headers={"Host": f"myhost.lan:{s.port}"})[0] == 200
        assert request(s, "GET", "/sparql", headers={"Host": f"other.lan:{s.port}"})[0] == 421


def test_queries_from_other_sites_are_refused(server):
    q = urllib.parse.quote(COUNT)
    # what Chromium sends for <img src="http://127.0.0.1:PORT/query?query=..."> on another site
    status, _, _ = request(server, "GET", f"/query?query={q}", headers={"Sec-Fetch-Site": "cross-site",
                                                                        "Sec-Fetch-Dest": "image"})
    assert status == 403
    assert request(server, "GET", f"/query?query={q}", headers={"Sec-Fetch-Site": "same-site"})[0] == 403
    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{server.port + 1}"):
        assert query(server, COUNT, Origin=origin)[0] == 403, origin
    # the /sparql page's own fetch: same origin
    assert query(server, COUNT, Origin=f"http://127.0.0.1:{server.port}", **{"Sec-Fetch-Site": "same-origin"})[0] \
        == 200
    assert request(server, "GET", f"/query?query={q}", headers={"Sec-Fetch-Site": "none"})[0] == 200


# --- one request crashes it ---------------------------------------------------------------------------

def test_deep_nesting_and_many_unions_are_400_not_a_crash(server):
    parens = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    unions = "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 8000) + " }"
    optionals = "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 3000 + "}"
    for q in (parens, unions, optionals):
        t0 = time.monotonic()
        status, _, body = query(server, q)
        assert status == 400 and "refused" in body and len(body.strip().splitlines()) == 1, body[:200]
        assert time.monotonic() - t0 < 5
    # the same over GET, as an <img> on any page would send it
    status, _, body = request(server, "GET", "/query?query=" + urllib.parse.quote(parens[:12000]))
    assert status in (400, 431) and len(body.strip().splitlines()) == 1
    alive(server)


# --- one request takes all memory ---------------------------------------------------------------------

def _tree_rss(pid: int) -> int:
    p = psutil.Process(pid)
    return sum(c.memory_info().rss for c in [p, *p.children(recursive=True)])


def test_memory_is_capped_and_the_query_stopped(server):
    concat = ('SELECT (STRLEN(?a8) AS ?n) WHERE { BIND("' + "x" * 64 + '" AS ?a0) '
              + " ".join(f"BIND(CONCAT(?a{i},?a{i},?a{i},?a{i},?a{i},?a{i},?a{i},?a{i}) AS ?a{i + 1})"
                         for i in range(8)) + " }")
    assert len(concat) < 1000
    peak = 0
    for q in (CROSS, concat):
        before = server.endpoint.pool.active_pids()
        box: dict = {}
        t = threading.Thread(target=lambda q=q, box=box: box.update(r=query(server, q)))
        t.start()
        while t.is_alive():
            peak = max(peak, _tree_rss(os.getpid()))
            time.sleep(0.05)
        status, _, body = box["r"]
        assert status == 503 and "more than 256 MB of memory" in body, body
        assert any(not psutil.pid_exists(p) for p in before)  # the worker that ran it is gone
    # the test process holds the server and its two workers; a worker may not pass its cap
    assert peak < psutil.Process().memory_info().rss + 2 * (256 + 64 + 120) * 2**20
    alive(server)


# --- holding it: slow queries, bad lengths, idle connections -------------------------------------------

def test_slow_queries_do_not_lock_out_a_small_one(built):
    slow = "SELECT * WHERE { ?a a ?c . ?d ?e ?f . FILTER(STR(?c) = CONCAT(STR(?f), 'x')) }"
    with running(built / "graph.ttl", workers=2, share_after=1.0, timeout=60) as s:
        threads = [threading.Thread(target=query, args=(s, slow)) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        status, _, body = query(s, COUNT)
        waited = time.monotonic() - t0
        assert status == 200, body
        assert waited < 8, waited  # share-after (1 s) plus a worker's replacement, not the 60 s timeout
        s.endpoint.pool.timeout = 1  # let the slow ones end
        for t in threads:
            t.join(90)


def recv_all(c: socket.socket) -> str:
    chunks = []
    while chunk := c.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def test_content_length_is_validated(server):
    for value, status in (("-1", 400), ("abc", 400), ("1e3", 400), ("99999999999", 413), ("+5", 400)):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as c:
            c.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: "
                      f"application/sparql-query\r\nContent-Length: {value}\r\n\r\n".encode())
            t0 = time.monotonic()
            reply = recv_all(c)
            assert time.monotonic() - t0 < 5  # answered at once, no body awaited
        head, _, body = reply.partition("\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {status}"), (value, head)
        assert "Traceback" not in reply and len(body.strip().splitlines()) == 1
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as c:
        c.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nTransfer-Encoding: chunked\r\n\r\n"
                  .encode())
        assert c.recv(65536).startswith(b"HTTP/1.1 411")
    alive(server)


def test_idle_and_slow_connections_are_bounded(built):
    with running(built / "graph.ttl", workers=1, max_connections=20, request_seconds=1.5) as s:
        threads_before = threading.active_count()
        held = []
        for _ in range(60):  # three times the limit, each sending half a request line
            c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            c.sendall(b"GET /query?query=")
            held.append(c)
        assert threading.active_count() <= threads_before + 1  # no thread per connection
        assert len(s.endpoint.conns) <= 20
        t0 = time.monotonic()
        alive(s)  # room is made by closing the oldest half-sent request
        assert time.monotonic() - t0 < 3
        time.sleep(2.0)  # past the request deadline: the held ones were answered 408 or closed
        for c in held:
            c.settimeout(2)
            try:
                data = c.recv(1024)
            except (ConnectionResetError, TimeoutError):
                data = b""
            assert data == b"" or data.startswith(b"HTTP/1.1 408")
            c.close()
        assert len(s.endpoint.conns) == 0


# --- smaller -------------------------------------------------------------------------------------------

def test_errors_have_true_positions_and_no_class_names(server):
    status, _, body = query(server, "SELECT * WHERE { ?x ?y }")
    assert status == 400 and "1:25" in body, body  # line 1: no prefix lines were added in front
    for name in ("SyntaxError", "RuntimeError", "OSError", "Exception", "Traceback"):
        assert name not in body


def test_default_prefixes_as_in_ptkg_query(server):
    status, _, body = query(server, "SELECT ?n WHERE { ?e a schema:Event ; schema:name ?n } LIMIT 3")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
    # a query's own PREFIX still wins
    status, _, body = query(server, "PREFIX schema: <urn:none#> ASK { ?e a schema:Event }")
    assert status == 200 and json.loads(body)["boolean"] is False


def test_frames_and_csp(server):
    status, h, _ = request(server, "GET", "/sparql")
    assert status == 200
    csp = h["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
    status, h, _ = request(server, "GET", "/")
    assert status == 200 and "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["x-frame-options"] == "DENY"


def test_sparql_page_is_a_template_file(server):
    status, _, body = request(server, "GET", "/sparql")
    assert body.encode("utf-8") == (ROOT / "graph" / "templates" / "sparql.html").read_bytes()
    assert "<html" not in (ROOT / "graph" / "serve.py").read_text(encoding="utf-8")


def test_accept_wildcards(server):
    status, h, body = query(server, COUNT, accept="application/*")
    assert status == 200 and h["content-type"].startswith("application/sparql-results+json")
    json.loads(body)
    construct = "CONSTRUCT { ?e schema:name ?n } WHERE { ?e a schema:Event ; schema:name ?n } LIMIT 2"
    status, h, _ = query(server, construct, accept="application/*")
    assert status == 200 and h["content-type"].startswith(("application/n-triples", "application/rdf+xml",
                                                           "application/ld+json"))
    status, h, _ = query(server, COUNT, accept="text/*")
    assert status == 200 and h["content-type"].startswith(("text/csv", "text/tab-separated-values"))
    assert query(server, COUNT, accept="text/turtle")[0] == 406


# --- a crafted graph: control characters, quotes and tabs in literals ----------------------------------

HOSTILE = 'bell\x07 form\x0c "quoted"\ttabbed\\slash\nline'


@pytest.fixture(scope="module")
def crafted(built, tmp_path_factory) -> Path:
    """The seeds graph with one event's name replaced by text full of control characters (no store:
    so the in-memory fallback serves it too)."""
    import pyoxigraph as ox

    out = tmp_path_factory.mktemp("crafted")
    store = ox.Store()
    store.bulk_load(path=str(built / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    name = ox.NamedNode("https://schema.org/name")
    event = next(iter(store.query("SELECT ?e WHERE { ?e a <https://schema.org/Event> } ORDER BY ?e LIMIT 1")))["e"]
    for q in list(store.quads_for_pattern(event, name, None)):
        store.remove(q)
    store.add(ox.Quad(event, name, ox.Literal(HOSTILE), ox.DefaultGraph()))
    store.add(ox.Quad(event, ox.NamedNode("https://schema.org/alternateName"),
                      ox.Literal("中央\t会议", language="zh-Hans"), ox.DefaultGraph()))
    store.dump(str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    return out / "graph.ttl"


def test_xml_results_parse_with_control_characters(crafted):
    with running(crafted, workers=1) as s:
        status, _, body = query(s, "SELECT ?n WHERE { ?e schema:name ?n }", accept="application/sparql-results+xml")
        assert status == 200
        root = ET.fromstring(body.encode("utf-8"))  # raises on characters XML 1.0 does not allow
        ns = "{http://www.w3.org/2005/sparql-results#}"
        values = [lit.text for lit in root.iter(f"{ns}literal")]
        assert any(v and v.startswith("bell\ufffd form\ufffd") for v in values)


def test_tsv_follows_the_sparql_tsv_format(crafted):
    with running(crafted, workers=1) as s:
        q = ("SELECT ?n ?alt ?e WHERE { ?e schema:name ?n . OPTIONAL { ?e schema:alternateName ?alt } "
             "FILTER(STRSTARTS(?n, \"bell\")) }")
        status, _, body = query(s, q, accept="text/tab-separated-values")
        assert status == 200
        lines = body.split("\n")
        assert lines[0] == "?n\t?alt\t?e" and lines[2] == ""
        n, alt, e = lines[1].split("\t")
        # literals in Turtle form, escapes inside, never wrapped in CSV quotes; IRIs in <>
        assert n == '"bell\\u0007 form\\f \\"quoted\\"\\ttabbed\\\\slash\\nline"'
        assert alt == '"中央\\t会议"@zh-hans' and e.startswith("<https://") and e.endswith(">")
        status, _, body = query(s, "SELECT (COUNT(*) AS ?c) WHERE { ?e a schema:Event }",
                                accept="text/tab-separated-values")
        assert body.split("\n")[1].startswith('"') and body.split("\n")[1].endswith(
            "^^<http://www.w3.org/2001/XMLSchema#integer>")
