"""Where the per-file work runs: in this process, in a pool of processes, or on a Dask cluster.

Extraction is embarrassingly parallel per file (``ptkg.pipeline.run_task`` takes a small,
picklable task and returns a picklable result), so all three executors only have to map a
function over tasks and hand the results back **in task order**: the merge after them then
sees the same sequence whatever the executor or the number of jobs, and the output is
byte-identical.  Tasks travel in batches, so per-task overhead (pickling, scheduling) stays small
against the extraction itself; results are consumed as they arrive, nothing is gathered at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "dask")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    return [fn(x) for x in batch]


def _die_with_parent(parent: int) -> None:
    """End this worker when the build that started it ends, even by SIGKILL (issue 16: orphaned workers
    kept extracting after the build was killed).  Linux: the kernel sends SIGKILL on the parent's death
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread watches the parent's pid."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        armed = libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _warm_up(parent: int | None = None) -> None:
    """Tie the worker to its build, then load the lexicons once, before the first task (not inside its
    time limit)."""
    from ptkg.extractors.lexicon import load

    if parent is not None:
        _die_with_parent(parent)
    load()


def map_ordered(fn: Callable[[T], R], items: list[T], jobs: int = 1, executor: str = "local",
                scheduler: str | None = None, batch: int = 0) -> Iterator[R]:
    """``fn`` over ``items``, results yielded in the order of ``items``.

    ``jobs`` ≤ 1 with the local executor runs in this process (no pickling at all);
    ``executor="dask"`` sends batches to the Dask scheduler at ``scheduler`` (an address such as
    ``tcp://host:8786``, or a ``distributed.Client``/``LocalCluster`` object in tests).
    """
    if not items:
        return
    if executor == "dask":
        yield from _map_dask(fn, items, scheduler, batch or 32)
        return
    if executor != "local":
        raise ValueError(f"unknown executor {executor!r}; choose from {', '.join(EXECUTORS)}")
    if jobs <= 1 or len(items) == 1:
        yield from map(fn, items)
        return
    # a fork start keeps the parent's imported modules (no re-import per worker) where it exists
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = batch or max(1, min(64, len(items) // (jobs * 8) or 1))
    with ctx.Pool(processes=jobs, initializer=_warm_up, initargs=(os.getpid(),)) as pool:
        run = functools.partial(_run_batch, fn)
        for results in pool.imap(run, _batches(items, size)):
            yield from results


def _map_dask(fn: Callable[[T], R], items: list[T], scheduler: object, size: int) -> Iterator[R]:
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError("--executor dask needs dask.distributed: pip install 'ptkg[scale]'") from None
    if scheduler is None:
        raise RuntimeError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        run = functools.partial(_run_batch, fn)
        futures = client.map(run, list(_batches(items, size)), pure=False)
        for future in futures:  # in submission order; the cluster runs them as it likes
            yield from future.result()
            future.release()
    finally:
        if own:
            client.close()
