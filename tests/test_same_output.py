"""The graph built from the seeds and from the government work reports 1954–2025 is byte for byte the one
recorded in ``tests/snapshots/graph-sha256.tsv``: a reshaping of the code (issue 11) must not change what
is built.  A change of output that is intended regenerates the record (``PTKG_UPDATE_SNAPSHOTS=1``) in the
same commit, so the diff of that file shows every commit that changed what users get."""

from __future__ import annotations

import hashlib
import os

import pytest
from conftest import ROOT, run_ptkg

RECORD = ROOT / "tests" / "snapshots" / "graph-sha256.tsv"


def _recorded() -> dict[str, str]:
    rows = [ln.split("\t") for ln in RECORD.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return {k: v for k, v in rows}


@pytest.mark.parametrize("inputs", list(_recorded()))
def test_graph_is_the_recorded_one(inputs, tmp_path):
    r = run_ptkg("build", inputs, "-o", str(tmp_path), "--no-cache")
    assert r.returncode == 0, r.stderr
    digest = hashlib.sha256((tmp_path / "graph.ttl").read_bytes()).hexdigest()
    if os.environ.get("PTKG_UPDATE_SNAPSHOTS"):
        text = RECORD.read_text(encoding="utf-8").replace(_recorded()[inputs], digest)
        RECORD.write_text(text, encoding="utf-8")
        return
    assert digest == _recorded()[inputs], f"graph.ttl of {inputs} changed (PTKG_UPDATE_SNAPSHOTS=1 if intended)"
