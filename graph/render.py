"""Render the view model of the event graph as ONE self-contained, offline HTML page.

The page must open from ``file://`` with no network at all, so every byte it needs is inlined
here: the project's own CSS/JS templates, vis-network read from the installed ``pyvis`` wheel
(pyvis's own HTML modes fetch from CDNs, so only its bundled library file is used), and the
data as JSON. Document text is untrusted; it only ever enters the page inside a JSON data block
whose ``<``, ``>``, ``&`` and line separators are escaped, and the page's JS inserts it with
``textContent``. A Content-Security-Policy with per-script hashes is a second wall: even if a
string slipped into markup, no inline handler could run and nothing could be fetched.

Same view in, byte-identical page out: lists are put in a canonical order and JSON keys sorted.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import Any, TextIO

from ptkg.graph.build import iri_part

#: Where pyvis 0.3.2 keeps its bundled copy of vis-network (see shared/notes/dependencies.md).
VIS_DIR = "templates/lib/vis-9.1.2"

_TEMPLATE_PACKAGE = "ptkg.graph"
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


#: bidirectional controls: U+202E in a quote or a file name reverses what follows it on the page, so
#: "txt.exe" shows as "exe.txt" and a quote reads backwards (issue 16); the page shows them as escapes,
#: as the terminal does (ptkg/terminal.py); graph.ttl keeps the text as written
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_bidi(value: Any) -> Any:
    """``value`` with every bidi control in its strings written as ``\\uXXXX`` (dicts and lists walked)."""
    if isinstance(value, str):
        return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", value) if _BIDI.search(value) else value
    if isinstance(value, dict):
        return {visible_bidi(k): visible_bidi(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [visible_bidi(v) for v in value]
    return value


def render_html(view: dict[str, Any], into: TextIO | None = None) -> str:
    """Return the whole page for ``view`` (the caller writes it to ``output/index.html``); with ``into``, write
    it there piece by piece instead and return "" (the build: a full corpus's page is never one string)."""
    data = canonical_view(visible_bidi(view))
    compact, details = compact_view(data)
    vis_js, vis_css = vis_network_assets()
    app_js = _template("app.js")
    app_css = _template("app.css")
    scripts = [vis_js, app_js]
    page = _template("page.html")
    # the data blocks are made when their turn comes to be written, so only one is in memory at a time
    replacements: dict[str, str | Callable[[], Iterable[str]]] = {
        "{{CSP}}": _content_security_policy(scripts),
        "{{TITLE}}": html.escape(str(data.get("title") or "ptkg"), quote=False),
        "{{HEADING}}": html.escape(str(data.get("title") or "ptkg"), quote=False),
        "/*{{VIS_CSS}}*/": _safe_raw_text(vis_css, "style"),
        "/*{{APP_CSS}}*/": _safe_raw_text(app_css, "style"),
        "{{DATA_JSON}}": lambda: (json_for_script(compact),),
        "{{SEARCH_JSON}}": lambda: (json_for_script(search_index(data)),),
        "<!--{{DETAILS}}-->": lambda: _details_blocks(details),
        "/*{{VIS_JS}}*/": _safe_raw_text(vis_js, "script"),
        "/*{{APP_JS}}*/": _safe_raw_text(app_js, "script"),
    }
    if into is None:
        return "".join(_fill(page, replacements))
    for piece in _fill(page, replacements):
        into.write(piece)
    return ""


def _details_blocks(details: list[list[Any]]) -> Iterator[str]:
    """The mention blocks, one ``<script>`` each, joined by line ends."""
    for i, chunk in enumerate(details):
        if i:
            yield "\n"
        yield f'<script type="application/json" id="ptkg-details-{i}">{json_for_script(chunk)}</script>'


def canonical_view(view: dict[str, Any]) -> dict[str, Any]:
    """Copy ``view`` with events and documents in a fixed order, so input order cannot change the page."""
    data = dict(view)
    data["events"] = sorted(
        (dict(e) for e in view.get("events", [])),
        key=lambda e: (e.get("not_before") or "9999", e.get("not_after") or "9999", str(e.get("id", ""))),
    )
    for event in data["events"]:
        event["mentions"] = sorted(
            event.get("mentions", []),
            key=lambda m: (str(m.get("file", "")), int(m.get("line") or 0), str(m.get("date_text", ""))),
        )
    data["documents"] = sorted(view.get("documents", []), key=lambda d: (str(d.get("file", "")), str(d.get("id", ""))))
    return data


#: events per block of mention details: the page parses one block when one of its events is selected
DETAILS_CHUNK = 500
_EVENT_COLUMNS = ("name", "kind", "not_before", "not_after", "precision")
_LIST_COLUMNS = (("speakers", "people"), ("organizations", "orgs"), ("phrases", "phrases"))


def _common_prefix(values: list[str]) -> str:
    if not values:
        return ""
    lo, hi = min(values), max(values)
    n = 0
    while n < min(len(lo), len(hi)) and lo[n] == hi[n]:
        n += 1
    return lo[:n]


def _minted_base(ids: list[str], keys: list[str]) -> str:
    """The base the IRIs were minted under when ``id == base + iri_part(key)`` (first that says), else ""."""
    for i, key in zip(ids, keys, strict=True):
        part = iri_part(key)
        if part and i.endswith(part):
            return i[: -len(part)]
    return ""


def _id_column(ids: list[str], keys: list[str]) -> dict[str, Any]:
    """IRIs the page can mint again from what it already has (``base`` + the key, percent-encoded: a news
    corpus's 60,000 event IRIs are 8 MB of ``%E4%B8%AD``) ship as ""; any other ships whole after ``prefix``."""
    base = _minted_base(ids, keys)
    minted = [bool(base) and i == base + iri_part(key) for i, key in zip(ids, keys, strict=True)]
    odd = [i for i, m in zip(ids, minted, strict=True) if not m]
    prefix = _common_prefix(odd) if len(odd) > 1 else ""
    while prefix and prefix in odd:  # an odd IRI must not ship as "" (that means "mint it")
        prefix = prefix[:-1]
    return {"base": base, "prefix": prefix,
            "id": ["" if m else i[len(prefix):] for i, m in zip(ids, minted, strict=True)]}


def _event_key(ev: dict[str, Any]) -> str:
    return f"{ev.get('not_before') or ''}/{ev.get('name') or ''}"


def _document_key(d: dict[str, Any]) -> str:
    return f"{d.get('file') or ''}/1"


def _deletions(quote_text: str, repaired: str) -> list[int] | None:
    """``repaired`` as runs deleted from ``quote_text`` ([start, length, …]), or None when it is not a subsequence.

    The repair of news and most PDF text only drops characters (layout spaces, hard wraps, doubled runs), so
    the page ships the raw quote once and the runs (a few numbers) instead of a second copy of the sentence."""
    runs: list[int] = []
    j = 0
    start = -1
    for i, ch in enumerate(quote_text):
        if j < len(repaired) and ch == repaired[j]:
            j += 1
            if start >= 0:
                runs += [start, i - start]
                start = -1
        elif start < 0:
            start = i
    if j < len(repaired):
        return None
    if start >= 0:
        runs += [start, len(quote_text) - start]
    return runs


def _undelete(quote_text: str, runs: list[int]) -> str:
    out, at = [], 0
    for k in range(0, len(runs), 2):
        out.append(quote_text[at:runs[k]])
        at = runs[k] + runs[k + 1]
    out.append(quote_text[at:])
    return "".join(out)


def compact_view(data: dict[str, Any]) -> tuple[dict[str, Any], list[list[Any]]]:
    """The canonical view as the page ships it: columns and string tables, no per-event duplication.

    Every repeated string (names, kinds, people, bodies, phrases, document titles) is stored once and
    referred to by index; event and document IRIs lose their shared prefix; a mention names its document
    by index instead of repeating file and title. The mentions (quotes) go to separate blocks of
    ``DETAILS_CHUNK`` events that the page parses only when it shows one of them, so the first frame
    parses only what the timeline, filters and network need. ``expand_view`` is the inverse.
    """
    events, documents = data.get("events", []), data.get("documents", [])
    tables: dict[str, dict[str, int]] = {k: {} for k in ("name", "kind", "precision", "people", "orgs", "phrases")}

    def ref(table: str, value: Any) -> int:
        return tables[table].setdefault("" if value is None else str(value), len(tables[table]))

    doc_ids = [str(d.get("id", "")) for d in documents]
    doc_index: dict[str, int] = {}
    for i, d in enumerate(documents):
        doc_index.setdefault(str(d.get("id", "")), i)
    for i, d in enumerate(documents):
        doc_index.setdefault("file:" + str(d.get("file", "")), i)
    ev_ids = _id_column([str(e.get("id", "")) for e in events], [_event_key(e) for e in events])
    cols: dict[str, list[Any]] = {k: [] for k in (*_EVENT_COLUMNS, "speakers", "organizations", "phrases",
                                                    "docs", "mentions")}
    details: list[list[Any]] = []
    for n, ev in enumerate(events):
        for key in _EVENT_COLUMNS:
            cols[key].append(ref(key, ev.get(key)) if key in tables else ev.get(key))
        for key, table in _LIST_COLUMNS:
            cols[key].append([ref(table, v) for v in ev.get(key) or []])
        docs: list[int] = []
        packed = []
        for m in ev.get("mentions") or []:
            d = doc_index.get(str(m.get("document_id"))) if m.get("document_id") else None
            if d is None:
                d = doc_index.get("file:" + str(m.get("file", "")))
            if d is not None and d not in docs:
                docs.append(d)
            packed.append(_pack_mention(m, ev, documents[d] if d is not None else None, d))
        cols["docs"].append(docs)
        cols["mentions"].append(len(packed))
        if n % DETAILS_CHUNK == 0:
            details.append([])
        details[-1].append(packed)
    out = {k: v for k, v in data.items() if k not in ("events", "documents")}
    out["tables"] = {k: list(v) for k, v in tables.items()}
    out["events"] = {**ev_ids, "chunk": DETAILS_CHUNK, **cols}
    out["documents"] = {
        **_id_column(doc_ids, [_document_key(d) for d in documents]),
        "file": [d.get("file") for d in documents],
        "title": [d.get("title") for d in documents],
        "date": [d.get("date") for d in documents],
    }
    return out, details


#: mention keys in the page's blocks (short: a full corpus has ~80,000 mentions)
_MENTION_KEYS = {"line": "l", "date_text": "t", "quote": "q", "repaired": "r"}


def _pack_mention(m: dict[str, Any], ev: dict[str, Any], doc: dict[str, Any] | None, d: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {short: m[key] for key, short in _MENTION_KEYS.items() if m.get(key) is not None}
    if "r" in out and "q" in out and (runs := _deletions(out["q"], out["r"])) is not None:
        del out["r"]
        out["x"] = runs
    if d is not None and m.get("document_id") == doc.get("id"):
        out["d"] = d  # document_id and, unless they differ, file and title come from the document
    else:
        if d is not None:
            out["e"] = d
        if m.get("document_id") is not None:
            out["i"] = m["document_id"]
    if doc is None or m.get("file") != doc.get("file"):
        out["f"] = m.get("file")
    if doc is None or m.get("document") != (doc.get("title") or doc.get("file")):
        out["n"] = m.get("document")
    for key, short in (("not_before", "b"), ("not_after", "a")):
        if m.get(key) != ev.get(key):
            out[short] = m.get(key)
    return out


def expand_view(compact: dict[str, Any], details: list[list[Any]]) -> dict[str, Any]:
    """The inverse of ``compact_view`` (what the page's decoder does), for tests and tools."""
    t = compact["tables"]
    docs_c = compact["documents"]
    documents = [
        {"id": _id_of(docs_c, i, _document_key({"file": f})), "file": f, "title": ti, "date": da}
        for i, f, ti, da in zip(docs_c["id"], docs_c["file"], docs_c["title"], docs_c["date"], strict=True)
    ]
    c = compact["events"]
    events = []
    for n, eid in enumerate(c["id"]):
        ev: dict[str, Any] = {}
        for key in _EVENT_COLUMNS:
            ev[key] = t[key][c[key][n]] if key in t else c[key][n]
        ev["id"] = _id_of(c, eid, _event_key(ev))
        for key, table in _LIST_COLUMNS:
            ev[key] = [t[table][i] for i in c[key][n]]
        ev["mentions"] = [_unpack_mention(m, ev, documents) for m in details[n // c["chunk"]][n % c["chunk"]]]
        events.append(ev)
    rest = {k: v for k, v in compact.items() if k not in ("events", "documents", "tables")}
    return {**rest, "events": events, "documents": documents}


def _id_of(column: dict[str, Any], shipped: str, key: str) -> str:
    return column["base"] + iri_part(key) if shipped == "" and column["base"] else column["prefix"] + shipped


def _unpack_mention(m: dict[str, Any], ev: dict[str, Any], documents: list[dict[str, Any]]) -> dict[str, Any]:
    doc = documents[m["d"]] if "d" in m else documents[m["e"]] if "e" in m else None
    out = {key: m[short] for key, short in _MENTION_KEYS.items() if short in m}
    if "x" in m:
        out["repaired"] = _undelete(m["q"], m["x"])
    out["file"] = m["f"] if "f" in m else doc["file"] if doc else None
    out["document"] = m["n"] if "n" in m else (doc["title"] or doc["file"]) if doc else None
    out["document_id"] = doc["id"] if "d" in m else m.get("i")
    out["not_before"] = m.get("b", ev.get("not_before"))
    out["not_after"] = m.get("a", ev.get("not_after"))
    return out


def searchable_labels(data: dict[str, Any]) -> list[str]:
    """Every label the page's search box looks at: event names, people, organizations, phrases, document titles."""
    labels: set[str] = set()
    for ev in data.get("events", []):
        labels.add(str(ev.get("name") or ""))
        for key in ("speakers", "organizations", "phrases"):
            labels.update(str(v) for v in ev.get(key) or [])
        labels.update(str(m.get("document") or "") for m in ev.get("mentions") or [])
    labels.update(str(d.get("title") or "") for d in data.get("documents", []))
    labels.discard("")
    return sorted(labels)


def search_index(data: dict[str, Any]) -> dict[str, Any]:
    """Traditional/Simplified forms of every searchable label, computed here so the page needs no converter.

    ``variants`` maps a label to its other script forms (OpenCC s2t, s2tw, s2hk and t2s); ``t2s`` maps single
    Traditional characters seen in those forms to their Simplified ones, so a query typed in Traditional (or
    mixed) script can be folded before matching. Sorted keys: same data, same bytes.
    """
    variants: dict[str, list[str]] = {}
    chars: dict[str, str] = {}
    # Document titles (one per story in a news corpus) ship no variants: the page folds title and query
    # alike through ``t2s``, which already holds every Traditional character of theirs.
    titles = {str(d.get("title") or "") for d in data.get("documents", [])}
    names = {str(v) for ev in data.get("events", []) for key in ("name", "speakers", "organizations", "phrases")
             for v in ([ev.get(key)] if key == "name" else ev.get(key) or [])}
    for label in searchable_labels(data):
        simplified = _convert("t2s", label)
        forms = {simplified, _convert("s2t", simplified), _convert("s2tw", simplified), _convert("s2hk", simplified)}
        forms.discard(label)
        if forms and (label in names or label not in titles):
            variants[label] = sorted(forms)
        for form in forms | {label}:
            if len(form) == len(simplified):
                for t, s in zip(form, simplified, strict=True):
                    # one UTF-16 unit each: the page folds a string unit by unit
                    if t != s and ord(t) < 0x10000 and ord(s) < 0x10000:
                        chars.setdefault(t, s)
    # A form the page's fold already reduces to the label's fold finds the label without being shipped (the
    # page matches the query and its fold against the label and its fold): most of a corpus's 40,000 event
    # names need no variant at all.
    def fold(text: str) -> str:
        return "".join(chars.get(ch, ch) for ch in text)

    shipped = {}
    for label, forms in variants.items():
        folded = fold(label)
        kept = [f for f in forms if fold(f) != folded]
        if kept:
            shipped[label] = kept
    return {"variants": shipped, "t2s": dict(sorted(chars.items()))}


@functools.lru_cache(maxsize=8)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


@functools.lru_cache(maxsize=65536)
def _convert(config: str, text: str) -> str:
    return _converter(config).convert(text)


def json_for_script(data: Any) -> str:
    """Serialise ``data`` so it can sit inside ``<script type="application/json">`` whatever the text says.

    Escaping ``<`` and ``>`` means no ``</script>`` or ``<!--`` can appear; ``&`` keeps XHTML-ish
    tooling honest; U+2028/2029 are escaped because older JS parsers treat them as line ends.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # one replace per character (no escape holds another's character): a join over the characters made one
    # string object per CJK character, 1.1 GB for a full corpus's 42 M characters (issue 15)
    for ch, escape in _JSON_ESCAPES.items():
        if ch in text:
            text = text.replace(ch, escape)
    return text


@functools.lru_cache(maxsize=1)
def vis_network_assets() -> tuple[str, str]:
    """Read vis-network's JS and CSS from the installed pyvis wheel (read once per process)."""
    base = resources.files("pyvis").joinpath(VIS_DIR)
    js = base.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css_file = base.joinpath("vis-network.css")
    css = css_file.read_text(encoding="utf-8") if css_file.is_file() else ""
    return js, css


def _template(name: str) -> str:
    """Read one of our own templates; package data, so it works from a wheel as well as a checkout."""
    return resources.files(_TEMPLATE_PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")


def _content_security_policy(scripts: list[str]) -> str:
    """Allow exactly our inline scripts (by hash) and nothing from anywhere else.

    Hashes instead of 'unsafe-inline' mean an injected ``onerror=`` attribute could not run even if
    some future change put document text into markup by mistake.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'" for s in scripts
    )
    policy = (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    # Goes into a double-quoted attribute unescaped, so it must never contain markup characters.
    if any(ch in policy for ch in '"<>&'):
        raise ValueError(f"CSP would break its attribute: {policy!r}")
    return policy


def _safe_raw_text(text: str, element: str) -> str:
    """Refuse library or template text that would end its own ``<script>``/``<style>`` element early."""
    if f"</{element}" in text.lower():
        raise ValueError(f"inline {element} text contains '</{element}'; it would break the page")
    return text


def _fill(page: str, replacements: dict[str, str | Callable[[], Iterable[str]]]) -> Iterator[str]:
    """The page in pieces, each marker substituted exactly once, in one pass, so inserted text is never re-scanned
    for markers; a callable replacement is called when its marker is reached and its pieces are passed on."""
    for marker in replacements:
        if page.count(marker) != 1:
            raise ValueError(f"template marker {marker!r} must occur exactly once in page.html")
    rest = page
    while True:
        hits = [(rest.find(m), m) for m in replacements if m in rest]
        if not hits:
            yield rest
            return
        pos, marker = min(hits)
        yield rest[:pos]
        value = replacements[marker]
        if isinstance(value, str):
            yield value
        else:
            yield from value()
        rest = rest[pos + len(marker) :]
