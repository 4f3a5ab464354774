"""Event kinds are declared once (extractors/data/kinds.yaml) and every reader agrees with the declaration."""

from __future__ import annotations

import json
import re

import rdflib
import yaml
from conftest import ROOT
from ptkg.extractors.kinds import fallback, kind_ids, kinds, kinds_agree
from ptkg.extractors.lexicon import load
from ptkg.extractors.occasions import find_occasions

PTK = rdflib.Namespace("https://w3id.org/ptkg/ns#")


def test_every_kind_is_a_class_of_the_vocabulary_and_every_event_class_a_kind():
    g = rdflib.Graph().parse(ROOT / "graph" / "vocab.ttl")
    event_classes = {str(c).removeprefix(str(PTK)) for c in g.subjects(rdflib.RDFS.subClassOf,
                                                                         rdflib.URIRef("https://schema.org/Event"))}
    assert event_classes == set(kind_ids())


def test_every_grammar_rule_has_a_declared_kind():
    spec = yaml.safe_load((ROOT / "extractors" / "data" / "occasions.yaml").read_text(encoding="utf-8"))
    used = {r["kind"] for r in spec["rules"] if "{" not in r["kind"]}
    used |= {k for r in spec["rules"] for k in r.get("nouns", {})}
    assert used <= kind_ids()
    assert find_occasions("2001年加入世界贸易组织后", load())  # the grammar compiles against the declaration


def test_merge_joins_what_kinds_yaml_says():
    assert kinds_agree("Meeting", "Speech") and kinds_agree("Visit", "Meeting") and kinds_agree(fallback(), "Forum")
    assert not kinds_agree("Speech", "Visit") and not kinds_agree("Publication", "Signing")


def test_the_page_draws_each_kind_in_its_declared_colour(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="ptkg-data">(.*?)</script>', html, re.S).group(1))
    assert [(k["id"], k["colour"]) for k in data["kinds"]] == [(k.id, k.colour) for k in kinds()]
    assert "Accession" in {k["id"] for k in data["kinds"]}
