"""Compile ``rules/grammar.yaml`` and the word lists into one regular expression.

One big alternation, compiled once, finds every candidate in a single pass of the C regex engine; the
Python resolver only runs on matches.  Pieces may reuse group names (``y``, ``m``, ``d`` …) in different
alternatives; Python's ``re`` forbids that, so :func:`compile_master` renames repeats ``name__2``,
``name__3`` … and :func:`groups` folds them back.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ptkg.extractors.dates.rules import Tables, tables

_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:@(\w+))?\}")
_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_@]*)>")


def _escape_class(chars: str) -> str:
    return "".join("\\" + c if c in "]\\^-[" else c for c in chars)


def _words(words: list[str], guard: dict[str, str] | None = None, behind: bool = False,
           before: dict[str, str] | None = None) -> str:
    """Alternation of literal words, longest first, each with its own not-followed-by (or -preceded-by) guard;
    ``before`` adds not-preceded-by guards to a list guarded after."""
    parts = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        g = (guard or {}).get(w, "")
        b = (before or {}).get(w, "")
        lit = re.escape(w)
        if b:
            lit = f"(?<![{b}]){lit}"  # guards may hold \d
        if g:
            cls = g if behind else _escape_class(g)  # vague.tsv guards may hold \d
            parts.append(f"(?<![{cls}]){lit}" if behind else f"{lit}(?![{cls}])")
        else:
            parts.append(lit)
    return "(?:" + "|".join(parts) + ")"


def word_lists(t: Tables) -> dict[str, str]:
    """The word-list pieces the grammar may reference, compiled from the TSV tables."""
    rel = t.relative

    def guard(kind: str) -> dict[str, str]:
        return {w: g for (k, w), g in t.not_followed.items() if k == kind and g}

    def marker(slot: str) -> list[str]:
        return [w for (s, w) in t.markers if s == slot]

    return {
        "REL_YEAR": _words([w for w, r in rel.items() if r.unit == "year"]),
        "REL_MONTH": _words([w for w, r in rel.items() if r.unit == "month"]),
        "REL_WEEK": _words([w for w, r in rel.items() if r.unit == "week"]),
        "REL_DAY": _words([w for w, r in rel.items() if r.unit == "day"]),
        "REL_QUARTER": _words([w for w, r in rel.items() if r.unit == "quarter"]),
        "HOLIDAY": _words(list(t.holidays), guard("HOL"),
                          before={w: g for (k, w), g in t.not_preceded.items() if k == "HOL" and g}),
        "HOLIDAY_ALONE": _words([w for w in t.holidays if w in t.holidays_alone], guard("HOL"),
                                before={w: g for (k, w), g in t.not_preceded.items() if k == "HOL" and g}),
        "REL_SPAN": _words(list(t.spans)),
        "POM": _words(list(t.month_parts), guard("POM")),
        "YPART": _words(list(t.year_parts), guard("YPART")),
        "YPART_ALONE": _words([w for w, p in t.year_parts.items() if p.standalone], guard("YPART")),
        "PLAN": _words(list(t.plans)),
        "PLAN_PART": _words(list(t.plan_parts)),
        "VAGUE": _words(list(t.vague), guard("VAGUE"), behind=True),
        "PREFIX": _words(marker("prefix"), guard("MARKER")),
        "SUFFIX": _words(marker("suffix"), guard("MARKER")),
        "RANGE_SEP": _words(marker("range_sep")),
        "LIST_SEP": _words(marker("list_sep")),
        "WEEKDAY": _words(list(t.weekdays)),
    }


def expand(pieces: dict[str, str], name: str, depth: int = 0) -> str:
    """Text of piece ``name`` with every {REF} / {REF@k} replaced, recursively."""
    if depth > 30:
        raise ValueError(f"grammar piece {name!r} refers to itself")
    body = pieces[name]

    def sub(m: re.Match[str]) -> str:
        ref, slot = m.group(1), m.group(2)
        if ref not in pieces:
            raise KeyError(f"grammar piece {name!r} refers to unknown piece {ref!r}")
        text = expand(pieces, ref, depth + 1)
        if slot is not None:
            text = _GROUP.sub(lambda g: "(?P<" + g.group(1).replace("@", slot) + ">", text)
        return f"(?:{text})"

    return _REF.sub(sub, body)


def dedupe_groups(pattern: str) -> str:
    """Rename repeated group names (``d`` → ``d__2``) and drop unfilled ``@`` slots."""
    seen: dict[str, int] = {}

    def sub(m: re.Match[str]) -> str:
        base = m.group(1).replace("@", "")
        n = seen.get(base, 0) + 1
        seen[base] = n
        return f"(?P<{base}>" if n == 1 else f"(?P<{base}__{n}>"

    return _GROUP.sub(sub, pattern)


def start_chars(t: Tables) -> tuple[str, str, str, str]:
    """Characters an expression can begin with: (singles, pair firsts, pair seconds, one-character prefixes).

    Singles are the grammar's own ``start_chars`` (quotes, 第); a listed word, a ``start_pairs`` entry (Chinese
    numerals, ``digit`` for 0–9) counts only when its second character follows; a one-character prefix (到, 从)
    only before a character an expression can begin with.  A leading lookahead on these sets lets the regex
    engine skip ordinary text with a few character tests instead of trying every alternative at every 中, 国,
    一 or 7 (the pair test lets a few false pairs through; the grammar sorts them)."""
    words: list[str] = []
    # only words that can open an expression: a suffix marker (以来, 前) or a part of a year written after a year (初)
    # never does
    words += list(t.relative) + list(t.spans) + [w for w, p in t.year_parts.items() if p.standalone]
    words += list(t.plans) + list(t.vague) + list(t.holidays)
    words = [w for w in words if not w.startswith(tuple(t.grammar["start_literals"]))]
    prefixes = [w for (slot, w) in t.markers if slot == "prefix"]
    words += [w for w in prefixes if len(w) > 1 and not w.startswith(tuple(t.grammar["start_literals"]))]
    singles = set(t.grammar["start_chars"])
    firsts = {w[0] for w in words if len(w) > 1} - singles
    seconds = {w[1] for w in words if len(w) > 1 and w[0] in firsts}
    for first, nexts in t.grammar["start_pairs"].items():
        if first != "digit":
            firsts.add(first)
        seconds |= set(str(nexts))
    one = {w for w in prefixes if len(w) == 1}
    return "".join(sorted(singles)), "".join(sorted(firsts)), "".join(sorted(seconds)), "".join(sorted(one))


@lru_cache(maxsize=1)
def compile_master() -> re.Pattern[str]:
    t = tables()
    pieces = dict(word_lists(t))
    pieces.update(t.grammar["pieces"])
    body = dedupe_groups(expand(pieces, t.grammar["start"]))
    singles, firsts, seconds, one = start_chars(t)
    digit_next = _escape_class(str(t.grammar["start_pairs"]["digit"]))
    begin = f"\\d{_escape_class(singles + firsts)}"
    # \d covers every Unicode digit (full-width too); a space may stand inside an expression (5 月 14日)
    lead = (f"(?=[{_escape_class(singles)}]|[{_escape_class(firsts)}][\\d{_escape_class(seconds)}]"
            f"|\\d[\\d{digit_next}]|[{_escape_class(one)}][ \\t\\u3000{begin}]"
            + "".join("|" + re.escape(w) for w in t.grammar["start_literals"]) + ")")
    return re.compile(f"{lead}(?:{body})")


_NAMES: dict[int, tuple[str, ...]] = {}  # id(pattern) -> base names; hashing a Pattern hashes its whole code


def _base_names(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Base name of each group number ("" for unnamed groups), folding ``name__2`` back into ``name``."""
    names = _NAMES.get(id(pattern))
    if names is None:
        found = [""] * (pattern.groups + 1)
        for name, i in pattern.groupindex.items():
            found[i] = name.split("__", 1)[0]
        names = _NAMES[id(pattern)] = tuple(found)
    return names


def groups(m: re.Match[str]) -> dict[str, tuple[str, int, int]]:
    """The groups that took part in the match, by base name: name -> (text, start, end).

    Read from the spans (``m.regs``) rather than ``groupdict()``: the grammar has hundreds of groups and only a
    handful take part in any match."""
    out: dict[str, tuple[str, int, int]] = {}
    names = _base_names(m.re)
    text = m.string
    regs = m.regs
    for i in [i for i, r in enumerate(regs) if r[0] >= 0]:
        base = names[i]
        if base and base not in out:
            start, end = regs[i]
            out[base] = (text[start:end], start, end)
    return out
