"""Readers: turn one input file into a ``RawText``, whatever its format.

Formats are plugins, rdflib style: ``register(format, reader)`` binds a format name to
a reader, either a callable or a lazy ``"module:function"`` reference, so that reading a
folder of .txt files never imports pdfplumber or python-docx.  A reader is called as
``reader(data: bytes, path: str) -> RawText`` (``path`` relative to the input root) and
raises ``ReadError`` for input it cannot use.

The format is decided from the content (``detect_format``), the extension only breaking
ties, so a PDF saved as .txt is read as a PDF and a binary blob named .txt is refused
instead of being decoded into garbage.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from ptkg.extractors.model import RawText
from ptkg.extractors.reasons import is_bug, reason

Reader = Callable[[bytes, str], RawText]

#: files above this size are refused before reading (a policy document is far smaller;
#: a 2 GB log dropped into the input folder should not exhaust memory)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


#: limits on what a file may expand to, whatever its size on disk (issue 16: a 1 MB PDF or a 0.6 MB DOCX
#: decompressed to gigabytes, a 10-million-line text took 5.8 GB).  The longest government work report is
#: 58 k characters with lines of at most 1.3 k; a book-length document stays far below these.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # what a DOCX's zip or a PDF's compressed streams may inflate to
MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 4_000_000  # characters of text a file may give (extraction takes ~30 s per million)
MAX_LINES = 200_000
MAX_LINE_CHARS = 100_000  # one line (the sentence splitter and the quotes work per line)


class ReadError(Exception):
    """A file that cannot be read.  ``str()`` is one line: "<relative path>: <reason>",
    which the build prints on stderr, one per bad document.

    ``lasting`` says whether the same bytes would fail the same way (a broken PDF, binary data), so
    that the build may remember the failure under the content's hash; a failure of the moment (the
    system refused the read, the file changed while it was read) is not remembered, or a file
    restored afterwards would stay unreadable.
    """

    def __init__(self, path: str, reason: str, lasting: bool = True) -> None:
        self.path = path
        self.reason = " ".join(str(reason).split())  # one line, whatever a library said
        self.lasting = lasting
        super().__init__(f"{path}: {self.reason}")


def check_text(text: str, path: str) -> None:
    """ReadError when the text a reader gave is over one of the limits above (named in the reason)."""
    if len(text) > MAX_TEXT_CHARS:
        raise ReadError(path, f"{len(text)} characters of text, over the limit of {MAX_TEXT_CHARS}; skipped")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise ReadError(path, f"{lines} lines, over the limit of {MAX_LINES}; skipped")
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise ReadError(path, f"line {number} is {len(line)} characters long, over the limit of "
                                  f"{MAX_LINE_CHARS}; skipped")


_READERS: dict[str, Reader | str] = {}


def register(format: str, reader: Reader | str) -> None:
    """Bind ``format`` to ``reader`` (a callable or "package.module:function")."""
    _READERS[format] = reader


def get_reader(format: str) -> Reader:
    try:
        reader = _READERS[format]
    except KeyError:
        raise KeyError(f"no reader registered for format {format!r}") from None
    if isinstance(reader, str):
        module, _, name = reader.partition(":")
        reader = getattr(importlib.import_module(module), name)
        _READERS[format] = reader
    return reader


def formats() -> list[str]:
    return sorted(_READERS)


_HTML_START = re.compile(rb"<\s*(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|div[\s>]|p>)", re.I)
_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}


def detect_format(data: bytes, name: str, path: str) -> str:
    """Format from magic bytes, then HTML tags near the top, then the extension.

    A file whose extension promises a container (.pdf, .docx) that its bytes do not hold
    is refused here with a reason, rather than being decoded as text.
    """
    suffix = os.path.splitext(name)[1].lower()
    if data.lstrip(b"\xef\xbb\xbf \t\r\n\0").startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise ReadError(path, f"broken zip archive ({e})") from None
        if "word/document.xml" in names:
            return "docx"
        raise ReadError(path, "zip archive without word/document.xml: not a .docx")
    if suffix == ".pdf":
        raise ReadError(path, "not a PDF (no %PDF header)")
    if suffix in (".docx", ".docm", ".dotx"):
        raise ReadError(path, "not a real .docx (not a zip archive)")
    if suffix == ".doc":
        raise ReadError(path, "old binary Word .doc is not supported; save it as .docx")
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:8192].decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    if suffix in _HTML_EXT or _HTML_START.search(head):
        return "html"
    return "txt"


def decode_name(name: str) -> str:
    """A file name as the user wrote it, also when its bytes are not UTF-8.

    Python hands such a name over with lone surrogates (``surrogateescape``), which no UTF-8 output
    (terminal, Turtle, SQLite) can carry; Chinese names written on a GBK system (or unpacked from an
    old zip) are the common case, so GB18030 and Big5 are tried, and bytes neither decodes stay as
    ``\\xNN`` escapes.
    """
    if not any("\udc80" <= c <= "\udcff" for c in name):
        return name
    raw = os.fsencode(name)
    for enc in ("gb18030", "big5"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace")


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (POSIX), as the user sees it in the folder.

    Only the folder is resolved, never the file itself: a symlinked file keeps its own
    name (two links to one file stay two sources), and a symlink loop or a dangling link
    is named and refused by ``read_file`` instead of raising from ``Path.resolve``
    (RuntimeError "Symlink loop" before Python 3.13).
    """
    try:
        rel = (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except (ValueError, RuntimeError, OSError):
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
    return decode_name(rel)


def _read_bytes(path: Path, rel: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``, or a ReadError.

    The file is opened non-blocking and checked on the open descriptor, so a FIFO or a
    device never blocks the build, and a file swapped or grown between the check and
    the read is still judged on what is actually read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise ReadError(rel, f"cannot read: {e.strerror or e}", lasting=False) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode) and os.path.islink(path):
                raise ReadError(rel, "a link to a folder: not followed (it could loop)")
            raise ReadError(rel, "not a regular file")
        if st.st_size > max_bytes:
            raise ReadError(rel, f"file is {st.st_size} bytes, over the limit of {max_bytes} bytes")
        if st.st_size == 0:
            raise ReadError(rel, "empty file (0 bytes)")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise ReadError(rel, f"cannot read: {e.strerror or e}", lasting=False) from None
    finally:
        os.close(fd)
    if size > max_bytes:  # grew between stat and read
        raise ReadError(rel, f"file is over the limit of {max_bytes} bytes")
    if size == 0:
        raise ReadError(rel, "empty file (0 bytes)")
    return b"".join(chunks)


_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def read_file(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, sha256: str | None = None) -> RawText:
    """Read one file under ``root``; ``RawText.path`` is ``path`` relative to ``root`` (POSIX).

    Raises ``ReadError`` for anything that yields no usable text: missing, unreadable,
    too large, empty, binary, undecodable, broken containers, empty after extraction.
    ``sha256``: the digest the caller hashed the file to (its cache key); bytes that no longer
    have it (the file changed in between) are refused as a failure of the moment, so that what they
    give is never kept under the other content's key.
    """
    path = Path(path)
    rel = relative_name(path, Path(root))
    try:
        data = _read_bytes(path, rel, max_bytes)
    except ReadError as e:
        # what was hashed was readable, so this read failed in the meantime — unless what was hashed was an
        # empty file, which fails the same way every time (kept, so a build with an empty file can be up to date)
        if sha256 is not None and sha256 != _EMPTY_SHA256:
            e.lasting = False
        raise
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise ReadError(rel, "changed while the build was reading it; skipped (build again)", lasting=False)
    fmt = detect_format(data, path.name, rel)
    try:
        raw = get_reader(fmt)(data, rel)
    except ReadError:
        raise
    except Exception as e:  # a library failing on hostile input must not stop the build
        if os.environ.get("PTKG_DEBUG"):  # --debug: the traceback, not the one line
            raise
        if is_bug(e):  # the library's code tripped: usually on a damaged file; its own words are Python's
            raise ReadError(rel, f"the {fmt} reader stumbled on it (a damaged file, or a form it does not know; "
                                 "--debug shows where)") from None
        raise ReadError(rel, f"the {fmt} reader could not read it: {reason(e)}") from None
    if not raw.text.strip():
        raise ReadError(rel, f"no text in the file ({fmt}: empty after extraction)")
    check_text(raw.text, rel)
    return raw


register("txt", "ptkg.extractors.readers.text:read_text")
register("html", "ptkg.extractors.readers.html:read_html")
register("pdf", "ptkg.extractors.readers.pdf:read_pdf")
register("docx", "ptkg.extractors.readers.docx:read_docx")
