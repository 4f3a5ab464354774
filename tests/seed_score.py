"""A small scorer of our own for the seeds' gold (tests/data/gold_seeds), so the test suite needs nothing beside
the checkout.

Why not the shared scorer: a fresh clone has no ``../shared/``.  The rules follow the gold schema (one unit is a
(document, real-world event) pair; undated gold events and gold ``"kind": "target"`` entries are not required and
matching one is neutral): an extracted event matches a gold pair when their date intervals overlap and their names
agree (one contains the other, or character-bigram Dice >= 0.5, against the gold name, its variants, or the gold
evidence quote containing the extracted name).  Matching is one-to-one, best agreement first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import rdflib

_T2S = opencc.OpenCC("t2s").convert
_DROP = re.compile(r"[\s\u3000「」“”\"'《》〈〉（）()·、，,]")

EVENTS = """
PREFIX ptk: <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?name ?nb ?na ?file ?mnb ?mna WHERE {
  ?e a schema:Event ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na ; ptk:mention ?m .
  ?m ptk:sourceFile ?file .
  OPTIONAL { ?m ptk:notBefore ?mnb ; ptk:notAfter ?mna }
}"""
SPEAKERS = """
PREFIX ptk: <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?n WHERE { ?e a schema:Event ; ptk:speaker ?p . ?p schema:name ?n }"""


def norm(s: object) -> str:
    return _DROP.sub("", _T2S(str(s)))


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def agreement(name: str, gold_names: set[str], evidence: str) -> float:
    """How well an extracted name agrees with a gold pair (0 when it does not)."""
    x = norm(name)
    if not x:
        return 0.0
    best = 0.0
    for g in map(norm, gold_names):
        if not g:
            continue
        if len(min(x, g, key=len)) >= 3 and (x in g or g in x):
            return 1.0
        a, b = _bigrams(x), _bigrams(g)
        best = max(best, 2 * len(a & b) / (len(a) + len(b)))
    if len(x) >= 4 and x in norm(evidence):
        best = max(best, 0.75)
    return best if best >= 0.5 else 0.0


@dataclass
class GoldPair:
    names: set[str] = field(default_factory=set)
    evidence: str = ""
    intervals: set[tuple[str, str]] = field(default_factory=set)
    speakers: set[str] = field(default_factory=set)
    required: bool = False


def load_gold(gold_dir: Path) -> dict[str, dict[str, GoldPair]]:
    gold: dict[str, dict[str, GoldPair]] = {}
    for p in sorted(gold_dir.glob("*.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        pairs: dict[str, GoldPair] = defaultdict(GoldPair)
        dated = {ev.get("canonical") or ev["id"] for ev in g["events"] if ev.get("not_before") and ev.get("not_after")}
        for ev in g["events"]:
            key = ev.get("canonical") or ev["id"]
            nb, na = ev.get("not_before"), ev.get("not_after")
            if not (nb and na):
                if key in dated:
                    continue
                nb, na, ev = "0001-01-01", "9999-12-31", dict(ev, kind="target")
            pr = pairs[key]
            pr.names |= {ev["name"], *ev.get("name_variants", [])}
            pr.evidence += " " + ev.get("evidence", "")
            pr.intervals.add((nb, na))
            pr.speakers |= {norm(s) for s in ev.get("speakers", [])}
            pr.required |= ev.get("kind", "event") != "target"
        gold[g["doc"]] = dict(pairs)
    return gold


def score(graph_file: Path, gold_dir: Path) -> dict[str, float | int | None]:
    """precision, recall, f1, date_exact and speakers of a built graph against the gold folder."""
    g = rdflib.Graph()
    g.parse(graph_file)
    extracted: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in g.query(EVENTS):
        doc = Path(str(r.file)).name
        x = extracted[doc].setdefault(str(r.e), {"name": str(r.name), "iv": {(str(r.nb)[:10], str(r.na)[:10])}})
        if r.mnb is not None:
            x["iv"].add((str(r.mnb)[:10], str(r.mna)[:10]))
    speakers: dict[str, set[str]] = defaultdict(set)
    for r in g.query(SPEAKERS):
        speakers[str(r.e)].add(norm(r.n))
    tp = fp = fn = exact = spk_found = spk_total = 0
    for doc, pairs in sorted(load_gold(gold_dir).items()):
        xs = extracted.get(doc, {})
        cands = []
        for key, gp in pairs.items():
            lo, hi = min(a for a, _ in gp.intervals), max(b for _, b in gp.intervals)
            for iri, x in xs.items():
                if any(a <= hi and lo <= b for a, b in x["iv"]):
                    s = agreement(x["name"], gp.names, gp.evidence)
                    if s:
                        cands.append((s, gp.required, key, iri))
        used_g: set[str] = set()
        used_x: set[str] = set()
        for _s, required, key, iri in sorted(cands, reverse=True):
            if key in used_g or iri in used_x:
                continue
            used_g.add(key)
            used_x.add(iri)
            if not required:
                continue
            tp += 1
            exact += bool(xs[iri]["iv"] & pairs[key].intervals)
            spk_total += len(pairs[key].speakers)
            spk_found += len(pairs[key].speakers & speakers.get(iri, set()))
        fn += sum(1 for k, gp in pairs.items() if gp.required and k not in used_g)
        fp += sum(1 for iri in xs if iri not in used_x)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p and r else 0.0,
            "date_exact": exact / tp if tp else None, "speakers": spk_found / spk_total if spk_total else None}
