"""The /sparql form in a real browser (Debian chromium, headless): it works under its strict CSP,
shows hostile literals as text, and a page of another site cannot make the endpoint run a query."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from ptkg.graph.serve import RunningServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def server(built):
    s = RunningServer(built / "graph.ttl", "127.0.0.1", 0, workers=1)
    yield s
    s.close()


def wait_status(page, ok, timeout: float = 20.0) -> None:  # noqa: ANN001
    """Poll the status line from Python (the page's CSP forbids the string eval of wait_for_function)."""
    import time

    end = time.monotonic() + timeout
    while not ok(text := page.inner_text("#status")):
        assert time.monotonic() < end, text
        page.wait_for_timeout(100)


def test_form_runs_a_query_under_its_csp(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{server.url}/sparql")
        page.fill("#q", 'SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)>" AS ?x) }')
        page.click("#run")
        wait_status(page, lambda t: t.endswith("rows"))
        assert page.inner_text("td") == "<img src=x onerror=alert(1)>"
        assert page.query_selector("#out img") is None
        page.fill("#q", "SELECT ?n WHERE { ?e a schema:Event ; schema:name ?n } LIMIT 3")  # default prefixes
        page.click("#run")
        wait_status(page, lambda t: t == "3 rows")
        assert problems == []
        browser.close()


def test_another_site_cannot_trigger_a_query(server, tmp_path):
    """A page on another origin sends an <img> GET and a form POST to /query: both are refused."""
    hits: list[int] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("response", lambda r: hits.append(r.status) if "/query" in r.url else None)
        q = "SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201"
        page.route("http://evil.example/", lambda route: route.fulfill(content_type="text/html", body=(
            f'<img src="{server.url}/query?query={q}">'
            f'<form id="f" method="POST" action="{server.url}/query"><input name="query" value="ASK {{}}"></form>'
            '<script>setTimeout(function(){document.getElementById("f").submit()}, 300)</script>')))
        page.goto("http://evil.example/")
        page.wait_for_timeout(2500)
        browser.close()
    assert hits and all(s == 403 for s in hits), hits
