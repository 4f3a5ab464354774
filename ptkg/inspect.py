"""``ptkg inspect FILE``: what a user needs to trust the reading of one file.

Prints the detected format and encoding, the documents found in the file with their
metadata (and where each value came from), then the repaired text the extractors see,
each line prefixed with the raw line it starts on — so a quote or a line number in the
graph can be checked against the file by eye.

It runs the build's own extraction components (``extractors.pipeline``) up to the documents step,
with the folder's ``manifest.csv`` row and the same lexicon, so what it shows is what the build uses.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ptkg.extractors import pipeline as components
from ptkg.extractors.lexicon import LexiconError, load
from ptkg.extractors.manifest import load_manifest
from ptkg.extractors.readers import ReadError, read_file
from ptkg.terminal import clean_lines, say


def inspect_file(path: Path, max_bytes: int, out: TextIO = sys.stdout, lexicon: str | None = None) -> int:
    root = path.parent
    try:
        raw = read_file(path, root, max_bytes=max_bytes)
    except ReadError as e:
        say(e)
        return 1
    manifest, problems = load_manifest(root)
    for p in problems:
        say(p)
    try:
        lex = load(lexicon)
    except LexiconError as e:
        say(f"ptkg inspect: --lexicon: {e}")
        return 2
    doc = components.run(raw, lex, manifest.get(raw.path), until="documents")
    text, docs, lines = doc.text, doc.documents, doc.lines
    def w(line: str) -> None:  # file names, metadata and text are the user's input: cleaned for the terminal
        out.write(clean_lines(line.rstrip("\n")) + "\n")

    w(f"file      {raw.path}\n")
    w(f"format    {raw.format}\n")
    w(f"encoding  {raw.encoding or '-'}\n")
    w(f"raw       {len(raw.text)} characters, {raw.text.count(chr(10)) + 1} lines\n")
    w(f"repaired  {len(text.text)} characters\n")
    for k, v in sorted(raw.meta.items()):
        w(f"meta      {k}: {v}\n")
    if raw.path in manifest:
        w(f"manifest  {manifest[raw.path]}\n")
    w(f"documents {len(docs)}\n")
    for d in docs:
        first = lines.line_of(text.origin[d.start]) if d.start < len(text.origin) else 1
        last = lines.line_of(text.raw_span(d.end - 1, d.end)[0]) if d.end > d.start else first
        w(f"  [{d.index + 1}] raw lines {first}–{last}\n")
        w(f"      date       {d.date or '-'}" + (f"  (from: {d.date_evidence})" if d.date_evidence else "") + "\n")
        if d.reference_date:
            w(f"      reference  {d.reference_date}  (no date stated: end of the latest month the text mentions)\n")
        w(f"      title      {d.title or '-'}\n")
        w(f"      author     {d.author or '-'}\n")
        w(f"      publisher  {d.publisher or '-'}\n")
    w("\nrepaired text (raw line: text; a TAB marks a table-cell edge):\n")
    pos = 0
    for chunk in text.text.split("\n"):
        if chunk.strip():
            line = lines.line_of(text.origin[pos]) if pos < len(text.origin) else 0
            w(f"{line:>6}: {chunk}\n")
        pos += len(chunk) + 1
    return 0
