"""PTKG_PHASES: the build times its own steps for the benchmark (issue 15), and says nothing without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = ["plan", "extraction", "merge", "top-keywords", "first-said", "graph", "turtle", "store", "page", "summary"]


def build(out: Path, env: dict[str, str]) -> None:
    env = {**{k: v for k, v in os.environ.items() if k != "PTKG_PHASES"}, **env}
    subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(ROOT / "seeds"), "-o", str(out), "--no-cache"],
                   cwd=ROOT, check=True, capture_output=True, text=True, env=env, timeout=600)


def test_phases_written_in_build_order_with_every_component(tmp_path: Path) -> None:
    timed = tmp_path / "phases.json"
    build(tmp_path / "out", {"PTKG_PHASES": str(timed)})
    got = json.loads(timed.read_text())
    assert list(got["phases"]) == STEPS
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in got["phases"].values())
    assert got["phases"]["extraction"][1] > 0  # the seeds are read and extracted in this process
    from ptkg.extractors.pipeline import COMPONENTS

    assert list(got["components"]) == ["read", *[name for name, _ in COMPONENTS]]
    # a timed build writes what an untimed one writes
    build(tmp_path / "plain", {})
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "plain" / "graph.ttl").read_bytes()
    assert not (tmp_path / "plain" / "phases.json").exists()
