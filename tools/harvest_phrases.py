"""Harvest policy formulations from the corpora, and build ``extractors/data/phrases.ttl`` from the reviewed list.

Why: the concept scheme is what every phrase mention, "first said" answer and page filter rests on; it must hold the
formulations a policy analyst follows, with the variants the news really uses, and nothing that matches ordinary
words.  Candidates are mined, then reviewed by hand; the script keeps both steps reproducible.

Corpora (not in the repository; CCTV's text is never committed):

* 新闻联播 stories ``/tmp/xwlb_txt/YYYYMMDD_NN.txt`` (line 1 title, line 2 broadcast time, then the body; see
  ``/work/shared/corpora/xwlb/README.md``).  **Every 2024 file is skipped** (held out for evaluation): the reader
  refuses them, so no count, context or "first" date here ever comes from 2024.
* Government work reports ``/work/shared/corpora/government-work-reports/YYYY.txt`` (public, 1954–2025, some
  years missing: 1961–63, 1965–74, 1976–77, 1989–91, 1996 and **2020**).  Mining reads every report but 2024's;
  the "first report" year of a concept (``ttl``) reads all of them, 2024 included (a public State Council
  document, not a news story), and says when the report of the year before is missing.

Sub-commands:

``mine``     candidates, with statistics, to ``tools/phrases/candidates.tsv``:
             (1) terms inside quotation marks (“”「」『』) that recur across stories and years;
             (2) numbered formulations (四个全面, 两个维护, 三去一降一补, 六稳): numeral + 个 + 2–5 characters, or
                 numeral + 1–2 characters repeated one to three times;
             (3) character n-grams (4–9) counted on every 6th story and on the reports, kept when frequent, then
                 counted exactly on the whole (non-2024) corpus.
             Each candidate gets: stories, years, first and last story date, reports, first report year.
             Automatic rejections (fragments that one more character nearly always extends, sentence pieces that
             start or end with a function word, media and event-report words, too rare / too few years) are
             written with their reason; the rest is marked ``review``.
``review``   merge the hand decisions of ``tools/phrases/review.tsv`` (candidate → keep:<concept> or
             reject:<category>) into the candidate table and print the counts by category.
``kwic``     contexts of labels in the news corpus (for checking short labels by eye; printed, never saved).
``labels``   precision check of every label of ``tools/phrases/concepts.tsv``: stories, and how often it sits
             inside a longer word that is not one of its concept's labels (by the characters around it).
``ttl``      write ``extractors/data/phrases.ttl`` from ``tools/phrases/concepts.tsv`` (the reviewed concepts:
             IRI, labels, English label, broader, related, origin note and source), adding for each concept the
             year of the first government work report that uses one of its labels (``ptk:firstWorkReport``).

How the review was done (details and counts in ``docs/phrases.md``): every candidate left after the automatic
rules and seen in at least ``min_docs`` stories was read, most frequent first, and kept when it is a formulation an
analyst of Chinese policy would follow (a named policy, strategy, slogan, initiative, campaign or numbered
formulation), rejected otherwise by category: generic (发展/经济工作-like words and phrases of everyday
administration), place, person, organization or occasion, media, fragment (a piece of a longer kept form),
event-report language.  Short labels (≤ 3 characters) were checked against their contexts with ``kwic``.

Usage: ``python tools/harvest_phrases.py mine|review|kwic LABEL…|labels|ttl``
"""

from __future__ import annotations

import argparse
import csv
import pickle
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tools" / "phrases"
NEWS = Path("/tmp/xwlb_txt")
REPORTS = Path("/work/shared/corpora/government-work-reports")
CACHE = Path("/tmp/harvest_phrases_corpus.pkl")
HELD_OUT_YEAR = "2024"
CJK = "\u4e00-\u9fff"


def config() -> dict:
    return yaml.safe_load((HERE / "mining.yaml").read_text(encoding="utf-8"))


@dataclass
class Corpus:
    """The news stories (date, file, text) and the reports (year → text); 2024 news never included."""

    stories: list[tuple[str, str, str]] = field(default_factory=list)
    reports: dict[int, str] = field(default_factory=dict)


def _news_files() -> Iterator[Path]:
    for p in sorted(NEWS.glob("*.txt")):
        if p.name.startswith(HELD_OUT_YEAR):
            continue  # held out: never read
        yield p


def load_corpus() -> Corpus:
    """Read (or reuse the /tmp cache of) the corpora.  The cache holds no 2024 story either."""
    if CACHE.is_file():
        with CACHE.open("rb") as f:
            stories, reports = pickle.load(f)  # plain lists and dicts: readable from any module
        return Corpus(stories, reports)
    c = Corpus()
    for p in _news_files():
        text = p.read_text(encoding="utf-8", errors="replace")
        d = p.name[:8]
        c.stories.append((f"{d[:4]}-{d[4:6]}-{d[6:]}", p.name, text))
    for p in sorted(REPORTS.glob("[12][0-9][0-9][0-9].txt")):
        c.reports[int(p.stem)] = p.read_text(encoding="utf-8", errors="replace")
    assert not any(f.startswith(HELD_OUT_YEAR) for _, f, _ in c.stories)
    with CACHE.open("wb") as f:
        pickle.dump((c.stories, c.reports), f)
    return c


def mining_reports(c: Corpus) -> dict[int, str]:
    return {y: t for y, t in c.reports.items() if str(y) != HELD_OUT_YEAR}


# --------------------------------------------------------------------------------------------------------------
# counting


def automaton(words: list[str]):
    import ahocorasick  # pip install pyahocorasick (a tool dependency only: extra "harvest")

    a = ahocorasick.Automaton()
    for i, w in enumerate(words):
        a.add_word(w, i)
    a.make_automaton()
    return a


@dataclass
class Stats:
    docs: int = 0
    years: set[str] = field(default_factory=set)
    first: str = ""
    last: str = ""
    reports: set[int] = field(default_factory=set)
    per_year: Counter[str] = field(default_factory=Counter)

    @property
    def onset(self) -> str:
        """The first year with at least a tenth of the busiest year's stories (a coined phrase has a late one)."""
        if not self.per_year:
            return ""
        peak = max(self.per_year.values())
        return min(y for y, k in self.per_year.items() if k * 10 >= peak)

    def row(self) -> dict[str, str]:
        return {"docs": str(self.docs), "years": str(len(self.years)), "onset": self.onset, "first": self.first,
                "last": self.last,
                "reports": str(len(self.reports)), "first_report": str(min(self.reports)) if self.reports else ""}


def count(words: list[str], c: Corpus, reports: dict[int, str] | None = None) -> dict[str, Stats]:
    """Stories, years, first/last date and reports of every word (overlapping occurrences all count)."""
    a = automaton(words)
    stats = {w: Stats() for w in words}
    for date, _, text in c.stories:  # stories come in date order
        seen = {i for _, i in a.iter(text)}
        for i in seen:
            s = stats[words[i]]
            s.docs += 1
            s.years.add(date[:4])
            s.per_year[date[:4]] += 1
            s.first = s.first or date
            s.last = date
    for y, text in (reports if reports is not None else mining_reports(c)).items():
        for i in {i for _, i in a.iter(text)}:
            stats[words[i]].reports.add(y)
    return stats


def quoted_terms(c: Corpus, cfg: dict) -> Counter[str]:
    pats = [re.compile(f"{re.escape(a)}([{CJK}0-9A-Za-z·]{{2,14}}){re.escape(b)}") for a, b in cfg["quotes"]]
    n: Counter[str] = Counter()
    for _, _, text in c.stories:
        n.update({m.group(1) for p in pats for m in p.finditer(text)})
    for text in mining_reports(c).values():
        n.update({m.group(1) for p in pats for m in p.finditer(text)})
    return n


def numbered_terms(c: Corpus, cfg: dict) -> Counter[str]:
    """四个全面 (numeral 个 + 2–5 characters), 三去一降一补 (numeral + 1–2 characters, two or three times), and a
    standalone numeral + character between non-Chinese characters (“六稳”, 六保、).  For the first two every prefix
    of four characters or more is counted: the fragment rule picks the length the text uses."""
    num, ge = cfg["numerals"], re.escape(cfg["count_word"])
    grow = [re.compile(f"(?=([{num}]{ge}[{CJK}]{{2,5}}))"),
            re.compile(f"(?=((?:[{num}][{CJK}]{{1,2}}){{2,3}}))")]
    alone = re.compile(f"(?<![{CJK}])([{num}][{CJK}])(?![{CJK}])")
    n: Counter[str] = Counter()
    texts = [t for _, _, t in c.stories] + list(mining_reports(c).values())
    for text in texts:
        found = {m.group(1) for m in alone.finditer(text)}
        for p in grow:
            for m in p.finditer(text):
                s = m.group(1)
                found.update(s[:k] for k in range(4, len(s) + 1))
        n.update(found)
    return n


def ngram_terms(c: Corpus, cfg: dict) -> set[str]:
    """n-grams frequent in the sample of stories or in three reports or more (up to ngram_max + 1 characters:
    the longest only serve the fragment rule of the ones below them)."""
    runs = re.compile(f"[{CJK}]+")
    keep: set[str] = set()
    sample = [t for i, (_, _, t) in enumerate(c.stories) if i % cfg["sample_every"] == 0]
    for n in range(cfg["ngram_min"], cfg["ngram_max"] + 2):
        df: Counter[str] = Counter()
        for text in sample:
            df.update({r[i:i + n] for r in runs.findall(text) for i in range(len(r) - n + 1)})
        keep.update(w for w, k in df.items() if k >= cfg["sample_min_docs"])
        del df
        rf: Counter[str] = Counter()
        for text in mining_reports(c).values():
            rf.update({r[i:i + n] for r in runs.findall(text) for i in range(len(r) - n + 1)})
        keep.update(w for w, k in rf.items() if k >= 3)
        print(f"n={n}: {len(keep)} n-grams so far", file=sys.stderr)
    return keep


def _signal(w: str, s: Stats, quoted: int, how: set[str], cfg: dict) -> bool:
    """Does anything mark the candidate as a formulation rather than everyday wording?  The text quotes it often
    enough; it is a numbered formulation; or it rose during the corpus (onset) or entered the reports late."""
    q = cfg["signal"]
    if quoted >= q["quoted_docs"] and quoted >= q["quoted_share"] * max(s.docs, 1):
        return True
    if "numbered" in how:
        return True
    if s.onset and int(s.onset) >= q["onset_from"] and s.docs >= q["onset_min_docs"]:
        return True
    return (bool(s.reports) and min(s.reports) >= q["report_from"] and len(s.reports) >= q["report_min"]
            and s.docs >= q["report_min_docs"])


def _automatic_reason(w: str, s: Stats, longer: dict[str, int], cfg: dict) -> str:
    if s.docs < cfg["min_docs"] and len(s.reports) < cfg["min_reports"]:
        return "rare"
    if len(s.years) < cfg["min_years"] and len(s.reports) < cfg["min_reports"]:
        return "few-years"
    if longer.get(w, 0) >= cfg["fragment_share"] * max(s.docs, 1) and s.docs:
        return "fragment"
    edge = cfg["edge_words"]
    if w.startswith(tuple(edge["start"])) or w.endswith(tuple(edge["end"])):
        return "sentence-piece"
    if any(m in w for m in cfg["media"]):
        return "media"
    if any(e in w for e in cfg["event_words"]):
        return "event-report"
    return ""


def mine(args: argparse.Namespace) -> None:
    cfg = config()
    c = load_corpus()
    print(f"{len(c.stories)} stories (no 2024), {len(mining_reports(c))} reports", file=sys.stderr)
    quoted = quoted_terms(c, cfg)
    numbered = numbered_terms(c, cfg)
    grams = ngram_terms(c, cfg)
    how: dict[str, set[str]] = defaultdict(set)
    for w, k in quoted.items():
        if k >= 5:
            how[w].add("quoted")
    for w, k in numbered.items():
        if k >= 5:
            how[w].add("numbered")
    for w in grams:
        how[w].add("ngram")
    words = sorted(how)
    print(f"{len(words)} candidates to count", file=sys.stderr)
    stats = count(words, c)
    longer: dict[str, int] = defaultdict(int)
    have = set(words)
    for w in words:
        for v in (w[1:], w[:-1]):  # w extends v by one character
            if len(v) >= 2 and v in have:
                longer[v] = max(longer[v], stats[w].docs)
    out = HERE / "candidates.tsv"
    review = read_review()
    rows = []
    dropped: Counter[str] = Counter()
    for w in words:
        if len(w) > cfg["ngram_max"] and how[w] == {"ngram"}:
            continue  # the longest n-grams only tell which shorter ones are fragments
        s = stats[w]
        reason = _automatic_reason(w, s, longer, cfg)
        if not reason and not _signal(w, s, quoted.get(w, 0), how[w], cfg):
            reason = "no-signal"
        if reason and w not in review:
            dropped[reason] += 1
            continue  # counted, not written: the table keeps the review queue (and every reviewed term)
        r = s.row()
        decision = review.get(w) or (f"auto:{reason}" if reason else "review")
        rows.append([w, "+".join(sorted(how[w])), str(quoted.get(w, 0)), r["docs"], r["years"], r["onset"],
                     r["first"], r["last"], r["reports"], r["first_report"], decision])
    rows.sort(key=lambda r: (-int(r[3]), r[0]))
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write("# Mined by tools/harvest_phrases.py mine (news corpus without 2024; reports without 2024).\n"
                "# decision: review (read by hand) | auto:<rule> | keep:<concept> | reject:<category>\n")
        wr = csv.writer(f, delimiter="\t", lineterminator="\n")
        wr.writerow(["candidate", "how", "quoted_docs", "docs", "years", "onset", "first", "last", "reports",
                     "first_report", "decision"])
        wr.writerows(rows)
    tally = Counter(r[-1] if r[-1].startswith("auto") else r[-1].split(":")[0] for r in rows)
    print(f"{len(words)} counted; rejected by rule: {sum(dropped.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(dropped.items()))}); "
          f"{len(rows)} written to {out.relative_to(ROOT)}", file=sys.stderr)
    for k, v in sorted(tally.items()):
        print(f"  {k}: {v}", file=sys.stderr)


# --------------------------------------------------------------------------------------------------------------
# review


def read_review() -> dict[str, str]:
    """Hand decisions: candidate → ``keep:<concept slug>`` or ``reject:<category>``."""
    p = HERE / "review.tsv"
    if not p.is_file():
        return {}
    out = {}
    for ln in p.read_text(encoding="utf-8").splitlines():
        if ln.strip() and not ln.startswith("#"):
            cand, decision = ln.split("\t")[:2]
            out[cand] = decision.strip()
    return out


def _reject_category(w: str, kept: dict[str, str], cfg: dict) -> str:
    """Why a queue candidate the reviewer did not keep is out: a part or extension of a kept label (fragment), a
    name (jieba tags it as a place, person or organization: ns/nr/nt), a word of epidemic or war reports, a
    quantity, or everyday political-economic wording (generic)."""
    import jieba.posseg

    if any(w in k or k in w for k in kept if len(k) >= 3):
        return "fragment"
    for cat, words in cfg["reject_categories"].items():
        if any(x in w for x in words):
            return cat
    tags = {t.flag for t in jieba.posseg.cut(w)}
    if tags & {"ns"}:
        return "place"
    if tags & {"nr", "nrfg", "nrt"}:
        return "person"
    if tags & {"nt"}:
        return "organization"
    if w[0] in cfg["numerals"] and not (tags - {"m", "q", "mq"}):
        return "quantity"
    return "generic"


def review(args: argparse.Namespace) -> None:
    """Decisions for the review queue: a candidate that is a label of tools/phrases/concepts.tsv is kept (as that
    concept); review.tsv may override; every other queue candidate is rejected with a category (_reject_category)."""
    cfg = config()
    kept = {lab: k.slug for k in read_concepts() for lab in k.labels}
    p = HERE / "candidates.tsv"
    lines = p.read_text(encoding="utf-8").splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    rows = list(csv.DictReader([ln for ln in lines if not ln.startswith("#")], delimiter="\t"))
    decisions = read_review()
    for r in rows:
        w = r["candidate"]
        if w in decisions:
            r["decision"] = decisions[w]
        elif w in kept:
            r["decision"] = f"keep:{kept[w]}"
        elif r["decision"] == "review" or r["decision"].startswith("reject:"):
            r["decision"] = f"reject:{_reject_category(w, kept, cfg)}"
    with p.open("w", encoding="utf-8", newline="") as f:
        f.write("".join(h + "\n" for h in head))
        wr = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        wr.writeheader()
        wr.writerows(rows)
    tally = Counter(r["decision"].split(":")[0] if r["decision"].startswith("keep") else r["decision"] for r in rows)
    for k, v in sorted(tally.items()):
        print(f"{k}\t{v}")
    mined = {r["candidate"] for r in rows}
    slugs_mined = {kept[w] for w in mined if w in kept}
    print(f"concepts with a label in the queue: {len(slugs_mined)} of {len(set(kept.values()))}; "
          f"labels in the queue: {len(mined & set(kept))} of {len(kept)}")


# --------------------------------------------------------------------------------------------------------------
# contexts and label precision


def kwic(args: argparse.Namespace) -> None:
    c = load_corpus()
    for label in args.labels:
        pat = re.compile(re.escape(label))
        n = 0
        for date, _, text in c.stories:
            for m in pat.finditer(text):
                if n < args.n:
                    print(f"{date} {text[max(0, m.start() - args.width):m.start()]}【{label}】"
                          f"{text[m.end():m.end() + args.width]}".replace("\n", " "))
                n += 1
        print(f"-- {label}: {n} occurrences")


@dataclass
class ConceptRow:
    slug: str
    pref: str
    alts: list[str]
    en: str
    broader: list[str]
    related: list[str]
    note: str
    source: str

    @property
    def labels(self) -> list[str]:
        return [self.pref, *self.alts]


def read_concepts() -> list[ConceptRow]:
    lines = [ln for ln in (HERE / "concepts.tsv").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    out = []
    for r in csv.DictReader(lines, delimiter="\t"):
        cell = {k: (v or "").strip() for k, v in r.items() if k}
        split = {k: [s.strip() for s in v.split("|") if s.strip()] for k, v in cell.items()}
        out.append(ConceptRow(cell["slug"], cell["pref"], split.get("alt", []), cell.get("en", ""),
                              split.get("broader", []), split.get("related", []), cell.get("note", ""),
                              cell.get("source", "")))
    return out


def labels(args: argparse.Namespace) -> None:
    """Per label: stories, and the share of occurrences glued to Chinese characters on both sides that no label
    of any concept covers — the sign of a label matching inside another word."""
    concepts = read_concepts()
    c = load_corpus()
    owner = {lab: k.slug for k in concepts for lab in k.labels}
    words = sorted(owner)
    a = automaton(words)
    occ: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for _, _, text in c.stories:
        hits = [(end - len(words[i]) + 1, end + 1, words[i]) for end, i in a.iter(text)]
        seen = set()
        for s, e, w in hits:
            occ[w] += 1
            seen.add(w)
            if any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in hits):
                covered[w] += 1  # inside a longer label: the longer one (or its concept) speaks for it
            left[w][text[s - 1] if s else ""] += 1
            right[w][text[e] if e < len(text) else ""] += 1
        docs.update(seen)
    print("label\tconcept\tdocs\toccurrences\tinside_longer_label\ttop_left\ttop_right")
    for w in sorted(words, key=lambda w: (len(w), -docs[w])):
        if args.max_len and len(w) > args.max_len:
            continue
        lt = " ".join(f"{k or '^'}{v}" for k, v in left[w].most_common(4))
        rt = " ".join(f"{k or '$'}{v}" for k, v in right[w].most_common(4))
        print(f"{w}\t{owner[w]}\t{docs[w]}\t{occ[w]}\t{covered[w]}\t{lt}\t{rt}")


# --------------------------------------------------------------------------------------------------------------
# the Turtle file


def first_report(concepts: list[ConceptRow], c: Corpus) -> dict[str, int]:
    """Year of the first government work report (2024's included) holding one of the concept's labels."""
    words = sorted({lab for k in concepts for lab in k.labels})
    stats = count(words, Corpus(stories=[], reports=c.reports), reports=c.reports)
    out = {}
    for k in concepts:
        years = [min(stats[lab].reports) for lab in k.labels if stats[lab].reports]
        if years:
            out[k.slug] = min(years)
    return out


def _lit(s: str, lang: str | None = None) -> str:
    esc = s.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


HEADER = """\
# Policy formulations as a SKOS concept scheme.  GENERATED by tools/harvest_phrases.py ttl from
# tools/phrases/concepts.tsv (edit that table, then run the script); how the list was mined and reviewed:
# docs/phrases.md.
# skos:prefLabel@zh-Hans = canonical simplified form; skos:prefLabel@en = the rendering of official English
# translations (Xinhua, english.gov.cn, China Daily); skos:altLabel = other surface forms really used (full and
# short forms).  Traditional forms are matched after OpenCC t2s conversion, so they are not listed.
# broader/related record how the phrases hang together (新发展格局 ⊃ 双循环 ⊃ 国内大循环).
# ptk:firstWorkReport = year of the first government work report (of those in the collection: 1954–2025, some
# years missing, among them 2020) that uses one of the labels; skos:historyNote = the origin where known, with
# dct:source the public page that states it.
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ptk:  <https://w3id.org/ptkg/ns#> .
@prefix c:    <https://w3id.org/ptkg/id/concept/> .

c:scheme a skos:ConceptScheme ;
    skos:prefLabel "ptkg policy phrases"@en , "政策术语"@zh-Hans ;
    dct:source "Curated by the ptkg project from official CPC/State Council wording; candidates mined from \
the news and government work report corpora (docs/phrases.md)." .
"""


def ttl(args: argparse.Namespace) -> None:
    concepts = read_concepts()
    slugs = {k.slug for k in concepts}
    problems = [f"{k.slug}: unknown {r}" for k in concepts for r in k.broader + k.related if r not in slugs]
    seen: dict[str, str] = {}
    for k in concepts:
        for lab in k.labels:
            if lab in seen and seen[lab] != k.slug:
                problems.append(f"label {lab} in {seen[lab]} and {k.slug}")
            seen[lab] = k.slug
    if problems:
        sys.exit("\n".join(problems))
    c = load_corpus()
    first = first_report(concepts, c)
    years = set(c.reports)
    has_broader = {k.slug for k in concepts if k.broader}
    out = [HEADER]
    for k in concepts:
        parts = [f"c:{k.slug} a skos:Concept", "skos:inScheme c:scheme"]
        if k.slug not in has_broader:
            parts.append("skos:topConceptOf c:scheme")
        if k.broader:
            parts.append("skos:broader " + " , ".join(f"c:{b}" for b in k.broader))
        if k.related:
            parts.append("skos:related " + " , ".join(f"c:{r}" for r in k.related))
        parts.append(f"skos:prefLabel {_lit(k.pref, 'zh-Hans')} , {_lit(k.en, 'en')}")
        if k.alts:
            parts.append("skos:altLabel " + " , ".join(_lit(a, "zh-Hans") for a in k.alts))
        if k.slug in first:
            y = first[k.slug]
            parts.append(f'ptk:firstWorkReport "{y}"^^xsd:gYear')
            if y - 1 not in years and y > 1954:
                parts.append(_lit(f"The government work report of {y - 1} is not in the collection: "
                                  f"the first report using it may be {y - 1}'s.", "en").join(
                                      ["skos:editorialNote ", ""]))
        if k.note:
            parts.append(f"skos:historyNote {_lit(k.note, 'zh-Hans')}")
        if k.source:
            parts.append(f"dct:source <{k.source}>" if k.source.startswith("http") else
                         f"dct:source {_lit(k.source)}")
        out.append(" ;\n    ".join(parts) + " .\n")
    path = ROOT / "extractors" / "data" / "phrases.ttl"
    path.write_text("\n".join(out), encoding="utf-8")
    print(f"{len(concepts)} concepts, {len(seen)} labels, {len(first)} with a first report year → "
          f"{path.relative_to(ROOT)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("mine").set_defaults(fn=mine)
    sub.add_parser("review").set_defaults(fn=review)
    k = sub.add_parser("kwic")
    k.add_argument("labels", nargs="+")
    k.add_argument("-n", type=int, default=20)
    k.add_argument("--width", type=int, default=15)
    k.set_defaults(fn=kwic)
    lb = sub.add_parser("labels")
    lb.add_argument("--max-len", type=int, default=0)
    lb.set_defaults(fn=labels)
    sub.add_parser("ttl").set_defaults(fn=ttl)
    a = ap.parse_args(argv)
    a.fn(a)


if __name__ == "__main__":
    main()
