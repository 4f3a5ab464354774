"""Issue 16, wrong output: a file changed under the build, a time-out, a deep HTML page, a killed build,
an output folder inside the inputs and a bidi override each give the user the right output or one line
saying why not, never a silent wrong answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_ptkg

SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_1089c9cb576d39d7.txt"


def _seed_lines(n: int = 12) -> list[str]:
    return [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()][:n]


# --- the cache keeps no failure that is not the file's own ---------------------------------------------

def test_a_file_changed_while_read_is_read_again_once_restored(tmp_path: Path) -> None:
    """The build hashes a file, then reads it; a file replaced in between (a copy under way, an editor
    saving) fails, and that failure must not be kept under the hash of the content it no longer had."""
    from ptkg.extractors.lexicon import load as load_lexicon

    from ptkg import cache as cache_mod
    from ptkg import pipeline

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    good = SEED.read_bytes()
    f = inp / "a.txt"
    f.write_bytes(good)
    options, report = pipeline.Options(), pipeline.BuildReport()
    tasks = pipeline.plan([inp], options, report)
    lexicon = load_lexicon(None)
    cache = cache_mod.Cache(cache_mod.cache_dir(out))
    keys = pipeline.file_keys(tasks, cache, lexicon)  # the good content hashed
    f.write_bytes(b"\x00\x01\x02\x03 half-copied binary \xff\xfe" * 200)  # swapped before it is read
    assert list(pipeline.extract_all(tasks, options, report, cache, keys, lexicon)) == []
    cache.close()
    assert len(report.problems) == 1 and report.problems[0].startswith("a.txt: "), report.problems
    f.write_bytes(good)  # restored: the same bytes as hashed
    r = run_ptkg("build", str(inp), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "1 of 1 files read" in r.stderr and "\na.txt: " not in "\n" + r.stderr, r.stderr


def _slow_pdf(path: Path) -> None:
    """A PDF of the seed's text over 40 pages: its reading alone takes well over the time limit below."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    lines = _seed_lines(40)
    for page in range(40):
        c.setFont("STSong-Light", 11)
        for i, ln in enumerate(lines[page % len(lines):][:30]):
            c.drawString(40, 800 - 20 * i, ln[:40])
        c.showPage()
    c.save()


def test_a_time_out_inside_a_reader_is_named_and_tried_again(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    _slow_pdf(inp / "slow.pdf")
    r = run_ptkg("build", str(inp), "-o", str(out), "--time-limit", "0.05")
    assert r.returncode == 2, r.stderr
    line = [ln for ln in r.stderr.splitlines() if ln.startswith("slow.pdf:")]
    assert line == ["slow.pdf: took over 0.05 s (--time-limit); skipped"], r.stderr
    # the time-out is the machine's, not the file's: with time enough the file is read
    r = run_ptkg("build", str(inp), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "1 of 1 files read" in r.stderr


# --- HTML deeper than the parser's default depth ----------------------------------------------------------

@pytest.mark.parametrize("depth", [300, 3000])
def test_html_deeper_than_256_levels_is_read_whole(tmp_path: Path, depth: int) -> None:
    from ptkg.extractors.readers import read_file

    first, *middle, last = _seed_lines(6)
    body = "".join(f"<p>{ln}</p>" for ln in middle)
    page = (f"<html><head><title>t</title></head><body><p>{first}</p>" + "<div>" * depth + body
            + "</div>" * depth + f"<p>{last}</p></body></html>")
    f = tmp_path / "deep.html"
    f.write_text(page, encoding="utf-8")
    text = read_file(f, tmp_path).text
    for ln in (first, *middle, last):
        assert ln in text, (depth, ln)


# --- a killed build: the output set says it is not whole --------------------------------------------------

def test_an_interrupted_build_is_said_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed after graph.ttl but before index.html leaves a new graph beside an old page: the
    output folder's build.json (written last, removed first) says so, and `ptkg query` says it in one line."""
    from ptkg.graph import render

    from ptkg import pipeline

    out = tmp_path / "out"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(SEED, first / SEED.name)
    assert run_ptkg("build", str(first), "-o", str(out)).returncode == 0
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"graph.ttl", "index.html"}
    q = ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", str(out / "graph.ttl"), "--format", "csv")
    r = run_ptkg("query", *q)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    # a copy of a whole output folder is whole too (new times, same bytes)
    backup = tmp_path / "backup"
    shutil.copytree(out, backup, symlinks=True)
    r = run_ptkg("query", q[0], "--graph", str(backup / "graph.ttl"), "--format", "csv")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    old_page = (out / "index.html").read_bytes()

    def killed(*a: object, **k: object) -> str:
        raise KeyboardInterrupt  # as a kill between the two outputs

    monkeypatch.setattr(render, "render_html", killed)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build([SEEDS], out, options=pipeline.Options(cache=False))
    assert (out / "index.html").read_bytes() == old_page  # the old page
    assert not (out / "build.json").exists()
    r = run_ptkg("query", *q)
    assert r.returncode == 0, r.stderr
    said = r.stderr.strip().splitlines()
    assert len(said) == 1 and "index.html" in said[0] and "ptkg build" in said[0], r.stderr
    # a page put back by hand beside a whole build is said too
    monkeypatch.undo()
    assert run_ptkg("build", str(SEEDS), "-o", str(out)).returncode == 0
    assert run_ptkg("query", *q).stderr == ""
    (out / "index.html").write_bytes(old_page)
    said = run_ptkg("query", *q).stderr.strip().splitlines()
    assert len(said) == 1 and "index.html" in said[0], said


# --- the output folder inside the input folder --------------------------------------------------------------

def test_building_into_the_input_folder_reads_none_of_its_outputs(tmp_path: Path) -> None:
    import rdflib

    for case in ("same", "inside"):
        docs = tmp_path / case
        shutil.copytree(SEEDS, docs)
        out = docs if case == "same" else docs / "out"
        for _ in range(2):  # the second build finds the first one's outputs under its input
            r = run_ptkg("build", str(docs), "-o", str(out), "--no-cache")
            assert r.returncode == 0, r.stderr
            assert "5 of 5 files read" in r.stderr, r.stderr
        g = rdflib.Graph()
        g.parse(out / "graph.ttl")
        files = {str(o) for o in g.objects(None, rdflib.URIRef("https://w3id.org/ptkg/ns#sourceFile"))}
        assert files == {p.name for p in SEEDS.iterdir() if p.suffix == ".txt"}, files


# --- bidi overrides on the page ---------------------------------------------------------------------------

def test_bidi_overrides_in_the_text_do_not_reach_the_page(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    text = SEED.read_text(encoding="utf-8")
    # an override inside the sentence that carries the first-said event: the quote would show reversed
    hostile = text.replace("双循环", "双\u202e循环\u2066", 1)
    assert hostile != text
    (inp / "a\u202etxt.txt").write_text(hostile, encoding="utf-8")
    r = run_ptkg("build", str(inp), "-o", str(out))
    assert r.returncode == 0, r.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert c not in page, hex(ord(c))
    assert "\\\\u202e" in page  # shown as an escape, as on the terminal
    # the graph keeps the text as written (provenance)
    assert "\u202e" in (out / "graph.ttl").read_text(encoding="utf-8")

