"""Load the lexicons kept as data in ``extractors/data/`` into plain Python structures.

Why a module of its own: every finder (people, organizations, phrases, occasions) reads
data, never hard-codes it; loading is cached so that a build over thousands of files
parses the data once.  Files:

* ``people.tsv``        canonical person names, aliases, Wikidata IDs
* ``titles.tsv``        offices that stand beside names (总书记, 副总理, 院长 …)
* ``surnames.txt``      surnames, to accept "<name><title>" for people not in the lexicon
* ``titles_chain.tsv``  offices that end a title chain before a name (俄罗斯总统普京, 浙江省委书记易炼红)
* ``titled_people.yaml`` what ends a name after a title, and the characters of transliterated names
* ``organizations.tsv`` bodies, aliases, how their meetings are named
* ``phrases.ttl``       SKOS concept scheme of policy phrases
* ``occasions.yaml``    the grammar of occasion names
* ``acts.yaml``         the grammar of dated acts (会见, 致电, 作出重要指示, 举行……仪式 …)
* ``boundaries.yaml``   words that end a name to the left (在, 召开, 主持 …)
* ``headings.yaml``     titles that name a series, not an event; headlines that report no policy event

A user extends the lexicons without touching the package: a folder (``ptkg build --lexicon DIR``,
or the environment variable ``PTKG_LEXICON`` read by the command line) may hold ``people.tsv``,
``organizations.tsv``, ``titles.tsv`` (same columns, rows added) and ``phrases.ttl`` (more SKOS
concepts, e.g. a promoted candidate phrase).

The lexicon is an explicit input: :func:`load` takes the user's folder, and the loaded
:class:`Lexicon` is handed to every step that reads it.  Its :attr:`Lexicon.fingerprint` (a hash of
every data file's content, the user's included) is part of each cache key, so a changed user
lexicon re-extracts what it may change.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CONCEPT_BASE = "https://w3id.org/ptkg/id/concept/"


#: the package's data files that make the lexicon, and those a user folder may extend
FILES = ("people.tsv", "titles.tsv", "surnames.txt", "organizations.tsv", "phrases.ttl", "occasions.yaml",
         "boundaries.yaml", "kinds.yaml", "acts.yaml", "titles_chain.tsv", "titled_people.yaml",
         "attribution.yaml", "headings.yaml")
USER_FILES = ("people.tsv", "organizations.tsv", "titles.tsv", "phrases.ttl")


def _data(name: str) -> str:
    return resources.files("ptkg.extractors").joinpath("data", name).read_text(encoding="utf-8")


def _stamp(path: object) -> tuple[int, int, int] | None:
    """(size, mtime, inode) of a file, None when it is missing or not a plain file (a zipped package)."""
    try:
        st = os.stat(path)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


#: the column each of the user's tables must have (the rows are read by it)
REQUIRED_COLUMN = {"people.tsv": "name", "organizations.tsv": "name", "titles.tsv": "title"}


class LexiconError(ValueError):
    """A file of the user's lexicon folder that cannot be used; ``str()`` names the file and says why."""


def _user_files(folder: str | None) -> dict[str, str]:
    """The user's extensions of the lexicon files (``<folder>/<name>``) that exist, each checked.

    Why checked here: a user's file is read with the package's, so a fault in it would otherwise surface
    as a parser's message about the joined text (a line number in the package's own file) or as a bare
    missing key; a ``LexiconError`` names the user's file and the line.
    """
    if not folder:
        return {}
    out = {}
    for name in USER_FILES:
        path = Path(folder) / name
        if path.is_file():
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as e:
                raise LexiconError(f"{path}: not UTF-8 (undecodable byte at offset {e.start})") from None
            except OSError as e:
                raise LexiconError(f"{path}: cannot read: {e.strerror or e}") from None
            _check_user(name, text, path)
            out[name] = text
    return out


def _check_user(name: str, text: str, path: Path) -> None:
    """Raise ``LexiconError`` when the user's file ``name`` cannot be read as the package reads its own."""
    if name in REQUIRED_COLUMN:
        column = REQUIRED_COLUMN[name]
        try:
            _rows(text)
        except csv.Error as e:
            raise LexiconError(f"{path}: not a tab-separated table ({e})") from None
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        if lines and column not in [h.strip() for h in lines[0].split("\t")]:
            raise LexiconError(f"{path}: no {column!r} column (its first line must name the columns, "
                               f"tab-separated, as in the package's {name})")
    elif name == "phrases.ttl":
        import pyoxigraph as ox

        # the user's concepts may use the package's prefixes (c:, skos:): those go first, on one line
        prefixes = " ".join(ln for ln in _data(name).splitlines() if ln.startswith("@prefix"))
        try:
            for _ in ox.parse((prefixes + "\n" + text).encode("utf-8"), format=ox.RdfFormat.TURTLE):
                pass
        except SyntaxError as e:
            where = f"line {e.lineno - 1}" + (f", column {e.offset}" if e.offset else "") if e.lineno else ""
            detail = str(e.msg).split(": ", 1)[-1]
            raise LexiconError(f"{path}: not valid Turtle ({where}: {detail})" if where else
                               f"{path}: not valid Turtle ({detail})") from None


def _rows(text: str) -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO("\n".join(lines)),
                                                                                     delimiter="\t")]


def _tsv(name: str, user: dict[str, str]) -> list[dict[str, str]]:
    extra = user.get(name)
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
    #: the body's official English name (organizations.tsv ``en``), shown beside the Chinese on the page
    en: str = ""


@dataclass(frozen=True)
class Concept:
    iri: str
    pref_label: str
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    label_en: str = ""


@dataclass(eq=False)
class Lexicon:
    """Everything the finders read.  Compared and hashed by identity: :func:`load` gives one object per
    content, so the compiled patterns cached per lexicon are built once."""

    people: list[Person] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    #: titles that stand before a name: titles.tsv's before/both rows and the chain-end titles of titles_chain.tsv
    titles_before: list[str] = field(default_factory=list)
    #: the title-chain recognizer's words (titled_people.yaml)
    titled: dict[str, Any] = field(default_factory=dict)
    surnames: frozenset[str] = frozenset()
    organizations: list[Organization] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    occasions: dict[str, Any] = field(default_factory=dict)
    boundaries: dict[str, Any] = field(default_factory=dict)
    #: the grammar of dated acts (会见, 致电, 作出重要指示 …): ``extractors.acts``
    acts: dict[str, Any] = field(default_factory=dict)
    #: the words that attribute a phrase to an occasion (``attribution.yaml``, read by ``extractors.attribution``)
    attribution: dict[str, Any] = field(default_factory=dict)
    #: series titles and neutral headline words (``headings.yaml``: ``extractors.headings``, ``extractors.assemble``)
    headings: dict[str, Any] = field(default_factory=dict)
    #: Traditional forms of the concepts' simplified labels (OpenCC s2t), per concept IRI
    hant_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the concept scheme as Turtle (the package's and the user's), copied into every built graph
    scheme_ttl: str = ""
    #: a hash of every data file's content, the user's included: part of the cache keys
    fingerprint: str = ""

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


def _load_concepts(scheme_ttl: str) -> list[Concept]:
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph()
    g.parse(data=scheme_ttl, format="turtle")
    out = []

    def zh(values) -> list[str]:  # noqa: ANN001 - rdflib literals
        return sorted(str(x) for x in values if (getattr(x, "language", None) or "zh-hans").lower() == "zh-hans")

    def en(values) -> str:  # noqa: ANN001
        return next((str(x) for x in sorted(values) if (getattr(x, "language", None) or "").lower() == "en"), "")

    for c in sorted(set(g.subjects(rdflib.RDF.type, SKOS.Concept)), key=str):
        prefs = zh(g.objects(c, SKOS.prefLabel))
        if not prefs:
            continue
        out.append(Concept(
            iri=str(c), pref_label=prefs[0], alt_labels=tuple(zh(g.objects(c, SKOS.altLabel))),
            broader=tuple(sorted(str(b) for b in g.objects(c, SKOS.broader))),
            related=tuple(sorted(str(r) for r in g.objects(c, SKOS.related))),
            label_en=en(g.objects(c, SKOS.prefLabel)),
        ))
    return out


def _hant_labels(concepts: list[Concept]) -> dict[str, tuple[str, ...]]:
    """Traditional forms of every label that differ from it, so a SPARQL user can look a phrase up as 雙循環;
    the data file keeps only the simplified forms."""
    import opencc

    s2t = opencc.OpenCC("s2t").convert
    out = {}
    for c in concepts:
        forms = tuple(sorted({t for x in (c.pref_label, *c.alt_labels) if (t := s2t(x)) != x}))
        if forms:
            out[c.iri] = forms
    return out


def load(user_folder: str | Path | None = None) -> Lexicon:
    """The package's lexicon extended by the files in ``user_folder`` (if given).

    Why the stamps: every file's task loads the lexicon (a worker serves tasks of any build), and reading
    and hashing the twelve data files costs ~2 ms, 150 s over 74k files.  While no data file's size,
    mtime or inode changed (the premise of the file cache, ``ptkg.cache``), the last answer stands.
    """
    folder = str(user_folder) if user_folder else None
    stamps = tuple(_stamp(p) for p in _data_paths())
    if folder is not None:
        stamps += tuple(_stamp(Path(folder) / n) for n in USER_FILES)
    if None in stamps[:len(FILES)]:  # not plain files: no stamp to trust
        return _read(folder)
    key = (folder, stamps)
    if _last.get("key") != key:
        _last["lexicon"], _last["key"] = _read(folder), key
    return _last["lexicon"]


@lru_cache(maxsize=1)
def _data_paths() -> tuple[object, ...]:
    """The package's data files, as paths to stat (found once: the package does not move while it runs)."""
    data = resources.files("ptkg.extractors").joinpath("data")
    return tuple(str(p) if isinstance(p, Path) else p for p in (data.joinpath(n) for n in FILES))


#: the lexicon last loaded and the stamps of the files it was read from (see :func:`load`)
_last: dict[str, Any] = {}


def _read(folder: str | None) -> Lexicon:
    """Read and check the data files (and the user's) and load the lexicon they make."""
    user = _user_files(folder)
    h = hashlib.sha256()
    for name in FILES:
        h.update(name.encode() + b"\0" + _data(name).encode() + b"\0")
    for name, text in sorted(user.items()):
        h.update(b"user/" + name.encode() + b"\0" + text.encode() + b"\0")
    return _load(h.hexdigest()[:20], tuple(sorted(user.items())))


@lru_cache(maxsize=4)
def _load(fingerprint: str, user_items: tuple[tuple[str, str], ...]) -> Lexicon:
    user = dict(user_items)
    people = [Person(r["name"], tuple(_split(r.get("aliases", ""))), r.get("wikidata", ""))
              for r in _tsv("people.tsv", user)]
    title_rows = _tsv("titles.tsv", user)
    titles = [r["title"] for r in title_rows]
    before = sorted({r["title"] for r in title_rows if r.get("position", "both") in ("before", "both")}
                    | {r["title"] for r in _rows(_data("titles_chain.tsv"))})
    surnames = frozenset(
        w for ln in _data("surnames.txt").splitlines() if not ln.startswith("#") for w in ln.split()
    )
    orgs = [
        Organization(r["name"], tuple(_split(r.get("aliases", ""))), r.get("meeting", ""), r.get("wikidata", ""),
                     r.get("en", ""))
        for r in _tsv("organizations.tsv", user)
    ]
    scheme = _data("phrases.ttl") + ("\n" + user["phrases.ttl"] if "phrases.ttl" in user else "")
    concepts = _load_concepts(scheme)
    return Lexicon(
        people=people,
        titles=titles,
        titles_before=before,
        titled=yaml.safe_load(_data("titled_people.yaml")),
        surnames=surnames,
        organizations=orgs,
        concepts=concepts,
        occasions=yaml.safe_load(_data("occasions.yaml")),
        boundaries=yaml.safe_load(_data("boundaries.yaml")),
        acts=yaml.safe_load(_data("acts.yaml")),
        attribution=yaml.safe_load(_data("attribution.yaml")),
        headings=yaml.safe_load(_data("headings.yaml")),
        hant_labels=_hant_labels(concepts),
        scheme_ttl=scheme,
        fingerprint=fingerprint,
    )
