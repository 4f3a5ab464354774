"""The incremental build cache: what each file gave, keyed by its content and the code's version.

Why: extraction is nearly all of a build's time, and a corpus grows by a few files a day.  A
file's result depends only on its bytes, its path (mentions cite it), its ``manifest.csv`` row
the extraction code and the lexicon (the user's lexicon files included), so those make the key; a
change to any file under ``extractors/`` or to ``ptkg/pipeline.py`` changes :func:`code_version`
and so every key.

To skip even *reading* an unchanged file, the cache also remembers each path's size, mtime and
inode with the content hash it had (as git's index does); a file whose ``stat`` still matches
is taken to have the same content.  Everything lives in one SQLite file under
``output/.cache/``: one transaction per build, safe against a killed build and against two
builds at once.  A file that failed is remembered with its one-line reason (the same bytes fail the
same way), except a failure of the moment (``Problem.lasting`` false): one that ran out of time,
which depends on the machine's load, and a read the system refused or that met other bytes than
were hashed (the file changed in between), which would otherwise stay for good once the file is
restored.

Results are stored as JSON (zlib-compressed), never as pickles: whoever can write an output folder
(or hands one over) must not get code run at the next build.  Decoding is driven by the dataclasses'
type hints, so an entry builds only :class:`~ptkg.pipeline.FileResult` or
:class:`~ptkg.pipeline.Problem` with fields of the declared types; anything else (a hostile or
damaged entry, a bomb of a compressed blob) is refused, and the caller rebuilds that one file.

Above the per-file cache, ``last-build.json`` records the stamp of the last complete build (every
file key, the code of the whole pipeline, the IRI base) and the state of its outputs: when
nothing changed at all, the build stops there (as ``make`` would), leaving the outputs as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import sys
import types
import typing
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from ptkg.extractors.reasons import reason

_PKG = Path(__file__).resolve().parent
#: the folders and files of the installed package, as named in the repository, that hold each part
_PARTS = {"extractors": _PKG / "extractors" if (_PKG / "extractors").is_dir() else _PKG.parent / "extractors",
          "graph": _PKG / "graph" if (_PKG / "graph").is_dir() else _PKG.parent / "graph",
          "ptkg": _PKG}
#: code whose change invalidates every cached extraction
VERSIONED = ("extractors", "ptkg/pipeline.py")


def _files(entry: str) -> list[tuple[str, Path]]:
    """The files of a part (``extractors``) or one file (``ptkg/pipeline.py``) with their repository names."""
    top, _, rest = entry.partition("/")
    p = _PARTS[top] / rest if rest else _PARTS[top]
    if not p.is_dir():
        return [(entry, p)]
    return [(f"{top}/{x.relative_to(p).as_posix()}", x)
            for x in sorted(p.rglob("*")) if x.is_file() and "__pycache__" not in x.parts]


@cache
def code_version() -> str:
    """A hash of the extraction code and data (every file under ``extractors/``, ``pipeline.py``)."""
    h = hashlib.sha256(f"python{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for entry in VERSIONED:
        for name, f in _files(entry):
            h.update(name.encode() + b"\0")
            h.update(f.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def file_key(rel: str, sha: str, manifest_fields: dict[str, str] | None, lexicon: str) -> str:
    """The cache key of one file's extraction (``lexicon``: the lexicon's fingerprint, the user's files included)."""
    fields = json.dumps(manifest_fields or {}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{code_version()}\0{lexicon}\0{rel}\0{sha}\0{fields}".encode()).hexdigest()


_TABLE = "results_json"
#: the most a cache entry may decompress to (a larger one is refused, not read: a zlib bomb)
MAX_ENTRY_BYTES = 512 * 1024 * 1024


class BadEntry(ValueError):
    """A cache entry that is not a result this version wrote (damaged, hostile, too large)."""


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    raise TypeError(f"cannot cache a {type(v).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _typed(tp: Any, v: Any) -> Any:
    """``v`` (parsed JSON) as a value of type ``tp``; BadEntry when it is not one."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if v is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _typed(inner[0], v)
        raise BadEntry("a field of a kind this version cannot read")
    if tp is Any:
        return v
    if tp in (str, float) and isinstance(v, tp) or tp is int and type(v) is int or tp is bool and type(v) is bool:
        return v
    if tp is dt.date and isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError as e:
            raise BadEntry(str(e)) from None
    if origin is list and isinstance(v, list):
        return [_typed(args[0], x) for x in v]
    if origin is tuple and isinstance(v, list):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(args[0], x) for x in v)
        if len(args) == len(v):
            return tuple(_typed(a, x) for a, x in zip(args, v, strict=True))
    if origin is dict and isinstance(v, dict):
        return {_typed(args[0], k): _typed(args[1], x) for k, x in v.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and isinstance(v, dict):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        if set(v) != names:
            raise BadEntry(f"fields not those of this version: {', '.join(sorted(set(v) ^ names))}")
        try:
            return tp(**{k: _typed(hints[k], x) for k, x in v.items()})
        except (TypeError, ValueError) as e:
            raise BadEntry(reason(e, bug="a field of the wrong kind")) from None
    found, wanted = _kind(v), _kind_of_type(tp)
    raise BadEntry(f"{found} of the wrong shape" if found == wanted else f"{found} where {wanted} belongs")


#: JSON's kinds of value, in words (a damaged entry is said without Python's type names)
_KINDS: dict[type, str] = {str: "a text", int: "a whole number", float: "a number", bool: "true or false",
                           list: "a list", dict: "a record", type(None): "nothing"}


def _kind(v: Any) -> str:
    return _KINDS.get(type(v), "a value")


def _kind_of_type(tp: Any) -> str:
    origin = typing.get_origin(tp) or tp
    if isinstance(origin, type) and dataclasses.is_dataclass(origin):
        return "a record"
    if origin is tuple:
        return "a list"
    return _KINDS.get(origin, "another kind") if isinstance(origin, type) else "another kind"


def _kinds() -> dict[str, type]:
    from ptkg.pipeline import FileResult, Problem

    return {"FileResult": FileResult, "Problem": Problem}


def dumps(value: Any) -> bytes:
    """A result as compressed JSON: ``{"type": "FileResult", "value": {...}}``."""
    doc = {"type": type(value).__name__, "value": _plain(value)}
    if doc["type"] not in _kinds():
        raise TypeError(f"cannot cache a {doc['type']}")
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def loads(blob: bytes) -> Any:
    """The result :func:`dumps` wrote; BadEntry for anything else (no code is run, no size unbounded)."""
    try:
        z = zlib.decompressobj()
        data = z.decompress(blob, MAX_ENTRY_BYTES)
        if z.unconsumed_tail or not z.eof:
            raise BadEntry("too large or truncated")
        doc = json.loads(data.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError, RecursionError, TypeError) as e:
        if isinstance(e, BadEntry):
            raise
        raise BadEntry(f"not a JSON entry: {reason(e, bug='of an unknown shape')}") from None
    if not isinstance(doc, dict) or set(doc) != {"type", "value"} or doc["type"] not in _kinds():
        raise BadEntry("not a result")
    try:
        return _typed(_kinds()[doc["type"]], doc["value"])
    except RecursionError:
        raise BadEntry("nested too deeply") from None


class Cache:
    """Extraction results by key, and content hashes by path and stat, in ``folder/extract.sqlite``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        #: why the cache file was started afresh (it was not a database, or a damaged one), or None
        self.reset: str | None = None
        try:
            self._open(folder)
        except sqlite3.DatabaseError as e:
            # only a file that is not a database or a damaged one is replaced (never a locked or unopenable one)
            if getattr(e, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                raise
            self.db.close()
            for suffix in ("", "-wal", "-shm"):
                (folder / f"extract.sqlite{suffix}").unlink(missing_ok=True)
            self.reset = f"{folder / 'extract.sqlite'}: damaged cache ({' '.join(str(e).split())}); started afresh"
            self._open(folder)

    def _open(self, folder: Path) -> None:
        self.db = sqlite3.connect(str(folder / "extract.sqlite"), timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # "results_json": entries of older versions (pickles, in "results") are never read
        self.db.execute("DROP TABLE IF EXISTS results")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
                        " ino INTEGER, sha TEXT)")
        self.db.execute("BEGIN")
        self._known = {row[0]: row[1:] for row in self.db.execute("SELECT path, size, mtime_ns, ino, sha FROM files")}
        self._used: set[str] = set()
        self.hits = 0

    def content_hash(self, path: Path, max_bytes: int | None = None) -> str | None:
        """sha256 of the file, from the stat index when size, mtime and inode are unchanged.

        None for what the reader will refuse anyway (not a regular file — a FIFO would block the
        open —, over ``max_bytes``, unreadable): such a file is never cached.
        """
        try:
            st = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or (max_bytes is not None and st.st_size > max_bytes):
            return None
        ap = os.fsencode(path.resolve()).decode("utf-8", errors="backslashreplace")  # a GBK name too
        known = self._known.get(ap)
        if known and known[:3] == (st.st_size, st.st_mtime_ns, st.st_ino):
            return known[3]
        try:
            with open(path, "rb") as f:
                sha = hashlib.file_digest(f, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
                    else hashlib.sha256(f.read()).hexdigest()
        except OSError:
            return None
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                        (ap, st.st_size, st.st_mtime_ns, st.st_ino, sha))
        return sha

    def forget(self, path: str | Path) -> None:
        """Drop the stat record of ``path``: its next build hashes it again (after a failed or changed read)."""
        ap = os.fsencode(Path(path).resolve()).decode("utf-8", errors="backslashreplace")
        self._known.pop(ap, None)
        self.db.execute("DELETE FROM files WHERE path = ?", (ap,))

    def keys(self) -> set[str]:
        """Every stored key (one query, instead of one per file)."""
        return {row[0] for row in self.db.execute(f"SELECT key FROM {_TABLE}")}

    def get(self, key: str) -> Any | None:
        """The stored result, or None when there is none; :class:`BadEntry` when the entry cannot be trusted."""
        row = self.db.execute(f"SELECT data FROM {_TABLE} WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        value = loads(row[0])
        self.hits += 1
        self._used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self._used.add(key)
        self.db.execute(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?)", (key, dumps(value)))

    def close(self, prune: bool = True) -> None:
        """Commit; with ``prune``, drop results this build did not use (old versions, deleted files)."""
        if prune:
            self.db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self._used))
            self.db.execute(f"DELETE FROM {_TABLE} WHERE key NOT IN (SELECT key FROM used)")
        self.db.execute("COMMIT")
        self.db.close()


@cache
def output_version() -> str:
    """A hash of all the code that shapes the outputs (extraction, graph, page, pipeline)."""
    h = hashlib.sha256(code_version().encode())
    for entry in ("graph", "ptkg"):
        for name, f in _files(entry):
            if not name.startswith(("ptkg/extractors/", "ptkg/graph/")):
                h.update(name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def build_stamp(keys: list[str], base: str, lexicon: str) -> str:
    """What a whole build depends on: every file's key in order, the code, the lexicon, the IRI base."""
    h = hashlib.sha256(f"{output_version()}\0{lexicon}\0{base}\0".encode())
    for k in keys:
        h.update(k.encode() + b"\n")
    return h.hexdigest()


_OUTPUTS = ("graph.ttl", "index.html")
_LAST = "last-build.json"


def _outputs_state(out_dir: Path) -> list | None:
    try:
        state: list = [[f, (out_dir / f).stat().st_size, (out_dir / f).stat().st_mtime_ns] for f in _OUTPUTS]
        state.append(["store", os.readlink(out_dir / "store")])
        return state
    except OSError:
        return None


def previous_build(out_dir: Path, stamp: str) -> dict | None:
    """The record of the last build when it had this stamp and its outputs are still as it left them."""
    try:
        last = json.loads((cache_dir(out_dir) / _LAST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if last.get("stamp") != stamp or last.get("outputs") != _outputs_state(out_dir) or "problems" not in last:
        return None
    return last


def forget_build(out_dir: Path) -> None:
    """Before outputs are rewritten: a build killed from here on leaves no record to trust."""
    try:
        (cache_dir(out_dir) / _LAST).unlink()
    except OSError:
        pass


def remember_build(out_dir: Path, stamp: str, documents: int, mentions: int, events: int, summary: str,
                   problems: list[str]) -> None:
    """Record a complete build: its stamp, its outputs' state, and what it reported (problems included,
    so that an unchanged bad file still gets its line on stderr)."""
    record = {"stamp": stamp, "outputs": _outputs_state(out_dir), "documents": documents, "mentions": mentions,
              "events": events, "summary": summary, "problems": problems}
    tmp = cache_dir(out_dir) / f".{_LAST}.tmp"
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, cache_dir(out_dir) / _LAST)


def cache_dir(out_dir: Path) -> Path:
    return out_dir / ".cache"


def disabled() -> bool:
    """``PTKG_NO_CACHE=1`` turns the cache off (benchmarks of a cold build)."""
    return os.environ.get("PTKG_NO_CACHE", "") not in ("", "0")
