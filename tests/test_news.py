"""News-style text the seeds do not hold: ledes with the date after the body, chairs named in the
next sentence, Traditional script, a manifest giving the publication date.  Written for this
project in the style of Xinhua copy."""

from __future__ import annotations

import pytest
from ptkg.extractors.lexicon import load
from ptkg.extractors.readers import read_file

from ptkg.pipeline import extract

NEWS = {
    "politburo.txt": (
        "2020-07-30",
        "新华社北京7月30日电\n中共中央政治局7月30日召开会议，分析研究当前经济形势，部署下半年经济工作。"
        "中共中央总书记习近平主持会议。\n会议强调，要加快形成以国内大循环为主体、国内国际双循环相互促进的新发展格局。\n",
    ),
    "reform.txt": (
        "2020-09-01",
        "中共中央總書記、國家主席習近平9月1日下午主持召開中央全面深化改革委員會第十五次會議並發表重要講話。"
        "他強調，構建新發展格局是事關全局的系統性深層次變革。\n",
    ),
    "state-council.txt": (
        "2020-08-24",
        "国务院总理李克强8月24日主持召开国务院常务会议，部署进一步扩大内需。\n",
    ),
    "expo.txt": (
        "2020-11-05",
        "第三届中国国际进口博览会11月4日晚在上海开幕。\n国务院办公厅近日印发《关于进一步做好稳外贸稳外资工作的意见》。\n",
    ),
    "tour.txt": (
        "2020-09-18",
        "新华社长沙9月18日电　中共中央总书记、国家主席、中央军委主席习近平近日在湖南考察时强调，"
        "要加快构建新发展格局。\n"
        "9月16日至18日，习近平在湖南省委书记许达哲和省长毛伟明陪同下，先后来到郴州、长沙等地，深入农村、学校、企业进行调研。\n",
    ),
    "conference.txt": (
        "2020-12-18",
        "新华社北京12月18日电　中央经济工作会议12月16日至18日在北京举行。"
        "中共中央总书记、国家主席习近平出席会议并发表重要讲话。\n",
    ),
    "signing.txt": (
        "2020-11-15",
        "国务院总理李克强15日上午出席第四次区域全面经济伙伴关系协定领导人会议。会后，在15国领导人共同见证下，"
        "各国贸易部长签署了《区域全面经济伙伴关系协定》。\n",
    ),
}


@pytest.fixture(scope="module")
def mentions(tmp_path_factory):
    d = tmp_path_factory.mktemp("news")
    rows = ["file,date"]
    for name, (date, text) in NEWS.items():
        (d / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},{date}")
    (d / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    from ptkg.extractors.manifest import load_manifest

    fields, problems = load_manifest(d)
    assert problems == []
    out = {}
    for name in NEWS:
        r = extract(read_file(d / name, d), load(), fields.get(name))
        out[name] = {(m.name, str(m.date.not_before), str(m.date.not_after)): m for m in r.mentions}
    return out


def test_body_convenes_meeting_and_chair_in_next_sentence(mentions):
    m = mentions["politburo.txt"][("中央政治局会议", "2020-07-30", "2020-07-30")]
    assert m.speakers == ["习近平"]
    assert m.organizations == ["中共中央政治局"]
    assert "https://w3id.org/ptkg/id/concept/dual-circulation" in m.phrases


def test_traditional_lede(mentions):
    m = mentions["reform.txt"][("中央全面深化改革委员会第十五次会议", "2020-09-01", "2020-09-01")]
    assert m.speakers == ["习近平"] and m.kind == "Meeting"


def test_state_council_executive_meeting(mentions):
    m = mentions["state-council.txt"][("国务院常务会议", "2020-08-24", "2020-08-24")]
    assert m.speakers == ["李克强"] and "国务院" in m.organizations


def test_date_after_occasion_and_vague_issuance(mentions):
    ev = mentions["expo.txt"]
    assert ("第三届中国国际进口博览会", "2020-11-04", "2020-11-04") in ev
    assert ("《关于进一步做好稳外贸稳外资工作的意见》", "2020-10-06", "2020-11-05") in ev


def test_plan_period_does_not_date_a_meeting(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text("“十四五”时期，纲要草案全文提交大会审议。\n", encoding="utf-8")
    assert extract(read_file(p, tmp_path), load()).mentions == []


def test_cited_occasion_is_not_dated(tmp_path):
    """"全面贯彻党的十九大精神" cites the congress; the year in the heading is not its date."""
    p = tmp_path / "report.txt"
    p.write_text("一、2018年工作回顾\n\n\n过去一年是全面贯彻党的十九大精神开局之年，是本届政府依法履职第一年。\n",
                 encoding="utf-8")
    assert extract(read_file(p, tmp_path), load()).mentions == []


def test_a_tour_told_twice_is_one_visit_and_titles_are_not_organizers(mentions):
    from ptkg.graph.merge import merge

    ms = list(mentions["tour.txt"].values())
    assert {m.name for m in ms} >= {"习近平在湖南考察"}
    assert all(m.kind == "Visit" and m.speakers == ["习近平"] and m.organizations == [] for m in ms)
    (event,) = merge(ms)
    assert (str(event.not_before), str(event.not_after)) == ("2020-09-16", "2020-09-18")


def test_dateline_date_is_not_the_occasion_date(mentions):
    m = mentions["conference.txt"][("中央经济工作会议", "2020-12-16", "2020-12-18")]
    assert m.speakers == ["习近平"]


def test_same_time_opener_takes_the_sentence_before(mentions):
    ev = mentions["signing.txt"]
    meeting = ev[("第四次区域全面经济伙伴关系协定领导人会议", "2020-11-15", "2020-11-15")]
    assert meeting.speakers == ["李克强"]
    assert ("签署《区域全面经济伙伴关系协定》", "2020-11-15", "2020-11-15") in ev


def _mentions(tmp_path, text: str):
    p = tmp_path / "story.txt"
    p.write_text(text, encoding="utf-8")
    return extract(read_file(p, tmp_path), load()).mentions


def test_talks_and_messages_are_named_after_who_acted_and_whom(tmp_path):
    """会见/会谈/致电: an event each, named after both sides, so two talks of one leader on one day stay two;
    both sides of talks speak, a message's sender only (GOLD-SCHEMA news conventions)."""
    ms = _mentions(tmp_path, "习近平会见两国总统\n2015-07-09 19:00:00\n\n"
                             "国家主席习近平9日在俄罗斯乌法会见南非总统祖马。\n"
                             "国家主席习近平9日在乌法同俄罗斯总统普京举行会谈。\n"
                             "国务院总理李克强8月17日致电伊姆兰·汗，祝贺他当选巴基斯坦总理。\n"
                             "王沪宁等参加会见。\n")
    got = [(m.kind, m.name, m.date.not_before.isoformat(), sorted(m.speakers)) for m in ms]
    assert got == [("Meeting", "习近平会见祖马", "2015-07-09", ["习近平", "祖马"]),
                   ("Meeting", "习近平同普京举行会谈", "2015-07-09", ["习近平", "普京"]),
                   ("Speech", "李克强致电伊姆兰·汗", "2015-08-17", ["李克强"])]  # the sender speaks (GOLD-SCHEMA)


def test_a_broadcast_dateline_dates_the_story_not_the_heading(tmp_path):
    """The timestamp line under a news title is the document's date, not the date of the heading's occasion."""
    ms = _mentions(tmp_path, "习近平会见法国总统\n2016-09-06 19:00:00\n\n新闻正文没有日期。\n")
    assert ms == []


def test_a_body_in_a_title_chain_is_no_organizer(tmp_path):
    # 新闻联播 2020-01-09 lede: 中共中央政治局 is 韩正's office (常委), not who held the symposium
    f = tmp_path / "symposium.txt"
    f.write_text("2020-01-09\n中共中央政治局常委、国务院副总理韩正9日在国家医疗保障局召开座谈会。\n", encoding="utf-8")
    ms = extract(read_file(f, tmp_path), load()).mentions
    assert [(m.name, m.organizations, m.speakers) for m in ms] == [("韩正召开座谈会", ["国家医疗保障局"], ["韩正"])]


def test_politburo_study_session_readout_the_next_day(tmp_path):
    """The readout of a study session is broadcast the next day under a headline "习近平在……集体学习时强调"
    (新闻联播 2020-07-31): the session is the Politburo's, on the day the lede gives, chaired by 习近平."""
    ms = _mentions(tmp_path, "[视频]习近平在中央政治局第二十二次集体学习时强调 奋力推进国防和军队现代化建设\n"
                             "2020-07-31 19:14:53\n\n"
                             "央视网消息（新闻联播）：中共中央政治局7月30日下午就加强国防和军队现代化建设举行第二十二次集体学习。"
                             "中共中央总书记习近平在主持学习时强调，强国必须强军，军强才能国安。\n")
    (m,) = [m for m in ms if m.name.endswith("集体学习")]
    assert (m.name, str(m.date.not_before), str(m.date.not_after)) == \
        ("中共中央政治局第二十二次集体学习", "2020-07-30", "2020-07-30")
    assert m.organizations == ["中共中央政治局"] and m.speakers == ["习近平"]


def test_study_session_cited_in_a_speech_is_not_held_that_day(tmp_path):
    """"……习近平在十九届中央政治局举行第五次集体学习时……发表的重要讲话" (新闻联播 2019-11-15) cites a past session:
    the magazine's publication date is not its date."""
    ms = _mentions(tmp_path, "明天（11月16日）出版的第22期《求是》杂志，将发表中共中央总书记、国家主席、"
                             "中央军委主席习近平在十九届中央政治局举行第五次集体学习时的重要讲话。\n")
    assert not [m for m in ms if "集体学习" in m.name and "《" not in m.name]


def test_council_of_chairmen_its_chair_and_reporter_not_the_session_it_schedules(tmp_path):
    """新闻联播 2020-07-29 (one of 289 such stories): the Council of Chairmen meets today and schedules the
    Standing Committee's session; the chair and the one who reported are the Council's, not the session's, and the
    headline's date of the session does not date the Council."""
    ms = _mentions(tmp_path, "[视频]栗战书主持召开十三届全国人大常委会第六十九次委员长会议 "
                             "决定十三届全国人大常委会第二十一次会议8月8日至11日在京举行\n"
                             "2020-07-29 19:19:02\n\n"
                             "央视网消息（新闻联播）：十三届全国人大常委会第69次委员长会议29日上午在北京人民大会堂举行，"
                             "栗战书委员长主持。"
                             "会议决定，十三届全国人大常委会第21次会议8月8日至11日在京举行。\n"
                             "委员长会议建议，十三届全国人大常委会第21次会议审议城市维护建设税法草案。\n"
                             "委员长会议建议，常委会会议审议全国人大常委会执法检查组的报告。\n"
                             "全国人大常委会秘书长杨振武就常委会第21次会议议程草案和日程安排作了汇报。\n")
    council = [m for m in ms if m.name == "全国人大常委会第六十九次委员长会议"]
    assert council and {(m.date.not_before.isoformat(), m.date.not_after.isoformat()) for m in council} \
        == {("2020-07-29", "2020-07-29")}
    assert set().union(*(m.speakers for m in council)) == {"栗战书", "杨振武"}
    session = [m for m in ms if m.name == "全国人大常委会第二十一次会议"]
    assert session and all("杨振武" not in m.speakers for m in session)
    assert not any("人民大会" in m.name for m in ms)


def test_a_counted_list_that_spoke_speaks_at_the_symposium(tmp_path):
    """新闻联播 2020-01-20: "柳传志、……等8位民营企业家代表……发了言" after the symposium's lede."""
    ms = _mentions(tmp_path, "民营企业家迎春座谈会在京召开\n2020-01-20 19:00:00\n\n"
                             "央视网消息（新闻联播）：民营企业家迎春座谈会19日在京召开，"
                             "中共中央政治局常委、全国政协主席汪洋出席会议并讲话。\n"
                             "柳传志、陈东升、王传福、曹德旺、董明珠、程维、郑跃文、张宗真等8位民营企业家代表"
                             "围绕“践行新发展理念、助推高质量发展”发了言。\n")
    meeting = [m for m in ms if m.name == "民营企业家迎春座谈会"]
    assert meeting and set(meeting[0].speakers) == {"汪洋", "柳传志", "陈东升", "王传福", "曹德旺", "董明珠", "程维",
                                                    "郑跃文", "张宗真"}


def test_politburo_readout_cites_and_schedules_meetings_it_is_not(tmp_path):
    """The 2020 Politburo year (bench/politburo2020.py): a readout names the meetings a text goes to next
    (提请……审议), the meeting whose spirit someone carries out (贯彻……精神), a plenum decided for later, the titles it
    reviewed and the chair it closes with; none is a meeting of the readout's date, and the Standing Committee
    meeting a later readout recalls is one on its own day (新闻联播 2020-02-21, 2020-04-20, 2020-11-03, 2020-01-16)."""
    ms = _mentions(tmp_path, "[视频]中共中央政治局召开会议 审议《中央政治局常委会听取和研究全国人大常委会、国务院、"
                             "全国政协、最高人民法院、最高人民检察院党组工作汇报和中央书记处工作报告的综合情况报告》 "
                             "中共中央总书记习近平主持会议\n"
                             "2020-02-21 19:00:00\n\n"
                             "2月19日，习近平总书记主持召开中央政治局常委会会议，听取疫情防控工作汇报，"
                             "决定将有关意见提请中央政治局会议审议。\n"
                             "20日，中共中央政治局委员、国务院副总理孙春兰与专家座谈，"
                             "要求深入贯彻习近平总书记在中央政治局会议上重要讲话精神。\n"
                             "今年3月，中央政治局决定，党的十九届五中全会审议“十四五”规划建议。\n")
    got = sorted((m.name, m.date.not_before.isoformat()) for m in ms if m.kind == "Meeting")
    assert ("中央政治局常务委员会会议", "2020-02-19") in got
    assert not [g for g in got if g[0] in ("中央政治局会议", "十九届五中全会", "习近平主持会议")], got


def test_a_leader_s_membership_is_no_organizer(tmp_path):
    """"中共中央政治局常委、国务院总理、中央应对……领导小组组长李克强赴武汉考察" (新闻联播 2020-01-27): 常委 after the
    Politburo is his membership; the Politburo did not organize the visit."""
    ms = _mentions(tmp_path, "李克强到湖北武汉考察\n2020-01-27 19:14:04\n\n"
                             "27日，受习近平总书记委托，中共中央政治局常委、国务院总理、中央应对新型冠状病毒感染肺炎疫情工作领导小组组长"
                             "李克强赴武汉考察指导疫情防控工作。\n")
    visit = [m for m in ms if m.kind == "Visit"]
    assert visit and all("中共中央政治局" not in m.organizations for m in visit)


def test_a_periodical_or_programme_is_no_document_issued(tmp_path):
    """"第8期《求是》杂志发表……文章《……》": the article is published, not the magazine; a programme
    (今天的《看图知两会》) or a newspaper (《华尔街日报》) is no publication event; a periodic report
    (最新一期《经济展望报告》) is one."""
    ms = _mentions(tmp_path, "4月16日出版的第8期《求是》杂志发表中共中央总书记习近平的重要文章《加快构建新发展格局 把握"
                             "未来发展主动权》。\n今天的《看图知两会》带您了解政府工作报告。\n《华尔街日报》9月15日报道，亚洲开发银行"
                             "9月15日发表的最新一期《亚洲发展展望报告》预测，经济将复苏。\n")
    names = sorted(m.name for m in ms)
    assert names == ["《亚洲发展展望报告》", "《加快构建新发展格局把握未来发展主动权》"]


def test_a_recalled_day_opening_a_sentence_dates_what_its_known_subject_did(tmp_path):
    """"2015年9月，习近平主席首登联合国讲台" in a story of 2016 is an event of 2015, named by its clause; a clause
    with no known subject dates nothing, and a stop of today's tour is left to the act grammar."""
    story = ("[视频]新年特别报道\n2016-01-03 19:00:00\n\n"
             "央视网消息（新闻联播）：2015年9月，习近平主席首登联合国讲台，向世界全面宣示了中国主张。"
             "2015年，当地森林覆盖率达到80%。2日上午，习近平还来到林场展览馆。\n")
    ms = _mentions(tmp_path, story)
    assert [(m.name, m.date.not_before.isoformat(), m.date.not_after.isoformat(), m.speakers) for m in ms
            if m.occasion is None] == [("习近平主席首登联合国讲台", "2015-09-01", "2015-09-30", ["习近平"])]


def test_an_instruction_after_a_disaster_takes_the_disaster_s_time(tmp_path):
    """"……发生瓦斯爆炸事故……。事故发生后，……习近平……作出重要指示" (42 instructions of 2012-2026 open so): the
    instruction is dated by the disaster the sentence before told."""
    story = ("[视频]习近平对煤矿瓦斯爆炸事故作出重要指示\n2026-05-23 19:00:00\n\n"
             "央视网消息（新闻联播）：5月22日19时29分，山西省长治市沁源县一煤矿发生瓦斯爆炸事故。"
             "事故发生后，中共中央总书记、国家主席、中央军委主席习近平高度重视并作出重要指示。\n")
    ms = [m for m in _mentions(tmp_path, story) if "指示" in m.name]
    assert [(m.date.not_before.isoformat(), m.speakers) for m in ms] == [("2026-05-22", ["习近平"])]


def test_an_interview_names_the_words_it_gave(tmp_path):
    ms = _mentions(tmp_path, "[视频]叙总统斥责美在叙掠夺石油\n2019-11-15 19:57:04\n\n央视网消息（新闻联播）：近日，"
                             "叙利亚总统巴沙尔·阿萨德在接受媒体采访时说，美国在叙利亚油田保留军事人员“是为了掠夺石油”。\n")
    assert [(m.name, m.speakers) for m in ms] == [("巴沙尔·阿萨德接受媒体采访", ["巴沙尔·阿萨德"])]


def test_a_body_named_organization_keeps_its_name_in_an_occasion_s(tmp_path):
    """组织 is a noun in 上海合作组织峰会 (some 1,300 such names in the corpus), a verb only before another verb
    (……组织召开……座谈会)."""
    from ptkg.extractors.occasions import find_occasions
    lex = load()
    found = find_occasions("国家主席习近平10日在青岛出席上海合作组织青岛峰会。", lex)
    assert [o.key for o in found] == ["上海合作组织青岛峰会"]
    assert [o.key for o in find_occasions("首届丝绸之路沿线民间组织合作网络论坛在北京召开。", lex)] == [
        "首届丝绸之路沿线民间组织合作网络论坛"]
    assert [o.key for o in find_occasions("团中央组织召开青年座谈会。", lex)] == ["青年座谈会"]


def test_an_undated_act_of_a_person_takes_the_day_its_story_told(tmp_path):
    """"中共中央政治局常委、国务院总理李强作出批示指出，……" (新闻联播 2026-05-23) gives no date: the story goes on
    telling the day its lede dated, so the instruction is of 5月22日; told again later ("李强总理作出批示，要求……")
    it is the same act, and attending another's act ("……参加会见") is no act of one's own."""
    story = ("[视频]习近平对煤矿瓦斯爆炸事故作出重要指示 李强作出批示\n2026-05-23 19:21:34\n\n"
             "央视网消息（新闻联播）5月22日19时29分，山西长治市沁源县一煤矿井下发生瓦斯爆炸事故。"
             "中共中央政治局常委、国务院总理李强作出批示指出，要全力搜救被困人员、救治伤员。"
             "中共中央政治局委员、国务院副总理张国清参加会见。"
             "他表示，李强总理作出批示，要求全力搜救被困人员。\n")
    got = [(m.date.not_before.isoformat(), m.speakers) for m in _mentions(tmp_path, story) if "批示" in m.name]
    assert got == [("2026-05-22", ["李强"])]
    assert not [m for m in _mentions(tmp_path, story) if "张国清" in m.speakers]


def test_a_headline_names_the_message_its_lede_tells_in_short(tmp_path):
    """"习近平向论坛致信祝贺" under the headline "习近平向首届丝绸之路沿线民间组织合作网络论坛致贺信" (新闻联播
    2017-11-21): the message of the lede's day, named as its headline names it, beside the forum it went to."""
    story = ("[视频]习近平向首届丝绸之路沿线民间组织合作网络论坛致贺信\n2017-11-21 19:07:30\n\n"
             "央视网消息（新闻联播）：11月21日，首届丝绸之路沿线民间组织合作网络论坛在北京召开。"
             "国家主席习近平向论坛致信祝贺。贺信说，值此首届丝绸之路沿线民间组织合作网络论坛开幕之际，"
             "我谨代表中国政府和中国人民，并以我个人的名义，向论坛召开表示热烈的祝贺！\n"
             "民间组织是推动经济社会发展、参与国际合作和全球治理的重要力量。\n")
    got = sorted((m.name, m.date.not_before.isoformat(), m.speakers) for m in _mentions(tmp_path, story))
    assert got == [("习近平向首届丝绸之路沿线民间组织合作网络论坛致贺信", "2017-11-21", ["习近平"]),
                   ("首届丝绸之路沿线民间组织合作网络论坛", "2017-11-21", [])]
