"""Running queries where they can be stopped: a forked child for ``ptkg query``, a pool for ``ptkg serve``.

Both give a query a time limit and a memory cap that hold whatever the query does, because the
evaluation happens in another process (``graph/worker.py``): at the time limit it is killed, at
the memory cap its allocator fails and it ends.  How a worker died is read from the last lines it
wrote on stderr (Rust prints ``memory allocation of N bytes failed`` or ``has overflowed its
stack``) and said in one line.

Cost per query, measured by ``bench/serve_campaign.py`` on the seeds: a warm pool worker answers
a small SELECT in about a millisecond over its pipes, where forking a child per query costs the
fork and the store's open on every query, and spawning a fresh interpreter costs about 0.3 s.  So
``ptkg serve`` keeps a pool (a killed worker is replaced in the background) and ``ptkg query``,
which runs one query anyway, forks once.  The pool is ``graph/pool.py`` (it needs asyncio, which
``ptkg query`` does not import: 60 ms of its start).
"""

from __future__ import annotations

import os
import selectors
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from ptkg.graph import frames

DEFAULT_MEMORY_MB = 2048


def death_reason(tail: str, returncode: int | None, memory_mb: int) -> str:
    """One line saying why a worker ended without answering."""
    if "memory allocation of" in tail or "MemoryError" in tail or "Cannot allocate memory" in tail:
        return f"the query needed more than {memory_mb} MB of memory and was stopped"
    if "overflowed its stack" in tail or returncode == -signal.SIGSEGV:
        return "the query is nested too deeply for the query engine and was stopped"
    if returncode is not None and returncode < 0:
        return f"the query engine stopped on this query (signal {-returncode})"
    return f"the query engine stopped on this query (exit status {returncode})"


@dataclass
class Source:
    """What a worker opens: the build's store (read-only) or a Turtle file."""

    store: str | None = None
    turtle: str | None = None

    def argv(self) -> list[str]:
        return ["--store", self.store] if self.store else ["--turtle", str(self.turtle)]


def source_for(graph: Path) -> tuple[Source, bool]:
    """The store of ``graph`` when it is fresh, else the Turtle file; and whether the store was usable."""
    from ptkg.graph.store import fresh_store_dir

    d = fresh_store_dir(graph)
    return (Source(store=str(d)), True) if d else (Source(turtle=str(graph)), False)


# --- ptkg query: one forked child ------------------------------------------------------------

def run_forked(source: Source, req: dict, timeout: float, memory_mb: int) -> tuple[dict, bytes]:
    """Evaluate ``req`` in a forked child capped at ``memory_mb``; kill it after ``timeout`` s (0: none)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(out_r)
            os.close(err_r)
            os.dup2(err_w, 2)
            os.environ["RUST_BACKTRACE"] = "0"
            from ptkg.graph import worker

            worker.limit_memory(memory_mb)
            store = worker.open_source(source.store, source.turtle)
            meta, body = worker.on_big_stack(worker.evaluate, store, req)
            with os.fdopen(out_w, "wb") as f:
                frames.write(f, meta, body)
        except BaseException as e:  # noqa: BLE001 (said on the pipe the parent reads)
            from ptkg.extractors.reasons import reason

            # "MemoryError" is the marker death_reason looks for; anything else is said in words
            said = "MemoryError" if isinstance(e, MemoryError) else reason(e)
            os.write(2, f"{said}\n".encode("utf-8", "replace"))
            code = 3
        finally:
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    data, err = bytearray(), bytearray()
    deadline = time.monotonic() + timeout if timeout > 0 else None
    sel = selectors.DefaultSelector()
    sel.register(out_r, selectors.EVENT_READ, data)
    sel.register(err_r, selectors.EVENT_READ, err)
    timed_out = False
    try:
        while sel.get_map():
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                timed_out = True
                break
            for key, _ in sel.select(wait):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    sel.unregister(key.fd)
                    continue
                buf = key.data
                buf += chunk
                if buf is err and len(err) > 1 << 16:  # keep the tail only
                    del err[: len(err) - (1 << 15)]
    finally:
        sel.close()
        os.close(out_r)
        os.close(err_r)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"status": 503, "message": f"the query took over {timeout:g} s and was stopped "
                                          "(narrow it, add a LIMIT, or raise --timeout)"}, b""
    code = os.waitstatus_to_exitcode(status)
    if len(data) >= frames.HEAD_SIZE:
        n_header, n_body = frames.decode_lengths(bytes(data[: frames.HEAD_SIZE]))
        if len(data) == frames.HEAD_SIZE + n_header + n_body:
            import json

            meta = json.loads(bytes(data[frames.HEAD_SIZE: frames.HEAD_SIZE + n_header]).decode("utf-8"))
            return meta, bytes(data[frames.HEAD_SIZE + n_header:])
    tail = err.decode("utf-8", "replace")
    if code == 3 and tail.strip():
        last = tail.strip().splitlines()[-1]
        if "MemoryError" not in last:
            return {"status": 500, "message": f"cannot open the graph: {last}"}, b""
    return {"status": 503, "message": death_reason(tail, code, memory_mb)}, b""
