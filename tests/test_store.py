"""The on-disk Oxigraph store: written by the build beside graph.ttl, swapped in atomically, used by
`ptkg query` only while it matches graph.ttl, and a build killed with SIGKILL leaves the previous
output complete and usable (issue 8: atomic output)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import run_ptkg
from ptkg.graph.query import load_graph, run
from ptkg.graph.store import open_store, store_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
#: the corpus is cut from the copy in tests/data, not ../shared/: a fresh clone has nothing beside it (issue 16)
REPORTS = ROOT / "tests" / "data" / "government-work-reports"


ptkg = run_ptkg


def triples_in_turtle(path: Path) -> int:
    return len(rdflib.Graph().parse(path, format="turtle"))


def test_store_holds_the_graph(built):
    link = store_dir(built / "graph.ttl")
    assert link.is_symlink() and link.is_dir()
    store = open_store(built / "graph.ttl")
    assert store is not None and len(store) == triples_in_turtle(built / "graph.ttl")


def test_query_uses_the_store_and_falls_back_to_turtle(built, tmp_path):
    g = load_graph(built / "graph.ttl")
    assert type(g.store).__name__ == "OxigraphStore" and g.store._inner is not None
    n = len(list(run(g, "SELECT ?e WHERE { ?e a schema:Event }")))
    # a graph.ttl that is not the one the store was loaded from: the store is not used
    copy = tmp_path / "graph.ttl"
    copy.write_bytes((built / "graph.ttl").read_bytes())
    os.symlink(os.readlink(built / "store"), tmp_path / "store")
    assert open_store(copy) is None
    assert len(list(run(load_graph(copy), "SELECT ?e WHERE { ?e a schema:Event }"))) == n
    r = ptkg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?e a schema:Event }", "--graph", str(built / "graph.ttl"),
             "--format", "csv")
    assert r.returncode == 0 and int(r.stdout.splitlines()[1]) == n


def test_rebuild_swaps_the_store_and_removes_the_old(built, tmp_path):
    out = tmp_path / "out"
    assert ptkg("build", "seeds", "-o", str(out)).returncode == 0
    first = os.readlink(out / "store")
    assert ptkg("build", "seeds", "-o", str(out), "--no-cache").returncode == 0
    second = os.readlink(out / "store")
    assert first != second and not (out / first).exists()
    assert [p.name for p in out.glob(".store-*")] == [second]
    assert open_store(out / "graph.ttl") is not None


def _consistent(out: Path, old_ttl: bytes, new_ttl: bytes) -> None:
    """Whatever moment the build died at, the output folder is whole: old or new, never half."""
    ttl = (out / "graph.ttl").read_bytes()
    assert ttl in (old_ttl, new_ttl)
    assert (out / "index.html").stat().st_size > 1000
    store = open_store(out / "graph.ttl")
    if store is not None:  # a store is used only when it is the one of this graph.ttl
        assert len(store) == len(rdflib.Graph().parse(data=ttl.decode("utf-8"), format="turtle"))
    assert list(run(load_graph(out / "graph.ttl"), "ASK { ?e a schema:Event }"))


@pytest.mark.parametrize("moment", [".graph.ttl.", ".store-", ".index.html."])
def test_sigkill_mid_write_leaves_the_previous_output(tmp_path, moment):
    from make_corpus import make

    corpus = tmp_path / "in"
    make(corpus, 60, seed=3)
    (corpus / "seed.txt").write_bytes((ROOT / "seeds" / "000_1089c9cb576d39d7.txt").read_bytes())
    out = tmp_path / "out"
    assert ptkg("build", str(corpus), "-o", str(out)).returncode == 0
    old_ttl = (out / "graph.ttl").read_bytes()
    old_store = os.readlink(out / "store")
    (corpus / "seed2.txt").write_bytes((ROOT / "seeds" / "001_90f59d14d9e5d893.txt").read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "ptkg.cli", "build", str(corpus), "-o", str(out)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    killed = False
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.startswith(moment) and p.name != old_store for p in out.iterdir()):
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    proc.wait(timeout=60)
    new_ttl = old_ttl
    if not killed:  # the write was too quick to catch: the build finished; the output must be the new one
        new_ttl = (out / "graph.ttl").read_bytes()
    else:
        done = ptkg("build", str(corpus), "-o", str(tmp_path / "ref"))
        assert done.returncode == 0
        new_ttl = (tmp_path / "ref" / "graph.ttl").read_bytes()
    _consistent(out, old_ttl, new_ttl)
    # and the next build completes and tidies up what the killed one left
    assert ptkg("build", str(corpus), "-o", str(out)).returncode == 0
    assert (out / "graph.ttl").read_bytes() == new_ttl
    assert len(list(out.glob(".store-*"))) == 1 and not list(out.glob(".graph.ttl.*"))


def test_store_is_a_plain_oxigraph_database(built):
    """Other tools open it too (e.g. `oxigraph serve-read-only --location output/store`)."""
    store = ox.Store.read_only(str((built / "store").resolve()))
    assert store.query("ASK { ?e a <https://schema.org/Event> }")
