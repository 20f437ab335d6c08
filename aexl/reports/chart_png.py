"""效果追踪图表 as PNGs drawn by matplotlib, for ribbon / Office.js pictures, slides
and e-mail, with Chinese text in a CJK font (``aexl.reports.fonts``).

matplotlib is imported only inside ``render_png``. Callers import these names
from ``aexl.reports.charts`` as well.
"""

from __future__ import annotations

import os
from datetime import date

from aexl.reports.chart_spec import (
    BELOW_COLOR,
    BREAK_NOTE,
    CHART_HEIGHT_CM,
    CHART_WIDTH_CM,
    SHEET_TITLE,
    TARGET_NAME,
    ChartSpec,
    target_label,
)

PARALLEL_MIN_CHARTS = 6  # below this, starting worker processes costs more than it saves


def render_png(spec: ChartSpec, dpi: int = 150, *, font_families: list[str] | None = None) -> bytes:
    """The chart as PNG bytes (matplotlib, Agg, no pyplot and no global backend change).

    ``font_families`` overrides the Chinese font list (tests use it to show
    what happens without a CJK font).
    """
    import io

    import matplotlib
    import matplotlib.ticker
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from aexl.reports.fonts import cjk_families

    families = font_families or cjk_families()
    rc = {"font.family": families, "axes.unicode_minus": False, "svg.fonttype": "none"}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(CHART_WIDTH_CM / 2.54, CHART_HEIGHT_CM / 2.54 + 0.4), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        below = set(spec.below_target())
        (_draw_bars if spec.kind == "bar" else _draw_lines)(ax, spec, below)
        floor, top = spec.axis
        ax.set_ylim(bottom=floor, top=top)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        ax.set_title(png_title(spec), fontsize=11)
        ax.set_xlabel(spec.axis_title)
        ax.set_ylabel(spec.value_title)
        ax.grid(axis="y", color="#D9D9D9", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="best", frameon=False)
        fig.tight_layout()
        fig.set_layout_engine("none")  # laid out once; savefig then draws only once
        buffer = io.BytesIO()
        fig.savefig(
            buffer,
            format="png",
            dpi=dpi,
            metadata={"Software": None},
            pil_kwargs={"compress_level": 3},
        )
    return buffer.getvalue()


def _draw_bars(ax, spec: ChartSpec, below: set) -> None:
    """Actual bars (red below target), the target as a dashed line across each bar."""
    actual = spec.series[0]
    xs = list(range(len(spec.dates)))
    ys = [v if v is not None else 0 for v in actual.values]
    colors = [f"#{BELOW_COLOR if i in below else actual.color}" for i in xs]
    ax.bar(xs, ys, width=0.45, color=colors, label=actual.name)
    if spec.target is not None and spec.target.has_values:
        for i, t in enumerate(spec.target.values):
            if t is not None:
                ax.hlines(t, i - 0.35, i + 0.35, colors=f"#{spec.target.color}",
                          linestyles="--", linewidth=1.5, label=target_label(spec) if i == 0 else None)  # fmt: skip
    ax.set_xticks(xs, spec.x_labels)
    ax.set_xlim(-0.75, len(spec.dates) - 0.25)


def _draw_lines(ax, spec: ChartSpec, below: set) -> None:
    """Actual and target lines (target dashed), red markers below target, date ticks."""
    series = spec.all_series
    for s in series:
        pts = [(d, v) for d, v in zip(spec.dates, s.values, strict=True) if v is not None]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if s.name == TARGET_NAME:
            ax.plot(xs, ys, color=f"#{s.color}", linestyle="--", linewidth=1.5, label=s.name)
        else:
            ax.plot(xs, ys, color=f"#{s.color}", marker="o", linewidth=1.75, label=s.name)
    low = [(d, v) for i, (d, v) in enumerate(zip(spec.dates, spec.series[0].values, strict=True)) if i in below]  # fmt: skip
    if low:
        ax.plot(*zip(*low, strict=True), "o", color=f"#{BELOW_COLOR}", label="低于目标")
    ticks = spec.month_ticks or spec.ticks  # month starts for a long span
    ax.set_xticks(ticks, [spec.tick_label(d) for d in ticks])


def png_title(spec: ChartSpec) -> str:
    """Brand, campaign and metric, the period and where the figures came from."""
    period = ""
    if spec.dates:
        first, last = spec.dates[0], spec.dates[-1]
        period = f"{first:%Y-%m-%d}" + (f" 至 {last:%Y-%m-%d}" if last != first else "")
    source = "、".join(spec.sources) or "效果登记表"
    note = BREAK_NOTE if spec.axis_floor else ""
    return f"{spec.brand}｜{spec.campaign}：{spec.metric}（{period}）\n数据来源：{source}{note}"


def _render_one(args: tuple[ChartSpec, int]) -> bytes:
    spec, dpi = args
    return render_png(spec, dpi=dpi)


def render_pngs(specs: list[ChartSpec], workers: int = 2, dpi: int = 150) -> list[bytes]:
    """PNG bytes for many specs, in order; worker processes when there are many charts.

    Falls back to rendering in this process for a handful of charts, one
    worker, or when worker processes cannot be started.
    """
    import multiprocessing

    specs = list(specs)
    workers = max(1, min(workers, os.cpu_count() or 1, len(specs)))
    if (
        workers == 1
        or len(specs) < PARALLEL_MIN_CHARTS
        or multiprocessing.current_process().daemon  # inside a pool worker: no children
    ):
        return [render_png(s, dpi=dpi) for s in specs]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(specs) // (workers * 4))
            return list(pool.map(_render_one, [(s, dpi) for s in specs], chunksize=chunk))
    except (BrokenProcessPool, OSError, RuntimeError):  # no processes here: draw them ourselves
        return [render_png(s, dpi=dpi) for s in specs]


def png_name(day: date, spec: ChartSpec) -> str:
    """``20261031_美的_双十一_到店人数_效果追踪图表.png``."""
    from aexl.workbook.write import report_name

    return report_name(day, f"{spec.brand}_{spec.name}", SHEET_TITLE, ".png")
