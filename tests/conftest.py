"""Shared by the test modules: running the ``ptkg`` command line, and one build of the seeds."""

from __future__ import annotations

import contextlib
import http.server
import os
import subprocess
import sys
import threading
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


@contextlib.contextmanager
def listener():
    """A local HTTP server that records every request: the SSRF target."""
    hits: list[str] = []

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"leaked"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *a: object) -> None:
            pass

    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        yield s.server_port, hits
    finally:
        s.shutdown()
        s.server_close()
