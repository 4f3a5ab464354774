""""First said" (issue 13) on real sentences of 新闻联播 stories (short quotes, CCTV): what an origin statement is
about, which occasion a report belongs to, which vague statements may join which event, which reports date a
phrase, and which labels name which formulation.  Each test stands for a group of wrong answers on the full corpus
(``bench/first_said.py``): it fails on the code before the fix."""

from __future__ import annotations

import datetime as dt

from ptkg.extractors import pipeline as components
from ptkg.extractors.lexicon import load
from ptkg.extractors.mentions import find_phrases
from ptkg.extractors.model import RawText
from ptkg.graph.merge import merge
from ptkg.graph.summary import dates_phrase, first_said

LEX = load()


def _label(iri: str) -> str:
    c = LEX.concept(iri)
    return c.pref_label if c else iri


def _doc(name: str, title: str, stamp: str, *paragraphs: str):
    return components.run(RawText(name, f"{title}\n{stamp}\n\n" + "\n".join(paragraphs) + "\n", "txt"), LEX)


def _origins(m) -> set[str]:
    return {_label(a.concept) for a in m.attributions if a.how == "origin"}


def test_origin_statement_is_about_its_object_not_the_rest_of_the_sentence():
    # 20221017_13: 精准扶贫 was first proposed in 2013; the village's 乡村振兴 of today was not
    doc = _doc("a.txt", "[视频]十八洞村", "2022-10-17 19:30:00",
               "央视网消息（新闻联播）：2013年，习近平总书记在这个深度贫困村考察时首次提出精准扶贫理念，"
               "现在，村里已经走上乡村振兴之路。")
    said = set().union(*(_origins(m) for m in doc.event_mentions))
    assert "精准扶贫" in said and "乡村振兴" not in said
    # 20170720_02: a quoted object keeps its commas; what the next clause says is not of the origin
    doc = _doc("b.txt", "[视频]供给侧结构性改革", "2017-07-20 19:30:00",
               "2015年11月，习近平总书记在中央财经领导小组第十一次会议上首次提出：“在适度扩大总需求的同时，"
               "着力加强供给侧结构性改革”，当年的中央经济工作会上，供给侧结构性改革成为经济工作的主线。")
    (a,) = [a for m in doc.event_mentions for a in m.attributions if a.how == "origin"]
    assert _label(a.concept) == "供给侧结构性改革" and a.end < doc.text.text.index("当年")


def test_a_mentions_own_occasion_is_not_a_citation_of_a_recalled_one():
    # 20200512_01: "……近日在山西考察时强调，……六稳……" is the report of this tour, not the 2017 tour the story recalls
    doc = _doc("c.txt", "[视频]习近平在山西考察时强调 全面建成小康社会 乘势而上 书写新时代中国特色社会主义新篇章",
               "2020-05-12 19:22:03",
               "央视网消息（新闻联播）：中共中央总书记、国家主席、中央军委主席习近平近日在山西考察时强调，要全面贯彻党的十九大"
               "和十九届二中、三中、四中全会精神，坚持稳中求进工作总基调，扎实做好“六稳”工作，全面落实“六保”任务。",
               "2017年6月，习近平在山西考察时提出让汾河“水量丰起来、水质好起来、风光美起来”的要求。")
    old = [m for m in doc.event_mentions if m.date.not_before and m.date.not_before.year == 2017]
    now = [m for m in doc.event_mentions if m.date.not_before and m.date.not_before.year == 2020 and "山西" in m.name]
    assert old and now
    assert not any(_label(p) in ("六稳", "六保") for m in old for p in m.phrases)
    assert any({"六稳", "六保"} <= {_label(p) for p in m.phrases} for m in now)


def test_a_step_back_in_time_does_not_take_the_report_that_follows():
    # 20200417_01: "4月15日，……常委会会议……提请中央政治局会议审议。" is background; "会议强调" is the meeting of 4月17日
    doc = _doc("d.txt", "[视频]中共中央政治局召开会议", "2020-04-17 19:16:02",
               "央视网消息（新闻联播）：中共中央政治局4月17日召开会议，分析国内外新冠肺炎疫情防控形势。",
               "4月15日，习近平总书记主持召开中央政治局常委会会议，听取疫情防控工作和当前经济形势的汇报，研究当前疫情防控和"
               "经济工作，决定将有关意见提请中央政治局会议审议。",
               "会议强调，当前经济发展面临的挑战前所未有，必须充分估计困难、风险和不确定性，切实增强紧迫感，抓实经济社会发展"
               "各项工作。要坚持稳中求进工作总基调，加大“六稳”工作力度，保居民就业、保基本民生、保市场主体、保粮食能源安全、"
               "保产业链供应链稳定、保基层运转，坚定实施扩大内需战略。")
    about = {m.date.not_before: {_label(p) for p in m.phrases} for m in doc.event_mentions if m.date.not_before}
    assert "六保" in about[dt.date(2020, 4, 17)]
    assert "六保" not in about.get(dt.date(2020, 4, 15), set())


def test_a_vague_statement_of_origin_does_not_join_the_origin_of_another_phrase():
    # "2013年10月，习近平……提出" (20141024_05, 亚投行) agrees by name with "习近平提出" and so with the Jakarta
    # speech of 2013-10-03 (20181003_09); "2013年，……首次提出了“精准扶贫”" (20160213_02) must not be dated to it
    docs = [
        _doc("20141024_05.txt", "[视频]习近平会见亚投行首批意向创始成员国代表", "2014-10-24 19:30:00",
             "2013年10月，习近平主席在访问东南亚时提出了筹建亚投行的倡议，得到积极响应和广泛支持。"),
        _doc("20181003_09.txt", "[视频]“一带一路”倡议提出五年", "2018-10-03 19:30:00",
             "央视网消息（新闻联播）：2013年10月3日，习近平主席在印度尼西亚国会发表演讲时首次提出共同建设21世纪海上丝绸之路"
             "倡议。"),
        _doc("20160213_02.txt", "[视频]十八洞村", "2016-02-13 19:30:00",
             "央视网消息（新闻联播）：2013年，习近平总书记来到这个苗族村寨，首次提出了“精准扶贫”的重要思想。"),
    ]
    events = merge([m for d in docs for m in d.event_mentions], LEX)
    poverty = [e for e in events if any("精准扶贫" in _origins(m) for m in e.mentions)]
    assert poverty
    assert all(e.not_before != dt.date(2013, 10, 3) for e in poverty)
    assert all(not any("21世纪海上丝绸之路" in _origins(m) for m in e.mentions) for e in poverty)


def test_a_vague_report_does_not_date_a_phrase():
    # 20211215_01 (习近平同俄罗斯总统举行视频会晤): "今年9月，我在第七十六届联合国大会上提出全球发展倡议" is a month
    # in a December story: merged by name into some day of the General Assembly it would date the phrase there
    vague = _doc("e.txt", "[视频]习近平同俄罗斯总统举行视频会晤", "2021-12-15 19:30:00",
                 "习近平指出，今年9月，我在第七十六届联合国大会上提出全球发展倡议。")
    day = _doc("f.txt", "[视频]习近平出席第七十六届联合国大会一般性辩论", "2021-09-22 19:30:00",
               "国家主席习近平21日在北京以视频方式出席第七十六届联合国大会一般性辩论并发表重要讲话。"
               "习近平提出全球发展倡议：一是坚持发展优先。")
    gdi = "全球发展倡议"

    def reports(doc):
        return [(m, a) for m in doc.event_mentions for a in m.attributions if _label(a.concept) == gdi]

    assert reports(vague) and not any(dates_phrase(m, a, vague.documents[0].date, LEX) for m, a in reports(vague))
    assert reports(day) and all(dates_phrase(m, a, day.documents[0].date, LEX) for m, a in reports(day))
    events = merge([m for d in (vague, day) for m in d.event_mentions], LEX)
    docs = [x for d in (vague, day) for x in d.documents]
    (row,) = [r for r in first_said(events, LEX, docs) if r.label == gdi]
    assert row.event.not_before == row.event.not_after == dt.date(2021, 9, 21)


def test_expanded_forms_name_their_formulation_and_the_ancient_route_is_not_the_initiative():
    found = {_label(p.key) for p in find_phrases(
        "要做好稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期工作。"  # 20180731_01
        "只有增强政治意识、大局意识、核心意识、看齐意识，自觉在思想上政治上行动上同以习近平同志为核心的党中央保持高度一致。",
        LEX)}  # 20160129_01
    assert {"六稳", "四个意识"} <= found
    assert not find_phrases("伊本·白图泰就是海上丝绸之路的先行者。", LEX)  # the old sea route (2019)
    assert not any(_label(p.key) == "全面从严治党" for p in find_phrases(
        "要进一步加强党的建设，突出党要管党、从严治党。", LEX))  # 20130228_02: before 全面从严治党 (2014)


def test_a_lead_visit_of_some_days_ago_is_dated_by_the_stops_its_story_tells():
    # 20141214_02: "近日在江苏调研" is a month wide; the story's stop "13日下午，他来到……考察" (no name: 他) dates the
    # tour, so 四个全面 of the lead is said on the tour's days, not "2014-11-14..12-14"
    doc = _doc("20141214_02.txt", "[视频]习近平总书记在江苏考察工作：希望大家日子都过得殷实", "2014-12-14 19:30:00",
               "央视网消息(新闻联播)：中共中央总书记、国家主席、中央军委主席习近平近日在江苏调研时强调，要协调推进全面建成"
               "小康社会、全面深化改革、全面推进依法治国、全面从严治党，推动改革开放和社会主义现代化建设迈上新台阶。",
               "习近平对物流业和民营企业发展十分关注。13日下午，他来到惠龙易通物流公司考察。")
    lead = [e for e in merge(doc.event_mentions, LEX) if "四个全面" in {_label(p) for p in e.phrases}]
    assert [(str(e.not_before), str(e.not_after)) for e in lead] == [("2014-12-13", "2014-12-13")]
    # 20160720_01: two stops on two days (18日, 19日) are two events: the lead visit, meeting both, joins neither
    # and is an event of the tour's days
    doc = _doc("20160720_01.txt", "[视频]习近平在宁夏考察时强调 决胜全面建成小康社会", "2016-07-20 19:30:00",
               "央视网消息（新闻联播）：中共中央总书记、国家主席、中央军委主席习近平近日在宁夏考察时强调，要全面建成小康社会。",
               "18日下午，习近平在固原市冒雨考察了两个村的脱贫攻坚工作。",
               "19日下午，习近平在银川考察了宁浙创业园和宁东能源化工基地。")
    (tour,) = [e for e in merge(doc.event_mentions, LEX) if e.name == "习近平在宁夏考察"]
    assert (str(tour.not_before), str(tour.not_after)) == ("2016-07-18", "2016-07-19")


def test_on_the_same_day_the_occasion_with_its_speaker_answers_not_the_evenings_commentary():
    # 20250901_04 (CCTV commentary, no speaker) and 20250902_10 (the meeting of 9月1日 where 习近平 郑重提出 it): both
    # are of 2025-09-01; "first said by whom" is the meeting's 习近平, whatever the IRIs' order
    commentary = _doc("20250901_04.txt", "[视频]央视快评：当好践行全球治理倡议的表率 携手迈向人类命运共同体",
                      "2025-09-01 19:30:00",
                      "央视网消息（新闻联播）：本台今天（9月1日）播发央视快评"
                      "《当好践行全球治理倡议的表率 携手迈向人类命运共同体》。")
    meeting = _doc("20250902_10.txt", "[视频]凝聚上合力量 携手迈向人类命运共同体", "2025-09-02 19:30:00",
                   "央视网消息（新闻联播）：9月1日，习近平主席主持上海合作组织成员国元首理事会第二十五次会议、“上海合作组织+”会议，"
                   "并发表重要讲话，郑重提出全球治理倡议。")
    events = merge(commentary.event_mentions + meeting.event_mentions, LEX)
    (row,) = [r for r in first_said(events, LEX, commentary.documents + meeting.documents) if r.label == "全球治理倡议"]
    assert str(row.event.not_before) == "2025-09-01" and "习近平" in row.event.speakers


def test_who_said_it_solemnly_is_the_speaker_not_a_person_named_zhengzhong():
    # 20250609_01: "习近平主席郑重提出全球文明倡议" (主席/总书记郑重提出/宣布 in 13 stories): 郑重 is how, not who
    doc = _doc("20250609_01.txt", "[视频]文明交流互鉴", "2025-06-09 19:30:00",
               "2023年3月，在中国共产党与世界政党高层对话会上，习近平主席郑重提出全球文明倡议，倡导尊重世界文明多样性。")
    assert doc.event_mentions and not any("郑重" in m.speakers for m in doc.event_mentions)
