"""Find dated acts of news copy — talks, messages, instructions, decisions, statements, ceremonies held —
with the grammar in ``extractors/data/acts.yaml``.

Why a component of its own: the occasion grammar names occasions by their nouns ("十九届五中全会",
"……座谈会"), but most of what a news story reports is an act named by who did it and to whom
("普京会见叙利亚总统巴沙尔·阿萨德", "习近平对……事故作出重要指示", "全国妇联召开新闻发布会").  Naming those
needs the people and bodies found before, so this component runs after the people and organization finders
and reads their mentions.  Each act is a :class:`~ptkg.extractors.model.Mention` of type "occasion" whose key
is the act's name and whose ``speakers`` are who spoke; assembly dates it like any occasion (the date before
it in the sentence, else one right after it), so an act the story does not date makes no event.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ptkg.extractors.kinds import kind_ids
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.mentions import _alternation
from ptkg.extractors.model import DateMention, Mention, Text
from ptkg.extractors.occasions import _trim_modifier

_CLAUSE_END = re.compile(r"[，,：:；;。！？!?\n\t]")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_SUBJECT_CHARS = re.compile(r"^[\u4e00-\u9fff·A-Za-z（）()、]{2,24}$")
#: how far (characters) before an act its actor may stand, within the clause
ACTOR_REACH = 48
#: how far after an occasion's noun the verb that holds it may stand ("……典礼在陕西延安举行")
HELD_REACH = 24
#: how long a modifier of a held or subject occasion may be
MOD_MAX = 30


@dataclass(frozen=True)
class _Family:
    id: str
    kind: str
    form: str
    verbs: re.Pattern[str]
    nouns: tuple[str, ...]
    speakers: str
    object: str
    object_must: re.Pattern[str] | None
    actor_required: bool
    date_adjacent: bool
    not_after: tuple[str, ...]
    pre_markers: str  # the words that open the object before the verb (default: 对, 就, 同, 与, 和, 向)
    actor_known: bool  # the actor must be a person or body the finders know ("南非警方表示" is not enough)
    not_bare: tuple[str, ...] = ()  # held: verbs that name no occasion with a bare noun ("主持会议": a chair followup)
    pre_kept: tuple[str, ...] = ()  # which openers of the object before the verb go into the name (default: spec)


@lru_cache(maxsize=4)
def _grammar(lex: Lexicon) -> tuple[list[_Family], dict]:
    spec = lex.acts
    families = []
    for f in spec["families"]:
        if f["kind"] not in kind_ids():
            raise ValueError(f"acts.yaml family {f['id']}: kind {f['kind']} not in kinds.yaml")
        must = f.get("object_must")
        families.append(_Family(
            f["id"], f["kind"], f["form"], re.compile(_alternation(f["verbs"])), tuple(f.get("nouns", ())),
            f.get("speakers", "actor"), f.get("object", "none"), re.compile(must) if must else None,
            f.get("actor") in ("required", "known"), bool(f.get("date_adjacent")), tuple(f.get("not_after", ())),
            f.get("pre_markers", ""), f.get("actor") == "known", tuple(f.get("not_bare", ())),
            tuple(f.get("pre_kept", ())),
        ))
    return families, spec


def _clause_start(t: str, at: int, breaks: frozenset[int] = frozenset()) -> int:
    """Start of the clause holding ``at``: after punctuation, or where a raw line began (a heading that
    normalization joined to the paragraph under it is not the paragraph's subject)."""
    lo = max(0, at - ACTOR_REACH)
    for i in range(at - 1, lo - 1, -1):
        if _CLAUSE_END.match(t, i):
            return i + 1
        if i in breaks:
            return i
    return lo


#: a raw line this short that ends without punctuation is a heading, not a wrapped line of a paragraph
HEADING_MAX = 40


def line_breaks(text: Text, raw: str) -> frozenset[int]:
    """Normalized offsets (the character after) where a heading's raw line break was joined away: the line
    before is short and ends with no punctuation.  A wrapped line of a paragraph (PDF) is no heading.

    Why from the raw line breaks: the characters ``i`` whose raw gap ``[end_of(i - 1), origin[i])`` holds
    a line break are, for origins in order, exactly the ``bisect_right(origin, p)`` of those breaks ``p``
    that fall in that gap, so only the breaks are visited, not every character (was ~4% of a build).
    """
    origin = text.origin
    if origin != sorted(origin):  # not in order: every character, as said above
        return frozenset(i for i in range(1, len(text.text)) if _joined_break(text, raw, i))
    out = set()
    p = raw.find("\n")
    while p != -1:
        i = bisect.bisect_right(origin, p)
        if 1 <= i < len(origin) and text.end_of(i - 1) <= p and _joined_break(text, raw, i):
            out.add(i)
        p = raw.find("\n", p + 1)
    return frozenset(out)


def _joined_break(text: Text, raw: str, i: int) -> bool:
    """Was a heading's raw line break joined away before normalized character ``i``?"""
    a, b = text.end_of(i - 1), text.origin[i]
    if not (b > a and "\n" in raw[a:b]):
        return False
    line = raw[raw.rfind("\n", 0, a) + 1:a].strip()
    return bool(line) and len(line) <= HEADING_MAX and not _CLAUSE_END.match(line[-1]) \
        and line[-1] not in "，、。”」）)"


def _clause_end(t: str, at: int) -> int:
    m = _CLAUSE_END.search(t, at)
    return m.start() if m else len(t)


def _inside_quote(t: str, lo: int, at: int) -> bool:
    seg = t[lo:at]
    return seg.count("“") + seg.count("「") > seg.count("”") + seg.count("」")


def _actor(t: str, cs: int, v: int, named: list[Mention], dates: list[DateMention], spec: dict
           ) -> tuple[str, int, list[Mention]]:
    """(actor's name, where the actor ends, the people/bodies that make it) for an act at ``v``."""
    openers = tuple(spec["counterpart_openers"])
    inside = [m for m in named if cs <= m.start and m.end <= v and not _inside_quote(t, cs, m.start)]
    subjects = [m for m in inside if not t[:m.start].endswith(openers)]
    persons = [m for m in subjects if m.type == "person"]
    if persons:  # "国务院总理李克强", "中共中央总书记、……习近平": a body in a person's title is not the actor
        subjects = persons
    if subjects:
        first = subjects[0]
        # "全国人大常委会、国务院": bodies listed together act together
        group = [first]
        for m in subjects[1:]:
            if t[group[-1].end:m.start] in ("、", "和", "与", "及"):
                group.append(m)
        return "、".join(m.key for m in group), group[-1].end, [m for m in group if m.type == "person"]
    # no known person or body: the words that open the clause, up to a date or a stop word
    stop = v
    for d in dates:
        if cs <= d.start < stop:
            stop = d.start
    head = t[cs:stop]
    cut = re.search(_alternation(spec["actor_stops"]), head[1:])
    if cut:
        head = head[:cut.start() + 1]
    if head in spec["actor_stops"] or head.startswith(tuple(spec["actor_not_first"])) \
            or head.endswith(tuple(spec["actor_not_last"])) \
            or not _SUBJECT_CHARS.match(head):
        return "", cs, []
    return head, cs + len(head), []


def _actor_known(actor_end: int, cs: int, named: list[Mention]) -> bool:
    """Did a known person or body make the actor (its name ends where one ends)?"""
    return any(m.end == actor_end and m.start >= cs for m in named)


def _object_after(t: str, a: int, spec: dict, after_last: bool, dates: list[DateMention] = ()) -> str:
    """The words after the act up to the clause end, without the dates in them ("商定将于8月20日到26日在
    金刚山举行……" → 在金刚山举行……)."""
    end = _clause_end(t, a)
    obj = "".join(t[i] for i in range(a, end) if not any(d.start <= i < d.end for d in dates if a <= d.start < end))
    obj = re.sub(spec["object_lead"], "", obj)
    cut = re.search("|".join(spec["object_ends"]), obj)
    obj = obj[:cut.start()] if cut else obj
    obj = obj.removeprefix("了")
    if after_last and spec["object_after_last"] in obj:
        obj = obj.rsplit(spec["object_after_last"], 1)[1]
    return obj[: spec["object_max"]]


def _object_before(t: str, actor_end: int, v: int, dates: list[DateMention], markers: str) -> str:
    """The 对/就/同/与 phrase that stands between the actor (and the act's date and place) and the verb,
    without the place or date that may follow it ("和朝鲜在板门店……举行会谈" → 和朝鲜)."""
    between = t[actor_end:v]
    m = re.search(markers, between)
    if not m:
        return ""
    phrase = between[m.start():]
    cut = len(phrase)
    for d in dates:
        if actor_end + m.start() < d.start < v:
            cut = min(cut, d.start - actor_end - m.start())
    place = re.search("在|于|举行", phrase[1:])
    if place:
        cut = min(cut, place.start() + 1)
    return phrase[:cut]


def _date_adjacent(t: str, v: int, dates: list[DateMention]) -> bool:
    for d in dates:
        gap = t[d.end:v]
        if d.end <= v and re.fullmatch(r"(?:在[\u4e00-\u9fff]{1,10})?", gap):
            return True
    return False


def _verb_acts(t: str, fam: _Family, named: list[Mention], people: list[Mention], dates: list[DateMention],
               spec: dict, breaks: frozenset[int]) -> list[Mention]:
    out = []
    for m in fam.verbs.finditer(t):
        v, ve = m.start(), m.end()
        if fam.not_after and any(re.match(x, t[ve:ve + 4]) for x in fam.not_after):
            continue
        if fam.date_adjacent and not _date_adjacent(t, v, dates):
            continue
        cs = _clause_start(t, v, breaks)
        if _inside_quote(t, max(0, v - 200), v):
            continue
        welcomed = list(re.finditer(_alternation(spec["purpose_openers"]), t[cs:v]))
        if welcomed:  # "举行仪式欢迎印度尼西亚总统佐科对我国进行国事访问": the one welcomed acts
            cs += welcomed[-1].end()
        actor, actor_end, actor_people = _actor(t, cs, v, named, dates, spec)
        if fam.actor_required and not actor or fam.actor_known and not _actor_known(actor_end, cs, named):
            continue
        pre = _object_before(t, actor_end, v, dates, fam.pre_markers or spec["pre_markers"]) \
            if fam.object in ("before", "after") else ""
        obj = _object_after(t, ve, spec, fam.id == "talks", dates) if fam.object == "after" else ""
        if fam.object == "after" and not obj and fam.id == "statement":
            nxt = _clause_end(t, ve)
            if nxt < len(t) and t[nxt] in "，,：:":
                obj = _object_after(t, nxt + 1, spec, False)[:12]
        if fam.id == "statement":
            obj = obj[:12]
        if fam.object_must and not fam.object_must.search(obj):
            continue
        if fam.object == "before":
            obj = ""
        elif pre and not pre.startswith(tuple(fam.pre_kept or spec["pre_kept"])):
            pre = ""
        pre_at, obj_end = v - len(pre), ve + len(obj)
        who_pre = [p for p in people if pre_at <= p.start and p.end <= v]
        who_obj = [p for p in people if ve <= p.start and p.end <= obj_end + 1]
        if pre and who_pre:  # "同俄罗斯总统普京举行会谈" → 同普京: a person by their canonical name, after the
            # marker that opens their phrase ("就……事故向巴西总统博索纳罗致慰问电" → 向博索纳罗)
            lead = list(re.finditer(fam.pre_markers or spec["pre_markers"], t[pre_at:who_pre[-1].start]))
            kept = tuple(fam.pre_kept or spec["pre_kept"])
            opener = lead[-1].group() if lead and lead[-1].group().startswith(kept) else pre[0]
            pre = opener + who_pre[-1].key
        elif len(pre) == 1:  # "向2025年……论坛致贺信": the date cut the whole phrase, no marker alone
            pre = ""
        if who_obj and fam.id in ("talks", "message"):
            obj = who_obj[0].key
        name = f"{actor}{pre}{m.group()}{obj}"
        speakers = {p.key for p in actor_people}
        if fam.speakers == "both":
            speakers |= {p.key for p in people if actor_end <= p.start and p.end <= _clause_end(t, ve)
                         and p.start >= actor_end}
        if fam.speakers == "none":
            speakers = set()
        out.append(Mention("occasion", v, ve, name, kind=fam.kind, source=f"act:{fam.id}",
                           speakers=tuple(sorted(speakers))))
    return out


def _held_acts(t: str, fam: _Family, named: list[Mention], dates: list[DateMention], lex: Lexicon,
               spec: dict, breaks: frozenset[int]) -> list[Mention]:
    nouns = _alternation(list(fam.nouns))
    verbs = fam.verbs.pattern
    pattern = re.compile(f"(?:{verbs})了?(?P<mod>[^，,。；;：:！？\\n]{{0,{MOD_MAX}}}?)(?P<noun>{nouns})")
    out = []
    for m in pattern.finditer(t):
        v = m.start()
        cs = _clause_start(t, v, breaks)
        if _inside_quote(t, max(0, v - 200), v):
            continue
        actor, actor_end, actor_people = _actor(t, cs, v, named, dates, spec)
        if fam.actor_required and not actor or fam.actor_known and not _actor_known(actor_end, cs, named):
            continue
        mod = m.group("mod")
        verb = t[m.start():m.start("mod")]
        if not mod and (verb in fam.not_bare or verb[:-1] in fam.not_bare):  # (with 了)
            continue
        if "的" in mod:
            mod = mod.rsplit("的", 1)[1]
        name = f"{actor}{mod}{m.group('noun')}"
        if not mod:  # "习近平……举行仪式，欢迎……": a bare noun is named with the verb and what it was for
            name = f"{actor}{m.group(0)}"
            nxt = m.end()
            if t.startswith(("，", ","), nxt) and t.startswith(tuple(spec["purpose_openers"]), nxt + 1):
                name += t[nxt + 1:_clause_end(t, nxt + 1)][: spec["object_max"]]
        speakers = () if fam.speakers == "none" else tuple(sorted({p.key for p in actor_people}))
        out.append(Mention("occasion", m.start("mod"), m.end(), name, kind=fam.kind, source=f"act:{fam.id}",
                           speakers=speakers))
    return out


def _subject_acts(t: str, fam: _Family, lex: Lexicon) -> list[Mention]:
    nouns = _alternation(list(fam.nouns))
    verbs = fam.verbs.pattern
    pattern = re.compile(f"(?P<mod>[^，,。；;：:！？\\n]{{2,{MOD_MAX}}}?)(?P<noun>{nouns})"
                         f"(?P<gap>[^，,。；;！？\\n]{{0,{HELD_REACH}}}?)(?:{verbs})")
    out = []
    for m in pattern.finditer(t):
        mod = re.split(r"[\]】]", m.group("mod"))[-1]  # "[视频]第133届广交会": a programme's tag
        mod = _trim_modifier(mod, lex).strip("“”「」\"")
        if len(mod) < 2:
            continue
        start = m.end("mod") - len(mod)
        out.append(Mention("occasion", start, m.end("noun"), f"{mod}{m.group('noun')}", kind=fam.kind,
                           source=f"act:{fam.id}"))
    return out


def find_acts(text: str, lex: Lexicon, people: list[Mention], organizations: list[Mention],
              dates: list[DateMention], breaks: frozenset[int] = frozenset()) -> list[Mention]:
    """Act mentions, non-overlapping (the longer wins), in text order."""
    families, spec = _grammar(lex)
    named = sorted(people + organizations, key=lambda m: (m.start, -m.end))
    found: list[Mention] = []
    for fam in families:
        if fam.form == "verb":
            found += _verb_acts(text, fam, named, people, dates, spec, breaks)
        elif fam.form == "held":
            found += _held_acts(text, fam, named, dates, lex, spec, breaks)
        else:
            found += _subject_acts(text, fam, lex)
    out: list[Mention] = []
    for mention in sorted(found, key=lambda x: (-(x.end - x.start), x.start, x.key)):
        if all(mention.end <= o.start or mention.start >= o.end for o in out):
            out.append(mention)
    return sorted(out, key=lambda o: (o.start, o.end))
