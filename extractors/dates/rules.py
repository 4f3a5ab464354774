"""Load the data files in ``rules/`` (word lists and grammar) into plain Python tables.

The engine knows no Chinese words: every word, its meaning and its bounds live in the TSV/YAML files
next to this module, so adding a form is a data change a reviewer can read line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).with_name("rules")


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated file; lines starting with '#' and blank lines are comments."""
    rows = []
    for line in (RULES_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _col(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""


@dataclass(frozen=True)
class Relative:
    unit: str  # year | month | week | day
    offset: int


@dataclass(frozen=True)
class YearPart:
    start: str  # MM-DD
    end: str  # MM-DD, "end" day, or "+" prefix for the next year
    precision: str
    standalone: bool


@dataclass(frozen=True)
class Vague:
    start: str
    end: str
    role: str
    # words right before the vague word that turn it toward the future (将于近期), and the end it then has
    ahead_after: tuple[str, ...] = ()
    ahead_to: str = ""


@dataclass(frozen=True)
class Tables:
    """Everything the resolver looks up, plus the raw word lists the grammar compiler needs."""

    numerals: dict[str, int]
    relative: dict[str, Relative]
    month_parts: dict[str, tuple[int, int | None]]  # first, last day (None = month end)
    year_parts: dict[str, YearPart]
    plans: dict[str, tuple[int, int]]
    plan_by_ordinal: dict[int, tuple[int, int]]
    plan_parts: dict[str, str]
    vague: dict[str, Vague]
    markers: dict[tuple[str, str], str]  # (slot, word) -> meaning
    weekdays: dict[str, tuple[int, int]]
    holidays: dict[str, tuple[str, str]]
    grammar: dict[str, Any]
    # word -> characters that must not follow it (or precede it, for vague words)
    not_followed: dict[tuple[str, str], str]
    # word -> characters that must not precede it (holidays: 政治清明)
    not_preceded: dict[tuple[str, str], str]
    # holidays that may stand alone (the others need a year before them: 2030年雨水)
    holidays_alone: frozenset[str]
    # solar-term name -> the calendar library's index (0 = winter solstice)
    solar_terms: dict[str, int]
    # anniversary words (新中国成立) -> the year of the event
    anniversaries: dict[str, int]
    # 今明两年-like words: word -> (unit, first offset, last offset)
    spans: dict[str, tuple[str, int, int]]


@lru_cache(maxsize=1)
def tables() -> Tables:
    numerals = {r[0]: int(r[1]) for r in read_tsv("numerals.tsv")}
    relative = {r[0]: Relative(r[1], int(r[2])) for r in read_tsv("relative.tsv")}
    not_followed: dict[tuple[str, str], str] = {}
    month_parts = {}
    for r in read_tsv("parts_of_month.tsv"):
        month_parts[r[0]] = (int(r[1]), None if r[2] == "end" else int(r[2]))
        not_followed[("POM", r[0])] = _col(r, 3)
    year_parts = {}
    for r in read_tsv("parts_of_year.tsv"):
        year_parts[r[0]] = YearPart(r[1], r[2], r[3], r[4] == "yes")
        not_followed[("YPART", r[0])] = _col(r, 5)
    plans = {}
    by_ordinal = {}
    for r in read_tsv("plans.tsv"):
        plans[r[0]] = (int(r[2]), int(r[3]))
        by_ordinal[int(r[1])] = (int(r[2]), int(r[3]))
    plan_parts = {r[0]: r[1] for r in read_tsv("plan_parts.tsv")}
    vague = {}
    for r in read_tsv("vague.tsv"):
        ahead = tuple(w for w in _col(r, 5).split("|") if w)
        vague[r[0]] = Vague(r[1], r[2], r[3], ahead, _col(r, 6))
        not_followed[("VAGUE", r[0])] = _col(r, 4)
    markers = {}
    for r in read_tsv("markers.tsv"):
        markers[(r[1], r[0])] = r[2]
        not_followed[("MARKER", r[0])] = _col(r, 3)
    weekdays = {r[0]: (int(r[1]), int(r[2])) for r in read_tsv("weekdays.tsv")}
    holidays = {}
    alone = set()
    not_preceded: dict[tuple[str, str], str] = {}
    for r in read_tsv("holidays.tsv"):
        holidays[r[0]] = (r[1], r[2])
        not_preceded[("HOL", r[0])] = _col(r, 3)
        not_followed[("HOL", r[0])] = _col(r, 4)
        if _col(r, 5) != "no":
            alone.add(r[0])
    solar_terms = {r[0]: int(r[1]) for r in read_tsv("solar_terms.tsv")}
    anniversaries = {r[0]: int(r[1]) for r in read_tsv("anniversaries.tsv")}
    spans = {r[0]: (r[1], int(r[2]), int(r[3])) for r in read_tsv("relative_spans.tsv")}
    grammar = yaml.safe_load((RULES_DIR / "grammar.yaml").read_text(encoding="utf-8"))
    return Tables(numerals, relative, month_parts, year_parts, plans, by_ordinal, plan_parts, vague, markers,
                  weekdays, holidays, grammar, not_followed, not_preceded, frozenset(alone), solar_terms,
                  anniversaries, spans)
