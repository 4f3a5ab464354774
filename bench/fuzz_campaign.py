"""A long fuzz campaign over the properties of ``tests/test_fuzz.py``.

The test suite runs a few hundred examples per property so it stays fast; bugs that
need rarer inputs show up only after many more.  This runs the same checks (imported
from the test module, so the two never drift apart) round-robin in chunks, each chunk
with a fresh random seed, until the time or example budget is spent.  A failure does not
stop the campaign: hypothesis shrinks it, the minimal input is recorded once per distinct
(exception, place) and the property goes on with the next chunk.

    python bench/fuzz_campaign.py --minutes 10
    python bench/fuzz_campaign.py --examples 200000 --only dates readers

``dates-raw`` runs the date property without the guard that ``test_fuzz.py`` applies to a
known bug (Chinese-numeral counts that overflow the calendar), so the campaign still
counts how often that bug is hit.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _load_fuzz_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("ptkg_test_fuzz", ROOT / "tests" / "test_fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


F = _load_fuzz_module()


def _dates_guarded(text: str, base) -> None:  # type: ignore[no-untyped-def]
    F.check_dates(text, base)


def _split(text: str) -> None:
    if len(text) < 5000:
        F.check_split(text)


# name → (check, strategies of its arguments)
PROPERTIES: dict[str, tuple[Callable[..., None], tuple[st.SearchStrategy, ...]]] = {
    "repairs": (F.check_repairs, (F.texts,)),
    "raw_span": (lambda raw, cuts: F.check_raw_spans(F.normalize(raw), raw, cuts),
                 (F.texts, st.lists(st.integers(0, 400), max_size=6))),
    "dates": (_dates_guarded, (st.one_of(F.mixes, st.text(max_size=100)), F.bases)),
    "dates-raw": (F.check_dates, (st.one_of(F.mixes, st.text(max_size=100)), F.bases)),
    "readers": (F.check_reader, (F.file_bytes, F.extensions)),
    "split": (_split, (st.one_of(F.documentish, F.mixes),)),
}


@dataclass
class Tally:
    calls: int = 0
    chunks: int = 0
    seconds: float = 0.0
    failures: dict[str, str] = field(default_factory=dict)  # (exception @ place) → minimal input
    hits: dict[str, int] = field(default_factory=dict)  # how many chunks found each failure


def _where(exc: BaseException) -> str:
    """The innermost frame in the project: which bug, not which input."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if str(ROOT) in f.filename]
    f = frames[-1] if frames else None
    place = f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}" if f else "?"
    return f"{type(exc).__name__} at {place}"


def run_chunk(name: str, tally: Tally, chunk: int, rng: random.Random) -> None:
    check, strategies = PROPERTIES[name]
    last: list[tuple] = []

    def prop(args: tuple) -> None:
        tally.calls += 1
        try:
            check(*args)
        except Exception:
            last[:] = [args]
            raise

    test = seed(rng.getrandbits(64))(settings(
        max_examples=chunk, deadline=None, database=None, print_blob=False,
        suppress_health_check=list(HealthCheck),
    )(given(st.tuples(*strategies))(prop)))
    t0 = time.monotonic()
    try:
        test()
    except InvalidArgument:  # the campaign itself is wrong: stop, do not count it
        raise
    except Exception as e:  # hypothesis re-raises the shrunk failure
        key = _where(e)
        first = key not in tally.failures
        tally.hits[key] = tally.hits.get(key, 0) + 1
        tally.failures.setdefault(key, f"{' '.join(str(e).split())[:200]} | input: {last[0] if last else '?'!r}")
        if first:
            print(f"  [{name}] NEW {key}\n      {tally.failures[key]}", flush=True)
    tally.chunks += 1
    tally.seconds += time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=10.0, help="time budget (default 10)")
    p.add_argument("--examples", type=int, default=0, help="stop after this many calls in all (0: no limit)")
    p.add_argument("--chunk", type=int, default=500, help="examples per hypothesis run")
    p.add_argument("--seed", type=int, default=None, help="seed of the chunk seeds (default: random)")
    p.add_argument("--only", nargs="*", choices=sorted(PROPERTIES), help="run only these properties")
    a = p.parse_args(argv)
    names = a.only or list(PROPERTIES)
    rng = random.Random(a.seed)
    tallies = {n: Tally() for n in names}
    deadline = time.monotonic() + 60 * a.minutes
    print(f"fuzz campaign: {', '.join(names)}; {a.minutes} min, chunks of {a.chunk}", flush=True)
    while time.monotonic() < deadline:
        for n in names:
            run_chunk(n, tallies[n], a.chunk, rng)
            if time.monotonic() >= deadline:
                break
        total = sum(t.calls for t in tallies.values())
        print(f"  {total} calls: " + ", ".join(f"{n} {t.calls}" for n, t in tallies.items()), flush=True)
        if a.examples and total >= a.examples:
            break
    print("\nproperty     calls     chunks  seconds  distinct failures")
    for n, t in tallies.items():
        print(f"{n:<12} {t.calls:>9} {t.chunks:>7} {t.seconds:>8.0f}  {len(t.failures)}")
        for key, what in t.failures.items():
            print(f"    {key}  (found in {t.hits[key]} of {t.chunks} chunks)\n        {what}")
    print(f"total calls: {sum(t.calls for t in tallies.values())}")
    return 1 if any(t.failures for n, t in tallies.items() if n != "dates-raw") else 0


if __name__ == "__main__":
    sys.exit(main())
