"""Rules for 修改单: known job, 修改序号 1, 2, 3 … per job, dates in order."""

from __future__ import annotations

from aexl import schema
from aexl.validate.base import (
    ERROR,
    NAT_TICKS,
    ROW,
    WARNING,
    Context,
    as_number,
    as_ticks,
    fmt_date,
    job_key,
)

JOBS, REVISIONS = schema.JOBS.sheet, schema.REVISIONS.sheet


def check_revisions(ctx: Context) -> None:
    frame = ctx.frame(REVISIONS)
    if frame.empty:
        return
    ctx.required(REVISIONS, ("原工作号", "修改序号", "修改日期"))
    ctx.required(REVISIONS, ("修改内容", "执行人员"), WARNING)
    ctx.unknown_job(REVISIONS, "原工作号", "rev.unknown_job")
    seq = as_number(frame["修改序号"])
    ctx.emit(
        REVISIONS,
        seq < 1,
        "修改序号",
        ERROR,
        "rev.seq_invalid",
        lambda r: f"修改序号应从 1 开始（现为 {r['修改序号']}）：同一工作号的修改依次编 1、2、3…",
        fields=["修改序号"],
    )
    ctx.date_order(
        REVISIONS,
        "修改日期",
        "交付日期",
        "rev.delivery_before_revision",
        lambda r: (
            f"交付日期 {fmt_date(r['交付日期'])} 早于修改日期 {fmt_date(r['修改日期'])}：请核对这两个日期。"
        ),
    )
    _revision_sequences(ctx, seq)
    _revision_order(ctx, seq)
    _revision_dates(ctx)


def _revision_numbers(ctx: Context, seq, dated: bool = False) -> dict:
    """{(job key, 修改序号): (position, Excel row)} of the first row of every job and number
    (in sheet order), for rows with a job key and a whole 修改序号 ≥ 1 (and a 修改日期 when
    ``dated``)."""
    ids = ctx.keys(REVISIONS, "原工作号").tolist()
    rows = ctx.values(REVISIONS, ROW).tolist()
    numbers = seq.tolist()
    ticks = as_ticks(ctx.dates(REVISIONS, "修改日期")) if dated else None
    firsts: dict = {}
    for at, (job, number, row) in enumerate(zip(ids, numbers, rows, strict=True)):
        if job is None or not _whole_from_one(number):
            continue
        if dated and ticks[at] == NAT_TICKS:
            continue
        firsts.setdefault((job, int(number)), (at, row))
    return firsts


def _whole_from_one(number) -> bool:
    """A usable 修改序号: a whole number ≥ 1 (NaN and infinity are not)."""
    return number >= 1 and number % 1 == 0


def _revision_sequences(ctx: Context, seq) -> None:
    """Per job, 修改序号 are 1, 2, 3 … without duplicates or gaps."""
    import numpy as np

    firsts = _revision_numbers(ctx, seq)
    if not firsts:
        return
    first_row = {key: row for key, (_, row) in firsts.items()}
    ids = ctx.keys(REVISIONS, "原工作号").tolist()
    dup = np.zeros(len(ids), dtype=bool)
    for at, (job, number) in enumerate(zip(ids, seq.tolist(), strict=True)):
        if job is not None and _whole_from_one(number):
            dup[at] = firsts[(job, int(number))][0] != at
    ctx.emit(
        REVISIONS,
        dup,
        "修改序号",
        ERROR,
        "rev.seq_duplicate",
        lambda r: (
            f"工作号「{r['原工作号']}」的修改序号 {int(r['修改序号'])} 与第 "
            f"{first_row[(job_key(r['原工作号']), int(r['修改序号']))]} 行重复："
            "同一工作号下每次修改用下一个序号（1、2、3…）。"
        ),
        fields=["原工作号", "修改序号"],
    )
    _revision_gaps(ctx, firsts)


def _revision_gaps(ctx: Context, firsts: dict) -> None:
    """Gaps: the sorted distinct numbers of every job must be 1..n."""
    jobnos = ctx.values(REVISIONS, "原工作号")
    job, before = None, 0
    for key in sorted(firsts):
        if key[0] != job:
            job, before = key[0], 0
        number = key[1]
        if number != before + 1:
            at, row = firsts[key]
            missing = "、".join(str(n) for n in range(before + 1, min(number, before + 6)))
            if number - before > 6:
                missing += "…"
            ctx.add(
                REVISIONS,
                row,
                "修改序号",
                ERROR,
                "rev.seq_gap",
                f"工作号「{jobnos[at]}」的修改序号跳过了 {missing}：序号应从 1 起连续编号"
                "（1、2、3…），请补上漏登的修改单或更正序号。",
            )
        before = number


def _revision_order(ctx: Context, seq) -> None:
    """Revision n of a job is not dated before revision n − 1 (warning).

    The distinct (job, 修改序号) dated rows sorted by number, each compared
    with the previous number's 修改日期.
    """
    import numpy as np

    firsts = _revision_numbers(ctx, seq, dated=True)
    if len(firsts) < 2:
        return
    dates = ctx.dates(REVISIONS, "修改日期")
    ticks = as_ticks(dates)
    before: dict[int, tuple] = {}
    late = np.zeros(len(ticks), dtype=bool)
    job, prev = None, None  # prev: (position, Excel row, 修改序号) of the number before
    for key in sorted(firsts):
        at, row = firsts[key]
        if key[0] == job and ticks[at] < ticks[prev[0]]:
            before[int(row)] = (int(prev[2]), int(prev[1]), dates.iloc[prev[0]])
            late[at] = True
        job, prev = key[0], (at, row, key[1])
    if not before:
        return
    ctx.emit(
        REVISIONS,
        late,
        "修改日期",
        WARNING,
        "rev.date_order",
        lambda r: (
            f"第 {int(r['修改序号'])} 次修改的日期 {fmt_date(r['修改日期'])} 早于第 {before[r[ROW]][0]} 次"
            f"（第 {before[r[ROW]][1]} 行，{before[r[ROW]][2].date().isoformat()}）：修改序号应按时间先后编号，"
            "请核对修改日期或修改序号。"
        ),
        fields=["修改序号", "修改日期"],
    )


def _revision_dates(ctx: Context) -> None:
    """A revision is not dated before its job was opened (error: wrong date or wrong job)."""
    jobs = ctx.frame(JOBS)
    if jobs.empty:
        return
    opened = ctx.open_dates()
    open_dates = ctx.open_date_of(ctx.keys(REVISIONS, "原工作号"))
    revised = ctx.dates(REVISIONS, "修改日期")
    mask = revised < open_dates
    ctx.emit(
        REVISIONS,
        mask,
        "修改日期",
        ERROR,
        "rev.before_open",
        lambda r: (
            f"修改日期 {fmt_date(r['修改日期'])} 早于工作「{r['原工作号']}」的开单日期 "
            f"{opened[job_key(r['原工作号'])].date().isoformat()}：工作开单后才会有修改，"
            "请核对修改日期，或原工作号是否填错。"
        ),
        fields=["原工作号", "修改日期"],
    )
