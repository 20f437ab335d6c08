"""A report period — an ISO week, a month or a year — parsed once, where it comes in.

``Period.week("2026-W47")``, ``Period.month("2026年10月")``, ``Period.year(2026)``
read what people type; the value then travels down to every report and
never goes back to a string. ``start``/``end`` are its first and last day;
``due(calendar)`` the day the period's report is finished and the day it is
sent, on the work calendar (rulebook 3: weekly on Friday / the next working
day, monthly by the 10th / 15th, annual in January).

A value that cannot be read raises ``UsageError`` saying what is wrong with the
value (「月份写法有误：…，应写成 2026-10」); the command line adds its flag.

>>> p = Period.month("2026年10月")
>>> p.key, p.start.isoformat(), p.end.isoformat()
('2026-10', '2026-10-01', '2026-10-31')
>>> Period.week("2026W47").label
'2026-W47（2026-11-16 至 2026-11-22）'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aexl.errors import UsageError

WEEK, MONTH, YEAR = "week", "month", "year"
EXAMPLES = {WEEK: "2026-W47", MONTH: "2026-10", YEAR: "2026"}
NAMES = {WEEK: "周次", MONTH: "月份", YEAR: "年份"}


@dataclass(frozen=True)
class Period:
    kind: str  # WEEK, MONTH or YEAR
    key: str  # 2026-W47, 2026-10, 2026
    start: date
    end: date

    # ------------------------------------------------------------ parsing ---
    @classmethod
    def week(cls, value) -> Period:
        from aexl.values import parse_week, week_bounds

        key = _parsed(parse_week, value, WEEK)
        return cls(WEEK, key, *week_bounds(key))

    @classmethod
    def month(cls, value) -> Period:
        from aexl.values import month_bounds, parse_month

        key = _parsed(parse_month, value, MONTH)
        return cls(MONTH, key, *month_bounds(key))

    @classmethod
    def year(cls, value) -> Period:
        text = str(value).strip().removesuffix("年") if value is not None else ""
        try:
            number = int(text)
        except ValueError:
            raise _error(YEAR, f"「{value}」不是年份" if text else "没有写年份") from None
        if not 2000 <= number <= 2100:
            raise _error(YEAR, f"「{value}」不是 2000 至 2100 之间的四位年份")
        return cls(YEAR, str(number), date(number, 1, 1), date(number, 12, 31))

    @classmethod
    def of(cls, kind: str, value) -> Period:
        """``value`` as a period of ``kind``; a ``Period`` of that kind as it is."""
        if isinstance(value, Period):
            if value.kind != kind:
                raise _error(kind, f"「{value.key}」不是{NAMES[kind]}")
            return value
        return {WEEK: cls.week, MONTH: cls.month, YEAR: cls.year}[kind](value)

    # -------------------------------------------------------------- dates ---
    @property
    def number(self) -> int:
        """The year of a YEAR period (``2026``)."""
        return int(self.key[:4])

    @property
    def label(self) -> str:
        """``2026-10（2026-10-01 至 2026-10-31）``."""
        return f"{self.key}（{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}）"

    def due(self, calendar) -> tuple[date, date]:
        """(finish, send) of the period's report on ``calendar`` (an ``aexl.workcal.WorkCalendar``).

        A year's summary is finished and sent on the same day.
        """
        if self.kind == WEEK:
            return calendar.weekly_due(self.key)
        if self.kind == MONTH:
            return calendar.monthly_due(self.key)
        day = calendar.annual_due(self.number)
        return day, day

    def contains(self, day) -> bool:
        from aexl.rules import in_range

        return in_range(day, self.start, self.end)

    def __str__(self) -> str:
        return self.key


def _error(kind: str, reason: str) -> UsageError:
    return UsageError(f"{NAMES[kind]}写法有误：{reason}，应写成 {EXAMPLES[kind]}")


def _parsed(parse, value, kind: str) -> str:
    try:
        key = parse(value)
    except ValueError as exc:
        raise _error(kind, str(exc).split("，请写成")[0].rstrip("。")) from None
    if not key:
        raise _error(kind, f"没有写{NAMES[kind]}")
    return key
