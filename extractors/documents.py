"""Split a file into its documents and find each one's date, title, author and publisher.

A file may hold several documents (a speech followed by a commentary, a collection of
articles).  The layout cues are read on the *raw* lines, because normalization joins
wrapped lines and would merge a title, its dateline and its byline into one paragraph;
each raw line is only repaired on its own (full-width digits, Traditional script,
doubled PDF runs, spaces next to CJK characters) before the rules look at it.

A new document starts at a line that
  * looks like a heading (short, no sentence punctuation at the end, not a section
    number such as "一、" and not page furniture repeated through the file),
  * is followed within a few lines by a *dateline* — a line that starts with a full date
    and holds nothing else but a time, a closing bracket or fields such as 来源/作者
    ("2020-09-04 22:40", "（2020年12月23日）", "2020年9月4日 来源：新华网"),
  * and is set apart: after a long gap of blank lines (or a separator rule), or opened
    by a bracketed column name ("【时评】…").
The first document always starts at the top of the file.

Document date, strongest evidence first: a dateline among the first lines of the
document; a running header/footer with a date repeated on several pages ("建投研究院
2020 年 8 月 17 日", which also names the publisher); a signature date closing the
document (落款); the reader's metadata (HTML/PDF, first document only); a date in the
file name (first document only).  Dates here are the full dates (year, month, day) the date
engine (``extractors.dates``) finds in a line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from ptkg.extractors.dates import find_dates
from ptkg.extractors.metadata import metadata_date
from ptkg.extractors.model import DateMention, Document, RawText, Text
from ptkg.extractors.normalize import collapse_doubled, fold_width, normalize, to_simplified

HEAD_LINES = 10  # how far into a document its dateline, byline and title are looked for
LOOKAHEAD = 4  # non-empty lines between a heading and the dateline that confirms it
LONG_GAP = 3  # blank lines that set a new document apart
MIN_DOCUMENT_CHARS = 100  # a split never leaves a part shorter than this
MAX_HEADING = 60

_TIME = re.compile(r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)")
_DATELINE_PREFIX = re.compile(r"^[（(\[【]?\s*(?:(?:发布|发表|更新|成文|印发)?(?:时间|日期)\s*[:：]\s*)?")
_FIELD = re.compile(
    r"^[\s|｜/丨·]*(?:来源|来自|出处|作者|编辑|责任编辑|责编|记者|文\s*[/／]|字号|浏览|阅读|点击|星期|周[一二三四五六日天]|发布|打印)"
)
_SECTION = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、．.]|\d+[.、．](?!\d)|第[一二三四五六七八九十\d]+[章节部分条])"
)
_COLUMN = re.compile(r"^【[^】]{1,12}】")
_LABELS = {"摘要", "目录", "主要观点", "内容提要", "提要", "前言", "引言", "正文", "abstract", "contents",
           "关键词", "参考文献", "附件", "附录", "导读", "核心观点", "报告摘要"}
_SEPARATOR = re.compile(r"^[-=*_—~·•＊─━\s]{3,}$")
_SENTENCE_END = tuple("。，；、,;：:！？!?")
_CJK = re.compile(r"[\u3400-\u9fff]")
_NAME = r"[\u4e00-\u9fff·]{2,8}(?:[ 、，,]+[\u4e00-\u9fff·]{2,8})*"
_BYLINE = re.compile(
    r"(?:(?:^|(?<=[\s（(|｜]))(?:(?:本报|本刊|特约)?记者|通讯员|文\s*[/／|｜])\s*|(?:作者|撰文|撰稿|执笔)\s*[:：]\s*)"
    rf"(?P<name>{_NAME})"
)
_NOT_NAME_START = tuple("会站节证团们表从称了说在的是为对")
_PUBLISHER = re.compile(r"(?:来源|来自|出处)\s*[:：]\s*(?P<pub>[^\s|｜，。；;,:：]{2,30})")
_NEXT_FIELD = re.compile(r"(?:来源|来自|出处|作者|责任编辑|编辑|责编|记者|通讯员|时间|日期|发布|字号|浏览|阅读|点击)")
_FILE_DATE = re.compile(
    r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>0[1-9]|1[0-2])[-_.]?(?P<d>0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])"
)


_SPACE_NEXT_TO_CJK = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000]+|[ \t\u3000]+(?=[\u3400-\u9fff])")


def _squeeze_cjk(t: Text) -> Text:
    """Spaces next to a CJK character go ("2020 年 8 月" → "2020年8月"); unlike
    ``normalize.squeeze_spaces`` a space between two digits stays, so the time in
    "2020-09-04 22:40" is not glued to the day."""
    spans = [(m.start(), m.end()) for m in _SPACE_NEXT_TO_CJK.finditer(t.text)]
    if not spans:
        return t
    text: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    pos = 0
    for a, b in [*spans, (len(t.text), len(t.text))]:
        piece, o, e = t.piece(pos, a)  # the kept characters keep their raw spans (a collapsed doubled run too)
        text.append(piece)
        origin.extend(o)
        ends.extend(e)
        pos = b
    return Text("".join(text), origin, ends)


_LINE_STEPS = (fold_width, to_simplified, collapse_doubled, _squeeze_cjk)


@dataclass
class _Line:
    number: int  # 0-based raw line number
    start: int  # raw offset of the line's first character
    raw: str
    norm: str  # the line repaired on its own, stripped

    @property
    def blank(self) -> bool:
        return not self.norm


def _full_dates(s: str) -> list[DateMention]:
    """The full dates (year, month and day; 1900–2100) in a repaired line, by the date engine."""
    return [d for d in find_dates(s, None) if d.role == "point" and d.precision == "day" and d.not_before
            and d.not_before == d.not_after and 1900 <= d.not_before.year <= 2100]


def find_full_date(s: str) -> tuple[dt.date, int, int] | None:
    """The first full date in a normalized string: (date, start, end)."""
    found = _full_dates(s)
    return (found[0].not_before, found[0].start, found[0].end) if found else None


def dateline_date(norm: str) -> dt.date | None:
    """The date of a dateline: a line that starts with a full date and says little else."""
    prefix = _DATELINE_PREFIX.match(norm)
    rest = norm[prefix.end() if prefix else 0:]
    found = find_full_date(rest)
    if not found or found[1] != 0:
        return None
    d = found[0]
    tail = rest[found[2]:]
    t = _TIME.match(tail)
    if t:
        tail = tail[t.end():]
    tail = tail.lstrip("）)]】 \t")
    if not tail or _FIELD.match(tail):
        return d
    if len(tail) <= 20 and not any(p in tail for p in "，。；,;"):
        return d
    return None


def _split_lines(raw: str) -> list[_Line]:
    # The line steps never cross or remove a line break, so one pass over the whole text
    # gives each line's repaired form (one OpenCC call instead of one per line).
    repaired = normalize(raw, _LINE_STEPS).text.split("\n")
    lines = []
    pos = 0
    for number, (line, norm) in enumerate(zip(raw.split("\n"), repaired, strict=True)):
        lines.append(_Line(number, pos, line, norm.strip()))
        pos += len(line) + 1
    return lines


def _display(raw_line: str) -> str:
    """A raw line made readable, still in its own script (no Traditional → Simplified)."""
    return normalize(raw_line, (fold_width, collapse_doubled, _squeeze_cjk)).text.strip()


def _heading_like(line: _Line, furniture: set[str]) -> bool:
    s = line.norm
    if not s or len(s) > MAX_HEADING + (8 if _COLUMN.match(s) else 0) or s.endswith(_SENTENCE_END):
        return False
    if line.raw.strip() in furniture or _SECTION.match(s) or _SEPARATOR.match(s):
        return False
    if s.replace(" ", "").lower() in _LABELS or dateline_date(s) or _BYLINE.match(s):
        return False
    if any(p in s for p in "。，；"):  # a wrapped line of prose, not a heading
        return False
    dates = _full_dates(s)
    if dates and len("".join(s[a:b] for a, b in zip([0] + [d.end for d in dates], [d.start for d in dates] + [len(s)],
                                                     strict=True)).strip()) < 4:
        return False
    return bool(_CJK.search(s)) or sum(c.isalpha() for c in s) >= 4


def _furniture(lines: list[_Line]) -> set[str]:
    """Stripped raw lines repeated in the file: running headers, footers, disclaimers."""
    counts = Counter(ln.raw.strip() for ln in lines if len(ln.norm) >= 4)
    return {s for s, n in counts.items() if n >= 2}


def _starts(lines: list[_Line], furniture: set[str]) -> list[int]:
    """Indexes of the lines where a new document starts (the first is always 0)."""
    starts = [0]
    blank_run = 0
    chars_since = 0
    first_solid = next((i for i, ln in enumerate(lines) if not ln.blank), 0)
    for i, ln in enumerate(lines):
        if ln.blank or _SEPARATOR.match(ln.norm):
            blank_run += LONG_GAP if ln.norm else 1
            continue
        gap, blank_run = blank_run, 0
        if i > first_solid and chars_since >= MIN_DOCUMENT_CHARS and (gap >= LONG_GAP or _COLUMN.match(ln.norm)):
            if _heading_like(ln, furniture) and _confirmed_by_dateline(lines, i, furniture):
                starts.append(i)
                chars_since = 0
        chars_since += len(ln.norm)
    return starts


def _confirmed_by_dateline(lines: list[_Line], i: int, furniture: set[str]) -> bool:
    seen = 0
    for ln in lines[i + 1:i + 1 + 2 * LOOKAHEAD]:
        if ln.blank:
            continue
        if ln.raw.strip() not in furniture and dateline_date(ln.norm):
            return True
        seen += 1
        if seen >= LOOKAHEAD:
            break
    return False


# ------------------------------------------------------------------ metadata
def _head(lines: list[_Line]) -> list[_Line]:
    return [ln for ln in lines if not ln.blank][:HEAD_LINES]


def _title(lines: list[_Line], furniture: set[str]) -> str | None:
    """The first heading-like line before the body starts; a section heading ("一、…") or
    a line of prose means the body has started without a title (then None)."""
    for ln in _head(lines):
        s = ln.norm
        if ln.raw.strip() in furniture or s.replace(" ", "").lower() in _LABELS or dateline_date(s):
            continue
        if _heading_like(ln, furniture):
            title = _COLUMN.sub("", _display(ln.raw)).strip()
            if title:
                return title
        if _SECTION.match(s) or len(s) > MAX_HEADING or any(p in s for p in "。，；"):
            return None
    return None


def _cut_at_field(value: str) -> str:
    """"新华网作者" → "新华网": fields on one line lose their spaces next to CJK characters."""
    return _NEXT_FIELD.split(value, maxsplit=1)[0]


def _author(lines: list[_Line]) -> str | None:
    for ln in _head(lines):
        for m in _BYLINE.finditer(ln.norm):
            names = [_cut_at_field(n) for n in re.split(r"[ 、，,]+", m.group("name"))]
            names = [n for n in names if len(n) >= 2 and not n.startswith(_NOT_NAME_START)]
            if names:
                return "、".join(names)
    return None


def _publisher(lines: list[_Line]) -> str | None:
    for ln in _head(lines):
        m = _PUBLISHER.search(ln.norm)
        if m and len(publisher := _cut_at_field(m.group("pub"))) >= 2:
            return publisher
    return None


def _running_header(lines: list[_Line]) -> tuple[dt.date, str, str | None] | None:
    """A dated line repeated on several pages: (date, evidence, publisher or None)."""
    counts = Counter(ln.raw.strip() for ln in lines if ln.norm)
    for ln in lines:
        s = ln.raw.strip()
        if counts[s] < 2 or len(ln.norm) > 40 or any(p in ln.norm for p in "，。；"):
            continue
        found = find_full_date(ln.norm)
        if not found:
            continue
        date, a, b = found
        rest = (ln.norm[:a] + " " + ln.norm[b:]).strip(" |｜/-—")
        publisher = rest if 2 <= len(rest) <= 20 and _CJK.search(rest) and not _TIME.fullmatch(rest) else None
        return date, s, publisher
    return None


def _signature(lines: list[_Line]) -> tuple[dt.date, str] | None:
    """A date alone on one of the last lines: the signature date (落款) of an official text."""
    tail = [ln for ln in lines if not ln.blank][-4:]
    for ln in reversed(tail):
        d = dateline_date(ln.norm)
        if d and len(ln.norm) <= 20:
            return d, ln.raw.strip()
    return None


def _file_date(path: str) -> tuple[dt.date, str] | None:
    name = PurePosixPath(path).name
    for m in _FILE_DATE.finditer(name):
        try:
            return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), f"file name {name}"
        except ValueError:
            continue
    return None


#: a file's own date (a PDF's CreationDate) more than this many years after every year its text states is when
#: the file was made, not when the text was written
MADE_LATER_YEARS = 1


def _made_after_the_text(date: dt.date, lines: list[_Line]) -> bool:
    """A metadata date later than the text's whole horizon: a PDF made in 2026 of the 1994 work report.

    The latest year the text states at all (targets such as 2000年 included) bounds when it was written; a
    PDF made or re-exported years later would otherwise anchor every 今年 and 去年 of the text to the day of
    the export (on the 72 work reports made into PDFs, 81 of 135 mentions moved to 2026). A text that states
    no year leaves the metadata date alone."""
    years = [d.not_before.year for d in find_dates("\n".join(ln.norm for ln in lines), None)
             if d.not_before and d.precision != "period"]
    return bool(years) and date.year > max(years) + MADE_LATER_YEARS


def _describe(doc: Document, lines: list[_Line], furniture: set[str], raw: RawText) -> None:
    doc.title = _title(lines, furniture)
    doc.author = _author(lines)
    doc.publisher = _publisher(lines)
    for ln in _head(lines):
        d = dateline_date(ln.norm)
        if d and ln.raw.strip() not in furniture:
            doc.date, doc.date_evidence = d, ln.raw.strip()
            break
    header = _running_header(lines)
    if header and doc.date is None:
        doc.date, doc.date_evidence = header[0], header[1]
    if header and doc.publisher is None:
        doc.publisher = header[2]
    if doc.date is None and (sig := _signature(lines)):
        doc.date, doc.date_evidence = sig
    if doc.index == 0:
        if (doc.date is None and (value := raw.meta.get("date")) and (d := metadata_date(value))
                and not _made_after_the_text(d, lines)):
            doc.date, doc.date_evidence = d, f"{raw.format} metadata date {value}"
        if doc.date is None and (fd := _file_date(raw.path)):
            doc.date, doc.date_evidence = fd
        if doc.title is None and raw.meta.get("title"):
            doc.title = raw.meta["title"]
        if doc.author is None and raw.meta.get("author"):
            doc.author = raw.meta["author"]


def split_documents(raw: RawText, text: Text) -> list[Document]:
    """The documents of one file, in order, covering ``text`` (= ``normalize(raw.text)``).

    ``Document.start``/``end`` are offsets in ``text.text``; map them back to raw lines
    with ``text.origin`` and ``LineIndex(raw.text)``.
    """
    lines = _split_lines(raw.text)
    furniture = _furniture(lines)
    starts = _starts(lines, furniture)
    bounds = [bisect.bisect_left(text.origin, lines[i].start) for i in starts] + [len(text.text)]
    line_bounds = starts + [len(lines)]
    docs = []
    for k in range(len(starts)):
        doc = Document(source=raw.path, index=k, start=0 if k == 0 else bounds[k], end=bounds[k + 1])
        _describe(doc, lines[line_bounds[k]:line_bounds[k + 1]], furniture, raw)
        docs.append(doc)
    return docs
