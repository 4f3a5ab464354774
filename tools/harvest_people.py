"""Harvest people named with a title ("中共中央政治局常委、国务院总理李强") from a folder of news stories.

Why: the people lexicon (``extractors/data/people.tsv``) must list the officials that real news
names, with their offices and years.  This script counts every ``<chain of offices><name>`` in a
corpus so that a person can review the candidates against public sources; it decides nothing.

Corpus: the 新闻联播 stories at ``/tmp/xwlb_txt`` (``YYYYMMDD_NN.txt``; line 2 is the broadcast
time).  Files whose name starts with an excluded year (default 2024, the held-out year) are never
opened.

How a name is cut: after a title, every run of 2–6 name characters (up to 14 with a middle dot ·
for transliterated names) that is followed by a word from ``after_name`` is a candidate.  Which one
is the name is decided by the whole corpus: at each position, the longest candidate that is possible
at no fewer than half as many positions as the best one (李克强 is possible before 在, 强调, 、 …; 李克
only before 强调; 魏凤 wherever 魏凤和 is, because 和 also ends a name).

The word lists are data: ``tools/harvest_people.yaml`` and ``extractors/data/titles.tsv``.

    python tools/harvest_people.py /tmp/xwlb_txt -o /tmp/people_harvest.tsv
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_CJK = "\u4e00-\u9fff"
_DOTS = str.maketrans({"\u30fb": "\u00b7", "\u2022": "\u00b7", "\u2027": "\u00b7", "\uff0e": "\u00b7"})


def _titles_tsv() -> list[str]:
    rows = [ln for ln in (ROOT / "extractors/data/titles.tsv").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    return [r["title"] for r in csv.DictReader(rows, delimiter="\t")]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


class Harvester:
    """Collects, per title occurrence, the possible names after it and the chain of offices before it."""

    def __init__(self, config: dict) -> None:
        self.titles = sorted(set(config["titles"]) | set(_titles_tsv()))
        self.title_re = re.compile(_alternation(self.titles))
        self.after = tuple(sorted(set(config["after_name"]), key=len, reverse=True))
        self.chain_start = re.compile(_alternation(config["chain_start"]))
        self.name_char = re.compile(f"[{_CJK}\u00b7]")
        self.title_set = self.titles
        self.not_name = tuple(config.get("not_name", []))
        self.positions: list[tuple[str, str, str, tuple[str, ...]]] = []  # (year, office, title, candidates)

    def _candidates(self, text: str, end: int) -> tuple[str, ...]:
        out: list[str] = []
        if not self.name_char.match(text, end) or text.startswith(self.after + self.not_name, end):
            return ()  # 总书记指出, 总书记重要讲话: the title stands after a name, not before one
        for length in range(2, 15):
            cand = text[end:end + length]
            if len(cand) < length or not self.name_char.fullmatch(cand[-1]):
                break
            if length > 6 and "\u00b7" not in cand:
                continue
            if cand[0] == "\u00b7" or cand[-1] == "\u00b7":
                continue
            if not text.startswith(self.after, end + length):
                continue
            if any(t in cand for t in self.title_set):
                continue  # 处书记蔡奇: a second title inside, the name comes after it
            out.append(cand)
        return tuple(out)

    def _office(self, text: str, start: int, end: int) -> str:
        """The last office of the chain before the name (国务院总理 in 政治局常委、国务院总理)."""
        left = text[max(0, start - 30):start]
        cut = [m.end() for m in self.chain_start.finditer(left)]
        chain = left[cut[-1]:] if cut else left
        return (chain + text[start:end]).split("、")[-1]

    def feed(self, year: str, text: str) -> None:
        text = text.translate(_DOTS)
        for m in self.title_re.finditer(text):
            cands = self._candidates(text, m.end())
            if cands:
                office = self._office(text, m.start(), m.end())
                self.positions.append((year, office, m.group(), cands))

    @staticmethod
    def _pick(cands: tuple[str, ...], support: Counter[str]) -> str:
        """The longest candidate with at least half the best support: 魏凤和 over 魏凤 (和 also ends a name),
        李克强 over 李克 (possible only before 强调) and over 李克强在 (possible only before 会见)."""
        best = max(support[c] for c in cands)
        return max((c for c in cands if 2 * support[c] >= best), key=len)

    def _choose(self, support: Counter[str]) -> list[tuple[str, str, str]]:
        return [(y, o, self._pick(c, support)) for y, o, _, c in self.positions]

    def resolve(self) -> dict[str, dict]:
        support = Counter(c for *_, cands in self.positions for c in cands)
        # A title right after a harvested name (习近平总书记 + 重要讲话) is an honorific, not a chain:
        # a first round finds the names, the second drops the positions whose office ends in one.
        first = Counter(name for _, _, name in self._choose(support))
        names = {n for n, c in first.items() if c >= 3}
        keep = []
        for pos in self.positions:
            head = pos[1][: len(pos[1]) - len(pos[2])]
            if not any(head.endswith(n) for n in (head[-k:] for k in range(2, 7)) if n in names):
                keep.append(pos)
        self.positions = keep
        support = Counter(c for *_, cands in self.positions for c in cands)
        people: dict[str, dict] = defaultdict(lambda: {"n": 0, "years": Counter(), "offices": Counter(), "spans": {}})
        for year, office, name in self._choose(support):
            p = people[name]
            p["n"] += 1
            p["years"][year] += 1
            p["offices"][office] += 1
            p["spans"].setdefault(office, set()).add(year)
        return people


def _lexicon_rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _spans(offices: str) -> list[tuple[str, int, int]]:
    """``国务院总理@2013-2023|总统@2025-`` → [(国务院总理, 2013, 2023), (总统, 2025, 9999)]."""
    out = []
    for cell in filter(None, (c.strip() for c in offices.split("|"))):
        office, _, years = cell.partition("@")
        first, _, last = years.partition("-")
        out.append((office, int(first or 0), int(last) if last else 9999))
    return out


def _office_matches(lex_office: str, country: str, seen: str) -> bool:
    """Whether a harvested chain office (俄罗斯总统, 中共中央政治局常委、国务院总理) is the lexicon's office."""
    seen = seen.strip()
    if not country:
        return lex_office in seen or (len(seen) >= 3 and seen in lex_office)
    return seen.endswith(lex_office) or lex_office.endswith(seen) and len(seen) >= 2


def check(people: dict[str, dict], lexicon: Path, corpus_counts: Counter[str]) -> list[str]:
    """One line per lexicon row: corpus mentions, title-chain mentions, and whether the chains confirm an office."""
    lines = ["name\tmentions\tchains\tconfirmed\tunconfirmed_offices\tcorpus_offices"]
    for row in _lexicon_rows(lexicon):
        name, country = row["name"], row.get("country", "")
        p = people.get(name)
        spans = _spans(row.get("offices", ""))
        confirmed, missing = [], []
        for office, first, last in spans:
            ok = bool(p) and any(
                _office_matches(office, country, seen) and any(first - 1 <= int(y) <= last + 1 for y in years)
                for seen, years in p["spans"].items())
            (confirmed if ok else missing).append(office)
        seen_offices = "|".join(f"{o}:{c}" for o, c in p["offices"].most_common(4)) if p else ""
        lines.append(f"{name}\t{corpus_counts[name]}\t{p['n'] if p else 0}\t{len(confirmed)}/{len(spans)}"
                     f"\t{'|'.join(missing)}\t{seen_offices}")
    return lines


def _stories(folder: Path, exclude: set[str]):
    for path in sorted(folder.glob("*.txt")):
        if path.name[:4] in exclude:
            continue
        yield path.name[:4], path.read_text(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-o", "--out", type=Path, required=True)
    ap.add_argument("--exclude-year", action="append", default=None, help="year prefix never read (default 2024)")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--check", type=Path, help="a people.tsv to check against the harvest (writes OUT.check.tsv)")
    args = ap.parse_args(argv)
    exclude = set(args.exclude_year or ["2024"])
    config = yaml.safe_load((ROOT / "tools/harvest_people.yaml").read_text(encoding="utf-8"))
    h = Harvester(config)
    n = 0
    names = [r["name"] for r in _lexicon_rows(args.check)] if args.check else []
    name_re = re.compile(_alternation(names)) if names else None
    counts: Counter[str] = Counter()
    for year, text in _stories(args.corpus, exclude):
        h.feed(year, text)
        if name_re:
            counts.update(name_re.findall(text))
        n += 1
    people = h.resolve()
    rows = sorted(people.items(), key=lambda kv: (-kv[1]["n"], kv[0]))
    with args.out.open("w", encoding="utf-8") as f:
        f.write("name\tcount\tfirst\tlast\tyears\toffices\n")
        for name, p in rows:
            if p["n"] < args.min_count:
                continue
            years = sorted(p["years"])
            offices = "|".join(f"{o}:{c}:{min(p['spans'][o])}-{max(p['spans'][o])}"
                               for o, c in p["offices"].most_common(6))
            ycount = ",".join(f"{y}:{p['years'][y]}" for y in years)
            f.write(f"{name}\t{p['n']}\t{years[0]}\t{years[-1]}\t{ycount}\t{offices}\n")
    if args.check:
        report = args.out.with_suffix(".check.tsv")
        report.write_text("\n".join(check(people, args.check, counts)) + "\n", encoding="utf-8")
        print(f"check -> {report}", file=sys.stderr)
    print(f"{n} stories, {len(h.positions)} title positions, {len(people)} names -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
