"""Rules for 签核 (sign-off chains) and the 工作单 QC they gate; 会议 is in ``meetings``."""

from __future__ import annotations

from aexl import schema
from aexl.chain import ChainState
from aexl.rules import (
    CONFIRM_FLOW,
    DELIVERED_STATUSES,
    ENDS_ROUND,
    NO_ARTWORK_WORK_TYPES,
    QC_FLOWS,
    RESULT_WORD,
)
from aexl.rules import normalise_step as normalise_step
from aexl.validate.base import (
    ERROR,
    NAT_TICKS,
    ROW,
    WARNING,
    Context,
    as_ticks,
    fmt_date,
)
from aexl.validate.roles import check_roles
from aexl.validate.signoff_rows import changes, known_steps, signoff_work, work_lists

SIGNOFFS, JOBS = schema.SIGNOFFS.sheet, schema.JOBS.sheet


# 签核 ---------------------------------------------------------------------------
def check_signoffs(ctx: Context) -> None:
    import numpy as np

    frame = ctx.frame(SIGNOFFS)
    if frame.empty:
        return
    ctx.required(SIGNOFFS, ("工作号", "流程", "步骤", "签名", "日期"))
    ctx.unknown_job(SIGNOFFS, "工作号", "sign.unknown_job")
    steps, known = known_steps(ctx)
    chains = schema.SIGNOFF_CHAINS
    flows = ctx.values(SIGNOFFS, "流程").tolist()
    wrong = np.array([f in chains for f in flows], dtype=bool) & ~known.to_numpy()
    if wrong.any():  # a step written, but not one of its flow's chain
        wrong &= steps.ne("").to_numpy()
    ctx.emit(
        SIGNOFFS,
        wrong,
        "步骤",
        ERROR,
        "sign.unknown_step",
        lambda r: (
            f"「{r['步骤']}」不是「{r['流程']}」的步骤：该流程的顺序是 "
            f"{' → '.join(schema.SIGNOFF_CHAINS[r['流程']])}"
            "（AD 是美术指导，CD 是创意总监，电脑是电脑美工；也可写步骤的序号，1 是第一步），"
            "请改成其中之一。"
        ),
        fields=["步骤", "流程"],
    )
    check_roles(ctx, steps, known)
    _result_words(ctx, frame)
    work = signoff_work(ctx)
    _chain_order(ctx, work)
    _chain_dates(ctx, work)
    _signed_before_open(ctx, work)
    _confirmed_before_qc(ctx, work)


def _chain_order(ctx: Context, work) -> None:
    """Steps in chain order per job and flow; 拒单/退回 ends the round.

    Quick first pass: within a round (rows after a 拒单/退回 start a new
    one) the n-th signature must be step n of the chain (modulo its length,
    a completed chain starting a new round). Only the job × flow groups that
    fail it go through the row-by-row pass, which says exactly what is wrong.
    """
    import numpy as np

    if work.empty:
        return
    flows, steps = work["流程"].to_numpy(), work["_step"].to_numpy()
    positions = work["_pos"].to_numpy()
    wrong = np.zeros(len(work), dtype=bool)
    for flow, chain in schema.SIGNOFF_CHAINS.items():
        rows = flows == flow
        expected = np.array(chain, dtype=object)[positions[rows] % len(chain)]
        wrong[rows] = expected != steps[rows]
    if wrong.any():
        ids = work["_id"].to_numpy()
        broken = set(zip(ids[wrong].tolist(), flows[wrong].tolist(), strict=True))
        keys = zip(ids.tolist(), flows.tolist(), strict=True)
        _chain_order_rows(ctx, work.loc[[pair in broken for pair in keys]])


def _chain_order_rows(ctx: Context, work) -> None:
    """Row-by-row chain check (the groups the vectorised pass found broken): each
    signature goes through ``aexl.chain.ChainState.sign``, which says what is wrong."""
    key, state = None, None
    for row, job, flow, step, result in zip(
        work[ROW], work["_id"], work["流程"], work["_step"], work["结果"], strict=True
    ):
        if (job, flow) != key:
            key, state = (job, flow), ChainState(flow)
        verdict = state.sign(step, result)
        if verdict is not None:
            ctx.add(SIGNOFFS, row, "步骤", verdict.severity, verdict.code, verdict.message)


def _chain_dates(ctx: Context, work) -> None:
    """A step is not dated before the signature before it (same job and flow): the
    latest dated row before it in its job × flow (``work`` is sorted by job and flow,
    so each dated row is compared with the dated row just before it in its run)."""
    import numpy as np

    if work.empty:
        return
    dates = work["_d"]
    ticks = np.array(as_ticks(dates), dtype=np.int64)
    dated = np.flatnonzero(ticks != NAT_TICKS)
    run = np.cumsum(changes(work["_id"].to_numpy(), work["流程"].to_numpy()))[dated]
    early = (run[1:] == run[:-1]) & (ticks[dated[1:]] < ticks[dated[:-1]])
    rows, days, flows = work[ROW].tolist(), work["日期"].tolist(), work["流程"].tolist()
    for at, before in zip(dated[1:][early].tolist(), dated[:-1][early].tolist(), strict=True):
        ctx.add(
            SIGNOFFS,
            rows[at],
            "日期",
            ERROR,
            "sign.date_order",
            f"签核日期 {fmt_date(days[at])} 早于上一步（第 {int(rows[before])} 行）的日期 "
            f"{dates.iloc[before].date().isoformat()}：「{flows[at]}」须按顺序签核，"
            "请核对这两行的日期。",
        )


def _result_words(ctx: Context, frame) -> None:
    """拒单 only at 工作单确认, 退回 only in the QC flows (see ``RESULT_WORD``)."""
    import pandas as pd

    wrong = [
        result in ENDS_ROUND and result != RESULT_WORD.get(flow, result)
        for flow, result in zip(frame["流程"].tolist(), frame["结果"].tolist(), strict=True)
    ]
    if not any(wrong):
        return

    def message(r: dict) -> str:
        if r["结果"] == "拒单":
            return (
                f"「{r['流程']}」中发现问题请填「退回」，不是「拒单」：拒单是创作部在"
                "「工作单确认」时因工作单指引不清或资料不足而不接单。两者都结束本轮，"
                "之后从第 1 步重新签核。"
            )
        return (
            "「工作单确认」中创作部不接单请填「拒单」，不是「退回」：退回用于正稿QC/打样QC "
            "发现问题退回修改。两者都结束本轮，之后从第 1 步重新签核。"
        )

    mask = pd.Series(wrong, index=frame.index)
    ctx.emit(SIGNOFFS, mask, "结果", WARNING, "sign.result_word", message, fields=["流程", "结果"])


def _signed_before_open(ctx: Context, work) -> None:
    """No signature before the job was opened: one finding per job (its first such row)."""
    jobs = ctx.frame(JOBS)
    if work.empty or jobs.empty:
        return
    open64 = ctx.open_dates()
    early = work.loc[work["_d"] < ctx.open_date_of(work["_id"])]
    if early.empty:
        return
    counts = early["_id"].value_counts()
    first = early.sort_values(ROW, kind="stable").drop_duplicates("_id")
    for row, jobno, key, day in zip(
        first[ROW], first["工作号"], first["_id"], first["日期"], strict=True
    ):
        more = f"（该工作共有 {counts[key]} 行签核早于开单日期）" if counts[key] > 1 else ""
        ctx.add(
            SIGNOFFS, row, "日期", ERROR, "sign.before_open",
            f"签核日期 {fmt_date(day)} 早于工作「{jobno}」的开单日期 {open64[key].date().isoformat()}{more}："
            "工作单开出后才能签核；请核对签核日期、工作号或「工作单」中的开单日期。",
        )  # fmt: skip


def _completed(ctx: Context) -> set[tuple[str, str]]:
    """(job key, flow) pairs with at least one completed round.

    A round is complete at a signature of the chain's last step (电脑 /
    客户确认) that did not end the round, when by then the round holds every
    step of the chain as often as the chain names it (AD twice in
    工作单确认). Vectorised: ``work`` is sorted by job, flow and row, so each
    round is a contiguous block (``_pos`` rows after its start); a running count
    of every step minus its value before the block start gives the counts within
    the round.
    """
    cached = ctx.cache.get("signoff_done")
    if cached is not None:
        return cached
    import numpy as np

    work = signoff_work(ctx) if ctx.has(SIGNOFFS) else None
    done: set[tuple[str, str]] = set()
    if work is not None and not work.empty:
        chains = schema.SIGNOFF_CHAINS
        last = {f: c[-1] for f, c in chains.items()}
        col = work_lists(ctx, work)
        candidate = np.array(
            [
                step == last[flow] and result not in ENDS_ROUND
                for flow, step, result in zip(col["流程"], col["_step"], col["结果"], strict=True)
            ],
            dtype=bool,
        )
        if candidate.any():
            ids, flow_arr = work["_id"].to_numpy(), work["流程"].to_numpy()
            names = sorted({s for chain in chains.values() for s in chain})
            steps = work["_step"].to_numpy()
            onehot = np.stack([steps == name for name in names], axis=1).astype(np.int32)
            running = np.vstack([np.zeros((1, len(names)), np.int32), onehot.cumsum(axis=0)])
            rows = np.flatnonzero(candidate)
            counts = running[rows + 1] - running[rows - work["_pos"].to_numpy()[rows]]
            table = np.array([[c.count(name) for name in names] for c in chains.values()])
            flow_no = {f: i for i, f in enumerate(chains)}
            need = table[np.array([flow_no[f] for f in flow_arr[rows]], dtype=np.intp)]
            ok = rows[(counts >= need).all(axis=1)]
            done = set(zip(ids[ok], flow_arr[ok], strict=True))
    ctx.cache["signoff_done"] = done
    return done


def _missing_steps(rows, flow: str) -> tuple[list[str], str]:
    """Steps the latest round of ``rows`` (one job × flow) still lacks, and a note.

    ``rows``: list of (round, step, result) in sheet order, or None.
    """
    chain = schema.SIGNOFF_CHAINS[flow]
    if not rows:
        return list(chain), ""
    latest = [r for r in rows if r[0] == rows[-1][0]]
    _, last_step, last_result = latest[-1]
    if last_result in ENDS_ROUND:
        return list(chain), f"上一轮在「{last_step}」{last_result}，须从「{chain[0]}」重新签核"
    left: dict[str, int] = {}
    for _, step, _ in latest:
        left[step] = left.get(step, 0) + 1
    missing = []
    for step in chain:
        if left.get(step, 0) > 0:
            left[step] -= 1
        else:
            missing.append(step)
    return missing, ""


def _describe_missing(flow: str, missing: list[str], note: str) -> str:
    chain = schema.SIGNOFF_CHAINS[flow]
    if note:
        return f"「{flow}」{note}"
    if len(missing) == len(chain):
        return f"「{flow}」还没有签核（{' → '.join(chain)}）"
    return f"「{flow}」还缺 {' → '.join(missing)}"


def _groups(ctx: Context, work, keys: set) -> dict:
    """{(job key, flow): [(round, step, result), …]} for the given job keys only."""
    if work is None or work.empty or not keys:
        return {}
    col = work_lists(ctx, work)
    out: dict = {}
    for key, flow, round_no, step, result in zip(
        col["_id"], col["流程"], col["_round"], col["_step"], col["结果"], strict=True
    ):
        if key in keys:
            out.setdefault((key, flow), []).append((round_no, step, result))
    return out


def _confirmed_before_qc(ctx: Context, work) -> None:
    """Work starts (正稿QC/打样QC) only after a completed 工作单确认 round.

    Rulebook 四.2: signing the job sheet means accepting the job; the team
    may refuse it (拒单). QC signatures on a job whose sheet was never
    accepted are reported once per job, on its first QC row.
    """
    col = work_lists(ctx, work)
    known = ctx.job_ids()
    qc = [
        at
        for at, (job, flow) in enumerate(zip(col["_id"], col["流程"], strict=True))
        if flow in QC_FLOWS and job in known
    ]
    if not qc:
        return
    accepted = {job for job, flow in _completed(ctx) if flow == CONFIRM_FLOW}
    rows = col[ROW]
    first: dict = {}  # job key → position of its first QC row (by Excel row)
    for at in qc:
        job = col["_id"][at]
        if job not in accepted and (job not in first or rows[at] < rows[first[job]]):
            first[job] = at
    if not first:
        return
    groups = _groups(ctx, work, set(first))
    for at in sorted(first.values(), key=rows.__getitem__):
        key, flow = col["_id"][at], col["流程"][at]
        missing, note = _missing_steps(groups.get((key, CONFIRM_FLOW)), CONFIRM_FLOW)
        ctx.add(
            SIGNOFFS, rows[at], "流程", WARNING, "sign.confirm_missing",
            f"工作「{col['工作号'][at]}」已开始「{flow}」签核，但{_describe_missing(CONFIRM_FLOW, missing, note)}："
            "工作单须经创作部各人签字接单后才能开始制作；请补齐「工作单确认」签核"
            "（如创作部拒单，先补充资料再重新走确认流程）。",
        )  # fmt: skip


def check_delivery_qc(ctx: Context) -> None:
    """A delivered job (状态 已完成/客户确认) has a completed QC round ending in 客户确认.

    正稿QC for every job; for print work a completed 打样QC (the confirmed
    proof) counts too (rulebook 8: 完稿或确定的打样稿). ``rules.NO_ARTWORK_WORK_TYPES``
    (策略方案, 命名) are exempt.
    Skipped when the workbench has no 签核 sheet at all.
    """
    import numpy as np

    if not ctx.has(SIGNOFFS):
        return
    jobs = ctx.frame(JOBS)
    if jobs.empty:
        return
    ids = ctx.keys(JOBS, "工作号").tolist()
    kinds = ctx.values(JOBS, "工作类型").tolist()
    due = [
        state in DELIVERED_STATUSES and job is not None and kind not in NO_ARTWORK_WORK_TYPES
        for state, job, kind in zip(ctx.values(JOBS, "状态").tolist(), ids, kinds, strict=True)
    ]
    if not any(due):
        return
    done = _completed(ctx)
    final = {job for job, flow in done if flow == "正稿QC"}
    proof = {job for job, flow in done if flow == "打样QC"}
    printed = [kind in schema.PRINT_WORK_TYPES for kind in kinds]
    mask = [
        d and job not in final and not (p and job in proof)
        for d, job, p in zip(due, ids, printed, strict=True)
    ]
    if not any(mask):
        return
    what = _qc_missing_notes(ctx, ids, printed, mask)
    chain = " → ".join(schema.SIGNOFF_CHAINS["正稿QC"])
    none_yet = {
        True: f"「正稿QC」或「打样QC」都还没有签核（{chain}）",
        False: f"「正稿QC」还没有签核（{chain}）",
    }
    ctx.emit(
        JOBS,
        np.array(mask, dtype=bool),
        "状态",
        WARNING,
        "job.qc_missing",
        lambda r: (
            f"工作「{r['工作号']}」状态为「{r['状态']}」，但"
            f"{what.get(r[ROW]) or none_yet[r['工作类型'] in schema.PRINT_WORK_TYPES]}："
            "交付前稿件须按 QC 流程逐级签核，最后由客户签字确认；"
            "请在「签核」表补齐签核，或把状态改回「修改中」。"
        ),
        fields=["工作号", "状态", "工作类型"],
    )


def _qc_missing_notes(ctx: Context, ids: list, printed: list, mask: list) -> dict[int, str]:
    """{Excel row: what its QC rounds still lack} for the flagged jobs whose QC has begun."""
    work = signoff_work(ctx)
    col = work_lists(ctx, work)
    started = {job for job, flow in zip(col["_id"], col["流程"], strict=True) if flow in QC_FLOWS}
    begun = [m and job in started for m, job in zip(mask, ids, strict=True)]
    groups = _groups(ctx, work, {job for job, b in zip(ids, begun, strict=True) if b})
    what: dict[int, str] = {}
    rows = ctx.values(JOBS, ROW).tolist()
    for row, key, is_print, b in zip(rows, ids, printed, begun, strict=True):
        if not b:
            continue
        flows = QC_FLOWS if is_print else QC_FLOWS[:1]
        best = min(
            ((flow, *_missing_steps(groups.get((key, flow)), flow)) for flow in flows),
            key=lambda t: len(t[1]),
        )
        what[row] = _describe_missing(*best)
    return what
