"""The ``ptkg`` command line (CONTRACT §1): build, query, timex, inspect, serve.

Every failure a user can cause (a bad file, a malformed query, a missing graph) ends in
one line on stderr and a non-zero exit status; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ptkg.extractors.reasons import reason
from ptkg.graph.export import FORMATS as EXPORT_FORMATS
from ptkg.terminal import clean_lines, say


def _cmd_build(a: argparse.Namespace) -> int:
    from ptkg.extractors.lexicon import LexiconError
    from ptkg.pipeline import Options, OutputLocked, build, print_report

    inputs = [Path(p) for p in (a.inputs or ["seeds"])]
    missing = [str(p) for p in inputs if not p.exists()]
    for m in missing:
        say(f"{m}: no such file or folder")
    inputs = [p for p in inputs if p.exists()]
    if not inputs:
        say("ptkg build: nothing to read")
        return 2
    if a.executor == "dask" and not a.scheduler:
        say("ptkg build: --executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return 2
    if a.push:
        from ptkg.graph.export import push_url_problem, redact_url

        if (problem := push_url_problem(a.push)) is not None:  # said now, not after a long build
            say(f"ptkg build: --push {redact_url(a.push)}: {problem}")
            return 2
    out = Path(a.output)
    if out.exists() and not out.is_dir():
        say(f"ptkg build: -o {out}: exists and is not a folder")
        return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:  # a file where a parent folder should be, no permission, a read-only disk
        say(f"ptkg build: -o {out}: cannot make the folder ({e.strerror or reason(e)})")
        return 2
    options = Options(max_bytes=_max_bytes(a), time_limit=a.time_limit, jobs=a.jobs or (os.cpu_count() or 1),
                      executor=a.executor, scheduler=a.scheduler, cache=not a.no_cache,
                      progress=True if a.progress else None, lexicon=a.lexicon,
                      follow_links=a.follow_links)
    if a.lexicon and not Path(a.lexicon).is_dir():
        say(f"ptkg build: {a.lexicon}: the lexicon folder does not exist")
        return 2
    try:
        report = build(inputs, out, base=a.base, options=options)
    except OutputLocked as e:
        say(e)
        return 2
    except LexiconError as e:
        say(f"ptkg build: --lexicon: {e}")
        return 2
    print_report(report, out)
    if report.files - report.skipped == 0:
        say("ptkg build: no document could be read; nothing was built")
        return 2
    if a.push:
        from ptkg.graph.export import PushError, push, redact_url

        try:
            n = push(out / "graph.ttl", a.push, a.push_graph)
        except PushError as e:
            say(f"ptkg build: --push {redact_url(a.push)}: {e}")
            return 1
        say(f"ptkg: {n} bytes of Turtle loaded into {redact_url(a.push)}")
    return 1 if (report.skipped or missing) else 0


def _max_bytes(a: argparse.Namespace) -> int:
    """``--max-bytes``, or the readers' default (read here, not at import: ``ptkg query`` never loads the readers)."""
    if a.max_bytes is not None:
        return int(a.max_bytes)
    from ptkg.extractors.readers import DEFAULT_MAX_BYTES

    return DEFAULT_MAX_BYTES


def _no_graph(path: Path) -> bool:
    """True (and one line said) when there is no built graph at ``path``."""
    if path.is_file():
        return False
    say(f"{path}: no graph here; run `ptkg build` first or pass --graph FILE")
    return True


def _say_output_set(graph: Path) -> None:
    """One line when the page beside ``graph`` is not of its build (a killed build: graph/outputs.py)."""
    from ptkg.graph.outputs import check

    if (problem := check(graph)) is not None:
        say(problem)


def _cmd_query(a: argparse.Namespace) -> int:
    from ptkg.graph import guard
    from ptkg.graph.query import DEFAULT_PREFIXES, QueryFileError, query_text
    from ptkg.graph.sandbox import run_forked, source_for

    path = Path(a.graph)
    if _no_graph(path):
        return 2
    try:
        q = query_text(a.query)
    except QueryFileError as e:
        say(str(e))
        return 2
    try:
        guard.check(q, a.allow_service or (), DEFAULT_PREFIXES)
    except guard.QueryRefused as e:
        say(str(e))
        return 2
    source, fresh = source_for(path)
    if not fresh and (path.parent / "store").exists():
        say(f"{path}: the store beside it is not this graph's; reading {path.name} itself "
            "(slower; `ptkg build` renews the store)")
    _say_output_set(path)
    meta, body = run_forked(source, {"mode": "cli", "query": q, "format": a.format}, a.timeout, a.max_memory)
    if meta.get("status") != 200:
        say(meta.get("message", "the query failed"))
        return 2
    text = body.decode("utf-8")
    # a table goes to a terminal: no escape sequences, no bidi overrides (CSV and JSON stay the data as is)
    sys.stdout.write(clean_lines(text) if a.format == "table" else text)
    return 0


def _cmd_export(a: argparse.Namespace) -> int:
    from ptkg.graph.export import export
    from ptkg.pipeline import write_atomic

    path = Path(a.graph)
    if _no_graph(path):
        return 2
    _say_output_set(path)
    try:
        text = export(path, a.format)
    except (OSError, SyntaxError, ValueError) as e:
        say(f"{path}: cannot export: {' '.join(str(e).split())}")
        return 2
    if a.output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomic(Path(a.output), text)
        say(f"ptkg export: {a.format} written to {a.output}")
    return 0


def _cmd_timex(a: argparse.Namespace) -> int:
    from ptkg.extractors.dates.timex import timex_line

    try:
        base = dt.date.fromisoformat(a.base)
    except ValueError:
        say(f"--base {a.base!r}: not an ISO date (YYYY-MM-DD)")
        return 2
    stdin = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    lines = stdin.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = sys.stdout
    for line in lines:
        out.write(json.dumps(timex_line(line.rstrip("\r"), base), ensure_ascii=False) + "\n")
    return 0


def _cmd_inspect(a: argparse.Namespace) -> int:
    from ptkg.inspect import inspect_file

    return inspect_file(Path(a.file), max_bytes=_max_bytes(a), lexicon=a.lexicon)


def _cmd_serve(a: argparse.Namespace) -> int:
    from ptkg.graph.serve import serve

    return serve(Path(a.graph), port=a.port, host=a.host, timeout=a.timeout, max_rows=a.max_rows,
                 allow_service=a.allow_service or [], allow_host=a.allow_host or [], workers=a.workers,
                 memory_mb=a.max_memory, share_after=a.share_after)


def _port(text: str) -> int:
    """A TCP port number, or argparse's one-line usage error saying what a port is."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return n


def _allow_service(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-service", action="append", metavar="HOST",
                   help="let SPARQL SERVICE reach this host (HOST or HOST:PORT; repeat for more); "
                   "by default SERVICE is refused")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ptkg",
                                description="Policy timeline knowledge graph for Chinese policy documents.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read documents, write graph.ttl and index.html")
    b.add_argument("inputs", nargs="*", help="files or folders (default: seeds/)")
    b.add_argument("-o", "--output", default="output", help="output folder (default: output/)")
    b.add_argument("--base", default=None, help="IRI base for instances (default https://w3id.org/ptkg/id/)")
    b.add_argument("--max-bytes", type=int, default=None, help="skip files larger than this (default 50 MiB)")
    b.add_argument("--time-limit", type=float, default=300.0, metavar="SECONDS",
                   help="skip a file whose reading and extraction take longer (default 300; 0: no limit)")
    b.add_argument("-j", "--jobs", type=int, default=1, help="extract N files at once in worker processes "
                   "(0: one per CPU; default 1); the output is the same for any N")
    b.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where extraction runs: this machine, or a Dask cluster (pip install 'ptkg[scale]')")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address for --executor dask")
    b.add_argument("--no-cache", action="store_true", help="ignore and do not update DIR/.cache/")
    b.add_argument("--lexicon", metavar="DIR", default=os.environ.get("PTKG_LEXICON") or None,
                   help="a folder of your own lexicon files (people.tsv, organizations.tsv, titles.tsv, phrases.ttl) "
                        "added to the package's (default: $PTKG_LEXICON)")
    b.add_argument("--follow-links", action="store_true",
                   help="also read symbolic links that lead outside the input folders (refused by default)")
    b.add_argument("--progress", action="store_true", help="progress bar on stderr even when it is not a terminal")
    b.add_argument("--push", metavar="URL", help="then load graph.ttl into this SPARQL 1.1 Graph Store endpoint "
                   "(e.g. http://localhost:3030/ds/data for Fuseki)")
    b.add_argument("--push-graph", metavar="IRI", help="with --push: into this named graph (default: the default one)")
    b.set_defaults(func=_cmd_build)

    q = sub.add_parser("query", help="run a SPARQL query (string or .rq file) on a built graph")
    q.add_argument("query")
    q.add_argument("--graph", default="output/graph.ttl")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="stop the query after this long (default 300; 0: no limit)")
    q.add_argument("--max-memory", type=int, default=4096, metavar="MB",
                   help="stop the query when it needs more memory than this (default 4096)")
    _allow_service(q)
    q.set_defaults(func=_cmd_query)

    x = sub.add_parser("export", help="the graph as GraphML, GEXF (Gephi timeline), JSON-LD, N-Triples or CSV")
    x.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    x.add_argument("--graph", default="output/graph.ttl")
    x.add_argument("-o", "--output", help="file to write (default: stdout)")
    x.set_defaults(func=_cmd_export)

    t = sub.add_parser("timex", help="date expressions of each stdin line, as JSON lines")
    t.add_argument("--base", required=True, help="document date YYYY-MM-DD")
    t.set_defaults(func=_cmd_timex)

    i = sub.add_parser("inspect", help="show how a file is read: format, encoding, documents, repaired text")
    i.add_argument("file")
    i.add_argument("--max-bytes", type=int, default=None)
    i.add_argument("--lexicon", metavar="DIR", default=os.environ.get("PTKG_LEXICON") or None,
                   help="your own lexicon folder, as for build (default: $PTKG_LEXICON)")
    i.set_defaults(func=_cmd_inspect)

    s = sub.add_parser("serve", help="SPARQL 1.1 endpoint (read-only) and the HTML page")
    s.add_argument("--graph", default="output/graph.ttl")
    s.add_argument("--port", type=_port, default=7878, help="TCP port, 1-65535 (0: any free one; default 7878)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="answer 503 to a query still running after this long (default 30)")
    s.add_argument("--max-rows", type=int, default=100_000, help="refuse results longer than this (add a LIMIT)")
    s.add_argument("--max-memory", type=int, default=1024, metavar="MB",
                   help="memory for each query worker; a query needing more is stopped (default 1024)")
    s.add_argument("--workers", type=int, default=2, help="queries evaluated at once, each in its own process "
                   "(default 2)")
    s.add_argument("--share-after", type=float, default=2.0, metavar="SECONDS",
                   help="when every worker is busy and a query waits, stop the one running longer than this "
                   "(default 2)")
    s.add_argument("--allow-host", action="append", metavar="NAME",
                   help="also answer requests whose Host header names this (e.g. a machine name with --host)")
    _allow_service(s)
    s.set_defaults(func=_cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    if a.debug:
        os.environ["PTKG_DEBUG"] = "1"
        return a.func(a)
    try:
        return a.func(a)
    except KeyboardInterrupt:
        say("ptkg: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:
        detail = reason(e)
        say(f"ptkg {a.command}: {detail}" + ("" if "--debug" in detail else " (--debug for details)"))
        return 1


if __name__ == "__main__":
    sys.exit(main())
