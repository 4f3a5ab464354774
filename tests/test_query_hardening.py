"""Issue 16 against ``ptkg query``, ``ptkg export`` and ``--push``: crafted queries, output folders and
files, each through the real command line; every failure is one line on stderr."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from conftest import listener, run_ptkg

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EVENTS = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a schema:Event }"


def count(graph: Path, q: str = COUNT) -> int:
    r = run_ptkg("query", q, "--graph", str(graph), "--format", "csv")
    assert r.returncode == 0, r.stderr
    return int(r.stdout.splitlines()[1])


def one_line(r) -> str:  # noqa: ANN001
    assert r.returncode != 0 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for name in ("Traceback", "SyntaxError", "RuntimeError", "OSError", "QueryError", "MemoryError"):
        assert name not in lines[0]
    return lines[0]


# --- wrong output: store missing or stale -----------------------------------------------------------

def test_right_answers_without_a_usable_store(built, tmp_path):
    truth = count(built / "graph.ttl")
    assert truth > 1000
    # cp -r output backup: new times, same files
    backup = tmp_path / "backup"
    shutil.copytree(built, backup, symlinks=True)
    assert count(backup / "graph.ttl") == truth
    # a killed build or a full disk: no store at all
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(built / "graph.ttl", bare / "graph.ttl")
    assert count(bare / "graph.ttl") == truth
    # a stale store: graph.ttl changed after the store was written
    stale = tmp_path / "stale"
    shutil.copytree(built, stale, symlinks=True)
    with open(stale / "graph.ttl", "a", encoding="utf-8") as f:
        f.write('\n<urn:x:a> <urn:x:b> "added after the store" .\n')
    r = run_ptkg("query", COUNT, "--graph", str(stale / "graph.ttl"), "--format", "csv")
    assert r.returncode == 0 and int(r.stdout.splitlines()[1]) == truth + 1
    assert "store" in r.stderr and len(r.stderr.strip().splitlines()) == 1  # said, once


# --- the query argument ---------------------------------------------------------------------------------

def test_inline_query_ending_in_rq_is_a_query(built):
    r = run_ptkg("query", EVENTS + " # like queries/first-mention.rq", "--graph", str(built / "graph.ttl"),
                 "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.splitlines()[1]) > 5


def test_a_fifo_named_rq_does_not_hang(built, tmp_path):
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    r = run_ptkg("query", str(fifo), "--graph", str(built / "graph.ttl"), timeout=30)
    assert time.monotonic() - t0 < 20
    assert "q.rq" in one_line(r) and "regular file" in r.stderr


# --- SSRF, crashes, memory --------------------------------------------------------------------------

def test_service_refused_unless_allowed(built):
    with listener() as (port, hits):
        q = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?x ?y ?z }} }}"
        line = one_line(run_ptkg("query", q, "--graph", str(built / "graph.ttl")))
        assert "SERVICE" in line and "--allow-service" in line and hits == []
        r = run_ptkg("query", q, "--graph", str(built / "graph.ttl"), "--allow-service",
                     f"127.0.0.1:{port}", "--format", "csv")
        assert r.returncode == 0 and "leaked" in r.stdout and hits


def test_an_allowed_service_that_never_answers_is_stopped_at_the_timeout(built):
    """The SSRF finding's "no timeout": a host let in with --allow-service that accepts and never answers
    holds the query only until --timeout, whose worker is then killed."""
    import socket
    import threading

    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(4)
        port = srv.getsockname()[1]
        held: list = []
        threading.Thread(target=lambda: held.append(srv.accept()), daemon=True).start()
        q = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?x ?y ?z }} }}"
        t0 = time.monotonic()
        r = run_ptkg("query", q, "--graph", str(built / "graph.ttl"), "--allow-service", f"127.0.0.1:{port}",
                     "--timeout", "2", timeout=60)
        took = time.monotonic() - t0
        assert held, "the SERVICE request never reached the host"
        assert r.returncode == 2 and "over 2 s" in one_line(r), r.stderr
        assert took < 15, took


@pytest.mark.parametrize("q", [
    "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 8000) + " }",
], ids=["parens", "unions"])
def test_deep_queries_are_one_line_not_a_crash(built, tmp_path, q):
    f = tmp_path / "deep.rq"
    f.write_text(q, encoding="utf-8")
    r = run_ptkg("query", str(f), "--graph", str(built / "graph.ttl"), timeout=60)
    assert r.returncode == 2 and "refused" in one_line(r)


def test_memory_and_time_limits_hold(built):
    cross = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
    t0 = time.monotonic()
    r = run_ptkg("query", cross, "--graph", str(built / "graph.ttl"), "--max-memory", "200", timeout=120)
    assert "more than 200 MB of memory" in one_line(r)
    assert time.monotonic() - t0 < 60
    t0 = time.monotonic()
    r = run_ptkg("query", cross, "--graph", str(built / "graph.ttl"), "--timeout", "1", timeout=60)
    assert "over 1 s" in one_line(r)
    assert time.monotonic() - t0 < 10


def test_error_position_is_the_users(built):
    line = one_line(run_ptkg("query", "SELECT * WHERE { ?x ?y }", "--graph", str(built / "graph.ttl")))
    assert "1:25" in line, line  # the prefixes are given to the parser, not pasted in front


# --- exports: control characters, formulas ------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_graph(built, tmp_path_factory) -> Path:
    """The seeds graph with control characters in an event name and formulas opening quotes."""
    import pyoxigraph as ox

    out = tmp_path_factory.mktemp("hostile")
    store = ox.Store()
    store.bulk_load(path=str(built / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    ptk = "https://w3id.org/ptkg/ns#"
    event = next(iter(store.query("SELECT ?e WHERE { ?e a <https://schema.org/Event> } ORDER BY ?e LIMIT 1")))["e"]
    name = ox.NamedNode("https://schema.org/name")
    for q in list(store.quads_for_pattern(event, name, None)):
        store.remove(q)
    store.add(ox.Quad(event, name, ox.Literal("=HYPERLINK(\"http://evil\")\x01\x0b"), ox.DefaultGraph()))
    quote = ox.NamedNode(ptk + "quote")
    for i, q in enumerate(sorted(store.quads_for_pattern(None, quote, None), key=str)):
        store.remove(q)
        store.add(ox.Quad(q.subject, quote, ox.Literal("+-@="[i % 4] + "cmd|' /C calc'!A0 " + q.object.value),
                          ox.DefaultGraph()))
    store.dump(str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    return out / "graph.ttl"


def export(graph: Path, fmt: str, tmp: Path) -> Path:
    out = tmp / f"x.{fmt}"
    r = run_ptkg("export", "--format", fmt, "--graph", str(graph), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_stay_xml(hostile_graph, tmp_path, fmt, reader):
    path = export(hostile_graph, fmt, tmp_path)
    ET.parse(path)  # a strict XML 1.0 parser
    g = reader(path)
    labels = [d.get("label", "") for _, d in g.nodes(data=True)]
    assert any(lab.startswith('=HYPERLINK("http://evil")\ufffd\ufffd') for lab in labels)


def test_csv_cells_cannot_be_formulas(hostile_graph, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(hostile_graph, "csv", tmp_path).read_text(encoding="utf-8"))))
    assert rows
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), v
    assert any(r["name"].startswith("'=HYPERLINK") for r in rows)
    assert {r["quote"][:2] for r in rows} >= {"'+", "'-", "'@", "'="}


# --- --push prints no password -----------------------------------------------------------------------

def test_push_error_hides_the_password(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    with __import__("socket").socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    r = run_ptkg("build", str(seeds), "-o", str(out), "--push", f"http://admin:hunter2-secret@127.0.0.1:{port}/ds")
    assert r.returncode == 1
    assert "hunter2" not in r.stderr and "hunter2" not in r.stdout
    assert "admin:***@127.0.0.1" in r.stderr


def test_table_text_is_cleaned_line_by_line_in_one_pass() -> None:
    """``ptkg query``'s table goes through clean_lines in one pass: every line reads as clean() makes it, the line
    feeds are kept, and a carriage return, vertical tab or bidi override inside a cell is shown as an escape."""
    from ptkg.terminal import clean, clean_lines

    text = "file | title\n20200101_01.txt | 双\u202e循环\rx\x0by\x1b[2J\n\n(2 rows)\n\ud800\x85\t"
    assert clean_lines(text) == "\n".join(clean(line) for line in text.split("\n"))
    assert clean_lines(text).count("\n") == text.count("\n")
    assert "\\u202e" in clean_lines(text) and "\\x0d" in clean_lines(text) and "\\x0b" in clean_lines(text)
    assert "\t" in clean_lines(text)
