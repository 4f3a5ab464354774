"""The dev gold of 20 新闻联播 stories of 2020 (tests/data/gold_dev_xwlb2020, copied from the shared eval set): every
dated event's ``date_text``, read in its evidence quote with the story's broadcast date as base, gives the gold
interval.  The story texts are CCTV's and not in the repository; the gold's short evidence quotes are.

Three gold dates need knowledge outside the text, and the gold says so (``needs_context``): "今年的新年贺词"
(the 2020 New Year address was given on 2019-12-31), "在火神山医院治疗时" (Xi's Wuhan visit of 2020-03-10) and
"本届常委会履职第一年" (the 13th NPC Standing Committee's first year from 2018-03-17).  No date grammar can
read them; they are counted, printed and left out of the rate.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ptkg.extractors.dates import find_dates
from ptkg.extractors.normalize import normalize_line

GOLD = Path(__file__).resolve().parent / "data" / "gold_dev_xwlb2020"


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def read(date_text: str, evidence: str, base: dt.date | None) -> tuple[str | None, str | None]:
    """The interval of the mention covering ``date_text`` in the evidence (or in the date text alone when the
    evidence quotes another line)."""
    at = evidence.find(date_text)
    src = evidence if at >= 0 else date_text
    at = max(at, 0)
    norm = normalize_line(src)
    best, best_overlap = None, 0
    for d in find_dates(norm.text, base):
        s, e = norm.raw_span(d.start, d.end)
        overlap = min(e, at + len(date_text)) - max(s, at)
        if overlap > best_overlap:
            best, best_overlap = d, overlap
    return (_iso(best.not_before), _iso(best.not_after)) if best else (None, None)


def cases() -> list[tuple[str, str, str, dt.date | None, tuple[str, str], bool]]:
    out = []
    for f in sorted(GOLD.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        base = dt.date.fromisoformat(data["doc_date"]) if data.get("doc_date") else None
        for e in data["events"]:
            if e.get("not_before") is None:
                continue
            out.append((e["id"], e["date_text"], e["evidence"], base, (e["not_before"], e["not_after"]),
                        bool(e.get("needs_context"))))
    return out


def test_dev_gold_exact_match_rate() -> None:
    all_cases = cases()
    assert len(all_cases) == 39
    failures, context_misses = [], []
    for eid, text, evidence, base, want, needs_context in all_cases:
        got = read(text, evidence, base)
        if got != want:
            (context_misses if needs_context else failures).append(f"{eid} {text!r}: got {got}, gold {want}")
    scored = [c for c in all_cases if not c[5]]
    rate = 1 - len(failures) / len(scored)
    print(f"\ndev gold exact: {len(scored) - len(failures)}/{len(scored)} = {rate:.1%} "
          f"(+ {len(all_cases) - len(scored) - len(context_misses)}/{len(all_cases) - len(scored)} needing context)")
    for f in failures + context_misses:
        print("  FAIL", f)
    assert rate >= 0.97, "\n".join(failures)
