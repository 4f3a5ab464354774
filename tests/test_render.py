"""The HTML page without a browser: data round-trips, untrusted text cannot escape, output is stable and offline.

The fixture view is built from real sentences of the seed documents (read from ``seeds/`` at test time,
so a quote that is not really in the seed fails loudly) and covers every precision the page must draw.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from ptkg.graph.render import _convert, canonical_view, expand_view, json_for_script, render_html, searchable_labels

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BASE = "https://w3id.org/ptkg/id/event/"

XSS_QUOTE = '</script><script>alert(1)</script> <img src=x onerror=alert(1)> "q" \u2028 & <!-- javascript:alert(1)'


def seed_file(prefix: str) -> str:
    """The seed file name starting with ``prefix`` (e.g. "001")."""
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path.name


def seed_quote(prefix: str, first: int, last: int | None = None) -> str:
    """Lines ``first``..``last`` (1-based) of a seed as written, blank lines dropped: a real, messy PDF quote."""
    lines = (SEEDS / seed_file(prefix)).read_text(encoding="utf-8").splitlines()
    chosen = lines[first - 1 : (last or first)]
    return "\n".join(line.strip() for line in chosen if line.strip())


def mention(prefix: str, line: int, date_text: str, last: int, document: str, nb: str, na: str) -> dict[str, Any]:
    """One mention whose date text really starts on ``line`` of the seed (checked, so the fixture stays honest)."""
    quote = seed_quote(prefix, line, last)
    compact = re.sub(r"\s", "", quote)
    assert re.sub(r"\s", "", date_text) in compact, (prefix, line, date_text)
    return {
        "file": seed_file(prefix),
        "line": line,
        "date_text": date_text,
        "quote": quote,
        "document": document,
        "not_before": nb,
        "not_after": na,
    }


def event(
    slug: str,
    name: str,
    kind: str,
    nb: str,
    na: str,
    precision: str,
    mentions: list[dict[str, Any]],
    speakers: tuple[str, ...] = (),
    organizations: tuple[str, ...] = (),
    phrases: tuple[str, ...] = (),
) -> dict:
    return {
        "id": BASE + slug,
        "name": name,
        "kind": kind,
        "not_before": nb,
        "not_after": na,
        "precision": precision,
        "speakers": list(speakers),
        "organizations": list(organizations),
        "phrases": list(phrases),
        "mentions": sorted(mentions, key=lambda m: (m["file"], m["line"])),
    }


def sample_view() -> dict[str, Any]:
    """Eleven events from the five seeds: day points, part-of-month, month and period ranges, six kinds."""
    d001 = "简析“国内国际双循环”"
    d000 = "深刻理解“双循环”新发展格局"
    d002 = "中國經濟「雙循環」新格局：大船轉舵"
    d003 = "在市委理论务虚会上的讲话"
    d004 = "成渝城市群与双循环"
    events = [
        event(
            "2020-05-14-politburo-standing",
            "中央政治局常务委员会会议",
            "Meeting",
            "2020-05-14",
            "2020-05-14",
            "day",
            [
                mention("001", 52, "5 月 14日", 58, d001, "2020-05-14", "2020-05-14"),
                mention("000", 4, "20202020年年55月月1414日日", 5, d000, "2020-05-14", "2020-05-14"),
                mention("002", 7, "5月 14日", 9, d002, "2020-05-14", "2020-05-14"),
            ],
            organizations=("中共中央政治局常务委员会",),
            phrases=("双循环", "新发展格局", "超大规模市场"),
        ),
        event(
            "2020-05-23-cppcc-visit",
            "习近平看望参加政协会议的经济界委员",
            "Visit",
            "2020-05-23",
            "2020-05-23",
            "day",
            [mention("001", 68, "5 月 23日", 84, d001, "2020-05-23", "2020-05-23")],
            speakers=("习近平",),
            organizations=("全国政协",),
            phrases=("双循环", "内需体系"),
        ),
        event(
            "2020-05-two-sessions",
            "全国两会",
            "Meeting",
            "2020-05-21",
            "2020-05-31",
            "part-of-month",
            [mention("000", 11, "20202020年年55月下旬月下旬", 13, d000, "2020-05-21", "2020-05-31")],
            speakers=("习近平",),
            phrases=("双循环",),
        ),
        event(
            "2020-06-18-lujiazui-forum",
            "第十二届陆家嘴论坛",
            "Forum",
            "2020-06-18",
            "2020-06-18",
            "day",
            [mention("001", 90, "6 月 18日", 97, d001, "2020-06-18", "2020-06-18")],
            speakers=("刘鹤",),
            phrases=("双循环",),
        ),
        event(
            "2020-07-21-entrepreneurs",
            "企业家座谈会",
            "Speech",
            "2020-07-21",
            "2020-07-21",
            "day",
            [
                mention("001", 100, "7 月 21日", 104, d001, "2020-07-21", "2020-07-21"),
                mention("002", 247, "7 月 21 日", 248, d002, "2020-07-21", "2020-07-21"),
            ],
            speakers=("习近平",),
            phrases=("国内大循环", "双循环"),
        ),
        event(
            "2020-07-30-politburo",
            "中央政治局会议",
            "Meeting",
            "2020-07-30",
            "2020-07-30",
            "day",
            [
                mention("001", 121, "7 月 30日", 129, d001, "2020-07-30", "2020-07-30"),
                mention("002", 355, "7 月", 355, d002, "2020-07-01", "2020-07-31"),
            ],
            organizations=("中共中央政治局",),
            phrases=("新发展格局", "持久战"),
        ),
        event(
            "2020-09-finance-committee-8",
            "中央财经委员会第八次会议",
            "Meeting",
            "2020-09-01",
            "2020-09-10",
            "part-of-month",
            [mention("002", 12, "9月初", 12, d002, "2020-09-01", "2020-09-10")],
            speakers=("习近平",),
            organizations=("中央财经委员会",),
            phrases=("现代流通体系",),
        ),
        event(
            "2020-11-15-rcep",
            "签署区域全面经济伙伴关系协定（RCEP）",
            "Signing",
            "2020-11-15",
            "2020-11-15",
            "day",
            [mention("003", 18, "11月15日", 18, d003, "2020-11-15", "2020-11-15")],
            phrases=("RCEP",),
        ),
        event(
            "2020-12-23-theory-meeting",
            "市委理论务虚会",
            "Speech",
            "2020-12-23",
            "2020-12-23",
            "day",
            [mention("003", 4, "2020年12月23日", 4, d003, "2020-12-23", "2020-12-23")],
            phrases=("十四五",),
        ),
        event(
            "2017-01-western-plan",
            "西部大开发“十三五”规划",
            "Publication",
            "2017-01-01",
            "2017-01-31",
            "month",
            [mention("004", 128, "2017 年 1 月", 130, d004, "2017-01-01", "2017-01-31")],
            organizations=("国务院",),
            phrases=("成渝城市群", "十三五"),
        ),
        event(
            "2021-2025-14th-five-year",
            "“十四五”时期",
            "Event",
            "2021-01-01",
            "2025-12-31",
            "period",
            [mention("003", 15, "“十四五”时期", 15, d003, "2021-01-01", "2025-12-31")],
            phrases=("十四五",),
        ),
    ]
    documents = [
        {"id": "doc-000", "file": seed_file("000"), "title": d000, "date": None},
        {"id": "doc-001", "file": seed_file("001"), "title": d001, "date": "2020-08-17"},
        {"id": "doc-002", "file": seed_file("002"), "title": d002, "date": None},
        {"id": "doc-003", "file": seed_file("003"), "title": d003, "date": "2020-12-23"},
        {"id": "doc-004", "file": seed_file("004"), "title": d004, "date": None},
    ]
    events.sort(key=lambda e: (e["not_before"], e["not_after"], e["id"]))
    return {"title": "ptkg — policy timeline", "events": events, "documents": documents}


def hostile_view() -> dict[str, Any]:
    """The sample view with one quote and one name full of markup that must stay text."""
    view = sample_view()
    view["events"][0]["mentions"][0]["quote"] = XSS_QUOTE
    view["events"][0]["name"] = '<b onclick="alert(1)">x</b>'
    return view


def data_block(page: str) -> str:
    """The raw text inside the ``ptkg-data`` script element."""
    match = re.search(r'<script type="application/json" id="ptkg-data">(.*?)</script>', page, re.S)
    assert match, "data block missing"
    return match.group(1)


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_view())


def test_sample_view_has_every_precision_and_six_kinds() -> None:
    view = sample_view()
    assert len(view["events"]) >= 6
    assert {e["precision"] for e in view["events"]} >= {"day", "part-of-month", "month", "period"}
    assert len({e["kind"] for e in view["events"]}) >= 6


def details_blocks(page: str) -> list[Any]:
    """The mention blocks, in order."""
    found = re.findall(r'<script type="application/json" id="ptkg-details-(\d+)">(.*?)</script>', page, re.S)
    assert [int(i) for i, _ in found] == list(range(len(found)))
    return [json.loads(text) for _, text in found]


def without_nulls(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: without_nulls(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [without_nulls(v) for v in x]
    return x


def shipped_view(page: str) -> dict[str, Any]:
    """The view as the page's decoder rebuilds it from the compact data and the mention blocks."""
    return expand_view(json.loads(data_block(page)), details_blocks(page))


def test_data_block_parses_back_to_the_view(page: str) -> None:
    assert without_nulls(shipped_view(page)) == without_nulls(sample_view())


def test_compact_data_stores_each_string_once() -> None:
    """A title, name or quote repeated on many events is shipped once: the data grows by indices, not text."""
    view = sample_view()
    one = render_html(view)
    view["events"] = [dict(e, id=f"{e['id']}-{i}") for i in range(40) for e in view["events"]]
    many = render_html(view)
    assert len(json.loads(data_block(many))["tables"]["name"]) == len(json.loads(data_block(one))["tables"]["name"])
    title = "深刻理解“双循环”新发展格局"
    assert data_block(many).count(title) == 1
    assert without_nulls(shipped_view(many)) == without_nulls(canonical_view(view))
    quote = view["events"][0]["mentions"][0]["quote"]
    assert quote.replace("\n", "\\n") not in data_block(many)  # quotes live in the blocks read on selection


def test_page_has_the_hooks_the_ui_needs(page: str) -> None:
    for hook in (
        'id="timeline"',
        'id="network"',
        'id="details"',
        'id="ptkg-data"',
        "Noto Sans CJK SC",
        "WenQuanYi Micro Hei",
        "vis.Network",
        "<title>ptkg — policy timeline</title>",
    ):
        assert hook in page, hook


def test_hostile_text_cannot_break_out_of_the_data_block() -> None:
    view = hostile_view()
    page = render_html(view)
    block = data_block(page)
    assert "</script" not in block.lower()
    assert "<" not in block and ">" not in block and "\u2028" not in block
    for chunk in re.findall(r'id="ptkg-details-\d+">(.*?)</script>', page, re.S):
        assert "</script" not in chunk.lower() and "<" not in chunk and ">" not in chunk and "\u2028" not in chunk
    assert without_nulls(shipped_view(page)) == without_nulls(canonical_view(view))
    # The markup exists only as escaped JSON: nowhere in the page as a live tag.
    assert "<img src=x" not in page
    assert "<script>alert(1)" not in page
    assert "<b onclick" not in page


def test_json_for_script_escapes_every_dangerous_character() -> None:
    text = json_for_script({"q": "</script>&\u2028\u2029<!--"})
    assert text == '{"q":"\\u003c/script\\u003e\\u0026\\u2028\\u2029\\u003c!--"}'
    assert json.loads(text) == {"q": "</script>&\u2028\u2029<!--"}


def test_render_is_deterministic_and_ignores_input_order() -> None:
    view = sample_view()
    shuffled = sample_view()
    shuffled["events"].reverse()
    shuffled["documents"].reverse()
    assert render_html(view) == render_html(view) == render_html(shuffled)


def test_title_is_escaped_in_markup() -> None:
    view = sample_view()
    view["title"] = "</title><script>alert(1)</script>"
    page = render_html(view)
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_nothing_the_browser_would_load_points_at_the_network(page: str) -> None:
    markup = page.replace(data_block(page), "")
    loaders = [
        r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
        r"""url\(\s*["']?\s*(?:https?:)?//""",
        r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""",
        r"""\bimport\s*\(\s*["']\s*(?:https?:)?//""",
        r"""<link\b""",
    ]
    for pattern in loaders:
        assert not re.search(pattern, markup, re.I), pattern
    # A Content-Security-Policy that forbids every remote load backs this up in the browser.
    assert "default-src 'none'" in page


def test_empty_view_still_renders() -> None:
    page = render_html({"title": "empty", "events": [], "documents": []})
    assert shipped_view(page) == {"title": "empty", "events": [], "documents": []}


def search_block(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="ptkg-search">(.*?)</script>', page, re.S)
    assert match, "search block missing"
    return json.loads(match.group(1))


def test_search_block_carries_traditional_forms_of_every_label(page: str) -> None:
    search = search_block(page)

    def fold(text: str) -> str:
        return "".join(search["t2s"].get(ch, ch) for ch in text)

    # Every other script form of every label is either shipped or folded to the label's fold by the page
    # (雙循環 → 双循环 needs no variant: the character table does it).
    for label in searchable_labels(sample_view()):
        forms = {_convert(c, _convert("t2s", label)) for c in ("s2t", "s2tw", "s2hk")} | {_convert("t2s", label)}
        for form in forms - {label}:
            assert form in search["variants"].get(label, []) or fold(form) == fold(label), (label, form)
    assert fold("雙循環") == "双循环" and "双循环" not in search["variants"]
    assert fold("習近平") == "习近平"
    # A Traditional document title ships no variants (one per story in a news corpus) but folds to its
    # Simplified form through the character table, so 双循环 finds it too.
    title = "中國經濟「雙循環」新格局：大船轉舵"
    assert title not in search["variants"]
    assert "双循环" in "".join(search["t2s"].get(ch, ch) for ch in title)
    folded = "".join(search["t2s"].get(ch, ch) for ch in "雙循環習近平")
    assert folded == "双循环习近平"


def test_search_block_is_safe_and_stable() -> None:
    view = hostile_view()
    view["events"][0]["speakers"] = ["</script><script>alert(1)</script>"]
    page = render_html(view)
    block = re.search(r'id="ptkg-search">(.*?)</script>', page, re.S)
    assert block and "<" not in block.group(1) and ">" not in block.group(1)
    assert render_html(view) == page


def test_view_model_links_mentions_to_their_document() -> None:
    """A file holding two documents: each mention points at its own one (the page filters by document id)."""
    import datetime as dt

    from ptkg.extractors.model import DateMention, Document, Event, EventMention
    from ptkg.graph.view import view_model

    day = dt.date(2020, 5, 14)
    docs = [Document("a.txt", 0, 0, 10, title="甲"), Document("a.txt", 1, 10, 20, title="乙")]
    date = DateMention(start=0, end=5, text="5月14日", not_before=day, not_after=day, precision="day")
    mentions = [
        EventMention(source="a.txt", document=i, kind="Meeting", name="会议", date=date, line=1 + i,
                     date_text="5月14日", quote="5月14日会议", sentence=(0, 5))
        for i in (0, 1)
    ]
    from ptkg.extractors.lexicon import load

    view = view_model([Event("k", "Meeting", "会议", day, day, "day", mentions)], docs, load())
    ids = [m["document_id"] for m in view["events"][0]["mentions"]]
    assert ids == [d["id"] for d in view["documents"]] and ids[0] != ids[1]
    assert [m["document"] for m in view["events"][0]["mentions"]] == ["甲", "乙"]


def test_built_page_mints_the_graphs_iris_and_ships_repairs_as_deletions(built: Path) -> None:
    """On the seeds build: the IRIs the page ships as "" (minted again from date + name, or file) are exactly
    graph.ttl's event and document IRIs, and a repaired quote ships as the runs its repair deleted."""
    import rdflib

    page = (built / "index.html").read_text(encoding="utf-8")
    compact = json.loads(data_block(page))
    view = shipped_view(page)
    g = rdflib.Graph().parse(built / "graph.ttl")
    schema = rdflib.Namespace("https://schema.org/")
    events = {str(s) for s in g.subjects(rdflib.RDF.type, schema.Event)}
    assert {e["id"] for e in view["events"]} == events
    assert compact["events"]["id"].count("") == len(events)  # every seed event IRI is minted, none shipped
    docs = {d["id"] for d in view["documents"]}
    assert docs <= {str(s) for s in g.subjects(None, None)} and len(docs) == 6
    # seed 000's doubled PDF text: the raw quote and a few numbers, never the sentence twice
    mentions = [m for block in details_blocks(page) for ev in block for m in ev]
    doubled = [m for m in mentions if m["q"].startswith("20202020")]
    assert doubled and all("x" in m and "r" not in m for m in doubled)
    repaired = [m for e in view["events"] for m in e["mentions"] if m["quote"].startswith("20202020")]
    assert repaired[0]["repaired"].startswith("2020年5月14日，中共中央政治局常务委员会会议")


def test_repairs_that_are_not_deletions_ship_whole() -> None:
    from ptkg.graph.render import _deletions, _undelete

    raw = "20202020年年55月月1414日日"
    runs = _deletions(raw, "2020年5月14日")
    assert runs is not None and _undelete(raw, runs) == "2020年5月14日"
    assert _deletions("习 近 平", "習近平") is None  # a changed character is no deletion
    assert _undelete("abc", _deletions("abc", "abc")) == "abc"
