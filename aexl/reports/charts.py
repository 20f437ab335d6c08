"""效果追踪图表: effect-tracking charts, defined once and rendered two ways.

A ``ChartSpec`` describes one chart of the 效果 register: one brand, campaign
(活动) and metric (指标), the actual values (数值) against the target (目标值)
over time (日期). The same spec becomes

- a native Excel chart (``add_native_chart``): a line (or bar) chart with the
  target as a second series, fed by a small data table written beside it, so
  the client can edit both in Excel;
- a PNG drawn by matplotlib (``render_png``), for ribbon / Office.js pictures,
  slides and e-mail, with Chinese text in a CJK font (``aexl.reports.fonts``).

The spec, its value axis and shared looks live in ``aexl.reports.chart_spec``,
the PNGs in ``aexl.reports.chart_png`` (matplotlib imported only inside
``render_png``); both are importable from here. XlsxWriter (through
``aexl.workbook.write``) is imported only inside the workbook functions.

Grouping rules (documented for the AEs): rows without a date or without both
数值 and 目标值 are left out; several rows of one campaign and metric on the
same day (e.g. several stores observed) are averaged; rows whose 单位 differ
are charted separately (a blank 单位 takes the group's unit); a campaign with
a single day is drawn as bars, otherwise as lines with markers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date
from pathlib import Path

from aexl.reports.chart_png import png_name, png_title, render_png, render_pngs  # noqa: F401
from aexl.reports.chart_spec import (  # noqa: F401
    ACTUAL_COLOR,
    ACTUAL_NAME,
    BELOW_COLOR,
    BOOK_CHART_CM,
    BREAK_NOTE,
    BREAK_SHARE,
    CHART_HEIGHT_CM,
    CHART_WIDTH_CM,
    NO_CAMPAIGN,
    NO_METRIC,
    SHEET_TITLE,
    TARGET_COLOR,
    TARGET_MARK,
    TARGET_NAME,
    TICK_STEPS,
    VALUE_FORMAT,
    X_TITLE,
    ChartSpec,
    Series,
    target_label,
    value_axis,
)
from aexl.rules import as_day, brand_key
from aexl.values import norm_text

_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")  # what XlsxWriter takes for a cell


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
    _set_titles_and_axes(chart, spec, bar)
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
    anchor_row, anchor_col = xo.cell_position(anchor)
    # The chart's top-left 3 pixels inside the cell: a chart that starts exactly on a
    # page break would have its top border printed at the foot of the previous page.
    sheet.insert_chart(anchor_row, anchor_col, chart, CHART_WIDTH_CM, height_cm, offset=(0, 3))
    return max(last_row + 2, anchor_row + _cm_rows(height_cm) + 1)


def _set_titles_and_axes(chart, spec: ChartSpec, bar: bool) -> None:
    """The chart's title, date and value axes, legend and blanks (``add_native_chart``)."""
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
