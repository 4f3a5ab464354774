"""Where a SPARQL query is evaluated: a process of its own, capped in memory, that may be killed.

Why a process: Oxigraph cannot cancel an evaluation, and a query can sort a cross product or
build a gigabyte string in a few hundred bytes (issue 16).  In a thread the abandoned query ran
on and took all memory; in a process with ``RLIMIT_DATA`` set, the allocator fails at the cap and
the process ends, and at the time limit the caller kills it.  Either way only this process goes.

Two ways in:

* ``python -m ptkg.graph.worker --store DIR | --turtle FILE --memory-mb N``: a long-lived worker of
  ``ptkg serve``'s pool.  It reads requests from stdin and writes answers to stdout, each a frame
  (``graph/frames.py``): JSON header, then a byte body.  No pickles cross the pipe.
* :func:`evaluate` called in a child forked by ``ptkg query`` (``graph/sandbox.py``).

The query runs on a thread with a 64 MB stack: the bounds of ``graph/guard.py`` (nesting 64,
2,000 operators) then stay far from the depth at which Oxigraph's recursion would overflow it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading

import pyoxigraph as ox
from ptkg.graph import frames
from ptkg.graph.query import DEFAULT_PREFIXES, format_construct, format_rows
from ptkg.graph.results import GRAPH_FORMATS, SELECT_WRITERS, boolean_results, negotiate

STACK_BYTES = 64 << 20


class Answer(Exception):
    """A non-200 answer: HTTP status and a one-line message (raised inside :func:`evaluate`)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def limit_memory(megabytes: int) -> None:
    """Cap this process's data segment (heap and private mappings, so Rust's allocations too)."""
    if megabytes > 0:
        cap = (megabytes << 20) + STACK_BYTES
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def open_source(store_dir: str | None, turtle: str | None) -> ox.Store:
    """The build's store read-only, or a Turtle file parsed into the default graph of a memory store."""
    if store_dir:
        return ox.Store.read_only(store_dir)
    store = ox.Store()
    store.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return store


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or "no detail given"


def _run(store: ox.Store, q: str) -> object:
    try:
        return store.query(q, prefixes=DEFAULT_PREFIXES)
    except SyntaxError as e:
        raise Answer(400, f"SPARQL syntax error: {_one_line(e)}") from None
    except MemoryError:
        raise
    except Exception as e:  # evaluation errors are the query's (Oxigraph raises OSError/RuntimeError)
        raise Answer(400, f"SPARQL error: {_one_line(e)}") from None


def _read(result: object, cap: int, what: str) -> list:
    out = []
    try:
        for item in result:
            if len(out) >= cap:
                raise Answer(400, f"more than {cap} {what}: add a LIMIT")
            out.append(item)
    except Answer:
        raise
    except MemoryError:
        raise
    except Exception as e:
        raise Answer(400, f"SPARQL error: {_one_line(e)}") from None
    return out


def evaluate(store: ox.Store, req: dict) -> tuple[dict, bytes]:
    """Answer one request: ``{"query", "mode": "http"|"cli", "accept" | "format", "max_rows", "max_triples"}``."""
    try:
        return _evaluate(store, req)
    except Answer as a:
        return {"status": a.status, "message": a.message}, b""
    except MemoryError:
        return {"status": 503, "message": "the query needed more memory than its limit and was stopped"}, b""


def _evaluate(store: ox.Store, req: dict) -> tuple[dict, bytes]:
    q, http = req["query"], req.get("mode") == "http"
    max_rows, max_triples = int(req.get("max_rows") or 0), int(req.get("max_triples") or 0)
    result = _run(store, q)
    if isinstance(result, ox.QueryTriples):
        if not http:
            triples = _read(result, max_triples or sys.maxsize, "triples")
            return {"status": 200}, format_construct(triples, req.get("format", "table")).encode("utf-8")
        media = negotiate(req.get("accept", ""), list(GRAPH_FORMATS))
        if media is None:
            raise Answer(406, "offered for CONSTRUCT/DESCRIBE: " + ", ".join(GRAPH_FORMATS))
        triples = _read(result, max_triples or sys.maxsize, "triples")
        body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=DEFAULT_PREFIXES) or b""
        return {"status": 200, "ctype": f"{media}; charset=utf-8"}, body
    if isinstance(result, ox.QueryBoolean):
        if not http:
            return {"status": 200}, format_rows(["ask"], [["true" if bool(result) else "false"]],
                                                req.get("format", "table")).encode("utf-8")
        media = negotiate(req.get("accept", ""), list(SELECT_WRITERS))
        if media is None:
            raise Answer(406, "offered for ASK: " + ", ".join(SELECT_WRITERS))
        return {"status": 200, "ctype": f"{media}; charset=utf-8"}, boolean_results(bool(result), media)
    names = [v.value for v in result.variables]
    if not http:
        rows = _read(result, max_rows or sys.maxsize, "rows")
        # a solution iterates its terms in the order of result.variables; reading them by name took twice as
        # long (0.55 s of a 74,545-row listing)
        data = [["" if t is None else t.value for t in row] for row in rows]
        return {"status": 200}, format_rows(names, data, req.get("format", "table")).encode("utf-8")
    media = negotiate(req.get("accept", ""), list(SELECT_WRITERS))
    if media is None:
        raise Answer(406, "offered for SELECT: " + ", ".join(SELECT_WRITERS))
    rows = _read(result, max_rows or sys.maxsize, "rows")
    return {"status": 200, "ctype": f"{media}; charset=utf-8"}, SELECT_WRITERS[media](names, rows)


def on_big_stack(fn, *args):  # noqa: ANN001, ANN201 (any callable, its result)
    """Run ``fn(*args)`` on a thread with a :data:`STACK_BYTES` stack and return what it returns."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 (re-raised on the calling thread)
            box["error"] = e

    old = threading.stack_size(STACK_BYTES)
    try:
        t = threading.Thread(target=target, name="ptkg-query")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def serve_requests(store: ox.Store, rfile, wfile) -> None:  # noqa: ANN001 (binary streams)
    """The pool worker's loop: one frame in, one frame out, until stdin closes."""
    while True:
        frame = frames.read(rfile)
        if frame is None:
            return
        req, _ = frame
        meta, body = evaluate(store, req)
        frames.write(wfile, meta, body)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ptkg.graph.worker")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--store")
    src.add_argument("--turtle")
    p.add_argument("--memory-mb", type=int, default=0)
    a = p.parse_args(argv)
    os.environ["RUST_BACKTRACE"] = "0"
    limit_memory(a.memory_mb)
    rfile, wfile = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe

    def run() -> None:
        store = open_source(a.store, a.turtle)
        frames.write(wfile, {"ready": True, "pid": os.getpid()})
        serve_requests(store, rfile, wfile)

    on_big_stack(run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
