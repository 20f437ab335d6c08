"""Rules for 会议: minutes reviewed, sent within 24 working hours, signed by the client."""

from __future__ import annotations

from datetime import date, datetime

from aexl import schema
from aexl.errors import CalendarError
from aexl.validate.base import (
    ERROR,
    ROW,
    WARNING,
    Context,
    as_datetime64,
    earlier_than,
    fmt_date,
    fmt_dt,
)
from aexl.workcal import END_OF_DAY

MEETINGS = schema.MEETINGS.sheet

# Minutes sent this many working days ago still without 客户签复 get a warning
# (rulebook 4.B.2: the client confirms the minutes and signs 客户签复). Three
# working days: one for the client to read, one to reply, one for the post.
MINUTES_SIGN_WORKDAYS = 3
# A phone call's note (rulebook 二.1.2) lists what needs confirming, and the
# client confirms by acting on it: no signed 客户签复 is expected.
UNSIGNED_OK_MEETING_TYPES = frozenset({"电话沟通"})


def check_meetings(ctx: Context) -> None:
    frame = ctx.frame(MEETINGS)
    if frame.empty:
        return
    ctx.required(MEETINGS, ("会议时间", "会议类型", "主题"))
    ctx.required(MEETINGS, ("与会人员",), WARNING)
    ctx.unknown_job(MEETINGS, "工作号", "meeting.unknown_job")
    sent_blank = ctx.blank_array(MEETINGS, "纪要发送时间")
    ctx.emit(
        MEETINGS,
        ~sent_blank & ctx.blank_array(MEETINGS, "主管审阅"),
        "主管审阅",
        ERROR,
        "minutes.not_reviewed",
        "纪要已发送但「主管审阅」为空：会议纪要须经项目主管审阅后才可发给客户，请补上审阅主管的签名。",
    )
    start, sent = ctx.dates(MEETINGS, "会议时间"), ctx.dates(MEETINGS, "纪要发送时间")
    before = earlier_than(sent, start)
    ctx.emit(
        MEETINGS,
        before,
        "纪要发送时间",
        ERROR,
        "minutes.before_meeting",
        lambda r: (
            f"纪要发送时间 {fmt_dt(r['纪要发送时间'])} 早于会议时间 {fmt_dt(r['会议时间'])}："
            "请核对这两个时间。"
        ),
        fields=["会议时间", "纪要发送时间"],
    )
    _minutes_deadline(ctx, sent, sent_blank, before)
    _unsigned_minutes(ctx)


def _minutes_deadline(ctx: Context, sent, sent_blank, before) -> None:
    """Minutes sent after the deadline (24 working hours), or not sent and past it.
    ``before``: rows whose minutes are dated before the meeting (reported already)."""
    import pandas as pd

    frame = ctx.frame(MEETINGS)
    meetings = [
        m if type(m) is datetime else None for m in ctx.values(MEETINGS, "会议时间").tolist()
    ]
    due = _minutes_due(ctx, pd.Series(meetings, index=frame.index, dtype=object))
    due64 = as_datetime64(due)
    due_by_row = dict(zip(ctx.values(MEETINGS, ROW).tolist(), due.tolist(), strict=True))
    ctx.emit(
        MEETINGS,
        earlier_than(due64, sent) & ~before,
        "纪要发送时间",
        WARNING,
        "minutes.late",
        lambda r: (
            f"纪要于 {fmt_dt(r['纪要发送时间'])} 发出，晚于期限 {fmt_dt(due_by_row[r[ROW]])}"
            "（会议后 24 个工作小时内，即下一个工作日的同一时刻）：请在会后 1 个工作日内发送纪要。"
        ),
        fields=["纪要发送时间"],
    )
    ctx.emit(
        MEETINGS,
        sent_blank & (due64 < ctx.now).to_numpy(),
        "纪要发送时间",
        ERROR,
        "minutes.overdue",
        lambda r: (
            f"会议纪要尚未发送，已超过期限 {fmt_dt(due_by_row[r[ROW]])}（会议后 24 个工作小时）："
            "请尽快经主管审阅后发给客户，并填写「纪要发送时间」。"
        ),
        fields=[],
    )


def _unsigned_minutes(ctx: Context) -> None:
    """Minutes sent ``MINUTES_SIGN_WORKDAYS`` working days ago and still without 客户签复.

    Due by the end of that working day after the day they were sent,
    computed once per distinct sending day. Phone calls are exempt
    (``UNSIGNED_OK_MEETING_TYPES``).
    """
    import numpy as np

    sent = ctx.values(MEETINGS, "纪要发送时间").tolist()
    unsigned = ctx.blank_array(MEETINGS, "客户签复").tolist()
    kinds = ctx.values(MEETINGS, "会议类型").tolist()
    waiting = [
        at
        for at, (moment, blank, kind) in enumerate(zip(sent, unsigned, kinds, strict=True))
        if type(moment) is datetime and blank and kind not in UNSIGNED_OK_MEETING_TYPES
    ]
    if not waiting:
        return
    rows = ctx.values(MEETINGS, ROW).tolist()
    cal = ctx.calendar
    reported = ctx.cache.setdefault("unknown_years", set())
    due_by_day: dict[date, datetime | None] = {}
    late_rows: dict[int, datetime] = {}
    late = np.zeros(len(sent), dtype=bool)
    for at in waiting:
        row, day = rows[at], sent[at].date()
        if day not in due_by_day:
            try:
                due_by_day[day] = datetime.combine(
                    cal.add_workdays(day, MINUTES_SIGN_WORKDAYS), END_OF_DAY
                )
            except CalendarError as exc:
                due_by_day[day] = None
                year = day.year + 1 if cal.knows(day.year) else day.year  # may run into next year
                if year not in reported:
                    reported.add(year)
                    ctx.add(
                        MEETINGS, row, "纪要发送时间", ERROR, "calendar.unknown_year",
                        exc.message.rstrip("。") + "。",
                    )  # fmt: skip
        due = due_by_day[day]
        if due is not None:
            note_provisional(ctx, due, row, "纪要发送时间", "客户签复的期限")
        if due is not None and due < ctx.now:
            late_rows[int(row)] = due
            late[at] = True
    ctx.emit(
        MEETINGS,
        late,
        "客户签复",
        WARNING,
        "minutes.unsigned",
        lambda r: (
            f"纪要已于 {fmt_dt(r['纪要发送时间'])} 发给客户，到 {fmt_date(late_rows[r[ROW]].date())}"
            f"（发送后第 {MINUTES_SIGN_WORKDAYS} 个工作日）仍没有「客户签复」：会议记录须请客户方确认内容并签字，"
            "请跟进客户签字回传后在「客户签复」填写签字人；内容有异议的请修改纪要后重新发送。"
        ),
        fields=["纪要发送时间"],
    )


def note_provisional(ctx: Context, due, row, column: str, what: str) -> None:
    """A deadline in a year the calendar only estimates: one warning per such year
    (``calendar.provisional``), at the first row whose deadline falls in it. Whether a
    year is estimated depends on the year only: each year is looked at once."""
    seen = ctx.cache.setdefault("provisional_checked", set())
    if due.year in seen:
        return
    seen.add(due.year)
    cal = ctx.calendar
    if not cal.is_provisional(due):
        return
    note = cal.provisional_note(due)
    ctx.add(
        MEETINGS,
        row,
        column,
        WARNING,
        "calendar.provisional",
        f"{what}落在 {due.year} 年，{note}。",
    )


def _minutes_due(ctx: Context, meetings):
    """Deadline of each meeting's minutes (object Series of datetime / None).

    The rule is ``WorkCalendar.minutes_due_many`` (one for validation, the
    reports and ``AE_DEADLINE``). A meeting whose deadline needs a year no
    calendar knows gives one finding per such year, not one per row.
    """
    import pandas as pd

    cal = ctx.calendar
    due = cal.minutes_due_many(meetings, skip_unknown=True)
    unknown: dict[int, list[int]] = {}
    out = []
    for row, meeting in zip(ctx.frame(MEETINGS)[ROW], meetings, strict=True):
        if not isinstance(meeting, datetime):
            out.append(None)
            continue
        when = due.get(meeting)
        if when is None:
            year = meeting.year + 1 if cal.knows(meeting.year) else meeting.year
            unknown.setdefault(year, []).append(row)
        else:
            note_provisional(ctx, when, row, "会议时间", "纪要的发送期限")
        out.append(when)
    ctx.cache.setdefault("unknown_years", set()).update(unknown)
    for year, rows in unknown.items():
        more = f"（共 {len(rows)} 行会议的期限在 {year} 年）" if len(rows) > 1 else ""
        message = cal.unknown_year_error(year).message.rstrip("。")
        ctx.add(MEETINGS, rows[0], "会议时间", ERROR, "calendar.unknown_year", f"{message}{more}。")
    return pd.Series(out, index=meetings.index, dtype=object)
