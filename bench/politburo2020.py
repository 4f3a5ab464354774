"""The 2020 Politburo year: is every announced meeting of the Politburo, its Standing Committee and every
collective study session of 2020 an event on its day, once, and are there none it invented?

Public record: ``tests/gold/politburo2020.tsv`` (34 occasions, each with the 新闻联播 story that broadcast
its readout and its Xinhua/gov.cn source).  The corpus: extract the 新闻联播 corpus as
``../shared/corpora/xwlb/README.md`` says (default ``/tmp/xwlb_txt``); this script copies the 2020 stories,
builds them with this checkout (or reads ``--graph``) and prints found / missing / duplicated / invented.

An occasion counts as found when a meeting (ptk:Meeting; the documents a meeting reviewed are its publications,
not meetings) whose organizer is the Politburo or its Standing Committee
(the two bodies' IRIs, from their lexicon rows found by the English names, so no Chinese words here)
starts on the record's day.  Anything else such a body organizes on a 2020 day not in the record is
"invented" (it may be a real occasion recalled by a later story on the wrong day, or a made-up one).

    python bench/politburo2020.py [--corpus DIR] [--graph OUT/graph.ttl]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "gold" / "politburo2020.tsv"
BODIES = ("Political Bureau of the CPC Central Committee", "Politburo Standing Committee of the CPC Central Committee")

QUERY = """
PREFIX ptk: <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?nb ?na ?name ?o WHERE {
  ?e a ptk:Meeting ; schema:name ?name ; ptk:notBefore ?nb ; ptk:notAfter ?na ; schema:organizer ?o .
  FILTER(STR(?nb) >= "2020-01-01" && STR(?nb) <= "2020-12-31")
}
"""


def body_iris() -> set[str]:
    """The two bodies' IRIs: their canonical names from the lexicon, found by their English names."""
    from urllib.parse import quote
    rows = (ROOT / "extractors" / "data" / "organizations.tsv").read_text(encoding="utf-8").splitlines()
    names = [r.split("\t")[0] for r in rows if not r.startswith("#") and any(b in r.split("\t") for b in BODIES)]
    return {"https://w3id.org/ptkg/id/org/" + quote(n) for n in names}


def record() -> list[dict[str, str]]:
    lines = [ln for ln in RECORD.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def build(corpus: Path, tmp: Path) -> Path:
    src = tmp / "in"
    src.mkdir()
    for f in sorted(corpus.glob("2020*.txt")):
        shutil.copy(f, src / f.name)
    out = tmp / "out"
    subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(src), "-o", str(out), "--no-cache"],
                   cwd=ROOT, check=False, capture_output=True)
    return out / "graph.ttl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/xwlb_txt"))
    ap.add_argument("--graph", type=Path)
    args = ap.parse_args()
    from rdflib import Graph

    with tempfile.TemporaryDirectory() as tmp:
        graph_file = args.graph or build(args.corpus, Path(tmp))
        g = Graph(store="Oxigraph")
        g.parse(graph_file, format="turtle")
        rows = [(str(e), str(nb), str(na), str(n), str(o)) for e, nb, na, n, o in g.query(QUERY)]
    bodies = body_iris()
    events = {(e, nb, na, n) for e, nb, na, n, o in rows if o in bodies}
    by_day = Counter(nb for _, nb, na, _ in events if nb == na)
    days = Counter(r["date"].split("/")[0] for r in record() if r["kind"] != "politburo-democratic-life-meeting")
    found = sum(min(by_day[d], n) for d, n in days.items())
    missing = sorted(d for d, n in days.items() if by_day[d] < n)
    extra = sorted((d, n - days[d]) for d, n in by_day.items() if n > days[d])
    print(f"record: {sum(days.values())} occasions on {len(days)} days (democratic life meeting not counted)")
    print(f"found on their day: {found}; missing days: {' '.join(missing) or '-'}")
    print(f"days with more Politburo events than the record (duplicates or invented): "
          f"{' '.join(f'{d}(+{k})' for d, k in extra) or '-'}")
    extra_days = {d for d, _ in extra}
    for _e, nb, na, n in sorted(events, key=lambda x: (x[1], x[3])):
        if nb not in days or nb != na:
            print(f"  not in the record: {nb}..{na} {n}")
        elif nb in extra_days:
            print(f"  on a day with more than the record: {nb} {n}")


if __name__ == "__main__":
    main()
