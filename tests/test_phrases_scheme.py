"""The policy-phrase scheme (extractors/data/phrases.ttl) and the origins table (tests/gold/origins.tsv).

The scheme is generated from tools/phrases/concepts.tsv; these tests check what the extractor and the queries rely
on: one Simplified and one English preferred label per concept, every label found as its own concept when it
stands alone (no label of another concept starting with it hides it), labels that are known to sit inside
ordinary words kept out, and an origins table that every phrase of it can be answered from.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import rdflib
from ptkg.extractors.lexicon import load
from ptkg.extractors.mentions import find_phrases
from rdflib.namespace import SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
PTK = rdflib.Namespace("https://w3id.org/ptkg/ns#")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def scheme() -> rdflib.Graph:
    return rdflib.Graph().parse(data=load().scheme_ttl, format="turtle")


def concepts(g: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted(set(g.subjects(rdflib.RDF.type, SKOS.Concept)), key=str)


def test_hundreds_of_concepts_each_with_a_chinese_and_an_english_label(scheme: rdflib.Graph) -> None:
    cs = concepts(scheme)
    assert len(cs) >= 300
    for c in cs:
        langs = sorted(lab.language for lab in scheme.objects(c, SKOS.prefLabel))
        assert langs == ["en", "zh-Hans"], (c, langs)
        en = next(lab for lab in scheme.objects(c, SKOS.prefLabel) if lab.language == "en")
        assert not CJK.search(str(en)), (c, en)
    assert all(CJK.search(c.pref_label) for c in load().concepts), "the lexicon matches the Chinese label"


def test_broader_and_related_point_inside_the_scheme(scheme: rdflib.Graph) -> None:
    cs = set(concepts(scheme))
    for p in (SKOS.broader, SKOS.related):
        for s, o in scheme.subject_objects(p):
            assert s in cs and o in cs, (s, p, o)


def test_first_work_report_years(scheme: rdflib.Graph) -> None:
    years = {str(s).rsplit("/", 1)[1]: o for s, o in scheme.subject_objects(PTK.firstWorkReport)}
    assert len(years) >= 250
    assert all(o.datatype == XSD.gYear and 1954 <= int(str(o)) <= 2025 for o in years.values())
    # a few that are public record: 供给侧结构性改革 entered the 2016 report, 新质生产力 the 2024 one
    assert int(str(years["supply-side-reform"])) == 2016
    assert int(str(years["new-quality-productive-forces"])) == 2024


def test_every_label_alone_is_found_as_its_own_concept() -> None:
    """A label of another concept that starts with this one would win at that position and hide it."""
    problems = []
    seen: dict[str, str] = {}
    for c in load().concepts:
        for label in (c.pref_label, *c.alt_labels):
            if seen.setdefault(label, c.iri) != c.iri:
                problems.append(f"{label}: in {seen[label]} and {c.iri}")
            found = {(m.start, m.end, m.key) for m in find_phrases(label, load())}
            if (0, len(label), c.iri) not in found:
                problems.append(f"{label}: not found as {c.iri} ({sorted(found)})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text, concept", [
    ("沪深两市双双创下年内新高", "mass-entrepreneurship"),   # 双创 inside 双双创下
    ("企业称没有为政府机构提供数据", "effective-market-government"),  # 有为政府 inside 没有为政府
    ("推动政务服务“一门受理”的内循环", "domestic-circulation"),  # 内循环 of an office, not of the economy
    ("中国—东盟自贸区升级谈判", "pilot-free-trade-zone"),  # 自贸区 = a bilateral free trade area here
])
def test_short_forms_that_match_ordinary_words_are_not_labels(text: str, concept: str) -> None:
    iri = "https://w3id.org/ptkg/id/concept/" + concept
    assert iri not in {m.key for m in find_phrases(text, load())}


@pytest.mark.parametrize("text, concept", [
    ("大力推进“双创”示范基地建设", "mass-entrepreneurship"),
    ("扎实做好“六稳”工作，全面落实“六保”任务", "six-stabilities"),
    ("扎实做好“六稳”工作，全面落实“六保”任务", "six-guarantees"),
    ("加快形成新质生产力", "new-quality-productive-forces"),
    ("落实“放管服”改革", "streamline-administration"),
    # formulations of the dev gold that the scheme lacked (20200422_02, 20171029_05, 20151201_12, 20171121_02)
    ("毫不放松抓紧抓实抓细常态化防控", "regular-epidemic-control"),
    ("统筹推进疫情防控和经济社会发展工作", "epidemic-control"),
    ("中国特色社会主义进入了新时代", "new-era"),
    ("坚持共享发展，着力增进人民福祉", "shared-development"),
    ("推动全球治理朝着更加公正合理的方向发展", "global-governance"),
    ("始终把生命至上的理念贯彻到救治工作中", "people-first"),
])
def test_short_forms_in_use_are_found(text: str, concept: str) -> None:
    assert "https://w3id.org/ptkg/id/concept/" + concept in {m.key for m in find_phrases(text, load())}


def origins() -> list[dict[str, str]]:
    lines = [ln for ln in (ROOT / "tests" / "gold" / "origins.tsv").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_origins_table_is_well_formed_and_answerable() -> None:
    rows = origins()
    assert len(rows) >= 25
    labels = {lab for c in load().concepts for lab in (c.pref_label, *c.alt_labels)}
    years = set()
    for r in rows:
        day = dt.date.fromisoformat(r["origin_date"])
        lo, hi = dt.date.fromisoformat(r["not_before"]), dt.date.fromisoformat(r["not_after"])
        assert lo <= day <= hi, r["phrase"]
        assert r["occasion"] and r["source"], r["phrase"]
        assert r["phrase"] in labels, f"{r['phrase']}: not a label of the scheme"
        if r["grep_first"]:
            g = dt.date.fromisoformat(r["grep_first"])
            assert g.year != 2024 and g >= dt.date(2012, 7, 2), r["phrase"]
        years.add(day.year)
    assert len({y for y in years if 2012 <= y <= 2025}) >= 10, "a mix of eras"
