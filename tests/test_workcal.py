"""Working-day calendar and deadlines on real 2025/2026 holidays and make-up days."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from aexl.errors import CalendarError, UsageError
from aexl.workcal import WorkCalendar, bundled_years

CAL = WorkCalendar()
D = date
DT = datetime


def test_bundled_years_cover_2025_2026():
    assert {2025, 2026} <= bundled_years()
    assert 2027 not in bundled_years()


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        (D(2026, 1, 1), False, "元旦"),
        (D(2026, 1, 2), False, "元旦（周五）"),
        (D(2026, 1, 4), True, "元旦调休上班（周日）"),
        (D(2026, 2, 14), True, "春节调休上班（周六）"),
        (D(2026, 2, 16), False, "春节（周一）"),
        (D(2026, 2, 23), False, "春节（周一）"),
        (D(2026, 2, 24), True, "春节后第一个工作日"),
        (D(2026, 2, 28), True, "春节调休上班（周六）"),
        (D(2026, 5, 9), True, "劳动节调休上班（周六）"),
        (D(2026, 9, 20), True, "国庆调休上班（周日）"),
        (D(2026, 10, 1), False, "国庆"),
        (D(2026, 10, 7), False, "国庆（周三）"),
        (D(2026, 10, 10), True, "国庆调休上班（周六）"),
        (D(2026, 10, 11), False, "普通周日"),
        (D(2026, 11, 26), True, "普通周四"),
        (D(2025, 1, 26), True, "春节调休上班（周日）"),
        (D(2025, 2, 8), True, "春节调休上班（周六）"),
        (D(2025, 1, 28), False, "除夕"),
        (D(2025, 9, 28), True, "国庆调休上班（周日）"),
        (D(2025, 10, 8), False, "国庆（周三）"),
        (D(2025, 10, 11), True, "国庆调休上班（周六）"),
    ],
)
def test_is_workday(day, working, why):
    assert CAL.is_workday(day) is working, why
    assert CAL.is_workday(datetime.combine(day, datetime.min.time())) is working


@pytest.mark.parametrize(
    ("start", "after", "before"),
    [
        (D(2026, 9, 30), D(2026, 10, 8), D(2026, 9, 29)),  # into National Day
        (D(2026, 10, 3), D(2026, 10, 8), D(2026, 9, 30)),  # from a holiday
        (D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 8)),  # make-up Saturday after
        (D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 12)),
        (D(2026, 2, 14), D(2026, 2, 24), D(2026, 2, 13)),
        (D(2026, 2, 15), D(2026, 2, 24), D(2026, 2, 14)),
        (D(2026, 11, 27), D(2026, 11, 30), D(2026, 11, 26)),  # ordinary Friday
    ],
)
def test_next_and_previous_workday(start, after, before):
    assert CAL.next_workday(start) == after
    assert CAL.previous_workday(start) == before


def test_inclusive_roll():
    assert CAL.next_workday(D(2026, 10, 3), inclusive=True) == D(2026, 10, 8)
    assert CAL.next_workday(D(2026, 10, 8), inclusive=True) == D(2026, 10, 8)
    assert CAL.previous_workday(D(2026, 10, 3), inclusive=True) == D(2026, 9, 30)


def test_find_workday_off_by_one_not_inherited():
    """chinese_calendar.find_workday(1, holiday) skips the first working day."""
    import chinese_calendar

    holiday = D(2026, 10, 3)
    assert chinese_calendar.find_workday(1, holiday) == D(2026, 10, 9)  # the library's quirk
    assert CAL.next_workday(holiday) == D(2026, 10, 8)  # ours: the first working day after
    assert CAL.add_workdays(holiday, 1) == D(2026, 10, 8)
    assert CAL.add_workdays(holiday, 2) == D(2026, 10, 9)
    assert CAL.add_workdays(holiday, 0) == D(2026, 10, 8)
    assert CAL.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 11, 26), D(2026, 11, 26), 1),  # one working day, both ends included
        (D(2026, 11, 28), D(2026, 11, 28), 0),  # a Saturday
        (D(2026, 11, 23), D(2026, 11, 29), 5),
        (D(2026, 9, 28), D(2026, 10, 11), 6),  # 9/28-30, 10/8, 10/9, 10/10 (Sat)
        (D(2026, 2, 9), D(2026, 3, 1), 11),  # 2/9-13, 2/14 (Sat), 2/24-27, 2/28 (Sat)
        (D(2025, 12, 29), D(2026, 1, 4), 4),  # across years: 12/29-31, 1/4 (Sun)
        (D(2026, 10, 11), D(2026, 9, 28), -6),  # reversed: negative like NETWORKDAYS
        (D(2026, 1, 1), D(2026, 12, 31), 248),
    ],
)
def test_workdays_inclusive(start, end, count):
    assert CAL.workdays(start, end) == count
    if count >= 0:
        assert count == len(CAL.workday_list(start, end))


def test_workdays_matches_library():
    import chinese_calendar

    start, end = D(2025, 1, 1), D(2026, 12, 31)
    assert CAL.workdays(start, end) == len(chinese_calendar.get_workdays(start, end))


@pytest.mark.parametrize(
    ("meeting", "due"),
    [
        (DT(2026, 11, 26, 14, 30), DT(2026, 11, 27, 14, 30)),  # Thu → Fri same time
        (DT(2026, 11, 27, 10, 0), DT(2026, 11, 30, 10, 0)),  # Fri → Mon
        (DT(2026, 9, 30, 15, 0), DT(2026, 10, 8, 15, 0)),  # before National Day
        (DT(2026, 10, 9, 9, 0), DT(2026, 10, 10, 9, 0)),  # make-up Saturday counts
        (DT(2026, 2, 13, 17, 0), DT(2026, 2, 14, 17, 0)),
        (DT(2026, 10, 3, 10, 0), DT(2026, 10, 8, 23, 59, 59)),  # on a holiday: end of next wd
        (DT(2026, 11, 28, 10, 0), DT(2026, 11, 30, 23, 59, 59)),  # on a Saturday
        (DT(2026, 2, 14, 11, 0), DT(2026, 2, 24, 11, 0)),  # on a make-up Saturday
    ],
)
def test_minutes_due(meeting, due):
    assert CAL.minutes_due(meeting) == due
    assert CAL.minutes_due_many([meeting, meeting]) == {meeting: due}
    assert CAL.deadline(meeting, "纪要") == due


@pytest.mark.parametrize(
    ("meeting", "due"),
    [
        # typed without a time: the clock time is unknown, so the whole next working day
        (D(2026, 11, 26), DT(2026, 11, 27, 23, 59, 59)),
        (DT(2026, 11, 26, 0, 0), DT(2026, 11, 27, 23, 59, 59)),
        (DT(2026, 11, 27, 0, 0), DT(2026, 11, 30, 23, 59, 59)),  # Fri → Mon
        (DT(2026, 10, 3, 0, 0), DT(2026, 10, 8, 23, 59, 59)),  # on a holiday
        (DT(2026, 11, 26, 0, 0, 1), DT(2026, 11, 27, 0, 0, 1)),  # a time was typed
    ],
)
def test_minutes_due_without_a_time(meeting, due):
    """One rule for a date-only meeting, whichever entry point asks."""
    assert CAL.minutes_due(meeting) == due
    assert CAL.minutes_due_many([meeting, None, "x"]) == {meeting: due}
    assert CAL.deadline(meeting, "纪要") == due


def test_deadline_of_a_typed_date_is_end_of_next_working_day():
    # AE_DEADLINE("2026-11-26", "纪要") goes through deadline(): same rule as validation
    assert CAL.deadline("2026-11-26", "纪要") == DT(2026, 11, 27, 23, 59, 59)
    assert CAL.deadline("2026-11-26 14:30", "纪要") == DT(2026, 11, 27, 14, 30)


def test_minutes_due_many_skips_unknown_years():
    meetings = [DT(2026, 11, 26, 10, 0), DT(2003, 3, 3, 10, 0)]  # 2003: before the bundled data
    with pytest.raises(CalendarError, match="2003"):
        CAL.minutes_due_many(meetings)
    assert CAL.minutes_due_many(meetings, skip_unknown=True) == {
        DT(2026, 11, 26, 10, 0): DT(2026, 11, 27, 10, 0)
    }


@pytest.mark.parametrize(
    ("week", "finish", "send"),
    [
        ("2026-W48", D(2026, 11, 27), D(2026, 11, 30)),  # ordinary Friday → Monday
        ("2026-W40", D(2026, 9, 30), D(2026, 10, 8)),  # Friday 10/2 is National Day
        ("2026-W41", D(2026, 10, 9), D(2026, 10, 10)),  # sent on the make-up Saturday
        ("2026-W07", D(2026, 2, 13), D(2026, 2, 14)),
        ("2026-W08", D(2026, 2, 14), D(2026, 2, 24)),  # whole week off: last wd before it
        ("2025-W40", D(2025, 9, 30), D(2025, 10, 9)),
        ("2026-W39", D(2026, 9, 24), D(2026, 9, 28)),  # Mid-Autumn Friday 9/25
        ("2026W48", D(2026, 11, 27), D(2026, 11, 30)),
        (D(2026, 11, 25), D(2026, 11, 27), D(2026, 11, 30)),  # any date in the week
    ],
)
def test_weekly_due(week, finish, send):
    assert CAL.weekly_due(week) == (finish, send)
    assert CAL.deadline(week, "周报") == send


@pytest.mark.parametrize(
    ("month", "finish", "send"),
    [
        ("2026-10", D(2026, 11, 10), D(2026, 11, 13)),  # 15th is a Sunday → Friday
        ("2026-09", D(2026, 10, 10), D(2026, 10, 15)),  # 10th is a make-up Saturday
        ("2026-01", D(2026, 2, 10), D(2026, 2, 14)),  # 15th in Spring Festival → make-up Sat
        ("2025-12", D(2026, 1, 9), D(2026, 1, 15)),  # 10th Saturday → Friday
        ("2025-05", D(2025, 6, 10), D(2025, 6, 13)),
        ("2026年3月", D(2026, 4, 10), D(2026, 4, 15)),
        (D(2026, 10, 31), D(2026, 11, 10), D(2026, 11, 13)),
    ],
)
def test_monthly_due(month, finish, send):
    assert CAL.monthly_due(month) == (finish, send)
    assert CAL.deadline(month, "月度总结") == send


def test_annual_due():
    assert CAL.annual_due(2025) == D(2026, 1, 30)  # 1/31 is a Saturday
    assert CAL.deadline(D(2025, 6, 1), "年报") == D(2026, 1, 30)
    assert CAL.deadline(2025, "年度总结") == D(2026, 1, 30)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.minutes_due(DT(2003, 5, 1, 10, 0)),
        lambda c: c.is_workday(D(2101, 3, 1)),
    ],
)
def test_unknown_year_is_a_clear_error(call):
    with pytest.raises(CalendarError) as info:
        call(CAL)
    text = str(info.value)
    assert "节假日" in text and "国务院" in text and "年" in text
    assert "\n" not in text


def test_unknown_year_message_names_the_year():
    with pytest.raises(CalendarError, match="2003 年.*2004–2026"):
        CAL.is_workday(D(2003, 1, 6))


# ---- years the bundled calendar does not know yet (issue 10, failure 12) -----------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # The December 2026 monthly summary, the 2026 annual summary and week 2026-W53
        # stopped with CalendarError in December 2026.
        (lambda c: c.monthly_due("2026-12"), (D(2027, 1, 8), D(2027, 1, 15))),
        (lambda c: c.annual_due(2026), D(2027, 1, 29)),
        (lambda c: c.weekly_due("2026-W53"), (D(2026, 12, 31), D(2027, 1, 4))),  # 1/1 off
        (lambda c: c.next_workday(D(2026, 12, 31)), D(2027, 1, 4)),
        (lambda c: c.is_workday(D(2027, 2, 5)), False),  # 除夕 2027
        (lambda c: c.is_workday(D(2027, 2, 9)), False),  # 补假 for 初一 on a Saturday
        (lambda c: c.is_workday(D(2027, 4, 5)), False),  # 清明
        (lambda c: c.is_workday(D(2027, 6, 9)), False),  # 端午 (五月初五)
        (lambda c: c.is_workday(D(2027, 9, 15)), False),  # 中秋 (八月十五)
        (lambda c: c.is_workday(D(2027, 3, 1)), True),
        (lambda c: c.deadline(DT(2027, 9, 14, 10, 0), "纪要"), DT(2027, 9, 16, 10, 0)),
    ],
)
def test_a_year_not_yet_announced_is_estimated_not_refused(call, expected):
    cal = WorkCalendar()
    assert call(cal) == expected
    assert cal.provisional_years == {2027}
    assert cal.is_provisional(D(2027, 1, 4)) and not cal.is_provisional(D(2026, 12, 31))
    assert "暂定" in cal.provisional_note(D(2026, 12, 1), D(2027, 1, 15))
    assert "全国年节及纪念日放假办法" in cal.provisional_note(2027)
    assert cal.provisional_note(D(2026, 12, 1)) is None


def test_a_year_in_the_holiday_sheet_is_not_provisional():
    cal = WorkCalendar({D(2027, 1, 1): False})
    assert not cal.is_provisional(D(2027, 6, 1)) and cal.provisional_note(2027) is None
    assert cal.is_workday(D(2027, 2, 5))  # the sheet, not the estimate, decides 2027
    assert cal.is_provisional(D(2028, 1, 3))


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_fall_in_the_announced_holidays(year):
    import chinese_calendar

    from aexl.holiday_notice import statutory_days

    days = statutory_days(year)
    core = {day for day, name in days.items() if "补假" not in name}
    assert len(core) == 13  # the 2024 amendment: 元旦1 春节4 清明1 劳动2 端午1 中秋1 国庆3
    announced = {d for d in chinese_calendar.holidays if d.year == year}
    assert core <= announced


# The State Council notice for 2027 as someone would type it into 节假日
# (illustrative dates for the test; the real notice decides).
HOLIDAYS_2027 = [
    {"日期": D(2027, 1, 1), "类型": "放假"},
    {"日期": D(2027, 2, 5), "类型": "放假"},
    {"日期": D(2027, 2, 8), "类型": "放假"},
    {"日期": D(2027, 2, 9), "类型": "放假"},
    {"日期": D(2027, 2, 10), "类型": "放假"},
    {"日期": D(2027, 2, 11), "类型": "放假"},
    {"日期": D(2027, 2, 13), "类型": "调休上班"},
    {"日期": D(2027, 10, 1), "类型": "放假"},
    {"日期": D(2027, 10, 9), "类型": "调休上班"},
    {"日期": D(2028, 1, 3), "类型": "放假"},
]


@pytest.fixture
def extended():
    import pandas as pd

    return WorkCalendar.from_holidays(pd.DataFrame(HOLIDAYS_2027, dtype=object))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2027, 1, 1), False),
        (D(2027, 1, 4), True),  # ordinary Monday of a year the sheet lists
        (D(2027, 1, 9), False),  # ordinary Saturday
        (D(2027, 2, 13), True),  # listed make-up Saturday
        (D(2027, 2, 8), False),
        (D(2027, 10, 9), True),
        (D(2028, 1, 3), False),
        (D(2028, 1, 4), True),
    ],
)
def test_holiday_sheet_makes_years_known(extended, day, working):
    assert extended.is_workday(day) is working


def test_holiday_sheet_deadlines(extended):
    assert extended.next_workday(D(2026, 12, 31)) == D(2027, 1, 4)
    assert extended.annual_due(2026) == D(2027, 1, 29)
    assert extended.monthly_due("2026-12") == (D(2027, 1, 8), D(2027, 1, 15))
    assert extended.minutes_due(DT(2027, 2, 4, 16, 0)) == DT(2027, 2, 12, 16, 0)
    assert extended.weekly_due("2027-W05") == (D(2027, 2, 4), D(2027, 2, 12))
    assert extended.weekly_due("2027-W06") == (D(2027, 2, 12), D(2027, 2, 13))
    assert extended.workdays(D(2027, 2, 1), D(2027, 2, 14)) == 6
    assert {2026, 2027, 2028} <= extended.known_years
    assert extended.is_workday(D(2029, 1, 2)) and extended.is_provisional(D(2029, 1, 2))
    assert not extended.is_provisional(D(2027, 1, 2))


def test_holiday_sheet_overrides_library():
    # e.g. the company declares 2026-11-27 a day off and works Saturday 11-28
    cal = WorkCalendar({D(2026, 11, 27): False, D(2026, 11, 28): True})
    assert not cal.is_workday(D(2026, 11, 27))
    assert cal.is_workday(D(2026, 11, 28))
    assert cal.is_workday(D(2026, 10, 10))  # the library's data still applies elsewhere
    assert cal.weekly_due("2026-W48") == (D(2026, 11, 26), D(2026, 11, 28))


def test_from_holidays_skips_blank_and_unknown_rows():
    rows = [
        {"日期": None, "类型": "放假"},
        {"日期": D(2027, 5, 3), "类型": "不知道"},
        {"日期": D(2027, 5, 4), "类型": " 调休上班 "},
    ]
    cal = WorkCalendar.from_holidays(rows)
    assert cal.extra == {D(2027, 5, 4): True}
    assert WorkCalendar.from_holidays(None).extra == {}


@pytest.mark.parametrize("kind", ["", "季报", None])
def test_unknown_deadline_kind(kind):
    with pytest.raises(UsageError, match="纪要、周报、月报"):
        CAL.deadline(D(2026, 11, 26), kind)


def test_import_is_light():
    code = (
        "import sys, aexl.workcal;"
        "bad = [m for m in ('chinese_calendar', 'pandas', 'numpy') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _notice(year: int, spans) -> dict:
    out = {}
    for (m1, d1), (m2, d2) in spans:
        for n in range(D(year, m1, d1).toordinal(), D(year, m2, d2).toordinal() + 1):
            out[D.fromordinal(n)] = False
    return out


FULL_2027 = [((1, 1), (1, 3)), ((2, 5), (2, 13)), ((4, 3), (4, 5)), ((5, 1), (5, 5)),
             ((6, 9), (6, 9)), ((9, 15), (9, 15)), ((10, 1), (10, 7))]  # fmt: skip


@pytest.mark.parametrize(
    ("spans", "missing"),
    [
        (FULL_2027, []),
        (FULL_2027[:1], ["周一至周五", "春节", "国庆节"]),  # the one-row sheet of the review
        ([s for s in FULL_2027 if s[0][0] != 10], ["国庆节"]),
        ([s for s in FULL_2027 if s[0][0] != 2], ["周一至周五", "春节"]),
    ],
)
def test_sheet_year_gaps(spans, missing):
    from aexl.workcal import sheet_year_gaps

    extra = _notice(2027, spans)
    extra[D(2027, 2, 20)] = True  # make-up days do not count
    gaps = sheet_year_gaps(extra, 2027)
    assert len(gaps) == len(missing)
    for gap, word in zip(gaps, missing, strict=True):
        assert word in gap


def test_sheet_years_are_those_not_bundled():
    cal = WorkCalendar({D(2026, 10, 9): False, D(2027, 1, 1): False})
    assert cal.sheet_years == {2027}
    assert WorkCalendar().sheet_years == frozenset()
