"""Benchmark and scores of the Advertising-Law copy check.

Run: ``python bench/bench_copycheck.py [--cells 10000] [--repeat 7]``.

1. Scores on the corpora in ``tests/data`` (sentences quoted from penalty
   decisions, real product copy and plain facts), beside a plain word list
   used the usual way (substring match) on the same sentences.
2. One text of 40,000 characters of copy (mostly clean, risky): budget
   50 ms CPU each; the worst case (40,000 × "最", 20,000 findings) is shown
   beside them to show the time stays linear.
3. ``check_texts`` on 10,000 distinct cells of 60 characters: budget 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

# Realistic phrases: mostly clean copy, some risky terms, some full-width and spaced text.
PHRASES = [
    "新一代变频空调，一晚只需一度电",
    "静音设计，让全家睡得更安稳",
    "精选新疆长绒棉，柔软亲肤",
    "开封后请冷藏，最佳赏味期30天",
    "第一季度新品上市，首单立减50元",
    "源自阿尔卑斯山的天然矿泉水",
    "每一口都是妈妈的味道",
    "投资有风险，入市需谨慎",
    "名师小班教学，课程循序渐进",
    "本品不能代替药物",
    "行业领先的净化技术",
    "全网销量第一的扫地机器人",
    "最好的礼物送给最爱的人",
    "ＮＯ．１的品质保障",
    "保本保息，稳赚不赔",
    "一次根治，永不复发",
    "１００％有效，无效退款",
    "国家级非物质文化遗产传承技艺",
    "100%棉面料，透气舒适",
    "最 好 用 的 吸尘器",
    "限时特惠，最高立减300元",
    "新鲜直达，次日送到家门口",
    "智能温控，节能省电更安心",
    "轻薄机身，一手掌握",
    "全國第１的淨水器品牌",
    "最先进的变频技术，第1步扫码配网",
]


def make_cells(n: int, width: int = 60, seed: int = 20261110) -> list[str]:
    rng = random.Random(seed)
    cells = []
    for i in range(n):
        text = f"{i:05d}"  # every cell distinct: no help from the de-duplication
        while len(text) < width:
            text += rng.choice(PHRASES) + rng.choice("，。！ ")
        cells.append(text[:width])
    return cells


DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
LONG = 40_000


def print_scores() -> bool:
    from aexl.copycheck.evaluate import checker_tier, report, word_list_tier

    ours, words = report(DATA, checker_tier), report(DATA, word_list_tier)
    rows = [
        ("penalty sentences flagged (target 100 %)", "penalty", "flagged_rate"),
        ("penalty sentences at block (target >= 90 %)", "penalty", "blocked_rate"),
        ("should-flag sentences flagged (target >= 98 %)", "should_flag", "flagged_rate"),
        ("ordinary sentences flagged (target <= 5 %)", "ordinary", "flagged_rate"),
        ("ordinary sentences at block (target 0)", "ordinary", "blocked_rate"),
    ]
    print(f"{'':50s} {'copycheck':>10s} {'word list':>10s}")
    for label, key, attr in rows:
        n = ours[key].n
        print(
            f"{label:50s} {getattr(ours[key], attr):10.1%} {getattr(words[key], attr):10.1%}  (n={n})"
        )
    print("(the word list has no tiers: it never says block)")
    return (
        ours["penalty"].flagged_rate == 1.0
        and ours["penalty"].blocked_rate >= 0.90
        and ours["should_flag"].flagged_rate >= 0.98
        and ours["ordinary"].flagged_rate <= 0.05
        and ours["ordinary"].blocked == 0
    )


def time_long_texts(repeat: int) -> bool:
    from aexl.copycheck import check_text

    texts = {
        "mostly clean copy": ("".join(PHRASES[i] for i in (1, 2, 5, 6, 8, 11, 21, 22, 23)) * 400)[
            :LONG
        ],
        "risky copy": ("".join(PHRASES) * 100)[:LONG],
        "worst case, 40,000 x 最": "最" * LONG,
    }
    check_text("最好")  # load and compile the term list
    ok = True
    for name, text in texts.items():
        runs = []
        for _ in range(repeat):
            t = time.process_time()
            hits = check_text(text)
            runs.append(time.process_time() - t)
        median = statistics.median(runs)
        if not name.startswith("worst"):  # the budget is for copy; the worst case is shown
            ok = ok and median <= 0.050
        print(
            f"{LONG} characters, {name}: {median * 1000:.1f} ms CPU (median of {repeat}), {len(hits)} findings"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    scores_ok = print_scores()
    long_ok = time_long_texts(args.repeat)
    cells = make_cells(args.cells)

    t0 = time.perf_counter()
    from aexl.copycheck import check_texts

    results = check_texts(cells)
    cold = time.perf_counter() - t0
    flagged = sum(1 for hits in results if hits)
    findings = sum(len(hits) for hits in results)

    runs, cpu = [], []
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        check_texts(cells)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    median = statistics.median(runs)
    print(f"check_texts: {args.cells} cells x 60 chars, {flagged} flagged, {findings} findings")
    print(f"cold (import + load + compile + check): {cold * 1000:.1f} ms")
    print(
        f"warm median of {args.repeat}: {median * 1000:.1f} ms "
        f"(min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f}); "
        f"{median / args.cells * 1e6:.1f} µs per cell"
    )
    print(
        f"CPU time median: {statistics.median(cpu) * 1000:.1f} ms (wall time suffers on a busy machine)"
    )
    # judged on CPU time: wall time on a shared, busy machine measures the neighbours
    return 0 if statistics.median(cpu) <= 1.0 and scores_ok and long_ok else 1


if __name__ == "__main__":
    sys.exit(main())
