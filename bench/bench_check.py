"""Benchmark ``aexl check``: a 100,000-row 工作单 register (deterministic), read + validate.

    python bench/bench_check.py                 # 100,000 jobs, prints the figures
    python bench/bench_check.py --rows 20000 --keep /tmp/big.xlsx

    python bench/bench_check.py --book /tmp/big.xlsx   # validate a kept workbook again

Besides 工作单 the workbook holds 品牌 (100 brand × line pairs), 修改单,
签核, 会议 and 周进度 at a fraction of the job count. About 1 % of the job
rows carry a typical mistake (blank field, missing 规格, wrong year,
duplicate number, delivery before opening) so the finding path is exercised
too. Every tenth job has its 工作单确认 chain; those of them that are
delivered (已完成/客户确认) also have a 正稿QC chain, about 1 % of which
lacks the client's signature; one job in a hundred starts 正稿QC without a
confirmed job sheet. Jobs without sign-offs are never delivered. Minutes
carry 客户签复 except about 5 %. Also times the real command
(``python -m aexl check --book … --json``).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aexl import schema  # noqa: E402

BRANDS = ["美的", "格力", "海尔", "长虹", "华帝", "方太", "九阳", "苏泊尔", "老板", "万和",
          "星河食品", "蓝天乳业", "金穗粮油", "青山茶业", "远航汽车", "银河银行", "重庆火锅",
          "南方航空", "北辰地产", "东岳酒业"]  # fmt: skip
LINES = ["空调", "冰箱", "洗衣机", "热水器", "厨电"]
TYPES = list(schema.WORK_TYPES)
UNDELIVERED = [s for s in schema.JOB_STATUSES if s not in ("已完成", "客户确认")]


def build(rows: int, seed: int = 20261126) -> dict[str, list[list]]:
    from aexl.codes import code_table
    from aexl.workbook.read import empty_frame

    rng = random.Random(seed)
    brand_rows = [["华韵集团", b, None, line, None, None] for b in BRANDS for line in LINES]
    frame = empty_frame(schema.BRANDS).iloc[0:0]
    import pandas as pd

    frame = pd.DataFrame(
        [dict(zip(schema.BRANDS.headers, r, strict=True)) for r in brand_rows], dtype=object
    )
    codes = code_table(frame)
    serial: Counter = Counter()
    jobs, revisions, signoffs, meetings, weekly = [], [], [], [], []
    for i in range(rows):
        brand, line = BRANDS[i % len(BRANDS)], LINES[(i // len(BRANDS)) % len(LINES)]
        opened = date(2025, 1, 2) + timedelta(days=rng.randrange(0, 700))
        bc, lc = codes[(brand, line)]
        serial[(bc, lc, opened.year)] += 1
        jobno = f"{bc}{lc}{opened.year}{serial[(bc, lc, opened.year)]:03d}"
        kind = TYPES[rng.randrange(len(TYPES))]
        row = {
            "工作号": jobno, "品牌": brand, "产品线": line, "项目名称": f"项目{i}",
            "项目背景": "年末促销", "广告目标": "提升客流", "目标消费者": "城市家庭",
            "广告策略": "以旧换新", "广告调性": "温暖", "其他必备条件": "无",
            "工作内容": f"{kind}一套", "工作类型": kind,
            "规格": "A4" if kind in schema.PRINT_WORK_TYPES else None,
            "预算": rng.choice([8000, "¥12,000", "1.2万", 30000.5]),
            "开单日期": opened, "交付日期": opened + timedelta(days=rng.randrange(3, 40)),
            "提供资料": "产品图", "执行人员": "王小明", "主管签名": "李主管",
            "创意简报": "是" if kind in schema.BRIEF_WORK_TYPES else "否",
            "状态": rng.choice(schema.JOB_STATUSES if i % 10 == 0 else UNDELIVERED),
        }  # fmt: skip
        if rng.random() < 0.01:
            mistake = rng.randrange(5)
            if mistake == 0:
                row["项目背景"] = None
            elif mistake == 1:
                row["工作类型"], row["规格"] = "海报", None
            elif mistake == 2:
                row["开单日期"] = date(opened.year - 1, 12, 28)
            elif mistake == 3 and jobs:
                row["工作号"] = jobs[-1][0]
            else:
                row["交付日期"] = opened - timedelta(days=2)
        jobs.append([row[h] for h in schema.JOBS.headers])
        if i % 5 == 0:
            for n in range(1, rng.randrange(1, 4) + 1):
                revisions.append([jobno, n, opened + timedelta(days=n), "改稿", "客户",
                                  opened + timedelta(days=n + 2), "王小明"])  # fmt: skip
        if i % 10 == 0:
            day = opened
            for step in schema.SIGNOFF_CHAINS["工作单确认"]:
                signoffs.append([jobno, "工作单确认", step, "", "某人", day, "通过", None])
                day += timedelta(days=rng.randrange(0, 2))
            if row["状态"] in ("已完成", "客户确认"):
                steps = schema.SIGNOFF_CHAINS["正稿QC"]
                if rng.random() < 0.01:
                    steps = steps[:-1]  # the client has not signed yet
                for step in steps:
                    signoffs.append([jobno, "正稿QC", step, "", "某人", day, "通过", None])
        elif i % 100 == 25:
            for step in schema.SIGNOFF_CHAINS["正稿QC"][:3]:  # no 工作单确认
                signoffs.append([jobno, "正稿QC", step, "", "某人", opened, "通过", None])
        if i % 20 == 0:
            start = datetime.combine(opened, datetime.min.time()) + timedelta(hours=14)
            if opened.year <= 2026:
                sent = start + timedelta(hours=rng.choice([2, 20, 30, 90]))
                signed = None if rng.random() < 0.05 else "张经理"
                meetings.append(
                    [start, "提案", f"提案{i}", jobno, "AE、客户", sent, "李主管", signed]
                )
        if i % 5 == 1:
            iso = opened.isocalendar()
            weekly.append([f"{iso[0]}-W{iso[1]:02d}", jobno, "创意", "推进中",
                           rng.randrange(0, 101), "未开票", "继续", "王小明"])  # fmt: skip
    return {
        "品牌": brand_rows,
        "工作单": jobs,
        "修改单": revisions,
        "签核": signoffs,
        "会议": meetings,
        "周进度": weekly,
    }


def write(path: Path, data: dict[str, list[list]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for sheet, rows in data.items():
        ws = wb.create_sheet(sheet)
        ws.append(schema.BY_SHEET[sheet].headers)
        for row in rows:
            ws.append(row)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--book", type=Path, help="validate this workbook instead of generating")
    args = parser.parse_args()

    from aexl.validate import validate_workbench
    from aexl.workbook.read import read_workbench

    tmp = tempfile.TemporaryDirectory()
    if args.book:
        path = args.book
        print(f"workbook:            {path} ({path.stat().st_size / 1e6:.1f} MB)")
    else:
        path = args.keep or Path(tmp.name) / "bench_check.xlsx"
        t0 = time.perf_counter()
        data = build(args.rows)
        write(path, data)
        t1 = time.perf_counter()
        sizes = ", ".join(f"{k} {len(v):,}" for k, v in data.items())
        print(
            f"generated + written: {t1 - t0:6.2f} s  ({sizes}; {path.stat().st_size / 1e6:.1f} MB)"
        )

    t0 = time.perf_counter()
    wb = read_workbench(path)
    t1 = time.perf_counter()
    findings = validate_workbench(wb, now=datetime(2026, 11, 26, 9, 0))
    t2 = time.perf_counter()
    by_code = Counter(f.code for f in findings)
    print(f"read_workbench:      {t1 - t0:6.2f} s")
    print(f"validate_workbench:  {t2 - t1:6.2f} s  ({len(findings):,} findings)")
    print(f"read + validate:     {t2 - t0:6.2f} s")
    print("findings by code:    " + ", ".join(f"{c} {n}" for c, n in by_code.most_common()))

    t0 = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "aexl", "check", "--book", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    t1 = time.perf_counter()
    print(f"aexl check --json:   {t1 - t0:6.2f} s  (exit {result.returncode}, whole process)")
    tmp.cleanup()


if __name__ == "__main__":
    main()
