"""Issue 16, the build side: a hostile input folder or output folder costs the user one line, never their
machine, their other files or their terminal."""

from __future__ import annotations

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
