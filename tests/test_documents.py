"""split_documents on the seeds and on small files that exercise one rule each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ptkg.extractors.documents import split_documents
from ptkg.extractors.model import Document, LineIndex, RawText
from ptkg.extractors.normalize import normalize
from ptkg.extractors.readers import read_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


# a real paragraph of seed 003 (a repeated sentence would be collapsed as doubled PDF text)
FILLER = (SEEDS / "003_35bffe073971c21c.txt").read_text(encoding="utf-8").split("\n")[6]


def split_seed(name: str) -> tuple[RawText, list[Document], LineIndex, list[int]]:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    raw = read_file(path, SEEDS)
    text = normalize(raw.text)
    docs = split_documents(raw, text)
    lines = LineIndex(raw.text)
    return raw, docs, lines, [lines.line_of(text.origin[d.start]) for d in docs]


def split_text(body: str, path: str = "doc.txt", meta: dict[str, str] | None = None) -> list[Document]:
    raw = RawText(path=path, text=body, format="txt", encoding="utf-8", meta=meta or {})
    return split_documents(raw, normalize(body))


def test_003_holds_a_speech_and_a_commentary() -> None:
    raw, docs, _lines, first_lines = split_seed("003")
    assert len(docs) == 2
    speech, commentary = docs
    assert first_lines == [1, 44]
    assert speech.date == dt.date(2020, 12, 23) and speech.date_evidence == "（2020年12月23日）"
    assert speech.title == "在市委理论务虚会上的讲话"
    assert commentary.date == dt.date(2020, 9, 4) and commentary.date_evidence == "2020-09-04 22:40"
    assert commentary.author == "倪月菊"
    assert commentary.title == "从外贸依存度变化看强化“国内大循环”的意义"
    assert [d.index for d in docs] == [0, 1]
    assert speech.start == 0 and speech.end == commentary.start and commentary.end == len(normalize(raw.text).text)
    assert all(d.source == "003_35bffe073971c21c.txt" for d in docs)


def test_001_is_dated_by_its_running_header() -> None:
    _raw, docs, _lines, _ = split_seed("001")
    assert len(docs) == 1
    assert docs[0].date == dt.date(2020, 8, 17)
    assert docs[0].publisher == "建投研究院"
    assert "2020 年 8 月 17 日" in docs[0].date_evidence


@pytest.mark.parametrize("name", ["000", "004"])
def test_undated_seeds_stay_one_undated_document(name: str) -> None:
    _raw, docs, _lines, _ = split_seed(name)
    assert len(docs) == 1
    assert docs[0].date is None and docs[0].date_evidence is None
    assert docs[0].title is None  # a section heading or an abstract is not a title


def test_002_traditional_title_as_written() -> None:
    _raw, docs, _lines, _ = split_seed("002")
    assert len(docs) == 1 and docs[0].date is None
    assert docs[0].title == "中國經濟「雙循環」新格局：大船轉舵"


PART_B = """关于推进新型城镇化的若干意见

2020年9月4日 来源：新华网 作者：张三

各地区、各部门要深化改革，推进以人为核心的新型城镇化。"""


def test_split_after_a_long_gap_with_source_and_author_fields() -> None:
    part_a = "第一篇文章标题\n（2020年5月14日）\n" + FILLER
    docs = split_text(part_a + "\n\n\n\n" + PART_B)
    assert [d.date for d in docs] == [dt.date(2020, 5, 14), dt.date(2020, 9, 4)]
    assert docs[1].title == "关于推进新型城镇化的若干意见"
    assert docs[1].publisher == "新华网" and docs[1].author == "张三"


def test_no_split_without_a_gap_or_on_a_dated_sentence() -> None:
    # a heading then a *sentence* that begins with a date is body text, not a dateline
    body = FILLER + "\n\n\n\n二、深刻理解新发展格局\n\n"
    body += "2020年5月14日，中共中央政治局常务委员会会议首次提出。"
    assert len(split_text(body)) == 1
    # a title + dateline with only one blank line before it, and no column tag: one document
    body = FILLER + "\n\n" + PART_B
    assert len(split_text(body)) == 1


def test_column_title_splits_without_a_gap() -> None:
    body = FILLER + "\n【评论】稳中求进\n2021-01-05 08:00\n文/李四\n正文内容。"
    docs = split_text(body)
    assert len(docs) == 2
    assert docs[1].title == "稳中求进" and docs[1].author == "李四" and docs[1].date == dt.date(2021, 1, 5)


def test_signature_date_and_chinese_numerals() -> None:
    body = "关于做好就业工作的通知\n各省、自治区、直辖市人民政府：\n" + FILLER
    body += "\n国务院办公厅\n二〇二〇年十二月二十三日"
    docs = split_text(body)
    assert docs[0].date == dt.date(2020, 12, 23) and docs[0].date_evidence == "二〇二〇年十二月二十三日"


def test_meta_then_file_name_dates() -> None:
    body = "一段没有日期的正文，讲述双循环。" * 5
    assert split_text(body, meta={"date": "2020-09-04"})[0].date == dt.date(2020, 9, 4)
    assert split_text(body, path="in/2020-08-17_report.txt")[0].date == dt.date(2020, 8, 17)
    assert split_text(body, path="in/report_20200817.txt")[0].date_evidence == "file name report_20200817.txt"
    # digits inside a hash are not a date
    assert split_text(body, path="001_a20200817b.txt")[0].date is None
    # a dateline beats the meta and the file name
    dated = "标题\n2021年3月5日\n" + body
    assert split_text(dated, path="2020-08-17.txt", meta={"date": "2019-01-01"})[0].date == dt.date(2021, 3, 5)


def test_doubled_pdf_dateline_is_read() -> None:
    body = "标题标题很重要\n20202020年年55月月1414日日\n" + "会议指出，要构建新发展格局。" * 3
    assert split_text(body)[0].date == dt.date(2020, 5, 14)
