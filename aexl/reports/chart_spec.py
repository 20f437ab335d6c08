"""效果追踪图表: the chart spec (``ChartSpec``), the one value-axis rule and the
shared looks, used by the native Excel charts (``aexl.reports.charts``) and the
PNGs (``aexl.reports.chart_png``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

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


def target_label(spec: ChartSpec) -> str:
    """The target's legend entry: 「目标 3,000」 when there is one target value (one bar,
    no label on the bar itself), else 「目标」."""
    values = {v for v in (spec.target.values if spec.target else ()) if v is not None}
    return f"{TARGET_NAME} {values.pop():,.10g}" if len(values) == 1 else TARGET_NAME
