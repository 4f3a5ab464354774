"""The SPARQL 1.1 Protocol endpoint, over real HTTP on a free loopback port."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.serve import make_server

ROOT = Path(__file__).resolve().parent.parent
Q = ("PREFIX ptk: <https://w3id.org/ptkg/ns#> PREFIX schema: <https://schema.org/> "
     "SELECT ?name ?nb WHERE { ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb } ORDER BY ?nb")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    out = tmp_path_factory.mktemp("serve")
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    server = make_server(out / "graph.ttl", "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


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
    assert status == 200 and "textContent" in body and "http" not in body.split("<script>")[1].replace(
        "https://w3id.org", "")
