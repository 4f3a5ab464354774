"""``ptkg serve``'s pool of long-lived query workers (``python -m ptkg.graph.worker``), each capped in memory
and stopped when a query runs too long or others wait (why a process per query: ``graph/sandbox.py``).

Kept apart from ``graph/sandbox.py`` so that ``ptkg query``, which forks one child and never needs an event
loop, does not import asyncio.
"""

from __future__ import annotations

import asyncio
import collections
import os
import sys
import time
from dataclasses import dataclass, field

from ptkg.graph import frames
from ptkg.graph.sandbox import DEFAULT_MEMORY_MB, Source, death_reason


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
