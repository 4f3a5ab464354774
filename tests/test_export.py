"""`ptkg export`: each format parses back with the tool it is meant for and holds the graph's events."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from conftest import run_ptkg

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = rdflib.Namespace("https://schema.org/")
PTK = rdflib.Namespace("https://w3id.org/ptkg/ns#")


ptkg = run_ptkg


@pytest.fixture(scope="module")
def graph(built) -> rdflib.Graph:
    return rdflib.Graph().parse(built / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def events(graph) -> dict[str, tuple[str, str, str]]:
    return {str(e): (str(graph.value(e, SCHEMA.name)), str(graph.value(e, PTK.notBefore)),
                     str(graph.value(e, PTK.notAfter))) for e in graph.subjects(rdflib.RDF.type, SCHEMA.Event)}


def export(built: Path, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"graph.{fmt}"
    r = ptkg("export", "--format", fmt, "--graph", str(built / "graph.ttl"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


def test_graphml(built, events, tmp_path):
    g = nx.read_graphml(export(built, "graphml", tmp_path))
    kinds = nx.get_node_attributes(g, "kind")
    assert {n for n, k in kinds.items() if k == "event"} == set(events)
    assert {"person", "organization", "phrase", "document"} <= set(kinds.values())
    for e, (name, nb, na) in events.items():
        assert g.nodes[e]["label"] == name and g.nodes[e]["notBefore"] == nb and g.nodes[e]["notAfter"] == na
    rels = {d["label"] for _, _, d in g.edges(data=True)}
    assert rels == {"speaker", "organizer", "about", "mentioned-in"}
    xi = next(n for n, d in g.nodes(data=True) if d.get("kind") == "person" and d["label"] == "习近平")
    assert any(g.edges[e, xi]["label"] == "speaker" for e in g.predecessors(xi))


def test_gexf_has_dates_for_the_timeline(built, events, tmp_path):
    path = export(built, "gexf", tmp_path)
    head = path.read_text(encoding="utf-8")[:2000]
    assert 'mode="dynamic"' in head and 'timeformat="date"' in head
    g = nx.read_gexf(path)
    for e, (name, nb, na) in events.items():
        assert g.nodes[e]["label"] == name
        assert g.nodes[e]["start"] == nb and g.nodes[e]["end"] == na
    assert g.number_of_edges() > len(events)


def test_jsonld_and_ntriples_are_the_same_graph(built, graph, tmp_path):
    for fmt, parser in (("jsonld", "json-ld"), ("nt", "nt")):
        back = rdflib.Graph().parse(export(built, fmt, tmp_path), format=parser)
        assert len(back) == len(graph), fmt
        # language tags may change case (BCP 47 is case-insensitive); everything else is identical
        assert set(back.subjects()) == set(graph.subjects()), fmt
        assert set(back.predicates()) == set(graph.predicates()), fmt
    nt = (tmp_path / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert nt == sorted(nt)


def test_csv_one_row_per_mention(built, graph, events, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(built, "csv", tmp_path).read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["event", "name", "kind", "notBefore", "notAfter", "precision", "file", "line",
                             "dateText", "quote"]
    mentions = {(str(e), str(m)) for e in events for m in graph.objects(rdflib.URIRef(e), PTK.mention)}
    assert len(rows) == len(mentions)
    first = [r for r in rows if r["name"] == "中央政治局常务委员会会议" and r["notBefore"] == "2020-05-14"]
    assert {r["file"] for r in first} >= {"000_1089c9cb576d39d7.txt", "001_90f59d14d9e5d893.txt"}
    assert all(r["line"].isdigit() and r["quote"] and r["kind"] for r in rows)
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    assert all(r["quote"] in seeds[r["file"]] for r in rows)


def test_stdout_and_missing_graph(built, tmp_path):
    r = ptkg("export", "--format", "csv", "--graph", str(built / "graph.ttl"))
    assert r.returncode == 0 and r.stdout.startswith("event,name,kind")
    r = ptkg("export", "--format", "nt", "--graph", str(tmp_path / "nothing.ttl"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
