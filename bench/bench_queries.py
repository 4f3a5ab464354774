"""Time every saved query (``queries/*.rq``) on a built output folder: the whole command and the query alone.

Why both: the must-show of issue 15 is the wall time of ``ptkg query`` (what a user waits for), but that includes
Python's start-up, the forked worker and the formatting; the in-process figure (open the store read-only, evaluate,
read every cell as the worker does) says how much of it is the query.  ``ASK {}`` through the command line is the
floor of the first column.  Medians of ``--runs`` runs, store warm (one run first, not counted); the CPU column is
the process time of the in-process run, steadier than wall time on a shared machine.

``--breakdown`` says where each query's time goes, as ``ptkg query``'s child spends it (a fresh process, the
store's block cache cold; CPU seconds, median of ``--runs``): evaluating the query without its ORDER BY, every
solution taken (pyoxigraph decodes each solution's terms as it is taken: the joins and the store's string reads),
the sort's share (the same with the ORDER BY, less that: a small negative share is the noise of a shared
machine), reading every cell into Python strings, and formatting; and the floor of the command itself: the
interpreter, the imports of the ``query`` path, and the forked child that opens the store and answers ``ASK {}``.

    python bench/bench_queries.py /tmp/full/ [--runs 3] [--format table] [--only first-said] [--queries DIR]
    python bench/bench_queries.py /tmp/full/ --breakdown [--runs 3]
    python bench/bench_queries.py /tmp/full/ --against /work/main [--runs 5]

``--against CHECKOUT`` runs each saved query (of this checkout) through the other checkout's ``ptkg query`` and this
one's in turn, ``--runs`` times, and prints both medians: wall time and the CPU of the command with its child
(user + system), which a busy machine disturbs less than the wall time.
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


BREAKDOWN = r"""
import sys, time
from ptkg.graph.query import DEFAULT_PREFIXES, format_rows
import pyoxigraph as ox
store_dir, query, fmt, part = sys.argv[1:5]
store = ox.Store.read_only(store_dir)
c0 = time.process_time()
result = store.query(query, prefixes=DEFAULT_PREFIXES)
names = [v.value for v in result.variables]
rows = list(result)
c1 = time.process_time()
if part == "rows":
    print(c1 - c0, 0.0, 0.0)
    raise SystemExit
data = [["" if t is None else t.value for t in row] for row in rows]
c2 = time.process_time()
format_rows(names, data, fmt)
print(c1 - c0, c2 - c1, time.process_time() - c2)
"""


def without_order(query: str) -> str:
    """The query with its final ORDER BY clause dropped (the saved queries end with one)."""
    head, sep, tail = query.rpartition("ORDER BY")
    return head if sep and "}" not in tail else query


def fresh(store_dir: Path, query: str, fmt: str, part: str, runs: int) -> tuple[float, float, float]:
    """Median CPU seconds of a query in a new process: (solutions taken, cells read, formatting)."""
    got = []
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-c", BREAKDOWN, str(store_dir), query, fmt, part], cwd=ROOT,
                           capture_output=True, text=True, check=True)
        got.append(tuple(map(float, r.stdout.split())))
    return tuple(statistics.median(g[i] for g in got) for i in range(3))  # type: ignore[return-value]


def floor_parts(graph: Path, runs: int) -> str:
    """CPU seconds (user+sys, children included) of the interpreter, the query path's imports, and ptkg query ASK."""
    def cpu(argv: list[str]) -> float:
        import resource

        got = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            got.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return statistics.median(got)

    bare = cpu([sys.executable, "-c", "pass"])
    imports = cpu([sys.executable, "-c", "import ptkg.cli, ptkg.graph.guard, ptkg.graph.query, ptkg.graph.sandbox, "
                   "ptkg.graph.worker"])
    ask = cpu([sys.executable, "-m", "ptkg.cli", "query", "ASK {}", "--graph", str(graph)])
    return (f"floor (CPU s): interpreter {bare:.3f}, + query-path imports {imports - bare:.3f}, "
            f"+ fork, store open, ASK and output {ask - imports:.3f} = ptkg query 'ASK {{}}' {ask:.3f}")


def breakdown(store_dir: Path, graph: Path, files: list[Path], fmt: str, runs: int) -> None:
    print(floor_parts(graph, runs))
    print(f"{'query':<20} {'evaluate':>8} {'sort':>7} {'cells':>7} {'format':>7}   (CPU s in a fresh process)")
    for f in files:
        q = f.read_text(encoding="utf-8")
        unordered = fresh(store_dir, without_order(q), fmt, "rows", runs)[0]
        ordered, cells, formatted = fresh(store_dir, q, fmt, "all", runs)
        print(f"{f.stem:<20} {unordered:>8.2f} {ordered - unordered:>7.2f} {cells:>7.2f} {formatted:>7.2f}")


def against(other: Path, graph: Path, files: list[Path], runs: int) -> None:
    import resource

    def one(root: Path, query: str) -> tuple[float, float]:
        r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "ptkg.cli", "query", query, "--graph", str(graph)], cwd=root,
                       stdout=subprocess.DEVNULL, check=True)
        took, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
        return took, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime

    print(f"{'query':<20} {other.name + ' wall':>12} {'CPU':>6} {ROOT.name + ' wall':>16} {'CPU':>6}")
    for name, query in [("ASK {}", "ASK {}")] + [(f.stem, str(f.resolve())) for f in files]:
        got: dict[Path, list[tuple[float, float]]] = {other: [], ROOT: []}
        for _ in range(runs):
            for root in got:
                got[root].append(one(root, query))
        cells = [f"{statistics.median(x[0] for x in got[r]):>10.2f} s {statistics.median(x[1] for x in got[r]):>5.2f}"
                 for r in (other, ROOT)]
        print(f"{name:<20} {cells[0]}   {cells[1]}")


def main() -> int:
    import pyoxigraph as ox

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path, help="a ptkg build's output folder (graph.ttl and store/)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", default="table", choices=["table", "csv", "json"])
    ap.add_argument("--only", action="append", help="a query's name (without .rq); repeatable")
    ap.add_argument("--queries", type=Path, default=ROOT / "queries", help="the folder of .rq files (default queries/)")
    ap.add_argument("--breakdown", action="store_true", help="where each query's time goes (see the docstring)")
    ap.add_argument("--against", type=Path, metavar="CHECKOUT", help="alternate with another checkout's ptkg query")
    a = ap.parse_args()
    graph = a.output / "graph.ttl"
    store_dir = fresh_store_dir(graph)
    if store_dir is None:
        raise SystemExit(f"{graph}: no fresh store beside it (run ptkg build)")
    store = ox.Store.read_only(str(store_dir))
    files = sorted(a.queries.glob("*.rq"))
    if a.only:
        files = [f for f in files if f.stem in set(a.only)]
    if a.against:
        against(a.against, graph, files, a.runs)
        return 0
    if a.breakdown:
        breakdown(store_dir, graph, files, a.format, a.runs)
        return 0
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
