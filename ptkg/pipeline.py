"""The build, step by step: read → normalize → find dates → find mentions → assemble events
→ merge → graph → render.

Each step lives in its own module; this one only wires them and keeps the promises of the
command line: a bad file costs one stderr line, never the build; the outputs are written
to temporary files and renamed, so a killed build leaves the previous output whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractors.assemble import Found, assemble
from extractors.dates import find_dates
from extractors.documents import split_documents
from extractors.manifest import MANIFEST, apply_manifest, load_manifest
from extractors.mentions import find_organizations, find_people, find_phrases
from extractors.model import DateMention, Document, EventMention, LineIndex, RawText
from extractors.normalize import normalize
from extractors.occasions import find_occasions
from extractors.readers import DEFAULT_MAX_BYTES, ReadError, read_file

SKIP_NAMES = {MANIFEST}


@dataclass
class FileResult:
    """What one file gave: its documents (with the format read) and its event mentions."""

    path: str
    format: str
    documents: list[Document]
    mentions: list[EventMention]
    reference_dates: dict[int, dt.date] = field(default_factory=dict)


@dataclass
class BuildReport:
    files: int = 0
    documents: int = 0
    events: int = 0
    mentions: int = 0
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    summary: str = ""


def iter_files(inputs: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) for every file under the inputs, in a stable order; symlink loops and
    unreadable folders are skipped (os.walk does not follow links)."""
    for inp in inputs:
        inp = Path(inp)
        if inp.is_file():
            yield inp, inp.parent
            continue
        found = []
        for dirpath, dirnames, filenames in os.walk(inp, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.startswith(".") or name in SKIP_NAMES:
                    continue
                found.append(Path(dirpath) / name)
        for f in sorted(found, key=lambda p: p.relative_to(inp).as_posix()):
            yield f, inp


def _shift(dates: list[DateMention], offset: int) -> list[DateMention]:
    return [dataclasses.replace(d, start=d.start + offset, end=d.end + offset) for d in dates]


def infer_reference_date(text: str) -> dt.date | None:
    """A base date for a document that states none.

    A report is written after the latest past event it dates, so take the latest year
    given with a month (years alone are often targets: 2035年远景目标), then the latest
    month of that year that the text mentions, and its last day.
    """
    dates = [d for d in find_dates(text, None) if d.not_before and d.role == "point"]
    fine = [d for d in dates if d.precision in ("day", "part-of-month", "month", "season")]
    if not fine:
        return None
    year = max(d.not_before.year for d in fine)

    def in_year(base: dt.date) -> set[tuple[int, int, dt.date]]:
        return {
            (d.start, d.end, d.not_before) for d in find_dates(text, base)
            if d.not_before and d.role == "point" and d.not_before.year == year
            and d.precision in ("day", "part-of-month", "month")
        }

    # words relative to the base (今天, 本月) move with it: only what stays put counts
    months = [nb.month for _, _, nb in in_year(dt.date(year, 12, 31)) & in_year(dt.date(year, 1, 1))]
    month = max(months) if months else 12
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def extract(raw: RawText, manifest_fields: dict[str, str] | None = None) -> FileResult:
    """All event mentions of one file (steps normalize → … → assemble)."""
    text = normalize(raw.text)
    docs = split_documents(raw, text)
    apply_manifest(docs, manifest_fields or {})
    lines = LineIndex(raw.text)
    t = text.text
    occasions = find_occasions(t)
    people = find_people(t)
    orgs = find_organizations(t)
    phrases = find_phrases(t)
    mentions: list[EventMention] = []
    refs: dict[int, dt.date] = {}
    for doc in docs:
        body = t[doc.start:doc.end]
        base = doc.date or infer_reference_date(body)
        if base and not doc.date:
            refs[doc.index] = base
        dates = _shift(find_dates(body, base), doc.start)
        found = Found(dates, occasions, people, orgs, phrases)
        mentions.extend(assemble(raw, text, doc, found, lines))
    return FileResult(raw.path, raw.format, docs, mentions, refs)


def read_all(inputs: Iterable[Path], max_bytes: int, report: BuildReport) -> Iterator[FileResult]:
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path, root in iter_files(inputs):
        if root not in manifests:
            fields, problems = load_manifest(root)
            manifests[root] = fields
            report.problems.extend(problems)
        report.files += 1
        try:
            raw = read_file(path, root, max_bytes=max_bytes)
        except ReadError as e:
            report.problems.append(str(e))
            report.skipped += 1
            continue
        try:
            yield extract(raw, manifests[root].get(raw.path))
        except Exception as e:  # one document's failure must not cost the others
            if os.environ.get("PTKG_DEBUG"):
                raise
            report.problems.append(f"{raw.path}: extraction failed: {type(e).__name__}: {e}")
            report.skipped += 1


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` next to ``path`` and rename: readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build(inputs: list[Path], out_dir: Path, base: str | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES) -> BuildReport:
    """Run the whole pipeline and write ``graph.ttl`` and ``index.html`` into ``out_dir``."""
    from graph.build import DEFAULT_BASE, build_graph, to_turtle
    from graph.merge import merge
    from graph.render import render_html
    from graph.summary import summarize
    from graph.view import view_model

    report = BuildReport()
    results = list(read_all(inputs, max_bytes, report))
    documents = [d for r in results for d in r.documents]
    mentions = [m for r in results for m in r.mentions]
    events = merge(mentions)
    report.documents, report.mentions, report.events = len(documents), len(mentions), len(events)
    if not results:
        return report
    fmt = {r.path: r.format for r in results}
    refs = {(r.path, i): d for r in results for i, d in r.reference_dates.items()}
    g = build_graph([(d, fmt[d.source]) for d in documents], events, base or DEFAULT_BASE,
                    reference_dates=refs)
    write_atomic(out_dir / "graph.ttl", to_turtle(g))
    write_atomic(out_dir / "index.html", render_html(view_model(events, documents)))
    report.summary = summarize(events, documents)
    return report


def print_report(report: BuildReport, out_dir: Path, stream=sys.stderr) -> None:
    for p in report.problems:
        print(p, file=stream)
    if report.summary:
        print(report.summary, file=stream)
    print(
        f"ptkg: {report.files - report.skipped} of {report.files} files read, {report.documents} documents, "
        f"{report.mentions} event mentions → {report.events} events; "
        f"{report.skipped} skipped; output in {out_dir}/",
        file=stream,
    )
