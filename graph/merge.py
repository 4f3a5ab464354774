"""Merge event mentions into events: one node per real-world occasion, however many
documents (or sentences of one document) mention it.

Two mentions are the same event when
  * their kinds agree,
  * their names agree: equal after normalization, or one contains the other (at least four
    characters: "企业家座谈会" ⊂ "习近平主持召开企业家座谈会"), or the same series with no
    conflicting ordinal ("中央财经委员会第八次会议" ~ "中央财经委员会会议", never
    "第八次" ~ "第九次"), and
  * their date intervals intersect — so two meetings of one body on different days of one
    year never merge, while "7月" and "7月30日" do.
The merged event's bounds are the intersection of its mentions' bounds (the tightest the
evidence allows); each mention keeps its own dates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ptkg.extractors.kinds import kinds_agree
from ptkg.extractors.lexicon import Lexicon
from ptkg.extractors.model import Event, EventMention

_PUNCT = re.compile(r"[\s“”「」《》〈〉\"'（）()·、，,：:]")
_ORDINAL = re.compile(r"第([0-9零〇一二两三四五六七八九十百]+)([次届])")
_PRECISION_ORDER = ["day", "part-of-month", "month", "season", "year", "period"]


def normalize_name(name: str) -> str:
    return _PUNCT.sub("", name)


def _series(name: str) -> tuple[str, tuple[str, ...]]:
    return _ORDINAL.sub("", name), tuple(m.group(0) for m in _ORDINAL.finditer(name))


def _part_of_series(a: str, b: str, series_parts: dict[str, list[str]]) -> bool:
    """Does ``b`` name a part of the series ``a`` (occasions.yaml ``series_parts``)?"""
    return any(p in b for p in series_parts.get(a, ()))


def names_agree(a: str, b: str, series_parts: dict[str, list[str]] | None = None) -> bool:
    """Do two occasion names name the same occasion? (``series_parts``: the lexicon's occasion series)"""
    parts = series_parts or {}
    a, b = normalize_name(a), normalize_name(b)
    if a == b or _part_of_series(a, b, parts) or _part_of_series(b, a, parts):
        return True
    (sa, oa), (sb, ob) = _series(a), _series(b)
    if oa and ob and oa != ob:
        return False  # 第八次 is never 第九次
    if sa == sb:
        return True
    short, long_ = sorted((sa, sb), key=len)
    return len(short) >= 4 and short in long_


#: the longest interval (days) a mention may have and still join a tour by its visitor alone: a year or a month
#: holds many tours ("2013年，习近平……在武汉考察时" is not his 2013-01-29 visit to the armed police)
TOUR_DAYS = 10


def _short(m: EventMention) -> bool:
    return (m.date.not_after - m.date.not_before).days < TOUR_DAYS


def _same_tour(cluster: list[EventMention], m: EventMention) -> bool:
    """Visits by the same person at intersecting dates are one tour, however each report names
    it ("习近平在湖南考察" and "习近平……先后来到郴州、长沙等地……调研"): no one is on two tours at once —
    when both dates are a tour's length; a vaguer one joins only by its name."""
    if m.kind != "Visit" or not m.speakers or not _short(m):
        return False
    return any(x.kind == "Visit" and _short(x) and set(x.speakers) & set(m.speakers) for x in cluster)


class _Cluster:
    def __init__(self, m: EventMention, series_parts: dict[str, list[str]]) -> None:
        self.series_parts = series_parts
        self.mentions = [m]
        self.nb, self.na = m.date.not_before, m.date.not_after

    def accepts(self, m: EventMention) -> bool:
        nb = max(self.nb, m.date.not_before)
        na = min(self.na, m.date.not_after)
        if nb > na:
            return False
        return any(kinds_agree(x.kind, m.kind) and names_agree(x.name, m.name, self.series_parts)
                   for x in self.mentions) or \
            _same_tour(self.mentions, m)

    def add(self, m: EventMention) -> None:
        self.mentions.append(m)
        self.nb = max(self.nb, m.date.not_before)
        self.na = min(self.na, m.date.not_after)


def _pick_name(mentions: list[EventMention]) -> str:
    counts = Counter(m.name for m in mentions)
    return max(counts, key=lambda n: (counts[n], len(n), n))


def _precision(mentions: list[EventMention], nb, na) -> str:
    exact = [m.date.precision for m in mentions if (m.date.not_before, m.date.not_after) == (nb, na)]
    pool = exact or [m.date.precision for m in mentions]
    return min(pool, key=lambda p: _PRECISION_ORDER.index(p) if p in _PRECISION_ORDER else 99)


def merge(mentions: Iterable[EventMention], lexicon: Lexicon | None = None) -> list[Event]:
    """Events in date order; deterministic for the same mentions (``lexicon``: its occasion series)."""
    series_parts = lexicon.occasions.get("series_parts", {}) if lexicon else {}
    dated = [m for m in mentions if m.date.not_before and m.date.not_after]
    # most precise mentions first, so that vague ones join the event they can only be
    dated.sort(key=lambda m: ((m.date.not_after - m.date.not_before).days, m.source, m.document, m.line, m.name))
    clusters: list[_Cluster] = []
    for m in dated:
        fits = [c for c in clusters if c.accepts(m)]
        if fits:
            best = min(fits, key=lambda c: ((c.na - c.nb).days, c.nb, _pick_name(c.mentions)))
            best.add(m)
        else:
            clusters.append(_Cluster(m, series_parts))
    events = []
    for c in clusters:
        ms = sorted(c.mentions, key=lambda m: (m.source, m.document, m.line, m.date.start))
        name = _pick_name(ms)
        kinds = Counter(m.kind for m in ms)
        kind = max(kinds, key=lambda k: (kinds[k], k))
        events.append(Event(
            key=f"{c.nb.isoformat()}/{name}",
            kind=kind,
            name=name,
            not_before=c.nb,
            not_after=c.na,
            precision=_precision(ms, c.nb, c.na),
            mentions=ms,
            speakers=sorted({s for m in ms for s in m.speakers}),
            organizations=sorted({o for m in ms for o in m.organizations}),
            phrases=sorted({p for m in ms for p in m.phrases}),
            candidates=sorted({c for m in ms for c in m.candidates}),
        ))
    events.sort(key=lambda e: (e.not_before, e.not_after, e.name))
    seen: Counter[str] = Counter()
    for e in events:  # two events may share a start day and a name only if their ends differ
        seen[e.key] += 1
        if seen[e.key] > 1:
            e.key = f"{e.key}/{seen[e.key]}"
    return events
