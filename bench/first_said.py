"""Score "first said" against the origin table: how many phrases of ``tests/gold/origins.tsv`` the saved query
``queries/first-said.rq`` answers with the origin occasion's day, against grep's earliest story (column grep_first).

Why: the analyst's question is the product; the table (34 phrases, origin days from public sources) is the check
that the answer is the origin, not the first story that happens to hold the phrase near some recalled occasion.

A phrase is *right* when the answer's days (ptk:notBefore..ptk:notAfter of the first event) meet the table's
not_before..not_after and the answer spans at most :data:`MAX_SPAN` days (a vague "2013年" is no answer of a day).
grep is right when its story's date falls in the same bounds.  Also counted: phrases coined after 2000 answered with
an occasion before 2000 (must be none), and of the right days, those whose answer names the table's speaker among its
speakers (the day alone can be a right day with the wrong person: a talk of 习近平 reported as someone else's).

    python bench/first_said.py GRAPH.ttl [--table tests/gold/origins.tsv] [--verbose]

Build the graph first, e.g. over every non-2024 story that holds a label of the table (2024 may be built, never read):
``python -m ptkg.cli build DIR -o OUT -j 1`` (nice).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the widest answer (days) that still names a day of origin (a tour of a few days, a plenum)
MAX_SPAN = 7
PRE = dt.date(2000, 1, 1)


def _table(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    cols = lines[0].split("\t")
    return [dict(zip(cols, ln.split("\t") + [""] * (len(cols) - len(ln.split("\t"))), strict=True))
            for ln in lines[1:]]


def _day(s: str) -> dt.date | None:
    return dt.date.fromisoformat(s[:10]) if s else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", type=Path)
    ap.add_argument("--table", type=Path, default=ROOT / "tests" / "gold" / "origins.tsv")
    ap.add_argument("--query", type=Path, default=ROOT / "queries" / "first-said.rq")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args(argv)
    import pyoxigraph as ox

    store = ox.Store()
    t0 = time.perf_counter()
    store.bulk_load(path=str(a.graph), format=ox.RdfFormat.TURTLE)
    load_s = time.perf_counter() - t0
    query = a.query.read_text(encoding="utf-8")
    rows = _table(a.table)
    ours = grep = early = speaker = 0
    slowest = 0.0
    for r in rows:
        q = re.sub(r'VALUES \?phrase \{ "[^"]*" \}', f'VALUES ?phrase {{ "{r["phrase"]}" }}', query)
        t0 = time.perf_counter()
        sol = list(store.query(q))
        slowest = max(slowest, time.perf_counter() - t0)
        nb, na = _day(r["not_before"]), _day(r["not_after"])
        origin = _day(r["origin_date"])
        got = ""
        hit = False
        if sol:
            s = sol[0]
            anb, ana = _day(s["notBefore"].value), _day(s["notAfter"].value)
            hit = anb <= na and nb <= ana and (ana - anb).days <= MAX_SPAN
            if origin >= PRE and ana < PRE:
                early += 1
            how = s["how"].value if s["how"] else ""
            ev = s["evidence"].value if s["evidence"] else ""
            who = s["speakers"].value if s["speakers"] else ""
            spoke = not r["speaker"] or r["speaker"] in who.split("、")
            speaker += hit and spoke
            got = (f"{anb}..{ana} {s['occasion'].value} ({who or '—'}{'' if spoke else ' ≠ ' + r['speaker']}) [{how}] "
                   f"{s['file'].value}:{s['line'].value} “{ev[:60]}”")
        g = _day(r["grep_first"])
        ghit = bool(g and nb <= g <= na)
        ours += hit
        grep += ghit
        if a.verbose or not hit:
            mark = ('OK ' if hit else 'no ') + ('g' if ghit else ' ')
            print(f"{mark} {r['phrase']}\t{r['origin_date']}\t{got or '(none)'}")
    n = len(rows)
    print(f"first-said right: {ours}/{n} = {ours / n:.3f} ({speaker} of them with the table's speaker); "
          f"grep right: {grep}/{n} = {grep / n:.3f}; "
          f"post-2000 phrases answered before 2000: {early}; graph load {load_s:.1f} s, slowest query {slowest:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
