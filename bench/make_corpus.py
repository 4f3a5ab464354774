"""Generate a large corpus of short, dated, news-like documents for the build benchmark.

The interesting corpora are news archives (~75,000 stories, ~500 characters each, for a decade),
which we cannot ship.  This script makes a stand-in with the same shape from public text we do
have: the government work reports in ``shared/corpora/`` are cut into runs of consecutive
sentences (a story reports a part of a speech), each with a Xinhua-style dateline in the report's
year, a title line, and a row in ``manifest.csv`` (date, title, publisher).  Stories overlap, as
news does when it repeats a policy formulation, and the output is the same for the same seed.

    python bench/make_corpus.py /tmp/news --docs 20000
"""

from __future__ import annotations

import argparse
import bisect
import csv
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "government-work-reports"
#: the shared corpora when they are beside the checkout, else the reports copied into tests/data (a fresh clone)
DEFAULT_SOURCE = _SHARED if _SHARED.is_dir() else Path(__file__).resolve().parents[1] / "tests" / "data" / \
    "government-work-reports"
_SENTENCE = re.compile(r"[^。！？；]*[。！？；]")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
CITIES = ["北京", "上海", "广州", "深圳", "武汉", "成都", "重庆", "西安", "杭州", "南京", "天津", "长沙"]


@dataclass
class Source:
    """One source report: its year and its sentences, paragraph ends marked."""

    name: str
    year: int
    sentences: list[str]
    paragraph_end: list[bool]


def load_sources(folders: list[Path]) -> list[Source]:
    sources = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            m = _YEAR.search(path.stem) or _YEAR.search(text[:200])
            if not m:
                continue
            sentences: list[str] = []
            ends: list[bool] = []
            for para in text.split("\n"):
                para = para.strip()
                found = [s.strip() for s in _SENTENCE.findall(para) if len(s.strip()) >= 8]
                if len(para) < 20 or not found:
                    continue
                sentences += found
                ends += [False] * (len(found) - 1) + [True]
            if len(sentences) >= 5:
                sources.append(Source(path.name, int(m.group(1)), sentences, ends))
    return sources


def story(src: Source, rng: random.Random, target: int) -> tuple[str, list[str]]:
    """A title and paragraphs: consecutive sentences from a random place, about ``target`` characters."""
    i = rng.randrange(len(src.sentences))
    paras: list[str] = []
    cur: list[str] = []
    size = 0
    while size < target and i < len(src.sentences):
        s = src.sentences[i]
        cur.append(s)
        size += len(s)
        if src.paragraph_end[i] or len(cur) >= 4:
            paras.append("".join(cur))
            cur = []
        i += 1
    if cur:
        paras.append("".join(cur))
    first = paras[0].rstrip("。！？；")
    title = re.split(r"[，,：:。；！？]", first)[0][:24] or first[:24]
    return title, paras


def make(out: Path, docs: int, seed: int = 7, sources: list[Path] | None = None,
         mean_chars: int = 500) -> tuple[int, int]:
    """Write ``docs`` stories and ``manifest.csv`` under ``out``; returns (documents, characters)."""
    srcs = load_sources(sources or [DEFAULT_SOURCE])
    if not srcs:
        raise SystemExit(f"no source text found in {sources or [DEFAULT_SOURCE]}")
    rng = random.Random(seed)
    weights = [len(s.sentences) for s in srcs]
    cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
    out.mkdir(parents=True, exist_ok=True)
    chars = 0
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "date", "title", "publisher"])
        for n in range(docs):
            src = srcs[bisect.bisect_right(cumulative, rng.randrange(cumulative[-1]))]
            month, day = rng.randint(3, 12), rng.randint(1, 28)
            title, paras = story(src, rng, max(80, int(rng.gauss(mean_chars, mean_chars / 3))))
            dateline = f"新华社{rng.choice(CITIES)}{month}月{day}日电"
            body = f"{title}\n\n{dateline} {paras[0]}\n" + "".join(f"\n{p}\n" for p in paras[1:])
            rel = f"{src.year}/{month:02d}/{n:06d}.txt"
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            chars += len(body)
            w.writerow([rel, f"{src.year}-{month:02d}-{day:02d}", title, "新华社"])
    return docs, chars


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="folder to write (created)")
    p.add_argument("--docs", type=int, default=20000, help="number of documents (default 20000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--mean-chars", type=int, default=500, help="mean story length in characters")
    p.add_argument("--source", type=Path, action="append", help=f"folder of .txt to cut (default {DEFAULT_SOURCE})")
    a = p.parse_args(argv)
    n, chars = make(a.out, a.docs, a.seed, a.source, a.mean_chars)
    print(f"{n} documents, {chars} characters in {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
