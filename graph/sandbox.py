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
which runs one query anyway, forks once.
"""

from __future__ import annotations

import asyncio
import collections
import os
import selectors
import signal
import sys
import time
from dataclasses import dataclass, field
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


# --- ptkg serve: a pool of long-lived workers -------------------------------------------------

class Busy(Exception):
    """No worker became free within the wait; ``str()`` is one line."""


@dataclass(eq=False)
class _Worker:
    proc: asyncio.subprocess.Process
    tail: collections.deque = field(default_factory=lambda: collections.deque(maxlen=40))
    started: float = 0.0  # when its current query began (0: idle)
    preempted: bool = False
    drain: asyncio.Task | None = None


class Pool:
    """``size`` workers over one source.  A query waits for a free worker; while it waits, a
    worker whose query has run longer than ``share_after`` seconds is stopped so the waiting
    query can run (one slow client cannot hold the endpoint), and a query past ``timeout`` is
    stopped in any case.  Stopped workers are replaced at once."""

    def __init__(self, source: Source, size: int = 2, memory_mb: int = DEFAULT_MEMORY_MB,
                 timeout: float = 30.0, share_after: float = 2.0, max_waiting: int = 64) -> None:
        self.source, self.size, self.memory_mb = source, max(1, size), memory_mb
        self.timeout, self.share_after, self.max_waiting = timeout, share_after, max_waiting
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.busy: set[_Worker] = set()
        self.waiting = 0
        self.spawned = 0
        self.stopped = 0
        self.spare: _Worker | None = None
        self._closing = False

    async def _spawn(self) -> _Worker:
        env = dict(os.environ, RUST_BACKTRACE="0", PYTHONUNBUFFERED="1")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ptkg.graph.worker", *self.source.argv(), "--memory-mb", str(self.memory_mb),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=env, limit=1 << 20)
        w = _Worker(proc)
        w.drain = asyncio.create_task(self._drain(w))
        ready = await asyncio.wait_for(self._read(w), 120)
        if ready is None or not ready[0].get("ready"):
            await self._kill(w)
            raise RuntimeError("a query worker did not start: " + " ".join(" ".join(w.tail).split())[-300:])
        self.spawned += 1
        return w

    async def _drain(self, w: _Worker) -> None:
        assert w.proc.stderr is not None
        while line := await w.proc.stderr.readline():
            w.tail.append(line.decode("utf-8", "replace")[:500])

    async def _read(self, w: _Worker) -> tuple[dict, bytes] | None:
        import json

        assert w.proc.stdout is not None
        try:
            head = await w.proc.stdout.readexactly(frames.HEAD_SIZE)
            n_header, n_body = frames.decode_lengths(head)
            if n_body > max(64, self.memory_mb) << 20:
                raise ValueError("answer too large")
            raw = await w.proc.stdout.readexactly(n_header)
            body = await w.proc.stdout.readexactly(n_body) if n_body else b""
        except (asyncio.IncompleteReadError, ValueError, ConnectionError):
            return None
        return json.loads(raw.decode("utf-8")), body

    async def _kill(self, w: _Worker) -> int | None:
        if w.proc.returncode is None:
            try:
                w.proc.kill()
            except ProcessLookupError:
                pass
        code = await w.proc.wait()
        if w.drain is not None:
            try:
                await asyncio.wait_for(w.drain, 2)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                w.drain.cancel()
        return code

    async def start(self) -> None:
        *workers, self.spare = await asyncio.gather(*(self._spawn() for _ in range(self.size + 1)))
        for w in workers:
            self.idle.put_nowait(w)

    async def _replace(self) -> None:
        """Put the warm spare in the stopped worker's place at once, then start a new spare
        (a fresh interpreter takes about a second; a waiting query should not)."""
        if self._closing:
            return
        if self.spare is not None:
            self.idle.put_nowait(self.spare)
            self.spare = None
            target = "spare"
        else:
            target = "idle"
        for attempt in range(3):
            try:
                w = await self._spawn()
            except (RuntimeError, OSError, asyncio.TimeoutError):
                await asyncio.sleep(1 + attempt)
                continue
            if self._closing:
                await self._kill(w)
            elif target == "spare" and self.spare is None:
                self.spare = w
            else:
                self.idle.put_nowait(w)
            return

    async def _acquire(self) -> _Worker:
        if self.waiting >= self.max_waiting:
            raise Busy(f"busy: {self.waiting} queries are waiting already; try again later")
        self.waiting += 1
        wait = max(self.timeout, 15.0)  # long enough for a stopped worker to be replaced
        deadline = time.monotonic() + wait
        getter = asyncio.ensure_future(self.idle.get())  # one getter kept: waiters are served in order
        try:
            while True:
                done, _ = await asyncio.wait({getter}, timeout=0.1)
                if done:
                    return getter.result()
                now = time.monotonic()
                if now >= deadline:
                    raise Busy(f"busy: no query worker became free within {wait:g} s; try again later")
                running = [w for w in self.busy if w.started and not w.preempted]
                if len(running) >= self.size:
                    oldest = min(running, key=lambda w: w.started)
                    if now - oldest.started > self.share_after:
                        oldest.preempted = True
                        await self._kill(oldest)
        finally:
            self.waiting -= 1
            if not getter.done():
                getter.cancel()
            elif not getter.cancelled() and getter.exception() is None and sys.exc_info()[0] is not None:
                self.idle.put_nowait(getter.result())  # got one just as we gave up: hand it back

    async def run(self, req: dict) -> tuple[dict, bytes]:
        """Answer ``req`` in a worker: its frame, or a 503 saying why the worker was stopped."""
        try:
            w = await self._acquire()
        except Busy as e:
            return {"status": 503, "message": str(e)}, b""
        self.busy.add(w)
        w.started = time.monotonic()
        try:
            assert w.proc.stdin is not None
            w.proc.stdin.write(frames.encode(req))
            await w.proc.stdin.drain()
            answer = await asyncio.wait_for(self._read(w), self.timeout)
        except asyncio.TimeoutError:
            answer, why = None, (f"the query took over {self.timeout:g} s and was stopped: "
                                 "narrow it or add a LIMIT")
        except (ConnectionError, OSError):
            answer, why = None, ""
        else:
            why = ""
        finally:
            elapsed = time.monotonic() - w.started
            self.busy.discard(w)
            w.started = 0.0
        if answer is not None and w.proc.returncode is None:
            self.idle.put_nowait(w)
            return answer
        code = await self._kill(w)
        self.stopped += 1
        asyncio.get_running_loop().create_task(self._replace())
        if w.preempted:
            why = (f"the query was stopped after {elapsed:.1f} s so that waiting queries could run "
                   "(the endpoint is busy); narrow it or try again")
        return {"status": 503, "message": why or death_reason("".join(w.tail), code, self.memory_mb)}, b""

    async def close(self) -> None:
        self._closing = True
        workers = list(self.busy) + ([self.spare] if self.spare else [])
        self.spare = None
        while not self.idle.empty():
            workers.append(self.idle.get_nowait())
        for w in workers:
            if w.proc.stdin is not None:
                w.proc.stdin.close()
            await self._kill(w)

    def active_pids(self) -> list[int]:
        """Workers that run or wait for queries (not the spare)."""
        return [w.proc.pid for w in list(self.busy) + list(self.idle._queue)]  # type: ignore[attr-defined]

    def pids(self) -> list[int]:
        spare = [self.spare] if self.spare else []
        return [w.proc.pid for w in list(self.busy) + list(self.idle._queue) + spare]  # type: ignore[attr-defined]
