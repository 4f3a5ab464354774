"""Fill the ``grep_first`` column of ``tests/gold/origins.tsv``: the earliest 新闻联播 story that contains the phrase.

Why: "first said" must beat the naive answer, the date of the earliest story in which the phrase occurs (what
``grep -l`` over the corpus gives).  This script computes that baseline the same way for every phrase of the table.

Corpus: ``/tmp/xwlb_txt/YYYYMMDD_NN.txt`` (line 1 title, line 2 broadcast time, then the body); the story date is
the file name's.  **Every 2024 file is skipped** (held out): the baseline never reads them.  The phrase is matched
literally (the corpus is in Simplified characters), in title or body.

Usage: ``python tools/grep_first.py [--corpus DIR] [--table tests/gold/origins.tsv]`` (rewrites the column in place,
leaving the comment header and every other column as they are).
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = "2024"


def earliest(phrases: list[str], corpus: Path) -> dict[str, str]:
    """phrase → ISO date of the earliest story (2024 skipped) containing it; absent phrases are left out."""
    todo = set(phrases)
    found: dict[str, str] = {}
    for p in sorted(corpus.glob("*.txt")):  # file names sort by date
        if p.name.startswith(HELD_OUT):
            continue
        text = p.read_text(encoding="utf-8", errors="replace")
        hits = {ph for ph in todo if ph in text}
        for ph in hits:
            d = p.name[:8]
            found[ph] = f"{d[:4]}-{d[4:6]}-{d[6:]}"
        todo -= hits
        if not todo:
            break
    return found


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/xwlb_txt"))
    ap.add_argument("--table", type=Path, default=ROOT / "tests" / "gold" / "origins.tsv")
    a = ap.parse_args(argv)
    lines = a.table.read_text(encoding="utf-8").splitlines()
    head = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    cols = lines[head].split("\t")
    k, ph = cols.index("grep_first"), cols.index("phrase")
    rows = [ln.split("\t") for ln in lines[head + 1:] if ln.strip()]
    for r in rows:
        r.extend([""] * (len(cols) - len(r)))
    first = earliest([r[ph] for r in rows], a.corpus)
    for r in rows:
        r[k] = first.get(r[ph], "")
    out = lines[:head + 1] + ["\t".join(r) for r in rows]
    a.table.write_text("\n".join(out) + "\n", encoding="utf-8")
    for r in rows:
        print(f"{r[ph]}\t{r[cols.index('origin_date')]}\t{r[k] or '(none)'}")


if __name__ == "__main__":
    main()
