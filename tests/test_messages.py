"""Issue 16, "exception class names in user messages": every line a user reads names the file (or the option)
and says the reason in words — no ``PdfminerException``, ``KeyError('x')``, ``[Errno 21]`` or ``_TimeLimit``.

Each test crafts one kind of bad input (a file, a folder, a URL, a lexicon, a cache) the way a user meets it,
and reads the message the command line prints; ``PYTHON_SPEAK`` is what must not be in it.
"""

from __future__ import annotations

import errno
import io
import json
import re
import socket
import urllib.error
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, run_ptkg

SEEDS = ROOT / "seeds"
SEED = SEEDS / "001_90f59d14d9e5d893.txt"

#: a class name (…Error, …Exception), an errno in brackets, a private name, a repr call or object, a traceback
PYTHON_SPEAK = re.compile(r"\b\w*(?:Error|Exception)\b|\[Errno|\(os error|\b_[A-Z]\w+|\b[A-Za-z_]\w*\(['\"]|"
                          r"<[\w.]+ object at 0x|Traceback|codec can't")


def assert_words(line: str) -> None:
    assert not PYTHON_SPEAK.search(line), f"Python, not words, in: {line}"


def _line_of(stderr: str, start: str) -> str:
    mine = [ln for ln in stderr.splitlines() if ln.startswith(start)]
    assert len(mine) == 1, f"{start!r}: {len(mine)} lines\n{stderr}"
    return mine[0]


# --- build: one line per bad file ------------------------------------------------------------------------

def _seed_pdf() -> bytes:
    from test_bad_input import _pdf

    return _pdf([ln for ln in SEED.read_text(encoding="utf-8").split("\n")[:10] if ln.strip()])


def _docx_with_half_its_xml() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(SEED.read_text(encoding="utf-8")[:200])
    buf = io.BytesIO()
    d.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            z.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return out.getvalue()


def test_damaged_pdf_and_docx_are_said_in_words(tmp_path: Path) -> None:
    from test_bad_input import _encrypted

    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_bytes(SEED.read_bytes())
    pdf = _seed_pdf()
    (inp / "encrypted.pdf").write_bytes(_encrypted(pdf))
    at = pdf.index(b"stream") + 8  # reportlab's streams are ASCII85: bytes outside it break the decoder
    (inp / "bad-stream.pdf").write_bytes(pdf[:at] + bytes(range(200, 252)) + pdf[at + 52:])
    (inp / "half-xml.docx").write_bytes(_docx_with_half_its_xml())
    r = run_ptkg("build", str(inp), "-o", str(tmp_path / "out"))
    assert r.returncode == 1, r.stderr
    for name, words in (("encrypted.pdf", "encrypted PDF"), ("bad-stream.pdf", "broken PDF"),
                        ("half-xml.docx", "broken XML")):
        line = _line_of(r.stderr, f"{name}: ")
        assert words in line, line
        assert_words(line)


def test_a_reader_library_tripping_is_said_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A library raising TypeError (its code tripped on the file) or ValueError (its own sentence)."""
    from ptkg.extractors import readers

    (tmp_path / "x.txt").write_bytes(SEED.read_bytes())
    for failure, words in ((TypeError("'NoneType' object is not subscriptable"), "stumbled on it"),
                           (ValueError("Non-Ascii85 digit found"), "Non-Ascii85 digit found")):
        def reader(data: bytes, rel: str, failure: Exception = failure) -> None:
            raise failure

        monkeypatch.setattr(readers, "get_reader", lambda fmt, reader=reader: reader)
        with pytest.raises(readers.ReadError) as got:
            readers.read_file(tmp_path / "x.txt", tmp_path)
        message = str(got.value)
        assert message.startswith("x.txt: ") and words in message, message
        assert "NoneType" not in message
        assert_words(message)


def test_an_extraction_failure_is_said_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ptkg import pipeline

    (tmp_path / "x.txt").write_bytes(SEED.read_bytes())

    def broken(*a: object, **k: object) -> None:
        raise KeyError("speaker")

    monkeypatch.setattr(pipeline, "extract", broken)
    out = pipeline.run_task(pipeline.Task(path=str(tmp_path / "x.txt"), root=str(tmp_path), rel="x.txt"))
    assert isinstance(out, pipeline.Problem), out
    assert out.message.startswith("x.txt: extraction failed: ") and "speaker" not in out.message, out.message
    assert "--debug" in out.message  # where the traceback is
    assert_words(out.message)


def test_an_alarm_during_the_failure_handling_is_a_time_out_line(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The time limit's alarm can fire while a failure is being turned into its line: that is the time-out
    line, not a ``_TimeLimit`` escaping the task (and costing the whole build)."""
    from ptkg.extractors.readers import ReadError

    from ptkg import pipeline

    class AlarmWhileSaid(ReadError):
        def __str__(self) -> str:
            raise pipeline._TimeLimit()  # the alarm arriving just then

    def read(*a: object, **k: object) -> None:
        raise AlarmWhileSaid("x.txt", "unreadable")

    monkeypatch.setattr(pipeline, "read_file", read)
    (tmp_path / "x.txt").write_bytes(SEED.read_bytes())
    out = pipeline.run_task(pipeline.Task(path=str(tmp_path / "x.txt"), root=str(tmp_path), rel="x.txt",
                                          time_limit=60))
    assert isinstance(out, pipeline.Problem) and "--time-limit" in out.message, out
    assert not out.lasting


# --- the command line around the build ----------------------------------------------------------------------

def test_a_bad_push_url_is_said_before_the_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for url, words in (("http://[::1/ds", "not a valid URL"), ("http://127.0.0.1:99999/ds", "port"),
                       ("http:///ds", "no host")):
        r = run_ptkg("build", str(SEED), "-o", str(out), "--push", url)
        line = _line_of(r.stderr, "ptkg build: --push ")
        assert r.returncode == 2 and words in line, r.stderr
        assert_words(line)
        assert not (out / "graph.ttl").exists(), "the URL was checked only after the build"


def test_an_unreachable_push_endpoint_is_said_in_words(built: Path) -> None:
    from ptkg.graph.export import PushError, push

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PushError) as got:
        push(built / "graph.ttl", f"http://127.0.0.1:{port}/ds", timeout=10)
    assert "Connection refused" in str(got.value), got.value
    assert_words(str(got.value))


def test_an_output_that_is_not_a_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for out, words in ((tmp_path / "a-file", "not a folder"), (tmp_path / "a-file" / "out", "cannot make the folder")):
        r = run_ptkg("build", str(SEED), "-o", str(out))
        line = _line_of(r.stderr, "ptkg build: ")
        assert r.returncode == 2 and str(out) in line and words in line, r.stderr
        assert_words(line)


def test_a_damaged_cache_database_is_started_afresh(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_ptkg("build", str(SEED), "-o", str(out)).returncode == 0
    db = out / ".cache" / "extract.sqlite"
    for extra in db.parent.glob("extract.sqlite-*"):
        extra.unlink()
    db.write_bytes(b"not a database " * 400)
    (out / ".cache" / "last-build.json").unlink(missing_ok=True)
    r = run_ptkg("build", str(SEED), "-o", str(out))
    assert r.returncode == 0, r.stderr
    line = _line_of(r.stderr, str(db))
    assert "damaged cache" in line and "afresh" in line, line
    assert_words(line)
    assert run_ptkg("build", str(SEED), "-o", str(out)).stderr.count("damaged cache") == 0  # the new one is good


def test_damaged_cache_entries_are_said_in_words() -> None:
    from ptkg.cache import BadEntry, loads

    doc = {"type": "FileResult", "value": {"not": "its fields"}}
    for blob in (zlib.compress(b"{not json"), zlib.compress(json.dumps(doc).encode()), b"\x00not zlib"):
        with pytest.raises(BadEntry) as got:
            loads(blob)
        assert "FileResult" not in str(got.value)
        assert_words(str(got.value))


@pytest.mark.parametrize("name,content,words", [
    ("people.tsv", "nom\taliases\n习近平\t\n".encode(), "no 'name' column"),
    ("people.tsv", b"name\taliases\n\xff\xfe\t\n", "not UTF-8"),
    ("phrases.ttl", "# mine\nc:x a skos:Concept ;\n  skos:prefLabel \"测试\"@zh-Hans\n".encode(), "line 4"),
])
def test_a_bad_user_lexicon_file_is_named(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    (lexicon / name).write_bytes(content)
    r = run_ptkg("build", str(SEED), "-o", str(tmp_path / "out"), "--lexicon", str(lexicon))
    line = _line_of(r.stderr, "ptkg build: --lexicon: ")
    assert r.returncode == 2 and str(lexicon / name) in line and words in line, r.stderr
    assert_words(line)


# --- query and serve ---------------------------------------------------------------------------------------

def test_a_folder_given_as_the_query_is_said_in_words(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    r = run_ptkg("query", str(folder), "--graph", str(built / "graph.ttl"))
    line = _line_of(r.stderr, str(folder))
    assert r.returncode == 2 and "not a regular file" in line, r.stderr
    assert_words(line)


def test_serve_names_a_damaged_graph_and_a_bad_port(tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    graph.write_text("@prefix x: <y> .\nx:a x:b ", encoding="utf-8")
    r = run_ptkg("serve", "--graph", str(graph), "--port", "0", timeout=120)
    line = _line_of(r.stderr, f"{graph}: ")
    assert r.returncode == 2 and "cannot open the graph" in line, r.stderr
    assert_words(line)
    r = run_ptkg("serve", "--graph", str(graph), "--port", "99999")
    assert r.returncode == 2 and "not a port number" in r.stderr, r.stderr
    assert "bind()" not in r.stderr


# --- the wording itself ----------------------------------------------------------------------------------

def test_reason_keeps_the_words_and_drops_the_python() -> None:
    from ptkg.extractors.reasons import reason

    cases = [
        (OSError(errno.EISDIR, "Is a directory", "/tmp/q"), "Is a directory: /tmp/q"),
        (urllib.error.URLError(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")),
         "Connection refused"),
        (OSError("No such file or directory (os error 2)"), "No such file or directory"),
        (_decode_error(), "not utf-8 text"),
        (KeyError("There is no item named 'word/document.xml' in the archive"), "There is no item named"),
        (KeyError("speaker"), "internal error"),
        (TypeError("'NoneType' object is not subscriptable"), "internal error"),
        (MemoryError(), "out of memory"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (ValueError(""), "no reason given"),
    ]
    for e, words in cases:
        said = reason(e)
        assert words in said, (e, said)
        assert_words(said)
        assert "NoneType" not in said and "'speaker'" not in said


def _decode_error() -> UnicodeDecodeError:
    try:
        b"ab\xff".decode("utf-8")
    except UnicodeDecodeError as e:
        return e
    raise AssertionError("decoded")


def test_no_message_in_the_code_formats_a_class_name() -> None:
    """What the tests above cannot reach: no message is built from ``type(e).__name__`` any more (the
    cache's own type tag and the ``TypeError`` for a programmer are not messages to a user)."""
    hits, scanned = [], 0
    for folder in ("ptkg", "graph", "extractors"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            scanned += 1
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\{type\((e|exc|err|cause)\)\.__name__", line):  # in an f-string
                    hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert scanned > 50 and not hits, "\n".join(hits)
