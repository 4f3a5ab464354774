"""People, organizations, phrases and occasions found in real sentences of the seeds and the
government work reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from ptkg.extractors.lexicon import load
from ptkg.extractors.mentions import find_organizations, find_people, find_phrases
from ptkg.extractors.normalize import normalize
from ptkg.extractors.numerals import canonical, to_chinese, to_int
from ptkg.extractors.occasions import find_occasions

CORPUS = Path(__file__).resolve().parent / "data" / "government-work-reports"  # copied from the shared corpora


LEX = load()


def norm(s: str) -> str:
    return normalize(s).text


def people(s: str) -> list[str]:
    return [m.key for m in find_people(norm(s), LEX)]


def occasions(s: str) -> list[tuple[str, str]]:
    return [(m.key, m.kind) for m in find_occasions(norm(s), LEX)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("刘鹤副总理在 6月 18日陆家嘴论坛上对此也予以强调", ["刘鹤"]),
        ("隨後國家主席習近平在多個場合的發言均談及「雙循環」", ["习近平"]),  # 002, Traditional
        ("5 月份以来，习总书记在不同场合多次提到", ["习近平"]),
        ("对此，中國科學院院長白春禮表示，要將美國對華", ["白春礼"]),
        ("上星期，在徐书记带领下，我市党政代表团赴吴兴", ["徐书记"]),  # surname + title, no given name
        ("文/倪月菊", ["倪月菊"]),
    ],
)
def test_people(sentence, expected):
    assert people(sentence) == expected


@pytest.mark.parametrize("sentence", ["「雙循環」一詞頻繁出現", "成渝地区双城经济圈建设", "国家主席", "小微企业"])
def test_not_people(sentence):
    assert people(sentence) == []


def test_organizations_canonical():
    t = norm("5月 14日，中央政治局常委會議首次提出；7月30日政治局会议；中央財經委員會第八次會議")
    keys = [m.key for m in find_organizations(t, LEX)]
    assert keys == ["中共中央政治局常务委员会", "中共中央政治局", "中央财经委员会"]


def test_phrases_nested_and_traditional():
    t = norm("構建以國內大循環為主體、國內國際雙循環相互促進的新發展格局，扩大内需")
    labels = [m.source for m in find_phrases(t, LEX)]
    assert labels == ["国内大循环", "国内国际双循环", "新发展格局", "扩大内需", "内需"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("5 月 14日政治局常委会 要深化供给侧结构性改革", [("中央政治局常务委员会会议", "Meeting")]),
        ("中央政治局常委會議首次提出", [("中央政治局常务委员会会议", "Meeting")]),
        ("在 9月初主持召開中央財經委員會第八次會議時表示", [("中央财经委员会第八次会议", "Meeting")]),
        ("9 月 中央全面深化改\n革委員會第十五\n次會議", [("中央全面深化改革委员会第十五次会议", "Meeting")]),
        ("在十九届五中全会提出的", [("十九届五中全会", "Meeting")]),
        ("中国共产党第十九届中央委员会第五次全体会议", [("十九届五中全会", "Meeting")]),
        ("6 月 18日第十二届陆家嘴论坛", [("第十二届陆家嘴论坛", "Forum")]),
        ("近日國家主席習近平在科學家座談會上強調", [("科学家座谈会", "Meeting")]),
        ("习近平主持召开企业家座谈会", [("企业家座谈会", "Meeting")]),
        ("比如，从 2018年开始，每年举办中国国际进口博览会。", [("中国国际进口博览会", "Forum")]),
        ("刚刚闭幕的中央经济工作会议对明年经济工作作出来具体部署", [("中央经济工作会议", "Meeting")]),
        ("2017 年 1 月，国务院批复《西部大开发“十三五”规划》", [("《西部大开发“十三五”规划》", "Publication")]),
        ("包括公佈海南自由貿易港建設總體方案", [("海南自由贸易港建设总体方案", "Publication")]),
        ("正式签署区域全面经济伙伴关系协定（RCEP）", [("签署区域全面经济伙伴关系协定（RCEP）", "Signing")]),
        ("2013 年提出“一带一路”倡议", [("“一带一路”倡议", "Proposal")]),
        ("2001年加入世界貿易組織後", [("加入世界贸易组织", "Accession")]),
        ("相信本届峰会将为“一带一路”建设添砖加瓦", []),  # anaphoric: no name of its own
        ("包括公布海南自由贸易港建设总体方案、外商投资准入负面清单进一步瘦身",
         [("海南自由贸易港建设总体方案", "Publication"), ("外商投资准入负面清单", "Publication")]),
        ("经济特区、沿海开放城市和负面清单", []),  # a list with no issuance verb before it
        ("12月1日，汇丰控股发布的一项覆盖39个国家的调查显示", [("汇丰控股一项覆盖39个国家的调查", "Publication")]),
        ("2018年12月长兴县引进的吉利新能源汽车乘用车项目，总投资达326亿元", [("吉利新能源汽车乘用车项目", "Event")]),
        ("去年起，我们启动了规上工业企业研发活动和亿元以上重点工业企业研发机构“两个全覆盖”计划",
         [("规上工业企业研发活动和亿元以上重点工业企业研发机构“两个全覆盖”计划", "Event")]),
    ],
)
def test_occasions(sentence, expected):
    assert occasions(sentence) == expected


def test_numerals():
    assert to_int("十九") == 19 and to_int("二〇二〇") == 2020 and to_int("廿一") == 21 and to_int("8") == 8
    assert to_chinese(19) == "十九" and to_chinese(10) == "十" and to_chinese(105) == "一百零五"
    assert canonical("8") == "八" and canonical("届") == "届"


def test_government_work_report_2021_occasions():
    text = norm((CORPUS / "2021.txt").read_text(encoding="utf-8"))
    names = {m.key for m in find_occasions(text, LEX)}
    assert "第十三届全国人民代表大会第四次会议" in names  # "在第十三届全国人民代表大会第四次会议上"
    assert "中国共产党第十九次全国代表大会" in names
    found = {m.key for m in find_people(text, LEX)}
    assert "李克强" in found and "习近平" in found
    assert not found & {"双循环", "成渝", "国家", "中央"}


def test_phrase_label_inside_a_longer_word_is_not_the_phrase():
    # 20120825_07 "秉持创新发展理念" (2012) is not 新发展理念 (2015); 20140716_02 "实现更高质量发展" is not 高质量发展
    from ptkg.extractors.lexicon import load
    from ptkg.extractors.mentions import find_phrases
    lex = load()
    assert [m.source for m in find_phrases("他勉励两国青年秉持创新发展理念，培育开放包容心态", lex)] == []
    assert "高质量发展" not in [m.source for m in find_phrases("我们要调整经济结构，实现更高质量发展", lex)]
    found = [m.source for m in find_phrases("完整、准确、全面贯彻新发展理念，推动高质量发展", lex)]
    assert found == ["新发展理念", "高质量发展"]
