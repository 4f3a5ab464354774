"""The build, step by step: read → extraction components (``extractors.pipeline``: normalize → documents →
dates → mentions → events → keywords) → merge → keywords chosen over the corpus → graph → render.

Each step lives in its own module; this one only wires them and keeps the promises of the
command line: a bad file costs one stderr line, never the build; the outputs are written
to temporary files and renamed, so a killed build leaves the previous output whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ptkg.extractors import pipeline as components
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.lexicon import load as load_lexicon
from ptkg.extractors.manifest import MANIFEST, load_manifest
from ptkg.extractors.model import Document, EventMention, RawText
from ptkg.extractors.readers import DEFAULT_MAX_BYTES, ReadError, decode_name, read_file
from ptkg.extractors.reasons import reason
from ptkg.terminal import clean_lines, say

SKIP_NAMES = {MANIFEST}
#: seconds one file may take to read and extract (issue 8: limits); 0 turns the limit off
DEFAULT_TIME_LIMIT = 300.0


@dataclass
class FileResult:
    """What one file gave: its documents (with the format read), its event mentions and the keyword words
    of each mention's sentence (what the build needs of the file's ``Doc``; small enough to cache)."""

    path: str
    format: str
    documents: list[Document]
    mentions: list[EventMention]
    keyword_words: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class BuildReport:
    files: int = 0
    documents: int = 0
    events: int = 0
    mentions: int = 0
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    summary: str = ""
    cached: int = 0  # files whose extraction came from output/.cache
    passing: int = 0  # files that failed for the moment only (not cached; the build is not "up to date")
    up_to_date: bool = False  # nothing changed since the last build: outputs left as they were


def iter_files(inputs: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) for every file under the inputs, in a stable order.

    Links to folders are not followed (a link back up would loop forever); they are yielded
    like files, so the reader refuses each with its one line and the user knows it was seen.
    """
    for inp in inputs:
        inp = Path(inp)
        if inp.is_file():
            yield inp, inp.parent
            continue
        found = []
        for dirpath, dirnames, filenames in os.walk(inp, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found.extend(Path(dirpath) / d for d in dirnames if os.path.islink(os.path.join(dirpath, d)))
            for name in filenames:
                if name.startswith(".") or name in SKIP_NAMES:
                    continue
                found.append(Path(dirpath) / name)
        for f in sorted(found, key=lambda p: p.relative_to(inp).as_posix()):
            yield f, inp


def extract(raw: RawText, lexicon: Lexicon, manifest_fields: dict[str, str] | None = None) -> FileResult:
    """All event mentions of one file: the extraction components over its ``Doc``."""
    doc = components.run(raw, lexicon, manifest_fields)
    return FileResult(raw.path, raw.format, doc.documents, doc.event_mentions, doc.keyword_words)


@dataclass(frozen=True)
class Task:
    """One file to read and extract: small and picklable, so it can travel to a worker process or a
    Dask worker, which reads the file itself (the raw text never crosses a process boundary)."""

    path: str
    root: str
    manifest_fields: dict[str, str] | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    time_limit: float = 0.0
    rel: str = ""  # the path as read_file will name it (computed once, for the cache key)
    lexicon: str | None = None  # the user's lexicon folder (the worker loads the lexicon itself)
    sha256: str | None = None  # the content hash in the task's cache key: the bytes read must have it


@dataclass(frozen=True)
class Problem:
    """A file that gave nothing: one line for stderr, "<relative path>: <reason>".

    ``lasting``: the same bytes fail the same way, so the cache may keep it.  Running out of time
    (the machine's load) and a read that failed or met other bytes than were hashed are not lasting:
    kept, they would leave a file restored afterwards unreadable for good.
    """

    message: str
    lasting: bool = True


class _TimeLimit(BaseException):
    """Raised by the alarm; a BaseException, so that no reader's ``except Exception`` (which turns a
    library's failure into a ReadError) takes a time-out for the file's own failure."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _TimeLimit()


def run_task(task: Task) -> FileResult | Problem:
    """Read and extract one file; every failure becomes a ``Problem``, never an exception.

    The per-file time limit uses ``SIGALRM``, so it holds where the task runs in a process's
    main thread (this process, or a ``--jobs`` worker); on Dask worker threads it is not enforced.
    """
    timed = task.time_limit > 0 and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if timed else None
    try:
        try:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, task.time_limit)
            return _read_and_extract(task)
        finally:  # an alarm due in here is caught below, never escapes as an exception of its own
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeLimit:
        return Problem(f"{task.rel or Path(task.path).name}: took over {task.time_limit:g} s (--time-limit); skipped",
                       lasting=False)
    finally:
        if timed:
            signal.signal(signal.SIGALRM, previous)


def _read_and_extract(task: Task) -> FileResult | Problem:
    """The task's result, or a ``Problem`` naming the file and saying, in words, what failed."""
    path, root = Path(task.path), Path(task.root)
    rel = task.rel or path.name
    try:
        t = time.process_time()
        raw = read_file(path, root, max_bytes=task.max_bytes, sha256=task.sha256)
        if components.TIMES is not None:
            components.TIMES["read"] = components.TIMES.get("read", 0.0) + time.process_time() - t
        rel = raw.path
        return extract(raw, load_lexicon(task.lexicon), task.manifest_fields)
    except ReadError as e:
        return Problem(str(e), e.lasting)
    except Exception as e:  # one document's failure must not cost the others
        if os.environ.get("PTKG_DEBUG"):
            raise
        return Problem(f"{rel}: extraction failed: {reason(e)}", lasting=not isinstance(e, (MemoryError, OSError)))


@dataclass
class Options:
    """How a build runs; none of these changes what it writes."""

    max_bytes: int = DEFAULT_MAX_BYTES
    time_limit: float = DEFAULT_TIME_LIMIT
    jobs: int = 1
    executor: str = "local"
    scheduler: object = None
    cache: bool = True
    progress: bool | None = None  # None: a bar when stderr is a terminal
    follow_links: bool = False  # read links that lead outside the input folders
    lexicon: str | None = None  # a folder of the user's lexicon files (extractors.lexicon); its content is in the keys


#: what a build writes into its output folder (the dot-named ones are skipped by iter_files anyway)
WRITTEN = ("graph.ttl", "index.html", "store", "build.json")


def plan(inputs: Iterable[Path], options: Options, report: BuildReport, out_dir: Path | None = None) -> list[Task]:
    """Every file as a task, in a stable order; manifest problems go into the report.

    The build's own outputs in ``out_dir`` are never inputs: with ``-o`` inside (or equal to) an input
    folder, the second build would otherwise read the first one's graph.ttl and page as documents.
    """
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    tasks = []
    inputs = [Path(p) for p in inputs]
    roots = [os.path.realpath(p) for p in inputs]
    own = {os.path.join(os.path.realpath(out_dir), n) for n in WRITTEN} if out_dir is not None else set()
    links = 0
    for path, root in iter_files(inputs):
        if own and os.path.join(os.path.realpath(path.parent), path.name) in own:
            continue
        if not options.follow_links and path not in inputs and not _inside(os.path.realpath(path), roots):
            # a link that leaves the input folders (passwd.txt -> /etc/passwd) would put that file in the graph
            report.problems.append(f"{_relative(path, root)}: a link that leads outside the input folders; "
                                   "skipped (--follow-links reads it)")
            links += 1
            continue
        if root not in manifests:
            fields, problems = load_manifest(root)
            manifests[root] = fields
            report.problems.extend(problems)
        rel = _relative(path, root)
        tasks.append(Task(str(path), str(root), manifests[root].get(rel), options.max_bytes, options.time_limit, rel,
                          options.lexicon))
    report.files = len(tasks) + links
    report.skipped += links
    return tasks


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _relative(path: Path, root: Path) -> str:
    """The path as ``read_file`` names it (relative to the root, POSIX; a GBK name decoded)."""
    try:
        return decode_name(path.resolve().relative_to(Path(root).resolve()).as_posix())
    except (ValueError, OSError, RuntimeError):
        return decode_name(Path(os.path.relpath(path, root)).as_posix())


def _progress(total: int, options: Options):
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, mininterval=0.5, smoothing=0.1, dynamic_ncols=True)


def file_keys(tasks: list[Task], cache, lexicon: Lexicon) -> list[str | None]:
    """Each task's cache key (None: not cacheable, e.g. not a regular file); stat only for known files.

    Each task in ``tasks`` is replaced (in place) by one that carries the content hash of its key, so
    that its reader refuses other bytes (the file changed between the hashing and the reading).
    """
    from ptkg.cache import file_key

    keys: list[str | None] = []
    for i, t in enumerate(tasks):
        sha = cache.content_hash(Path(t.path), t.max_bytes)
        keys.append(file_key(t.rel or _relative(Path(t.path), Path(t.root)), sha, t.manifest_fields,
                             lexicon.fingerprint) if sha else None)
        if sha:
            tasks[i] = dataclasses.replace(t, sha256=sha)
    return keys


def extract_all(tasks: list[Task], options: Options, report: BuildReport, cache=None,
                keys: list[str | None] | None = None, lexicon: Lexicon | None = None) -> Iterator[FileResult]:
    """The results of all tasks, in task order: cached ones from ``cache``, the others extracted
    by the executor; problems go into the report as they come."""
    from ptkg.parallel import map_ordered

    if cache is not None:
        keys = keys if keys is not None else file_keys(tasks, cache, lexicon or load_lexicon(options.lexicon))
        stored = cache.keys()
        todo = [t for t, k in zip(tasks, keys, strict=True) if k is None or k not in stored]
    else:
        keys = [None] * len(tasks)
        stored = set()
        todo = tasks
    fresh = map_ordered(run_task, todo, options.jobs, options.executor, options.scheduler)
    bar = _progress(len(tasks), options)
    try:
        for task, key in zip(tasks, keys, strict=True):
            if key is not None and key in stored:
                out = _cached(cache, key, task)
            else:
                out = next(fresh)
                # a file that fails the same way for the same bytes and code is remembered too;
                # a failure of the moment (time-out, a read refused, bytes changed) is tried again
                if key is not None and _keep(out):
                    cache.put(key, out)
                elif key is not None:
                    cache.forget(task.path)  # hash it again next time (its stat may hide a change)
            if bar is not None:
                bar.update(1)
            if isinstance(out, Problem):
                report.problems.append(out.message)
                report.skipped += 1
                report.passing += not out.lasting
                continue
            yield out
    finally:
        fresh.close()
        if bar is not None:
            bar.close()


def _cached(cache, key: str, task: Task) -> FileResult | Problem:
    """The cached result of a task; a damaged (or hostile) entry costs one warning and a fresh extraction."""
    from ptkg.cache import BadEntry

    try:
        out = cache.get(key)
    except BadEntry as e:
        say(f"{task.rel or Path(task.path).name}: cache entry unreadable ({e}); file read again")
        out = None
    if out is None:
        out = run_task(task)
        if _keep(out):
            cache.put(key, out)
        else:
            cache.forget(task.path)
    return out


def _keep(out: FileResult | Problem) -> bool:
    return not isinstance(out, Problem) or out.lasting


@contextlib.contextmanager
def atomic_output(path: Path, binary: bool = False) -> Iterator[IO]:
    """A file to write ``path`` through: a temporary next to it, renamed over ``path`` when the block ends
    without an exception (readers see the old file or the new, never half), removed when it does not.

    Why a stream: the largest outputs (graph.ttl, 217 MB on the full corpus; the page) are written as they
    are made, never held whole in memory (issue 15).  Text is UTF-8 with ``\n`` line ends.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` next to ``path`` and rename: readers see the old file or the new, never half."""
    with atomic_output(path) as f:
        f.write(data)


class PhaseClock:
    """Wall and CPU seconds of each step of a build, written as JSON to the file named by ``PTKG_PHASES``
    (``bench/bench_build.py`` reads it); does nothing without it.

    Why in the build: the benchmark must say which step grows with the corpus and how fast (issue 15),
    and only the build knows where its steps begin and end.  CPU is this process's: with ``--jobs 1``
    it is all the work; with more, extraction's CPU is in the workers.
    """

    def __init__(self) -> None:
        self.path = os.environ.get("PTKG_PHASES")
        self.rows: dict[str, list[float]] = {}
        self._last = (time.perf_counter(), time.process_time())
        if self.path:
            components.TIMES = {}

    def lap(self, name: str) -> None:
        if not self.path:
            return
        now = (time.perf_counter(), time.process_time())
        wall, cpu = self.rows.get(name, [0.0, 0.0])
        self.rows[name] = [wall + now[0] - self._last[0], cpu + now[1] - self._last[1]]
        self._last = now

    def write(self) -> None:
        if not self.path:
            return
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump({"phases": self.rows, "components": components.TIMES or {}}, f, indent=1)
        components.TIMES = None


def _tidy(out_dir: Path) -> None:
    """Remove the temporary files a killed build left (the outputs themselves were never touched)."""
    for pattern in (".graph.ttl.*", ".index.html.*", ".store.link-*", ".build.json.*"):
        for p in out_dir.glob(pattern):
            with contextlib.suppress(OSError):
                p.unlink()


class OutputLocked(Exception):
    """Another build is writing the same output folder; ``str()`` is the one line to print."""


LOCK_NAME = ".ptkg-build.lock"


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir/.ptkg-build.lock`` (``flock``) for the whole build.

    Why: two builds into one folder (with ``--no-cache`` there is no SQLite transaction to order
    them) interleave their outputs, a graph.ttl of one beside an index.html of the other.  The second
    build fails at once with a line naming the first one's pid; the lock dies with its holder, so a
    killed build never leaves the folder locked.  Without ``fcntl`` (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise OutputLocked(f"ptkg build: {out_dir}/ is being written by another build (pid {holder}); "
                               "try again when it has finished, or pass another -o") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def build(inputs: list[Path], out_dir: Path, base: str | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES, options: Options | None = None) -> BuildReport:
    """Build under the output folder's lock (:func:`output_lock`); raises OutputLocked when it is held."""
    with output_lock(out_dir):
        return _build(inputs, out_dir, base, max_bytes, options)


def _build(inputs: list[Path], out_dir: Path, base: str | None = None,
           max_bytes: int = DEFAULT_MAX_BYTES, options: Options | None = None) -> BuildReport:
    """Run the whole pipeline and write ``graph.ttl``, the store and ``index.html`` into ``out_dir``.

    Outputs are written in that order, each atomically: a build killed part-way leaves every
    output either the previous one or the new one, and a store that does not match its
    ``graph.ttl`` is not used (``graph/store.py``).
    """
    options = options or Options(max_bytes=max_bytes)
    clock = PhaseClock()
    try:
        return _build_timed(inputs, out_dir, base, options, clock)
    finally:
        clock.write()


def _build_timed(inputs: list[Path], out_dir: Path, base: str | None, options: Options,
                 clock: PhaseClock) -> BuildReport:
    from ptkg import cache as cache_mod
    from ptkg.graph import outputs as output_set
    from ptkg.graph.build import DEFAULT_BASE, build_graph, write_turtle
    from ptkg.graph.keywords import keyword_links
    from ptkg.graph.merge import merge
    from ptkg.graph.render import render_html
    from ptkg.graph.store import write_store
    from ptkg.graph.summary import first_said, summarize
    from ptkg.graph.view import view_model

    lexicon = load_lexicon(options.lexicon)
    report = BuildReport()
    tasks = plan(inputs, options, report, out_dir)
    cache = keys = stamp = None
    if options.cache and not cache_mod.disabled() and tasks:
        cache = cache_mod.Cache(cache_mod.cache_dir(out_dir))
        if cache.reset:
            say(cache.reset)
        keys = file_keys(tasks, cache, lexicon)
        if all(keys):
            stamp = cache_mod.build_stamp(keys, base or DEFAULT_BASE, lexicon.fingerprint)
            previous = cache_mod.previous_build(out_dir, stamp)
            if previous is not None:  # same inputs, same code, outputs untouched: nothing to do
                cache.close(prune=False)
                if not (out_dir / output_set.MANIFEST).exists():  # a folder of an older version
                    output_set.write(out_dir)
                report.documents, report.mentions, report.events = (previous[k] for k in
                                                                    ("documents", "mentions", "events"))
                report.summary, report.cached, report.up_to_date = previous["summary"], len(tasks), True
                report.problems += previous["problems"]
                report.skipped += len(previous["problems"])
                return report
        cache_mod.forget_build(out_dir)
    # what came before are the manifests' problems and the refused links, found again each time
    clock.lap("plan")
    before, skipped_before = len(report.problems), report.skipped
    documents: list[Document] = []
    mentions: list[EventMention] = []
    words: dict[int, tuple[str, ...]] = {}  # id(mention) → the keyword words of its sentence
    fmt: dict[str, str] = {}
    done = False
    try:
        for r in extract_all(tasks, options, report, cache, keys, lexicon):
            documents.extend(r.documents)
            mentions.extend(r.mentions)
            words.update(zip(map(id, r.mentions), r.keyword_words, strict=True))
            fmt[r.path] = r.format
        done = True
    finally:
        if cache is not None:
            report.cached = cache.hits
            cache.close(prune=done)
    file_problems = report.problems[before:]
    clock.lap("extraction")
    events = merge(mentions, lexicon)
    clock.lap("merge")
    report.documents, report.mentions, report.events = len(documents), len(mentions), len(events)
    if not fmt:
        return report
    # each step's input is let go when no later step needs it: the peak is the largest step, not their sum (issue 15)
    del mentions, cache  # the events hold the mentions; the cache is closed
    keywords = keyword_links(events, lambda m: words.get(id(m), ()), lexicon)
    words.clear()
    clock.lap("top-keywords")
    first = first_said(events, lexicon, documents)  # one answer for the graph, the page and the summary
    clock.lap("first-said")
    g = build_graph([(d, fmt[d.source]) for d in documents], events, lexicon, base or DEFAULT_BASE, keywords,
                    first=first)
    del keywords, fmt
    clock.lap("graph")
    _tidy(out_dir)
    output_set.forget(out_dir)  # from here until the last output, the folder holds no whole set
    with atomic_output(out_dir / "graph.ttl", binary=True) as f:
        write_turtle(g, f)  # streamed: the Turtle text is never one string
    del g  # the triples are in graph.ttl now; the store and the page need none of them
    clock.lap("turtle")
    write_store(out_dir / "graph.ttl")
    clock.lap("store")
    with atomic_output(out_dir / "index.html") as f:
        render_html(view_model(events, documents, lexicon, first=first), into=f)  # streamed too
    output_set.write(out_dir)
    clock.lap("page")
    report.summary = summarize(events, documents, lexicon, first=first)
    clock.lap("summary")
    if stamp is not None and len(file_problems) == report.skipped - skipped_before and not report.passing:
        cache_mod.remember_build(out_dir, stamp, report.documents, report.mentions, report.events, report.summary,
                                 file_problems)
    return report


def print_report(report: BuildReport, out_dir: Path, stream=sys.stderr) -> None:
    for p in report.problems:
        say(p, stream)
    if report.summary:
        print(clean_lines(report.summary), file=stream)
    say(f"ptkg: {report.files - report.skipped} of {report.files} files read, {report.documents} documents, "
        f"{report.mentions} event mentions → {report.events} events; "
        f"{report.skipped} skipped; output in {out_dir}/", stream)
    if report.cached:
        done = "; the outputs were already up to date" if report.up_to_date else ""
        say(f"ptkg: {report.cached} of {report.files} files unchanged, taken from {out_dir}/.cache/{done}", stream)
