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
    # 首次提出精准扶贫理念", the 2013-01-29 visit to the armed police and a November tour: a year holds many tours,
    # so a visit dated only by its year is none of them
    xi = ["习近平"]
    events = merge([
        em("赴武警部队视察", "2013-01-29", "2013-01-29", "20130129_03.txt", kind="Visit", speakers=xi),
        em("习近平在湖南考察", "2013-11-03", "2013-11-05", "20131105_01.txt", kind="Visit", speakers=xi),
        em("习近平在武汉考察", "2013-01-01", "2013-12-31", "20170721_02.txt", kind="Visit", speakers=xi),
        em("习近平在这个深度贫困村考察", "2013-01-01", "2013-12-31", "20221017_13.txt", kind="Visit", speakers=xi),
    ])
    assert len(events) == 4 and all(len(e.mentions) == 1 for e in events)


def test_reports_of_one_tour_by_its_visitor_still_merge():
    # a tour told as "习近平在湖南考察" on its days and "习近平……先后来到郴州、长沙等地……调研" the day after
    xi = ["习近平"]
    events = merge([
        em("习近平在湖南考察", "2020-09-16", "2020-09-18", "a.txt", kind="Visit", speakers=xi),
        em("习近平调研", "2020-09-17", "2020-09-17", "b.txt", kind="Visit", speakers=xi),
    ])
    assert len(events) == 1


def _generated(n: int) -> list[EventMention]:
    """``n`` mentions over ``n // 4`` days: meetings of a few bodies on exact days, each also recalled by a
    vaguer mention (its month, its year), as news reports them; names, bodies and dates cycle deterministically."""
    bodies = ["中央政治局会议", "国务院常务会议", "中央全面深化改革委员会会议", "中央财经委员会会议", "全国两会"]
    start = dt.date(2012, 1, 1)
    out = []
    for i in range(n):
        day = start + dt.timedelta(days=i // 4)
        body = bodies[i % len(bodies)]
        if i % 3 == 0:
            nb, na = day.replace(day=1), (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
        elif i % 7 == 0:
            nb, na = day.replace(month=1, day=1), day.replace(month=12, day=31)
        else:
            nb = na = day
        out.append(em(f"{body}" if i % 2 else f"习近平主持召开{body}", nb.isoformat(), na.isoformat(),
                      f"{i:06d}.txt", kind="Visit" if i % 11 == 0 else "Meeting", speakers=["习近平"] if i % 11 == 0
                      else []))
    return out


def _accepts_calls(mentions: list[EventMention], monkeypatch) -> int:
    from ptkg.graph import merge as merge_mod

    calls = [0]
    judge = merge_mod._Cluster.accepts

    def counting(self, m):  # noqa: ANN001, ANN202
        calls[0] += 1
        return judge(self, m)

    with monkeypatch.context() as mp:
        mp.setattr(merge_mod._Cluster, "accepts", counting)
        merge(mentions)
    return calls[0]


def test_merge_cost_grows_linearly(monkeypatch):
    """Four times the mentions cost about four times the ``accepts`` tests, not sixteen (issue 15: the
    exhaustive scan made 63.8 M tests at 16k stories)."""
    small, large = _accepts_calls(_generated(1000), monkeypatch), _accepts_calls(_generated(4000), monkeypatch)
    assert large < 6 * small, (small, large)


def test_indexed_merge_is_the_exhaustive_one(monkeypatch):
    """The index only narrows the clusters tested: the events are those of testing every cluster."""
    from ptkg.graph import merge as merge_mod

    mentions = _generated(1500)
    fast = merge(mentions, load())
    monkeypatch.setattr(merge_mod._Index, "candidates",
                        lambda self, m: sorted({i for ids in self.by_day.values() for i in ids}))
    slow = merge(mentions, load())
    assert [(e.key, [id(m) for m in e.mentions]) for e in fast] == [(e.key, [id(m) for m in e.mentions]) for e in slow]
    assert len(fast) < len(mentions)  # the vague mentions did join
