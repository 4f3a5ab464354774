"""Issue 16, the build side: a hostile input folder or output folder costs the user one line, never their
machine, their other files or their terminal."""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import zlib
from pathlib import Path

from conftest import ROOT, run_ptkg

SEEDS = ROOT / "seeds"


class _Payload:
    """A pickle that runs a command when loaded: what a hostile output folder could hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (os.system, (f"touch {self.marker}",))


def _entry_tables(db: sqlite3.Connection) -> list[str]:
    """Every table of the cache that holds (key, data) rows, whatever this version calls it."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [n for n in names if {"key", "data"} <= {c[1] for c in db.execute(f"PRAGMA table_info({n})")}]


def test_hostile_or_damaged_cache_runs_nothing_and_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_ptkg("build", str(SEEDS), "-o", str(out)).returncode == 0
    good = (out / "graph.ttl").read_bytes()
    marker = tmp_path / "pwned"
    db = sqlite3.connect(out / ".cache" / "extract.sqlite")
    tables = _entry_tables(db)
    assert tables
    rows = 0
    for t in tables:
        for i, (key,) in enumerate(db.execute(f"SELECT key FROM {t}").fetchall()):
            # every other entry a pickle that would run a command, the others plain garbage
            blob = zlib.compress(pickle.dumps(_Payload(marker))) if i % 2 == 0 else b"\x00not zlib"
            db.execute(f"UPDATE {t} SET data = ? WHERE key = ?", (blob, key))
            rows += 1
    db.commit()
    db.close()
    assert rows == 5
    (out / ".cache" / "last-build.json").unlink()  # else the unchanged build stops before the cache
    r = run_ptkg("build", str(SEEDS), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert not marker.exists(), "a cache entry ran code"
    warned = [ln for ln in r.stderr.splitlines() if "cache entry unreadable" in ln]
    assert len(warned) == 5, r.stderr
    assert all(ln.split(":")[0].endswith(".txt") for ln in warned), warned
    assert "Traceback" not in r.stderr
    assert (out / "graph.ttl").read_bytes() == good
    # the rebuilt entries are good again: the next build takes them without a word
    (out / ".cache" / "last-build.json").unlink()
    r = run_ptkg("build", str(SEEDS), "-o", str(out))
    assert r.returncode == 0 and "cache entry" not in r.stderr, r.stderr
    assert "5 of 5 files unchanged" in r.stderr
    assert (out / "graph.ttl").read_bytes() == good


def test_links_out_of_the_input_folders_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("2020年5月14日，中央政治局常务委员会召开会议，秘密口令是ZZQX。\n", encoding="utf-8")
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    good = inp / "sub" / "001.txt"
    good.write_text((SEEDS / "001_90f59d14d9e5d893.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inp / "passwd.txt").symlink_to(secret)
    (inp / "inside.txt").symlink_to(good)  # a link that stays inside is read as before
    out = tmp_path / "out"
    r = run_ptkg("build", str(inp), "-o", str(out))
    assert r.returncode == 1, r.stderr
    refused = [ln for ln in r.stderr.splitlines() if "outside the input folders" in ln]
    assert refused == ["passwd.txt: a link that leads outside the input folders; skipped (--follow-links reads it)"]
    assert "1 skipped" in r.stderr and "2 of 3 files read" in r.stderr, r.stderr
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "ZZQX" not in ttl and "passwd.txt" not in ttl and "inside.txt" in ttl
    assert "ZZQX" not in (out / "index.html").read_text(encoding="utf-8")
    # unchanged second build (the shortcut): the same line again
    r = run_ptkg("build", str(inp), "-o", str(out))
    assert r.returncode == 1 and "passwd.txt: a link that leads outside" in r.stderr and "1 skipped" in r.stderr
    # asked for: read
    r = run_ptkg("build", str(inp), "-o", str(tmp_path / "out2"), "--follow-links")
    assert r.returncode == 0, r.stderr
    assert "ZZQX" in (tmp_path / "out2" / "graph.ttl").read_text(encoding="utf-8")


def _pdf(pages: int, content: bytes, flate: bool = False) -> bytes:
    """A small valid PDF: ``pages`` pages sharing one content stream (deflated when ``flate``)."""
    body = zlib.compress(content, 9) if flate else content
    filt = b" /Filter /FlateDecode" if flate else b""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(body), filt, body)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
             b" /Contents 4 0 R >>"] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, o)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _zip_bomb_docx(path: Path, size: int) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                f.write(chunk)


def test_bombs_cost_one_line_each_and_bounded_memory(tmp_path: Path) -> None:
    import resource
    import time

    from ptkg.extractors import readers

    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text((SEEDS / "001_90f59d14d9e5d893.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    _zip_bomb_docx(inp / "bomb.docx", readers.MAX_UNPACKED_BYTES + (16 << 20))
    (inp / "pages.pdf").write_bytes(_pdf(readers.MAX_PDF_PAGES + 1, b"BT /F1 12 Tf 72 712 Td (2020) Tj ET"))
    (inp / "inflate.pdf").write_bytes(_pdf(1, b"BT /F1 12 Tf 72 712 Td (2020) Tj ET\n" + b" " *
                                           (readers.MAX_UNPACKED_BYTES + (1 << 20)), flate=True))
    (inp / "oneline.txt").write_text("2020年5月14日召开会议" * 400_000, encoding="utf-8")  # 5.6 M characters
    (inp / "lines.txt").write_text("会议\n" * (readers.MAX_LINES + 10), encoding="utf-8")
    (inp / "longline.txt").write_text("二〇二〇年会议" * 30_000, encoding="utf-8")  # 210 k characters, one line
    for f in inp.iterdir():
        assert f.stat().st_size < readers.DEFAULT_MAX_BYTES, f  # each passes --max-bytes: small on disk
    t0 = time.monotonic()
    r = run_ptkg("build", str(inp), "-o", str(tmp_path / "out"), timeout=600)
    took = time.monotonic() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert r.returncode == 1, r.stderr
    lines = r.stderr.splitlines()
    expect = {"bomb.docx": "over the limit of", "pages.pdf": "pages, over the limit",
              "inflate.pdf": "inflate to over", "oneline.txt": "characters of text, over the limit",
              "lines.txt": "lines, over the limit", "longline.txt": "line 1 is 210000 characters long"}
    for name, reason in expect.items():
        said = [ln for ln in lines if ln.startswith(f"{name}: ")]
        assert len(said) == 1 and reason in said[0], (name, r.stderr)
    assert "6 skipped" in r.stderr and "Traceback" not in r.stderr
    assert "中央政治局" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert took < 120, took
    assert peak_mb < 1500, peak_mb


_RAW = ("\x1b", "\x07", "\u202e", "\r")


def test_escapes_and_bidi_in_names_and_text_never_reach_the_terminal(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    seed = (SEEDS / "001_90f59d14d9e5d893.txt").read_text(encoding="utf-8")
    # a binary file whose name forges a summary line, retitles the terminal and reverses its extension
    forged = "x\x1b]0;pwned\x07\nptkg: 9 of 9 files read, 0 skipped\u202etxt.exe"
    (inp / forged).write_bytes(bytes(range(256)) * 8)
    text = "\x1b[2J\x1b]0;pwned\x07 2020年5月14日，中央政治局常务委员会召开会议\u202e，研究国内大循环。\n"
    (inp / "text.txt").write_text(text + seed, encoding="utf-8")
    r = run_ptkg("build", str(inp), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    assert not any(c in r.stderr for c in _RAW), r.stderr
    said = [ln for ln in r.stderr.splitlines() if "pwned" in ln]
    assert len(said) == 1 and said[0].startswith("x\\x1b]0;pwned\\x07\\x0aptkg: 9 of 9") and "\\u202e" in said[0]
    assert not any(ln.startswith("ptkg: 9 of 9") for ln in r.stderr.splitlines())
    r = run_ptkg("inspect", str(inp / "text.txt"))
    assert r.returncode == 0 and "\\x1b[2J" in r.stdout and "\\u202e" in r.stdout
    assert not any(c in r.stdout for c in _RAW)
    # the graph keeps the text as written (Turtle escapes what it must): only the terminal is protected
    assert "\u202e" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_gbk_file_names_are_read_and_named(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    good, bad = "会议纪要.txt", "损坏文件.txt"
    with open(os.path.join(os.fsencode(inp), good.encode("gbk")), "wb") as f:
        f.write((SEEDS / "001_90f59d14d9e5d893.txt").read_bytes())
    with open(os.path.join(os.fsencode(inp), bad.encode("gbk")), "wb") as f:
        f.write(bytes(range(256)) * 8)
    out = tmp_path / "out"
    r = run_ptkg("build", str(inp), "-o", str(out))
    assert r.returncode == 1, r.stderr
    assert [ln for ln in r.stderr.splitlines() if ln.startswith(bad + ": ")], r.stderr
    assert "1 of 2 files read" in r.stderr
    assert f'"{good}"' in (out / "graph.ttl").read_text(encoding="utf-8")
    r = run_ptkg("build", str(inp), "-o", str(out))  # from the cache, which keys the name too
    assert "1 of 2 files read" in r.stderr and "Traceback" not in r.stderr


REPORTS = ROOT / "tests" / "data" / "government-work-reports"


def _build_proc(inp: Path, out: Path, *extra: str):  # noqa: ANN202
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "ptkg.cli", "build", str(inp), "-o", str(out), *extra],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_two_builds_into_one_folder_second_refused(tmp_path: Path) -> None:
    import time

    import rdflib

    out = tmp_path / "out"
    first = _build_proc(REPORTS, out, "--no-cache")
    try:
        deadline = time.monotonic() + 60
        while not (out / ".ptkg-build.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        r = run_ptkg("build", str(SEEDS), "-o", str(out), "--no-cache")
        assert first.poll() is None, "the first build ended too soon for the test"
        assert r.returncode == 2, r.stderr
        assert r.stderr.strip() == (f"ptkg build: {out}/ is being written by another build (pid {first.pid}); "
                                    "try again when it has finished, or pass another -o")
    finally:
        _, err = first.communicate(timeout=600)
    assert first.returncode in (0, 1), err
    g = rdflib.Graph()
    g.parse(out / "graph.ttl")
    files = {str(o) for o in g.objects(None, rdflib.URIRef("https://w3id.org/ptkg/ns#sourceFile"))}
    assert files and not any(f.startswith("00") for f in files), "the seeds' build wrote into the folder"
    # the lock dies with its holder: the next build goes ahead
    assert run_ptkg("build", str(SEEDS), "-o", str(out)).returncode == 0


def _children(pid: int) -> set[int]:
    kids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.add(int(d.name))
    return kids


def _running(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    import signal
    import time

    inp = tmp_path / "in"
    inp.mkdir()
    seed = (SEEDS / "001_90f59d14d9e5d893.txt").read_text(encoding="utf-8")
    for i in range(2):  # two files of ~0.9 M characters: each keeps its worker busy for half a minute
        (inp / f"long{i}.txt").write_text(seed * 100, encoding="utf-8")
    proc = _build_proc(inp, tmp_path / "out", "--jobs", "2", "--no-cache")
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "no workers seen"
        time.sleep(3.0)  # the workers are extracting
        os.kill(proc.pid, signal.SIGKILL)  # the build only, as the OOM killer or a crash would
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = {w for w in alive if _running(w)}
        assert not alive, f"workers {sorted(alive)} outlived the build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_query_csv_cells_cannot_be_formulas(built: Path) -> None:
    import csv
    import io

    q = ('SELECT ?a ?b ?c ?d ?n WHERE { VALUES (?a ?b ?c ?d) { ("=HYPERLINK(\\"http://x.test\\",\\"ok\\")" "+1+1" '
         '"-2+3" "@SUM(A1)") } ?e a schema:Event ; schema:name ?n } ORDER BY ?n LIMIT 1')
    r = run_ptkg("query", q, "--graph", str(built / "graph.ttl"), "--format", "csv")
    assert r.returncode == 0, r.stderr
    head, row = list(csv.reader(io.StringIO(r.stdout)))
    assert head == ["a", "b", "c", "d", "n"]
    assert row[:4] == ["'=HYPERLINK(\"http://x.test\",\"ok\")", "'+1+1", "'-2+3", "'@SUM(A1)"]
    assert row[4] and not row[4].startswith("'")  # an ordinary event name is left as it is
    # the table for the terminal: an escape sequence in a value is shown, not obeyed
    r = run_ptkg("query", 'SELECT ?x WHERE { BIND("a\\u001B[2Jb\\u202Ec" AS ?x) }', "--graph", str(built / "graph.ttl"))
    assert r.returncode == 0 and "a\\x1b[2Jb\\u202ec" in r.stdout and "\x1b" not in r.stdout, r.stdout
