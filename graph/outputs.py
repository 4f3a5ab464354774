"""``build.json``: the manifest of one build's output set (graph.ttl and index.html, with their digests).

Why: each output is written atomically, but the set is not: a build killed after ``graph.ttl`` and
before ``index.html`` left a new graph beside an old page with nothing saying so (issue 16).  The
build removes ``build.json`` before it rewrites anything and writes it after the last output, so a
folder whose page does not belong to its graph can be told: :func:`check` gives the one line that
``ptkg query``, ``ptkg export`` and ``ptkg serve`` print.  Sizes and times are compared first; when
only the times differ (``cp -r output backup``) the SHA-256 decides, as for the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

MANIFEST = "build.json"
FILES = ("graph.ttl", "index.html")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB chunks (outputs of a full corpus are hundreds of MB)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _entry(path: Path) -> dict[str, int | str]:
    st = path.stat()
    return {"bytes": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": file_sha256(path)}


def forget(out_dir: Path) -> None:
    """Before any output is rewritten: until :func:`write` the folder holds no whole set."""
    try:
        (Path(out_dir) / MANIFEST).unlink()
    except FileNotFoundError:
        pass


def write(out_dir: Path) -> None:
    """After the last output: record the set (atomically)."""
    out_dir = Path(out_dir)
    doc = {"files": {name: _entry(out_dir / name) for name in FILES}}
    fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", dir=out_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    os.chmod(tmp, 0o644)
    os.replace(tmp, out_dir / MANIFEST)


def _same(path: Path, entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    try:
        st = path.stat()
        if st.st_size != entry.get("bytes"):
            return False
        return st.st_mtime_ns == entry.get("mtime_ns") or file_sha256(path) == entry.get("sha256")
    except OSError:
        return False


def check(graph: Path) -> str | None:
    """One line when the page beside ``graph`` is not from the build that wrote it, else None.

    A folder with a graph and no page, or one whose ``graph.ttl`` itself was changed by hand (the
    stale-store line says that one), is not this check's business.
    """
    graph = Path(graph)
    out = graph.parent
    page = out / "index.html"
    if graph.name != "graph.ttl" or not page.exists():
        return None
    try:
        files = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return (f"{out}/: no {MANIFEST}: the build that wrote graph.ttl did not finish, so index.html may be "
                "an older build's; run `ptkg build` again")
    except (OSError, ValueError, KeyError, TypeError):
        return f"{out}/{MANIFEST} is unreadable: index.html may not match graph.ttl; run `ptkg build` again"
    if not isinstance(files, dict) or not _same(graph, files.get("graph.ttl")):
        return None
    if not _same(page, files.get("index.html")):
        return f"{out}/index.html is not the page of this graph.ttl (changed after the build); run `ptkg build` again"
    return None
