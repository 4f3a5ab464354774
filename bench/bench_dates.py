"""Throughput of ``find_dates`` on plain text, one core.

Default input: every government work report in /work/shared/corpora/government-work-reports/ concatenated,
repeated until it is at least ``--min-mb`` megabytes (UTF-8).  Prints MB/s and the number of mentions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ptkg.extractors.dates import find_dates  # noqa: E402

DEFAULT_DIR = Path("/work/shared/corpora/government-work-reports")


def load(paths: list[Path], min_mb: float) -> str:
    files = []
    for p in paths:
        files.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    text = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
    if not text:
        raise SystemExit("no input text")
    size = len(text.encode("utf-8"))
    reps = max(1, int(min_mb * 1e6 // size) + (1 if min_mb * 1e6 % size else 0))
    return "\n".join([text] * reps)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_DIR], help="files or folders of .txt")
    ap.add_argument("--min-mb", type=float, default=5.0, help="repeat the input to at least this size")
    ap.add_argument("--base", type=dt.date.fromisoformat, default=dt.date(2020, 12, 23), help="document date")
    ap.add_argument("--lines", action="store_true", help="call find_dates per line instead of on the whole text")
    args = ap.parse_args(argv)
    text = load(args.inputs, args.min_mb)
    mb = len(text.encode("utf-8")) / 1e6
    find_dates("2020年5月14日", args.base)  # compile the grammar outside the timing
    t0, c0 = time.perf_counter(), time.process_time()
    if args.lines:
        n = sum(len(find_dates(line, args.base)) for line in text.split("\n"))
    else:
        n = len(find_dates(text, args.base))
    dt_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    # on a shared machine the wall clock counts other people's work too: the CPU time is this process's own
    print(f"{mb:.2f} MB in {dt_s:.2f} s wall = {mb / dt_s:.2f} MB/s; {cpu_s:.2f} s CPU = {mb / cpu_s:.2f} MB/s; "
          f"{n} mentions ({n / mb:.0f} per MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
