"""Candidate phrases: quoted terms the scheme lacks, and jieba keywords of event sentences."""

from __future__ import annotations

from ptkg.extractors.candidates import find_quoted_terms
from ptkg.extractors.keywords import sentence_nouns
from ptkg.extractors.lexicon import load
from ptkg.extractors.normalize import normalize
from ptkg.graph.keywords import top_keywords

LEX = load()


def quoted(s: str) -> list[str]:
    return [m.key for m in find_quoted_terms(normalize(s).text, LEX)]


def test_quoted_new_terms_are_candidates():
    # 003 line 17 and 002 line 288: terms the text marks that are not in phrases.ttl
    assert quoted("操作上“不急转弯，把握好政策时度效”，外商投資准入負面清單進一步「瘦身」") == ["瘦身"]
    assert quoted("全国统筹推进“两新一重”建设") == ["两新一重"]


def test_known_phrases_people_and_occasions_are_not_candidates():
    assert quoted("“双循环”与“一带一路”，“习近平”，“中国国际进口博览会”，“国内国际双循环”") == []


def test_keywords_leave_out_known_words():
    sentences = [normalize(s).text for s in [
        "今年以来，中央推出一系列重大的对外开放新举措，包括公布海南自由贸易港建设总体方案。",
        "国务院印发《新时期促进集成电路产业和软件产业高质量发展的若干政策》，支持集成电路产业。",
        "集成电路产业是信息技术产业的核心，要加快集成电路产业发展。",
    ]]
    words = top_keywords([sentence_nouns(s) for s in sentences], LEX, top=5)
    assert "集成电路" in words
    assert not {"高质量发展", "国务院", "中央"} & set(words)


def test_candidates_in_the_graph_are_flagged_and_traced(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import rdflib

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(tmp_path)], cwd=root,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    g = rdflib.Graph().parse(tmp_path / "graph.ttl")
    q = """PREFIX ptk: <https://w3id.org/ptkg/ns#> PREFIX schema: <https://schema.org/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?label ?how ?file ?line WHERE { ?c ptk:candidate true ; skos:prefLabel ?label ; ptk:discoveredBy ?how .
      ?m a ptk:Mention ; schema:about ?c ; ptk:sourceFile ?file ; ptk:line ?line }"""
    rows = {(str(x.label), str(x.how)) for x in g.query(q)}
    assert ("瘦身", "quoted") in rows
    assert all(how in ("quoted", "keyword") for _, how in rows)
    curated = "SELECT ?c WHERE { ?c <https://w3id.org/ptkg/ns#candidate> true ; " \
              "<http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/ptkg/id/concept/scheme> }"
    assert list(g.query(curated)) == []


def test_keywords_are_jiebas_tfidf_tags_of_the_joined_sentences():
    """Counting nouns sentence by sentence (in the workers) picks what extract_tags picks over their join."""
    import jieba.analyse

    sentences = [normalize(s).text for s in [
        "国务院印发《新时期促进集成电路产业和软件产业高质量发展的若干政策》，支持集成电路产业。",
        "集成电路产业是信息技术产业的核心，要加快集成电路产业发展。",
        "会议部署了数字经济和人工智能产业的发展，推进新型基础设施建设。",
    ]]
    ours = top_keywords([sentence_nouns(s) for s in sentences], LEX, top=10)
    tags = jieba.analyse.extract_tags("\n".join(sentences), topK=30, allowPOS=("n", "nz"))
    assert ours and ours == [t for t in tags if t in ours]
    assert set(ours) <= set(tags)


def test_promoting_a_candidate_through_a_lexicon_folder(tmp_path):
    """A candidate copied into $PTKG_LEXICON/phrases.ttl becomes a curated phrase on the next build —
    also when the output folder already holds a build made without it (the lexicon is in the cache keys)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    lex = tmp_path / "lexicon"
    lex.mkdir()
    (lex / "phrases.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix c: <https://w3id.org/ptkg/id/concept/> .\n"
        'c:slimming a skos:Concept ; skos:inScheme c:scheme ; skos:prefLabel "瘦身"@zh-Hans .\n', encoding="utf-8")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "PTKG_LEXICON"}
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)], cwd=root,
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    assert "瘦身" in (out / "graph.ttl").read_text(encoding="utf-8")  # as a candidate, before the promotion
    assert "concept/slimming" not in (out / "graph.ttl").read_text(encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)], cwd=root,
                       capture_output=True, text=True, timeout=300, env={**env, "PTKG_LEXICON": str(lex)})
    assert r.returncode == 0, r.stderr
    assert "already up to date" not in r.stderr
    import rdflib

    g = rdflib.Graph().parse(out / "graph.ttl")
    about = {str(o) for o in g.objects(None, rdflib.URIRef("https://schema.org/about"))}
    assert "https://w3id.org/ptkg/id/concept/slimming" in about
    assert not any(o.startswith("https://w3id.org/ptkg/id/candidate/") and o.endswith("%E7%98%A6%E8%BA%AB")
                   for o in about)
