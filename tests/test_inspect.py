"""``ptkg inspect``: format, encoding, documents with metadata, repaired text with raw line numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def inspect(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptkg.cli", "inspect", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_two_documents_in_seed_003():
    r = inspect(ROOT / "seeds" / "003_35bffe073971c21c.txt")
    assert r.returncode == 0, r.stderr
    assert "documents 2" in r.stdout
    assert "2020-12-23" in r.stdout and "2020-09-04" in r.stdout and "倪月菊" in r.stdout


def test_repaired_text_keeps_raw_line_numbers():
    r = inspect(ROOT / "seeds" / "000_1089c9cb576d39d7.txt")
    raw = (ROOT / "seeds" / "000_1089c9cb576d39d7.txt").read_text(encoding="utf-8").split("\n")
    line = next(x for x in r.stdout.splitlines() if "2020年5月14日，中共中央政治局常务委员会会议首次提出" in x)
    number = int(line.split(":")[0])
    assert raw[number - 1].startswith("20202020年年55月月1414日日")


def test_encoding_reported_for_gb18030(tmp_path):
    text = (ROOT / "seeds" / "003_35bffe073971c21c.txt").read_text(encoding="utf-8")
    f = tmp_path / "speech.txt"
    f.write_bytes(text.encode("gb18030"))
    r = inspect(f)
    assert r.returncode == 0 and "gb18030" in r.stdout.lower()


def test_bad_file_one_line(tmp_path):
    f = tmp_path / "blob.txt"
    f.write_bytes(bytes(range(256)) * 4)
    r = inspect(f)
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1 and "blob.txt" in r.stderr


def test_inspect_shows_the_manifest_date_the_build_uses(tmp_path):
    """A folder's manifest.csv dates an undated story: inspect shows that date, as the build writes it."""
    story = (ROOT / "seeds" / "000_1089c9cb576d39d7.txt").read_text(encoding="utf-8")
    (tmp_path / "story.txt").write_text(story, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,date,title\nstory.txt,2020-09-30,清单里的标题\n", encoding="utf-8")
    r = inspect(tmp_path / "story.txt")
    assert r.returncode == 0, r.stderr
    assert "date       2020-09-30  (from: manifest.csv: date 2020-09-30)" in r.stdout
    assert "title      清单里的标题" in r.stdout
    out = tmp_path / "out"
    b = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(tmp_path), "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stderr
    assert '"2020-09-30"^^xsd:date' in (out / "graph.ttl").read_text(encoding="utf-8")
