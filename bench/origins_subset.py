"""Gather the stories a "first said" answer for ``tests/gold/origins.tsv`` can rest on, so that
``bench/first_said.py`` can be run on a build of minutes instead of the 15-20 minute full-corpus build.

Why these: the answer for a phrase is the earliest event with an attribution of it, so what decides it is (a) every
story that holds one of the phrase's labels (prefLabel or altLabel of its concept in the lexicon) up to
``--years`` after the phrase's origin (the report of the day, and the reports that could wrongly come before it),
and (b) every story with an explicit statement of origin (the ``origin_cues`` of
``extractors/data/attribution.yaml``: 首次提出, 第一次提出, ...), whenever written, since a later "首次提出"
statement may be the only evidence of the day.  The subset is a lower bound of the full corpus's difficulty
(a story that holds neither, merged into the same event, is missing), so say which one a figure comes from.

**2024 stories are never read** (held out): every ``2024*`` file is skipped, for the labels and the cues alike.

    python bench/origins_subset.py /tmp/xwlb_txt /tmp/origins_subset/txt [--years 1]
    nice -n 5 python -m ptkg.cli build /tmp/origins_subset/txt -o /tmp/origins_subset/out -j 2
    python bench/first_said.py /tmp/origins_subset/out/graph.ttl --verbose
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]  # this checkout's ptkg and bench

from first_said import _table  # noqa: E402


def _labels(phrases: list[str]) -> dict[str, list[str]]:
    """Every label of the concept each table phrase names (the phrase itself when the lexicon lacks it)."""
    from ptkg.extractors.lexicon import load

    lex = load()
    out = {}
    for p in phrases:
        c = next((c for c in lex.concepts if p == c.pref_label or p in c.alt_labels), None)
        out[p] = sorted({p, *(([c.pref_label, *c.alt_labels]) if c else [])})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="folder of YYYYMMDD_NN.txt stories")
    ap.add_argument("out", type=Path, help="folder to copy the subset into (emptied first)")
    ap.add_argument("--table", type=Path, default=ROOT / "tests" / "gold" / "origins.tsv")
    ap.add_argument("--years", type=float, default=1.0, help="how long after each origin its labels are gathered")
    a = ap.parse_args(argv)
    import yaml

    words = (ROOT / "extractors" / "data" / "attribution.yaml").read_text(encoding="utf-8")
    cues = yaml.safe_load(words)["origin_cues"]
    rows = _table(a.table)
    labels = _labels([r["phrase"] for r in rows])
    until = {r["phrase"]: dt.date.fromisoformat(r["not_after"]) + dt.timedelta(days=round(365 * a.years))
             for r in rows}
    files = sorted(f for f in a.corpus.glob("*.txt") if not f.name.startswith("2024"))
    chosen = []
    why = {"label": 0, "cue": 0}
    for f in files:
        day = dt.date(int(f.name[:4]), int(f.name[4:6]), int(f.name[6:8]))
        t = f.read_text(encoding="utf-8", errors="replace")
        if any(c in t for c in cues):
            chosen.append(f)
            why["cue"] += 1
        elif any(day <= until[p] and any(lb in t for lb in ls) for p, ls in labels.items()):
            chosen.append(f)
            why["label"] += 1
    if a.out.exists():
        shutil.rmtree(a.out)
    a.out.mkdir(parents=True)
    for f in chosen:
        shutil.copy2(f, a.out / f.name)
    print(f"{len(chosen)} of {len(files)} stories (not 2024): {why['cue']} with an origin cue, "
          f"{why['label']} more with a table phrase's label up to {a.years:g} year(s) after its origin -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
