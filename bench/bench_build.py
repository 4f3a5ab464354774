"""Benchmark a full build of any folder against ``jieba.lcut`` over the same text, in the same run.

Why relative to jieba: absolute speed depends on the machine; "the build costs k times a plain
word segmentation of the text" does not, and tells a user what a corpus will cost.  Printed:

* characters (as read by ptkg's readers) and jieba.lcut time over them (after jieba's start-up);
* a cold build (fresh output folder) with one job and with ``--jobs N``: wall time, characters per
  second, ratio to jieba, peak RSS (``getrusage`` of this process and of its children, i.e. the
  largest single process, plus the sampled sum over the build's process tree when psutil is there);
* an unchanged rebuild into the same folder, as % of the full build;
* each saved query (``queries/*.rq``) on the result, through ``ptkg query``'s code path.

* with ``--sizes 4000,16000``: one-job builds of evenly spaced samples of that many files too (every
  k-th file, hard-linked into the scratch folder), and each step's exponent ``b`` of ``time ∝ files^b``
  fitted over the samples and the whole folder (least squares in log-log; 1.0 is linear).

Each build's steps (read → extraction components → merge → … → page) are timed by the build itself
(``PTKG_PHASES``, ``ptkg.pipeline.PhaseClock``); CPU seconds (user+sys, the build's whole process tree)
are printed beside wall seconds, because on a shared machine wall time is mostly the neighbours'.

    python bench/bench_build.py /tmp/xwlb_txt --jobs 2 --sizes 4000,16000
"""

from __future__ import annotations

import argparse
import json
import math
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


def time_jieba(texts: list[str]) -> tuple[float, float, float]:
    """(start-up seconds, lcut wall seconds over all texts, lcut CPU seconds)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter()
    jieba.initialize()
    t1, c1 = time.perf_counter(), time.process_time()
    for t in texts:
        jieba.lcut(t)
    return t1 - t0, time.perf_counter() - t1, time.process_time() - c1


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def sample_folder(folder: Path, n: int, into: Path) -> Path:
    """Every k-th file of ``folder`` (n of them, the same mix of years), hard-linked (copied if need be)."""
    from ptkg.pipeline import iter_files

    files = [p for p, _ in iter_files([folder])]
    step = len(files) / n
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    for i in range(n):
        src = files[int(i * step)]
        dst = into / src.relative_to(folder)
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    return into


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(seconds) over log(files)."""
    pts = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx, my = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


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
    phases = out.parent / f".{out.name}-phases.json"
    env = {**os.environ, "PTKG_PHASES": str(phases)}
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    sampler = TreeRss(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    cpu = children_cpu() - cpu0
    tree = sampler.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed ({proc.returncode}):\n{err[-2000:]}")
    last = [ln for ln in err.splitlines() if ln.startswith("ptkg:")]
    timed = json.loads(phases.read_text()) if phases.exists() else {"phases": {}, "components": {}}
    return {"seconds": wall, "cpu_s": cpu, "tree_rss_mb": tree / 2**20 if tree > 0 else None, "summary": last,
            **timed}


def print_phases(b: dict) -> None:
    """The build's steps: wall and CPU seconds of the main process, and (one job) the extraction components."""
    print("    steps (wall / CPU s): " + ", ".join(f"{k} {w:.1f}/{c:.1f}" for k, (w, c) in b["phases"].items()))
    if b["components"]:
        print("    extraction components (CPU s): " + ", ".join(f"{k} {c:.1f}" for k, c in b["components"].items()))


def step_times(b: dict) -> dict[str, float]:
    """CPU seconds of each step of a one-job build (components within extraction, then the later steps)."""
    out = dict(b["components"])
    out.update({k: c for k, (_, c) in b["phases"].items() if k not in ("extraction",)})
    out["extraction (all)"] = b["phases"].get("extraction", [0, 0])[1]
    out["build (CPU)"] = b["cpu_s"]
    return out


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
    p.add_argument("--sizes", default="", help="comma-separated file counts of samples to time too (4000,16000)")
    p.add_argument("--no-rebuild", action="store_true", help="skip the unchanged rebuild")
    p.add_argument("--no-queries", action="store_true", help="skip the saved queries")
    p.add_argument("--json", action="store_true", help="print the figures as JSON too")
    a = p.parse_args(argv)

    figures: dict = {"builds": {}, "sizes": {}}
    points: dict[str, list[tuple[float, float]]] = {}
    for n in [int(x) for x in a.sizes.split(",") if x.strip()]:
        folder = sample_folder(a.folder, n, a.out / f"sample{n}")
        texts = corpus_text(folder)
        chars = sum(len(t) for t in texts)
        _, lcut, lcut_cpu = time_jieba(texts)
        del texts
        out = a.out / f"sample{n}-out"
        shutil.rmtree(out, ignore_errors=True)
        b = run_build(folder, out, 1, [])
        figures["sizes"][n] = {"chars": chars, "jieba_lcut_s": lcut, "jieba_lcut_cpu_s": lcut_cpu, "build": b}
        print(f"sample of {n:,} files ({chars:,} characters): jieba.lcut {lcut:.1f} s (CPU {lcut_cpu:.1f} s); "
              f"build --jobs 1 {b['seconds']:.1f} s (CPU {b['cpu_s']:.1f} s) = {b['seconds'] / lcut:.2f}x wall, "
              f"{b['cpu_s'] / lcut_cpu:.2f}x CPU")
        print_phases(b)
        for k, c in step_times(b).items():
            points.setdefault(k, []).append((n, c))
        points.setdefault("jieba.lcut (CPU)", []).append((n, lcut_cpu))
        shutil.rmtree(folder, ignore_errors=True)

    texts = corpus_text(a.folder)
    files, chars = len(texts), sum(len(t) for t in texts)
    startup, lcut, lcut_cpu = time_jieba(texts)
    del texts
    figures.update(chars=chars, jieba_lcut_s=lcut, jieba_lcut_cpu_s=lcut_cpu)
    print(f"corpus: {a.folder}  {files:,} files, {chars:,} characters")
    print(f"jieba.lcut: {lcut:.1f} s, CPU {lcut_cpu:.1f} s ({chars / lcut:,.0f} chars/s; "
          f"start-up {startup:.1f} s not counted)")

    job_counts = [1] + ([a.jobs] if a.jobs > 1 else [])
    last_out = None
    for jobs in job_counts:
        out = a.out / f"jobs{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        b = run_build(a.folder, out, jobs, [])
        figures["builds"][jobs] = b
        tree = f", process tree peak {b['tree_rss_mb']:,.0f} MB" if b["tree_rss_mb"] else ""
        print(f"build --jobs {jobs}: {b['seconds']:.1f} s, {chars / b['seconds']:,.0f} chars/s, "
              f"{b['seconds'] / lcut:.2f}x jieba.lcut; CPU {b['cpu_s']:.1f} s = {b['cpu_s'] / lcut_cpu:.2f}x "
              f"jieba's CPU{tree}")
        print_phases(b)
        if jobs == 1:
            for k, c in step_times(b).items():
                points.setdefault(k, []).append((files, c))
            points.setdefault("jieba.lcut (CPU)", []).append((files, lcut_cpu))
        last_out = out
    if a.sizes:
        print("exponent b of CPU seconds ∝ files^b per step (--jobs 1; "
              f"{', '.join(f'{n:,.0f}' for n, _ in points.get('build (CPU)', []))} files):")
        figures["exponents"] = {}
        for k, pts in points.items():
            e = exponent(pts)
            figures["exponents"][k] = e
            secs = " / ".join(f"{c:.1f}" for _, c in pts)
            print(f"  {k:22} {secs:>28} s   b = {e:.2f}" if e is not None else f"  {k:22} {secs}")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["peak_rss_mb"] = {"self": self_mb, "largest_child": child_mb}
    print(f"peak RSS (getrusage): this process {self_mb:,.0f} MB, largest build process {child_mb:,.0f} MB")
    if not a.no_rebuild:
        rebuild = run_build(a.folder, last_out, job_counts[-1], [])
        full = figures["builds"][job_counts[-1]]["seconds"]
        figures["rebuild_s"] = rebuild["seconds"]
        print(f"unchanged rebuild (--jobs {job_counts[-1]}): {rebuild['seconds']:.1f} s = "
              f"{100 * rebuild['seconds'] / full:.1f}% of the full build")
    if not a.no_queries:
        opened, qtimes = time_queries(last_out / "graph.ttl")
        figures["store_open_s"], figures["queries_s"] = opened, qtimes
        print(f"saved queries on the result (store opened in {opened:.2f} s):")
        for name, sec in qtimes.items():
            print(f"  {name:24} {sec:.3f} s")
    for line in figures["builds"][job_counts[-1]]["summary"]:
        print(f"  {line}")
    if a.json:
        print(json.dumps(figures, indent=1, default=str))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
