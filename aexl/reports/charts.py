"""效果追踪图表: effect-tracking charts, defined once and rendered two ways.

A ``ChartSpec`` describes one chart of the 效果 register: one brand, campaign
(活动) and metric (指标), the actual values (数值) against the target (目标值)
over time (日期). The same spec becomes

- a native Excel chart (``add_native_chart``): a line (or bar) chart with the
  target as a second series, fed by a small data table written beside it, so
  the client can edit both in Excel;
- a PNG drawn by matplotlib (``render_png``), for ribbon / Office.js pictures,
  slides and e-mail, with Chinese text in a CJK font (``aexl.reports.fonts``).

matplotlib is imported only inside the PNG functions; XlsxWriter (through
``aexl.workbook.write``) only inside the workbook functions.

Grouping rules (documented for the AEs): rows without a date or without both
数值 and 目标值 are left out; several rows of one campaign and metric on the
same day (e.g. several stores observed) are averaged; rows whose 单位 differ
are charted separately (a blank 单位 takes the group's unit); a campaign with
a single day is drawn as bars, otherwise as lines with markers.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from aexl.rules import as_day, brand_key
from aexl.values import norm_text

SHEET_TITLE = "效果追踪图表"
ACTUAL_NAME = "实际"
TARGET_NAME = "目标"
X_TITLE = "日期"
NO_CAMPAIGN = "（未填活动）"
NO_METRIC = "（未填指标）"
ACTUAL_COLOR = "2F5597"
TARGET_COLOR = "7F7F7F"  # grey: red is kept for actual values below target
BELOW_COLOR = "C00000"  # an actual value below its target: the only red
VALUE_FORMAT = "#,##0"  # value axes with thousands separators
BREAK_SHARE = 0.25  # from zero unless the data's range is below this share of its highest value
BREAK_NOTE = "（纵轴未从 0 开始）"
CHART_WIDTH_CM = 16.0
CHART_HEIGHT_CM = 8.0
BOOK_CHART_CM = 5.5  # the chart workbook's charts: two fit on a landscape page
TARGET_MARK = {  # the target over a single bar: a grey dash across it; its value in the legend
    "line": {"none": True},
    "marker": {"type": "dash", "size": 28, "fill": {"color": f"#{TARGET_COLOR}"}, "border": {"color": f"#{TARGET_COLOR}"}},
}  # fmt: skip
TICK_STEPS = (1, 2, 3, 7, 14, 28, 56, 91, 182, 364)
PARALLEL_MIN_CHARTS = 6  # below this, starting worker processes costs more than it saves
_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")  # what XlsxWriter takes for a cell


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str = ACTUAL_COLOR

    @property
    def has_values(self) -> bool:
        return any(v is not None for v in self.values)


@dataclass(frozen=True)
class ChartSpec:
    """One effect chart, independent of how it is drawn."""

    title: str
    brand: str
    campaign: str
    metric: str
    dates: tuple[date, ...]
    series: tuple[Series, ...]  # actual value(s)
    target: Series | None = None  # drawn as a dashed line (or a second bar)
    unit: str = ""
    x_title: str = X_TITLE
    y_title: str = ""
    kind: str = "line"  # "line" or "bar"
    sources: tuple[str, ...] = field(default=())
    scale: tuple[float, ...] = ()  # values that fix the value axis: the record up to the end

    @property
    def one_year(self) -> bool:
        return len({d.year for d in self.dates}) <= 1

    @property
    def axis_title(self) -> str:
        """``日期（2026年）`` when every point is in one year (the labels then omit it)."""
        if self.dates and self.one_year:
            return f"{self.x_title}（{self.dates[0].year}年）"
        return self.x_title

    @property
    def date_format(self) -> str:
        """The Excel number format of the date labels, the same text as ``tick_label``."""
        return 'm"月"d"日"' if self.one_year else 'yyyy"年"m"月"d"日"'

    def tick_label(self, day: date) -> str:
        if self.one_year:
            return f"{day.month}月{day.day}日"
        return f"{day.year}年{day.month}月{day.day}日"

    @property
    def x_labels(self) -> list[str]:
        return [self.tick_label(d) for d in self.dates]

    @property
    def tick_step(self) -> int:
        """Days between date labels: at most about seven labels, a whole number of weeks
        from two weeks on (weekly figures then fall on labels)."""
        span = (self.dates[-1] - self.dates[0]).days if self.dates else 0
        for step in TICK_STEPS:
            if span / step <= 7:
                return step
        return math.ceil(span / 7 / 364) * 364

    @property
    def ticks(self) -> list[date]:
        """The labelled dates: the first date, then every ``tick_step`` days to the last."""
        if not self.dates:
            return []
        step, first = self.tick_step, self.dates[0]
        return [
            first + timedelta(days=k) for k in range(0, (self.dates[-1] - first).days + 1, step)
        ]

    @property
    def axis(self) -> tuple[float, float | None]:
        """(floor, top) of the value axis (``value_axis``) over ``scale`` (the metric's
        record up to the period's end, so every report of a period draws one metric on
        one axis, whatever part of it the report shows), else the values drawn; a bar
        always starts at zero."""
        values = self.scale or tuple(v for s in self.all_series for v in s.values if v is not None)
        return value_axis(values, from_zero=self.kind == "bar")

    @property
    def axis_floor(self) -> float:
        return self.axis[0]

    @property
    def value_title(self) -> str:
        return self.y_title

    @property
    def chart_title(self) -> str:
        """The chart's title, noting a break when the value axis does not start at zero."""
        return self.title + (BREAK_NOTE if self.axis_floor else "")

    def below_target(self) -> list[int]:
        """Indexes of the dates whose (first) actual value is below its target."""
        if self.target is None or not self.series:
            return []
        pairs = zip(self.series[0].values, self.target.values, strict=True)
        return [i for i, (a, t) in enumerate(pairs) if a is not None and t is not None and a < t]

    @property
    def month_ticks(self) -> list[date]:
        """First days of months within the dates, when they span two months or more."""
        if not self.dates or (self.dates[-1] - self.dates[0]).days < 56:
            return []
        first, out = self.dates[0], []
        day = date(first.year, first.month, 1)
        while day <= self.dates[-1]:
            if day >= first:
                out.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return out

    @property
    def all_series(self) -> list[Series]:
        """Actual series then the target: the columns of the data table, in order."""
        extra = [self.target] if self.target is not None and self.target.has_values else []
        return [*self.series, *extra]

    @property
    def name(self) -> str:
        """``活动_指标`` (plus the unit when a metric is split by unit): for file names."""
        return "_".join(p for p in (self.campaign, self.metric) if p)


def value_axis(values, from_zero: bool = False) -> tuple[float, float | None]:
    """(floor, top) of a value axis, the one rule for native charts and PNGs.

    From zero unless zero would flatten the data: when the values' range is less
    than ``BREAK_SHARE`` of the highest (44–55.5 of 55.5: a break; 41–60: from zero);
    then a round value below the lowest (``from_zero``: never, as for bars). The top is
    a round value above the highest (None without values: the program's own).

    >>> value_axis([41, 55.5, 60])
    (0.0, 70.0)
    >>> value_axis([44, 55.5, 55])
    (40.0, 58.0)
    """
    values = [v for v in values if v is not None]
    if not values or max(values) <= 0:
        return 0.0, None
    low, high = min(values), max(values)
    floor = 0.0
    if low > 0 and high - low < BREAK_SHARE * high and not from_zero:
        span = high - low or high * 0.1
        step = 10 ** math.floor(math.log10(span))
        floor = round(math.floor((low - span * 0.2) / step) * step, 10)
    step = 10 ** math.floor(math.log10(high - floor))
    ratio = (high - floor) / step
    step = step / 5 if ratio < 2 else step / 2 if ratio < 5 else step
    return float(floor), float(round(math.ceil((high + (high - floor) * 0.04) / step) * step, 10))


def data_span(specs) -> tuple[date, date] | None:
    """The first and last day the charts' figures cover (None without figures)."""
    days = [d for spec in specs for d in spec.dates]
    return (min(days), max(days)) if days else None


def span_label(specs) -> str:
    """``2026-01-31 至 2026-10-31``: the period the charts' figures really cover."""
    span = data_span(specs)
    if span is None:
        return ""
    return f"{span[0]:%Y-%m-%d}" + (f" 至 {span[1]:%Y-%m-%d}" if span[1] != span[0] else "")


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 6) if values else None


def chart_specs(
    effects_df, brand: str, start: date | None = None, end: date | None = None
) -> list[ChartSpec]:
    """The charts of one brand: one per (活动, 指标[, 单位]), in the sheet's order."""
    return specs_from_records(_brand_records(effects_df, brand), brand, start, end)


def specs_by_brand(
    effects_df, start: date | None = None, end: date | None = None
) -> dict[str, list[ChartSpec]]:
    """Every brand's charts from one pass over the register: brand → specs, for the
    brands of ``brands`` (same order and names)."""
    groups: dict[str, list[dict]] = {}
    for rec in _records(effects_df):
        groups.setdefault(brand_key(rec.get("品牌")), []).append(rec)
    out = {}
    for name in brands(effects_df, start, end):
        specs = specs_from_records(groups.get(brand_key(name), []), name, start, end)
        if specs:
            out[name] = specs
    return out


def _records(effects_df) -> list[dict]:
    if effects_df is None or len(effects_df) == 0:
        return []
    return effects_df.to_dict("records")


def _brand_records(effects_df, brand: str) -> list[dict]:
    """The brand's rows (names compared by ``rules.brand_key``), converted once."""
    if effects_df is None or len(effects_df) == 0:
        return []
    key = brand_key(brand)
    mask = [brand_key(v) == key for v in effects_df["品牌"].tolist()]
    return _records(effects_df[mask]) if any(mask) else []


def specs_from_records(
    rows: list[dict], brand: str, start: date | None = None, end: date | None = None
) -> list[ChartSpec]:
    """``chart_specs`` over rows already limited to ``brand`` (dicts of the 效果 register).

    Each chart draws the figures dated in [start, end]; its value axis is set by all
    of the metric's figures up to ``end`` (``ChartSpec.axis``).
    """
    brand = norm_text(brand)
    groups: dict[tuple[str, str], list[tuple[date, float | None, float | None, str, str]]] = {}
    for rec in rows:  # a metric's axis is set by its whole record up to ``end``
        day = as_day(rec.get("日期"))
        actual, target = _number(rec.get("数值")), _number(rec.get("目标值"))
        if day is None or (actual is None and target is None):
            continue
        key = (norm_text(rec.get("活动")) or NO_CAMPAIGN, norm_text(rec.get("指标")) or NO_METRIC)
        row = (day, actual, target, norm_text(rec.get("单位")), norm_text(rec.get("来源")))
        groups.setdefault(key, []).append(row)

    specs: list[ChartSpec] = []
    for (campaign, metric), rows_ in groups.items():
        units = Counter(r[3] for r in rows_ if r[3])
        main_unit = units.most_common(1)[0][0] if units else ""
        by_unit: dict[str, list] = {}
        for r in rows_:
            by_unit.setdefault(r[3] or main_unit, []).append(r)
        split = len(by_unit) > 1
        for unit, unit_rows in by_unit.items():
            shown = [r for r in unit_rows if not (start and r[0] < start or end and r[0] > end)]
            if shown:
                upto = [r for r in unit_rows if not (end and r[0] > end)]
                scale = tuple(v for r in upto for v in r[1:3] if v is not None)
                specs.append(_spec(brand, campaign, metric, unit, shown, split, scale))
    return specs


def _spec(brand, campaign, metric, unit, rows, split: bool, scale=()) -> ChartSpec:
    per_day: dict[date, tuple[list[float], list[float]]] = {}
    for day, actual, target, _, _ in rows:
        actuals, targets = per_day.setdefault(day, ([], []))
        if actual is not None:
            actuals.append(actual)
        if target is not None:
            targets.append(target)
    dates = tuple(sorted(per_day))
    actual = tuple(_mean(per_day[d][0]) for d in dates)
    target = tuple(_mean(per_day[d][1]) for d in dates)
    label = f"{metric}（{unit}）" if split and unit else metric
    return ChartSpec(
        title=f"{campaign}：{label} 实际与目标",
        brand=brand,
        campaign=campaign,
        metric=label,
        dates=dates,
        series=(Series(ACTUAL_NAME, actual, ACTUAL_COLOR),),
        target=Series(TARGET_NAME, target, TARGET_COLOR),
        unit=unit,
        y_title=f"{metric}（{unit}）" if unit else metric,
        kind="bar" if len(dates) == 1 else "line",
        sources=tuple(sorted({r[4] for r in rows if r[4]})),
        scale=tuple(scale),
    )


# ---------------------------------------------------------------- native Excel


def _cm_rows(height_cm: float) -> int:
    """Worksheet rows (default height 15 pt = 20 px) covered by a chart of this height."""
    return math.ceil(height_cm / 2.54 * 96 / 20)


def add_native_chart(
    sheet, spec: ChartSpec, data_row: int, data_col: int, anchor: str, height_cm=CHART_HEIGHT_CM
) -> int:
    """Write the spec's data table at (data_row, data_col) and an Excel chart at ``anchor``.

    ``sheet`` is an ``aexl.workbook.write.Sheet``; ``anchor`` a cell such as ``"E12"``.
    The table is 日期 | 实际 | 目标 (the columns the chart's series refer to);
    the chart gets the Chinese title and axis titles. Returns the first free
    row below both the table and the chart.
    """
    from xlsxwriter.utility import xl_cell_to_rowcol

    from aexl.workbook import write as xo

    columns = spec.all_series
    headers = [spec.x_title, *[_column_title(s, spec.unit) for s in columns]]
    rows = [[day, *[s.values[n] for s in columns]] for n, day in enumerate(spec.dates)]
    formats = {i: xo.DATE_FORMAT if i == 0 else "#,##0.##" for i in range(len(headers))}
    sheet.table(data_row, headers, rows, formats, first_col=data_col)
    last_row = data_row + len(spec.dates)
    if not spec.dates:  # nothing to draw: the header row says what would be here
        return data_row + 2

    bar = spec.kind == "bar"
    chart = sheet.book.chart({"type": "column"} if bar else {"type": "line"})
    chart.set_title({"name": _literal(spec.chart_title), "name_font": _font(12, bold=True)})
    x_axis = {
        "name": _literal(spec.axis_title),
        "name_font": _font(9),
        "num_format": spec.date_format,  # not source-linked: the table keeps yyyy-mm-dd
    }
    if bar:  # the dates as text categories: with <c:auto> LibreOffice makes it a month axis
        x_axis["text_axis"] = True
    else:
        # A time axis spaced by date, as in the PNG. All three units are spelled
        # out: without baseTimeUnit LibreOffice guesses "months" for monthly
        # figures and then shows a single label ("1月1日"). baseTimeUnit: _write_extras.
        x_axis.update(date_axis=True, major_unit=spec.tick_step, major_unit_type="days")
    chart.set_x_axis(x_axis)
    y_axis = {"name": _literal(spec.value_title), "name_font": _font(9)}
    # from zero (or the noted break), as in the PNG: LibreOffice would zoom in on its own
    floor, top = spec.axis
    y_axis.update(min=floor, num_format=VALUE_FORMAT, **({"max": top} if top else {}))
    chart.set_y_axis(y_axis)
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("span")
    name = sheet.ws.name
    first, last = data_row, last_row - 1  # 0-based rows of the values
    for col, source in enumerate(columns, start=data_col):  # 0-based: the column after 日期
        series = {
            "name": [name, data_row - 1, col],
            "categories": [name, first, data_col - 1, last, data_col - 1],
            "values": [name, first, col, last, col],
        }
        series.update(_series_look(source, spec.kind))
        if source is spec.series[0] and spec.below_target():
            series["points"] = _below_points(spec, bar)
        if bar and source is spec.target:  # one bar per date; the target a dash across it
            target = sheet.book.chart({"type": "line"})
            target.add_series({**series, **TARGET_MARK, "name": target_label(spec)})
            _write_extras(target, base_unit=None)
            chart.combine(target)
            continue
        chart.add_series(series)
    _write_extras(chart, base_unit=None if bar else "days")
    anchor_row, anchor_col = (n + 1 for n in xl_cell_to_rowcol(anchor))
    # The chart's top-left 3 pixels inside the cell: a chart that starts exactly on a
    # page break would have its top border printed at the foot of the previous page.
    sheet.insert_chart(anchor_row, anchor_col, chart, CHART_WIDTH_CM, height_cm, offset=(0, 3))
    return max(last_row + 2, anchor_row + _cm_rows(height_cm) + 1)


def _font(size: float, bold: bool = False) -> dict:
    """An XlsxWriter chart font: the house Chinese font at ``size`` points."""
    from aexl.workbook.write import FONT_NAME

    return {"name": FONT_NAME, "size": size, "bold": bold}


def _literal(text: str) -> str:
    """Chart text that XlsxWriter keeps as text: it reads ``活动!A1…`` as a cell reference,
    so such a ``!`` (from a campaign or metric name) is written as a full-width ``！``."""
    return text.replace("!", "！") if _REFERENCE.match(text) else text


def _column_title(series: Series, unit: str) -> str:
    return f"{series.name}（{unit}）" if unit else series.name


def _series_look(source: Series, kind: str) -> dict:
    """Colour, line and marker of one series (the PNG's looks)."""
    color = f"#{source.color}"
    if kind == "bar":
        return {"fill": {"color": color}, "border": {"color": color}}
    if source.name == TARGET_NAME:
        line = {"color": color, "width": 1.5, "dash_type": "dash"}
        return {"line": line, "marker": {"type": "none"}, "smooth": False}
    marker = {"type": "circle", "size": 6, "fill": {"color": color}, "border": {"color": color}}
    return {"line": {"color": color, "width": 1.75}, "marker": marker, "smooth": False}


def _below_points(spec: ChartSpec, bar: bool) -> list:
    """Per-point looks of the actual series: red where it is below target."""
    below = set(spec.below_target())
    red = {"color": f"#{BELOW_COLOR}"}
    if bar:
        return [
            {"fill": red, "border": red} if i in below else None for i in range(len(spec.dates))
        ]
    del bar  # a column's fill and a line's marker take the same point format
    return [{"fill": red, "border": red} if i in below else None for i in range(len(spec.dates))]


def _write_extras(chart, base_unit: str | None) -> None:
    """What XlsxWriter's chart options cannot say, fixed in this chart's XML
    (through its private writers: ``tests/test_charts.py`` reads all three back):

    - ``<a:ea>`` beside every ``<a:latin>`` font: Chinese text takes the East
      Asian font, so without it titles would be drawn in the theme's font;
    - ``<c:baseTimeUnit>`` on the date axis (after ``<c:lblOffset>``, as the
      schema orders it), which XlsxWriter never writes (see ``add_native_chart``);
    - a blank cell (a missing value or target) left out of the cached values
      instead of cached as 0, so a viewer that draws from the cache shows a gap.
    """
    write_latin, write_offset = chart._write_a_latin, chart._write_label_offset
    write_cache = chart._write_num_cache

    def cache_without_blanks(data) -> None:
        write_cache([None if v == "" else v for v in data] if data else data)

    def latin_and_east_asian(attributes) -> None:
        write_latin(attributes)
        chart._xml_empty_tag("a:ea", attributes)

    def offset_and_base_unit(value) -> None:
        write_offset(value)
        chart._xml_empty_tag("c:baseTimeUnit", [("val", base_unit)])

    chart._write_a_latin = latin_and_east_asian
    chart._write_num_cache = cache_without_blanks
    if base_unit:  # a line chart: its only axis with a label offset is the date axis
        chart._write_label_offset = offset_and_base_unit


def write_chart_workbook(
    specs: list[ChartSpec],
    path: str | Path,
    *,
    brand: str | None = None,
    period_label: str = "",
    source: str = "",
) -> Path:
    """One sheet 效果追踪图表: a title block, then per chart its data table and chart."""
    from aexl.reports.layout import keep_together, report_book
    from aexl.workbook import write as xo

    brand = brand or (specs[0].brand if specs else "")
    title = f"{brand} 效果追踪图表"
    book = report_book(path, title, f"{source}（效果）" if source else "", SHEET_TITLE)
    sheet = book.sheet(SHEET_TITLE)
    lines = [f"品牌：{brand}" + (f"　　期间：{period_label}" if period_label else "")]
    lines.append(
        f"图表 {len(specs)} 张：实际（数值）与目标（目标值）对比；数据表可改，图表随之更新"
    )
    row = sheet.title_block(title, lines, 12)
    if not specs:
        sheet.put(row, 1, "（本期没有效果数据）", xo.BODY)
    keep = []
    for spec in specs:  # two to a landscape page where their tables are short
        start = row
        sources = f"（来源：{'、'.join(spec.sources)}）" if spec.sources else ""
        row = sheet.section(row, spec.title + sources, 12)
        sheet.set_height(start, 18)
        row = add_native_chart(sheet, spec, row, 1, f"E{row}", BOOK_CHART_CM) + 1
        for r in range(start + 1, row):  # rows at Excel's default height: the page plan is exact
            sheet.set_height(r, 15)
        keep.append((start, row - 2))  # a chart, its title and its table on one page
    sheet.set_widths([12, 13, 13, 2])
    sheet.print_setup(landscape=True)
    keep_together(sheet, keep, row)
    return book.save()


# ---------------------------------------------------------------- matplotlib


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


def target_label(spec: ChartSpec) -> str:
    """The target's legend entry: 「目标 3,000」 when there is one target value (one bar,
    no label on the bar itself), else 「目标」."""
    values = {v for v in (spec.target.values if spec.target else ()) if v is not None}
    return f"{TARGET_NAME} {values.pop():,.10g}" if len(values) == 1 else TARGET_NAME


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


def brands(effects_df, start: date | None = None, end: date | None = None) -> list[str]:
    """Brands with at least one dated effect row in the period, in order of appearance
    (names compared by ``rules.brand_key``, shown as first written)."""
    if effects_df is None or len(effects_df) == 0:
        return []
    seen: dict[str, str] = {}
    columns = [effects_df[c].tolist() for c in ("品牌", "日期", "数值", "目标值")]
    for brand, when, value, target in zip(*columns, strict=True):
        key = brand_key(brand)
        if not key or key in seen:
            continue
        day = as_day(when)
        if day is None or (start and day < start) or (end and day > end):
            continue
        if _number(value) is None and _number(target) is None:
            continue
        seen[key] = norm_text(brand)
    return list(seen.values())
