"""The SPARQL 1.1 Protocol endpoint, over real HTTP on a free loopback port: negotiation, the on-disk
store opened read-only, and the safety bounds (no updates, time limit, result caps, 400 on bad syntax)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from ptkg.graph.serve import RunningServer

ROOT = Path(__file__).resolve().parent.parent
Q = ("PREFIX ptk: <https://w3id.org/ptkg/ns#> PREFIX schema: <https://schema.org/> "
     "SELECT ?name ?nb WHERE { ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb } ORDER BY ?nb")


@contextlib.contextmanager
def running(graph: Path, **kw):
    server = RunningServer(graph, "127.0.0.1", 0, **kw)
    try:
        yield server, server.url
    finally:
        server.close()


@pytest.fixture(scope="module")
def endpoint(built):
    with running(built / "graph.ttl") as (_, url):
        yield url


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def test_get_json(endpoint):
    status, ctype, body = fetch(f"{endpoint}/query?query={urllib.parse.quote(Q)}",
                                headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert any(r["name"]["value"] == "中央政治局常务委员会会议" for r in rows)
    assert [r["nb"]["value"] for r in rows] == sorted(r["nb"]["value"] for r in rows)


def test_post_csv_and_xml(endpoint):
    status, ctype, body = fetch(f"{endpoint}/query", Q.encode(), {"Content-Type": "application/sparql-query",
                                                                  "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0] == ["name", "nb"] and len(table) > 10
    status, ctype, body = fetch(f"{endpoint}/query", urllib.parse.urlencode({"query": Q}).encode(),
                                {"Accept": "application/sparql-results+xml"})
    assert status == 200 and "<sparql" in body


def test_construct_is_turtle(endpoint):
    q = ("CONSTRUCT { ?e <https://schema.org/name> ?n } "
         "WHERE { ?e a <https://schema.org/Event> ; <https://schema.org/name> ?n }")
    status, ctype, body = fetch(f"{endpoint}/query?query={urllib.parse.quote(q)}", headers={"Accept": "text/turtle"})
    assert status == 200 and ctype.startswith("text/turtle") and "中央政治局会议" in body


def test_syntax_error_is_400(endpoint):
    status, _, body = fetch(f"{endpoint}/query?query={urllib.parse.quote('SELECT WHERE {')}")
    assert status == 400 and "syntax" in body.lower()


def test_update_refused(endpoint):
    status, _, _ = fetch(f"{endpoint}/query", b"INSERT DATA { <a:a> <a:b> <a:c> }",
                         {"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, _ = fetch(f"{endpoint}/query", urllib.parse.urlencode({"update": "CLEAR ALL"}).encode())
    assert status == 403


def test_page_and_form(endpoint):
    status, ctype, body = fetch(f"{endpoint}/")
    assert status == 200 and "text/html" in ctype and "ptkg" in body
    status, _, body = fetch(f"{endpoint}/sparql")
    assert status == 200 and '<script src="/sparql.js"' in body and "<script>" not in body
    status, ctype, js = fetch(f"{endpoint}/sparql.js")
    assert status == 200 and "javascript" in ctype and "textContent" in js and "innerHTML" not in js
    assert "http" not in js  # nothing fetched from elsewhere


def test_sparqlwrapper_client(endpoint):
    """A standard SPARQL client library talks to it as to any endpoint."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery(Q)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert any(r["name"]["value"] == "中央政治局会议" for r in rows)
    client.setMethod(POST)
    client.setQuery("ASK { ?s a <https://schema.org/Event> }")
    assert client.queryAndConvert()["boolean"] is True


def test_tsv_and_not_acceptable(endpoint):
    status, ctype, body = fetch(f"{endpoint}/query?query={urllib.parse.quote(Q)}",
                                headers={"Accept": "text/tab-separated-values"})
    assert status == 200 and body.startswith("?name\t?nb")
    status, _, _ = fetch(f"{endpoint}/query?query={urllib.parse.quote(Q)}", headers={"Accept": "image/png"})
    assert status == 406


def test_syntax_error_carries_the_parser_message(endpoint):
    status, _, body = fetch(f"{endpoint}/query", b"SELECT ?x WHERE { ?x ?y }",
                            {"Content-Type": "application/sparql-query"})
    assert status == 400 and len(body.strip().splitlines()) == 1
    assert "1:" in body or "expected" in body.lower(), body  # the parser's position or expectation


def test_on_disk_store_is_opened_read_only(built):
    assert (built / "store").is_dir()
    with running(built / "graph.ttl") as (server, url):
        assert server.endpoint.pool.source.store == str((built / "store").resolve())
        import pyoxigraph as ox

        store = ox.Store.read_only(server.endpoint.pool.source.store)  # as the workers open it
        with pytest.raises((OSError, RuntimeError), match="read"):
            store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        status, _, body = fetch(f"{url}/query?query={urllib.parse.quote('SELECT (COUNT(*) AS ?n) {?s ?p ?o}')}",
                                headers={"Accept": "text/csv"})
        assert status == 200 and int(body.splitlines()[1]) > 1000


def test_slow_query_is_abandoned_with_503(built):
    slow = ("SELECT * WHERE { ?a a ?c . ?d ?e ?f . FILTER(STR(?c) = CONCAT(STR(?f), 'x')) }")
    with running(built / "graph.ttl", timeout=0.2, workers=1) as (server, url):
        before = server.endpoint.pool.active_pids()
        t0 = time.monotonic()
        status, _, body = fetch(f"{url}/query?query={urllib.parse.quote(slow)}")
        assert status == 503 and "was stopped" in body and len(body.strip().splitlines()) == 1
        assert time.monotonic() - t0 < 1.0
        for pid in before:  # the query no longer runs anywhere: its worker is gone
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        status, _, _ = fetch(f"{url}/query?query={urllib.parse.quote(Q)}")  # the server still answers
        assert status == 200


def test_result_size_caps(built):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    with running(built / "graph.ttl", max_rows=10, max_triples=10) as (_, url):
        status, _, body = fetch(f"{url}/query?query={urllib.parse.quote(Q)}")
        assert status == 400 and "more than 10 rows" in body
        status, _, body = fetch(f"{url}/query?query={urllib.parse.quote(construct)}", headers={"Accept": "text/turtle"})
        assert status == 400 and "more than 10 triples" in body
        status, _, _ = fetch(f"{url}/query?query={urllib.parse.quote(Q + ' LIMIT 5')}")
        assert status == 200


def test_cli_serve_binds_loopback_on_a_free_port(built):
    """`ptkg serve --port 0`: the real command, on a port the OS picks, stopped by the test."""
    proc = subprocess.Popen([sys.executable, "-m", "ptkg.cli", "serve", "--graph", str(built / "graph.ttl"),
                             "--port", "0"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "http://127.0.0.1:" in line, line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        status, ctype, body = fetch(f"http://127.0.0.1:{port}/query?query={urllib.parse.quote(Q)}",
                                    headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and json.loads(body)["results"]["bindings"]
        status, _, _ = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
