"""The page in a real browser (Debian chromium, headless, via Playwright): offline, error-free, linked, XSS-safe.

``open_page(path)`` is the reusable entry point: point it at any rendered page (the fixture here, or
``output/index.html`` from ``ptkg build``) and it returns the page plus everything the browser tried to
load or complain about.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ptkg.graph.render import render_html

# pytest puts tests/ on sys.path, so the fixture view is shared without a package or conftest.
from test_render import XSS_QUOTE, hostile_view, sample_view, seed_file

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
sys.path.insert(0, str(ROOT / "bench"))
from chromium import CHROMIUM, CHROMIUM_ARGS, OVERLAPS  # noqa: E402  (one launch recipe for tests and the bench)

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM}", allow_module_level=True)


@dataclass
class Opened:
    """A loaded page and what it did: console errors, uncaught exceptions, off-file requests, dialogs."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.remote_requests == [], self.remote_requests
        assert self.dialogs == [], self.dialogs


@contextmanager
def open_page(path: Path, width: int = 1440, height: int = 900) -> Iterator[Opened]:
    """Open ``path`` from file:// in headless chromium with every non-file request blocked and recorded."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            opened = Opened(page)
            page.on("console", lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: opened.page_errors.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith("file:") else opened.remote_requests.append(r.url))

            def on_dialog(dialog: Any) -> None:
                opened.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            page.goto(path.resolve().as_uri())
            wait_until(page, "window.ptkg !== undefined")
            yield opened
        finally:
            browser.close()


def write_page(tmp_path: Path, view: dict[str, Any]) -> Path:
    target = tmp_path / "index.html"
    target.write_text(render_html(view), encoding="utf-8")
    return target


def wait_until(page: Any, expression: str, timeout: float = 20.0) -> None:
    """Poll ``expression`` from Python: wait_for_function evals strings in the page, which our CSP forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


def wait_for_network_still(opened: Opened) -> None:
    """Physics is switched off after stabilisation; waiting for that makes screenshots deterministic."""
    wait_until(
        opened.page,
        "!!(window.ptkg.network && window.ptkg.network.physics && !window.ptkg.network.physics.physicsEnabled"
        " && window.ptkg.network.ptkgSettled)",
    )


def details_text(opened: Opened) -> str:
    return opened.page.locator("#details").text_content() or ""


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_page(tmp_path_factory.mktemp("page"), sample_view())


def test_page_loads_offline_without_errors_and_draws_everything(sample_page: Path) -> None:
    with open_page(sample_page) as opened:
        wait_for_network_still(opened)
        page = opened.page
        # Every dated event has an item in the DOM once the view covers all of them.
        page.click("#tl-fit")
        page.wait_for_timeout(100)
        ids = {e["id"] for e in sample_view()["events"]}
        drawn = set(page.eval_on_selector_all("#timeline [data-event-id]", "els => els.map(e => e.dataset.eventId)"))
        assert drawn == ids
        # Uncertain dates are ranges, exact days are points.
        assert page.locator('#timeline [data-event-id$="2020-05-two-sessions"] rect.tl-range').count() == 1
        assert page.locator('#timeline [data-event-id$="2020-05-14-politburo-standing"] circle.tl-point').count() == 1
        assert page.locator("#network canvas").count() >= 1
        assert page.locator("#net-legend .lg-item").count() == 9  # 5 node kinds, 4 edge roles
        opened.assert_clean()


def test_initial_view_fits_the_densest_period(sample_page: Path) -> None:
    with open_page(sample_page) as opened:
        start, end = opened.page.evaluate("window.ptkg.timeline.getWindow()")
        # Most sample events are May–Dec 2020; the 2017 plan and the 2021–2025 period must not stretch the view.
        assert "2020-01-01" <= start <= "2020-06-01", start
        assert "2020-07-01" <= end <= "2021-06-30", end
        opened.assert_clean()


def test_clicking_a_timeline_item_shows_its_details_in_both_views(sample_page: Path) -> None:
    view = sample_view()
    target = next(e for e in view["events"] if e["id"].endswith("2020-06-18-lujiazui-forum"))
    with open_page(sample_page) as opened:
        page = opened.page
        page.click(f'#timeline [data-event-id="{target["id"]}"]')
        details = page.locator("#details")
        assert details.get_attribute("data-event-id") == target["id"]
        text = details_text(opened)
        m = target["mentions"][0]
        assert target["name"] in text
        assert m["quote"] in text
        assert f"{m['file']}:{m['line']}" in text
        assert m["date_text"] in text
        assert "刘鹤" in text
        assert page.evaluate("window.ptkg.selectedEventId()") == target["id"]
        assert page.evaluate("window.ptkg.network.getSelectedNodes()") == ["event:" + target["id"]]
        assert page.locator(f'#timeline [data-event-id="{target["id"]}"].selected').count() == 1
        opened.assert_clean()


def test_selecting_through_the_api_like_a_network_click(sample_page: Path) -> None:
    view = sample_view()
    target = next(e for e in view["events"] if e["precision"] == "period")
    with open_page(sample_page) as opened:
        page = opened.page
        wait_for_network_still(opened)
        assert page.evaluate("id => window.ptkg.selectEvent(id)", target["id"]) is True
        text = details_text(opened)
        assert target["mentions"][0]["quote"] in text
        assert "2021-01-01 – 2025-12-31" in text and "period" in text
        # An event off screen is brought into the timeline when selected.
        assert page.locator(f'#timeline [data-event-id="{target["id"]}"].selected').count() == 1
        assert page.evaluate("window.ptkg.network.getSelectedNodes()") == ["event:" + target["id"]]
        assert page.evaluate("window.ptkg.selectEvent('no-such-event')") is False
        opened.assert_clean()


def test_every_mention_is_listed(sample_page: Path) -> None:
    target = next(e for e in sample_view()["events"] if len(e["mentions"]) == 3)
    with open_page(sample_page) as opened:
        opened.page.evaluate("id => window.ptkg.selectEvent(id)", target["id"])
        assert opened.page.locator("#details .mention").count() == 3
        text = details_text(opened)
        for m in target["mentions"]:
            assert m["quote"] in text and f"{m['file']}:{m['line']}" in text
        opened.assert_clean()


def test_hostile_document_text_stays_text(tmp_path: Path) -> None:
    view = hostile_view()
    evil = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>'
    view["events"][1]["mentions"][0]["quote"] = evil
    view["events"][2]["speakers"] = ['<img src=x onerror="window.__pwned=3">']
    with open_page(write_page(tmp_path, view)) as opened:
        page = opened.page
        for ev in view["events"][:3]:
            page.evaluate("id => window.ptkg.selectEvent(id)", ev["id"])
            page.wait_for_timeout(50)
        page.evaluate("id => window.ptkg.selectEvent(id)", view["events"][1]["id"])
        assert evil in details_text(opened)
        page.evaluate("id => window.ptkg.selectEvent(id)", view["events"][0]["id"])
        assert XSS_QUOTE in details_text(opened)
        assert page.locator("#details img, #details script, #details b").count() == 0
        assert page.locator("#timeline img, #network img").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        opened.assert_clean()


def test_zoom_and_pan_change_the_window(sample_page: Path) -> None:
    with open_page(sample_page) as opened:
        page = opened.page
        before = page.evaluate("window.ptkg.timeline.getWindow()")
        page.click("#tl-zoom-in")
        page.wait_for_timeout(50)
        zoomed = page.evaluate("window.ptkg.timeline.getWindow()")
        assert zoomed[0] > before[0] and zoomed[1] < before[1]
        box = page.locator("#timeline").bounding_box()
        assert box
        y = box["y"] + 20
        page.mouse.move(box["x"] + 600, y)
        page.mouse.down()
        page.mouse.move(box["x"] + 400, y, steps=5)
        page.mouse.up()
        page.wait_for_timeout(50)
        panned = page.evaluate("window.ptkg.timeline.getWindow()")
        assert panned[0] > zoomed[0]
        page.mouse.move(box["x"] + 500, y)
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(50)
        wheeled = page.evaluate("window.ptkg.timeline.getWindow()")
        assert wheeled[0] < panned[0] and wheeled[1] > panned[1]
        opened.assert_clean()


def test_lane_pill_pans_to_events_outside_the_window(sample_page: Path) -> None:
    with open_page(sample_page) as opened:
        page = opened.page
        start, _ = page.evaluate("window.ptkg.timeline.getWindow()")
        # the 2017 plan lies before the period the sample's documents and most events cover
        early = next(e for e in sample_view()["events"] if e["not_after"] < start)
        item = f'#timeline [data-event-id="{early["id"]}"]'
        assert page.locator(item).count() == 0
        page.click(f'#timeline .tl-more[data-kind="{early["kind"]}"][data-direction="earlier"]')
        page.wait_for_timeout(100)
        assert page.locator(item).count() == 1
        opened.assert_clean()


def test_crowded_lane_folds_into_clusters_that_zoom_in(tmp_path: Path) -> None:
    view = sample_view()
    template = view["events"][0]
    crowd = [
        {**template, "id": f"{template['id']}-copy-{i:02d}", "not_before": "2020-06-01", "not_after": "2020-06-01"}
        for i in range(30)
    ]
    view["events"] = view["events"] + crowd
    with open_page(write_page(tmp_path, view)) as opened:
        page = opened.page
        assert page.locator("#timeline .tl-cluster").count() >= 1
        before = page.evaluate("window.ptkg.timeline.getWindow()")
        # A clustered event is pulled out of its cluster when selected.
        drawn = set(page.eval_on_selector_all("#timeline [data-event-id]", "els => els.map(e => e.dataset.eventId)"))
        hidden = next(e["id"] for e in crowd if e["id"] not in drawn)
        page.evaluate("id => window.ptkg.selectEvent(id)", hidden)
        assert page.locator(f'#timeline [data-event-id="{hidden}"].selected').count() == 1
        page.click("#timeline .tl-cluster >> nth=0")
        page.wait_for_timeout(100)
        after = page.evaluate("window.ptkg.timeline.getWindow()")
        assert after[0] >= before[0] and after[1] <= before[1] and after != before
        opened.assert_clean()


def test_empty_and_undated_views_load_cleanly(tmp_path: Path) -> None:
    undated = {**sample_view()["events"][0], "id": "urn:x:undated", "not_before": None, "not_after": None}
    for i, view in enumerate(
        [{"title": "empty", "events": [], "documents": []}, {"title": "undated", "events": [undated], "documents": []}]
    ):
        folder = tmp_path / str(i)
        folder.mkdir()
        with open_page(write_page(folder, view)) as opened:
            wait_for_network_still(opened)
            if view["events"]:
                assert "without a usable date" in (opened.page.locator("#timeline").text_content() or "")
                assert opened.page.evaluate("window.ptkg.selectEvent('urn:x:undated')") is True
                assert "undated" in details_text(opened)
            opened.assert_clean()


@pytest.fixture(scope="module")
def built_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page `ptkg build` writes for the seeds (or PTKG_PAGE=path/to/index.html to check another)."""
    if os.environ.get("PTKG_PAGE"):
        return Path(os.environ["PTKG_PAGE"])
    out = tmp_path_factory.mktemp("built")
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)], cwd=root,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return out / "index.html"


def test_built_page(built_page: Path) -> None:
    """The same checks on a real ``ptkg build`` page: clean load, and a click shows the event's first quote."""
    path = built_page
    with open_page(path) as opened:
        page = opened.page
        wait_for_network_still(opened)
        page.click("#tl-fit")
        page.wait_for_timeout(100)
        item = page.locator("#timeline [data-event-id]").first
        event_id = item.get_attribute("data-event-id")
        item.click()
        assert page.evaluate("window.ptkg.selectedEventId()") == event_id
        assert page.evaluate("window.ptkg.network.getSelectedNodes()") == ["event:" + event_id]
        event = page.evaluate("id => window.ptkg.data.events.find(e => e.id === id)", event_id)
        # the IRIs the page mints again from date + name (and file) are graph.ttl's, byte for byte
        import rdflib

        g = rdflib.Graph().parse(path.parent / "graph.ttl")
        events = {str(s) for s in g.subjects(rdflib.RDF.type, rdflib.URIRef("https://schema.org/Event"))}
        assert set(page.evaluate("window.ptkg.data.events.map(e => e.id)")) == events
        docs = set(page.evaluate("window.ptkg.data.documents.map(d => d.id)"))
        assert len(docs) == 6 and all((rdflib.URIRef(d), None, None) in g for d in docs)
        text = details_text(opened)
        assert event["name"] in text
        for m in event["mentions"]:
            assert m["quote"] in text and f"{m['file']}:{m['line']}" in text
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "built-page.png"))
        opened.assert_clean()


def test_screenshot(built_page: Path) -> None:
    """Saved for eyes, not asserted: test-artifacts/page.png each run; docs/screenshot.png (the README's) from the
    real seeds build when missing or PTKG_UPDATE_SCREENSHOT is set."""
    ARTIFACTS.mkdir(exist_ok=True)
    with open_page(built_page) as opened:
        page = opened.page
        wait_for_network_still(opened)
        target = page.evaluate(
            "window.ptkg.data.events.filter(e => e.phrases.includes('双循环'))"
            ".sort((a, b) => b.mentions.length - a.mentions.length)[0].id"
        )
        page.click(f'#timeline [data-event-id="{target}"]')
        page.wait_for_timeout(500)
        shot = ARTIFACTS / "page.png"
        page.screenshot(path=str(shot))
        docs_shot = ROOT / "docs" / "screenshot.png"
        if not docs_shot.exists() or os.environ.get("PTKG_UPDATE_SCREENSHOT"):
            docs_shot.parent.mkdir(exist_ok=True)
            shutil.copyfile(shot, docs_shot)
        opened.assert_clean()


def visible_ids(opened: Opened) -> list[str]:
    return opened.page.evaluate("window.ptkg.visibleEventIds()")


def test_filter_by_phrase_on_the_built_page(built_page: Path) -> None:
    """Choosing a phrase in the filter bar leaves only its events, in the timeline and the network; Reset undoes it."""
    with open_page(built_page) as opened:
        page = opened.page
        events = page.evaluate("window.ptkg.data.events")
        phrase = "双循环"
        expected = {e["id"] for e in events if phrase in e["phrases"]}
        assert 0 < len(expected) < len(events)
        page.select_option("#f-phrase", phrase)
        page.wait_for_timeout(100)
        assert set(visible_ids(opened)) == expected
        page.click("#tl-fit")
        page.wait_for_timeout(100)
        drawn = set(page.eval_on_selector_all("#timeline [data-event-id]", "els => els.map(e => e.dataset.eventId)"))
        assert drawn and drawn <= expected
        shown = {n.split(":", 1)[1] for n in page.evaluate("window.ptkg.networkNodeIds()") if n.startswith("event:")}
        assert shown == expected
        assert "phrase:" + phrase in page.evaluate("window.ptkg.networkNodeIds()")
        assert page.locator(f'#trend .trend-row.active[data-phrase="{phrase}"]').count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "filtered-by-phrase.png"))
        page.click("#reset")
        page.wait_for_timeout(100)
        assert len(visible_ids(opened)) == len(events)
        assert page.input_value("#f-phrase") == ""
        opened.assert_clean()


def test_search_in_traditional_script_finds_the_simplified_event(built_page: Path) -> None:
    with open_page(built_page) as opened:
        page = opened.page
        events = page.evaluate("window.ptkg.data.events")
        about = {e["id"] for e in events if "双循环" in e["phrases"]}
        page.fill("#f-q", "雙循環")
        wait_until(page, "window.ptkg.filters().q === '雙循環'")
        hits = set(visible_ids(opened))
        assert about <= hits and len(hits) < len(events)
        # A person typed in Traditional script: 習近平 finds the events 习近平 spoke at.
        page.fill("#f-q", "習近平")
        wait_until(page, "window.ptkg.filters().q === '習近平'")
        spoke = {e["id"] for e in events if "习近平" in e["speakers"]}
        assert spoke and spoke <= set(visible_ids(opened))
        assert page.evaluate("window.ptkg.fold('雙循環習近平')") == "双循环习近平"
        page.fill("#f-q", "no such thing at all")
        wait_until(page, "window.ptkg.visibleEventIds().length === 0")
        assert "No events match" in (page.locator("#timeline").text_content() or "")
        ARTIFACTS.mkdir(exist_ok=True)
        page.fill("#f-q", "雙循環")
        wait_until(page, "window.ptkg.visibleEventIds().length > 0")
        page.screenshot(path=str(ARTIFACTS / "search-traditional.png"))
        opened.assert_clean()


def test_every_filter_narrows_and_reset_restores(sample_page: Path) -> None:
    view = sample_view()
    n = len(view["events"])
    cases = [
        ({"kind": "Meeting"}, lambda e: e["kind"] == "Meeting"),
        ({"speaker": "习近平"}, lambda e: "习近平" in e["speakers"]),
        ({"organization": "国务院"}, lambda e: "国务院" in e["organizations"]),
        ({"document": "doc-003"}, lambda e: any(m["file"] == seed_file("003") for m in e["mentions"])),
        ({"from": "2020-07-01", "to": "2020-09-05"},
         lambda e: e["not_after"] >= "2020-07-01" and e["not_before"] <= "2020-09-05"),
        ({"kind": "Meeting", "speaker": "习近平"}, lambda e: e["kind"] == "Meeting" and "习近平" in e["speakers"]),
    ]
    drawn = "Array.from(document.querySelectorAll('#timeline [data-event-id]')).map(e => e.dataset.eventId).sort()"
    with open_page(sample_page) as opened:
        page = opened.page
        opening = page.evaluate("window.ptkg.timeline.getWindow()"), page.evaluate(drawn)
        for change, keep in cases:
            page.evaluate("f => window.ptkg.setFilters(f)", change)
            expected = {e["id"] for e in view["events"] if keep(e)}
            assert set(visible_ids(opened)) == expected, change
            assert 0 < len(expected) < n, change
            page.evaluate("window.ptkg.reset()")
            assert len(visible_ids(opened)) == n
            # the timeline the page opened on, lanes and window (reset reuses the lanes of the whole set)
            assert (page.evaluate("window.ptkg.timeline.getWindow()"), page.evaluate(drawn)) == opening, change
        # by organizer, filtered, then back by kind and reset: every item in its kind's lane again
        page.select_option("#tl-lanes", "organizer")
        page.evaluate("window.ptkg.setFilters({speaker: '习近平'})")
        page.select_option("#tl-lanes", "kind")
        page.evaluate("window.ptkg.reset()")
        assert (page.evaluate("window.ptkg.timeline.getWindow()"), page.evaluate(drawn)) == opening
        assert set(page.evaluate("window.ptkg.timeline.lanes()")) == {e["kind"] for e in view["events"]}
        # The controls drive the same filters.
        page.select_option("#f-kind", "Forum")
        page.fill("#f-from", "2020-06-01")
        page.dispatch_event("#f-from", "change")
        page.wait_for_timeout(50)
        forums = [e["id"] for e in view["events"] if e["kind"] == "Forum" and e["not_after"] >= "2020-06-01"]
        assert visible_ids(opened) == forums
        page.click("#reset")
        assert page.input_value("#f-from") == "" and len(visible_ids(opened)) == n
        opened.assert_clean()


def test_selecting_a_person_or_phrase_filters_the_timeline(sample_page: Path) -> None:
    view = sample_view()
    with open_page(sample_page) as opened:
        page = opened.page
        wait_for_network_still(opened)
        assert page.evaluate("window.ptkg.selectEntity('person:刘鹤')") is True
        assert visible_ids(opened) == [e["id"] for e in view["events"] if "刘鹤" in e["speakers"]]
        assert page.input_value("#f-speaker") == "刘鹤"
        assert page.locator("#details").get_attribute("data-entity-id") == "person:刘鹤"
        page.evaluate("window.ptkg.reset()")
        # A phrase chip in the details panel filters too.
        target = next(e for e in view["events"] if e["id"].endswith("2020-07-30-politburo"))
        page.evaluate("id => window.ptkg.selectEvent(id)", target["id"])
        page.locator("#details button.chip", has_text="持久战").click()
        assert visible_ids(opened) == [e["id"] for e in view["events"] if "持久战" in e["phrases"]]
        # And a row of the phrase trend.
        page.evaluate("window.ptkg.reset()")
        page.locator('#trend .trend-row[data-phrase="双循环"]').click()
        assert page.evaluate("window.ptkg.filters().phrase") == "双循环"
        assert set(visible_ids(opened)) == {e["id"] for e in view["events"] if "双循环" in e["phrases"]}
        opened.assert_clean()


def test_network_has_document_nodes_and_lanes_toggle(sample_page: Path) -> None:
    with open_page(sample_page) as opened:
        page = opened.page
        wait_for_network_still(opened)
        ids = page.evaluate("window.ptkg.networkNodeIds()")
        assert {i.split(":", 1)[0] for i in ids} == {"event", "person", "organization", "phrase", "document"}
        assert "document:doc-001" in ids
        roles = page.evaluate("window.ptkg.network.body.data.edges.get().map(e => e.role)")
        assert set(roles) == {"speaker", "organizer", "about", "mentioned"}
        page.select_option("#tl-lanes", "organizer")
        lanes = page.evaluate("window.ptkg.timeline.lanes()")
        assert "国务院" in lanes and "No organizer" in lanes
        page.select_option("#tl-lanes", "kind")
        assert "Meeting" in page.evaluate("window.ptkg.timeline.lanes()")
        opened.assert_clean()


CRAFTED = (
    '2020年5月14日，<img src=x onerror=alert(1)>中央政治局常务委员会会议"提出"<script>alert(1)</script> '
    "javascript:alert(1) 深化供给侧结构性改革。"
)


def test_crafted_input_document_through_the_real_pipeline(tmp_path: Path) -> None:
    """Markup in an INPUT DOCUMENT goes through ptkg build and shows as text in the details; nothing runs."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    seed = (ROOT / "seeds" / seed_file("001")).read_text(encoding="utf-8").splitlines()
    (inputs / "evil.txt").write_text(CRAFTED + "\n" + "\n".join(seed[50:60]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(inputs), "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>alert(1)" not in html
    with open_page(out / "index.html") as opened:
        page = opened.page
        events = page.evaluate("window.ptkg.data.events")
        target = next(e for e in events if any("onerror" in m["quote"] for m in e["mentions"]))
        page.click(f'#timeline [data-event-id="{target["id"]}"]')
        text = details_text(opened)
        assert "<img src=x onerror=alert(1)>" in text
        assert "<script>alert(1)</script>" in text
        assert '"提出"' in text and "javascript:alert(1)" in text
        assert page.locator("#details img, #details script, #details a").count() == 0
        page.fill("#f-q", "<script>")
        wait_until(page, "window.ptkg.filters().q === '<script>'")
        assert target["id"] in visible_ids(opened)
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        opened.assert_clean()


def test_repaired_quote_is_shown_for_seed_000_meeting(built_page: Path) -> None:
    """Seed 000's 2020-05-14 meeting: the details read the repaired sentence; the raw PDF text stays one click away."""
    with open_page(built_page) as opened:
        page = opened.page
        event_id = page.evaluate(
            "window.ptkg.data.events.filter(e => e.not_before === '2020-05-14'"
            " && e.mentions.some(m => m.quote.indexOf('20202020') === 0))[0].id")
        page.evaluate("id => window.ptkg.selectEvent(id)", event_id)
        first = page.locator("#details blockquote").first
        shown = first.inner_text()
        assert shown.startswith("2020年5月14日，中共中央政治局常务委员会会议")
        assert "20202020" not in shown
        raw = page.locator("#details details.raw-quote").first
        assert not raw.locator("blockquote.raw").is_visible()
        raw.locator("summary").click()
        assert raw.locator("blockquote.raw").inner_text().startswith("20202020年年55月月")
        opened.assert_clean()


def test_document_box_finds_titles_in_either_script_and_by_file(sample_page: Path) -> None:
    """雙循環 (Traditional) finds the Simplified title of doc-000 and the Traditional one of doc-002; a file
    name finds its document; picking one filters the events to those it mentions; clearing restores."""
    with open_page(sample_page) as opened:
        page = opened.page
        found = page.evaluate("window.ptkg.findDocuments('雙循環')")
        assert {"doc-000", "doc-002"} <= set(found)
        assert "doc-003" not in found
        assert set(page.evaluate("window.ptkg.findDocuments('双循环')")) == set(found)
        page.fill("#f-document", seed_file("003")[:8])
        page.locator('#f-document-list button[data-document-id="doc-003"]').wait_for(timeout=5000)
        page.locator('#f-document-list button[data-document-id="doc-003"]').click()
        assert page.evaluate("window.ptkg.filters().document") == "doc-003"
        events = page.evaluate("window.ptkg.data.events")
        expected = {e["id"] for e in events if any(m["file"] == seed_file("003") for m in e["mentions"])}
        assert set(visible_ids(opened)) == expected and 0 < len(expected) < len(events)
        assert page.locator("#f-document").input_value() == "在市委理论务虚会上的讲话"
        page.fill("#f-document", "")
        wait_until(page, "window.ptkg.filters().document === ''")
        assert len(visible_ids(opened)) == len(events)
        opened.assert_clean()


def assert_network_readable(opened: Opened) -> int:
    """No two drawn node-and-label boxes overlap (vis-network's own boxes, as drawn), and every control shows."""
    wait_for_network_still(opened)
    shown, hits = opened.page.evaluate(OVERLAPS)
    assert shown > 0
    assert hits == [], hits[:5]
    return shown


def test_network_labels_do_not_overlap_on_the_seeds(built_page: Path) -> None:
    with open_page(built_page, width=1366, height=768) as opened:
        assert_network_readable(opened)
        for sel in ("#net-more", "#net-expand", "#reset", "#f-document", "#tl-fit", "#f-to"):
            box = opened.page.locator(sel).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366, sel
        opened.assert_clean()


def test_network_of_a_large_view_is_bounded_and_readable(tmp_path: Path) -> None:
    """3,000 synthetic events (bench/bench_page.py): the default network stays small enough to read and its
    labels do not overlap; double-clicking a node expands it."""
    from bench_page import synthetic_view

    with open_page(write_page(tmp_path, synthetic_view(3000, 1, 2000))) as opened:
        shown = assert_network_readable(opened)
        assert shown <= 130
        opened.assert_clean()


SPREAD_QUERY = """
PREFIX ptk:    <https://w3id.org/ptkg/ns#>
PREFIX schema: <https://schema.org/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
SELECT ?role ?who (MIN(?day) AS ?first) WHERE {
  ?concept skos:prefLabel "双循环"@zh-hans .
  ?event schema:about ?concept ; ptk:notAfter ?day .
  { ?event ptk:speaker/schema:name ?who . BIND("speakers" AS ?role) }
  UNION { ?event schema:organizer/schema:name ?who . BIND("bodies" AS ?role) }
} GROUP BY ?role ?who
"""


def test_phrase_story_is_the_first_said_answer_and_its_spread(built_page: Path) -> None:
    """Selecting 双循环 on the seeds page shows the occasion, date and evidence first-said.rq answers, and a spread
    whose speakers and bodies are those of the graph's events about it, each with the first day the graph gives."""
    import json

    def cli_rows(query: str) -> list[dict[str, str]]:
        r = subprocess.run([sys.executable, "-m", "ptkg.cli", "query", query, "--graph", str(graph), "--format",
                            "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    graph = built_page.parent / "graph.ttl"
    rows = [r for r in cli_rows(str(ROOT / "queries" / "first-said.rq")) if r["phrase"] == "双循环"]
    assert len(rows) == 1
    first = rows[0]
    expected: dict[str, dict[str, str]] = {"speakers": {}, "bodies": {}}
    for r in cli_rows(SPREAD_QUERY):
        expected[str(r["role"])][str(r["who"])] = str(r["first"])
    assert expected["speakers"] and expected["bodies"]
    with open_page(built_page) as opened:
        page = opened.page
        assert page.evaluate("window.ptkg.selectEntity('phrase:双循环')")
        said = page.locator("#details p.first-said")
        assert said.locator("button.chip").inner_text() == str(first["occasion"])
        assert str(first["notBefore"]) in said.inner_text()
        assert f"{first['file']}:{first['line']}" in said.inner_text()
        # the evidence, read through the PDF damage, and the words as written one click away
        # (as the words stand in their file: a Traditional table row of seed 002 is evidence of the same meeting)
        from ptkg.extractors.normalize import _t2s
        assert "构建国内国际双循环相互促进的新发展格局" in _t2s()(said.locator("q").inner_text())
        assert said.locator("blockquote.raw").text_content() == str(first["evidence"])
        spread = page.evaluate("window.ptkg.phraseSpread('双循环')")
        for role in ("speakers", "bodies"):
            assert {r["name"]: r["day"] for r in spread[role]} == expected[role], role
            days = [r["day"] for r in spread[role]]
            assert days == sorted(days)
        # the first occasion's speaker is the first adopter: no uncertain date puts anyone before it
        assert spread["speakers"][0]["name"] == str(first["speakers"]).split(",")[0]
        assert spread["speakers"][0]["day"] == str(first["notBefore"])
        assert page.locator("#details svg.spread-chart path[data-series]").count() == 3
        assert len(spread["documents"]) == page.locator("#details .adopters").nth(2).locator("li").count()
        opened.assert_clean()


def corpus_view(outliers: bool = True) -> dict[str, Any]:
    """A news-like corpus: 300 stories dated 2012-07 … 2026-03, one event each near its story's day, and
    (``outliers``) two events the stories recall or plan: a book of the year 1000 and a goal for 2060."""
    import datetime as dt

    view: dict[str, Any] = {"title": "corpus", "events": [], "documents": []}
    first, last = dt.date(2012, 7, 2), dt.date(2026, 3, 1)
    for i in range(300):
        day = first + (last - first) * i // 299
        doc = {"id": f"doc-{i}", "file": f"{day:%Y%m%d}_01.txt", "title": f"story {i}", "date": day.isoformat()}
        view["documents"].append(doc)
        when = [(day.isoformat(), day.isoformat())]
        if outliers and i == 10:
            when.append(("1000-01-01", "1000-12-31"))
        if outliers and i == 20:
            when.append(("2060-01-01", "2060-12-31"))
        for j, (nb, na) in enumerate(when):
            view["events"].append({
                "id": f"ev-{i}-{j}", "name": f"event {i}.{j}", "kind": "Meeting", "not_before": nb, "not_after": na,
                "precision": "day" if nb == na else "year", "speakers": [], "organizations": [], "phrases": [],
                "mentions": [{"file": doc["file"], "line": 1, "date_text": nb, "quote": "q", "document": doc["title"],
                              "document_id": doc["id"], "not_before": nb, "not_after": na}],
            })
    return view


def test_the_page_opens_on_the_corpus_period_whatever_the_outliers(tmp_path: Path) -> None:
    """Stories of 2012–2026 recalling the year 1000 and planning for 2060 open on 2012–2026 (not 1000–2060, not a
    60% slice of it); "All" reaches out to the outliers and "Period" comes back; the layout function agrees."""
    with open_page(write_page(tmp_path, corpus_view())) as opened:
        page = opened.page
        start, end = page.evaluate("window.ptkg.timeline.getWindow()")
        assert "2011-01-01" <= start <= "2012-07-02", start
        assert "2026-03-01" <= end <= "2027-06-30", end
        page.click("#tl-fit")
        start_all, end_all = page.evaluate("window.ptkg.timeline.getWindow()")
        assert start_all < "1900-01-01" and end_all >= "2060-12-31"  # (at most 300 years wide)
        page.click("#tl-period")
        assert page.evaluate("window.ptkg.timeline.getWindow()") == [start, end]
        # the same window without the outliers: they change nothing
        same = page.evaluate("""() => {
          const d = s => Date.parse(s + 'T00:00:00Z');
          const items = window.ptkg.data.events.filter(e => e.not_before > '1001' && e.not_before < '2059')
            .map(e => ({ start: d(e.not_before), end: d(e.not_after) + 864e5, mid: d(e.not_before) + 432e5 }));
          const days = window.ptkg.data.documents.map(x => d(x.date));
          return window.ptkg.layout.corpusWindow(items, days).map(t => new Date(t).toISOString().slice(0, 10));
        }""")
        assert same == [start, end]
        opened.assert_clean()


def test_english_names_stand_beside_the_chinese(built_page: Path) -> None:
    """For a reader without Chinese: the scheme's prefLabel@en (双循环 "dual circulation") and a body's official
    English name (organizations.tsv) show beside the Chinese in details, adopters and the filter lists."""
    with open_page(built_page) as opened:
        page = opened.page
        assert page.evaluate("window.ptkg.selectEntity('phrase:双循环')")
        assert page.locator("#details h3").inner_text() == "双循环 dual circulation"
        body = page.locator("#details .adopters button.chip", has_text="中共中央政治局常务委员会")
        english = "Politburo Standing Committee of the CPC Central Committee"
        assert body.locator("span.en").inner_text().strip() == english
        options = page.eval_on_selector_all("#f-phrase option", "os => os.map(o => o.textContent)")
        assert any(o.startswith("双循环 · dual circulation (") for o in options)
        # an event's chips: every phrase and body with an English name shows it
        event = page.evaluate(
            "window.ptkg.data.events.find(e => e.not_before === '2020-05-14' && e.organizations.length).id")
        page.evaluate("id => window.ptkg.selectEvent(id)", event)
        chip = page.locator("#details dl.facts button.chip", has_text="中共中央政治局常务委员会")
        assert "Politburo Standing Committee" in chip.inner_text()
        opened.assert_clean()


@pytest.fixture(scope="module")
def reports_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ptkg build`` of the 72 government work reports 1954–2025 (real text, copied into tests/data)."""
    out = tmp_path_factory.mktemp("reports-build")
    reports = ROOT / "tests" / "data" / "government-work-reports"
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(reports), "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out / "index.html"


def test_network_of_seventy_years_of_reports_is_readable_at_1366(reports_page: Path) -> None:
    """A real build of seventy years (the work reports, ~85 events): default network without overlapping label
    boxes, every control inside 1366 px, the view opening on the reports' own years."""
    with open_page(reports_page, width=1366, height=768) as opened:
        page = opened.page
        assert page.evaluate("window.ptkg.data.events.length") > 50
        shown = assert_network_readable(opened)
        assert 20 < shown <= 130
        for sel in ("#net-more", "#net-expand", "#reset", "#f-document", "#tl-fit", "#tl-period", "#f-to"):
            box = page.locator(sel).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366, sel
        # from the first report's events to the last dated report (most reports carry no date of their own)
        days = page.evaluate("window.ptkg.data.documents.map(d => d.date).filter(Boolean).sort()")
        first = page.evaluate("window.ptkg.data.events.map(e => e.not_before).sort()[0]")
        start, end = page.evaluate("window.ptkg.timeline.getWindow()")
        assert start <= first[:4] + "-12-31" and end >= days[-1], (start, end)
        opened.assert_clean()
