"""Run SPARQL 1.1 queries on a built graph and format the results.

The graph is the build's on-disk Oxigraph store (``graph/store.py``) when there is a fresh one,
else ``graph.ttl`` loaded into an in-memory Oxigraph store; rdflib reaches either through ``oxrdflib``: the same rdflib
API, but queries are evaluated in Rust — about 30x faster than rdflib's own engine on
100k triples (measured in ``shared/notes/dependencies.md``).  Saved queries in
``queries/*.rq`` are plain files; ``ptkg query FILE`` runs them.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
from json.encoder import encode_basestring  # C-accelerated
from pathlib import Path
from typing import TYPE_CHECKING

from ptkg.graph.results import formula_safe

if TYPE_CHECKING:  # rdflib is imported only by the in-process API, not by query workers
    import rdflib
    from rdflib.query import Result

DEFAULT_PREFIXES = {
    "ptk": "https://w3id.org/ptkg/ns#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
PREFIXES = "".join(f"PREFIX {k + ':':<8}<{v}>\n" for k, v in DEFAULT_PREFIXES.items())
MAX_QUERY_FILE = 1 << 20


class QueryError(Exception):
    """A query that cannot be parsed or run; ``str()`` is one line."""


class QueryFileError(OSError):
    """A query file that cannot be read; ``str()`` is one line naming the reason."""


def load_graph(path: Path) -> rdflib.Graph:
    """The graph for querying in this process: the build's on-disk store when it matches ``path``
    (opens in milliseconds, whatever the size), else ``path`` parsed into the default graph of an
    in-memory store.  (Before issue 16 the fallback parsed into a named graph, so every query of
    the default graph answered 0 rows whenever the store was missing or stale.)"""
    import pyoxigraph as ox
    import rdflib
    from oxrdflib import OxigraphStore
    from ptkg.graph.build import bind_prefixes
    from ptkg.graph.store import open_store
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    store = open_store(Path(path))
    if store is None:
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    g = rdflib.Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    bind_prefixes(g)
    return g


def _looks_inline(arg: str) -> bool:
    return any(c.isspace() or c in "{}" for c in arg)


def query_text(arg: str) -> str:
    """A query given inline or as a path to a query file.

    A path that exists is read, and must be a regular file (a FIFO or device named ``x.rq`` would
    block or never end); an argument with spaces or braces that names no file is the query itself,
    whatever it ends with (``... } # see q.rq``); a bare ``name.rq`` that does not exist is an error.
    """
    try:
        fd = os.open(arg, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        if not _looks_inline(arg) and arg.endswith((".rq", ".sparql")):
            raise QueryFileError(f"{arg}: no such query file") from None
        return arg
    except OSError as e:
        if _looks_inline(arg) or e.errno == errno.ENAMETOOLONG:  # an inline query longer than a file name
            return arg
        raise QueryFileError(f"{arg}: cannot read query file: {e.strerror or e}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # checked before fdopen, which refuses a folder with an OSError of its own
        os.close(fd)
        if stat.S_ISDIR(st.st_mode) and _looks_inline(arg):
            return arg
        raise QueryFileError(f"{arg}: not a regular file (a folder, FIFO or device); give a query file")
    with os.fdopen(fd, "rb") as f:
        if st.st_size > MAX_QUERY_FILE:
            raise QueryFileError(f"{arg}: query file of {st.st_size} bytes, over {MAX_QUERY_FILE}")
        data = f.read(MAX_QUERY_FILE + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise QueryFileError(f"{arg}: not UTF-8 (byte {e.start})") from None


def with_prefixes(q: str) -> str:
    """Add the contract's prefixes that the query uses but does not declare (rdflib's path)."""
    declared = {line.split()[1].rstrip(":") for line in q.splitlines() if line.strip().upper().startswith("PREFIX")
                and len(line.split()) > 1}
    extra = [ln for ln in PREFIXES.splitlines() if ln.split()[1].rstrip(":") not in declared]
    return "\n".join(extra) + "\n" + q


def run(g: rdflib.Graph, q: str) -> Result:
    try:
        return g.query(with_prefixes(q))
    except Exception as e:  # pyparsing/oxigraph syntax errors come in many types
        msg = " ".join(str(e).split())
        raise QueryError(f"SPARQL error: {msg}") from None


def _oxigraph(g: rdflib.Graph):  # noqa: ANN202 (pyoxigraph.Store | None)
    """The pyoxigraph store behind an oxrdflib graph, to read SELECT results without turning
    every term into an rdflib object (that conversion took 1.6 s of a 20,000-row listing)."""
    return getattr(g.store, "_store", None)


def execute(g: rdflib.Graph, q: str, fmt: str) -> str:
    """Run ``q`` in this process and format it (benchmarks; the command line runs it in a worker,
    ``graph/sandbox.py``, with the same formatting)."""
    import pyoxigraph as ox

    store = _oxigraph(g)
    if store is None:
        return format_result(run(g, q), fmt)
    try:
        result = store.query(q, prefixes=DEFAULT_PREFIXES)
    except Exception as e:  # Oxigraph raises SyntaxError for malformed queries
        raise QueryError(f"SPARQL error: {' '.join(str(e).split())}") from None
    if isinstance(result, ox.QueryBoolean):
        return format_rows(["ask"], [["true" if bool(result) else "false"]], fmt)
    if isinstance(result, ox.QueryTriples):
        return format_construct(list(result), fmt)
    names = [v.value for v in result.variables]
    data = [["" if t is None else t.value for t in row] for row in result]  # in the order of names
    return format_rows(names, data, fmt)


def format_construct(triples: list, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE output: Turtle for the table format, subject/predicate/object rows otherwise."""
    import pyoxigraph as ox

    if fmt == "table":
        return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=DEFAULT_PREFIXES) or b"").decode("utf-8")
    data = [[t.subject.value, t.predicate.value, t.object.value if not isinstance(t.object, ox.Triple)
             else str(t.object)] for t in triples]
    return format_rows(["subject", "predicate", "object"], data, fmt)


def _cell(v: object) -> str:
    if v is None:
        return ""
    return str(v)


def rows(result: Result) -> tuple[list[str], list[list[str]]]:
    if result.type == "ASK":
        return ["ask"], [[str(bool(result.askAnswer)).lower()]]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return ["subject", "predicate", "object"], [[_cell(s), _cell(p), _cell(o)] for s, p, o in result.graph]
    names = [str(v) for v in result.vars]
    return names, [[_cell(r[i]) for i in range(len(names))] for r in result]


def format_result(result: Result, fmt: str) -> str:
    if result.type in ("CONSTRUCT", "DESCRIBE") and fmt == "table":
        return result.graph.serialize(format="turtle")
    names, data = rows(result)
    return format_rows(names, data, fmt)


def format_rows(names: list[str], data: list[list[str]], fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([formula_safe(n) for n in names])
        w.writerows([formula_safe(c) for c in r] for r in data)
        return buf.getvalue()
    if fmt == "json":
        return _json_records(names, data)
    return _table(names, data)


def _json_records(names: list[str], data: list[list[str]]) -> str:
    """``json.dumps([dict(zip(names, row)) ...], ensure_ascii=False, indent=1)``, byte for byte, written here:
    with an indent the json module encodes in Python (0.74 s for the full corpus's 74,545-row document listing),
    while its C string encoder, called per cell, does the same in 0.35 s."""
    if not data:
        return "[]\n"
    keys = [encode_basestring(n) for n in names]
    rows = [" {\n" + ",\n".join(f"  {k}: {encode_basestring(v)}" for k, v in zip(keys, r, strict=True)) + "\n }"
            if keys else " {}" for r in data]
    return "[\n" + ",\n".join(rows) + "\n]\n"


# East Asian Wide and Fullwidth ranges (Unicode UAX #11): CJK, Hangul, kana, full-width forms
_WIDE_RANGES = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd")
_WIDE = re.compile(f"[{_WIDE_RANGES}]")
_NARROW_RUN = re.compile(f"[^{_WIDE_RANGES}]+")


def _width(s: str) -> int:
    """Display width: CJK characters take two columns in a terminal.  Counted as twice the length less the
    narrow characters, found in runs: a CJK title has few runs where it has many wide characters (74,545
    titles: 0.13 s with one match per wide character, 0.06 s so)."""
    return 2 * len(s) - len("".join(_NARROW_RUN.findall(s)))


def _table(names: list[str], data: list[list[str]], max_cell: int = 60) -> str:
    # Column by column: a column of ASCII without spaces or controls (IRIs, dates, numbers, file names) needs no
    # folding and its width is its length, so only the other cells go through clip() and _width().  The table of
    # the full corpus's 74,545-row document listing took 1.0 s cell by cell, 0.25 s so (issue 15).
    def clip(s: str) -> str:
        s = " ".join(s.split())
        return s if len(s) <= max_cell else s[: max_cell - 1] + "…"

    columns: list[list[str]] = []
    widths: list[int] = []
    for i, name in enumerate(names):
        col = [r[i] for r in data]
        joined = "".join(col)
        if joined.isascii() and joined.isprintable() and " " not in joined:
            col = [c if len(c) <= max_cell else c[: max_cell - 1] + "…" for c in col]
            w = max([_width(name), *map(len, col)])
            col = [c.ljust(w) for c in col]
        else:
            col = [clip(c) for c in col]
            sizes = [_width(c) for c in col]
            w = max([_width(name), *sizes])
            col = [c + " " * (w - n) for c, n in zip(col, sizes, strict=True)]
        columns.append(col)
        widths.append(w)

    out = [" | ".join(n + " " * (w - _width(n)) for n, w in zip(names, widths, strict=True)).rstrip(),
           "-+-".join("-" * w for w in widths)]
    out += [" | ".join(r).rstrip() for r in (zip(*columns, strict=True) if columns else ([] for _ in data))]
    out.append(f"({len(data)} rows)")
    return "\n".join(out) + "\n"
