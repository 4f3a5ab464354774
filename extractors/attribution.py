"""Attribution: which policy phrases the text says an event mention is about, each with the words that say so.

Why not proximity: real news recalls past occasions all the time ("1921年7月，中国共产党第一次全国代表大会……"),
then speaks of today's policy.  A phrase standing near a recalled occasion is not what that occasion said.  So a
phrase is attributed to an event mention only when the text attributes it:

* ``report`` — the mention reports an occasion of its document's days, and the phrase is in the content the report
  gives it: the rest of its sentence (up to the next event of the sentence), the rest of its paragraph, and the
  sentences that go on reporting it ("会议强调，……", "习近平指出，……") with their paragraphs;
* ``cited`` — a later sentence names the occasion with a content verb ("……政治局会议还指出，“……”"): the rest of
  that sentence is its content, whether the occasion is of the document's days or recalled;
* ``document`` — the document's title names a speech at the occasion ("在……上的讲话"): the whole text is its
  content;
* ``origin`` — an explicit statement of origin ("2013年10月我在印度尼西亚首次提出共同建设21世纪海上丝绸之路倡议"):
  the phrases of the cue's object (up to the next clause break outside quotation marks) are attributed to the
  occasion the sentence names before it, recalled or not.

Each mention is also marked *recalled* when it recalls an earlier occasion rather than reporting one of its
document's days: its date ends well before the document's date, or its clause says so (早在, 曾, ……以来).  A
recalled mention takes phrases only from ``cited`` and ``origin`` attributions.  Words live in
``extractors/data/attribution.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.mentions import _alternation
from ptkg.extractors.model import Attribution, Document, EventMention, Mention, Text
from ptkg.extractors.spans import clause_start as _clause_start
from ptkg.extractors.spans import spans as _spans

#: how many characters of a sentence the evidence quote keeps around the phrase
EVIDENCE_MAX = 160
#: how far before an occasion the recall words are looked for, within its clause
RECALL_REACH = 16
#: how far after an occasion the recall words are looked for ("……以来")
RECALL_AFTER = 6


@dataclass(frozen=True)
class _Words:
    report_openers: re.Pattern[str]
    content_after: re.Pattern[str]
    origin: re.Pattern[str]
    recall_before: re.Pattern[str]
    recall_after: re.Pattern[str]
    recall_days: int
    recall_span_days: int
    near_days: int
    vague_days: int
    speech_title: re.Pattern[str]
    anaphors: re.Pattern[str]
    object_end: re.Pattern[str]
    quotes: dict[str, str]


@lru_cache(maxsize=4)
def _words(lex: Lexicon) -> _Words:
    a = lex.attribution
    return _Words(
        report_openers=re.compile(a["report_openers"]),
        content_after=re.compile(a["content_verb_gap"] + "(?:" + _alternation(a["content_verbs"]) + ")"),
        origin=re.compile(_alternation(a["origin_cues"])),
        recall_before=re.compile(_alternation(a["recall_before"])),
        recall_after=re.compile(_alternation(a["recall_after"])),
        recall_days=int(a["recall_days"]),
        recall_span_days=int(a["recall_span_days"]),
        near_days=int(a["near_days"]),
        vague_days=int(a["recent_days"]),
        speech_title=re.compile(a["speech_title"]),
        anaphors=re.compile(_alternation(a["anaphors"])),
        object_end=re.compile(a["origin_object_end"]),
        quotes={pair[0]: pair[1] for pair in a["quotes"]},
    )


def _object_end(t: str, a: int, b: int, w: _Words) -> int:
    """Where the object of an origin cue that starts at ``a`` ends: the first clause break outside quotation marks
    (``b`` at most).  "……首次提出精准扶贫理念，现在，村里已经走上乡村振兴之路" first proposed 精准扶贫 only; a quoted
    object keeps its commas ("首次提出：“在适度扩大总需求的同时，着力加强供给侧结构性改革”")."""
    closing: list[str] = []
    for i in range(a, b):
        ch = t[i]
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in w.quotes:
            closing.append(w.quotes[ch])
        elif not closing and w.object_end.match(ch):
            return i
    return b




def _anchor(m: EventMention) -> int:
    return min(m.date.start, m.occasion.start) if m.occasion else m.date.start


def _anchor_end(m: EventMention) -> int:
    return max(m.date.end, m.occasion.end) if m.occasion else m.date.end


def recalled(t: str, doc: Document, m: EventMention, lex: Lexicon) -> bool:
    """Does this mention recall an earlier occasion (not report one of its document's days)?"""
    w = _words(lex)
    day = doc.date or doc.reference_date
    if day and m.date.not_after and m.date.not_after < day - dt.timedelta(days=w.recall_days):
        return True
    # a span that ends by the document's day but begins more than a year before it recalls too: "1993年3月起，
    # 任……" in an obituary of 2023 is a career, not an occasion of its day ("今年以来" is the year's report; a
    # year or a plan holding the day is not recalled)
    if day and m.date.not_before and m.date.not_after and m.date.not_after <= day and \
            m.date.not_before < day - dt.timedelta(days=w.recall_span_days):
        return True
    a = _anchor(m)
    clause = _clause_start(t, max(doc.start, a - RECALL_REACH), a)
    if w.recall_before.search(t, clause, _anchor_end(m)):
        return True
    return bool(w.recall_after.match(t, _anchor_end(m), _anchor_end(m) + RECALL_AFTER))


def _vague(m: EventMention, w: _Words) -> bool:
    """Is the mention dated wider than ``recent_days`` (a year, "今年以来")?"""
    nb, na = m.date.not_before, m.date.not_after
    return nb is not None and na is not None and (na - nb).days >= w.vague_days


def _evidence(raw_text: str, text: Text, a: int, b: int, at: int) -> str:
    """The attributing words as written, cut to EVIDENCE_MAX characters around offset ``at``."""
    while a < b and text.text[a].isspace():
        a += 1
    if b - a > EVIDENCE_MAX:
        lo = max(a, min(at - EVIDENCE_MAX // 3, b - EVIDENCE_MAX))
        a, b = lo, lo + EVIDENCE_MAX
    ra, rb = text.raw_span(a, b)
    return raw_text[ra:rb].strip()


def _names_agree(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and short in long_


def attribute(raw_text: str, text: Text, doc: Document, mentions: list[EventMention], offset: int,
              occasions: list[Mention], phrases: list[Mention], lex: Lexicon) -> tuple[list[bool], list[Attribution]]:
    """(recalled flag per mention, attributions) for the event mentions of one document.

    ``offset`` is the index of the document's first mention among the file's event mentions."""
    t = text.text
    w = _words(lex)
    flags = [recalled(t, doc, m, lex) for m in mentions]
    sentences = _spans(t, doc.start, doc.end)
    phrases = [p for p in phrases if doc.start <= p.start and p.end <= doc.end]
    out: dict[tuple[int, str, str, int, int], Attribution] = {}

    def add(i: int, how: str, a: int, b: int, lo: int | None = None) -> None:
        """Attribute the phrases of a..b (from ``lo`` on) to mention i; the evidence is cut around the first."""
        for p in phrases:
            key = (offset + i, p.key, how, a, b)
            if (lo if lo is not None else a) <= p.start and p.end <= b and key not in out:
                out[key] = Attribution(offset + i, p.key, how, a, b, _evidence(raw_text, text, a, b, p.start))

    # the sentences where an event is stated, and by which mentions
    own = [next(((a, b) for a, b in sentences if a <= _anchor(m) < b), m.sentence) for m in mentions]
    stated: dict[tuple[int, int], list[int]] = {}
    for i in range(len(mentions)):
        stated.setdefault(own[i], []).append(i)
    # a recalled occasion does not end the report of the day ("……致电祝贺。……去年7月，……论坛在北京召开。……"), nor
    # does a vague one ("中国共产党成立100周年" in the communique of 2021-11-11: the report goes on to "两个确立")
    # a step back in time ("中共中央政治局4月17日召开会议……。4月15日，……常委会会议……提请中央政治局会议审议。会议认为，
    # ……"): an event dated before one stated in an earlier sentence is background; the reports that follow go on
    # with the event it stepped back from
    # (stepped back from an event of the story's days: not a plan ahead, "分析研究2016年经济工作", nor a vague one)
    day = doc.date or doc.reference_date
    back = [not flags[i] and m.date.not_after is not None and any(
        not flags[j] and not x.target and own[j][0] < own[i][0] and x.date.not_before is not None
        and x.date.not_after is not None and not _vague(x, w) and (day is None or x.date.not_after <= day)
        and m.date.not_after < x.date.not_before for j, x in enumerate(mentions)) for i, m in enumerate(mentions)]
    starts_of_events = sorted({m.date.start for i, m in enumerate(mentions)
                               if not flags[i] and not back[i] and not _vague(m, w)})

    # report: the sentence from the mention's clause, its paragraph, the sentences that go on reporting it
    for i, m in enumerate(mentions):
        if flags[i]:
            continue
        # the sentence that states it (assembly's ``sentence`` may run on over the reports that follow)
        s_start, s_end = own[i]
        same = sorted((_clause_start(t, s_start, _anchor(x)), j) for j, x in enumerate(mentions)
                      if own[j] == own[i])
        clause = _clause_start(t, s_start, _anchor(m))
        later = [c for c, j in same if c > clause]
        scope_end = later[0] if later else s_end
        scope_start = s_start if w.anaphors.search(t, clause, scope_end) else clause
        add(i, "report", scope_start, scope_end)
        if later:
            continue
        # only a document that states its date is known to report its own days (a reference date is a guess)
        near = doc.date is not None and m.date.not_after is not None and \
            m.date.not_after >= doc.date - dt.timedelta(days=w.near_days)
        # the rest of the paragraph and the reports that follow, up to the next dated event
        nxt = [x for x in starts_of_events if x >= s_end]
        limit = nxt[0] if nxt else doc.end
        para_end = t.find("\n", s_end)
        para_end = doc.end if para_end < 0 else para_end
        going = True  # the paragraph of the event goes on reporting it
        for a, b in sentences:
            if a < s_end or a >= limit:
                continue
            if back[i] and a > para_end:
                break  # background takes its own paragraph only
            if not near or (a > para_end and not going):
                going = bool(w.report_openers.match(t[a:b].lstrip()))
            elif w.report_openers.match(t[a:b].lstrip()):
                going = True
            if going:
                add(i, "report", a, min(b, limit))

    # cited: "……政治局会议还指出，……" names an event of the document with a content verb
    for occ in occasions:
        if not (doc.start <= occ.start < doc.end):
            continue
        verb = w.content_after.match(t, occ.end)
        if not verb:
            continue
        # the occasion of a mention's own statement ("习近平近日在山西考察时强调，……") is that mention's report, not
        # a citation of a same-named occasion the story recalls later ("2017年6月，习近平在山西考察……"); a plan's
        # target ("《行动计划》提出，到2030年，……") is not its own occasion, the plan issued is
        if any(m.occasion is not None and m.occasion.start == occ.start and not m.target for m in mentions):
            continue
        owners = [i for i, m in enumerate(mentions) if m.occasion is not None and m.occasion.start != occ.start
                  and _names_agree(m.occasion.key, occ.key)]
        if not owners:
            continue
        s_end = next((b for a, b in sentences if a <= occ.start < b), doc.end)
        i = min(owners, key=lambda j: abs(mentions[j].date.start - occ.start))
        add(i, "cited", occ.start, s_end, lo=verb.end())

    # origin: "……在……上首次提出……" attributes what follows the cue to the occasion named before it
    for (s_start, s_end), idx in stated.items():
        for cue in w.origin.finditer(t, s_start, s_end):
            before = [i for i in idx if _anchor(mentions[i]) < cue.start()]
            if before:
                i = max(before, key=lambda j: _anchor(mentions[j]))
                add(i, "origin", _clause_start(t, s_start, _anchor(mentions[i])),
                    _object_end(t, cue.end(), s_end, w), lo=cue.end())

    # document: a title naming a speech at the occasion makes the whole text its content
    title = doc.title or ""
    heading = w.speech_title.search(title)
    if heading:
        owners = [i for i, m in enumerate(mentions) if m.occasion is not None and not flags[i]
                  and _names_agree(m.occasion.key, heading.group(1))]
        if owners:
            add(owners[0], "document", doc.start, doc.end)
    return flags, sorted(out.values())
