"""Shared by the test modules: running the ``ptkg`` command line, and one build of the seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_ptkg(*args: str, stdin: str | None = None, env: dict | None = None,
             timeout: int = 300) -> subprocess.CompletedProcess:
    """``ptkg ARGS`` as a user runs it (a new process, from the repository root)."""
    return subprocess.run([sys.executable, "-m", "ptkg.cli", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=timeout)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ptkg build seeds`` once for the whole run; tests read it and copy it before changing anything."""
    out = tmp_path_factory.mktemp("seeds-build")
    r = run_ptkg("build", "seeds", "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out
