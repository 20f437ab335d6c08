"""Rules for 签核 (sign-off chains) and 会议 (minutes within 24 working hours)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from aexl import schema
from aexl.errors import CalendarError
from aexl.validate_base import (
    ERROR,
    ROW,
    WARNING,
    Context,
    as_datetime64,
    fmt_date,
    fmt_dt,
    is_type,
)
from aexl.workcal import END_OF_DAY

SIGNOFFS, MEETINGS = schema.SIGNOFFS.sheet, schema.MEETINGS.sheet
ENDS_ROUND = frozenset({"拒单", "退回"})

# Words people write for a step → the chain's name. Longest first.
_STEP_WORDS = (
    ("COPYWRITER", "文案"),
    ("COPYWRITE", "文案"),
    ("COPY", "文案"),
    ("文案人员", "文案"),
    ("电脑人员", "电脑"),
    ("电脑美工", "电脑"),
    ("美术指导", "AD"),
    ("创意总监", "CD"),
    ("客户主任", "AE"),
)
_CUSTOMER_SIGN = {
    "客户确认/签收光盘",
    "客户确认签收光盘",
    "签收光盘",
    "客户签收光盘",
    "客户签收",
    "客户",
}
_NUMBERING = re.compile(r"^(?:[\u2460-\u2473]|\(?\d{1,2}[).、．]?)\s*")


def normalise_step(text) -> str:
    """``COPYWRITE`` → ``文案``, ``电脑人员`` → ``电脑``, ``③ cd审核`` → ``CD审核``."""
    if not isinstance(text, str):
        return ""
    step = "".join(text.split()).upper()
    step = _NUMBERING.sub("", step)
    for word, name in _STEP_WORDS:
        if step.startswith(word):
            step = name + step[len(word) :]
            break
    if step in _CUSTOMER_SIGN:
        return "客户确认"
    return step


# 签核 ---------------------------------------------------------------------------
def check_signoffs(ctx: Context) -> None:
    frame = ctx.frame(SIGNOFFS)
    if frame.empty:
        return
    ctx.required(SIGNOFFS, ("工作号", "流程", "步骤", "签名", "日期"))
    ctx.unknown_job(SIGNOFFS, "工作号", "sign.unknown_job")
    import pandas as pd

    raw = frame["步骤"]
    steps = raw.map({v: normalise_step(v) for v in raw.dropna().unique()}, na_action="ignore")
    flows = frame["流程"]
    in_flow = flows.isin(schema.SIGNOFF_CHAINS.keys())
    valid = {(f, s) for f, chain in schema.SIGNOFF_CHAINS.items() for s in chain}
    known = pd.Series(
        [(f, s) in valid for f, s in zip(flows, steps, strict=True)], index=frame.index, dtype=bool
    )
    ctx.emit(
        SIGNOFFS,
        in_flow & steps.notna() & (steps != "") & ~known,
        "步骤",
        ERROR,
        "sign.unknown_step",
        lambda r: (
            f"「{r['步骤']}」不是「{r['流程']}」的步骤：该流程的顺序是 "
            f"{' → '.join(schema.SIGNOFF_CHAINS[r['流程']])}"
            "（AD 是美术指导，CD 是创意总监，电脑是电脑美工），请改成其中之一。"
        ),
        fields=["步骤", "流程"],
    )
    ids = ctx.keys(SIGNOFFS, "工作号")
    usable = known & ids.notna()
    work = frame.loc[usable, [ROW, "工作号", "流程", "日期", "结果"]].assign(
        _id=ids[usable], _step=steps[usable]
    )
    work = work.sort_values(["_id", "流程", ROW], kind="stable")
    _chain_order(ctx, work)
    _chain_dates(ctx, work)


def _chain_order(ctx: Context, work) -> None:
    """Steps in chain order per job and flow; 拒单/退回 ends the round.

    Vectorised first pass: within a round (rows after a 拒单/退回 start a new
    one) the n-th signature must be step n of the chain (modulo its length,
    a completed chain starting a new round). Only the job × flow groups that
    fail it go through the row-by-row pass, which says exactly what is wrong.
    """
    if work.empty:
        return
    keys = [work["_id"], work["流程"]]
    ends = work["结果"].isin(ENDS_ROUND)
    after_end = ends.groupby(keys, sort=False).shift(1, fill_value=False).astype(int)
    round_no = after_end.groupby(keys, sort=False).cumsum()
    position = work.groupby([*keys, round_no], sort=False).cumcount()
    chains = schema.SIGNOFF_CHAINS
    expected = [chains[f][p % len(chains[f])] for f, p in zip(work["流程"], position, strict=True)]
    group = work.groupby(keys, sort=False).ngroup()
    broken = set(group[work["_step"].ne(expected).to_numpy()])
    if broken:
        _chain_order_rows(ctx, work.loc[group.isin(broken)])


def _chain_order_rows(ctx: Context, work) -> None:
    """Row-by-row chain check (the groups the vectorised pass found broken)."""
    key = None
    expected = 0
    for row, job, flow, step, result in zip(
        work[ROW], work["_id"], work["流程"], work["_step"], work["结果"], strict=True
    ):
        chain = schema.SIGNOFF_CHAINS[flow]
        if (job, flow) != key:
            key, expected, restarted = (job, flow), 0, False
        if expected < len(chain) and chain[expected] == step:
            expected += 1
        elif expected and chain[expected - 1] == step:
            ctx.add(
                SIGNOFFS,
                row,
                "步骤",
                WARNING,
                "sign.repeated",
                f"「{step}」在本轮已经签过，这一行是重复签名：请删除重复行，"
                "或在上一行的结果填「拒单」/「退回」后再开始新一轮。",
            )
        else:
            want = chain[expected] if expected < len(chain) else chain[0]
            if restarted and expected == 0:
                why = f"上一轮已拒单/退回，新一轮须从第 1 步「{chain[0]}」重新开始"
            elif expected >= len(chain) or expected == 0:
                why = f"本轮应从第 1 步「{chain[0]}」开始"
            else:
                why = f"「{chain[expected - 1]}」之后下一步应由「{want}」签核"
            ctx.add(
                SIGNOFFS,
                row,
                "步骤",
                ERROR,
                "sign.out_of_order",
                f"「{step}」签核顺序不对：{why}。「{flow}」的顺序是 {' → '.join(chain)}；"
                "请按顺序补签，或更正本行的步骤。",
            )
            later = [i for i, s in enumerate(chain) if s == step and i >= expected]
            expected = (later[0] if later else chain.index(step)) + 1
        restarted = False
        if result in ENDS_ROUND:
            expected, restarted = 0, True
        elif expected >= len(chain):
            expected = 0  # chain complete; a later signature starts a new round


def _chain_dates(ctx: Context, work) -> None:
    """A step is not dated before the signature before it (same job and flow)."""
    if work.empty:
        return
    dates = as_datetime64(work["日期"])
    grouped = dates.groupby([work["_id"], work["流程"]], sort=False)
    previous = grouped.ffill().groupby([work["_id"], work["流程"]], sort=False).shift(1)
    prev_rows = (
        work[ROW].where(dates.notna()).groupby([work["_id"], work["流程"]], sort=False).ffill()
    )
    prev_rows = prev_rows.groupby([work["_id"], work["流程"]], sort=False).shift(1)
    bad = dates < previous
    hit = work.loc[bad]
    for row, day, flow, before, before_row in zip(
        hit[ROW], hit["日期"], hit["流程"], previous[bad], prev_rows[bad], strict=True
    ):
        ctx.add(
            SIGNOFFS,
            row,
            "日期",
            ERROR,
            "sign.date_order",
            f"签核日期 {fmt_date(day)} 早于上一步（第 {int(before_row)} 行）的日期 "
            f"{before.date().isoformat()}：「{flow}」须按顺序签核，请核对这两行的日期。",
        )


# 会议 -------------------------------------------------------------------------
def check_meetings(ctx: Context) -> None:
    frame = ctx.frame(MEETINGS)
    if frame.empty:
        return
    ctx.required(MEETINGS, ("会议时间", "会议类型", "主题"))
    ctx.required(MEETINGS, ("与会人员",), WARNING)
    ctx.unknown_job(MEETINGS, "工作号", "meeting.unknown_job")
    sent_blank = ctx.blank(MEETINGS, "纪要发送时间")
    meetings = frame["会议时间"]
    has_meeting = is_type(meetings, datetime)
    ctx.emit(
        MEETINGS,
        ~sent_blank & ctx.blank(MEETINGS, "主管审阅"),
        "主管审阅",
        ERROR,
        "minutes.not_reviewed",
        "纪要已发送但「主管审阅」为空：会议纪要须经项目主管审阅后才可发给客户，请补上审阅主管的签名。",
    )
    start, sent = as_datetime64(meetings), as_datetime64(frame["纪要发送时间"])
    ctx.emit(
        MEETINGS,
        sent < start,
        "纪要发送时间",
        ERROR,
        "minutes.before_meeting",
        lambda r: (
            f"纪要发送时间 {fmt_dt(r['纪要发送时间'])} 早于会议时间 {fmt_dt(r['会议时间'])}："
            "请核对这两个时间。"
        ),
        fields=["会议时间", "纪要发送时间"],
    )
    due = _minutes_due(ctx, meetings.where(has_meeting, None))
    due64 = as_datetime64(due)
    due_by_row = dict(zip(frame[ROW], due, strict=True))
    ctx.emit(
        MEETINGS,
        (sent > due64) & ~(sent < start),
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
        sent_blank & (due64 < ctx.now),
        "纪要发送时间",
        ERROR,
        "minutes.overdue",
        lambda r: (
            f"会议纪要尚未发送，已超过期限 {fmt_dt(due_by_row[r[ROW]])}（会议后 24 个工作小时）："
            "请尽快经主管审阅后发给客户，并填写「纪要发送时间」。"
        ),
        fields=[],
    )


def _minutes_due(ctx: Context, meetings):
    """Deadline of each meeting's minutes (object Series of datetime / None).

    Computed once per distinct meeting day. A meeting typed without a time
    (00:00) is due by the end of the next working day, like a meeting on a
    non-working day. An unknown year gives one finding per year, not per row.
    """
    import pandas as pd

    cal = ctx.calendar
    per_day: dict[date, tuple[date, bool] | None] = {}
    unknown: dict[int, tuple[str, list[int]]] = {}
    out = []
    for row, meeting in zip(ctx.frame(MEETINGS)[ROW], meetings, strict=True):
        if not isinstance(meeting, datetime):
            out.append(None)
            continue
        day = meeting.date()
        if day not in per_day:
            try:
                per_day[day] = (cal.next_workday(day), cal.is_workday(day))
            except CalendarError as exc:
                per_day[day] = None
                unknown.setdefault(day.year, (exc.message, []))
        info = per_day[day]
        if info is None:
            unknown[day.year][1].append(row)
            out.append(None)
            continue
        following, working = info
        clock = meeting.time() if working and meeting.time() != time(0) else END_OF_DAY
        out.append(datetime.combine(following, clock))
    for year, (message, rows) in unknown.items():
        more = f"（共 {len(rows)} 行会议在 {year} 年）" if len(rows) > 1 else ""
        ctx.add(
            MEETINGS, rows[0], "会议时间", ERROR, "calendar.unknown_year",
            f"{message.rstrip('。')}{more}。",
        )  # fmt: skip
    return pd.Series(out, index=meetings.index, dtype=object)
