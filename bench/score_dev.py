"""Score ptkg on the development gold of real news: this repository's 65 stories and the shared 20 of 2020.

Where the corpus is: extract the 新闻联播 corpus as ``../shared/corpora/xwlb/README.md`` says (default
``/tmp/xwlb_txt``; ``--corpus`` or ``$PTKG_DEV_CORPUS`` to point elsewhere).  The stories listed in each gold
set's ``docs.txt`` are copied into a temporary folder, built with ``python -m ptkg.cli build`` from this
checkout, and scored with the shared scorer (``../shared/eval/score.py``; ``--scorer`` to point elsewhere).

    python bench/score_dev.py [--verbose]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {"xwlb (65 stories, 13 years)": ROOT / "tests" / "gold" / "xwlb",
        "xwlb2020 (shared, 20 stories)": ROOT.parent / "shared" / "eval" / "dev" / "xwlb2020"}


def score(gold_set: Path, corpus: Path, scorer: Path, verbose: bool) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "in"
        docs.mkdir()
        for name in (gold_set / "docs.txt").read_text(encoding="utf-8").split():
            shutil.copy(corpus / name, docs / name)
        out = Path(tmp) / "out"
        r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(docs), "-o", str(out), "--no-cache"],
                           cwd=ROOT, capture_output=True, text=True)
        if r.returncode not in (0, 1):
            return f"build failed: {r.stderr.strip().splitlines()[-1:]}"
        args = [sys.executable, str(scorer), str(out / "graph.ttl"), str(gold_set / "gold")]
        s = subprocess.run(args + (["--verbose"] if verbose else []), capture_output=True, text=True)
        return s.stdout.strip() if verbose else s.stdout.strip().splitlines()[-1]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", default=os.environ.get("PTKG_DEV_CORPUS", "/tmp/xwlb_txt"))
    p.add_argument("--scorer", default=str(ROOT.parent / "shared" / "eval" / "score.py"))
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args()
    for label, gold_set in SETS.items():
        if (gold_set / "docs.txt").is_file():
            print(f"{label}: {score(gold_set, Path(a.corpus), Path(a.scorer), a.verbose)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
