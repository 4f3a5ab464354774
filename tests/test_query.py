"""The saved queries in ``queries/`` and the ``ptkg query`` door of CONTRACT §1, on a seeds build.

Expected results are checked as properties recomputed from the graph (order, minima, sums) and
against the raw seed files (the line a mention points at really holds its date text), not as copied
output: the extractors improve, and a copied table would fail for the wrong reason or pass a wrong one.
Everything runs through the real command line, since that is what the README's commands do.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
SEEDS = ROOT / "seeds"
SAVED = ["speaker-events.rq", "phrase-sources.rq", "first-mention.rq", "events-by-month.rq", "document-events.rq",
         "first-said.rq"]


@pytest.fixture(scope="session")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("query-build")
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PYTHONHASHSEED="3"))
    assert r.returncode == 0, r.stderr
    return out / "graph.ttl"


def ptkg_query(query: str, graph: Path, fmt: str = "json") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ptkg.cli", "query", query, "--graph", str(graph), "--format", fmt],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def rows(query: str, graph: Path) -> list[dict[str, str]]:
    """Run a query (text or .rq path) through the CLI and return its JSON rows."""
    r = ptkg_query(query, graph)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return json.loads(r.stdout)


def with_values(name: str, tmp: Path, old: str, new: str) -> Path:
    """A copy of a saved query with its VALUES line edited, the way the header tells users to: the one VALUES line
    holding the default (a phrase query has a second one, of language tags, that is not a parameter)."""
    text = (QUERIES / name).read_text(encoding="utf-8")
    values = [ln for ln in text.splitlines() if ln.strip().startswith("VALUES") and f'"{old}"' in ln]
    assert len(values) == 1
    p = tmp / name
    p.write_text(text.replace(values[0], values[0].replace(f'"{old}"', f'"{new}"')), encoding="utf-8")
    return p


def raw_lines(file: str) -> list[str]:
    return (SEEDS / file).read_text(encoding="utf-8").split("\n")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("name", SAVED)
def test_saved_query_is_documented(name: str) -> None:
    text = (QUERIES / name).read_text(encoding="utf-8")
    head = []
    for ln in text.splitlines():
        if not ln.startswith("#"):
            break
        head.append(ln)
    assert len(head) >= 2, "a saved query starts with # lines saying what it answers"
    assert any("ptkg query queries/" + name in ln for ln in head), "and an example command"
    assert name in (QUERIES / "README.md").read_text(encoding="utf-8")


def test_every_query_file_is_tested() -> None:
    assert sorted(p.name for p in QUERIES.glob("*.rq")) == sorted(SAVED)


@pytest.mark.parametrize("name", SAVED)
def test_saved_query_runs_in_every_format(name: str, graph_file: Path) -> None:
    path = str(Path("queries") / name)  # relative, as in the README's commands (cwd = repo root)
    data = rows(path, graph_file)
    assert data, f"{name} returns no rows on the seeds"
    r = ptkg_query(path, graph_file, "csv")
    assert r.returncode == 0, r.stderr
    table = list(csv.reader(io.StringIO(r.stdout)))
    assert table[0] == list(data[0].keys())
    assert [dict(zip(table[0], t, strict=True)) for t in table[1:]] == data
    r = ptkg_query(path, graph_file, "table")
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith(f"({len(data)} rows)")


def test_speaker_events(graph_file: Path, tmp_path: Path) -> None:
    data = rows("queries/speaker-events.rq", graph_file)
    assert data and {r["speaker"] for r in data} == {"习近平"}
    starts = [r["notBefore"] for r in data]
    assert starts == sorted(starts)
    for r in data:
        assert r["notBefore"] <= r["notAfter"]
        assert r["kind"] in {"Meeting", "Speech", "Forum", "Publication", "Signing", "Visit", "Proposal",
                             "Accession", "Event"}
    independent = rows('SELECT DISTINCT ?e WHERE { ?e a schema:Event ; ptk:speaker/schema:name "习近平" }', graph_file)
    assert sorted(r["event"] for r in data) == sorted(r["e"] for r in independent)
    # the VALUES line is the one thing a user edits
    assert rows(str(with_values("speaker-events.rq", tmp_path, "习近平", "无此人")), graph_file) == []


def test_phrase_sources_point_at_the_text(graph_file: Path, tmp_path: Path) -> None:
    data = rows("queries/phrase-sources.rq", graph_file)
    assert data and {r["phrase"] for r in data} == {"双循环"}
    for r in data:
        lines = raw_lines(r["file"])
        n = int(r["line"])
        assert 1 <= n <= len(lines)
        first_run = r["dateText"].split()[0]
        assert first_run in lines[n - 1], (r["file"], n, r["dateText"], lines[n - 1])
        # the quote is the sentence around that line, as written (line breaks of the raw file aside)
        window = squash("".join(lines[max(0, n - 30): n + 30]))
        assert squash(r["quote"]) in window, (r["file"], n, r["quote"])
    assert any(r["statesPhrase"] == "true" for r in data)
    about = rows("SELECT DISTINCT ?e WHERE { ?e a schema:Event ; schema:about/skos:prefLabel \"双循环\"@zh-Hans }",
                 graph_file)
    assert {r["event"] for r in data} == {r["e"] for r in about}
    # an altLabel finds the same concept, so the same rows
    alt = with_values("phrase-sources.rq", tmp_path, "双循环", "国内国际双循环")
    assert rows(str(alt), graph_file) == data


#: the phrase queries look a phrase up as each tagged literal of this line (so that Oxigraph starts from the label)
_LANG_LINE = re.compile(r'^\s*VALUES \?lang \{((?:\s*"[a-z-]+")+)\s*\}', re.M)


def _looked_up_tags(name: str) -> set[str]:
    m = _LANG_LINE.search((QUERIES / name).read_text(encoding="utf-8"))
    assert m, f"{name} has no VALUES ?lang line"
    return set(re.findall(r'"([a-z-]+)"', m.group(1)))


@pytest.mark.parametrize("name", ["phrase-sources.rq", "first-said.rq"])
def test_phrase_lookup_covers_every_label_language(name: str, graph_file: Path) -> None:
    # a label in a language the query does not look up would be missed, where the old FILTER(STR(?l) = ...) found it:
    # every tag of the seeds graph and of the lexicon must be on the line (Oxigraph writes tags in lower case)
    import rdflib
    from rdflib.namespace import SKOS

    tags = _looked_up_tags(name)
    in_graph = rows("SELECT DISTINCT ?t WHERE { ?c skos:prefLabel|skos:altLabel ?l BIND(LANG(?l) AS ?t) }", graph_file)
    assert {r["t"] for r in in_graph} <= tags
    lexicon = rdflib.Graph().parse(ROOT / "extractors" / "data" / "phrases.ttl")
    labels = [o for p in (SKOS.prefLabel, SKOS.altLabel) for o in lexicon.objects(None, p)]
    assert labels and {(o.language or "").lower() for o in labels} <= tags
    assert {"zh-hans", "zh-hant", "en"} <= tags  # the build writes zh-Hans and zh-Hant forms, the scheme has en


def _filter_form(query: Path) -> Path:
    """The query as it was before issue 15: the label compared as a string in a FILTER (slow on a large store,
    but it matches any tag), for checking that the tagged lookup answers the same."""
    lines = query.read_text(encoding="utf-8").splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.strip().startswith("VALUES ?lang"))
    phrase = re.search(r"STRLANG\(STR\((\?\w+)\)", lines[i + 1]).group(1)
    label = re.search(r"AS (\?\w+)\)", lines[i + 1]).group(1)
    del lines[i: i + 2]
    j = next(k for k, ln in enumerate(lines) if label + " ." in ln or label + " }" in ln)
    lines.insert(j + 1, f"  FILTER (STR({label}) = STR({phrase}))")
    p = query.with_name("filter-" + query.name)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("phrase", ["双循环", "国内国际双循环", "雙循環", "dual circulation", "瘦身", "无此词"])
def test_phrase_sources_finds_what_the_string_filter_found(phrase: str, graph_file: Path, tmp_path: Path) -> None:
    # the Simplified prefLabel, an altLabel, the Traditional altLabel, the English prefLabel, a keyword candidate's
    # label, and no label at all: the tagged lookup gives the very rows of the string comparison it replaced
    edited = with_values("phrase-sources.rq", tmp_path, "双循环", phrase)
    fast, slow = rows(str(edited), graph_file), rows(str(_filter_form(edited)), graph_file)
    assert fast == slow
    assert bool(fast) == (phrase != "无此词")
    if phrase in ("国内国际双循环", "雙循環", "dual circulation"):
        assert fast == rows("queries/phrase-sources.rq", graph_file)  # the same concept, so the same rows


@pytest.mark.parametrize("phrase", ["国内国际双循环", "雙循環", "dual circulation"])
def test_first_said_finds_the_phrase_by_any_label(phrase: str, graph_file: Path, tmp_path: Path) -> None:
    (default,) = rows("queries/first-said.rq", graph_file)
    edited = with_values("first-said.rq", tmp_path, "双循环", phrase)
    fast = rows(str(edited), graph_file)
    assert fast == rows(str(_filter_form(edited)), graph_file)
    (row,) = fast
    assert row["phrase"] == phrase and {**row, "phrase": "双循环"} == default


def test_first_mention_is_the_earliest(graph_file: Path) -> None:
    data = rows("queries/first-mention.rq", graph_file)
    dated = rows("SELECT ?phrase ?nb WHERE { ?e a schema:Event ; schema:about/skos:prefLabel ?phrase ; "
                 "ptk:notBefore ?nb FILTER(!LANGMATCHES(LANG(?phrase), 'en')) }", graph_file)
    earliest: dict[str, str] = {}
    for r in dated:
        earliest[r["phrase"]] = min(earliest.get(r["phrase"], r["nb"]), r["nb"])
    by_phrase: dict[str, set[str]] = defaultdict(set)
    for r in data:
        by_phrase[r["phrase"]].add(r["first"])
        assert 1 <= int(r["line"]) <= len(raw_lines(r["file"]))
    assert set(by_phrase) == set(earliest)
    assert all(len(d) == 1 for d in by_phrase.values()), "rows of one phrase share its first date"
    assert {p: next(iter(d)) for p, d in by_phrase.items()} == earliest
    # the Politburo Standing Committee meeting of 2020-05-14 is about 双循环, so the first is no later
    assert any(r["phrase"] == "双循环" and r["nb"] == "2020-05-14" for r in dated)
    assert earliest["双循环"] <= "2020-05-14"


def test_events_by_month(graph_file: Path) -> None:
    data = rows("queries/events-by-month.rq", graph_file)
    months = [r["month"] for r in data]
    assert months == sorted(set(months))
    assert all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months)
    events = rows("SELECT ?e ?nb ?na WHERE { ?e a schema:Event ; ptk:notBefore ?nb ; ptk:notAfter ?na }", graph_file)
    expected: dict[str, int] = defaultdict(int)
    for e in events:
        if e["nb"][:7] == e["na"][:7]:
            expected[e["nb"][:7]] += 1
    assert {r["month"]: int(r["events"]) for r in data} == expected


def test_document_events(graph_file: Path) -> None:
    data = rows("queries/document-events.rq", graph_file)
    docs = rows("SELECT ?d WHERE { ?d a schema:CreativeWork }", graph_file)
    assert sorted(r["doc"] for r in data) == sorted(r["d"] for r in docs)
    for r in data:
        assert (SEEDS / r["file"]).is_file()
        for k in ("date", "referenceDate"):
            assert r[k] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[k])
        assert int(r["events"]) <= int(r["mentions"])
    mentions = rows("SELECT (COUNT(?m) AS ?n) WHERE { ?m a ptk:Mention }", graph_file)
    assert sum(int(r["mentions"]) for r in data) == int(mentions[0]["n"])
    assert any(r["date"] for r in data)


def one_line_failure(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_syntax_error_is_one_line(graph_file: Path) -> None:
    line = one_line_failure(ptkg_query("SELECT WHERE {", graph_file))
    assert "SPARQL" in line


def test_missing_graph_is_one_line(tmp_path: Path) -> None:
    line = one_line_failure(ptkg_query("SELECT * WHERE { ?s ?p ?o }", tmp_path / "nothing.ttl"))
    assert "nothing.ttl" in line


def test_missing_query_file_is_one_line(graph_file: Path, tmp_path: Path) -> None:
    line = one_line_failure(ptkg_query(str(tmp_path / "absent.rq"), graph_file))
    assert "absent.rq" in line


#: "first" ordered over every attribution of the graph that dates its phrase (what first-said.rq computed before the
#: build wrote the answer; graph/summary.py dates_phrase: cited and origin statements always, a report when its
#: mention is dated within 10 days or is a window of fewer than 32 days ending on its document's date), else over all
_FIRST_BY_ORDERING = """
SELECT ?c (COALESCE(?dated, ?all) AS ?key)
WHERE {
  { SELECT ?c (MIN(CONCAT(STR(?na), "|", STR(?nb), "|", STR(?e))) AS ?all)
    WHERE { ?e a schema:Event ; ptk:attribution/schema:about ?c ; ptk:notBefore ?nb ; ptk:notAfter ?na }
    GROUP BY ?c }
  OPTIONAL {
    SELECT ?c (MIN(CONCAT(STR(?na), "|", STR(?nb), "|", STR(?e))) AS ?dated)
    WHERE {
      ?e a schema:Event ; ptk:attribution ?a ; ptk:notBefore ?nb ; ptk:notAfter ?na .
      ?a schema:about ?c ; ptk:evidenceKind ?how ; ptk:attributedIn ?m .
      ?m ptk:notBefore ?mnb ; ptk:notAfter ?mna ; ptk:document ?d .
      OPTIONAL { ?d schema:dateCreated ?created } OPTIONAL { ?d ptk:referenceDate ?ref }
      BIND (COALESCE(?created, ?ref) AS ?day)
      FILTER (?how IN ("cited", "origin") || ?mna - ?mnb < "P10D"^^xsd:dayTimeDuration
              || (?mna - ?mnb < "P32D"^^xsd:dayTimeDuration && BOUND(?day) && ?mna >= ?day))
    }
    GROUP BY ?c }
}
"""


def test_first_said_written_by_the_build_is_the_ordering_of_every_attribution(graph_file: Path) -> None:
    # the build's ptk:firstSaid (graph/summary.py first_said) agrees with ordering all attributions in SPARQL, for
    # every phrase of the seeds; first-said.rq reads it
    ordered = {r["c"]: r["key"].rsplit("|", 1)[1] for r in rows(_FIRST_BY_ORDERING, graph_file)}
    written = {r["c"]: r["e"] for r in rows("SELECT ?c ?e WHERE { ?c ptk:firstSaid ?e }", graph_file)}
    assert len(ordered) >= 20 and written == ordered
    answered = rows("SELECT ?c ?e WHERE { ?c ptk:firstAttribution ?a . ?a schema:about ?c ; ptk:attributedIn ?m . "
                    "?e ptk:mention ?m }", graph_file)
    assert {r["c"]: r["e"] for r in answered} == written  # the evidence is of the first event, about the phrase
    (row,) = rows(str(QUERIES / "first-said.rq"), graph_file)
    # the evidence: the dated "首次提出" statement (line 7 of the second seed), not a report whose mention says only
    # "5月" (graph/summary.py: a vague report does not date a phrase)
    assert (row["phrase"], row["notBefore"], row["occasion"], row["how"]) == (
        "双循环", "2020-05-14", "中央政治局常务委员会会议", "origin")


#: what document-events.rq and first-mention.rq aggregated over the whole graph before the build wrote the answers
#: (ptk:eventCount, ptk:mentionCount, ptk:earliestEvent: graph/build.py add_tallies)
_COUNTS_BY_AGGREGATE = """
SELECT ?doc ?events ?mentions WHERE {
  ?doc a schema:CreativeWork .
  OPTIONAL { SELECT ?doc (COUNT(DISTINCT ?event) AS ?n) (COUNT(DISTINCT ?m) AS ?k)
             WHERE { ?event a schema:Event ; ptk:mention ?m . ?m ptk:document ?doc } GROUP BY ?doc }
  BIND(COALESCE(?n, 0) AS ?events)
  BIND(COALESCE(?k, 0) AS ?mentions)
}"""
_EARLIEST_BY_AGGREGATE = """
SELECT ?concept ?event WHERE {
  { SELECT ?concept (MIN(?nb) AS ?first) WHERE { ?e a schema:Event ; schema:about ?concept ; ptk:notBefore ?nb }
    GROUP BY ?concept }
  ?event a schema:Event ; schema:about ?concept ; ptk:notBefore ?first .
}"""


def test_tallies_written_by_the_build_are_the_aggregates_they_replace(graph_file: Path) -> None:
    counted = rows(_COUNTS_BY_AGGREGATE, graph_file)
    written = rows("SELECT ?doc ?events ?mentions WHERE { ?doc ptk:eventCount ?events ; ptk:mentionCount ?mentions }",
                   graph_file)
    assert len(counted) >= 5 and sorted(map(tuple, map(dict.values, written))) == sorted(
        map(tuple, map(dict.values, counted)))
    assert any(int(r["events"]) < int(r["mentions"]) for r in written)  # a document with two mentions of one event
    earliest = rows(_EARLIEST_BY_AGGREGATE, graph_file)
    linked = rows("SELECT ?concept ?event WHERE { ?concept ptk:earliestEvent ?event }", graph_file)
    assert len(earliest) >= 40 and sorted(map(tuple, map(dict.values, linked))) == sorted(
        map(tuple, map(dict.values, earliest)))
    # a tie: some concept has two earliest events of one day, and both are linked
    per_concept: dict[str, int] = defaultdict(int)
    for r in linked:
        per_concept[r["concept"]] += 1
    assert max(per_concept.values()) >= 2


def test_json_and_table_writers_match_their_reference_forms(graph_file: Path) -> None:
    """The JSON records are json.dumps(..., ensure_ascii=False, indent=1) byte for byte, and a table cell's width is
    one column per character plus one per wide (CJK) one, on every cell of every saved query over the seeds plus
    cells a query can return (quotes, backslashes, line breaks, controls, a lone surrogate, an empty result)."""
    import json

    from ptkg.graph.query import _WIDE, _width, format_rows

    tricky = [["他说：“双循环”\\n", 'a "b" \\ c', "行一\n行二\t\x00\x1f\u2028", "\ud800", "", "雙循環 ｜ ＡＢ 𠀀"]]
    cases = [(["a", "b", "c", "d", "e", "f"], tricky), (["x"], []), ([], [[]])]
    for name in SAVED:
        r = ptkg_query(str(Path("queries") / name), graph_file, "csv")
        table = list(csv.reader(io.StringIO(r.stdout)))
        cases.append((table[0], table[1:]))
    for names, data in cases:
        want = json.dumps([dict(zip(names, r, strict=True)) for r in data], ensure_ascii=False, indent=1) + "\n"
        assert format_rows(names, data, "json") == want
        for cell in [c for r in data for c in r] + names:
            assert _width(cell) == len(cell) + len(_WIDE.findall(cell))
