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


#: a visit dated within this many days is a tour's length; a vaguer one (近日, a month, a year) joins a tour by
#: its visitor alone only when it can be one tour ("2013年，习近平……在武汉考察时" is none of his many 2013 tours)
TOUR_DAYS = 10


def _short(m: EventMention) -> bool:
    """Is the mention dated within a tour's length?"""
    return (m.date.not_after - m.date.not_before).days < TOUR_DAYS


def _same_tour(cluster: list[EventMention], m: EventMention) -> bool:
    """Visits by the same person at intersecting dates are one tour, however each report names
    it ("习近平在湖南考察" and "习近平……先后来到郴州、长沙等地……调研"): no one is on two tours at once.
    The cluster's visit must be dated to a tour's length; a vague ``m`` is settled in :func:`_clusters`."""
    if m.kind != "Visit" or not m.speakers:
        return False
    return any(x.kind == "Visit" and _short(x) and set(x.speakers) & set(m.speakers) for x in cluster)


def _own_stops(m: EventMention, stops: dict[tuple[str, int], list[EventMention]]) -> tuple | None:
    """The days a vague visit's own story gives its tour: (first, last) of the story's stops, or None.

    "习近平近日在宁夏考察时强调……" is a window of a month; the story then tells the stops ("18日，习近平来到固原……",
    "19日……在银川考察", "13日下午，他来到惠龙易通物流公司考察").  Each stop is an event of its own day, so the
    lead visit meets several clusters and, not knowing which, joins none: the tour stayed a month wide (16 of 30
    such tour stories of 2012-2026, 2024 not read).  Such a visit, joining no cluster, starts one of those days.
    A stop is a Visit of the same story dated within a tour's length, by the lead's visitor or by no one named
    (他); all of them within a tour's length together."""
    if m.kind != "Visit" or _short(m) or not m.speakers:
        return None
    own = [x for x in stops.get((m.source, m.document), ()) if x is not m and (not x.speakers or set(x.speakers)
           & set(m.speakers)) and m.date.not_before <= x.date.not_before and x.date.not_after <= m.date.not_after]
    if not own:
        return None
    first, last = min(x.date.not_before for x in own), max(x.date.not_after for x in own)
    return (first, last) if (last - first).days < TOUR_DAYS else None


def _origins(m: EventMention) -> set[str]:
    """The phrases a mention is the stated origin of ("2013年，习近平……首次提出了“精准扶贫”")."""
    return {a.concept for a in m.attributions if a.how == "origin"}


def _origin_fits(m: EventMention, fits: list[tuple[int, _Cluster]]) -> list[tuple[int, _Cluster]]:
    """The clusters a vague statement of origin may join, those about its phrases first.

    "2013年，习近平……首次提出了“精准扶贫”" (a year) agrees by name with "习近平提出" and so with the cluster of
    "2013年10月3日……首次提出共同建设21世纪海上丝绸之路倡议": the statement is about the origin of another phrase
    and would date 精准扶贫 to the Jakarta speech.  A statement dated wider than a tour joins no cluster that states
    the origin of other phrases only; among the rest, one that states the same origin comes first, then one about its
    phrases (the forum of 2022-04-21 where 全球安全倡议 was first proposed, not the forum's first day that a vague
    report named)."""
    own = _origins(m)
    if _short(m) or not own:
        return fits
    kept = [f for f in fits if f[1].phrases & own or not f[1].origins]
    stated = [f for f in kept if f[1].origins & own]
    about = [f for f in kept if f[1].phrases & own]
    return stated or about or kept


class _Cluster:
    def __init__(self, m: EventMention, series_parts: dict[str, list[str]]) -> None:
        self.series_parts = series_parts
        self.mentions = [m]
        self.nb, self.na = m.date.not_before, m.date.not_after
        self.phrases: set[str] = set(m.phrases)  # what its mentions are about, and the origins they state
        self.origins: set[str] = _origins(m)

    def accepts(self, m: EventMention) -> bool:
        return self.by_name(m) or self.by_tour(m)

    def _meets(self, m: EventMention) -> bool:
        return max(self.nb, m.date.not_before) <= min(self.na, m.date.not_after)

    def by_name(self, m: EventMention) -> bool:
        """Dates intersect and some mention's kind and name agree with ``m``'s."""
        return self._meets(m) and any(kinds_agree(x.kind, m.kind) and names_agree(x.name, m.name, self.series_parts)
                                      for x in self.mentions)

    def by_tour(self, m: EventMention) -> bool:
        """Dates intersect and the cluster holds a tour of ``m``'s visitor."""
        return self._meets(m) and _same_tour(self.mentions, m)

    def add(self, m: EventMention) -> None:
        self.mentions.append(m)
        self.phrases.update(m.phrases)
        self.origins.update(_origins(m))
        self.nb = max(self.nb, m.date.not_before)
        self.na = min(self.na, m.date.not_after)


def _pick_name(mentions: list[EventMention]) -> str:
    counts = Counter(m.name for m in mentions)
    return max(counts, key=lambda n: (counts[n], len(n), n))


def _precision(mentions: list[EventMention], nb, na) -> str:
    exact = [m.date.precision for m in mentions if (m.date.not_before, m.date.not_after) == (nb, na)]
    pool = exact or [m.date.precision for m in mentions]
    return min(pool, key=lambda p: _PRECISION_ORDER.index(p) if p in _PRECISION_ORDER else 99)


#: a mention at most this many days wide looks for its clusters by date (the clusters starting near it);
#: a wider one by the names that could agree with its own (a year holds thousands of clusters)
_NARROW_DAYS = 10
_GRAM = 4  # names_agree's shortest contained name


class _Index:
    """Which clusters could accept a mention: a superset of those whose ``accepts`` is true, so that the
    merge tests a mention against a few clusters instead of every cluster made so far (issue 15: 99% of
    those tests failed on dates alone, and their number grew with the square of the corpus).

    Why it is a superset, ``accepts`` staying the judge:
      * dates: mentions come narrowest first, so every cluster made before a mention ``m`` started from a
        mention at most as wide as ``m`` (``w0 <= W``), and a cluster's bounds only shrink as it grows.  A
        cluster created with bounds ``[nb0, nb0 + w0]`` that meets ``m``'s ``[a, b]`` has
        ``nb0 <= nb <= b`` and ``nb0 + w0 >= na >= a``, so ``nb0`` lies in ``[a - W, b]``: narrow mentions
        look up the clusters by their first day in that range.
      * names: a wide mention can only join a cluster holding a mention whose name agrees with its own
        (``names_agree``) or a Visit of one of its speakers (``_same_tour``).  Agreeing names share the
        series stem (ordinals removed), or one stem (four characters or more) contains the other, or one
        name is a series that a part named in the other belongs to; each cluster is filed under its
        mentions' stems, the 4-grams of those stems, the series it names and the parts it contains, and its
        Visits' speakers, once for each year its bounds span (they only shrink).
    Candidates are returned in creation order, so the choice among equally good clusters is the one the
    exhaustive scan made.
    """

    def __init__(self, series_parts: dict[str, list[str]]) -> None:
        self.series_parts = series_parts
        self.parts = sorted({p for ps in series_parts.values() for p in ps})
        self.by_day: dict[int, list[int]] = {}
        self.by_key: dict[tuple[str, str, int], set[int]] = {}

    def add(self, i: int, c: _Cluster, m: EventMention) -> None:
        """File cluster ``i`` (``c``) under mention ``m``, one of its mentions (the first: under its first day)."""
        if len(c.mentions) == 1:
            self.by_day.setdefault(c.nb.toordinal(), []).append(i)
        name = normalize_name(m.name)
        stem = _series(name)[0]
        keys = {("stem", stem)}
        keys.update(("gram", stem[j:j + _GRAM]) for j in range(len(stem) - _GRAM + 1))
        if name in self.series_parts:
            keys.add(("series", name))
        keys.update(("part", p) for p in self.parts if p in name)
        if m.kind == "Visit":
            keys.update(("visit", s) for s in m.speakers)
        for year in range(c.nb.year, c.na.year + 1):  # its bounds now hold all its later ones
            for k in keys:
                self.by_key.setdefault((*k, year), set()).add(i)

    def candidates(self, m: EventMention) -> list[int]:
        """The clusters (by creation index, in creation order) that might accept ``m``."""
        a, b = m.date.not_before.toordinal(), m.date.not_after.toordinal()
        if b - a <= _NARROW_DAYS:
            found: set[int] = set()
            for day in range(a - (b - a), b + 1):
                found.update(self.by_day.get(day, ()))
            return sorted(found)
        name = normalize_name(m.name)
        stem = _series(name)[0]
        years = range(m.date.not_before.year, m.date.not_after.year + 1)

        def get(kind: str, key: str) -> set[int]:
            return set().union(*(self.by_key.get((kind, key, y), ()) for y in years))

        found = get("stem", stem)
        for j in range(len(stem)):  # stems inside this one
            for k in range(j + _GRAM, len(stem) + 1):
                found |= get("stem", stem[j:k])
        if len(stem) >= _GRAM:  # stems holding this one hold each of its 4-grams: take the rarest
            found |= min((get("gram", stem[j:j + _GRAM]) for j in range(len(stem) - _GRAM + 1)), key=len)
        for p in self.series_parts.get(name, ()):
            found |= get("part", p)
        for series, parts in self.series_parts.items():
            if any(p in name for p in parts):
                found |= get("series", series)
        if m.kind == "Visit":
            for s in m.speakers:
                found |= get("visit", s)
        return sorted(found)


def _clusters(dated: list[EventMention], series_parts: dict[str, list[str]]) -> list[_Cluster]:
    """Each mention (narrowest first) joins the tightest cluster that accepts it, else starts one."""
    clusters: list[_Cluster] = []
    index = _Index(series_parts)
    stops: dict[tuple[str, int], list[EventMention]] = {}
    for m in dated:
        if m.kind == "Visit" and _short(m):
            stops.setdefault((m.source, m.document), []).append(m)
    for m in dated:
        fits = [(i, clusters[i]) for i in index.candidates(m) if clusters[i].accepts(m)]
        if m.kind == "Visit" and not _short(m):  # a vague visit: by its name, else the one tour it can be
            named = [f for f in fits if f[1].by_name(m)]
            fits = named or (fits if len(fits) == 1 else [])
        fits = _origin_fits(m, fits)
        if fits:
            i, best = min(fits, key=lambda f: ((f[1].na - f[1].nb).days, f[1].nb, _pick_name(f[1].mentions)))
            best.add(m)
            index.add(i, best, m)
        else:
            clusters.append(_Cluster(m, series_parts))
            tour = _own_stops(m, stops)
            if tour:  # the tour its own story dates: an event of those days (its stops stay events of theirs)
                clusters[-1].nb, clusters[-1].na = tour
            index.add(len(clusters) - 1, clusters[-1], m)
    return clusters


def merge(mentions: Iterable[EventMention], lexicon: Lexicon | None = None) -> list[Event]:
    """Events in date order; deterministic for the same mentions (``lexicon``: its occasion series)."""
    series_parts = lexicon.occasions.get("series_parts", {}) if lexicon else {}
    dated = [m for m in mentions if m.date.not_before and m.date.not_after]
    # most precise mentions first, so that vague ones join the event they can only be
    dated.sort(key=lambda m: ((m.date.not_after - m.date.not_before).days, m.source, m.document, m.line, m.name))
    clusters = _clusters(dated, series_parts)
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
