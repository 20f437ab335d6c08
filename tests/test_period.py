"""The period value (aexl.period): parsed once, its dates and its errors."""

from __future__ import annotations

from datetime import date

import pytest

from aexl.errors import UsageError
from aexl.period import Period
from aexl.workcal import WorkCalendar


@pytest.mark.parametrize(
    ("kind", "typed", "key", "start", "end"),
    [
        ("month", "2026-10", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("month", "2026年2月", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("week", "2026W47", "2026-W47", date(2026, 11, 16), date(2026, 11, 22)),
        ("week", "2026年第1周", "2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
        ("year", "2026年", "2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("year", 2026, "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_is_read_once(kind, typed, key, start, end):
    period = Period.of(kind, typed)
    assert (period.kind, period.key, period.start, period.end) == (kind, key, start, end)
    assert Period.of(kind, period) is period  # a Period passes as it is


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("month", "2026-13", "月份写法有误：无法识别月份「2026-13」，应写成 2026-10"),
        ("month", "", "月份写法有误：没有写月份，应写成 2026-10"),
        ("week", "2026-W60", "周次写法有误：2026 年没有第 60 周（共 53 周），应写成 2026-W47"),
        ("year", "明年", "年份写法有误：「明年」不是年份，应写成 2026"),
        ("year", "1999", "年份写法有误：「1999」不是 2000 至 2100 之间的四位年份，应写成 2026"),
    ],
)
def test_a_bad_period_says_what_is_wrong_with_the_value(kind, typed, message):
    with pytest.raises(UsageError) as caught:
        Period.of(kind, typed)
    assert str(caught.value) == message
    assert "--" not in str(caught.value)  # the command line adds its flag, not the core


def test_a_period_of_another_kind_is_refused():
    with pytest.raises(UsageError, match="月份写法有误"):
        Period.of("month", Period.week("2026-W47"))


@pytest.mark.parametrize(
    ("period", "finish", "send"),
    [
        (Period.month("2026-10"), date(2026, 11, 10), date(2026, 11, 13)),
        (Period.week("2026-W47"), date(2026, 11, 20), date(2026, 11, 23)),
    ],
)
def test_due_dates_on_the_work_calendar(period, finish, send):
    cal = WorkCalendar()
    assert period.due(cal) == (finish, send)


def test_label():
    assert Period.month("2026-10").label == "2026-10（2026-10-01 至 2026-10-31）"
