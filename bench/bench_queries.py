"""Time every saved query (``queries/*.rq``) on a built output folder: the whole command and the query alone.

Why both: the must-show of issue 15 is the wall time of ``ptkg query`` (what a user waits for), but that includes
Python's start-up, the forked worker and the formatting; the in-process figure (open the store read-only, evaluate,
read every cell as the worker does) says how much of it is the query.  ``ASK {}`` through the command line is the
floor of the first column.  Medians of ``--runs`` runs, store warm (one run first, not counted); the CPU column is
the process time of the in-process run, steadier than wall time on a shared machine.

    python bench/bench_queries.py /tmp/full/ [--runs 3] [--format table] [--only first-said] [--queries DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ptkg.graph.query import DEFAULT_PREFIXES, format_rows  # noqa: E402
from ptkg.graph.store import fresh_store_dir  # noqa: E402


def cli_seconds(query: str, graph: Path, fmt: str) -> float:
    """Wall time of one ``ptkg query`` (its output is read and dropped, as a pipe would)."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "query", query, "--graph", str(graph), "--format", fmt],
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{query}: {r.stderr.decode(errors='replace').strip()}")
    return took


def in_process(store: object, query: str, fmt: str) -> tuple[int, float, float, float]:
    """Rows, evaluation seconds (every cell read), formatting seconds and CPU seconds of one run."""
    c0, t0 = time.process_time(), time.perf_counter()
    result = store.query(query, prefixes=DEFAULT_PREFIXES)  # type: ignore[attr-defined]
    names = [v.value for v in result.variables]
    data = [["" if t is None else t.value for t in row] for row in result]
    t1 = time.perf_counter()
    format_rows(names, data, fmt)
    t2 = time.perf_counter()
    return len(data), t1 - t0, t2 - t1, time.process_time() - c0


def main() -> int:
    import pyoxigraph as ox

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path, help="a ptkg build's output folder (graph.ttl and store/)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", default="table", choices=["table", "csv", "json"])
    ap.add_argument("--only", action="append", help="a query's name (without .rq); repeatable")
    ap.add_argument("--queries", type=Path, default=ROOT / "queries", help="the folder of .rq files (default queries/)")
    a = ap.parse_args()
    graph = a.output / "graph.ttl"
    store_dir = fresh_store_dir(graph)
    if store_dir is None:
        raise SystemExit(f"{graph}: no fresh store beside it (run ptkg build)")
    store = ox.Store.read_only(str(store_dir))
    files = sorted(a.queries.glob("*.rq"))
    if a.only:
        files = [f for f in files if f.stem in set(a.only)]
    floor = [cli_seconds("ASK {}", graph, a.format) for _ in range(a.runs + 1)][1:]
    print(f"{graph}: median of {a.runs} runs, --format {a.format}; `ptkg query 'ASK {{}}'` "
          f"{statistics.median(floor):.2f} s")
    print(f"{'query':<20} {'rows':>7} {'ptkg query':>11} {'in process':>11} {'of it, format':>14} {'CPU':>6}")
    for f in files:
        q = f.read_text(encoding="utf-8")
        in_process(store, q, a.format)  # warm the page cache
        runs = [in_process(store, q, a.format) for _ in range(a.runs)]
        wall = [cli_seconds(str(f), graph, a.format) for _ in range(a.runs)]
        n = runs[0][0]
        evaluated = statistics.median(r[1] + r[2] for r in runs)
        print(f"{f.stem:<20} {n:>7,} {statistics.median(wall):>9.2f} s {evaluated:>9.2f} s "
              f"{statistics.median(r[2] for r in runs):>12.2f} s {statistics.median(r[3] for r in runs):>5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
