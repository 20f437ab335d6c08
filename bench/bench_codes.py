"""µs per pinyin-code lookup for 10,000 names: distinct and repeated.

    python bench/bench_codes.py

Rows:
- lazy_pinyin: pypinyin's own call per name (the baseline, no cache)
- code_for, distinct (new words): 10,000 different names made of random
  dictionary phrases, caches cleared first: every name and most words are new
- code_for, distinct (shared words): 10,000 different brand × product-line
  names built from 100 + 100 words, caches cleared first (the usual workload)
- code_for, repeated: the same 10,000 names again (all cache hits)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aexl import codes  # noqa: E402

N = 10_000


def per_call(func, names) -> float:
    start = time.perf_counter()
    for name in names:
        func(name)
    return (time.perf_counter() - start) / len(names) * 1e6


def main() -> None:
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    rng = random.Random(2026)
    phrases = rng.sample(sorted(p for p in PHRASES_DICT if len(p) <= 3), 2 * N)
    new_words = list(dict.fromkeys(a + b for a, b in zip(phrases[::2], phrases[1::2], strict=True)))
    brands = rng.sample(sorted(p for p in PHRASES_DICT if len(p) == 2), 100)
    lines = rng.sample(sorted(p for p in PHRASES_DICT if len(p) == 2), 100)
    shared = [b + line for b in brands for line in lines]

    codes.code_for("预热")  # import pypinyin outside the timing
    rows = [
        (
            "lazy_pinyin (baseline)",
            per_call(lambda t: lazy_pinyin(t, style=Style.FIRST_LETTER), new_words),
        )
    ]
    codes.clear_caches()
    rows.append(("code_for, distinct (new words)", per_call(codes.code_for, new_words)))
    codes.clear_caches()
    rows.append(("code_for, distinct (shared words)", per_call(codes.code_for, shared)))
    rows.append(("code_for, repeated", per_call(codes.code_for, shared)))
    print(f"{'names':>6}  {'µs/call':>8}  case")
    for label, us in rows:
        print(f"{N:>6}  {us:>8.2f}  {label}")


if __name__ == "__main__":
    main()
