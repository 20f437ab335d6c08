"""The due list: everything due or overdue from a day over the next N working days.

``due_items(registers, calendar, start, days, person=None)`` reads every
register of one workbench and returns ``DueItem``s sorted by time. What is
listed and when it is due (PRODUCT.md §2, rulebook clauses in ``CLAUSES``):

* 会议 — minutes not sent by ``as_of``: due 24 working hours after the
  meeting (``WorkCalendar.minutes_due``: the same clock time on the next
  working day); meetings booked inside the window count too. Minutes sent
  without 主管审阅: due when they were sent (overdue). Minutes sent but
  without 客户签复 (not for 电话沟通): due at the end of the
  ``MINUTES_SIGN_WORKDAYS``-th working day after sending, as ``check`` says.
* 周报 / 月报 / 年报 per brand with work in the period: finish and send days
  from ``WorkCalendar.weekly_due`` / ``monthly_due`` / ``annual_due``, listed
  when the day falls in the window (nothing records that a report was sent,
  so past ones are not listed as overdue).
* 工作单 交付日期 and 修改单 交付日期 of work not yet delivered as of
  ``as_of``: delivered means a passed 客户确认 of the production QC flow
  dated by then (and no revision opened after it), or a later revision that
  replaced the delivery. A job opened or a revision written after
  ``as_of`` is not known yet and is not listed. Past deliveries are overdue
  only while the job's 状态 is still open (进行中/已提案/修改中); a job's own
  delivery is replaced by its revisions' once one is opened.
* QC: a delivery in the list whose production QC chain has no completed
  round since the work (re)started: due the working day before delivery.
* 投放 without a sample (blank 样稿, or a file that does not exist beside
  the workbook): due with the weekly 投放列表 of the airing week.

Day deadlines are at ``DAY_END`` (18:00, the end of the working day: the
rulebook's 「下班前」). ``as_of`` is the start of ``start`` when a date is
given. Dates the calendar marks provisional (「暂定」) are flagged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from aexl import samples, schema
from aexl.planning.source import (
    as_day,
    brand_key,
    brand_owners,
    chain_states,
    job_key,
    jobs_by_key,
    people,
    provisional,
    rows,
    text,
)
from aexl.rules import OPEN_STATUSES, needs_qc, production_flows

DAY_END = time(18, 0)
DEFAULT_DAYS = 5

# item kind -> (label, rulebook clause)
CLAUSES = {
    "minutes": ("发送会议纪要", "二.4.B 会议记录"),
    "review": ("纪要补主管审阅", "二.4.B.2 会议记录（主管审阅）"),
    "sign": ("纪要待客户签复", "二.4.B.2 会议记录（客户签复）"),
    "weekly_finish": ("完成周报", "二.3.A 每周工作进度表"),
    "weekly_send": ("发送周报", "二.3.A 每周工作进度表"),
    "monthly_finish": ("完成月度总结", "二.3.B 月度工作总结"),
    "monthly_send": ("发送月度总结", "二.3.B 月度工作总结"),
    "annual_send": ("提交年度总结", "二.3.C 年度工作总结"),
    "delivery": ("交付", "二.5 项目立项（工作进度表）"),
    "revision": ("修改稿交付", "二.6 修改工作单"),
    "qc": ("完成QC签核", "二.8 QC质检；四.2 正稿/打样QC"),
    "sample": ("收集样稿", "二.9 样本收集"),
}


@dataclass
class DueItem:
    when: datetime
    kind: str  # a key of CLAUSES
    what: str  # Chinese: what to do
    job: str = ""  # 工作号
    brand: str = ""
    who: str = ""  # 负责人 / 执行人员, as written
    clause: str = ""
    overdue: bool = False
    provisional: bool = False  # the date rests on a provisional calendar (「暂定」)
    provisional_note: str = ""  # why: ``WorkCalendar.provisional_note`` of the date
    source: str = ""  # the workbench
    ref: str = ""  # the record: 会议 第 51 行
    key: str = ""  # what the obligation is about (meeting time, week, revision …): the .ics UID

    @property
    def label(self) -> str:
        return CLAUSES[self.kind][0]

    @property
    def people(self) -> list[str]:
        return people(self.who)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["when"] = self.when.isoformat(timespec="minutes")
        out["label"] = self.label
        return out


@dataclass
class _Run:
    """One due-list computation: registers, calendar, window and what it found."""

    registers: object
    calendar: object
    as_of: datetime
    first: date
    end: date
    source: str = ""
    overdue: bool = True  # list what was due before ``as_of`` too
    until: datetime = field(init=False)  # the end of the window's last day
    items: list[DueItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.until = datetime.combine(self.end, time(23, 59, 59))

    def listed(self, when: datetime) -> bool:
        """Whether an item due at ``when`` belongs on this list."""
        return when <= self.until and (self.overdue or when >= self.as_of)

    def add(self, when: datetime, kind: str, what: str, **extra) -> None:
        if not self.listed(when):
            return
        item = DueItem(when, kind, what, clause=CLAUSES[kind][1], source=self.source, **extra)
        item.overdue = when < self.as_of
        item.provisional = provisional(self.calendar, when)
        if item.provisional:
            item.provisional_note = self.calendar.provisional_note(when.date()) or ""
        self.items.append(item)


def window(calendar, start, days: int) -> tuple[datetime, date, date]:
    """(as_of, first working day, last working day) of a due list of ``days`` working days."""
    if days < 1:
        from aexl.errors import UsageError

        raise UsageError(f"--days 应为 1 或更大的整数（工作日天数），收到 {days}。")
    as_of = start if isinstance(start, datetime) else datetime.combine(start, time())
    first = calendar.next_workday(as_of.date(), inclusive=True)
    return as_of, first, calendar.add_workdays(first, days - 1) if days > 1 else first


def due_items(
    registers,
    calendar,
    start,
    days: int = DEFAULT_DAYS,
    person: str | None = None,
    *,
    source: str = "",
    problems: list[str] | None = None,
    overdue: bool = True,
) -> list[DueItem]:
    """Everything due or overdue as of ``start`` up to the ``days``-th working day.

    ``person`` keeps the items naming that person (负责人 or one of the
    执行人员). Rows a rule cannot place (a meeting without a readable time …)
    are described in ``problems`` when a list is given. ``overdue=False``
    leaves out what was due before ``start``.
    """
    as_of, first, end = window(calendar, start, days)
    run = _Run(registers, calendar, as_of, first, end, source or _name(registers), overdue)
    jobs = jobs_by_key(registers)
    owners = brand_owners(registers, jobs)
    _minutes(run, jobs, owners)
    _reports(run, jobs, owners)
    _deliveries(run, jobs)
    _samples(run, jobs, owners)
    items = run.items
    if person:
        wanted = "".join(person.split())
        items = [i for i in items if wanted in i.people]
    if problems is not None:
        problems.extend(run.problems)
    return sorted(items, key=lambda i: (i.when, i.kind, i.job, i.brand))


def due_for_books(paths, start, days: int, person=None, *, client_name):
    """The due list over several workbenches: (items sorted by time, problems, the first
    workbench's calendar, the client names). ``client_name(path, wb)`` names each."""
    from aexl.workbook.read import read_workbench

    items, problems, calendar, names = [], [], None, []
    for path in paths:
        wb = read_workbench(path, need=("工作单",))
        cal = wb.calendar()
        calendar = calendar or cal
        name = client_name(wb.path, wb)
        names.append(name)
        items.extend(due_items(wb, cal, start, days, person, source=name, problems=problems))
    items.sort(key=lambda i: (i.when, i.source, i.kind, i.job, i.brand))
    return items, problems, calendar, names


def _name(registers) -> str:
    path = getattr(registers, "path", None)
    return path.stem if path else ""


def _brand_of(rec: dict, jobs: dict) -> tuple[str, dict | None]:
    job = jobs.get(job_key(rec.get("工作号")))
    if job is not None:
        return text(job, "品牌"), job
    return text(rec, "品牌"), None


# --- 会议 ---------------------------------------------------------------------------
def _minutes(run: _Run, jobs: dict, owners: dict) -> None:
    from aexl.validate.meetings import MINUTES_SIGN_WORKDAYS, UNSIGNED_OK_MEETING_TYPES

    rule = (MINUTES_SIGN_WORKDAYS, UNSIGNED_OK_MEETING_TYPES)
    for rec in rows(run.registers, schema.MEETINGS.sheet):
        held = rec.get("会议时间")
        if not isinstance(held, date):
            run.problems.append(
                f"「会议」第 {rec.get('_row')} 行没有可识别的会议时间，未列入待办："
                "请填写日期和时间，如 2026-11-26 14:30。"
            )
            continue
        held = held if isinstance(held, datetime) else datetime.combine(held, time())
        if held > run.until:
            continue
        sent = rec.get("纪要发送时间")
        sent = sent if isinstance(sent, datetime) else None
        due = [(when, kind) for when, kind in _minutes_due(run, rec, held, sent, rule)
               if run.listed(when)]  # fmt: skip
        if not due:
            continue
        brand, job = _brand_of(rec, jobs)
        who = owners.get(brand_key(brand), "") if brand else _any_owner(owners)
        topic = text(rec, "主题") or text(rec, "会议类型") or "会议"
        base = dict(job=job_key(rec.get("工作号")), brand=brand, who=who)
        base["ref"] = f"会议 第 {rec.get('_row')} 行"
        base["key"] = held.isoformat(timespec="minutes")
        for when, kind in due:
            run.add(when, kind, _minutes_what(kind, held, topic, sent), **base)


def _minutes_due(run: _Run, rec: dict, held: datetime, sent, rule: tuple) -> list:
    """(when, kind) of what a meeting's minutes still need: sending, the 主管审阅, the
    client's signature (``rule``: check's (MINUTES_SIGN_WORKDAYS, UNSIGNED_OK_MEETING_TYPES))."""
    sign_days, unsigned_ok = rule
    if sent is None or sent > run.as_of:
        return [(run.calendar.minutes_due(held), "minutes")]
    due = [] if text(rec, "主管审阅") else [(sent, "review")]
    if not (text(rec, "客户签复") or text(rec, "会议类型") in unsigned_ok):
        day = run.calendar.add_workdays(sent.date(), sign_days)
        due.append((datetime.combine(day, DAY_END), "sign"))
    return due


def _minutes_what(kind: str, held: datetime, topic: str, sent: datetime | None) -> str:
    if kind == "minutes":
        return f"{held:%m-%d %H:%M}「{topic}」的会议纪要（须先经主管审阅）"
    if kind == "review":
        return f"{held:%m-%d %H:%M}「{topic}」的纪要已发送但没有主管审阅签名，请补审阅"
    return f"跟进客户签复 {held:%m-%d %H:%M}「{topic}」的纪要（{sent:%m-%d %H:%M} 已发送）"


def _any_owner(owners: dict) -> str:
    names = sorted(set(owners.values()))
    return " / ".join(names)


# --- 周报 / 月报 / 年报 --------------------------------------------------------------------
def _job_spans(jobs: dict) -> list[tuple[date, date | None, str, str]]:
    """(开单日期, 交付日期, brand key, brand) of every job not cancelled and with an 开单日期,
    in register order: read once for every week and month of the due list."""
    spans = []
    for job in jobs.values():
        opened, due = as_day(job.get("开单日期")), as_day(job.get("交付日期"))
        if text(job, "状态") != "已取消" and opened is not None:
            spans.append((opened, due, brand_key(job.get("品牌")), text(job, "品牌")))
    return spans


def _active_brands(spans: list, lo: date, hi: date) -> list[str]:
    """Brands with a job (not cancelled) open at some point between ``lo`` and ``hi``
    (``spans``: ``_job_spans``)."""
    out: dict[str, str] = {}
    for opened, due, key, name in spans:
        if opened <= hi and (due is None or due >= lo):
            out.setdefault(key, name)
    return [b for b in out.values() if b]


def _reports(run: _Run, jobs: dict, owners: dict) -> None:
    cal = run.calendar
    spans = _job_spans(jobs)
    lo, hi = run.first - timedelta(days=14), run.end + timedelta(days=7)
    monday = lo - timedelta(days=lo.weekday())
    while monday <= hi:
        week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
        finish, send = cal.weekly_due(week)
        for brand in _active_brands(spans, monday, monday + timedelta(days=6)):
            ref = dict(brand=brand, who=owners.get(brand_key(brand), ""), key=week)
            _in_window(run, finish, "weekly_finish", f"{brand} {week} 周报完成并经主管审阅", ref)
            _in_window(run, send, "weekly_send", f"{brand} {week} 周报发送给客户", ref)
        monday += timedelta(days=7)
    month = date(lo.year, lo.month, 1)
    while month <= hi:
        label = f"{month:%Y-%m}"
        finish, send = cal.monthly_due(label)
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for brand in _active_brands(spans, month, last):
            ref = dict(brand=brand, who=owners.get(brand_key(brand), ""), key=label)
            _in_window(run, finish, "monthly_finish", f"{brand} {label} 月度总结完成", ref)
            _in_window(run, send, "monthly_send", f"{brand} {label} 月度总结发送给客户", ref)
            if month.month == 12:
                what = f"{brand} {month.year} 年度工作总结提交给客户"
                ref["key"] = str(month.year)
                _in_window(run, cal.annual_due(month.year), "annual_send", what, ref)
        month = last + timedelta(days=1)


def _in_window(run: _Run, day: date, kind: str, what: str, ref: dict) -> None:
    if run.as_of.date() <= day <= run.end:
        run.add(datetime.combine(day, DAY_END), kind, what, **ref)


# --- 交付 / 修改 / QC ------------------------------------------------------------------
def _qc_done_since(states: dict, kind: str, since: date | None) -> bool:
    for flow in production_flows(kind):
        if any(d is not None and (since is None or d >= since) for d in states[flow].completed):
            return True
    return False


def _opened_revisions(run: _Run) -> dict[str, list[dict]]:
    """Revisions written by ``as_of``, per job key, in order."""
    today = run.as_of.date()
    out: dict[str, list[dict]] = {}
    for rec in rows(run.registers, schema.REVISIONS.sheet):
        opened = as_day(rec.get("修改日期"))
        if opened is not None and opened <= today:
            out.setdefault(job_key(rec.get("原工作号")), []).append(rec)
    for mine in out.values():
        mine.sort(key=lambda r: (as_day(r["修改日期"]), r.get("修改序号") or 0))
    return out


def _deliveries(run: _Run, jobs: dict) -> None:
    today = run.as_of.date()
    revisions = _opened_revisions(run)
    for key, job in jobs.items():
        opened = as_day(job.get("开单日期"))
        if text(job, "状态") == "已取消" or opened is None or opened > today:
            continue
        last = revisions[key][-1] if revisions.get(key) else None
        day = as_day((job if last is None else last).get("交付日期"))
        if day is not None and day < today and text(job, "状态") not in OPEN_STATUSES:
            continue  # past and no longer open: taken as delivered
        kind = text(job, "工作类型")
        ref = dict(job=key, brand=text(job, "品牌"))
        if last is not None:
            number = last.get("修改序号") or "?"
            what = f"第 {number} 次修改：{text(last, '修改内容') or '修改稿'}"
            ref.update(who=text(last, "执行人员") or text(job, "执行人员"), key=f"修改{number}")
            since, item = as_day(last["修改日期"]), "revision"
        else:
            what = f"{text(job, '项目名称') or key}（{kind or '工作'}）"
            ref.update(who=text(job, "执行人员"), key="工作单")
            since, item = opened, "delivery"
        _delivery(run, job, day, since, item, what, ref)


def _delivery(run: _Run, job: dict, day, since, kind: str, what: str, ref: dict) -> None:
    if day is None:
        run.problems.append(
            f"工作「{ref['job']}」没有可识别的交付日期，未列入待办：请在工作单或修改单中填写交付日期。"
        )
        return
    work_type = text(job, "工作类型")
    states = chain_states(run.registers, ref["job"], until=run.as_of.date())
    if _qc_done_since(states, work_type, since):
        return  # delivered: the client signed the production QC
    run.add(datetime.combine(day, DAY_END), kind, what, **ref)
    if not needs_qc(work_type):
        return
    flows = production_flows(work_type)
    state = min((states[f] for f in flows), key=lambda s: len(s.missing()))
    missing = " → ".join(state.missing())
    qc_day = datetime.combine(run.calendar.previous_workday(day), DAY_END)
    what = f"「{state.flow}」还缺 {missing}（{day:%m-%d} 交付前）"
    run.add(qc_day, "qc", what, **{**ref, "key": f"{ref['key']} {state.flow}"})


# --- 投放 ---------------------------------------------------------------------------
def _samples(run: _Run, jobs: dict, owners: dict) -> None:
    folder = _folder(run.registers)
    where: dict[str, str] = {}  # one look per distinct entry (aexl.samples.locate_sample)
    for rec in rows(run.registers, schema.PLACEMENTS.sheet):
        aired = as_day(rec.get("投放日期"))
        if aired is None or aired > run.end:
            continue
        sample = text(rec, "样稿")
        if sample not in where:
            where[sample] = samples.locate_sample(sample, folder)[0]
        why = SAMPLE_PROBLEMS.get(where[sample])
        if why is None:  # the file is there, a web address, or no folder to look in
            continue
        brand, _job = _brand_of(rec, jobs)
        brand = text(rec, "品牌") or brand
        finish, _send = run.calendar.weekly_due(aired)
        why = f"{why}：{sample}" if sample else why
        what = f"{text(rec, '投放媒体') or '投放'} {aired:%m-%d} 起投放（{why}）"
        run.add(
            datetime.combine(finish, DAY_END), "sample", what, job=job_key(rec.get("工作号")),
            brand=brand, who=owners.get(brand_key(brand), ""), ref=f"投放 第 {rec.get('_row')} 行",
            key=f"{aired.isoformat()} {text(rec, '投放媒体')} {text(rec, '投放版本')}",
        )  # fmt: skip


SAMPLE_PROBLEMS = {  # aexl.samples.locate_sample → what the due item says
    samples.BLANK: "样稿未填写",
    samples.MISSING: "样稿文件不存在",
    samples.OUTSIDE: samples.OUTSIDE_NOTE,
}


def _folder(registers):
    path = getattr(registers, "path", None)
    return path.parent if path else None


# --- month-end -------------------------------------------------------------------------
def month_items(registers, calendar, month: str) -> dict[str, list[DueItem]]:
    """Next month's due list per person: everything due in ``month`` (``2026-11``).

    For the month-end batch: the list starts on the month's first day and
    runs to its last working day; keys are the people named on the items.
    """
    from aexl.values import month_bounds

    first, last = month_bounds(month)
    days = calendar.workdays(first, last)
    # overdue before the month: the current list says so
    items = due_items(registers, calendar, first, max(days, 1), overdue=False)
    out: dict[str, list[DueItem]] = {}
    for item in items:
        for name in item.people or ["（未指定）"]:
            out.setdefault(name, []).append(item)
    return out
