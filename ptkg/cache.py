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
same way), except one that ran out of time, which depends on the machine's load.

Above the per-file cache, ``last-build.json`` records the stamp of the last complete build (every
file key, the code of the whole pipeline, the IRI base) and the state of its outputs: when
nothing changed at all, the build stops there (as ``make`` would), leaving the outputs as they are.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import stat
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import Any

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


class Cache:
    """Extraction results by key, and content hashes by path and stat, in ``folder/extract.sqlite``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(folder / "extract.sqlite"), timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
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
        ap = str(path.resolve())
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

    def keys(self) -> set[str]:
        """Every stored key (one query, instead of one per file)."""
        return {row[0] for row in self.db.execute("SELECT key FROM results")}

    def get(self, key: str) -> Any | None:
        row = self.db.execute("SELECT data FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self.hits += 1
        self._used.add(key)
        return pickle.loads(zlib.decompress(row[0]))

    def put(self, key: str, value: Any) -> None:
        self._used.add(key)
        data = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, data))

    def close(self, prune: bool = True) -> None:
        """Commit; with ``prune``, drop results this build did not use (old versions, deleted files)."""
        if prune:
            self.db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self._used))
            self.db.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)")
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
