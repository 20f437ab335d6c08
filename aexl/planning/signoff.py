"""Sign-offs captured as they happen, not typed afterwards (签核, rulebook 四.2 and 二.8).

``next_signoff`` says which step of which flow a job expects next (the
chain as ``check`` reads it: ``aexl.chain``); ``capture_signoff`` builds the
签核 row for it — refusing, with the very message ``check`` would give, a row
that ``check`` would report: a step out of order or repeated
(``aexl.chain.ChainState.verdict``, the function ``check`` reports with), and
the row-level rules (拒单 in a QC flow, a date before the previous step or
before the job was opened …), for which the new row is validated together
with the job's existing ones by ``aexl.validate``'s own rules.

Each captured row carries a 校验码: ``HHMM-`` (the time of the signature,
which the 日期 column does not keep) and 10 hex digits of SHA-256 over
(工作号, 流程, 步骤, 签名, date and time, 结果). ``aexl.validate.integrity.signoff_integrity_findings``
recomputes it: a row whose code no longer matches was edited after it was
captured. The code tells an edit from a capture; it is not a seal against
someone who recomputes it on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aexl import schema
from aexl.errors import UsageError
from aexl.findings import Finding
from aexl.planning.source import (
    CONFIRM_FLOW,
    QC_FLOWS,
    as_day,
    chain_states,
    frames_of,
    job_key,
    jobs_by_key,
    normalise_step,
    rows,
    text,
)
from aexl.validate.integrity import CHECK_COLUMN, checksum

# 角色 written for each step (the department that signs it)
ROLES = {
    "AE": "AE", "AD": "AD", "CD": "CD", "文案": "文案", "电脑": "电脑", "AD审核": "AD",
    "CD审核": "CD", "AE确认": "AE", "AD确认": "AD", "客户确认": "客户",
}  # fmt: skip
# Findings of the new row that make a capture refuse; a role the user may fix later does not.
_ALLOWED = frozenset({"sign.role_mismatch"})


@dataclass(frozen=True)
class NextSignoff:
    flow: str
    step: str
    position: int  # 1 = the chain's first step
    role: str
    note: str = ""  # why this flow (a new round after 拒单/退回, a revision reopened QC …)


def next_signoff(registers, jobno: str, flow: str | None = None) -> NextSignoff | None:
    """The next expected step of the job's flow (``flow`` or the right one); None when done.

    The right flow: 工作单确认 until a round is complete; then the
    production QC (正稿QC, and for print work 打样QC after it) until its
    round is complete after the latest revision. Work with no artwork
    (策略方案, 命名) has no QC.
    """
    from aexl.rules import needs_qc

    key = job_key(jobno)
    job = jobs_by_key(registers).get(key)
    if job is None:
        raise UsageError(f"工作号「{jobno}」不在「工作单」表中，请先登记该工作。", sheet="工作单")
    states = chain_states(registers, key)
    if flow is not None:
        if flow not in schema.SIGNOFF_CHAINS:
            raise UsageError(f"没有「{flow}」流程，请写 {'、'.join(schema.SIGNOFF_CHAINS)} 之一。")
        return _next(states[flow])
    if not states[CONFIRM_FLOW].completed:
        return _next(states[CONFIRM_FLOW])
    work_type = text(job, "工作类型")
    if not needs_qc(work_type):
        return None
    reopened = _last_revision(registers, key)
    flows = QC_FLOWS if work_type in schema.PRINT_WORK_TYPES else QC_FLOWS[:1]
    for name in flows:
        state = states[name]
        done = [d for d in state.completed if d is not None]
        if not done or (reopened and max(done) < reopened):
            note = "修改后须重新走 QC" if done else ""
            return _next(state, note)
    return None


def _next(state, note: str = "") -> NextSignoff:
    if state.restarted and not note:
        note = "上一轮已拒单/退回，从第 1 步重新签核"
    step = state.next_step
    return NextSignoff(state.flow, step, state.position, ROLES.get(step, ""), note)


def _last_revision(registers, key: str):
    days = [
        as_day(r.get("修改日期"))
        for r in rows(registers, schema.REVISIONS.sheet)
        if job_key(r.get("原工作号")) == key and as_day(r.get("修改日期"))
    ]
    return max(days) if days else None


def signoff_row(jobno, flow, step, signer, when: datetime, result="通过", role="", note="") -> dict:
    """A 签核 row (contract columns + 校验码) for a signature captured at ``when``."""
    when = when.replace(second=0, microsecond=0)
    return {
        "工作号": job_key(jobno),
        "流程": flow,
        "步骤": normalise_step(step, flow),
        "角色": role or ROLES.get(normalise_step(step, flow), ""),
        "签名": " ".join(str(signer or "").split()),
        "日期": when,
        "结果": result,
        "备注": note,
        CHECK_COLUMN: checksum(jobno, flow, step, signer, when, result),
    }


def capture_signoff(
    registers, jobno, signer, when: datetime, result="通过", *, flow=None, step=None
) -> dict:
    """The 签核 row for the job's next step (or the given one), checked as ``check`` would.

    Raises ``UsageError`` with ``check``'s own message when the row would be
    reported (see ``_ALLOWED``), and when there is nothing left to sign.
    """
    if not " ".join(str(signer or "").split()):
        raise UsageError("签名为空：请填写签核人的姓名。", sheet=schema.SIGNOFFS.sheet)
    if result not in schema.SIGNOFF_RESULTS:
        raise UsageError(f"结果「{result}」不对，请写 {'、'.join(schema.SIGNOFF_RESULTS)} 之一。")
    expected = next_signoff(registers, jobno, flow)
    if step is None:
        if expected is None:
            raise UsageError(f"工作「{job_key(jobno)}」的签核流程都已完成，没有待签的步骤。")
        flow, step = expected.flow, expected.step
    flow = flow or (expected.flow if expected else CONFIRM_FLOW)
    row = signoff_row(jobno, flow, step, signer, when, result)
    state = chain_states(registers, jobno).get(flow)
    verdict = state.verdict(row["步骤"]) if state is not None else None
    if verdict is not None:
        raise UsageError(verdict.message, sheet=schema.SIGNOFFS.sheet, column="步骤")
    problems = _check_with(registers, row)
    if problems:
        raise UsageError(
            problems[0].message, sheet=schema.SIGNOFFS.sheet, column=problems[0].column
        )
    return row


def _check_with(registers, row: dict) -> list[Finding]:
    """Findings ``check``'s 签核 rules give the new row when it is appended to 签核
    (the row-level rules: result word, dates, unknown step; the order is the chain's)."""
    import pandas as pd

    from aexl.validate import Context, check_signoffs
    from aexl.workbook.read import ROW_COLUMN, Workbench, empty_frame

    frames = dict(frames_of(registers))
    current = frames.get(schema.SIGNOFFS.sheet)
    if current is None:
        current = empty_frame(schema.SIGNOFFS)
    new_row = int(max(current[ROW_COLUMN].tolist() or [1])) + 1
    record = {**{c: row.get(c) for c in current.columns}, ROW_COLUMN: new_row}
    record["日期"] = row["日期"].date()
    added = pd.DataFrame([record], columns=list(current.columns), dtype=object)
    frames[schema.SIGNOFFS.sheet] = pd.concat([current, added], ignore_index=True)
    ctx = Context(Workbench(path=None, frames=frames))
    check_signoffs(ctx)
    return [
        f
        for f in ctx.findings
        if f.row == new_row and f.code.startswith("sign.") and f.code not in _ALLOWED
    ]
