"""Readers on real files built from the seeds' text: PDF, DOCX, HTML and re-encoded text.

Every generated file carries sentences of the seeds (read from ``seeds/`` at test time),
so a reader that drops, doubles or mis-decodes characters fails here.
"""

from __future__ import annotations

import io
import re
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from ptkg.extractors.readers import DEFAULT_MAX_BYTES, ReadError, formats, read_file, register
from ptkg.extractors.readers.text import decode_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SPEECH = SEEDS / "003_35bffe073971c21c.txt"
TRADITIONAL = SEEDS / "002_d808416a598e3f62.txt"

# sentences of seed 003 that carry dates and meeting names: they must survive every format
KEY_SENTENCES = (
    "（2020年12月23日）",
    "2020-09-04 22:40",
    "文/倪月菊",
    "刚刚闭幕的中央经济工作会议对明年经济工作作出来具体部署",
    "11月15日，包括中国在内15个成员国正式签署区域全面经济伙伴关系协定（RCEP）",
    "在十九届五中全会提出的“构建以国内大循环为主体，国内国际双循环相促进的新发展格局”",
)


def seed(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def make_pdf(path: Path, lines: list[str], *, title: str = "", author: str = "", bold: bool = False) -> Path:
    """A PDF set in reportlab's built-in CID font STSong-Light, lines wrapped at 45 characters.

    ``bold``: every line drawn twice, 0.3 pt apart (fake bold), as in the PDF seed 000 came from.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setTitle(title)
    c.setAuthor(author)
    c.setFont("STSong-Light", 10)
    y = 800
    for line in lines:
        for part in textwrap.wrap(line, 45) or [""]:
            c.drawString(40, y, part)
            if bold:
                c.drawString(40.3, y, part)
            y -= 14
            if y < 40:
                c.showPage()
                c.setFont("STSong-Light", 10)
                y = 800
    c.save()
    return path


def with_pdf_info(src: Path, dst: Path, info: dict[str, str], password: str | None = None) -> Path:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(src))
    writer.add_metadata(info)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    with open(dst, "wb") as f:
        writer.write(f)
    return dst


# ------------------------------------------------------------------ plain text encodings
def _big5_subset(text: str) -> str:
    """Seed 002 minus the few characters Big5 lacks (鈎, a private-use bullet)."""
    out = []
    for ch in text:
        try:
            ch.encode("big5")
            out.append(ch)
        except UnicodeEncodeError:
            pass
    return "".join(out)


@pytest.mark.parametrize(
    "source, codec, expected",
    [
        (SPEECH, "utf-8", "utf-8"),
        (SPEECH, "utf-8-sig", "utf-8-sig"),
        (SPEECH, "utf-16", "utf-16"),  # Python writes a BOM
        (SPEECH, "gb18030", "gb18030"),
        (TRADITIONAL, "gb18030", "gb18030"),  # Traditional characters stored as GB18030
        (TRADITIONAL, "big5", "big5"),
    ],
)
def test_text_encodings_are_detected_from_bytes(tmp_path: Path, source: Path, codec: str, expected: str) -> None:
    text = seed(source)
    if codec == "big5":
        text = _big5_subset(text)
        assert len(text) > len(seed(source)) - 20  # only 14 characters dropped (鈎, 13 bullets)
    f = tmp_path / "sub" / "doc.txt"
    f.parent.mkdir()
    f.write_bytes(text.encode(codec))
    raw = read_file(f, tmp_path)
    assert raw.path == "sub/doc.txt"
    assert raw.format == "txt"
    assert raw.encoding == expected
    assert raw.text == text


def test_windows_newlines_become_unix_so_line_numbers_hold(tmp_path: Path) -> None:
    text = seed(SPEECH)
    f = tmp_path / "crlf.txt"
    f.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    raw = read_file(f, tmp_path)
    assert raw.text == text
    assert raw.text.split("\n")[43].startswith("【时评】")


@pytest.mark.parametrize(
    "phrase",
    ["国内大循环", "二〇二〇年五月", "会议", "习近平", "經濟", "中國經濟「雙循環」新格局：大船轉舵", "中央政治局会议"],
)
@pytest.mark.parametrize("codec", ["gb18030", "big5"])
def test_short_chinese_samples_decode_right(phrase: str, codec: str) -> None:
    """Short samples are where guessing fails: charset-normalizer 3.5 answers cp949 for
    the GB18030 bytes of 国内大循环 and 二〇二〇年五月, Big5 for 会议 and cp949 for 經濟."""
    try:
        data = phrase.encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{phrase} has no {codec} form")
    text, _encoding = decode_text(data)
    assert text == phrase


# ------------------------------------------------------------------ PDF
def test_pdf_text_layer_keeps_the_key_sentences(tmp_path: Path) -> None:
    text = seed(SPEECH)
    plain = make_pdf(tmp_path / "plain.pdf", [ln.strip() for ln in text.split("\n")])
    pdf = with_pdf_info(
        plain, tmp_path / "speech.pdf",
        {"/Title": "在市委理论务虚会上的讲话", "/Author": "市委办公室", "/CreationDate": "D:20201224093000+08'00'"},
    )
    raw = read_file(pdf, tmp_path)
    assert raw.format == "pdf" and raw.encoding is None
    got = squash(raw.text)
    for sentence in KEY_SENTENCES:
        assert squash(sentence) in got, sentence
    assert got == squash(text)  # nothing lost, nothing doubled
    assert raw.meta["title"] == "在市委理论务虚会上的讲话"
    assert raw.meta["author"] == "市委办公室"
    assert raw.meta["date"] == "2020-12-24"
    assert raw.text.count("\n") >= 200  # lines of the page, not one blob


def test_pdf_backends_compared(tmp_path: Path) -> None:
    """Why pdfplumber: fake-bold PDFs (each run drawn twice) are repaired by ``dedupe_chars``;
    pypdf repeats every line.  Speed on the same 11k-character PDF is printed (pytest -s)."""
    import pypdf

    lines = ["2020年5月14日，中共中央政治局常务委员会会议首次提出", "要深化供给侧结构性改革。"]
    pdf = make_pdf(tmp_path / "bold.pdf", lines, bold=True)
    assert read_file(pdf, tmp_path).text == "\n".join(lines)
    pypdf_text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert pypdf_text.count(lines[0]) == 2

    big = make_pdf(tmp_path / "speech.pdf", [ln.strip() for ln in seed(SPEECH).split("\n")])
    t0 = time.perf_counter()
    ours = read_file(big, tmp_path).text
    t1 = time.perf_counter()
    theirs = "\n".join(p.extract_text() for p in pypdf.PdfReader(big).pages)
    t2 = time.perf_counter()
    assert squash(ours) == squash(theirs) == squash(seed(SPEECH))
    print(f"\npdfplumber {t1 - t0:.3f}s, pypdf {t2 - t1:.3f}s for {len(squash(ours))} characters")


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "x.pdf", ["中央经济工作会议"])
    disguised = tmp_path / "x.txt"
    disguised.write_bytes(pdf.read_bytes())
    raw = read_file(disguised, tmp_path)
    assert raw.format == "pdf" and "中央经济工作会议" in raw.text


# ------------------------------------------------------------------ DOCX
def test_docx_paragraphs_and_table_rows(tmp_path: Path) -> None:
    import docx

    paragraphs = [ln.strip() for ln in seed(SPEECH).split("\n")[:8] if ln.strip()]
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    table = d.add_table(rows=3, cols=3)
    rows = [
        ("时间", "会议", "内容"),
        ("2020年5月14日", "中央政治局常委会议", "首次提出"),
        ("2020年10月", "十九届五中全会", ""),
    ]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    table.cell(2, 1).merge(table.cell(2, 2))  # a merged cell must appear once
    table.cell(2, 1).text = "十九届五中全会"
    d.add_paragraph("我就讲这些，最后听徐书记的。")
    d.core_properties.title = "在市委理论务虚会上的讲话"
    d.core_properties.author = "市长"
    f = tmp_path / "speech.docx"
    d.save(f)

    raw = read_file(f, tmp_path)
    assert raw.format == "docx"
    lines = [ln for ln in raw.text.split("\n") if ln]
    assert lines[: len(paragraphs)] == paragraphs
    assert "2020年5月14日 中央政治局常委会议 首次提出" in lines
    assert "2020年10月 十九届五中全会" in lines
    assert lines[-1] == "我就讲这些，最后听徐书记的。"
    assert raw.meta["title"] == "在市委理论务虚会上的讲话" and raw.meta["author"] == "市长"
    assert "date" not in raw.meta  # created = when the file was made, not the document date


# ------------------------------------------------------------------ HTML
NAV = "".join(f'<li><a href="/c{i}">栏目{i}</a></li>' for i in range(30))


def article_html(paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}">
<title>从外贸依存度变化看强化“国内大循环”的意义_时评</title>
<meta name="author" content="倪月菊">
<meta name="description" content="双循环与外贸依存度">
<meta property="article:published_time" content="2020-09-04T22:40:00+08:00">
</head><body>
<nav><ul><li><a href="/">首页</a></li>{NAV}<li><a href="/about">联系我们</a></li></ul></nav>
<article><h1>从外贸依存度变化看强化“国内大循环”的意义</h1>{body}</article>
<footer><p>版权所有 联系我们 京ICP备00000000号</p><a href="/privacy">隐私政策</a></footer>
</body></html>"""


def _commentary_paragraphs() -> list[str]:
    lines = seed(SPEECH).split("\n")[49:56]
    return [ln.strip() for ln in lines if ln.strip()]


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_html_main_text_without_navigation(tmp_path: Path, codec: str) -> None:
    paragraphs = _commentary_paragraphs()
    f = tmp_path / "page.html"
    f.write_bytes(article_html(paragraphs, "gbk" if codec == "gb18030" else codec).encode(codec))
    raw = read_file(f, tmp_path)
    assert raw.format == "html"
    assert raw.encoding == codec
    for p in paragraphs:
        assert p in raw.text
    for nav in ("栏目17", "首页", "隐私政策", "京ICP备"):
        assert nav not in raw.text
    assert raw.meta["date"] == "2020-09-04"
    assert raw.meta["author"] == "倪月菊"
    assert raw.meta["title"].startswith("从外贸依存度变化看强化")


def test_html_fragment_falls_back_to_all_text(tmp_path: Path) -> None:
    f = tmp_path / "tiny.htm"
    f.write_text("<html><body><table><tr><td>2020年5月14日</td><td>中央政治局常委会议</td></tr></table></body></html>",
                 encoding="utf-8")
    raw = read_file(f, tmp_path)
    assert "2020年5月14日" in raw.text and "中央政治局常委会议" in raw.text


def test_html_named_txt_is_read_as_html(tmp_path: Path) -> None:
    f = tmp_path / "saved.txt"
    f.write_text(article_html(_commentary_paragraphs()), encoding="utf-8")
    raw = read_file(f, tmp_path)
    assert raw.format == "html" and "<p>" not in raw.text


# ------------------------------------------------------------------ bad input
def _bad_files(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    good = make_pdf(tmp_path / "good.pdf", [ln.strip() for ln in seed(SPEECH).split("\n")[:30]])
    encrypted = with_pdf_info(good, tmp_path / "enc.pdf", {"/Title": "x"}, password="secret")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return {
        "binary.txt": (bytes(range(256)) * 8, "binary"),
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \n\n \t\n", "empty after extraction"),
        "undecodable.txt": (b"\x81\xff" * 50, "undecodable"),
        "truncated.pdf": (good.read_bytes()[: good.stat().st_size // 2], "truncated"),
        "encrypted.pdf": (encrypted.read_bytes(), "encrypted"),
        "zero.pdf": (b"", "empty file"),
        "fake.pdf": (b"just some text pretending", "not a PDF"),
        "junk.docx": (b"this is not a zip at all" * 10, "not a real .docx"),
        "archive.docx": (zipped.getvalue(), "not a .docx"),
    }


def test_bad_files_give_one_line_read_errors(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "bad").mkdir(parents=True)
    for name, (data, reason) in _bad_files(tmp_path).items():
        f = root / "bad" / name
        f.write_bytes(data)
        with pytest.raises(ReadError) as info:
            read_file(f, root)
        message = str(info.value)
        assert "\n" not in message
        assert message.startswith(f"bad/{name}: "), message
        assert reason in info.value.reason, message  # the reason itself, not the file name
        assert info.value.path == f"bad/{name}"


def test_over_max_bytes_and_missing(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(seed(SPEECH), encoding="utf-8")
    with pytest.raises(ReadError, match=r"^big\.txt: file is \d+ bytes, over the limit of 1000 bytes$"):
        read_file(f, tmp_path, max_bytes=1000)
    assert read_file(f, tmp_path).text == seed(SPEECH)  # the default limit is far above
    assert DEFAULT_MAX_BYTES >= 10 * 1024 * 1024
    with pytest.raises(ReadError, match=r"^gone\.txt: cannot read"):
        read_file(tmp_path / "gone.txt", tmp_path)
    with pytest.raises(ReadError, match="not a regular file"):
        (tmp_path / "dir.txt").mkdir()
        read_file(tmp_path / "dir.txt", tmp_path)


def test_registry_is_pluggable(tmp_path: Path) -> None:
    from ptkg.extractors.model import RawText
    from ptkg.extractors.readers import get_reader

    assert set(formats()) >= {"txt", "html", "pdf", "docx"}
    original = get_reader("txt")
    try:
        register("txt", lambda data, path: RawText(path, data.decode("ascii").upper(), "txt", "ascii"))
        f = tmp_path / "a.txt"
        f.write_bytes(b"hello")
        assert read_file(f, tmp_path).text == "HELLO"
    finally:
        register("txt", original)


def test_pdf_of_seed_003_still_splits_into_its_two_documents(tmp_path: Path) -> None:
    """The PDF text layer has no blank-line gap; the 【时评】 column title still opens the second document."""
    from ptkg.extractors.documents import split_documents
    from ptkg.extractors.normalize import normalize

    pdf = make_pdf(tmp_path / "s.pdf", [ln.strip() for ln in seed(SPEECH).split("\n")])
    raw = read_file(pdf, tmp_path)
    docs = split_documents(raw, normalize(raw.text))
    assert [(d.date.isoformat() if d.date else None, d.author) for d in docs] == [
        ("2020-12-23", None),
        ("2020-09-04", "倪月菊"),
    ]
