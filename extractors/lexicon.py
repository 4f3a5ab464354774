"""Load the lexicons kept as data in ``extractors/data/`` into plain Python structures.

Why a module of its own: every finder (people, organizations, phrases, occasions) reads
data, never hard-codes it; loading is cached so that a build over thousands of files
parses the data once.  Files:

* ``people.tsv``        canonical person names, aliases, Wikidata IDs
* ``titles.tsv``        offices that stand beside names (总书记, 副总理, 院长 …)
* ``surnames.txt``      surnames, to accept "<name><title>" for people not in the lexicon
* ``organizations.tsv`` bodies, aliases, how their meetings are named
* ``phrases.ttl``       SKOS concept scheme of policy phrases
* ``occasions.yaml``    the grammar of occasion names
* ``boundaries.yaml``   words that end a name to the left (在, 召开, 主持 …)

A user extends the lexicons without touching the package: a folder named by the
environment variable ``PTKG_LEXICON`` may hold ``people.tsv``, ``organizations.tsv``,
``titles.tsv`` (same columns, rows added) and ``phrases.ttl`` (more SKOS concepts, e.g. a
promoted candidate phrase).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CONCEPT_BASE = "https://w3id.org/ptkg/id/concept/"


def _data(name: str) -> str:
    return resources.files("ptkg.extractors").joinpath("data", name).read_text(encoding="utf-8")


def _user(name: str) -> str | None:
    """The user's extension of a lexicon file (``$PTKG_LEXICON/<name>``), if any."""
    folder = os.environ.get("PTKG_LEXICON")
    path = Path(folder) / name if folder else None
    return path.read_text(encoding="utf-8-sig") if path and path.is_file() else None


def _rows(text: str) -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO("\n".join(lines)),
                                                                                     delimiter="\t")]


def _tsv(name: str) -> list[dict[str, str]]:
    extra = _user(name)
    return _rows(_data(name)) + (_rows(extra) if extra else [])


def _split(cell: str) -> list[str]:
    return [s.strip() for s in cell.split("|") if s.strip()]


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    wikidata: str = ""


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    meeting: str = ""
    wikidata: str = ""


@dataclass(frozen=True)
class Concept:
    iri: str
    pref_label: str
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass
class Lexicon:
    people: list[Person] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    surnames: frozenset[str] = frozenset()
    organizations: list[Organization] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    occasions: dict[str, Any] = field(default_factory=dict)
    boundaries: dict[str, Any] = field(default_factory=dict)

    def concept(self, iri: str) -> Concept | None:
        return next((c for c in self.concepts if c.iri == iri), None)

    def organization(self, name: str) -> Organization | None:
        return next((o for o in self.organizations if o.name == name), None)

    def person(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)


def alias_map(entries: list[Person] | list[Organization]) -> dict[str, str]:
    """Every surface form (name or alias) → canonical name."""
    names: dict[str, str] = {}
    for e in entries:
        names[e.name] = e.name
        for a in e.aliases:
            names[a] = e.name
    return names


def _load_concepts() -> list[Concept]:
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph()
    g.parse(data=phrases_ttl(), format="turtle")
    def chinese(label: rdflib.term.Node) -> bool:
        """A label to match in text: Chinese or untagged (a user's lexicon may omit the tag); not @en."""
        lang = (getattr(label, "language", None) or "").lower()
        return not lang or lang.startswith("zh")

    out = []
    for c in sorted(set(g.subjects(rdflib.RDF.type, SKOS.Concept)), key=str):
        prefs = sorted(g.objects(c, SKOS.prefLabel), key=lambda x: (
            (getattr(x, "language", None) or "").lower() != "zh-hans", not chinese(x), str(x)))
        if not prefs:
            continue
        pref = str(prefs[0])  # the Simplified Chinese one; the English rendering is for display only
        alts = tuple(sorted(str(a) for a in g.objects(c, SKOS.altLabel) if chinese(a)))
        out.append(Concept(
            iri=str(c), pref_label=pref, alt_labels=alts,
            broader=tuple(sorted(str(b) for b in g.objects(c, SKOS.broader))),
            related=tuple(sorted(str(r) for r in g.objects(c, SKOS.related))),
        ))
    return out


@lru_cache(maxsize=1)
def load() -> Lexicon:
    people = [Person(r["name"], tuple(_split(r.get("aliases", ""))), r.get("wikidata", "")) for r in _tsv("people.tsv")]
    titles = [r["title"] for r in _tsv("titles.tsv")]
    surnames = frozenset(
        w for ln in _data("surnames.txt").splitlines() if not ln.startswith("#") for w in ln.split()
    )
    orgs = [
        Organization(r["name"], tuple(_split(r.get("aliases", ""))), r.get("meeting", ""), r.get("wikidata", ""))
        for r in _tsv("organizations.tsv")
    ]
    return Lexicon(
        people=people,
        titles=titles,
        surnames=surnames,
        organizations=orgs,
        concepts=_load_concepts(),
        occasions=yaml.safe_load(_data("occasions.yaml")),
        boundaries=yaml.safe_load(_data("boundaries.yaml")),
    )


def phrases_ttl() -> str:
    """The concept scheme as Turtle (with the user's additions), copied into every built graph."""
    extra = _user("phrases.ttl")
    return _data("phrases.ttl") + ("\n" + extra if extra else "")
