"""The layers import one way: extractors ← graph ← ptkg (the command line and the build's wiring).

extractors/ never imports ptkg.graph or the top-level ptkg modules; graph/ never imports the top-level
ptkg modules (pipeline, cli, cache …).  Checked on the source with ``ast``, every import statement."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

TOP = {p.stem for p in (ROOT / "ptkg").glob("*.py")} - {"__init__"}


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def _upward(layer: str, module: str) -> bool:
    if layer == "extractors" and (module.startswith("ptkg.graph") or module == "graph"):
        return True
    parts = module.split(".")
    return parts[0] == "ptkg" and len(parts) > 1 and parts[1] in TOP


@pytest.mark.parametrize("layer", ["extractors", "graph"])
def test_no_import_runs_back_up(layer):
    bad = [(f.relative_to(ROOT).as_posix(), m) for f in sorted((ROOT / layer).rglob("*.py"))
           for m in _imports(f) if _upward(layer, m)]
    assert bad == []


def test_the_check_sees_an_upward_import(tmp_path):
    assert _upward("graph", "ptkg.pipeline") and _upward("extractors", "ptkg.graph.build")
    assert not _upward("graph", "ptkg.extractors.model") and not _upward("extractors", "ptkg.extractors.dates")
