"""The whole build on the seeds, through the command line: outputs, quality, stability, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
import seed_score
from conftest import run_ptkg

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold_seeds"  # copied from the shared eval set
PTK = rdflib.Namespace("https://w3id.org/ptkg/ns#")
SCHEMA = rdflib.Namespace("https://schema.org/")


ptkg = run_ptkg


@pytest.fixture(scope="module")
def graph(built) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(built / "graph.ttl")
    return g


def test_outputs_exist(built):
    assert (built / "graph.ttl").stat().st_size > 1000
    html = (built / "index.html").read_text(encoding="utf-8")
    assert "中央政治局常务委员会会议" in html


def test_summary_line_on_stderr(tmp_path):
    r = ptkg("build", "seeds", "-o", str(tmp_path))
    assert "5 of 5 files read" in r.stderr and "0 skipped" in r.stderr


def test_same_input_same_bytes(built, tmp_path):
    r = ptkg("build", "seeds", "-o", str(tmp_path), env={"PYTHONHASHSEED": "123"})
    assert r.returncode == 0
    assert (tmp_path / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()
    assert (tmp_path / "index.html").read_bytes() == (built / "index.html").read_bytes()


def test_events_have_contract_shape(graph):
    q = """
    PREFIX ptk: <https://w3id.org/ptkg/ns#>
    PREFIX schema: <https://schema.org/>
    SELECT ?name ?nb ?na ?p ?file ?line ?dt ?quote WHERE {
      ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na ; ptk:precision ?p ;
         ptk:mention ?m .
      ?m ptk:sourceFile ?file ; ptk:line ?line ; ptk:dateText ?dt ; ptk:quote ?quote ; ptk:document ?doc .
      ?doc a schema:CreativeWork .
    }"""
    rows = list(graph.query(q))
    assert len(rows) >= 20
    for r in rows:
        assert str(r.nb) <= str(r.na)
        assert str(r.p) in {"day", "part-of-month", "month", "season", "year", "period"}


def test_mentions_point_at_raw_lines(graph):
    """ptk:line is the raw line where the date text starts, and the date text is as written there."""
    lines_of = {p.name: p.read_text(encoding="utf-8").split("\n") for p in (ROOT / "seeds").glob("*.txt")}
    q = "PREFIX ptk: <https://w3id.org/ptkg/ns#> SELECT ?f ?l ?dt ?q WHERE { ?m a ptk:Mention ; ptk:sourceFile ?f ;" \
        " ptk:line ?l ; ptk:dateText ?dt ; ptk:quote ?q }"
    rows = list(graph.query(q))
    assert rows
    for r in rows:
        raw = "\n".join(lines_of[str(r.f)][int(r.l) - 1:])
        assert raw.startswith(str(r.dt)) or str(r.dt).split()[0] in lines_of[str(r.f)][int(r.l) - 1], (r.f, r.l, r.dt)
        assert str(r.q) in "\n".join(lines_of[str(r.f)]), "quote must be the file as written"


def test_key_events_of_the_seeds(graph):
    q = """
    PREFIX ptk: <https://w3id.org/ptkg/ns#>
    PREFIX schema: <https://schema.org/>
    SELECT ?name ?nb ?na (COUNT(DISTINCT ?f) AS ?files) WHERE {
      ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na ; ptk:mention/ptk:sourceFile ?f .
    } GROUP BY ?name ?nb ?na"""
    events = {(str(r.name), str(r.nb)): int(r.files) for r in graph.query(q)}
    # 2020-05-14 Politburo Standing Committee: stated in three seeds (000 doubled, 001 table, 002 Traditional)
    assert events[("中央政治局常务委员会会议", "2020-05-14")] == 3
    assert events[("中央财经委员会第八次会议", "2020-09-01")] == 1
    assert ("十九届五中全会", "2020-10-01") not in events  # no date for it in the text


def test_speakers_and_phrases_have_provenance(graph):
    """Every speaker and phrase on an event is stated by one of its mentions."""
    q = """
    PREFIX ptk: <https://w3id.org/ptkg/ns#>
    PREFIX schema: <https://schema.org/>
    SELECT ?e ?x WHERE {
      { ?e a schema:Event ; ptk:speaker ?x } UNION { ?e a schema:Event ; schema:about ?x }
      FILTER NOT EXISTS { ?e ptk:mention ?m . { ?m ptk:speaker ?x } UNION { ?m schema:about ?x } }
    }"""
    assert list(graph.query(q)) == []


def test_seed_score_floor(built):
    """The seeds against their gold (copied into tests/data), scored by tests/seed_score.py."""
    score = seed_score.score(built / "graph.ttl", GOLD)
    assert score["f1"] >= 0.95 and score["precision"] >= 0.9, score
    assert score["date_exact"] >= 0.9 and score["speakers"] >= 0.9, score


def test_seed_scorer_sees_damage(built, tmp_path):
    """The scorer is no rubber stamp: the seeds' graph with every event date moved by a century scores nothing."""
    g = rdflib.Graph()
    g.parse(built / "graph.ttl")
    for s, p, o in list(g.triples((None, None, None))):
        if p in (PTK.notBefore, PTK.notAfter):
            g.remove((s, p, o))
            g.add((s, p, rdflib.Literal("1" + str(o)[1:], datatype=o.datatype)))
    g.serialize(tmp_path / "moved.ttl", format="turtle")
    assert seed_score.score(tmp_path / "moved.ttl", GOLD)["tp"] == 0


def test_bad_file_costs_one_line_not_the_build(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text((ROOT / "seeds" / "001_90f59d14d9e5d893.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    (inp / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inp / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    r = ptkg("build", str(inp), "-o", str(out))
    assert r.returncode != 0
    bad = [ln for ln in r.stderr.splitlines() if ln.startswith(("binary.txt", "empty.txt"))]
    assert len(bad) == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "2 skipped" in r.stderr
    assert "中央政治局会议" in (out / "graph.ttl").read_text(encoding="utf-8")


def test_nothing_readable_is_an_error(tmp_path):
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    r = ptkg("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert r.returncode != 0 and "nothing was built" in r.stderr


def test_timex_one_json_line_per_input_line():
    r = ptkg("timex", "--base", "2020-08-17", stdin="5 月 14日政\n\n今年 5月份以來，「雙循環」\n")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 3
    assert out[0][0]["text"] == "5 月 14日" and out[0][0]["not_before"] == "2020-05-14"
    assert out[1] == []
    assert out[2][0]["not_before"] == "2020-05-01" and out[2][0]["not_after"] == "2020-08-17"


def test_timex_bad_base():
    r = ptkg("timex", "--base", "yesterday", stdin="5月\n")
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1


def test_analyst_question_first_said(built):
    r = ptkg("query", "queries/first-said.rq", "--graph", str(built / "graph.ttl"), "--format", "json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    # the seeds say the Politburo Standing Committee meeting of 2020-05-14 "首次提出" the formulation
    assert row["notBefore"] == row["notAfter"] == "2020-05-14"
    assert row["occasion"] == "中央政治局常务委员会会议"
    assert int(row["repeatedIn"]) >= 3


def test_build_prints_summary(tmp_path):
    r = ptkg("build", "seeds", "-o", str(tmp_path))
    assert "documents," in r.stderr and "first 双循环: 2020-05-14" in r.stderr


def test_phrases_have_traditional_alt_labels(graph):
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?pref WHERE { ?c skos:altLabel ?t ; skos:prefLabel ?pref .
      FILTER(STR(?t) = "國內國際雙循環" && langMatches(LANG(?pref), "zh-Hans")) }"""
    assert [str(r.pref) for r in graph.query(q)] == ["双循环"]


def test_long_inline_query(built):
    q = "SELECT ?n WHERE { ?e a schema:Event ; schema:name ?n . " + " ".join(
        f"OPTIONAL {{ ?e schema:about ?c{i} }}" for i in range(12)) + " } LIMIT 1"
    assert len(q.encode()) > 255  # longer than a file name may be
    r = ptkg("query", q, "--graph", str(built / "graph.ttl"), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "n"
