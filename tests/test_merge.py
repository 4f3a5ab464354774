"""Merging event mentions into events: same occasion across documents, never two meetings in one."""

from __future__ import annotations

import datetime as dt

from ptkg.extractors.lexicon import load
from ptkg.extractors.model import DateMention, EventMention
from ptkg.graph.merge import merge, names_agree


def em(name: str, nb: str, na: str, source: str = "a.txt", kind: str = "Meeting", line: int = 1,
       speakers: list[str] | None = None) -> EventMention:
    d = DateMention(0, 1, "x", dt.date.fromisoformat(nb), dt.date.fromisoformat(na), "day" if nb == na else "month")
    return EventMention(source=source, document=0, kind=kind, name=name, date=d, line=line, date_text="x",
                        quote="q", sentence=(0, 1), speakers=speakers or [])


def test_same_meeting_across_documents_and_precisions():
    events = merge([
        em("中央政治局会议", "2020-07-30", "2020-07-30", "001.txt"),
        em("中央政治局会议", "2020-07-21", "2020-07-31", "002.txt", line=209),   # 今年7月底
        em("中央政治局会议", "2020-07-01", "2020-07-31", "002.txt", line=355),   # table: 7月
    ])
    assert len(events) == 1
    e = events[0]
    assert (e.not_before, e.not_after, e.precision) == (dt.date(2020, 7, 30), dt.date(2020, 7, 30), "day")
    assert len(e.mentions) == 3  # each keeps its own dates
    assert {m.date.not_after for m in e.mentions} == {dt.date(2020, 7, 30), dt.date(2020, 7, 31)}


def test_two_meetings_of_one_body_in_one_year_stay_apart():
    events = merge([
        em("中央政治局会议", "2020-04-17", "2020-04-17"),
        em("中央政治局会议", "2020-07-30", "2020-07-30"),
        em("中央政治局会议", "2020-07-01", "2020-07-31", "b.txt"),
    ])
    assert sorted((e.not_before.isoformat(), len(e.mentions)) for e in events) == [("2020-04-17", 1),
                                                                                    ("2020-07-30", 2)]


def test_ordinals_never_merge():
    assert not names_agree("中央财经委员会第八次会议", "中央财经委员会第九次会议")
    assert names_agree("中央财经委员会第八次会议", "中央财经委员会会议")
    events = merge([em("中央财经委员会第八次会议", "2020-09-01", "2020-09-30"),
                    em("中央财经委员会第九次会议", "2020-09-01", "2020-09-30")])
    assert len(events) == 2


def test_contained_names_and_series_parts():
    assert names_agree("企业家座谈会", "畅通开企业家座谈会")
    assert names_agree("第十二届陆家嘴论坛", "陆家嘴论坛")
    assert names_agree("全国两会", "习近平看望参加政协会议的经济界委员", load().occasions["series_parts"])
    assert not names_agree("科学家座谈会", "企业家座谈会")


def test_kinds_must_agree():
    events = merge([em("《关于进一步做好稳外贸稳外资工作的意见》", "2020-08-05", "2020-08-05", kind="Publication"),
                    em("《关于进一步做好稳外贸稳外资工作的意见》", "2020-08-05", "2020-08-05", kind="Signing")])
    assert len(events) == 2


def test_deterministic_keys_and_order():
    ms = [em("企业家座谈会", "2020-07-21", "2020-07-21", "b.txt"), em("企业家座谈会", "2020-07-01", "2020-07-31"),
          em("科学家座谈会", "2020-09-11", "2020-09-11")]
    a = [(e.key, len(e.mentions)) for e in merge(ms)]
    b = [(e.key, len(e.mentions)) for e in merge(list(reversed(ms)))]
    assert a == b == [("2020-07-21/企业家座谈会", 2), ("2020-09-11/科学家座谈会", 1)]


def test_a_year_old_visit_joins_no_tour_by_its_visitor_alone():
    # 20170721_02 / 20221017_13 / 20130129_03: "2013年，习近平总书记在武汉考察时……", "2013年，……在这个深度贫困村考察时
    # 首次提出精准扶贫理念" and the 2013-01-29 visit to the armed police: three occasions, not one tour
    xi = ["习近平"]
    events = merge([
        em("赴武警部队视察", "2013-01-29", "2013-01-29", "20130129_03.txt", kind="Visit", speakers=xi),
        em("习近平在武汉考察", "2013-01-01", "2013-12-31", "20170721_02.txt", kind="Visit", speakers=xi),
        em("习近平在这个深度贫困村考察", "2013-01-01", "2013-12-31", "20221017_13.txt", kind="Visit", speakers=xi),
    ])
    assert len(events) == 3
    assert {(e.not_before.isoformat(), e.not_after.isoformat()) for e in events if len(e.mentions) == 1} == {
        ("2013-01-29", "2013-01-29"), ("2013-01-01", "2013-12-31")}


def test_reports_of_one_tour_by_its_visitor_still_merge():
    # a tour told as "习近平在湖南考察" on its days and "习近平……先后来到郴州、长沙等地……调研" the day after
    xi = ["习近平"]
    events = merge([
        em("习近平在湖南考察", "2020-09-16", "2020-09-18", "a.txt", kind="Visit", speakers=xi),
        em("习近平调研", "2020-09-17", "2020-09-17", "b.txt", kind="Visit", speakers=xi),
    ])
    assert len(events) == 1
