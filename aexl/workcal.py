"""Chinese working days and the rulebook's deadlines (PRODUCT.md §2).

Working days follow the mainland statutory calendar with its make-up
working weekends (调休), taken from the ``chinesecalendar`` package, and
extended by the workbook's 节假日 sheet: a year the sheet lists becomes
known, and a date the sheet lists overrides the package for that date. A
later year that neither knows is estimated from the statutory holidays and
weekends and is *provisional* (``is_provisional``, ``provisional_note``:
outputs mark such dates 「暂定」); an earlier one raises ``CalendarError``.

Conventions:

* ``next_workday(d)`` / ``previous_workday(d)`` are strictly after / before
  ``d``; pass ``inclusive=True`` to get ``d`` itself when it is a working day.
  (``chinese_calendar.find_workday(1, d)`` skips one working day too many
  when ``d`` is not a working day, so it is not used.)
* ``workdays(start, end)`` counts both ends, like Excel's NETWORKDAYS, and is
  negative when ``end`` is before ``start``.
* Meeting minutes are due 24 working hours after the meeting: the same clock
  time on the next working day. A meeting held on a non-working day starts
  the clock when the next working day begins, so the minutes are due by the
  end of that day (23:59:59). A meeting typed without a time (a plain date,
  or a time of exactly 00:00:00) is due by the end (23:59:59) of the next
  working day too: its clock time is unknown, so it gets the whole day. This
  is the one rule: validation, the reports and ``AE_DEADLINE`` all call
  ``minutes_due`` / ``minutes_due_many``.
* A year known only from the 节假日 sheet uses the weekday rule for every
  date the sheet does not list, so a partly typed notice would silently give
  wrong working days. ``sheet_year_gaps`` says what looks missing (fewer
  than ``MIN_WEEKDAYS_OFF`` weekdays off, no 春节 or no 国庆 days off);
  validation reports it as ``holiday.incomplete``.
* Weekly report: finished on the Friday of the ISO week, or on the last
  working day before it when Friday is a day off (for a week whose Monday to
  Friday are all days off, that is the last working day before the week);
  sent on the next working day after the finish day.
* Monthly summary of month M: finished by the 10th and sent by the 15th of
  M+1, each moved to the working day before when not a working day.
* Annual summary: sent in January of the next year; the deadline is the last
  working day of that January.

The ``chinese_calendar`` import is lazy so that importing this module (the
UDF module and the CLI do) stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from aexl.errors import CalendarError, UsageError
from aexl.holiday_notice import (  # noqa: F401 - part of this module's interface
    MIN_PERIOD_DAYS_OFF,
    MIN_WEEKDAYS_OFF,
    NATIONAL_DAY_WINDOW,
    SPRING_FESTIVAL_WINDOW,
    holiday_kind,
    sheet_year_gaps,
)

OFF, WORK = "放假", "调休上班"
END_OF_DAY = time(23, 59, 59)

MINUTES, WEEKLY, MONTHLY, ANNUAL = "纪要", "周报", "月报", "年报"
_KIND_ALIASES = {
    "纪要": MINUTES,
    "会议纪要": MINUTES,
    "会议记录": MINUTES,
    "minutes": MINUTES,
    "周报": WEEKLY,
    "周进度": WEEKLY,
    "周进度表": WEEKLY,
    "每周工作进度表": WEEKLY,
    "weekly": WEEKLY,
    "月报": MONTHLY,
    "月度总结": MONTHLY,
    "月度工作总结": MONTHLY,
    "monthly": MONTHLY,
    "年报": ANNUAL,
    "年度总结": ANNUAL,
    "年度工作总结": ANNUAL,
    "annual": ANNUAL,
}


@lru_cache(maxsize=1)
def bundled_years() -> frozenset[int]:
    """Years the installed ``chinesecalendar`` package has data for."""
    import chinese_calendar

    years = set()
    # The package raises NotImplementedError outside its range; probe around today.
    for year in range(2000, date.today().year + 3):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


@lru_cache(maxsize=64)
def _bundled_flags(year: int) -> tuple[bool, ...]:
    """Working-day flag of every day of a bundled year (index = day of year - 1)."""
    import chinese_calendar

    first = date(year, 1, 1)
    days = _days_in_year(year)
    return tuple(chinese_calendar.is_workday(first + timedelta(days=i)) for i in range(days))


def _days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


class WorkCalendar:
    """Mainland working days, optionally extended by a workbook's 节假日 entries.

    ``extra`` maps a date to ``True`` (a working day, 调休上班) or ``False``
    (a day off, 放假); it overrides the bundled data for those dates and makes
    their years known (weekdays work, weekends rest, unless listed).
    """

    def __init__(self, extra: Mapping[date, bool] | None = None) -> None:
        self.extra: dict[date, bool] = {_as_date(d): bool(v) for d, v in (extra or {}).items()}
        self._extra_years = frozenset(d.year for d in self.extra)
        self._flags: dict[int, tuple[bool, ...]] = {}
        self._cumulative: dict[int, tuple[int, ...]] = {}
        self.provisional_years: set[int] = set()  # years estimated so far (``is_provisional``)

    # construction -----------------------------------------------------
    @classmethod
    def from_holidays(cls, frame) -> WorkCalendar:
        """From the 节假日 register: a DataFrame (or iterable of dicts) with 日期 and 类型.

        Rows with a blank date or an unknown 类型 are skipped (validation
        reports them). A later row for the same date wins.
        """
        if frame is None:
            return cls()
        if hasattr(frame, "to_dict"):
            if len(frame) == 0 or "日期" not in frame.columns or "类型" not in frame.columns:
                return cls()
            pairs = zip(frame["日期"].tolist(), frame["类型"].tolist(), strict=True)
        else:
            pairs = ((rec.get("日期"), rec.get("类型")) for rec in frame)
        extra: dict[date, bool] = {}
        for day, text in pairs:
            kind = holiday_kind(text)
            if isinstance(day, date) and kind is not None:
                extra[_as_date(day)] = kind
        return cls(extra)

    # knowledge ----------------------------------------------------------
    @property
    def known_years(self) -> frozenset[int]:
        return bundled_years() | self._extra_years

    @property
    def sheet_years(self) -> frozenset[int]:
        """Years known only from the 节假日 entries (weekday rule for unlisted dates)."""
        return self._extra_years - bundled_years()

    def knows(self, year: int) -> bool:
        return year in bundled_years() or year in self._extra_years

    def is_provisional(self, *days) -> bool:
        """True when any of ``days`` (dates or years) falls in a year no calendar knows yet.

        Such a year is estimated (weekends and the statutory days of
        《全国年节及纪念日放假办法》, see ``aexl.holiday_notice.statutory_days``);
        a deadline is provisional when ``is_provisional(start, due)``: mark it 「暂定」
        with ``provisional_note``.
        """
        for day in days:
            year = day if isinstance(day, int) else _as_date(day).year
            if not self.knows(year) and bundled_years() and max(bundled_years()) < year <= 2100:
                return True
        return False

    def provisional_note(self, *days) -> str | None:
        """「暂定」 and why, when ``is_provisional(*days)``; None otherwise."""
        years = sorted(
            {d if isinstance(d, int) else _as_date(d).year for d in days if self.is_provisional(d)}
        )
        if not years:
            return None
        span = "、".join(map(str, years))
        return (
            f"暂定：{span} 年的放假安排尚未收录，按《全国年节及纪念日放假办法》的法定假日和周末推算；"
            f"国务院办公厅通知公布后，请用 aexl calendar import 导入「节假日」表"
        )

    def unknown_year_error(self, year: int) -> CalendarError:
        """The error for a date in ``year`` when no calendar knows it (says how to add it)."""
        span = f"（目前已知 {_describe_years(self.known_years)} 年）" if self.known_years else ""
        return CalendarError(
            f"{year} 年的法定节假日和调休安排尚未收录{span}，无法计算工作日。"
            f"请在工作簿的「节假日」表中按国务院办公厅发布的 {year} 年部分节假日安排通知，"
            f"逐日填写放假日期（类型「放假」）和调休上班日期（类型「调休上班」），然后重试。"
        )

    def flags(self, year: int) -> tuple[bool, ...]:
        """Working-day flag for every day of ``year`` (index = day of year - 1)."""
        cached = self._flags.get(year)
        if cached is not None:
            return cached
        if year in bundled_years():
            flags = list(_bundled_flags(year))
        elif year in self._extra_years or self.is_provisional(year):
            first = date(year, 1, 1)
            days = _days_in_year(year)
            flags = [(first + timedelta(days=i)).weekday() < 5 for i in range(days)]
            if year not in self._extra_years:  # statutory days, until the notice is known
                from aexl.holiday_notice import statutory_days

                for day in statutory_days(year):
                    flags[day.timetuple().tm_yday - 1] = False
                self.provisional_years.add(year)
        else:
            raise self.unknown_year_error(year)
        for day, working in self.extra.items():
            if day.year == year:
                flags[day.timetuple().tm_yday - 1] = working
        result = tuple(flags)
        self._flags[year] = result
        return result

    def _prefix(self, year: int) -> tuple[int, ...]:
        """Number of working days from 1 January up to and including each day."""
        cached = self._cumulative.get(year)
        if cached is None:
            total, out = 0, []
            for working in self.flags(year):
                total += working
                out.append(total)
            cached = self._cumulative[year] = tuple(out)
        return cached

    # queries --------------------------------------------------------------
    def is_workday(self, d) -> bool:
        d = _as_date(d)
        return self.flags(d.year)[d.timetuple().tm_yday - 1]

    def next_workday(self, d, *, inclusive: bool = False) -> date:
        """The first working day after ``d`` (or ``d`` itself if ``inclusive`` and working)."""
        day = _as_date(d)
        if not inclusive:
            day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def previous_workday(self, d, *, inclusive: bool = False) -> date:
        """The last working day before ``d`` (or ``d`` itself if ``inclusive`` and working)."""
        day = _as_date(d)
        if not inclusive:
            day -= timedelta(days=1)
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def add_workdays(self, d, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n`` < 0: before); ``n == 0`` rolls forward."""
        day = _as_date(d)
        if n == 0:
            return self.next_workday(day, inclusive=True)
        step = self.next_workday if n > 0 else self.previous_workday
        for _ in range(abs(n)):
            day = step(day)
        return day

    def workdays(self, start, end) -> int:
        """Working days from ``start`` to ``end``, both included (like NETWORKDAYS).

        Negative when ``end`` is before ``start``.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.workdays(end, start)
        total = 0
        for year in range(start.year, end.year + 1):
            prefix = self._prefix(year)
            lo = start.timetuple().tm_yday - 1 if year == start.year else 0
            hi = end.timetuple().tm_yday - 1 if year == end.year else len(prefix) - 1
            total += prefix[hi] - (prefix[lo - 1] if lo else 0)
        return total

    def workday_list(self, start, end) -> list[date]:
        start, end = _as_date(start), _as_date(end)
        days = (end - start).days
        return [
            start + timedelta(days=i)
            for i in range(days + 1)
            if self.is_workday(start + timedelta(days=i))
        ]

    # deadlines ------------------------------------------------------------
    def minutes_due(self, meeting) -> datetime:
        """When the minutes of a meeting must reach the client (24 working hours).

        A meeting on a working day: the same clock time on the next working
        day. A meeting on a non-working day, or one typed without a time (a
        plain date, or 00:00:00): the end (23:59:59) of the next working day.
        """
        day, clock = _meeting_parts(meeting)
        following = self.next_workday(day)
        if clock is None or not self.is_workday(day):
            clock = END_OF_DAY
        return datetime.combine(following, clock)

    def minutes_due_many(
        self, meetings: Iterable, *, skip_unknown: bool = False
    ) -> dict[date | datetime, datetime]:
        """``minutes_due`` for many meetings (dates or datetimes), computed once per day.

        Other values (None, text) are left out. With ``skip_unknown`` a meeting
        whose deadline needs a year no calendar knows is left out too (the
        caller reports it) instead of raising ``CalendarError``.
        """
        per_day: dict[date, tuple[date, bool] | None] = {}
        out: dict[date | datetime, datetime] = {}
        for meeting in meetings:
            if not isinstance(meeting, date) or meeting in out:
                continue
            day, clock = _meeting_parts(meeting)
            if day not in per_day:
                try:
                    per_day[day] = (self.next_workday(day), self.is_workday(day))
                except CalendarError:
                    if not skip_unknown:
                        raise
                    per_day[day] = None
            info = per_day[day]
            if info is None:
                continue
            following, working = info
            out[meeting] = datetime.combine(
                following, clock if working and clock is not None else END_OF_DAY
            )
        return out

    def weekly_due(self, week) -> tuple[date, date]:
        """(finish, send) of the weekly report of an ISO week ``2026-W47``."""
        from aexl.values import week_bounds

        monday, _ = week_bounds(_week_text(week))
        friday = monday + timedelta(days=4)
        finish = self.previous_workday(friday, inclusive=True)
        return finish, self.next_workday(finish)

    def monthly_due(self, month) -> tuple[date, date]:
        """(finish, send) of the monthly summary of month ``2026-10``: 10th and 15th of M+1."""
        from aexl.values import month_bounds

        _, last = month_bounds(_month_text(month))
        following = last + timedelta(days=1)
        finish = self.previous_workday(following.replace(day=10), inclusive=True)
        send = self.previous_workday(following.replace(day=15), inclusive=True)
        return finish, send

    def annual_due(self, year) -> date:
        """Last working day of January of the next year."""
        year = int(year.year if isinstance(year, date) else year)
        return self.previous_workday(date(year + 1, 1, 31), inclusive=True)

    def deadline(self, start, kind: str):
        """Client deadline of a piece of work, by kind.

        * 纪要 (meeting time) → ``datetime`` the minutes are due;
        * 周报 (any date in the week, or ``2026-W47``) → send ``date``;
        * 月报 (any date in the month, or ``2026-10``) → send ``date``;
        * 年报 (any date in the year, or the year) → send ``date``.
        """
        which = normalise_kind(kind)
        if which == MINUTES:
            return self.minutes_due(_parse_moment(start))
        if which == WEEKLY:
            return self.weekly_due(start)[1]
        if which == MONTHLY:
            return self.monthly_due(start)[1]
        if isinstance(start, int | float) and not isinstance(start, bool) and 1900 < start < 3000:
            return self.annual_due(int(start))
        return self.annual_due(_parse_moment(start).year)


def _meeting_parts(meeting) -> tuple[date, time | None]:
    """(day, clock time) of a meeting; the time is None when it was typed without one."""
    if isinstance(meeting, datetime):
        clock = meeting.time()
        return meeting.date(), (None if clock == time() else clock)
    return _as_date(meeting), None


def _describe_years(years: Iterable[int]) -> str:
    """``2004–2026、2028`` for a set of years."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return "、".join(f"{a}–{b}" if a != b else str(a) for a, b in runs)


def normalise_kind(kind) -> str:
    key = "".join(str(kind or "").split()).lower()
    which = _KIND_ALIASES.get(key)
    if which is None:
        raise UsageError(f"不认识的期限类型「{kind}」，请写 纪要、周报、月报 或 年报。")
    return which


def _parse_moment(value) -> datetime:
    from aexl.values import parse_datetime

    try:
        result = parse_datetime(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if result is None:
        raise UsageError("缺少日期，请填写日期，如 2026-11-26 或 2026-11-26 14:30。")
    return result


def _week_text(value) -> str:
    from aexl.values import iso_week, parse_week

    if isinstance(value, date):
        return iso_week(value)

    try:
        text = parse_week(value)
    except ValueError:
        try:
            return _week_text(_parse_moment(value))
        except UsageError:
            raise UsageError(
                f"无法识别周次「{value}」，请写成 2026-W47 或该周的任一日期。"
            ) from None
    if text is None:
        raise UsageError("缺少周次，请写成 2026-W47。")
    return text


def _month_text(value) -> str:
    if isinstance(value, date):
        return f"{value.year}-{value.month:02d}"
    from aexl.values import parse_month

    try:
        text = parse_month(value)
    except ValueError:
        try:
            return _month_text(_parse_moment(value))
        except UsageError:
            raise UsageError(
                f"无法识别月份「{value}」，请写成 2026-10 或该月的任一日期。"
            ) from None
    if text is None:
        raise UsageError("缺少月份，请写成 2026-10。")
    return text
