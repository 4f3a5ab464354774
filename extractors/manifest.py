"""``manifest.csv``: what the user says about the files of an input folder.

The manifest wins over detection (CONTRACT §1).  A bad row never stops a build: it is
reported as a one-line problem (printed on stderr by the build) and the good rows, and
the good fields of a row with one bad field, still apply.

Which document of a file a value describes: ``date``, ``title`` and ``author`` name one
work, so they go to the file's *first* document (a file of several documents needs one
file per document to date the others by hand); ``publisher``, ``language`` and
``source`` describe where the whole file came from, so they go to every document.
``source`` fills ``Document.url`` when it is a URL, else it is taken as the publisher
unless the row also names one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path, PurePosixPath

from ptkg.extractors.model import Document

MANIFEST = "manifest.csv"
COLUMNS = ("file", "date", "title", "author", "publisher", "source", "language")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _relative(value: str) -> str | None:
    """The manifest's path in the project's form (POSIX, relative, no "./"); None if it
    leaves the folder."""
    p = PurePosixPath(value.strip().replace("\\", "/"))
    parts = [x for x in p.parts if x not in (".", "")]
    if not parts or p.is_absolute() or ".." in parts:
        return None
    return "/".join(parts)


def parse_date(value: str) -> dt.date | None:
    """A strict ISO date (YYYY-MM-DD), as the contract says; anything else is a problem."""
    if not _ISO_DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def load_manifest(folder: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Read ``folder/manifest.csv``: ({relative file: {column: value}}, [one-line problems]).

    No manifest gives ({}, []).  Empty cells are left out, so they do not erase a
    detected value.
    """
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return {}, []
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return {}, [f"{MANIFEST}: not UTF-8 ({e.reason} at byte {e.start}); manifest ignored"]
    except OSError as e:
        return {}, [f"{MANIFEST}: cannot read ({e.strerror}); manifest ignored"]
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if "file" not in header:
        return {}, [f"{MANIFEST}: no 'file' column in the header row; manifest ignored"]
    problems = [f"{MANIFEST}: unknown column {h!r} ignored" for h in header if h and h not in COLUMNS]
    reader.fieldnames = header
    result: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    try:
        for row in reader:
            where = f"{MANIFEST} line {reader.line_num}"
            values = {k: " ".join(str(v).split()) for k, v in row.items() if k in COLUMNS and v and str(v).strip()}
            if not any(values.values()):
                continue  # a blank line
            if "file" not in values:
                problems.append(f"{where}: missing file")
                continue
            rel = _relative(values.pop("file"))
            if rel is None or not (Path(folder) / rel).is_file():
                problems.append(f"{where}: unknown file {row['file'].strip()!r}")
                continue
            if rel == MANIFEST:
                problems.append(f"{where}: the manifest cannot describe itself")
                continue
            if "date" in values and parse_date(values["date"]) is None:
                problems.append(f"{where}: bad date {values.pop('date')!r} (want YYYY-MM-DD); other fields kept")
            if rel in result:
                problems.append(f"{where}: second row for {rel!r} (first on line {first_line[rel]}); its values win")
                result[rel].update(values)
            else:
                result[rel] = values
                first_line[rel] = reader.line_num
    except csv.Error as e:
        problems.append(f"{MANIFEST} line {reader.line_num}: broken CSV ({e}); later rows ignored")
    return result, problems


def apply_manifest(docs: list[Document], fields: dict[str, str]) -> None:
    """Let the manifest row of one file win over what was detected in its documents."""
    if not docs or not fields:
        return
    first = docs[0]
    if fields.get("date") and (date := parse_date(fields["date"])) is not None:
        first.date, first.date_evidence = date, f"{MANIFEST}: date {fields['date']}"
    if fields.get("title"):
        first.title = fields["title"]
    if fields.get("author"):
        first.author = fields["author"]
    source = fields.get("source")
    url = source if source and re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I) else None
    publisher = fields.get("publisher") or (source if source and url is None else None)
    for doc in docs:
        if publisher:
            doc.publisher = publisher
        if fields.get("language"):
            doc.language = fields["language"]
        if url:
            doc.url = url
