"""Repair steps on the seeds' real damage: each step alone, and offsets back to the raw file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ptkg.extractors.model import LineIndex, Text
from ptkg.extractors.normalize import (
    collapse_doubled,
    drop_furniture,
    fold_width,
    join_lines,
    normalize,
    repair_quote,
    squeeze_spaces,
    to_simplified,
)
from ptkg.graph.build import PTK
from rdflib import Graph

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_collapse_doubled_runs_from_seed_000():
    raw = "20202020年年55月月1414日日，，中共中中共中\n央政治局常务委员会会议首次提央政治局常务委员会会议首次提\n"
    t = collapse_doubled(Text.identity(raw))
    assert t.text == "2020年5月14日，中共中\n央政治局常务委员会会议首次提\n"
    # the kept "日" stands for both raw copies
    i = t.text.index("日")
    assert raw[slice(*t.raw_span(0, i + 1))] == "20202020年年55月月1414日日"


@pytest.mark.parametrize("line", ["大家要看看研究研究再说", "又比如昆山，连续连续16年稳居中国百强县第一名", "研究研究"])
def test_genuine_repeats_stay(line):
    assert collapse_doubled(Text.identity(line)).text == line


def test_seed_003_typo_stays():
    raw = seed("003")
    assert "连续连续16年" in normalize(raw).text


def test_seed_000_reads_through_doubling():
    t = normalize(seed("000")).text
    assert "2020年5月14日，中共中央政治局常务委员会会议首次提出要深化供给侧结构性改革" in t
    assert "习近平总书记2013年提出“一带一路”倡议" in t


def test_fold_width_keeps_cjk_punctuation():
    t = fold_width(Text.identity("２０２０年５月１４日，ＡＢＣ（草案）"))
    assert t.text == "2020年5月14日，ABC（草案）"


def test_to_simplified_keeps_offsets():
    raw = "中央政治局常委會議首次提出「構建國內國際雙循環」"
    t = to_simplified(Text.identity(raw))
    assert t.text == "中央政治局常委会议首次提出「构建国内国际双循环」"
    assert t.origin == list(range(len(raw)))


def test_squeeze_spaces_inside_dates_not_between_numbers():
    assert squeeze_spaces(Text.identity("5 月 14日，2020 年 8 月 17 日")).text == "5月14日，2020年8月17日"
    assert squeeze_spaces(Text.identity("2020-09-04 22:40")).text == "2020-09-04 22:40"


def test_furniture_removed_from_seed_001():
    raw = seed("001")
    t = drop_furniture(Text.identity(raw)).text
    assert "请仔细阅读在本报告尾部的重要声明" not in t
    assert "建投研究院  2020 年 8 月 17 日" not in t
    assert "刘鹤副总理" in t


def test_join_lines_rejoins_hard_wraps_and_keeps_table_cells():
    t = normalize(seed("001")).text
    assert "5月份以来，习总书记在不同场合多次提到“逐步形成以国内大循环为主体、国内国际双循环相互促进的新发展格局”" in t
    # table row: the label cell's lines are joined, the content cell stays apart (TAB)
    assert "5月23日习近平看望参加政协会议的经济界委员\t面向未来" in t
    assert "6月18日第十二届陆家嘴论坛\t刘鹤书面致辞" in t
    # a date split by a page break is joined again once the page furniture is gone
    assert "7月30日政治局会议指出" in t


def test_join_lines_blank_lines_as_paragraph_breaks_in_seed_000():
    t = join_lines(collapse_doubled(Text.identity(seed("000")))).text
    assert "\n2020年5月下旬，全国两会期间" in t


def test_offsets_point_at_raw_lines():
    raw = seed("001")
    t = normalize(raw)
    lines = LineIndex(raw)
    i = t.text.index("6月18日第十二届")
    a, _ = t.raw_span(i, i + 6)
    assert lines.line_of(a) == 90
    assert raw.splitlines()[89].startswith("6 月 18日")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("20年月日，。 \n　２５中国国際雙循环看看ab\t")), max_size=80))
def test_normalize_never_breaks_offsets(raw):
    t = normalize(raw)
    assert len(t.origin) == len(t.text)
    for i in range(len(t.text)):
        a, b = t.raw_span(i, i + 1)
        assert 0 <= a < b <= len(raw)
    assert all(x <= y for x, y in zip(t.origin, t.origin[1:], strict=False))


def test_repair_quote_reads_seed_000_through_doubling_and_wrapping():
    """The key meeting's quote as the PDF extraction wrote it (lines 4-9 of seed 000) becomes one readable
    sentence, in the script as written; a clean sentence comes back unchanged."""
    raw = "\n".join(seed("000").splitlines()[3:9])
    assert "20202020" in raw
    fixed = repair_quote(raw)
    assert fixed.startswith("2020年5月14日，中共中央政治局常务委员会会议首次提出要深化供给侧结构性改革")
    assert "\n" not in fixed and "中中" not in fixed
    assert repair_quote("研究研究这个问题。") == "研究研究这个问题。"
    trad = "5 月 14 日，中共中央政治局常務委員會\n會議首次提出"
    assert repair_quote(trad) == "5月14日，中共中央政治局常務委員會會議首次提出"


def test_graph_keeps_raw_quote_and_adds_repaired_one(tmp_path: Path) -> None:
    """Built from seed 000: the mention keeps ptk:quote as written and gains ptk:repairedQuote beside it."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), src)
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", str(src), "-o", str(tmp_path / "out")],
                       cwd=SEEDS.parent, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    pairs = [(str(q), str(g.value(m, PTK.repairedQuote))) for m, q in g.subject_objects(PTK.quote)
             if str(q).startswith("20202020年年55月月1414日日")]
    assert pairs
    for raw, fixed in pairs:
        assert fixed.startswith("2020年5月14日，中共中央政治局常务委员会会议首次提出") and fixed != raw


def test_a_paragraphs_last_line_and_a_title_broken_over_lines_are_no_table_cells():
    """A PDF wraps prose at its width: the short last line of a paragraph ("…兼经济部长施" / "耐德。") and a title
    broken at its brackets ("《" / "中华人民共和国行政许可法" / "》今年…", as the 2004 work report's text has
    it) are joined plainly; a TAB there cut event names in two. Seed 001's table keeps its TABs (test above)."""
    body = ("各级政府都要按照法定权限和程序行使权力、履行职责。所有政府工作人员都要学会并善于依法处理经济社会事务。"
            "要改革行政执法体制，相对集中行政许可权和行政处罚权，推进综合执法试点，解决多头执法和乱罚款等问题。") * 3
    lines = [body[i:i + 45] for i in range(0, len(body) // 45 * 45, 45)]
    para = "\n".join(lines + ["侵权要赔偿。"])
    assert "\t" not in join_lines(Text.identity(para)).text
    title = "\n".join(lines + ["做到有权必有责、用权受监督、侵权要赔偿。《", "中华人民共和国行政许可法",
                               "》今年7月1日将正式施行，这是规范政府行为的一部重要法律，各级政府必须认真执行。"])
    assert "《中华人民共和国行政许可法》今年7月1日" in join_lines(Text.identity(title)).text


def test_a_numbered_heading_straight_above_its_paragraph_is_a_line_of_its_own():
    """A PDF keeps no blank line under a heading: "二、今年经济社会发展的总体要求……" straight above the full first
    line of its paragraph (the 2013 work report made into a PDF) stays a line of its own; a TAB there read the
    heading's 今年 into the paragraph's 党的十八大 and dated it. A heading wrapped inside a title ("三、关于《" /
    "…纲要（草案）") is still joined."""
    body = ("党的十八大科学总结了过去五年的工作和党的十六大以来的奋斗历程和历史性成就，确定了全面建成小康社会和全面深化"
            "改革开放的目标，对进一步推进中国特色社会主义事业作出了全面部署。") * 2
    lines = [body[i:i + 45] for i in range(0, len(body) // 45 * 45, 45)]
    heading = "二、今年经济社会发展的总体要求、主要预期目标和宏观经济政策"
    before = "这是一段全宽的正文，说明前一节的内容，到这里结束。"
    t = join_lines(Text.identity("\n".join([before, heading, *lines]))).text
    assert f"\n{heading}\n{lines[0]}" in t, t[:200]
    title = ["三、关于《", "国民经济和社会发展第十一个五年规划纲要（草案）"]
    wrapped = join_lines(Text.identity("\n".join([*title, *lines]))).text
    assert wrapped.startswith("三、关于《国民经济和社会发展第十一个五年规划纲要（草案）"), wrapped[:80]
