"""Fast patterns for long lists of literal words (names, labels, titles): one job, used by the finders.

Why a module of its own: the finders of people, bodies, phrases and titled names all search a text for
any of hundreds of data words, and the plain alternation of them is slow in Python's ``re``; both
``mentions`` and ``titled_people`` build their patterns here.
"""

from __future__ import annotations

import re


def literals(words: list[str]) -> str:
    """A pattern that matches what the alternation of ``words``, longest first, matches, in the same order.

    Why: Python's ``re`` tries an alternation's literals one by one at every position (the phrase
    lookahead, 673 labels, was 4% of a build).  Here the words are a trie (at a position only one
    branch can go on, and going deeper first prefers the longer word as the longest-first list does,
    backtracking to the shorter ones in the same order), behind a lookahead of the first characters,
    which ``re`` scans for in one pass.  Whole patterns only: the result is one group.
    """
    words = sorted(set(words))
    if not words or "" in words:
        return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branches(node: dict) -> str:
        kids = [re.escape(ch) + branches(sub) for ch, sub in sorted(node.items()) if ch]
        if not kids:
            return ""
        body = f"(?:{'|'.join(kids)})"
        return f"{body}?" if "" in node else body

    firsts = "".join(re.escape(ch) for ch in sorted(trie))
    return f"(?=[{firsts}]){branches(trie)}"
