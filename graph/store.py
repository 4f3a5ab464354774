"""The on-disk Oxigraph store beside ``graph.ttl``: written once per build, opened read-only after.

Why a store on disk: parsing a large Turtle file on every ``ptkg query`` or ``ptkg serve`` costs
more than the query; an Oxigraph (RocksDB) store opens in milliseconds and evaluates SPARQL in
Rust.  ``graph.ttl`` stays the canonical, byte-stable output; the store is a copy of it.

Atomicity: a store is a folder, and a folder cannot be replaced by a rename while it holds files.
So each build loads a fresh ``.store-XXXX/`` folder and then swaps the symlink ``store`` to it
with one ``os.replace`` (atomic on POSIX).  A build killed before the swap leaves the previous
link and folder untouched; older folders are removed only after the swap.

Compaction: the bulk loader writes each index as one sorted file per piece loaded (``LOAD_CHUNK``: 32 on the
full corpus), and every pattern lookup then seeks in all of them; ``Store.optimize()`` merges each into one run
after the load.  On the full corpus it took 6 s (41 MB) and made lookup-bound queries about twice as fast
(speaker-events 1.8 s → 0.9 s in process; the files grow from 304 to 459 MB, as RocksDB leaves its upper levels
uncompressed).

Freshness: the store records the size, modification time and SHA-256 of the ``graph.ttl`` it was
loaded from (``ptkg-graph.json`` inside the folder).  A store is used when size and time match,
or, when only the time differs (``cp -r output backup`` gives new times), when the digest does; a
store that does not match its ``graph.ttl`` (the file was replaced by hand, or a build was killed
between the two) is not used, and readers load ``graph.ttl`` itself into the default graph.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
from ptkg.graph.outputs import file_sha256

STORE_LINK = "store"
STAMP = "ptkg-graph.json"
_PREFIX = ".store-"


def store_dir(graph: Path) -> Path:
    """Where the store of ``graph`` lives: ``store`` beside it."""
    return Path(graph).parent / STORE_LINK


def _stamp_of(graph: Path) -> dict[str, int | str]:
    st = Path(graph).stat()
    return {"graph": Path(graph).name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def write_store(graph: Path) -> Path:
    """Bulk-load ``graph`` (Turtle) into a new store folder and switch ``store`` to it atomically."""
    graph = Path(graph)
    out = graph.parent
    tmp = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=out))
    try:
        store = ox.Store(str(tmp))
        _bulk_load(store, graph)
        store.optimize()  # one sorted run per index instead of one per bulk-load batch (see the module docstring)
        store.flush()
        del store  # releases the RocksDB lock before anyone opens it read-only
        (tmp / STAMP).write_text(json.dumps({**_stamp_of(graph), "sha256": file_sha256(graph)}), encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes 0700; outputs are for everyone to read
        link = out / STORE_LINK
        if link.is_dir() and not link.is_symlink():  # a store from an older layout
            shutil.rmtree(link)
        fd, tmp_link = tempfile.mkstemp(prefix=".store.link-", dir=out)
        os.close(fd)
        os.unlink(tmp_link)
        os.symlink(tmp.name, tmp_link)
        os.replace(tmp_link, link)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in out.glob(_PREFIX + "*"):
        if old.is_dir() and old.name != tmp.name:
            shutil.rmtree(old, ignore_errors=True)
    return link


#: triples per bulk load: Oxigraph's loader holds what it is given (up to a million quads) in memory at once,
#: ~0.8 KB a triple (+570 MB for a 16,000-story graph of 682,000 triples loaded whole, +95 MB in pieces of
#: this size, 1.2x the time; issue 15)
LOAD_CHUNK = 100_000


def _bulk_load(store: ox.Store, graph: Path) -> None:
    """Load ``graph`` into ``store`` in pieces of ``LOAD_CHUNK`` triples, parsed from the file as they go in.

    pyoxigraph (0.5) parses Turtle into quads of the default graph already, which go in as they are: making
    a new ``Quad`` of each in Python was a third of the step (2020's 250,052 triples: 2.9 -> 1.9 s CPU, the
    same store content).
    """
    triples = ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE)
    default = ox.DefaultGraph()
    for first in triples:
        piece = itertools.chain((first,), itertools.islice(triples, LOAD_CHUNK - 1))
        if isinstance(first, ox.Quad) and first.graph_name == default:  # Turtle is parsed into default-graph quads
            store.bulk_extend(piece)
        else:
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in piece)


def fresh_store_dir(graph: Path) -> Path | None:
    """The store folder of ``graph`` (links resolved) when it was loaded from this very file, else None."""
    path = store_dir(graph)
    try:
        stamp = json.loads((path / STAMP).read_text(encoding="utf-8"))
        now = _stamp_of(graph)
        if not isinstance(stamp, dict) or stamp.get("graph") != now["graph"] or stamp.get("size") != now["size"]:
            return None
        if stamp.get("mtime_ns") != now["mtime_ns"] and stamp.get("sha256") != file_sha256(Path(graph)):
            return None
        return path.resolve()
    except (OSError, ValueError):
        return None


def open_store(graph: Path) -> ox.Store | None:
    """The read-only store of ``graph`` when there is one that matches it, else None."""
    path = fresh_store_dir(graph)
    if path is None:
        return None
    try:
        return ox.Store.read_only(str(path))
    except (OSError, ValueError):
        return None


def load_store(graph: Path) -> ox.Store:
    """The graph as a store: the on-disk one when it is fresh, else ``graph.ttl`` parsed into memory."""
    store = open_store(graph)
    if store is not None:
        return store
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return store
