"""Benchmark: reading a full 1,048,576-row 工作单 (bounded reading, issue 10).

Run: ``python bench/bench_bigsheet.py [--rows 1048576] [--cap-rows 200000] [--keep DIR]``.

Writes a 工作单 of ``--rows`` rows (header included; XlsxWriter in
constant-memory mode) into a temp folder, then measures in fresh processes
(peak memory is each process's ``ru_maxrss``):

- ``floor``: plain python-calamine (open, build the sheet, ``to_python``):
  the read floor the issue measures against;
- ``aexl``: ``read_workbench`` as ``check`` and month-end call it, with the
  default row cap (``AEXL_MAX_ROWS`` unset): a sheet past the cap ends in one
  message, found by streaming the sheet XML before calamine allocates;
- with ``--cap-rows N`` also a sheet of exactly N rows (the largest the
  default cap reads): its calamine floor and aexl's full read.

Targets: aexl's peak ≤ 1 GiB and time ≤ 10 × the floor of the same file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aexl import schema  # noqa: E402

FLOOR = """
import json, resource, sys, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name("工作单").to_python()
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

AEXL = """
import json, resource, sys, time
from aexl.errors import AexlError
from aexl.workbook.read import read_workbench
start = time.perf_counter()
try:
    rows, message = len(read_workbench(sys.argv[1]).frame("工作单")), ""
except AexlError as exc:
    rows, message = 0, str(exc)
print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows, "message": message,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_jobs(path: Path, rows: int) -> None:
    """A 工作单 of ``rows`` rows (header + rows-1 jobs), every column filled."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("工作单")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, schema.JOBS.headers)
    start = date(2026, 1, 5)
    for n in range(1, rows):
        sheet.write_row(n, 0, [
            f"MDKT2026{n:07d}", "美的", "空调", f"新品上市 {n % 97}", "上市推广", "提升认知",
            "城市白领", "功能利益", "温暖", "无", "海报设计", "海报", "A4", 12000 + n % 500,
        ])  # fmt: skip
        sheet.write_datetime(n, 14, start + timedelta(days=n % 300), date_format)
        sheet.write_datetime(n, 15, start + timedelta(days=n % 300 + 7), date_format)
        sheet.write_row(n, 16, ["无", "张三", "李四", "否", "进行中"])
    book.close()


def measure(code: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, path: Path) -> None:
    floor, aexl = measure(FLOOR, path), measure(AEXL, path)
    print(f"\n{label}: {path.name}, {path.stat().st_size / 2**20:.1f} MiB")
    print(f"  {'':18}{'seconds':>9}{'peak MiB':>10}{'rows':>10}")
    for name, got in (("calamine floor", floor), ("aexl read", aexl)):
        print(f"  {name:18}{got['seconds']:9.1f}{got['peak_mb']:10.0f}{got['rows']:10d}")
    ratio = aexl["seconds"] / floor["seconds"]
    ok = aexl["peak_mb"] <= 1024 and ratio <= 10
    print(f"  aexl / floor time: {ratio:.2f}x; peak ≤ 1 GiB and ≤ 10x: {'yes' if ok else 'NO'}")
    if aexl["message"]:
        print(f"  message: {aexl['message']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--cap-rows", type=int, default=0, help="also a sheet of this many rows")
    parser.add_argument("--keep", type=Path, help="write the workbooks here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = [args.rows] + ([args.cap_rows] if args.cap_rows else [])
        for rows in sizes:
            path = folder / f"工作单_{rows}行.xlsx"
            if not path.exists():
                start = time.perf_counter()
                write_jobs(path, rows)
                print(f"wrote {path.name} in {time.perf_counter() - start:.0f} s")
            report(f"{rows:,} rows", path)


if __name__ == "__main__":
    main()
