"""Assemble event mentions: an occasion, the date that text gives it, who spoke, who convened,
which phrases it is about — from the mentions found in one document.

Why these rules: Chinese policy prose states events as "<date>，<occasion>……" or
"<person>在<date><occasion>上<verb>……", and PDF tables as "<date><occasion> <content>".
So within one sentence an occasion takes the nearest date before it (else one just after
it), and a person in the same clause is its speaker.  Which phrases it is about is not decided
here but by attribution (``extractors.attribution``), after assembly.  A date with no
occasion still makes an event when a person speaks right after it ("5月份以来，习总书记……
多次提到……"): a speech, or a visit with 看望/考察.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ptkg.extractors.acts import line_breaks
from ptkg.extractors.candidates import find_quoted_terms
from ptkg.extractors.headings import Heading, opens_heading
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.mentions import _alternation
from ptkg.extractors.model import DateMention, Document, EventMention, LineIndex, Mention, RawText, Text
from ptkg.extractors.spans import CLAUSE_END as _CLAUSE_END
from ptkg.extractors.spans import SENTENCE_END as _SENTENCE_END
from ptkg.extractors.spans import clause_start as _clause_start
from ptkg.extractors.spans import spans as _spans

_AFTER_GAP = re.compile(r"[^，,：:；;。！？!?\n\t]*(?:[，,]\s*(?:自|于|在|从)?)?")
_ANAPHOR = re.compile(r"对此|就此|此次|这次|此前")
_CLAUSE_BREAK = re.compile(r"[，,：:；;。！？!?\n]")
QUOTE_MAX = 360
#: how far (characters) an occasion's date may follow it, in the same clause or opening the next
AFTER_MAX = 20
#: how far past an occasion a person may stand and still be its speaker ("……会议上，习近平发表讲话")
SPEAKER_REACH = 12
#: how far past an occasion a chair verb may stand ("……会议，由……主持")
CHAIR_REACH = 8
#: how far a person may stand after a date that names no occasion, and still be what it dates
SPEECH_REACH = 12
#: how much text after the person is searched for a speech or visit verb
VERB_WINDOW = 24
#: a chair named in the next sentence ("习近平主持会议。") may follow after this many characters at most
FOLLOWUP_GAP = 2
#: how many sentence ends (a paragraph's end counts as one) may stand between an occasion and its chair followup
FOLLOWUP_SENTENCES = 2


class _Link(NamedTuple):
    """A date linked to what it dates: an occasion of the grammar, or a person speaking/visiting."""

    date: DateMention
    occasion: Mention | None
    name: str
    kind: str
    speakers: list[str]
    clause: int  # where the clause that states it starts


@dataclass
class Found:
    """Everything the finders returned for one file's normalized text."""

    dates: list[DateMention]
    occasions: list[Mention]
    people: list[Mention]
    organizations: list[Mention]
    phrases: list[Mention]
    acts: list[Mention] = dataclasses.field(default_factory=list)  # extractors.acts: named, with their speakers
    headings: list[Heading] = dataclasses.field(default_factory=list)  # extractors.headings: titles and headlines


@lru_cache(maxsize=4)
def _verbs(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    b = lex.boundaries
    return re.compile(_alternation(b["speech_verbs"])), re.compile(_alternation(b["visit_verbs"]))


@lru_cache(maxsize=4)
def _followup(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(_alternation(lex.boundaries["chair_followups"]))


@lru_cache(maxsize=4)
def _report_followup(lex: Lexicon) -> re.Pattern[str]:
    return re.compile("|".join(lex.boundaries["report_followups"]))


def _long_period(d: DateMention) -> bool:
    """A plan period or decade ("“十四五”时期", "80年代") frames a statement; it does not date an occasion."""
    return d.role == "point" and d.precision == "period" and d.not_before is not None and \
        d.not_after is not None and (d.not_after - d.not_before).days > 400


@lru_cache(maxsize=4)
def _chair_and_caption(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    b = lex.boundaries
    speech_nouns = _alternation(b["caption_speech"])
    caption = re.compile(r"^\s*附?表\s*[0-9一二三四五六七八九十]+[:：.]?.*?(?:" + speech_nouns + ")")
    return re.compile(_alternation(b["chair_verbs"])), caption


def _caption_speakers(t: str, doc: Document, people: list[Mention], lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, person) for tables whose caption names a speaker: the rows that follow,
    up to the next caption, are that person's words."""
    _, caption = _chair_and_caption(lex)
    starts = [m.start() for m in re.finditer(r"(?m)^\s*(?:附?表|图)\s*[0-9一二三四五六七八九十]", t[doc.start:doc.end])]
    out = []
    for i, rel in enumerate(starts):
        a = doc.start + rel
        line_end = t.find("\n", a)
        line_end = doc.end if line_end < 0 else line_end
        head = t[a:line_end]
        if not caption.match(head):
            continue
        who = [p for p in people if a <= p.start < line_end]
        if who:
            b = doc.start + starts[i + 1] if i + 1 < len(starts) else doc.end
            out.append((a, b, who[0].key))
    return out



def _within(items: Sequence, a: int, b: int) -> list:
    return [x for x in items if a <= x.start and x.end <= b]



def _inside_quote(text: str, lo: int, at: int) -> bool:
    """Is ``at`` inside a quotation opened after ``lo``? (Words quoted are not the quoted person.)"""
    seg = text[lo:at]
    return seg.count("“") + seg.count("「") > seg.count("”") + seg.count("」")


@lru_cache(maxsize=4)
def _ranks(lex: Lexicon) -> dict[str, int]:
    """How general a concept is (0 = top of the scheme): a speech is named after the most general."""
    parent = {c.iri: c.broader[0] for c in lex.concepts if c.broader}
    rank = {}
    for c in lex.concepts:
        depth, iri = 0, c.iri
        while iri in parent and depth < 10:
            iri, depth = parent[iri], depth + 1
        rank[c.iri] = depth
    return rank


def _label(iri: str, lex: Lexicon) -> str:
    c = lex.concept(iri)
    return c.pref_label if c else iri


def _speech(text: str, date: DateMention, people: list[Mention], phrases: list[Mention],
            limit: int, lex: Lexicon) -> tuple[str, str, list[str]] | None:
    """A person speaking (or visiting) right after a date that names no occasion: (name, kind, speakers)."""
    speech_verbs, visit_verbs = _verbs(lex)
    for p in people:
        if p.start < date.end or p.start - date.end > SPEECH_REACH:
            continue
        tail = text[p.end:min(limit, p.end + VERB_WINDOW)]
        v = visit_verbs.search(tail)
        if v and v.start() <= 2:
            obj_end = _CLAUSE_END.search(text, p.end + v.end(), limit)
            obj = text[p.end + v.end():obj_end.start() if obj_end else limit][:20]
            return f"{p.key}{v.group()}{obj}", "Visit", [p.key]
        s = speech_verbs.search(tail)
        if s:
            after = [x for x in phrases if x.start >= p.end + s.start()]
            topic = min(after, key=lambda x: (_ranks(lex).get(x.key, 9), x.start)) if after else None
            name = f"{p.key}{s.group()}" + (_label(topic.key, lex) if topic else "")
            return name, "Speech", [p.key]
        # a tour told at length: "习近平在……陪同下，先后来到郴州、长沙等地，深入……进行调研"
        later = [x for x in people if p.end <= x.start < limit]
        v = visit_verbs.search(text, p.end, limit)
        if v and not any(x.start < v.start() and _subject_of(text, x, lex) for x in later):
            return f"{p.key}{v.group()}", "Visit", [p.key]
    return None


@lru_cache(maxsize=4)
def _titles(lex: Lexicon) -> tuple[str, ...]:
    words = set(lex.titles) | set(lex.boundaries.get("member_titles", []))
    return tuple(sorted(words, key=len, reverse=True))


def _title_follows(text: str, at: int, lex: Lexicon) -> bool:
    """"中共中央总书记、中央军委主席习近平": a body named in someone's title is not an organizer."""
    return text.startswith(_titles(lex), at)


#: how long a title chain may run from a body to the person it describes ("中共中央政治局常委、国务院副总理韩正")
TITLE_CHAIN_MAX = 30


def _in_title_chain(text: str, org: Mention, people: list[Mention]) -> bool:
    """A body listed in someone's titles ("中共中央政治局常委、国务院总理李克强") is their office, not an organizer:
    a person follows it in the same clause, the titles between listed with the list mark (常委、)."""
    nxt = [p for p in people if p.start >= org.end]
    if not nxt or nxt[0].start - org.end > TITLE_CHAIN_MAX:
        return False
    between = text[org.end:nxt[0].start]
    return "\u3001" in between and _CLAUSE_END.search(between) is None


#: how far after a person the words that make them an accompanier are looked for
ACCOMPANY_REACH = 12


def _subject_of(text: str, person: Mention, lex: Lexicon) -> bool:
    """Is this person the subject of what follows (not someone accompanying: "……陪同下")?"""
    b = lex.boundaries
    return not text.startswith(tuple(b["accompany_openers"]), person.end) and \
        not any(w in text[person.end:person.end + ACCOMPANY_REACH] for w in b["accompany_words"])


def _cited_before(t: str, clause: int, occ: Mention, dates: list[DateMention], opener: re.Pattern[str]) -> bool:
    """"要求深入贯彻……在中央政治局会议上重要讲话精神": a citing word before the occasion in its clause, no date
    of the occasion's own between them ("按照1997年中央召开的全国金融工作会议的要求" recalls a dated occasion)."""
    last = None
    for m in opener.finditer(t, clause, occ.start):
        last = m
    return last is not None and not any(last.end() <= d.start < occ.start for d in dates)


@lru_cache(maxsize=4)
def _decision(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(_alternation(lex.boundaries.get("decision_words", [])) or "(?!)")


def _occasion_links(t: str, s_start: int, s_end: int, dates: list[DateMention], occasions: list[Mention],
                    people: list[Mention], captions: list[tuple[int, int, str]], lex: Lexicon,
                    used: set[int], breaks: frozenset[int] = frozenset()) -> list[_Link]:
    """Each occasion of the sentence linked to its date, speakers and clause."""
    chair, _ = _chair_and_caption(lex)
    decided = _decision(lex)
    links = []
    for occ in occasions:
        # "中共中央政治局7月30日召开会议": the grammar reads the date inside the occasion; elsewhere a
        # date inside a name is part of the name (《……2035年远景目标纲要》)
        inside = [d for d in dates if occ.start <= d.start and d.end <= occ.end and occ.dated_inside]
        before = [d for d in dates if d.end <= occ.start and not decided.search(t, d.end, occ.start)]
        # after it: in the same clause ("……会议12月16日至18日在北京举行"), or opening the next one
        # ("……峰会，自2015年创办之初"); not a later clause's date ("……会议，……部署下半年经济工作")
        # and not across a raw line break: a heading joined to the lede below is not dated by the lede
        # nor past another occasion: "……主持召开……委员长会议 决定……第二十一次会议8月8日至11日在京举行" dates the second
        after = [d for d in dates if d.start >= occ.end and d.start - occ.end <= AFTER_MAX
                 and _AFTER_GAP.fullmatch(t, occ.end, d.start)
                 and not any(i in breaks for i in range(occ.end, d.start + 1))
                 and not any(occ.end <= o.start and o.end <= d.start for o in occasions)]
        date = (inside or before[-1:] or after[:1] or [None])[0]
        if date is None:
            continue
        used.add(id(date))
        anchor = min(date.start, occ.start)
        clause = _clause_start(t, s_start, anchor)
        speakers = [p.key for p in people if clause <= p.start < occ.end + SPEAKER_REACH
                    and not _cited_person(t, clause, p, lex)]
        if not speakers:
            speakers = _acting_next(t, occ, people, s_end, lex)
        if not speakers and chair.search(t, clause, min(s_end, occ.end + CHAIR_REACH)):
            earlier = [p for p in people if p.end <= clause]
            speakers = [earlier[-1].key] if earlier else []
        if not speakers:
            speakers = [who for a, b, who in captions if a < occ.start < b]
        if occ.source.startswith("act:"):  # named, with its speakers, by extractors.acts
            links.append(_Link(date, occ, occ.key, occ.kind, list(occ.speakers), clause))
            continue
        name = occ.key
        if occ.kind == "Visit" and name.startswith(tuple(lex.boundaries["visit_in_openers"])) and speakers:
            name = speakers[0] + name  # "在湖南考察" is named after who went: 习近平在湖南考察
        if occ.named_after_actor:
            if not speakers:
                continue  # "参加会见", "会谈取得成果": an act named without who did it is not reported here
            name, other = _actor_name(t, occ, people, speakers[0], clause, s_end, lex)
            speakers = _act_speakers(occ, people, speakers, other, clause)
        links.append(_Link(date, occ, name, occ.kind, speakers, clause))
    return links


#: how far before a person the words that make them cited, not present, are looked for ("学习贯彻习近平总书记")
CITED_REACH = 4


def _cited_person(t: str, clause: int, person: Mention, lex: Lexicon) -> bool:
    """"……举行会议，学习贯彻习近平总书记在……上的重要讲话": a person whose words are studied is not a speaker."""
    return any(w in t[max(clause, person.start - CITED_REACH):person.start]
               for w in lex.boundaries.get("cited_person_openers", []))


def _acting_next(t: str, occ: Mention, people: list[Mention], s_end: int, lex: Lexicon) -> list[str]:
    """"国务院召开第三次廉政工作会议，中共中央政治局常委、国务院总理李克强发表重要讲话", "……委员长会议17日上午在京
    举行，栗战书委员长主持": the people who act (chair, speak) in the rest of the occasion's clause or in the
    next clause, when a title chain puts them beyond SPEAKER_REACH."""
    first = _CLAUSE_END.search(t, occ.end, s_end)
    if not first:
        return []
    second = _CLAUSE_END.search(t, first.end(), s_end)
    end = second.start() if second else s_end
    acts = tuple(lex.boundaries.get("acting_after_name", []))
    titles = _titles(lex)
    out = []
    for p in people:
        if occ.end <= p.start and p.end <= end:
            rest = t[p.end:end]
            title = next((x for x in titles if rest.startswith(x)), "")  # 栗战书委员长主持
            if rest[len(title):].startswith(acts) and not _cited_person(t, occ.end, p, lex):
                out.append(p.key)
    return out


#: how many characters of the object of an act ("会见南非总统祖马") go into its name
OBJECT_MAX = 16


def _actor_name(t: str, occ: Mention, people: list[Mention], actor: str, clause: int, s_end: int,
                lex: Lexicon) -> tuple[str, str | None]:
    """"习近平会见南非总统祖马", "习近平同佐科举行会谈": who acted, the act, and whom it concerned — so two
    talks of one leader on one day stay two events; and that counterpart, when a person is named."""
    b = lex.boundaries
    verb = occ.key
    before = [p for p in people if clause <= p.start and p.end <= occ.start and p.key != actor]
    with_word = re.search(_alternation(b["counterpart_openers"]), t[clause:occ.start])
    if before and with_word:
        return f"{actor}{with_word.group()}{before[-1].key}{verb}", before[-1].key
    end = _CLAUSE_END.search(t, occ.end, s_end)
    obj = t[occ.end:end.start() if end else s_end]
    cut = re.search("|".join(b["object_ends"]), obj)
    obj = obj[:cut.start()] if cut else obj
    after = [p for p in people if occ.end <= p.start < occ.end + len(obj) + 1 and p.key != actor]
    if after:
        return f"{actor}{verb}{after[0].key}", after[0].key
    return f"{actor}{verb}{obj[:OBJECT_MAX]}", None


def _act_speakers(occ: Mention, people: list[Mention], speakers: list[str], other: str | None,
                  clause: int) -> list[str]:
    """Who speaks at an act named after its actor (GOLD-SCHEMA news conventions): both sides of talks
    (会见/会谈/通电话, kind Meeting); of a message (致电/复信) only its senders, the people before the verb."""
    if occ.kind == "Meeting":
        return sorted(set(speakers) | ({other} if other else set()))
    senders = [p.key for p in people if clause <= p.start and p.end <= occ.start]
    return senders or speakers[:1]


def _with_acts(found: Found) -> list[Mention]:
    """The occasions of the grammar and the acts that overlap none of them, in text order."""
    occ = found.occasions
    acts = [a for a in found.acts if all(a.end <= o.start or a.start >= o.end for o in occ)]
    return sorted(occ + acts, key=lambda m: (m.start, m.end))


def _speech_links(t: str, s_start: int, s_end: int, dates: list[DateMention], people: list[Mention],
                  phrases: list[Mention], lex: Lexicon, used: set[int], occasions: Sequence[Mention] = ()
                  ) -> list[_Link]:
    """Dates that no occasion took, linked to a person speaking or visiting right after them.  A date inside an
    occasion's name is part of the name ("春节团拜会 习近平发表讲话": 春节 dates no speech)."""
    links = []
    for d in dates:
        if id(d) in used or any(o.start <= d.start and d.end <= o.end for o in occasions):
            continue
        nxt = [x for x in dates if x.start > d.end]
        limit = nxt[0].start if nxt else s_end
        sp = _speech(t, d, people, phrases, limit, lex)
        if sp:
            name, kind, speakers = sp
            links.append(_Link(d, None, name, kind, speakers, _clause_start(t, s_start, d.start)))
    return links


def assemble(raw: RawText, text: Text, doc: Document, found: Found, lines: LineIndex,
             lex: Lexicon) -> list[EventMention]:
    """Event mentions of one document, in text order.

    An event mention is complete when the sentences that continue its report have been read
    ("习近平主持会议。", "会议强调，……"): drafts are kept until then, and only complete mentions are returned.
    """
    t = text.text
    drafts: list[dict] = []
    captions = _caption_speakers(t, doc, _within(found.people, doc.start, doc.end), lex)
    openers = tuple(lex.boundaries["same_time_openers"])
    cited_after = tuple(lex.boundaries["cited_after"])
    submitted_to = tuple(lex.boundaries.get("submitted_to", []))
    cited_before = re.compile(_alternation(lex.boundaries.get("cited_before", [])) or "(?!)")
    same_day = frozenset(lex.boundaries["same_day_words"])
    told: list[DateMention] = []  # the dates of the last sentence that gave one of its own
    last_dates: list[DateMention] = []
    all_occasions = _with_acts(found)
    dated_end = doc.start  # where the last sentence that gives a date ends
    chain = (0, doc.start, 0)  # (how many drafts there were, where the last followup sentence ended, its draft)
    breaks = line_breaks(text, raw.text)
    headings = _within(found.headings, doc.start, doc.end)
    for s_start, s_end in _spans(t, doc.start, doc.end, _SENTENCE_END):
        # "截至2019年底" dates a statistic, not an occasion
        dates = [d for d in _within(found.dates, s_start, s_end) if d.role != "until" and not _long_period(d)]
        if not dates and last_dates and t[s_start:s_end].lstrip().startswith(openers):
            dates = last_dates[-1:]  # "会后，……签署了《……》": the time of the sentence before
        elif told:  # "伊朗总统莱希当天谴责……": 当天 is the day of the event last told, not the story's
            prev = told[-1]
            dates = [dataclasses.replace(d, not_before=prev.not_before, not_after=prev.not_after,
                                         precision=prev.precision) if d.text in same_day else d for d in dates]
        last_dates = dates
        told = [d for d in dates if d.text not in same_day] or told
        links: list[_Link] = []
        if dates:
            occasions = [o for o in _within(all_occasions, s_start, s_end)
                     if not t.startswith(cited_after, o.end) and not t.endswith(submitted_to, s_start, o.start)
                     and not _cited_before(t, _clause_start(t, s_start, o.start), o, dates, cited_before)]
            people = [p for p in _within(found.people, s_start, s_end) if not _inside_quote(t, s_start, p.start)]
            orgs = _within(found.organizations, s_start, s_end)
            para_end = t.find("\n", s_end)
            para_end = doc.end if para_end < 0 or para_end > doc.end else para_end
            phrases = _within(found.phrases, s_start, para_end)
            used: set[int] = set()
            links = _occasion_links(t, s_start, s_end, dates, occasions, people, captions, lex, used, breaks)
            links += _speech_links(t, s_start, s_end, dates, people, phrases, lex, used, occasions)
            links.sort(key=lambda x: x.clause)
            if not links:
                links = _item_link(t, s_start, dates, headings, doc.date, lex, found.people)
            if not links:
                links = _opening_date_link(t, s_start, s_end, dates, people, orgs, doc.date, lex)
        if not dates and told:
            links = _carried_act_links(t, s_start, s_end, found.acts, told[-1], doc.date, lex, drafts, headings)
        if not links:
            # no event of its own (no date, or only the date of a figure: "会议审议了……2022年度……的报告，听取了……
            # 作的……"): it may go on with the report of the last occasion
            took = _chair_followup(t, s_start, s_end, found.people, drafts, lex, dated_end, chain, doc.date)
            if took is not None:
                chain = (len(drafts), s_end, took)  # a list of reporters goes on: "听取了……作的报告。听取了……"
            _report_followup_phrases(t, s_start, s_end, found.phrases, drafts, lex)
            continue
        dated_end = s_end
        for i, link in enumerate(links):
            drafts.append(_draft(raw, text, doc, lines, lex, link, links[i + 1].clause if i + 1 < len(links)
                                 and links[i + 1].clause > link.clause else para_end,
                                 s_start, s_end, phrases, orgs, people))
    _name_by_headings(drafts, headings, doc.date, lex)
    _name_by_heading_acts(drafts, headings, found.acts)
    return [EventMention(**d) for d in drafts]


#: how finely a headed paragraph's first sentence must date it for the headline to make an event of its own
ITEM_PRECISIONS = ("day", "part-of-month")


def _news_of_the_day(date: DateMention, today: dt.date | None, lex: Lexicon) -> bool:
    """Does the date fall within the days a headline reports (``headings.yaml`` days_before), or later?"""
    if today is None or date.not_after is None:
        return False
    return (today - date.not_after).days <= lex.headings.get("days_before", 0)


def _item_link(t: str, s_start: int, dates: list[DateMention], headings: list[Heading], today: dt.date | None,
               lex: Lexicon, people: Sequence[Mention] = ()) -> list[_Link]:
    """The first sentence of a headed paragraph that dates a day of the news and names no occasion the grammar
    knows ("大陆最大的专业救助船东海救101轮，今天从福建湄洲岛启航赴台湾……" under "大陆专业救助船首访台湾"): the
    paragraph reports what its headline says, on that day — unless the headline reports weather, a disaster, a
    crime, sport or a statistic.  A person who opens the headline is who acted ("王沪宁出席……动员会")."""
    for h in headings:
        if h.neutral:
            continue
        if h.body_start == s_start or (s_start > h.body_start and not t[h.body_start:s_start].strip()):
            day = [d for d in dates if d.role == "point" and d.precision in ITEM_PRECISIONS]
            if day and _news_of_the_day(day[0], today, lex):
                who = [p.key for p in people if opens_heading(t, h, p.start)]
                return [_Link(day[0], None, h.name.split()[0] if len(h.name.split()[0]) >= HEADLINE_CLAUSE_MIN
                              else h.name, "Event", who, s_start)]
    return []


@lru_cache(maxsize=4)
def _carried(lex: Lexicon) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    spec = lex.acts.get("carried", {})
    return (frozenset(f"act:{f}" for f in spec.get("families", ())), tuple(spec.get("not_before", ())),
            tuple(spec.get("not_clause_end", ())))


def _carried_act_links(t: str, s_start: int, s_end: int, acts: Sequence[Mention], told: DateMention,
                       today: dt.date | None, lex: Lexicon, drafts: Sequence[dict] = (),
                       headings: Sequence[Heading] = ()) -> list[_Link]:
    """Acts of a sentence that gives no date ("中共中央政治局常委、国务院总理李强作出批示指出，……" after the
    sentence that dated the accident): news goes on telling the day it last dated, so a person's act is of that
    day when it is a day of the news (``acts.yaml`` carried) — not attendance (参加会见), a plan (还将……访问), a
    recall (多次会晤) or the time of something else (在会见……时).  An act the document has already drafted (by
    its name, or as the same kind by the same people on that day) is the same act told again ("他表示，……李强总理
    作出批示，要求……"; the headline's "习近平向……论坛致贺信" and the lede's "习近平向论坛致信祝贺"), and a
    headline names what its story tells.
    The day told must be a day ("去年以来", "自今年1月12日起" date no act of today's news)."""
    families, not_before, not_end = _carried(lex)
    told_names = {d["name"] for d in drafts}
    told_acts = {(d["kind"], tuple(d["speakers"]), d["date"].not_before) for d in drafts}
    if told.role != "point" or told.precision not in ITEM_PRECISIONS or told.not_before is None \
            or today is None or not _news_of_the_day(told, today, lex) or told.not_before > today \
            or (today - told.not_before).days > lex.headings.get("days_before", 0):
        return []
    links = []
    for a in acts:
        if not (s_start <= a.start and a.end <= s_end) or a.source not in families or not a.speakers \
                or a.key in told_names or any(h.start <= a.start < h.end for h in headings) \
                or (a.kind, tuple(sorted(set(a.speakers))), told.not_before) in told_acts:
            continue
        clause = _clause_start(t, s_start, a.start)
        if _inside_quote(t, s_start, a.start) or any(w in t[clause:a.start] for w in not_before):
            continue
        end = _CLAUSE_BREAK.search(t, a.end, s_end)
        if t[a.end:end.start() if end else s_end].endswith(not_end):
            continue
        links.append(_Link(told, a, a.key, a.kind, list(a.speakers), clause))
    return links


#: the shortest clause of a headline that names an event of its own ("总理正式辞职"); shorter ones are a headline's
#: parts ("美国 加州山火")
HEADLINE_CLAUSE_MIN = 4


#: how much of the clause after an opening date names what it dates
OPENING_NAME_MAX = 24


def _opening_date_link(t: str, s_start: int, s_end: int, dates: list[DateMention], people: list[Mention],
                       orgs: list[Mention], today: dt.date | None, lex: Lexicon) -> list[_Link]:
    """A sentence that recalls a past day, then a comma and a clause whose subject is a known body or person
    ("1962年2月，国家林业部决定在塞罕坝建立大型机械林场", "2015年9月，习近平主席首登联合国讲台"): the clause is
    what happened then, named by its words; a clause with no known subject ("2019年，我国经济……") dates nothing.
    The days of the news are left to the act grammar: there such a clause is mostly one stop of a tour told at
    length ("7日上午，习近平还来到哈尔滨工程大学", 12 of 25 such sentences in 1,500 random stories, not 2024)."""
    head = s_start
    while head < s_end and t[head].isspace():
        head += 1
    # it opens the sentence, or follows its lead-in ("央视网消息（新闻联播）：1962年2月，……")
    first = [d for d in dates if (d.start == head or (d.start > head and t[d.start - 1] in "：:"))
             and d.role == "point" and d.not_before is not None][:1]
    if not first or not t.startswith(("，", ","), first[0].end):
        return []
    d = first[0]
    if today is None or _news_of_the_day(d, today, lex):
        return []
    at = d.end + 1
    subject = [m for m in people + orgs if m.start == at]
    if not subject:
        return []
    end = _CLAUSE_BREAK.search(t, at, s_end)
    clause = t[at:end.start() if end else s_end]
    if len(clause) <= subject[0].end - at + 1:
        return []
    speakers = [subject[0].key] if subject[0].type == "person" else []
    return [_Link(d, None, clause[:OPENING_NAME_MAX], "Event", speakers, at)]


@lru_cache(maxsize=4)
def _heading_named(lex: Lexicon) -> frozenset[str]:
    return frozenset(f"act:{f['id']}" for f in lex.acts["families"] if f.get("named_by_heading"))


def _name_by_headings(drafts: list[dict], headings: list[Heading], today: dt.date | None, lex: Lexicon) -> None:
    """The first event reported under a title or headline takes its words as its name when the act grammar
    could only name it by the clause that reports it ("洪楠基表示针对日本把韩国……" → 韩将把日本移出本国贸易“白色
    清单”): the reporter's headline says what happened.  An occasion with a name of its own keeps it."""
    named = _heading_named(lex)
    for h in headings:
        # a headline of several clauses ("意参议院通过预算案 总理正式辞职") names the paragraph's first events in turn
        clauses = h.name.split()
        if len(clauses) < 2 or min(map(len, clauses)) < HEADLINE_CLAUSE_MIN:
            clauses = [h.name]
        under = [d for d in drafts if h.body_start <= d["sentence"][0] < h.body_end]
        for d, clause in zip(under, clauses, strict=False):
            occ = d["occasion"]
            if occ is None or occ.source not in named or not _news_of_the_day(d["date"], today, lex):
                break
            d["name"] = clause


def _name_by_heading_acts(drafts: list[dict], headings: list[Heading], acts: Sequence[Mention]) -> None:
    """An act its headline states in full names the same act its paragraph tells in short: the headline's
    "习近平向汶川地震十周年国际研讨会……致信" names the lede's "国家主席习近平向会议致信" (the same family of act
    by the same people; in a sample of 20,000 stories of 2012-2026, each of
    the 14 headlines of a message whose lede says 向会议/大会/论坛 names that message)."""
    for h in headings:
        told = [a for a in acts if h.start <= a.start and a.end <= h.end and a.speakers]
        for d in drafts:
            occ = d["occasion"]
            if occ is None or not h.body_start <= d["sentence"][0] < h.body_end or occ.start < h.end:
                continue
            same = [a for a in told if a.source == occ.source and sorted(set(a.speakers)) == d["speakers"]]
            if len(same) == 1 and d["name"] == occ.key:
                d["name"] = same[0].key


def _draft(raw: RawText, text: Text, doc: Document, lines: LineIndex, lex: Lexicon, link: _Link, scope_end: int,
           s_start: int, s_end: int, phrases: list[Mention], orgs: list[Mention],
           people: list[Mention]) -> dict:
    """The fields of one event mention: what the link states, the quoted terms of its scope, its organizers
    (which phrases it is about is left to ``extractors.attribution``)."""
    t = text.text
    date, occ, clause = link.date, link.occasion, link.clause
    scope_start = s_start if _ANAPHOR.search(t, clause, min(scope_end, s_end)) else clause
    coined = sorted({c.key for c in find_quoted_terms(t[scope_start:scope_end], lex)})
    org_keys = {o.key for o in orgs if clause <= o.start < (occ.end if occ else date.end) + 2
                and not _title_follows(t, o.end, lex) and not _in_title_chain(t, o, people)}
    if occ and occ.names_body:
        org_keys |= {o.key for o in orgs if occ.start <= o.start < occ.end}
    if occ and occ.organizer:
        org_keys |= {occ.organizer}
    raw_a, raw_b = text.raw_span(date.start, date.end)
    q_a, q_b = _quote_span(text, s_start, s_end, date.start)
    return dict(
        source=raw.path, document=doc.index, kind=link.kind, name=link.name, date=date,
        line=lines.line_of(raw_a), date_text=raw.text[raw_a:raw_b],
        quote=raw.text[q_a:q_b].strip(), sentence=(s_start, s_end), occasion=occ,
        speakers=sorted(set(link.speakers)), organizations=sorted(org_keys),
        target=date.role == "target", candidates=coined, sentence_text=t[s_start:s_end],
    )


def _chair_followup(t: str, s_start: int, s_end: int, people: list[Mention], drafts: list[dict],
                    lex: Lexicon, dated_end: int, chain: tuple[int, int, int],
                    today: dt.date | None = None) -> int | None:
    """"习近平主持会议。" after an occasion's sentence (right after it, or after up to FOLLOWUP_SENTENCES
    undated ones: "……出席。国务委员肖捷主持会议。"): that person spoke at that sentence's event — the first of
    its events that names no speaker ("……举行会议，学习贯彻……全会上的重要讲话。……赵乐际主持会议。"), else
    the first (the sentence's own occasion; later ones are mostly cited: "……按照中央纪委四次全会……部署")."""
    if not drafts or drafts[-1]["occasion"] is None:
        return None
    last_end = drafts[-1]["sentence"][1]
    chained = chain[0] == len(drafts)  # followups of this occasion already read: count from the last of them
    if chained:
        last_end = max(last_end, chain[1])
    between = t[last_end:s_start]
    near = s_start - last_end <= FOLLOWUP_GAP or (
        dated_end <= last_end and len(_SENTENCE_END.findall(between)) <= FOLLOWUP_SENTENCES)
    matches = list(_followup(lex).finditer(t, s_start, s_end))
    if not matches:
        return None
    m = matches[0]
    listed = tuple(lex.boundaries.get("list_followups", []))
    topic = tuple(lex.boundaries.get("followup_topic_openers", []))
    # the person stands just before the verb, perhaps with a manner between ("以视频方式发表主旨演讲"); a list
    # ("柳传志、……等8位……发了言") spoke as a whole; one sentence may name several ("曹卫星常委提出，……；解学智常委建议")
    who = []
    for x in matches:
        if x.group() in listed:
            who += [p for p in people if s_start <= p.start and p.end <= x.start()]
        else:
            near_by = [p for p in people
                       if s_start <= p.start and p.end <= x.start() and x.start() - p.end <= CHAIR_REACH]
            about = [p for p in people if s_start <= p.start and p.end <= x.start()
                     and t.startswith(topic, p.end) and not _CLAUSE_BREAK.search(t, p.end, x.start())]
            who += (near_by or about)[-1:]
    if not who:
        return None
    # an occasion still to come is not chaired today: "会议决定，……第二十四次会议10月31日至11月7日在北京举行。
    # 张德江委员长主持会议。" chairs the story's meeting, not the one it scheduled
    held = [d for d in drafts if not (today and d["date"].not_before and d["date"].not_before > today)]
    held_ids = {id(d) for d in held}
    if near and chained and id(drafts[chain[2]]) in held_ids:
        target = drafts[chain[2]]
    elif near and id(drafts[-1]) in held_ids:
        same = [d for d in held if d["sentence"] == drafts[-1]["sentence"] and d["occasion"] is not None]
        target = next((d for d in same if not d["speakers"]), same[0] if same else drafts[-1])
    else:
        # far from it: "中共中央总书记习近平主持会议。" closing a Politburo readout names the chair of the story's
        # meeting, the first meeting of the document that names no speaker (if the words say 会议)
        meetings = [d for d in held if d["occasion"] is not None and d["kind"] == "Meeting"]
        if m.group().endswith(tuple(lex.boundaries.get("meeting_words", []))):
            target = next((d for d in meetings if not d["speakers"]), None)
        elif m.group() in lex.boundaries.get("reporter_followups", []) and today:
            target = next((d for d in meetings if d["date"].not_before == d["date"].not_after == today), None)
        else:
            return None
        if target is None:
            return None
    target["speakers"] = sorted(set(target["speakers"]) | {p.key for p in who})
    return next(i for i, d in enumerate(drafts) if d is target)


def _report_followup_phrases(t: str, s_start: int, s_end: int, phrases: list[Mention],
                             drafts: list[dict], lex: Lexicon) -> None:
    """"会议强调，……" after an occasion: the report goes on (its phrases are left to ``extractors.attribution``)."""
    if not drafts or drafts[-1]["occasion"] is None:
        return
    head = t[s_start:s_end].lstrip()
    if _report_followup(lex).match(head):
        last = drafts[-1]
        last["sentence"] = (last["sentence"][0], s_end)  # the report goes on: a chair named next still belongs here


def _quote_span(text: Text, s_start: int, s_end: int, at: int) -> tuple[int, int]:
    """Raw span of the sentence, cut to QUOTE_MAX normalized characters around ``at``."""
    while s_start < s_end and text.text[s_start].isspace():
        s_start += 1
    if s_end - s_start > QUOTE_MAX:
        lo = max(s_start, min(at - QUOTE_MAX // 3, s_end - QUOTE_MAX))
        s_start, s_end = lo, lo + QUOTE_MAX
    a, b = text.raw_span(s_start, s_end)
    return a, b
