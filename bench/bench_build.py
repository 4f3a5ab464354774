"""Benchmark a full build of any folder against ``jieba.lcut`` over the same text, in the same run.

Why relative to jieba: absolute speed depends on the machine; "the build costs k times a plain
word segmentation of the text" does not, and tells a user what a corpus will cost.  Printed:

* characters (as read by ptkg's readers) and jieba.lcut time over them (after jieba's start-up);
* a cold build (fresh output folder) with one job and with ``--jobs N``: wall time, characters per
  second, ratio to jieba, peak RSS (``getrusage`` of this process and of its children, i.e. the
  largest single process, plus the sampled sum over the build's process tree when psutil is there);
* an unchanged rebuild into the same folder, as % of the full build;
* each saved query (``queries/*.rq``) on the result, through ``ptkg query``'s code path.

    python bench/make_corpus.py /tmp/news --docs 20000
    python bench/bench_build.py /tmp/news --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_text(folder: Path) -> list[str]:
    """The texts the build will read (ptkg's own readers, so the same characters)."""
    from ptkg.extractors.readers import ReadError, read_file

    from ptkg.pipeline import iter_files

    texts = []
    for path, root in iter_files([folder]):
        try:
            texts.append(read_file(path, root).text)
        except ReadError:
            pass
    return texts


def time_jieba(texts: list[str]) -> tuple[float, float]:
    """(start-up seconds, lcut seconds over all texts)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter()
    jieba.initialize()
    t1 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    return t1 - t0, time.perf_counter() - t1


class TreeRss:
    """Samples the summed RSS of a process and its descendants (psutil), every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        try:
            import psutil  # noqa: F401
        except ImportError:
            self.peak = -1
            return
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        try:
            top = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for p in [top, *top.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        return self.peak


def run_build(folder: Path, out: Path, jobs: int, extra: list[str]) -> dict:
    cmd = [sys.executable, "-m", "ptkg.cli", "build", str(folder), "-o", str(out), "--jobs", str(jobs), *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = TreeRss(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    tree = sampler.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed ({proc.returncode}):\n{err[-2000:]}")
    last = [ln for ln in err.splitlines() if ln.startswith("ptkg:")]
    return {"seconds": wall, "tree_rss_mb": tree / 2**20 if tree > 0 else None, "summary": last}


def time_queries(graph: Path) -> tuple[float, dict[str, float]]:
    from ptkg.graph.query import execute, load_graph, query_text

    t0 = time.perf_counter()
    g = load_graph(graph)
    opened = time.perf_counter() - t0
    times = {}
    for rq in sorted((ROOT / "queries").glob("*.rq")):
        q = query_text(str(rq))
        t0 = time.perf_counter()
        execute(g, q, "table")
        times[rq.name] = time.perf_counter() - t0
    return opened, times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--jobs", type=int, default=2, help="also time a build with this many jobs (default 2)")
    p.add_argument("--out", type=Path, default=Path("/tmp/ptkg-bench"), help="scratch output folder")
    p.add_argument("--json", action="store_true", help="print the figures as JSON too")
    a = p.parse_args(argv)

    texts = corpus_text(a.folder)
    chars = sum(len(t) for t in texts)
    startup, lcut = time_jieba(texts)
    del texts
    print(f"corpus: {a.folder}  {chars:,} characters")
    print(f"jieba.lcut: {lcut:.1f} s ({chars / lcut:,.0f} chars/s; start-up {startup:.1f} s not counted)")

    figures: dict = {"chars": chars, "jieba_lcut_s": lcut, "builds": {}}
    job_counts = [1] + ([a.jobs] if a.jobs > 1 else [])
    last_out = None
    for jobs in job_counts:
        out = a.out / f"jobs{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        b = run_build(a.folder, out, jobs, [])
        figures["builds"][jobs] = b
        tree = f", process tree peak {b['tree_rss_mb']:,.0f} MB" if b["tree_rss_mb"] else ""
        print(f"build --jobs {jobs}: {b['seconds']:.1f} s, {chars / b['seconds']:,.0f} chars/s, "
              f"{b['seconds'] / lcut:.2f}x jieba.lcut{tree}")
        last_out = out
    rebuild = run_build(a.folder, last_out, job_counts[-1], [])
    full = figures["builds"][job_counts[-1]]["seconds"]
    figures["rebuild_s"] = rebuild["seconds"]
    print(f"unchanged rebuild (--jobs {job_counts[-1]}): {rebuild['seconds']:.1f} s = "
          f"{100 * rebuild['seconds'] / full:.1f}% of the full build")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["peak_rss_mb"] = {"self": self_mb, "largest_child": child_mb}
    print(f"peak RSS (getrusage): this process {self_mb:,.0f} MB, largest build process {child_mb:,.0f} MB")

    opened, qtimes = time_queries(last_out / "graph.ttl")
    figures["store_open_s"], figures["queries_s"] = opened, qtimes
    print(f"saved queries on the result (store opened in {opened:.2f} s):")
    for name, s in qtimes.items():
        print(f"  {name:24} {s:.3f} s")
    for line in rebuild["summary"]:
        print(f"  {line}")
    if a.json:
        print(json.dumps(figures, indent=1, default=str))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
