"""The job schedule (工作进度表, rulebook 二.5): milestones laid on working days.

When a job opens, the AE gives the client and the departments a schedule
from 开单日期 to 交付日期 (rulebook 二.5 项目立项; 四.1: 广告说明会 → 工作简报 →
提案 → 修正 → 再提案 → 客户确认 → 后续工作; 四.2 and 二.8: the sign-offs and QC).
``plan_schedule`` lays the milestones of ``MILESTONES`` on the working days
of that span in proportion to ``DURATIONS`` (working days a milestone takes
for the job's kind of work, at the nominal length; a shorter or longer span
scales them, and on a very short job milestones share days). A row of the
optional 进度 sheet (``PROGRESS``) for the job and milestone replaces the
default dates, person or note.

The ``check`` rule on the 进度 sheet (a dated record later than the end its row
agreed) and the dated records that show a milestone done are validation's:
``aexl.validate.schedule``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from aexl import schema
from aexl.errors import UsageError
from aexl.planning.source import (
    as_day,
    job_key,
    jobs_by_key,
    people,
    provisional,
    rows,
    text,
)
from aexl.validate.schedule import milestone_records, progress_frame

# name, rulebook clause, who does it (by default)
MILESTONES = (
    ("简报与工作单确认", "二.5 项目立项；四.2 工作单确认流程", "客户部 / 创作部"),
    ("内部创作与审阅", "二.8 QC质检（创意总监、客户经理审阅）", "创作部"),
    ("提案", "二.7 提案文件；四.1 提案", "客户部 / 创作部"),
    ("修改", "二.6 修改工作单；四.1 修正、再提案", "创作部"),
    ("客户确认", "四.1 客户确认", "客户"),
    ("QC签核", "二.8 QC质检；四.2 正稿/打样QC", "创作部 / 客户部"),
    ("交付", "二.8 客户签字确认，作品完成", "客户部"),
)
MILESTONE_NAMES = tuple(m[0] for m in MILESTONES)
assert MILESTONE_NAMES == schema.MILESTONES, "schema.MILESTONES lists the same milestones"

# Working days each milestone takes, by kind of work (same order as MILESTONES).
# Print work proofs (打样) in QC; TVC/主视觉/形象稿/新稿件 need a creative brief
# (二.5, 六.5) and more creative time; strategy and naming have no artwork to QC.
DURATIONS = {
    "print": (1, 4, 1, 3, 1, 3, 1),
    "brief": (2, 6, 1, 4, 1, 2, 1),
    "no_artwork": (1, 5, 1, 3, 1, 0, 1),
    "other": (1, 3, 1, 2, 1, 2, 1),
}


def work_kind(work_type: str) -> str:
    """The key of ``DURATIONS`` for a 工作类型."""
    from aexl.rules import NO_ARTWORK_WORK_TYPES

    if work_type in schema.PRINT_WORK_TYPES:
        return "print"
    if work_type in schema.BRIEF_WORK_TYPES:
        return "brief"
    if work_type in NO_ARTWORK_WORK_TYPES:
        return "no_artwork"
    return "other"


# The optional 进度 sheet: one row per job and milestone whose default is changed.
PROGRESS = schema.PROGRESS


@dataclass
class Milestone:
    name: str
    start: date
    end: date
    who: str
    clause: str
    note: str = ""
    agreed: bool = False  # dates from the 进度 sheet
    row: int | None = None  # its 进度 row
    done: date | None = None  # the dated record that shows it done (``mark_done``)
    done_note: str = ""  # which record: 「第一次提案会议」…


@dataclass
class Schedule:
    jobno: str
    brand: str
    project: str
    work_type: str
    opened: date
    delivery: date
    milestones: list[Milestone] = field(default_factory=list)
    source: str = ""
    problems: list[str] = field(default_factory=list)

    def days(self) -> list[date]:
        from datetime import timedelta

        first = min([self.opened, *(m.start for m in self.milestones)])
        last = max([self.delivery, *(m.end for m in self.milestones)])
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def plan_schedule(registers, calendar, jobno: str) -> Schedule:
    """The schedule of one job (see the module docstring); UsageError for an unknown job."""
    key = job_key(jobno)
    job = jobs_by_key(registers).get(key)
    if job is None:
        raise UsageError(f"工作号「{jobno}」不在「工作单」表中，请检查工作号。", sheet="工作单")
    opened, delivery = as_day(job.get("开单日期")), as_day(job.get("交付日期"))
    where = dict(sheet="工作单", row=job.get("_row"))
    if opened is None or delivery is None:
        column = "开单日期" if opened is None else "交付日期"
        raise UsageError(
            f"工作「{key}」缺少{column}，无法排工作进度表，请先填写。", column=column, **where
        )
    if delivery < opened:
        raise UsageError(
            "交付日期早于开单日期，无法排工作进度表，请更正。", column="交付日期", **where
        )
    work_type = text(job, "工作类型")
    schedule = Schedule(key, text(job, "品牌"), text(job, "项目名称"), work_type, opened, delivery)
    days = calendar.workday_list(opened, delivery)
    if days and days[-1] == delivery and len(days) > 1:
        days = days[:-1]  # the delivery day is the 交付 milestone's own
    if not days:
        days = [calendar.next_workday(opened, inclusive=True)]
    if not calendar.is_workday(delivery):
        schedule.problems.append(
            f"交付日期 {delivery:%Y-%m-%d} 不是工作日（周末或法定节假日），请与客户确认交付日期。"
        )
    team = text(job, "执行人员")
    plan = spread(DURATIONS[work_kind(work_type)][:-1], len(days))
    for (name, clause, who), (first, last) in zip(MILESTONES[:-1], plan, strict=True):
        if first is None:
            continue
        person = team if who == "创作部" and team else who
        schedule.milestones.append(Milestone(name, days[first], days[last], person, clause))
    name, clause, who = MILESTONES[-1]
    schedule.milestones.append(Milestone(name, delivery, delivery, who, clause))
    _apply_progress(schedule, registers)
    mark_done(schedule, registers, job)
    return schedule


def mark_done(schedule: Schedule, registers, job: dict) -> None:
    """``done`` of each milestone from the dated records (``milestone_records``): the first such
    record, for 修改 the last revision's delivery once every revision is delivered. A
    milestone without a record of its own (内部创作与审阅, 客户确认) is done when a later
    one is, by that date."""
    total = sum(
        1
        for r in rows(registers, schema.REVISIONS.sheet)
        if job_key(r.get("原工作号")) == schedule.jobno
    )
    later: Milestone | None = None
    for m in reversed(schedule.milestones):
        found = sorted(milestone_records(registers, job, m.name))
        if m.name == "修改" and len(found) < total:
            found = []  # a revision not delivered yet
        if found:
            m.done, m.done_note = found[-1 if m.name == "修改" else 0]
        elif later is not None:
            m.done, m.done_note = later.done, f"后续阶段「{later.name}」已完成"
        later = m if m.done else later


def spread(durations: tuple[int, ...], n: int) -> list[tuple[int | None, int | None]]:
    """(first, last) working-day index of each duration laid in proportion on ``n`` days.

    Milestones follow each other without sharing a day while there are
    enough days; on fewer days than milestones they share days. A zero
    duration gives (None, None): the milestone does not apply.
    """
    active = [i for i, length in enumerate(durations) if length]
    total, k = sum(durations), len(active)
    cums, done = [], 0
    for i in active:
        done += durations[i]
        cums.append(done)
    out: list[tuple[int | None, int | None]] = [(None, None)] * len(durations)
    if n >= k:
        bounds = [max(j + 1, round(c * n / total)) for j, c in enumerate(cums)]
        for j in range(1, k):
            bounds[j] = max(bounds[j], bounds[j - 1] + 1)
        bounds[-1] = n
        for j in range(k - 2, -1, -1):
            bounds[j] = min(bounds[j], bounds[j + 1] - 1)
        starts = [0, *bounds[:-1]]
        for j, i in enumerate(active):
            out[i] = (starts[j], bounds[j] - 1)
        return out
    for j, i in enumerate(active):
        first = min(n - 1, (cums[j] - durations[i]) * n // total)
        out[i] = (first, max(first, min(n - 1, -(-cums[j] * n // total) - 1)))
    return out


def _apply_progress(schedule: Schedule, registers) -> None:
    frame = progress_frame(registers)
    if frame is None or len(frame) == 0:
        return
    by_name = {m.name: m for m in schedule.milestones}
    for rec in rows({PROGRESS.sheet: frame}, PROGRESS.sheet):
        if job_key(rec.get("工作号")) != schedule.jobno:
            continue
        name = text(rec, "里程碑")
        milestone = by_name.get(name)
        if milestone is None:
            clause, who = next(((c, w) for n, c, w in MILESTONES if n == name), ("", ""))
            if not clause:
                schedule.problems.append(
                    f"「进度」第 {rec.get('_row')} 行的里程碑「{name}」不认识，已忽略："
                    f"请写 {'、'.join(MILESTONE_NAMES)} 之一。"
                )
                continue
            milestone = Milestone(name, schedule.opened, schedule.opened, who, clause)
            schedule.milestones.append(milestone)
        start, end = as_day(rec.get("开始日期")), as_day(rec.get("结束日期"))
        milestone.start = start or milestone.start
        milestone.end = max(end or milestone.end, milestone.start)
        milestone.who = text(rec, "负责人") or milestone.who
        milestone.note = text(rec, "备注") or milestone.note
        milestone.agreed, milestone.row = True, rec.get("_row")
    order = {n: i for i, n in enumerate(MILESTONE_NAMES)}
    schedule.milestones.sort(key=lambda m: order[m.name])


def is_provisional(calendar, day: date) -> bool:
    return provisional(calendar, day)


def involved(schedule: Schedule) -> list[str]:
    names = []
    for m in schedule.milestones:
        names.extend(p for p in people(m.who) if p not in names)
    return names
