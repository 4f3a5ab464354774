"""Attribution (extractors/attribution.py) on real sentences of 新闻联播 stories (short quotes, CCTV): a phrase is
about an event only when the text attributes it; a recalled occasion takes no phrase from the sentences around it;
an explicit origin statement attributes its phrase, with the words as evidence."""

from __future__ import annotations

from ptkg.extractors import pipeline as components
from ptkg.extractors.lexicon import load
from ptkg.extractors.model import RawText

LEX = load()


def _label(iri: str) -> str:
    c = LEX.concept(iri)
    return c.pref_label if c else iri


def _mentions(title: str, stamp: str, *paragraphs: str, dated: bool = True):
    head = f"{title}\n{stamp}\n\n" if dated else ""
    doc = components.run(RawText("story.txt", head + "\n".join(paragraphs) + "\n", "txt"), LEX)
    return doc.event_mentions


def _about(m) -> set[str]:
    return {_label(p) for p in m.phrases}


def test_recalled_occasion_takes_no_phrase_from_the_sentences_around_it():
    # 20190331_02: a congratulation of the day, then a forum of the year before recalled in passing
    ms = _mentions(
        "[视频]习近平向第30届阿拉伯国家联盟首脑理事会会议致贺电", "2019-03-31 19:09:03",
        "央视网消息（新闻联播）：国家主席习近平31日致电阿拉伯国家联盟首脑理事会会议轮值主席突尼斯总统埃塞卜西，"
        "祝贺第30届阿拉伯国家联盟首脑理事会会议在突尼斯市召开。",
        "习近平强调，中阿传统友谊深厚。去年7月，中阿合作论坛第八届部长级会议在北京成功召开，中阿双方一致同意建立全面合作、"
        "共同发展、面向未来的战略伙伴关系。这是中阿友好合作新的历史起点。中方愿同阿方携手努力，落实中阿合作共建“一带一路”"
        "行动宣言，共同开创中阿战略伙伴关系更加美好的未来，为推动构建人类命运共同体作出贡献。",
    )
    forum = [m for m in ms if "中阿合作论坛" in m.name]
    assert forum and all(m.recalled for m in forum)
    assert all(not m.phrases and not m.attributions for m in forum)
    today = [m for m in ms if not m.recalled]
    assert today and any({"一带一路", "人类命运共同体"} <= _about(m) for m in today)


def test_report_opener_attributes_with_its_sentence_as_evidence():
    # 20200506_02: the State Council executive meeting of the day; "会议强调，……" gives its content
    lead = ("央视网消息（新闻联播）：国务院总理李克强5月6日主持召开国务院常务会议，"
            "听取支持复工复产和助企纾困政策措施落实情况汇报，推出和进一步完善相关政策加大稳企业保就业力度。")
    stress = "会议强调，要把做好“六保”作为“六稳”工作着力点，稳住经济基本盘。"
    for dated in (True, False):  # with or without a stated date: the opener says whose content it is
        ms = _mentions("[视频]李克强主持召开国务院常务会议", "2020-05-06 19:10:02", lead, stress, dated=dated)
        meeting = [m for m in ms if m.name.endswith("国务院常务会议")]
        assert meeting and not meeting[0].recalled
        stressed = {_label(a.concept) for a in meeting[0].attributions
                    if a.how == "report" and a.evidence.startswith("会议强调")}
        assert {"六保", "六稳"} <= stressed


def test_paragraph_without_opener_is_content_only_of_a_story_of_its_day():
    # without a stated date the document's days are unknown: a later paragraph that does not say whose words it
    # gives is attributed to no one
    lead = "国务院总理李克强5月6日主持召开国务院常务会议，听取支持复工复产和助企纾困政策措施落实情况汇报。"
    later = "要把做好“六保”作为“六稳”工作着力点，稳住经济基本盘。"
    undated = _mentions("", "", lead, later, dated=False)
    assert undated and all(not {"六保", "六稳"} & _about(m) for m in undated)
    dated = _mentions("[视频]李克强主持召开国务院常务会议", "2020-05-06 19:10:02", lead, later)
    assert any({"六保", "六稳"} <= _about(m) for m in dated)


def test_origin_statement_attributes_a_recalled_occasion_with_evidence():
    # 20161212_01: a later story states the origin of 供给侧结构性改革
    ms = _mentions(
        "[视频]【治国理政新实践】供给侧结构性改革", "2016-12-12 19:00:00",
        "2015年11月10日，中央财经领导小组第十一次会议，习近平总书记首次提出“在适度扩大总需求的同时，"
        "着力加强供给侧结构性改革”。",
    )
    meeting = [m for m in ms if m.name.startswith("中央财经") and "第十一次会议" in m.name]
    assert meeting and meeting[0].recalled
    origin = [a for a in meeting[0].attributions if _label(a.concept) == "供给侧结构性改革"]
    assert origin and origin[0].how == "origin" and "首次提出" in origin[0].evidence
    assert meeting[0].date.not_before.isoformat() == "2015-11-10"


def test_recalled_occasion_without_origin_words_takes_nothing():
    # the same sentence without 首次提出 only recalls the meeting: no phrase is attributed to it
    ms = _mentions(
        "[视频]【治国理政新实践】供给侧结构性改革", "2016-12-12 19:00:00",
        "2015年11月10日，中央财经领导小组第十一次会议召开，在适度扩大总需求的同时，着力加强供给侧结构性改革。",
    )
    meeting = [m for m in ms if m.name.startswith("中央财经") and "第十一次会议" in m.name]
    assert meeting and meeting[0].recalled and not meeting[0].phrases


def test_career_span_running_up_to_the_story_is_recalled():
    # 20231027_03, an obituary: "1993年3月起，任……第八届全国人大常委会委员" names a body over thirty years up to the
    # story's day; it is no occasion of the day and takes no phrase from the sentences after it
    ms = _mentions(
        "[视频]讣告", "2023-10-27 19:20:30",
        "1993年3月起，任共青团中央书记处第一书记兼中国青年政治学院院长，第八届全国人大常委会委员。"
        "他坚持对外开放的基本国策，扎实推进“一带一路”建设。",
    )
    career = [m for m in ms if m.date.not_before.year == 1993]
    # 全国人大常委会委员 is a member's office, not the committee's meeting: no occasion at all, or a recalled one
    assert not any(m.attributions for m in career) and all(m.recalled for m in career)
    assert not any(m.name == "全国人大常委会会议" for m in career)
