"""Pinyin codes: accuracy on real official names, and µs per look-up.

    python bench/bench_codes.py            # accuracy, errors, then speed
    python bench/bench_codes.py --errors   # also list plain pypinyin's errors

Accuracy: tests/data/names_listed_companies.tsv (5,413 listed-company short
names with the exchanges' pinyin abbreviation; sources in its header), scored
for ``code_for`` and for plain ``lazy_pinyin(name, style=Style.FIRST_LETTER)``
(letters and digits kept, upper-cased) on the same list; then the same on the
names that contain no gazetteer place name (the part the gazetteer does not
cover), then what each layer of the correction data adds.

Speed rows:
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
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aexl import codes  # noqa: E402
from aexl.codes import readings  # noqa: E402

N = 10_000
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "names_listed_companies.tsv"


def load_corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    """(name, expected code) rows of a names_*.tsv corpus."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return [tuple(ln.split("\t")[:2]) for ln in lines[1:]]


def plain(name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    text = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).upper()
    return "".join(c for c in text if c.isascii() and c.isalnum())


def ours(name: str) -> str:
    try:
        return codes.code_for(name)
    except codes.CodeError:
        return "?"


def score(func, rows) -> tuple[float, list[tuple[str, str, str]]]:
    errors = [(name, want, got) for name, want in rows if (got := func(name)) != want]
    return 100 * (1 - len(errors) / len(rows)), errors


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    gazetteer = readings.load_gazetteer()
    return frozenset(w for n, (p, _i) in gazetteer.items() for w in (n, p) if len(w) > 1)


def covered(name: str) -> bool:
    """The name holds an official place name of the gazetteer (or its proper part)."""
    words = place_words()
    return any(name[i : i + k] in words for i in range(len(name)) for k in range(2, 12))


def ablation(rows) -> list[tuple[str, float]]:
    """Score with each layer of the project's data switched off in turn."""
    out = []
    empty = lru_cache(maxsize=1)(dict)
    saved = (readings.load_name_chars, readings._place_words)
    for label, patch in (
        ("without [name_chars]", ("load_name_chars", empty)),
        ("without the gazetteer", ("_place_words", empty)),
    ):
        setattr(readings, patch[0], patch[1])
        codes.clear_caches()
        out.append((label, score(ours, rows)[0]))
        readings.load_name_chars, readings._place_words = saved
    codes.clear_caches()
    return out


def accuracy(show_plain_errors: bool) -> None:
    rows = load_corpus()
    outside = [r for r in rows if not covered(r[0])]
    print(f"accuracy on {CORPUS.name}")
    print(f"{'names':>6}  {'code_for':>8}  {'pypinyin':>8}  part")
    for label, part in (("all", rows), ("no gazetteer place name in it", outside)):
        print(
            f"{len(part):>6}  {score(ours, part)[0]:>7.2f}%  {score(plain, part)[0]:>7.2f}%  {label}"
        )
    for label, pct in ablation(rows):
        print(f"{len(rows):>6}  {pct:>7.2f}%  {'':>8}  code_for {label}")
    print("\ncode_for errors (name, expected, got):")
    for name, want, got in score(ours, rows)[1]:
        print(f"  {name}\t{want}\t{got}")
    if show_plain_errors:
        print("\nplain pypinyin errors (name, expected, got):")
        for name, want, got in score(plain, rows)[1]:
            print(f"  {name}\t{want}\t{got}")
    print()


def per_call(func, names) -> float:
    start = time.perf_counter()
    for name in names:
        func(name)
    return (time.perf_counter() - start) / len(names) * 1e6


def main() -> None:
    accuracy("--errors" in sys.argv)
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
