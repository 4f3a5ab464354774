"""Repair and normalize raw text for matching, keeping a map back to the raw offsets.

Every step is a small function ``Text -> Text``.  The steps only ever *delete* or
*replace* characters (one raw character may become several, several may become
none), and each output character remembers the raw offset it came from, so the
line and quote shown to the user are always the file as written.

Steps, in order (``STEPS``):
  fold_width          NFKC for characters whose NFKC form is a single character
                      (full-width digits/letters, ideographic space …)
  to_simplified       Traditional → Simplified (OpenCC t2s), used for matching only
  collapse_doubled    PDF extraction that printed every text run twice
                      ("20202020年年55月月" → "2020年5月")
  drop_furniture      page numbers and running headers/footers repeated on many pages
  join_lines          hard-wrapped CJK lines re-joined; blank lines inside a paragraph dropped
  squeeze_spaces      spaces next to CJK characters removed ("5 月 14日" → "5月14日")
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from ptkg.extractors.model import Text

Step = Callable[[Text], Text]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
# characters that may end a paragraph: a hard-wrapped line never ends with them
_TERMINAL = set("。！？!?；;：:…")

# a line that starts with one of these starts a new block (heading, list item, caption)
_BLOCK_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．](?!\d)|"
    r"附?[表图]\s*\d|资料来源|注[:：]|[•●◆■□▪\-–—*]\s)"
)


Piece = tuple[str, list[int], list[int]]


def _rebuild(pieces: Iterable[Piece]) -> Text:
    chars: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    for s, o, e in pieces:
        chars.append(s)
        origin.extend(o)
        ends.extend(e)
    return Text("".join(chars), origin, ends)


# ---------------------------------------------------------------- width folding
# Characters seen so far, and the fold table built from them: a corpus uses a few thousand
# distinct characters, so each is looked at once per process.
_SEEN: set[str] = set()
_TABLE: dict[int, str] = {}
_FOLDED: set[str] = set()
_EXPANDING: set[str] = set()


def _learn(chars: set[str]) -> None:
    """NFKC of new characters, except ASCII and punctuation/symbols (CJK punctuation such as
    ，：（） stays as written, so quotes and names keep it)."""
    for ch in chars - _SEEN:
        _SEEN.add(ch)
        if ch.isascii() or unicodedata.category(ch)[0] in "PS":
            continue
        n = unicodedata.normalize("NFKC", ch)
        if n != ch:
            _TABLE[ord(ch)] = n
            _FOLDED.add(ch)
            if len(n) != 1:
                _EXPANDING.add(ch)


def fold_width(t: Text) -> Text:
    """NFKC, character by character, so offsets stay exact.

    Characters whose NFKC form is longer (e.g. "㈠" → "(一)") are expanded and
    every output character points at the one raw character.
    """
    chars = set(t.text)
    _learn(chars)
    if chars.isdisjoint(_FOLDED):
        return t
    if chars.isdisjoint(_EXPANDING):
        return Text(t.text.translate(_TABLE), t.origin, t.ends)
    pieces = []
    for i, ch in enumerate(t.text):
        n = _TABLE.get(ord(ch), ch)
        pieces.append((n, [t.origin[i]] * len(n), [t.end_of(i)] * len(n)))
    return _rebuild(pieces)


# ---------------------------------------------------------------- script
@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def to_simplified(t: Text) -> Text:
    """Traditional → Simplified with OpenCC; falls back to per-line, then per-character
    conversion where a phrase conversion would change the length (offsets must hold)."""
    convert = _t2s()
    out = convert(t.text)
    if len(out) == len(t.text):
        return Text(out, t.origin, t.ends)
    lines = t.text.split("\n")
    fixed = []
    for line in lines:
        c = convert(line)
        if len(c) != len(line):
            c = "".join(convert(ch) if len(convert(ch)) == 1 else ch for ch in line)
        fixed.append(c)
    return Text("\n".join(fixed), t.origin, t.ends)


# ---------------------------------------------------------------- doubled runs
_MAX_RUN = 40
_FIRST_DOUBLED = re.compile(r"(.{1,40})\1")
_MAX_DOUBLED_LINE = 400


def _doubled_parse(line: str) -> list[tuple[int, int]] | None:
    """Best cover of ``line`` by runs printed twice ("ab" "ab").

    Returns the runs as (start, length) — each stands for text[start:start+2*length] —
    when at most ~10% of the non-space characters are left uncovered, else None.
    Dynamic programming over prefix positions; cost = uncovered non-space characters.
    """
    n = len(line)
    counts = Counter(line)
    solid = n - sum(counts[c] for c in " \t\u3000\r\f\v")
    if solid < 6:
        return None
    # Fast exits for ordinary lines.  In a doubled line every character stands at least twice,
    # so more than 10% characters seen once rules it out (one C-speed count) ...
    if sum(1 for k in counts.values() if k == 1) > solid * 0.1 + 1:
        return None
    # ... and whatever stands before the first doubled run can never be covered.
    first = _FIRST_DOUBLED.search(line)
    if first is None or sum(1 for ch in line[:first.start()] if not ch.isspace()) > solid * 0.1:
        return None
    inf = n + 1
    cost = [inf] * (n + 1)
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (previous position, run length or 0)
    cost[0] = 0
    for i in range(n):
        c = cost[i]
        if c == inf:
            continue
        single = c + (0 if line[i].isspace() else 1)
        if single < cost[i + 1]:
            cost[i + 1] = single
            back[i + 1] = (i, 0)
        for k in range(1, min(_MAX_RUN, (n - i) // 2) + 1):
            if line[i:i + k] == line[i + k:i + 2 * k] and c < cost[i + 2 * k]:
                cost[i + 2 * k] = c
                back[i + 2 * k] = (i, k)
    if cost[n] > solid * 0.1:
        return None
    runs = []
    pos = n
    while pos > 0:
        prev, k = back[pos]
        if k:
            runs.append((prev, k))
        pos = prev
    runs.reverse()
    # a line of one short doubled word ("研究研究") is a genuine repeat, not PDF damage
    if len(runs) < 2 and runs[0][1] < 4:
        return None
    return runs


def collapse_doubled(t: Text) -> Text:
    """Collapse lines that are (almost) entirely made of runs printed twice.

    Only whole lines qualify, so genuine repeats inside ordinary prose
    (看看, 研究研究, a typo like 连续连续) stay as they are.
    """
    text = t.text
    pieces: list[Piece] = []
    pos = 0
    changed = False
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if len(line) > _MAX_DOUBLED_LINE or not _CJK_RE.search(line):
            continue
        runs = _doubled_parse(line)
        if not runs:
            continue
        changed = True
        s = m.start()
        pieces.append(t.piece(pos, s))
        cur = 0
        for start, k in runs:
            if start > cur:
                pieces.append(t.piece(s + cur, s + start))
            run, origin, ends = t.piece(s + start, s + start + k)
            # the one copy kept stands for both: its last character reaches the end of the second
            ends[-1] = t.end_of(s + start + 2 * k - 1)
            pieces.append((run, origin, ends))
            cur = start + 2 * k
        pieces.append(t.piece(s + cur, m.end()))
        pos = m.end()
    if not changed:
        return t
    pieces.append(t.piece(pos, len(text)))
    return _rebuild(pieces)


# ---------------------------------------------------------------- page furniture
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]?\s*\d{1,4}\s*[-–—]?|第\s*\d+\s*页(?:\s*[/共]\s*\d+\s*页?)?|\d+\s*/\s*\d+)\s*$")


def drop_furniture(t: Text) -> Text:
    """Drop bare page numbers and lines repeated on many pages (running headers/footers).

    A line counts as furniture when the same stripped text, not ending a sentence,
    occurs on several pages: three times for a short line (4–7 characters), twice for a
    longer one (a running header such as "建投研究院 2020 年 8 月 17 日").
    """
    text = t.text
    lines = list(re.finditer(r"[^\n]*", text))
    stripped = [m.group().strip() for m in lines]
    counts = Counter(s for s in stripped if len(s) >= 4)
    drop = []
    for m, s in zip(lines, stripped, strict=True):
        if not s:
            continue
        repeats = 2 if len(s) >= 8 else 3
        if _PAGE_NUMBER.match(s) or (counts[s] >= repeats and s[-1] not in "。！？"):
            drop.append((m.start(), m.end()))
    if not drop:
        return t
    pieces = []
    pos = 0
    for a, b in drop:
        pieces.append(t.piece(pos, a))
        pos = b
    pieces.append(t.piece(pos, len(text)))
    return _rebuild(pieces)


# ---------------------------------------------------------------- line joining
def _typical_width(lines: list[str]) -> float:
    """The width of a full line of body text (90th percentile of non-blank line lengths)."""
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    return float(widths[int(len(widths) * 0.9)]) if widths else 0.0


#: no page holds a hard-wrapped line of CJK body text this long: PDF extractions of A4 text are 32-48 characters wide
#: (the four PDF seeds: 32, 32, 37, 48), while files that keep one paragraph per line (news copy, HTML, work
#: reports) are wider (3,000 news stories, not 2024: 77% above 80, 92% above 60).  In such a file a line
#: break is a paragraph's or a heading's end, never a wrap: "意参议院通过预算案 总理正式辞职" over its item
#: stays a line of its own instead of running on into "意大利参议院7号通过……".
WRAP_MAX = 60
#: a line this short that ends no sentence, in such a file, is a title or headline (``extractors.headings``)
HEADLINE_MAX = 40


def join_lines(t: Text) -> Text:
    """Re-join hard-wrapped lines; keep table cells apart.

    A line break (with any blank lines after it) is removed when the line before does
    not end a sentence and the next line does not open a new block (heading number, list
    item, caption).  Paragraph breaks stay as one "\n".  Where a run of short lines
    meets a full-width line, the two are cells of a table row (PDF tables come out as a
    narrow label column wrapped beside a wide content column): they are joined with a
    TAB, so the row is read together but a name never runs on into the next cell.
    """
    text = t.text
    lines = text.split("\n")
    # Some extractions put a blank line after every line (then blank lines mean nothing),
    # others only between paragraphs (then a blank line ends a paragraph).
    solid = [i for i, ln in enumerate(lines[:-1]) if ln.strip()]
    followed_by_blank = sum(1 for i in solid if not lines[i + 1].strip())
    blank_is_break = bool(solid) and followed_by_blank < 0.5 * len(solid)
    width = _typical_width(lines)
    paragraph_lines = width > WRAP_MAX
    out: list[Piece] = []
    pos = 0
    line_start = 0
    for m in re.finditer(r"[ \t\u3000]*\n(?:[ \t\u3000]*\n)*[ \t\u3000]*", text):
        out.append(t.piece(pos, m.start()))
        prev = text[m.start() - 1] if m.start() > 0 else "\n"
        prev_line = text[line_start:m.start()].strip()
        nxt_line_end = text.find("\n", m.end())
        nxt_line = text[m.end(): nxt_line_end if nxt_line_end >= 0 else len(text)]
        joinable = (
            # a name broken over lines stays one even where lines are paragraphs ("《" / "告台湾同胞书" / "》")
            (not paragraph_lines or _inside_brackets(prev, nxt_line))
            and not (blank_is_break and m.group().count("\n") > 1)
            and prev not in _TERMINAL
            and prev != "\n"
            and nxt_line
            and not _BLOCK_START.match(nxt_line)
            and (_CJK_RE.match(prev) or _CJK_RE.match(nxt_line[0]) or prev.isdigit() or prev in "，、（“‘《【(")
        )
        nl = text.index("\n", m.start())
        if joinable and width and _BLOCK_START.match(prev_line) and len(prev_line) <= 0.5 * width \
                and m.group().count("\n") > 1:
            joinable = False  # a short numbered heading set off by a blank line is a block of its own
        if joinable and width and _heading_over_paragraph(prev_line, nxt_line, width) \
                and not _inside_brackets(prev, nxt_line):
            joinable = False  # ... and one straight above a full line of its paragraph (a PDF keeps no blank line)
        if not joinable:
            out.append(("\n", [t.origin[nl]], [t.end_of(nl)]))
        elif width >= 20 and not _inside_brackets(prev, nxt_line) and not _paragraph_tail(prev_line, nxt_line, width) \
                and _cell_edge(len(prev_line), len(nxt_line.strip()), width):
            out.append(("\t", [t.origin[nl]], [t.end_of(nl)]))
        pos = m.end()
        line_start = m.end()
    out.append(t.piece(pos, len(text)))
    joined = _rebuild(out)
    joined.paragraph_lines = paragraph_lines
    return joined


#: a line ending in an opening bracket, or followed by one starting with a closing one, is inside a title or
#: quote: "《" / "中华人民共和国行政许可法" / "》今年7月1日……" is one name broken over lines, never table cells
#: (a cell neither ends in an opening bracket nor starts with a closing one)
_OPENING = set("《“‘（【「『(")
_CLOSING = set("》”’）】」』)")


def _inside_brackets(prev: str, nxt_line: str) -> bool:
    head = nxt_line.lstrip(" \t\u3000")
    return prev in _OPENING or (bool(head) and head[0] in _CLOSING)


def _paragraph_tail(prev_line: str, nxt_line: str, width: float) -> bool:
    """A full line followed by a short one that ends a sentence: the last line of a wrapped paragraph
    ("……李克强会见瑞士联邦委员兼经济部长施" / "耐德。"), not a wide cell beside a narrow one."""
    tail = nxt_line.strip().rstrip("”’」』）)")
    return len(prev_line) >= 0.75 * width and bool(tail) and tail[-1] in _TERMINAL


def _heading_over_paragraph(prev_line: str, nxt_line: str, width: float) -> bool:
    """A numbered line short of the full width that holds no sentence end, straight above a full line: a
    heading and the first line of its paragraph ("二、对今年政府工作的建议" / "中国共产党第十六次全国代表大会，
    提出了……"), not a table's label cell beside its content (which a TAB would join, so that the heading's
    今年 dated the paragraph's events).  Checked on 14 such lines in 15,000 news stories (not 2024), the
    seeds' 2 and the work reports' PDFs: every one a heading."""
    return bool(_BLOCK_START.match(prev_line)) and len(prev_line) < 0.75 * width \
        and not set(prev_line) & _TERMINAL and len(nxt_line.strip()) >= 0.75 * width


def _cell_edge(prev_len: int, next_len: int, width: float) -> bool:
    short, full = 0.5 * width, 0.75 * width
    return (prev_len <= short and next_len >= full) or (prev_len >= full and next_len <= short)


# ---------------------------------------------------------------- spaces
_CJKP = f"{_CJK}，。、：；“”「」（）《》"
# a space goes when one side is CJK (or CJK punctuation) and the other CJK or a digit;
# a space between two digits ("2020-09-04 22:40", "2019 2020") stays
_SPACE_NEAR_CJK = re.compile(f"(?<=[{_CJKP}])[ \\u3000]+(?=[{_CJKP}\\d])|(?<=\\d)[ \\u3000]+(?=[{_CJKP}])")


def _headline_spaces(text: str, a: int) -> bool:
    """Is the space at ``a`` inside a headline's line ("意参议院通过预算案 总理正式辞职"), where it parts two
    clauses?  (In a file that keeps one paragraph per line: 1,812 titles and 249 item headlines hold such spaces
    in 5,000 news stories, not 2024.)"""
    lo = text.rfind("\n", 0, a) + 1
    hi = text.find("\n", a)
    line = text[lo:hi if hi >= 0 else len(text)].strip()
    return len(line) <= HEADLINE_MAX and line[-1] not in _TERMINAL


def squeeze_spaces(t: Text) -> Text:
    """Remove spaces next to CJK characters (PDF layout spaces: "5 月 14日", "2020 年"); a headline's spaces
    stay in a file that keeps one paragraph per line."""
    text = t.text
    spans = [(m.start(), m.end()) for m in _SPACE_NEAR_CJK.finditer(text)
             if not (t.paragraph_lines and _headline_spaces(text, m.start()))]
    if not spans:
        return t
    pieces = []
    pos = 0
    for a, b in spans:
        pieces.append(t.piece(pos, a))
        pos = b
    pieces.append(t.piece(pos, len(text)))
    squeezed = _rebuild(pieces)
    squeezed.paragraph_lines = t.paragraph_lines
    return squeezed


STEPS: tuple[Step, ...] = (fold_width, to_simplified, collapse_doubled, drop_furniture, join_lines, squeeze_spaces)
# a single line of input (``ptkg timex``): no furniture or line joining to do
LINE_STEPS: tuple[Step, ...] = (fold_width, to_simplified, collapse_doubled, squeeze_spaces)


#: the first steps of both the full normalization and the documents' line repair (``documents._LINE_STEPS``)
SHARED_STEPS: tuple[Step, ...] = (fold_width, to_simplified, collapse_doubled)
_shared: list = [None, None]  # (raw text, its SHARED_STEPS result), the last one computed


def normalize(raw: str, steps: Iterable[Step] = STEPS) -> Text:
    """``raw`` through ``steps`` in order.

    Why the memo: each file is normalized twice, whole and line by line for the document split, and both
    begin with :data:`SHARED_STEPS` over the same string; the steps are pure, so the second reuses the
    first's result (the same string object: ``raw is`` the last one).
    """
    steps = tuple(steps)
    n = len(SHARED_STEPS)
    if steps[:n] == SHARED_STEPS:
        if _shared[0] is not raw:
            t = Text.identity(raw)
            for step in SHARED_STEPS:
                t = step(t)
            _shared[:] = [raw, t]
        t = _shared[1]
        steps = steps[n:]
    else:
        t = Text.identity(raw)
    for step in steps:
        t = step(t)
    return t


#: repairs of PDF damage that keep the script and characters as written (no width folding, no t2s):
#: what a reader is shown beside the raw quote
REPAIR_STEPS: tuple[Step, ...] = (collapse_doubled, join_lines)


def repair_quote(raw: str) -> str:
    """The raw quote read through PDF damage: doubled runs collapsed, hard-wrapped lines joined,
    layout spaces inside CJK removed.  The quote stays the file as written (provenance); this is
    the sentence a reader can read.  Same as ``raw`` when there is nothing to repair."""
    # join_lines marks a short line beside a full one as table cells (TAB); inside one quote the last
    # line of a wrapped sentence is short, so the mark goes and the spaces step decides as for any space.
    joined = normalize(raw, REPAIR_STEPS).text.replace("\t", " ")
    return squeeze_spaces(Text.identity(joined)).text.strip()


def normalize_line(line: str) -> Text:
    """Normalization for one line of text (the ``ptkg timex`` door)."""
    return normalize(line, LINE_STEPS)
