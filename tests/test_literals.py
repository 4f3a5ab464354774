"""The fast pattern of literal words finds what the plain longest-first alternation finds, in the same
places and with the same choice among nested words, on real text and the package's own word lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ptkg.extractors.lexicon import alias_map, load
from ptkg.extractors.literals import literals
from ptkg.extractors.normalize import normalize

REPORTS = Path(__file__).parent / "data" / "government-work-reports"


def plain(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def word_lists() -> dict[str, list[str]]:
    lex = load()
    labels = [x for c in lex.concepts for x in (c.pref_label, *c.alt_labels)]
    return {"phrases": labels, "organizations": list(alias_map(lex.organizations)),
            "people": list(alias_map(lex.people)), "titles": lex.titles_before}


@pytest.mark.parametrize("kind", ["phrases", "organizations", "people", "titles"])
def test_same_matches_as_the_alternation(kind: str) -> None:
    words = word_lists()[kind]
    text = normalize("\n".join(p.read_text(encoding="utf-8") for p in sorted(REPORTS.glob("20*.txt")))).text
    fast, slow = re.compile(literals(words)), re.compile(plain(words))
    found = [m.span() for m in fast.finditer(text)]
    assert found == [m.span() for m in slow.finditer(text)]
    assert len(found) > 20
    # overlapping too (the phrase finder's lookahead), where the longest word at a position must win
    ahead, ahead_slow = re.compile(f"(?=({literals(words)}))"), re.compile(f"(?=({plain(words)}))")
    assert [m.span(1) for m in ahead.finditer(text)] == [m.span(1) for m in ahead_slow.finditer(text)]


def test_longest_word_first_then_backtracks_to_shorter() -> None:
    # 扩大内需 over 内需 at the same place; inside a bigger pattern a failed longer word gives way to a shorter
    words = ["内需", "扩大内需", "扩大"]
    assert re.search(literals(words), "坚持扩大内需战略").group() == "扩大内需"
    assert re.search(f"(?:{literals(words)})战略", "坚持扩大战略").group() == "扩大战略"
    assert re.search(f"(?:{literals(words)})内", "扩大内需").group() == "扩大内"
