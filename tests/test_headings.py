"""Titles and item headlines of news stories name the events under them (``extractors.headings``).

The texts are laid out as the 新闻联播 corpus keeps a story (title, dateline, one paragraph per line) with short
sentences in the style of its compiled stories (国际联播快讯); they were written for these tests."""

from __future__ import annotations

from ptkg.extractors.lexicon import load
from ptkg.extractors.normalize import normalize
from ptkg.extractors.readers import read_file

from ptkg.pipeline import extract

PARAGRAPH = "，".join(["双方表示将继续就有关问题保持沟通"] * 4) + "。"

COMPILED = (
    "[视频]国际联播快讯\n2019-08-03 19:35:03\n\n央视网消息（新闻联播）：\n"
    "俄副外长：美新制裁损害俄美关系\n"
    "俄罗斯副外长里亚布科夫2日表示，美国对俄罗斯发起的新一轮制裁损害俄美关系，俄罗斯对此表示遗憾。" + PARAGRAPH + "\n"
    "意参议院通过预算案 总理正式辞职\n"
    "意大利参议院2日通过2017年度财政预算案。" + PARAGRAPH + "\n"
    "大陆专业救助船首访台湾\n"
    "大陆最大的专业救助船东海救101轮，今天从福建湄洲岛启航赴台湾，进行救捞装备展示和开放参观等交流活动。\n"
    "印尼亚齐地震死亡人数过百\n"
    "印度尼西亚灾害应对部门今天确认，亚齐特区地震造成的死亡人数已上升到102人，另有700多人受伤。\n"
)


def _events(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return extract(read_file(p, tmp_path), load(None)).mentions


def test_item_headlines_name_the_acts_under_them_and_a_compilation_s_title_names_none(tmp_path):
    ms = _events(tmp_path, "kuaixun.txt", COMPILED)
    by_name = {m.name: m for m in ms}
    statement = by_name["俄副外长：美新制裁损害俄美关系"]
    assert (statement.date.not_before.isoformat(), statement.speakers) == ("2019-08-02", ["里亚布科夫"])
    # a headline of two clauses names the paragraph's first event with its first clause
    assert by_name["意参议院通过预算案"].date.not_before.isoformat() == "2019-08-02"
    assert not any("国际联播快讯" in m.name for m in ms)


def test_a_dated_item_with_no_act_is_the_event_its_headline_says_unless_it_reports_a_disaster(tmp_path):
    ms = _events(tmp_path, "kuaixun.txt", COMPILED)
    ship = [m for m in ms if m.name == "大陆专业救助船首访台湾"]
    assert [(m.date.not_before.isoformat(), m.kind) for m in ship] == [("2019-08-03", "Event")]
    assert "今天从福建湄洲岛启航赴台湾" in ship[0].quote  # the sentence that dates it is its evidence
    assert not any("地震" in m.name for m in ms)


def test_a_title_names_the_statement_of_its_lede_but_not_a_recalled_day(tmp_path):
    story = ("[视频]俄罗斯副外长：欧盟制裁是干涉内政表现\n2021-03-23 19:36:02\n\n"
             "央视网消息（新闻联播）：俄罗斯副外长格鲁什科22日表示，欧盟对俄制裁只会导致俄欧关系更加恶化，"
             "是干涉俄内政的表现。" + PARAGRAPH + "\n")
    ms = _events(tmp_path, "statement.txt", story)
    assert [(m.name, m.speakers) for m in ms] == [("俄罗斯副外长：欧盟制裁是干涉内政表现", ["格鲁什科"])]
    recalled = ("[视频]【我们的国旗】让五星红旗在太空飘扬\n2014-10-03 19:15:39\n\n"
                "央视网消息（新闻联播）：6年前的9月27号，航天员翟志刚在太空中挥舞国旗，中国人的足迹第一次留在太空。"
                + PARAGRAPH + "\n")
    assert not any(m.name == "让五星红旗在太空飘扬" for m in _events(tmp_path, "flag.txt", recalled))


def test_a_file_of_paragraph_lines_keeps_its_headlines_apart_and_a_pdf_s_wraps_are_joined():
    t = normalize(COMPILED)
    assert t.paragraph_lines
    assert "\n意参议院通过预算案 总理正式辞职\n意大利参议院" in t.text  # neither run on nor squeezed
    # a title broken over lines by the text's extraction stays one name (1979 work report: "《" / "告台湾同胞书" / "》")
    report = normalize("　　" + PARAGRAPH + "我们十分想念在台湾的骨肉同胞。今年元旦，全国人大常委会发表了《\n"
                       "告台湾同胞书\n》，宣告了我们对台湾归回祖国的大政方针。\n")
    assert report.paragraph_lines and "发表了《告台湾同胞书》，宣告" in report.text
    wrapped = "\n".join(["国务院总理李克强8月24日主持召开国务院常务会议，部署进",
                         "一步扩大内需促进消费的措施，确定支持民营企业发展的政策",
                         "，要求各地抓好落实。会议指出，要推动形成以国内大循环为", "主体的新发展格局。"])
    pdf = normalize(wrapped)
    assert not pdf.paragraph_lines
    assert "部署进一步扩大内需促进消费的措施，确定支持民营企业发展的政策，要求" in pdf.text
