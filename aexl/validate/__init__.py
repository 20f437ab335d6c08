"""Workbench validation: every rule of PRODUCT.md §2 as findings.

``validate_workbench(wb)`` runs every rule over the reader's DataFrames and
returns ``Finding``s sorted by sheet (in the contract's order), Excel row
and column. It never raises for bad data: the one exception is a broken
internal invariant. The per-register functions (``check_jobs`` …) work on a
``Context`` and are in the modules of this package (``jobs``, ``revisions``,
``flow``, ``meetings``, ``roles``, ``other`` …).

Finding codes (stable, for tests and filters):

=============================  =========  ==========================================
code                           severity   meaning
=============================  =========  ==========================================
cell.unreadable                error      the reader could not read the cell
enum.invalid                   error      a list column holds a value not on the list
<sheet>.required               err/warn   a required cell is empty (job.required, …)
job.say_none                   warning    其他必备条件 / 提供资料 empty (write 无)
job.spec_required              error      print work without 规格
job.brief_required             error      TVC/主视觉/形象稿/新稿件 without 创意简报=是
job.delivery_before_open       error      交付日期 before 开单日期
job.budget_negative            error      预算 < 0
job.unknown_brand              error      品牌/产品线 not in the 品牌 sheet
jobno.malformed                error      工作号 not code + year + serial
jobno.duplicate                error      工作号 used by an earlier row
jobno.mismatch                 error      工作号 disagrees with brand, line or year
brand.code_invalid             error      typed code with other than letters/digits
brand.duplicate                error      same brand × line twice
brand.code_collision           error      two pairs give the same prefix
brand.sheet_empty              warning    no 品牌 rows; codes checked by pinyin only
rev.unknown_job                error      原工作号 not in 工作单
rev.seq_invalid / seq_gap /    error      修改序号 not 1, 2, 3 … per job
  seq_duplicate
rev.delivery_before_revision   error      交付日期 before 修改日期
rev.before_open                error      修改日期 before the job's 开单日期
rev.date_order                 warning    修改 n dated before 修改 n − 1 of the same job
sign.unknown_job               error      工作号 not in 工作单
sign.unknown_step              error      步骤 not in the flow's chain
sign.out_of_order              error      a step signed out of chain order
sign.repeated                  warning    the same step signed twice in a row
sign.date_order                error      a step dated before the one before it
sign.before_open               error      signed before the job's 开单日期 (first such row
                                          of the job)
sign.role_mismatch             warning    角色 is another department than the step's (AD
                                          is the art director, not 客户总监)
sign.result_word               warning    拒单 in a QC flow or 退回 at 工作单确认 (拒单 is
                                          refusing a job sheet, 退回 sending a draft back)
sign.edited                    warning    a row captured by the 签核 button whose 校验码 no
                                          longer matches it (edited by hand afterwards)
sign.confirm_missing           warning    正稿QC/打样QC signed but no completed
                                          工作单确认 round (first QC row of the job)
job.qc_missing                 warning    状态 已完成/客户确认 without a completed 正稿QC
                                          round (打样QC also counts for print work) that
                                          ends in 客户确认; names the missing steps;
                                          策略方案 and 命名 exempt
schedule.missed                warning    a dated record after the end agreed in 进度
schedule.unknown_job           warning    a 进度 row whose 工作号 is not in 工作单
meeting.unknown_job            error      工作号 not in 工作单
minutes.not_reviewed           error      minutes sent without 主管审阅
minutes.before_meeting         error      sent before the meeting
minutes.late                   warning    sent after 24 working hours
minutes.overdue                error      not sent and past the deadline
minutes.unsigned               warning    sent over 3 working days ago
                                          (``MINUTES_SIGN_WORKDAYS``), 客户签复 blank;
                                          not for 电话沟通
calendar.provisional           warning    a deadline in a year the calendar only estimates
                                          (weekends and statutory days): 暂定, import the
                                          State Council notice (aexl calendar import)
calendar.unknown_year          error      a meeting (or a minutes-signature deadline)
                                          in a year no calendar knows
weekly.unknown_job             error      工作号 not in 工作单
weekly.progress_range          error      完成度 outside 0–100
weekly.duplicate               warning    same week and job twice
placement.*                    err/warn   unknown job/brand, end before start,
                                          brand differs from the job's, sample missing
effect.* / notes.*             warning    unknown brand, duplicates, negative target
copy.no_slogan / no_logo       warning    QC: draft without 口号 / LOGO=是
copy.unknown_job               error      工作号 not in 工作单
holiday.conflict / duplicate   err/warn   the same date twice in 节假日
holiday.incomplete             warning    a year known only from 节假日 looks partial
                                          (``workcal.sheet_year_gaps``: too few
                                          weekdays off, no 春节 or 国庆 days off)
=============================  =========  ==========================================

A round of a sign-off chain is complete at a signature of its last step
(电脑 / 客户确认) that is not 拒单/退回, when the round (rows since the last
拒单/退回 of that job and flow) holds every step of the chain. Thresholds and
exemptions are named constants in ``validate.meetings``: ``MINUTES_SIGN_WORKDAYS``
(3: a day to read, a day to reply, a day for the signed copy to come back),
``UNSIGNED_OK_MEETING_TYPES`` (电话沟通: a phone note lists what to confirm and
the client confirms by acting on it, rulebook 二.1.2); ``rules.DELIVERED_STATUSES``
and ``rules.NO_ARTWORK_WORK_TYPES`` (策略方案 and 命名 deliver no 正稿 or 打样).

The Advertising-Law check of the 文案 text is ``aexl.copycheck.check_frame``
(see ``aexl.validate.other.copy_findings``).
"""

from __future__ import annotations

from datetime import datetime

from aexl import schema
from aexl.findings import Finding
from aexl.validate.base import Context
from aexl.validate.flow import check_delivery_qc, check_signoffs, normalise_step
from aexl.validate.integrity import signoff_integrity_findings
from aexl.validate.jobs import check_brands, check_jobs
from aexl.validate.meetings import check_meetings
from aexl.validate.other import (
    check_copy_sheet,
    check_effects,
    check_holidays,
    check_notes,
    check_placements,
    check_weekly,
    copy_findings,
)
from aexl.validate.revisions import check_revisions
from aexl.validate.schedule import schedule_findings

SHEET_ORDER = [r.sheet for r in schema.REGISTERS]

__all__ = [
    "Context",
    "validate_workbench",
    "validate_book",
    "check_brands",
    "check_jobs",
    "check_revisions",
    "check_signoffs",
    "check_delivery_qc",
    "check_meetings",
    "check_weekly",
    "check_placements",
    "check_effects",
    "check_notes",
    "check_copy_sheet",
    "check_holidays",
    "normalise_step",
    "SHEET_ORDER",
]


def validate_workbench(
    wb,
    *,
    now: datetime | None = None,
    calendar=None,
    copy_check: bool = True,
) -> list[Finding]:
    """All findings for a read workbench (``aexl.workbook.read.Workbench``), sorted.

    ``now`` decides which unsent minutes are overdue (default: the current
    time); ``calendar`` overrides the workbench's own (bundled + 节假日).
    """
    ctx = Context(wb, now=now, calendar=calendar)
    ctx.findings.extend(getattr(wb, "findings", ()) or ())
    for register in schema.REGISTERS:
        if wb.has_sheet(register.sheet):
            ctx.enums(register.sheet)
    check_holidays(ctx)
    codes = check_brands(ctx)
    check_jobs(ctx, codes)
    check_revisions(ctx)
    check_signoffs(ctx)
    check_delivery_qc(ctx)
    check_meetings(ctx)
    check_weekly(ctx)
    check_placements(ctx)
    check_effects(ctx)
    check_notes(ctx)
    check_copy_sheet(ctx)
    __import__("aexl.validate.ledger_rule", fromlist=["_"]).check_ledger(ctx)
    ctx.findings.extend(schedule_findings(wb, ctx.calendar))
    ctx.findings.extend(signoff_integrity_findings(wb))
    if copy_check:
        ctx.findings.extend(copy_findings(ctx))
    return sort_in_column_order(_unique(ctx.findings))


def sort_in_column_order(findings: list[Finding]) -> list[Finding]:
    """By sheet (contract order), Excel row, column (the sheet's column order), code."""
    sheet_rank = {name: i for i, name in enumerate(SHEET_ORDER)}
    column_rank = {(r.sheet, name): i for r in schema.REGISTERS for i, name in enumerate(r.headers)}

    def key(f: Finding):
        return (
            sheet_rank.get(f.sheet, len(sheet_rank)),
            f.sheet,
            f.row or 0,
            column_rank.get((f.sheet, f.column), -1 if f.column is None else 999),
            f.column or "",
            f.code,
        )

    return sorted(findings, key=key)


def validate_book(path, **kwargs) -> list[Finding]:
    """Read the workbench at ``path`` and validate it (raises AexlError if unreadable)."""
    from aexl.workbook.read import read_workbench

    return validate_workbench(read_workbench(path), **kwargs)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            out.append(finding)
    return out
