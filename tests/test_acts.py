"""Dated acts of news copy (``extractors.acts``): each family is recognized, named after who acted and dated
by the story; acts the story does not date, and words that only look like acts, make no event.

The fixtures are one or two sentences of 新闻联播 stories (CCTV), under a title line and a broadcast
dateline as the corpus files have them."""

from __future__ import annotations

from ptkg.extractors.lexicon import load
from ptkg.extractors.readers import read_file

from ptkg.pipeline import extract


def _events(tmp_path, title: str, day: str, body: str) -> list[tuple[str, str, str, list[str]]]:
    p = tmp_path / "story.txt"
    p.write_text(f"{title}\n{day} 19:00:00\n\n{body}\n", encoding="utf-8")
    ms = extract(read_file(p, tmp_path), load()).mentions
    return [(m.kind, m.name, m.date.not_before.isoformat(), sorted(m.speakers)) for m in ms]


def test_talks_name_the_counterpart_after_the_modifier_and_both_sides_speak(tmp_path):
    ev = _events(tmp_path, "普京会见叙利亚总统", "2021-09-14",
                 "俄罗斯总统普京13日在莫斯科会见到访的叙利亚总统巴沙尔·阿萨德。")
    talks = [e for e in ev if e[0] == "Meeting"]
    assert len(talks) == 1
    kind, name, day, speakers = talks[0]
    assert name.startswith("普京会见") and name.endswith("阿萨德") and "到访" not in name
    assert day == "2021-09-13"
    assert "普京" in speakers


def test_three_sided_talks_are_one_event_with_every_side(tmp_path):
    ev = _events(tmp_path, "伊俄土领导人会谈", "2022-07-20",
                 "19日，伊朗总统莱希、俄罗斯总统普京和土耳其总统埃尔多安在伊朗首都德黑兰举行会谈。")
    talks = [e for e in ev if e[0] == "Meeting"]
    assert len(talks) == 1 and talks[0][2] == "2022-07-19"
    assert {"普京", "莱希"} <= set(talks[0][3])


def test_a_message_is_the_senders_speech(tmp_path):
    ev = _events(tmp_path, "李克强致电祝贺", "2018-08-18",
                 "国务院总理李克强8月17日致电伊姆兰·汗，祝贺他当选巴基斯坦总理。")
    assert ("Speech", "李克强致电伊姆兰·汗", "2018-08-17", ["李克强"]) in ev


def test_an_instruction_is_named_with_what_it_is_about(tmp_path):
    ev = _events(tmp_path, "习近平作出重要指示", "2026-05-23",
                 "22日，中共中央总书记、国家主席、中央军委主席习近平对山西长治市沁源县一煤矿瓦斯爆炸事故作出重要指示。")
    assert ("Speech", "习近平对山西长治市沁源县一煤矿瓦斯爆炸事故作出重要指示", "2026-05-22", ["习近平"]) in ev


def test_an_instruction_without_an_actor_or_a_date_is_no_event(tmp_path):
    ev = _events(tmp_path, "煤矿事故", "2026-05-23",
                 "事故发生后作出重要指示，要求全力搜救被困人员。")
    assert ev == []


def test_a_press_conference_is_named_after_the_body_that_held_it(tmp_path):
    ev = _events(tmp_path, "妇联发布会", "2022-09-29",
                 "今天（9月29日），全国妇联召开新闻发布会，介绍妇联组织在推动妇女发展方面取得的成果。")
    names = [(e[1], e[2]) for e in ev]
    assert any(n.endswith("新闻发布会") and "妇" in n and d == "2022-09-29" for n, d in names)


def test_a_ceremony_held_is_named_by_its_noun_and_dated(tmp_path):
    ev = _events(tmp_path, "清明公祭轩辕黄帝典礼", "2021-04-04",
                 "今天（4月4日），辛丑年清明公祭轩辕黄帝典礼在陕西延安举行。")
    assert ("Event", "辛丑年清明公祭轩辕黄帝典礼", "2021-04-04", []) in ev


def test_a_law_or_budget_passed_is_an_event_a_road_is_not(tmp_path):
    ev = _events(tmp_path, "意大利参议院通过预算案", "2016-12-08",
                 "意大利参议院7号通过2017年度财政预算案。")
    assert any(e[2] == "2016-12-07" and "预算案" in e[1] for e in ev)
    ev = _events(tmp_path, "新路通车", "2016-12-08", "这条公路7号通过验收，车辆通过大桥。")
    assert not any("通过" in e[1] for e in ev)


def test_a_state_visit_is_dated_by_its_span(tmp_path):
    ev = _events(tmp_path, "卢拉将访华", "2023-04-11",
                 "经双方商定，巴西联邦共和国总统卢拉将于4月12日至15日对中国进行国事访问。")
    visits = [e for e in ev if e[0] == "Visit"]
    assert visits and visits[0][1].endswith("国事访问") and visits[0][2] == "2023-04-12"


def test_an_undated_act_is_no_event(tmp_path):
    """The broadcast dateline dates the story, not an act the story leaves undated."""
    ev = _events(tmp_path, "习近平会见法国总统", "2016-09-06", "习近平会见法国总统，双方谈得很好。")
    assert ev == []


def test_a_heading_joined_to_the_paragraph_is_not_its_actor(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("国际联播快讯\n2019-08-03 19:35:03\n\n央视网消息（新闻联播）：\n"
                 "联合国安理会对埃博拉疫区安全局势表关切\n"
                 "俄罗斯副外长里亚布科夫2日表示，美国对俄罗斯发起第二轮制裁损害俄美关系。\n", encoding="utf-8")
    ms = extract(read_file(p, tmp_path), load()).mentions
    assert not any("埃博拉" in m.name and "里亚布科夫" in m.name for m in ms)


def test_the_same_day_word_takes_the_day_of_the_event_last_told(tmp_path):
    """当天 inside a sentence is the day of the talks told before it, not the broadcast day (GOLD-SCHEMA)."""
    ev = _events(tmp_path, "伊俄土领导人会谈", "2022-07-20",
                 "19日，伊朗总统莱希、俄罗斯总统普京和土耳其总统埃尔多安在伊朗首都德黑兰举行会谈。"
                 "三方就叙利亚问题交换意见。伊朗总统莱希当天谴责美国在叙非法驻军导致地区局势不稳。")
    condemn = [e for e in ev if "谴责" in e[1]]
    assert condemn and condemn[0][2] == "2022-07-19" and condemn[0][3] == ["莱希"]

