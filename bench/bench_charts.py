"""Benchmark: one effect chart as a native Excel chart vs as a PNG; PNGs serial vs parallel.

Run: ``python bench/bench_charts.py [--repeat 15] [--charts 24] [--dpi 150]``.

Measures, for one 12-point chart (a quarter of weekly figures):

- ``add_native_chart``: data table + XlsxWriter chart on a sheet, and that
  chart's share of saving the workbook (50 charts saved together);
- ``render_png``: the matplotlib PNG (the first call, which imports
  matplotlib and registers the bundled CJK font, is reported apart);
- ``render_pngs`` for ``--charts`` charts with 1 worker and with 2 workers
  (worker processes started cold each run, as in ``aexl charts --png``).

Prints medians of ``--repeat`` runs in a small table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aexl.reports.charts import (  # noqa: E402
    ChartSpec,
    Series,
    add_native_chart,
    render_png,
    render_pngs,
)


def make_spec(n: int = 0, points: int = 12) -> ChartSpec:
    dates = tuple(date(2026, 8, 7) + timedelta(weeks=i) for i in range(points))
    actual = tuple(1000.0 + 150 * i + 37 * ((i * 7 + n) % 5) for i in range(points))
    return ChartSpec(
        title=f"重庆小面上市：试吃人数 实际与目标 {n}",
        brand="星河",
        campaign="重庆小面上市",
        metric="试吃人数",
        dates=dates,
        series=(Series("实际", actual),),
        target=Series("目标", (3000.0,) * points, "C00000"),
        unit="人",
        y_title="试吃人数（人）",
    )


def timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - start


def native_once(spec: ChartSpec, folder: Path) -> float:
    from aexl.workbook.write import Book

    sheet = Book(folder / "one.xlsx").sheet("图表")
    return timed(add_native_chart, sheet, spec, 1, 1, "E1")


def native_save_share(spec: ChartSpec, folder: Path, charts: int = 50) -> float:
    from aexl.workbook.write import Book

    book = Book(folder / "many.xlsx")
    sheet = book.sheet("图表")
    row = 1
    for _ in range(charts):
        row = add_native_chart(sheet, spec, row, 1, f"E{row}") + 1
    return timed(book.save) / charts


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per measurement (median)")
    parser.add_argument("--charts", type=int, default=24, help="charts for render_pngs")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--batch-repeat", type=int, default=3, help="runs of the render_pngs batch")
    args = parser.parse_args()

    spec = make_spec()
    first_png = timed(render_png, spec, dpi=args.dpi)  # matplotlib import + font registration
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        native_once(spec, folder)  # XlsxWriter import
        native = [native_once(spec, folder) for _ in range(args.repeat)]
        save = [native_save_share(spec, folder) for _ in range(max(3, args.repeat // 5))]
    png = [timed(render_png, spec, dpi=args.dpi) for _ in range(args.repeat)]

    specs = [make_spec(n) for n in range(args.charts)]
    serial = [timed(render_pngs, specs, workers=1, dpi=args.dpi) for _ in range(args.batch_repeat)]
    parallel = [
        timed(render_pngs, specs, workers=2, dpi=args.dpi) for _ in range(args.batch_repeat)
    ]

    native_total = median_ms(native) + median_ms(save)
    rows = [
        ("add_native_chart (table + chart)", f"{median_ms(native):.2f} ms"),
        ("  + its share of Book.save (50 charts)", f"{median_ms(save):.2f} ms"),
        ("native chart, total", f"{native_total:.2f} ms"),
        (f"render_png dpi={args.dpi}, first call (imports)", f"{first_png * 1000:.0f} ms"),
        (f"render_png dpi={args.dpi}", f"{median_ms(png):.1f} ms"),
        ("PNG / native", f"{median_ms(png) / native_total:.0f}×"),
        (f"render_pngs {args.charts} charts, 1 worker", f"{statistics.median(serial):.2f} s"),
        (f"render_pngs {args.charts} charts, 2 workers", f"{statistics.median(parallel):.2f} s"),
        (
            "speed-up with 2 workers",
            f"{statistics.median(serial) / statistics.median(parallel):.2f}×",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measurement':<{width}}  median   (repeat {args.repeat}, batch {args.batch_repeat})")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
