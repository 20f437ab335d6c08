"""Benchmark: report writing (issue 12, point 9).

(a) ``findings``: writing a 7,000-row 校验结果 with
    ``aexl.reports.findings_sheet.write_findings`` (in process; the findings are
    made up, half errors, messages of realistic length).
(b) ``month-end``: ``aexl month-end`` wall time against the python-calamine read
    floor (``bench/bench_monthend.py``'s FLOOR script: every sheet of every
    input into DataFrames), on two account sets made by ``bench/gen_accounts.py``:

    - ``base``: the set of ``bench/bench_monthend.py`` (20 workbenches, about
      100,000 register rows);
    - ``dense``: a few workbenches with thousands of placements and findings
      each (the same generator with a large scale over few clients).

Each figure is the median of ``--runs`` runs (default 3; the machine is shared);
month-end and the floor run in turn, one of each per round, and the ratio is
the median of the per-round ratios. Target: month-end ≤ 2 × floor (wall,
``--workers 2``).

    python bench/bench_reports.py [--runs 3] [--skip-monthend] [--work DIR]

Not part of the test run. Account sets are cached in ``--work`` (default
``<temp>/aexl-bench-data``, shared with ``bench_monthend.py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

MESSAGES = [
    "会议纪要未请客户签字确认：会议记录须请客户方确认内容并签字（守则四.B），请补签后在「客户签复」填写签字人",
    "广告语含「最佳」：违反《广告法》第九条第三项，不得使用国家级、最高级、最佳等用语；请删除或改为具体数值",
    "样稿文件缺失：样稿/星河重庆小面_影视样稿_A版.png 不存在；请把样稿放进工作台文件夹或改正路径",
    "交付日期早于开单日期；请核对两个日期",
]
CODES = ["minutes.unsigned", "copy.adlaw_block", "placement.sample_missing", "job.dates"]


def findings(n: int) -> list:
    from aexl.findings import ERROR, WARNING, Finding

    sheets = ["会议", "工作单", "投放", "签核"]
    return [
        Finding(
            sheets[i % 4], 2 + i, "说明", ERROR if i % 2 else WARNING, CODES[i % 4], MESSAGES[i % 4]
        )
        for i in range(n)
    ]


def time_findings(rows: int, runs: int) -> list[float]:
    from aexl.reports.findings_sheet import write_findings

    items = findings(rows)
    out = Path(tempfile.mkdtemp(prefix="aexl-bench-findings-"))
    times = []
    try:
        for k in range(runs):
            started = time.perf_counter()
            write_findings(items, out / f"r{k}.xlsx", client="星河食品", source="x.xlsx", month="2026-10")  # fmt: skip
            times.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return times


def count_findings(folder: Path, sample: int = 3) -> tuple[int, int]:
    """(placements, findings) per workbench, the median over the first ``sample`` ones."""
    from aexl.validate import validate_workbench
    from aexl.workbook.read import read_workbench

    places, found = [], []
    for path in sorted(folder.glob("*.xlsx"))[:sample]:
        wb = read_workbench(path)
        places.append(len(wb.frame("投放")))
        found.append(len(list(validate_workbench(wb))))
    return int(statistics.median(places)), int(statistics.median(found))


def month_end(folder: Path, runs: int, month: str, workers: int) -> tuple[dict, dict, float]:
    """(month-end, floor, the median of their per-round ratios): the two run in turn."""
    from bench_monthend import (
        FLOOR,
        compile_package,
        measure_rounds,
        month_end_command,
        round_ratio,
    )

    compile_package()

    out = Path(tempfile.mkdtemp(prefix="aexl-bench-"))
    try:
        found = measure_rounds(
            {
                "month-end": lambda run: month_end_command(folder, out / f"o{run}", month, workers),
                "floor": lambda run: [sys.executable, "-c", FLOOR, str(folder)],
            },
            runs,
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return found["month-end"], found["floor"], round_ratio(found, "month-end", "floor")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark aexl report writing.")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "aexl-bench-data")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--findings", type=int, default=7000)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-monthend", action="store_true")
    parser.add_argument("--dense-clients", type=int, default=3)
    parser.add_argument("--dense-rows", type=int, default=60_000)
    args = parser.parse_args(argv)

    print(f"{os.cpu_count()} CPU，Python {sys.version.split()[0]}，每项 {args.runs} 次取中位数")
    times = time_findings(args.findings, args.runs)
    median = statistics.median(times)
    cells = args.findings * 6
    print(
        f"(a) write_findings {args.findings} 行：{median:.2f} s（{median / cells * 1e6:.1f} µs/格）"
        f"  runs {[round(t, 2) for t in times]}"
    )
    if args.skip_monthend:
        return 0
    from bench_monthend import ensure_data

    args.work.mkdir(parents=True, exist_ok=True)
    sets = [
        ("base", *ensure_data(args.work, "x1", clients=20, rows=100_000, seed=7)),
        (
            "dense",
            *ensure_data(
                args.work, "dense", clients=args.dense_clients, rows=args.dense_rows, seed=7
            ),
        ),  # fmt: skip
    ]
    for label, folder, rows in sets:
        places, found = count_findings(folder)
        me, floor, ratio = month_end(folder, args.runs, args.month, args.workers)
        verdict = "PASS" if ratio <= 2.0 else "FAIL"
        books = len(list(folder.glob("*.xlsx")))
        print(
            f"(b) {label}: {books} 个工作台，{rows:,} 行，每个工作台约 {places:,} 条投放、"
            f"{found:,} 条校验结果\n"
            f"    month-end {me['median']:.2f} s  floor {floor['median']:.2f} s  "
            f"ratio {ratio:.2f} (target ≤ 2.0) {verdict}\n"
            f"    CPU (all processes) month-end {me['cpu']:.2f} s  floor {floor['cpu']:.2f} s  "
            f"ratio {me['cpu'] / floor['cpu']:.2f}; load {os.getloadavg()[0]:.1f}\n"
            f"    runs month-end {[round(t, 2) for t in me['runs']]} floor {[round(t, 2) for t in floor['runs']]}"  # fmt: skip
        )
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
