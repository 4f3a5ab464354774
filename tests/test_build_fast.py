"""Fast builds: --jobs gives the same bytes as one job, the cache skips unchanged files (without even
reading them), the progress bar, the per-file time limit, extraction on a Dask cluster, and --push into
a SPARQL 1.1 Graph Store endpoint (the `oxigraph` server standing in for Fuseki, QLever or Virtuoso)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
#: the corpus is cut from the copy in tests/data, not ../shared/: a fresh clone has nothing beside it (issue 16)
REPORTS = ROOT / "tests" / "data" / "government-work-reports"

from make_corpus import make  # noqa: E402


def ptkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptkg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated news-like stories plus the seeds (so that there are events to merge across files)."""
    folder = tmp_path_factory.mktemp("corpus")
    make(folder, 40, seed=11)
    for p in sorted((ROOT / "seeds").iterdir()):
        shutil.copy(p, folder / p.name)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ref")
    r = ptkg("build", str(corpus), "-o", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    return out


def same_output(a: Path, b: Path) -> bool:
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in ("graph.ttl", "index.html"))


def test_jobs_give_the_same_bytes(corpus, reference, tmp_path):
    r = ptkg("build", str(corpus), "-o", str(tmp_path), "--jobs", "2", "--no-cache")
    assert r.returncode == 0, r.stderr
    assert same_output(reference, tmp_path)
    assert "merged" not in r.stderr and r.stderr.count("files read") == 1


def test_unchanged_rebuild_comes_from_the_cache(corpus, reference, tmp_path):
    out = tmp_path / "out"
    assert ptkg("build", str(corpus), "-o", str(out)).returncode == 0
    assert (out / ".cache").is_dir()
    r = ptkg("build", str(corpus), "-o", str(out))
    assert r.returncode == 0, r.stderr
    n = len([p for p in corpus.rglob("*") if p.is_file() and p.name != "manifest.csv"])
    assert f"{n} of {n} files unchanged" in r.stderr
    assert same_output(reference, out)


def test_nothing_changed_leaves_the_outputs_alone(tmp_path):
    out = tmp_path / "out"
    assert ptkg("build", "seeds", "-o", str(out)).returncode == 0
    before = (out / "graph.ttl").stat().st_mtime_ns
    r = ptkg("build", "seeds", "-o", str(out))
    assert r.returncode == 0 and "already up to date" in r.stderr and "first 双循环" in r.stderr
    assert (out / "graph.ttl").stat().st_mtime_ns == before
    (out / "index.html").unlink()  # an output touched by hand: rebuilt (from the cache)
    r = ptkg("build", "seeds", "-o", str(out))
    assert r.returncode == 0 and "already up to date" not in r.stderr and "5 of 5 files unchanged" in r.stderr
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("bad", [bytes(range(256)) * 8, b""], ids=["binary", "empty"])
def test_unchanged_bad_file_still_gets_its_line(tmp_path, bad):
    # an empty file fails the same way every time: the next build is still "up to date" (review finding)
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", folder)
    (folder / "binary.txt").write_bytes(bad)
    out = tmp_path / "out"
    first = ptkg("build", str(folder), "-o", str(out))
    again = ptkg("build", str(folder), "-o", str(out))
    assert first.returncode == again.returncode == 1
    assert "already up to date" in again.stderr
    bad = [ln for ln in again.stderr.splitlines() if ln.startswith("binary.txt:")]
    assert len(bad) == 1 and bad == [ln for ln in first.stderr.splitlines() if ln.startswith("binary.txt:")]
    assert "1 skipped" in again.stderr


def test_changed_file_is_extracted_again(corpus, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(corpus, folder)
    out = tmp_path / "out"
    assert ptkg("build", str(folder), "-o", str(out)).returncode == 0
    seed = folder / "001_90f59d14d9e5d893.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n补记。\n", encoding="utf-8")
    r = ptkg("build", str(folder), "-o", str(out))
    n = len([p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.csv"])
    assert f"{n - 1} of {n} files unchanged" in r.stderr
    fresh = ptkg("build", str(folder), "-o", str(tmp_path / "fresh"), "--no-cache")
    assert same_output(out, tmp_path / "fresh"), fresh.stderr


def test_cached_build_reads_no_input(tmp_path, monkeypatch):
    """In-process: the second build never calls a reader nor opens an input file to hash it."""
    import ptkg.cache
    import ptkg.pipeline as pipeline

    folder = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", folder)
    out = tmp_path / "out"
    first = pipeline.build([folder], out)
    ttl = (out / "graph.ttl").read_bytes()

    def refuse(*a, **kw):
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(pipeline, "read_file", refuse)
    monkeypatch.setattr(ptkg.cache, "open", refuse, raising=False)
    second = pipeline.build([folder], out)
    assert second.cached == second.files == first.files and not second.problems
    assert (out / "graph.ttl").read_bytes() == ttl


def test_code_and_lexicon_versions_are_part_of_the_key(monkeypatch):
    from ptkg import cache

    key = cache.file_key("a.txt", "0" * 64, {"date": "2020-01-01"}, "lex")
    assert key == cache.file_key("a.txt", "0" * 64, {"date": "2020-01-01"}, "lex")
    assert key != cache.file_key("a.txt", "0" * 64, {"date": "2020-01-02"}, "lex")
    assert key != cache.file_key("b.txt", "0" * 64, {"date": "2020-01-01"}, "lex")
    assert key != cache.file_key("a.txt", "0" * 64, {"date": "2020-01-01"}, "another lexicon")
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert key != cache.file_key("a.txt", "0" * 64, {"date": "2020-01-01"}, "lex")


def test_progress_bar_only_when_asked(corpus, tmp_path):
    r = ptkg("build", str(corpus), "-o", str(tmp_path / "a"), "--no-cache")
    assert "file/s" not in r.stderr and "s/file" not in r.stderr  # stderr is a pipe: no bar
    r = ptkg("build", str(corpus), "-o", str(tmp_path / "b"), "--no-cache", "--progress")
    assert "100%" in r.stderr and "file" in r.stderr


def test_time_limit_costs_one_line_per_file(tmp_path):
    r = ptkg("build", "seeds", "-o", str(tmp_path), "--time-limit", "0.000001", "--no-cache")
    lines = [ln for ln in r.stderr.splitlines() if "--time-limit" in ln]
    assert len(lines) == 5 and all(ln.split(":")[0].endswith(".txt") for ln in lines), r.stderr
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_dask_local_cluster_gives_the_same_bytes(corpus, reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                                  dashboard_address=None) as cluster:
        r = ptkg("build", str(corpus), "-o", str(tmp_path), "--no-cache", "--executor", "dask",
                 "--scheduler", cluster.scheduler_address)
        assert r.returncode == 0, r.stderr
        assert len(cluster.workers) == 2
        prefixes = cluster.scheduler.task_prefixes  # the scheduler ran in this process: ask it what it ran
        assert any("run_batch" in name for name in prefixes), list(prefixes)
    assert same_output(reference, tmp_path)


def test_dask_needs_a_scheduler(tmp_path):
    r = ptkg("build", "seeds", "-o", str(tmp_path), "--executor", "dask")
    assert r.returncode == 2 and "--scheduler" in r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count(endpoint: str, where: str) -> int:
    q = urllib.parse.quote(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    req = urllib.request.Request(f"{endpoint}/query?query={q}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return int(json.load(r)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.skipif(shutil.which("oxigraph") is None, reason="the oxigraph server (pip install oxigraph) is needed")
def test_push_to_a_graph_store_endpoint(tmp_path):
    import rdflib

    port = _free_port()
    server = subprocess.Popen(["oxigraph", "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                _count(endpoint, "?s ?p ?o")
                break
            except OSError:
                time.sleep(0.05)
        out = tmp_path / "out"
        r = ptkg("build", "seeds", "-o", str(out), "--push", f"{endpoint}/store")
        assert r.returncode == 0, r.stderr
        n = len(rdflib.Graph().parse(out / "graph.ttl", format="turtle"))
        assert _count(endpoint, "?s ?p ?o") == n
        assert _count(endpoint, "?e a <https://schema.org/Event>") > 10
        # a second push replaces (PUT), it does not add; a named graph goes beside the default one
        r = ptkg("build", "seeds", "-o", str(out), "--push", f"{endpoint}/store", "--push-graph", "urn:ptkg:seeds")
        assert r.returncode == 0, r.stderr
        r = ptkg("build", "seeds", "-o", str(out), "--push", f"{endpoint}/store")
        assert _count(endpoint, "?s ?p ?o") == n
        assert _count(endpoint, "GRAPH <urn:ptkg:seeds> { ?s ?p ?o }") == n
        # an endpoint that refuses: one line, exit 1
        r = ptkg("build", "seeds", "-o", str(out), "--push", f"{endpoint}/nowhere")
        assert r.returncode == 1 and "--push" in r.stderr and "Traceback" not in r.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)
    os.environ.pop("PTKG_NO_CACHE", None)
