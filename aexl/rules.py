"""The rulebook's shared rules, each defined once: validation and every report use these.

- how a 签核「步骤」 is read (``normalise_step``: words people write, a numbered
  step, a step written as its number in the flow's chain) and its place in the
  chain (``step_position``);
- how job numbers and brand names are compared (``jobno_key``, ``brand_key``) and
  the brands' order (``brand_order``);
- what counts as done / open / delivered, a design, a client confirmation
  and *produced* (``production_confirmation``);
- which meetings belong to a brand (``meeting_brands``);
- a date cell as a day (``as_day``).

Everything here is a pure function over plain values and row dicts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from aexl import schema
from aexl.values import norm_text

# --------------------------------------------------------------- statuses ---
DONE_STATUSES = frozenset({"已完成", "已取消", "客户确认"})  # nothing left to deliver
OPEN_STATUSES = frozenset({"进行中", "已提案", "修改中"})  # work still going on
# A job in one of these states has been delivered: its artwork went through QC.
DELIVERED_STATUSES = frozenset({"已完成", "客户确认"})
# A job in one of these states has been put to the client (proposed or under revision).
PROPOSED_STATUSES = frozenset({"已提案", "修改中", "客户确认"})
# Work types with no artwork: a strategy plan is a document for the client's
# management (rulebook 二.7.A) and a naming job delivers names the client picks
# in a meeting; neither has a 正稿 or 打样 to sign off under rule 8, nor is a design.
NO_ARTWORK_WORK_TYPES = frozenset({"策略方案", "命名"})
DEFAULT_STATUS = "进行中"  # a blank 状态 reads as work in progress

# ---------------------------------------------------------- sign-off flows ---
CONFIRM_FLOW = "工作单确认"
QC_FLOWS = ("正稿QC", "打样QC")
CLIENT_STEP = "客户确认"
ENDS_ROUND = frozenset({"拒单", "退回"})
PASSED_RESULTS = frozenset({"", "通过"})
# Both end a round, but they say different things (rulebook 四.2 内部作业流程): 拒单 is the
# creative team refusing an unclear or incomplete job sheet at 工作单确认; a QC
# step that finds a fault sends the draft back, 退回.
RESULT_WORD = {"工作单确认": "拒单", "正稿QC": "退回", "打样QC": "退回"}

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
# What people write for the client's signature (rulebook 8: 客户确认/签收光盘).
_CLIENT_WORDS = frozenset(
    {"客户确认/签收光盘", "客户确认签收光盘", "签收光盘", "客户签收光盘", "客户签收", "客户"}
)
_NUMBERING = re.compile(r"^(?:[\u2460-\u2473]|\(?\d{1,2}[).、．]?)\s*")
_CIRCLED = {chr(0x2460 + n): n + 1 for n in range(20)}  # ① → 1


def step_number(value) -> int | None:
    """A step written as a number (``3``, ``"3"``, ``"③"``, ``"第3步"``) → 3; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if value == value and float(value).is_integer() else None
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", "".join(value.split()))
    if text in _CIRCLED:
        return _CIRCLED[text]
    text = text.removeprefix("第").removesuffix("步")
    return int(text) if text.isdigit() and len(text) <= 2 else None


@lru_cache(maxsize=1024)
def _step_name(text: str) -> str:
    step = "".join(text.split()).upper()
    step = _NUMBERING.sub("", step) or step
    for word, name in _STEP_WORDS:
        if step.startswith(word):
            step = name + step[len(word) :]
            break
    return CLIENT_STEP if step in _CLIENT_WORDS else step


def normalise_step(value, flow: str | None = None) -> str:
    """The chain's name of a typed 步骤.

    ``COPYWRITE`` → ``文案``, ``电脑人员`` → ``电脑``, ``③ cd审核`` → ``CD审核``,
    ``客户签收`` → ``客户确认``; a number (``3``, ``③``) is the flow's step of
    that position (1 = the first step) when ``flow`` is given and has it. A
    value that is none of these comes back as written (a validator then
    reports it as not a step of the flow); a blank gives ``""``.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if type(value) is str:  # the common case, one per 签核 row: memoised
        return _text_step(value, flow)
    return _normalise_step(value, flow)


@lru_cache(maxsize=4096)
def _text_step(value: str, flow: str | None) -> str:
    return _normalise_step(value, flow)


def _normalise_step(value, flow: str | None) -> str:
    number = step_number(value)
    if number is not None:
        chain = schema.SIGNOFF_CHAINS.get(flow or "", ())
        return chain[number - 1] if 1 <= number <= len(chain) else norm_text(value)
    if not isinstance(value, str):
        return norm_text(value)
    return _step_name(value)


def step_position(flow: str, step) -> int | None:
    """1-based position of the (normalised) step's first place in ``flow``'s chain; None if not in it."""
    chain = schema.SIGNOFF_CHAINS.get(flow, ())
    name = normalise_step(step, flow)
    return chain.index(name) + 1 if name in chain else None


def is_chain_step(flow: str, step) -> bool:
    return step_position(flow, step) is not None


# ------------------------------------------------------------------- keys ---
@lru_cache(maxsize=1 << 16)
def _jobno_key(value) -> str:
    from aexl.jobno import normalize_jobno

    return normalize_jobno(value)


def jobno_key(value) -> str:
    """The key a job number is compared by (``aexl.jobno.normalize_jobno``: NFKC,
    upper-case, every whitespace removed); memoised, numbers repeat row after row."""
    if value is None:
        return ""
    try:
        return _jobno_key(value)
    except TypeError:  # unhashable
        return _jobno_key.__wrapped__(value)


@lru_cache(maxsize=1 << 14)
def _brand_key(value) -> str:
    from aexl.codes import name_key

    return name_key(value)


def brand_key(value) -> str:
    """The key a brand (or product-line) name is compared by (``aexl.codes.name_key``:
    NFKC, trimmed, case-folded), as the code checks do: 「Ace」 and 「ACE」 are one brand."""
    if value is None:
        return ""
    try:
        return _brand_key(value)
    except TypeError:
        return _brand_key.__wrapped__(value)


def as_day(value) -> date | None:
    """A date cell as a day: a datetime's date, a date as it is, anything else None."""
    kind = type(value)  # the reader's values first: called for every dated cell of every rule
    if kind is date:
        return value
    if kind is datetime:
        return value.date()
    if value is None or kind is str:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime") and value == value:  # a pandas Timestamp, not NaT
        return value.to_pydatetime().date()
    return None


def in_range(value, start: date, end: date) -> bool:
    day = as_day(value)
    return day is not None and start <= day <= end


def text_of(rec: dict, column: str) -> str:
    """A text cell of a row dict: the reader's string, ``""`` for a blank."""
    value = rec.get(column)
    if value is None:
        return ""
    return value if isinstance(value, str) else norm_text(value)


def status_of(job: dict) -> str:
    return text_of(job, "状态") or DEFAULT_STATUS


# ----------------------------------------------------------------- brands ---
def brand_order(frames) -> list[str]:
    """Brands in the order of the 品牌 sheet, then of the 工作单 register, then of
    any further frames given; names that differ only in case or width are one brand
    (``brand_key``), shown as first written.

    ``frames``: DataFrames (or None) with a 品牌 column, in priority order.
    """
    seen: dict[str, str] = {}
    for frame in frames:
        if frame is None or len(frame) == 0 or "品牌" not in frame.columns:
            continue
        for value in frame["品牌"].tolist():
            key = brand_key(value)
            if key and key not in seen:
                seen[key] = norm_text(value)
    return list(seen.values())


NO_BRAND_NOTE = "未注明品牌"


def meeting_brands(rec: dict, jobs: dict[str, dict], brands: list[str]) -> tuple[list[str], str]:
    """The brands a 会议 row belongs to, and a note when that was not written down.

    1. a 工作号 of the 工作单 register → that job's brand;
    2. else the brands whose name appears in 主题 or 与会人员 (a name inside a
       longer brand name that also appears counts once, for the longer one);
    3. else the workbook's only brand;
    4. else every brand of the workbook, with the note ``未注明品牌``.

    ``jobs``: ``jobno_key`` → job row; ``brands``: the workbook's (``brand_order``).
    """
    job = jobs.get(jobno_key(rec.get("工作号")))
    by_key = {brand_key(b): b for b in brands}
    if job is not None:
        return [by_key.get(brand_key(job.get("品牌")), text_of(job, "品牌"))], ""
    said = brand_key(f"{text_of(rec, '主题')} {text_of(rec, '与会人员')}")
    named = [k for k in by_key if k and k in said]
    named = [k for k in named if not any(k != o and k in o for o in named)]
    if named:
        return [by_key[k] for k in named], ""
    if len(brands) == 1:
        return [brands[0]], ""
    return list(brands), NO_BRAND_NOTE if brands else ""


# ------------------------------------------------------- produced (rule 8) ---
def is_design(work_type: str) -> bool:
    return work_type not in NO_ARTWORK_WORK_TYPES


def needs_qc(work_type: str) -> bool:
    """Whether a delivered job of this type must have gone through QC."""
    return work_type not in NO_ARTWORK_WORK_TYPES


def is_client_confirmation(rec: dict, flows=QC_FLOWS) -> bool:
    """A passed 客户确认 signature of one of ``flows`` (步骤 read by ``normalise_step``)."""
    flow = text_of(rec, "流程")
    if flow not in flows or normalise_step(rec.get("步骤"), flow) != CLIENT_STEP:
        return False
    return text_of(rec, "结果") in PASSED_RESULTS


def client_confirmations(signoffs: list[dict], flows=QC_FLOWS) -> dict[str, list[dict]]:
    """Passed 客户确认 signatures of the QC flows, per job (``jobno_key``), oldest first."""
    out: dict[str, list[dict]] = {}
    for rec in signoffs:
        if is_client_confirmation(rec, flows):
            out.setdefault(jobno_key(rec.get("工作号")), []).append(rec)
    for rows in out.values():
        rows.sort(key=lambda r: (as_day(r.get("日期")) or date.min, r.get("_row") or 0))
    return out


def production_flows(work_type: str) -> tuple[str, ...]:
    """The QC flows whose 客户确认 means the work is produced (出正品), by 工作类型.

    Rulebook 8 (QC): 「最终设计稿及完稿(或确定的打样稿)需得到客户项目负责人的签字确认,
    作品完成」: the client's signature on the final artwork (正稿QC) *or* on the
    confirmed proof (打样QC) completes the work, for print work as for any other
    (a 打样QC one counts for work that is never proofed too). The same rule as
    ``validate.flow.check_delivery_qc`` (a delivered status needs one of them) and
    ``status_as_of`` (a produced job reads 客户确认/已完成): one rule everywhere.
    """
    del work_type  # every kind of work: either flow's client signature
    return QC_FLOWS


def qc_flows(work_type: str) -> tuple[str, ...]:
    """The QC flows a job of this 工作类型 goes through (rulebook 8), in order:
    print work (``schema.PRINT_WORK_TYPES``) is checked as final artwork and as a
    proof (正稿QC, 打样QC); work with no artwork (策略方案, 命名) has none; all
    other work (TVC, radio, online, key visuals …) is never proofed on paper:
    正稿QC only. A blank type shows both."""
    if not work_type:
        return QC_FLOWS
    if not needs_qc(work_type):
        return ()
    return QC_FLOWS if work_type in schema.PRINT_WORK_TYPES else ("正稿QC",)


def production_confirmation(job: dict, confirmed: list[dict], revisions: list[dict]):
    """The client signature that makes ``job`` produced, or None.

    ``confirmed``: the job's passed 客户确认 signatures (``client_confirmations``),
    ``revisions``: its revisions; both already limited to the period's end. A
    revision opened after the last such signature reopens the work. The signature
    returned is the one that *made* the job produced: the first since the last
    revision (a later 打样QC 签收光盘 after a confirmed 正稿 does not produce it again,
    so a monthly summary lists the job once, in the month it was first produced).
    """
    flows = production_flows(text_of(job, "工作类型"))
    reopened = max((as_day(r.get("修改日期")) or date.min for r in revisions), default=date.min)
    signed = [
        s
        for s in confirmed
        if text_of(s, "流程") in flows and (as_day(s.get("日期")) or date.min) >= reopened
    ]
    return signed[0] if signed else None


# ------------------------------------------------- status as of a day ---
CANCELLED = "已取消"
PROPOSAL_MEETINGS = ("提案", "再提案")
_CANCEL_WORDS = ("取消", "撤销", "终止")


@dataclass(frozen=True)
class JobRecords:
    """A job's dated records, each a list of row dicts of its register:
    周进度 entries, 签核 signatures, 修改单 revisions and 会议 rows naming the job."""

    weekly: tuple = ()
    signoffs: tuple = ()
    revisions: tuple = ()
    meetings: tuple = ()


def week_day(week) -> date | None:
    """The day a 周进度 entry of ``week`` (``2026-W45``) speaks for: its Thursday,
    the day that puts an ISO week in a month (the monthly summary's rule)."""
    return _week_day(week if type(week) is str else str(week or ""))


_WEEK = re.compile(r"(\d{4})-W(\d{2})")


@lru_cache(maxsize=1024)  # a register names a few dozen weeks, row after row
def _week_day(text: str) -> date | None:
    match = _WEEK.fullmatch(text)
    if not match:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 4)
    except ValueError:
        return None


def _dated(records: JobRecords) -> list[tuple[date, str, dict]]:
    """(day, kind, row) of every record with a readable date, oldest first."""
    dated = _record_days(records)
    dated.sort(key=_day_and_row)
    return dated


def _record_days(records: JobRecords) -> list[tuple[date, str, dict]]:
    """``_dated`` in the registers' order (not yet sorted)."""
    out = [(week_day(r.get("周次")), "weekly", r) for r in records.weekly]
    out += [(as_day(r.get("日期")), "signoff", r) for r in records.signoffs]
    out += [(as_day(r.get("修改日期")), "revision", r) for r in records.revisions]
    out += [(as_day(r.get("会议时间")), "meeting", r) for r in records.meetings]
    return [t for t in out if t[0] is not None]


def _day_and_row(dated: tuple) -> tuple:
    return dated[0], dated[2].get("_row") or 0


def cancelled_on(job: dict, records: JobRecords) -> date | None:
    """The day a job of status 已取消 was cancelled: the 周进度 entry that says so
    (「取消」「撤销」「终止」 in 本周进展), else its last dated record, else its 开单日期.
    None for a job that is not cancelled."""
    if status_of(job) != CANCELLED:
        return None
    said = [week_day(r.get("周次")) for r in records.weekly]
    said = [
        d
        for d, r in zip(said, records.weekly, strict=True)
        if d and any(w in text_of(r, "本周进展") for w in _CANCEL_WORDS)
    ]
    if said:
        return min(said)
    dated = _dated(records)
    return dated[-1][0] if dated else as_day(job.get("开单日期")) or date.min


def status_as_of(job: dict, records: JobRecords, day: date) -> str | None:
    """The job's 状态 at the end of ``day``, from its dated records; None before it was opened.

    The 工作单's 状态 is today's. When no record of the job is dated after
    ``day`` (and a delivered job's 交付日期 is not after it) that status held
    then too. Otherwise it is derived from what had happened by ``day``:
    cancelled (``cancelled_on``) → 已取消; produced (``production_confirmation``
    over the signatures and revisions up to ``day``) → 客户确认 (已完成 when the
    job is 已完成 today and its 交付日期 has come); else the latest of a
    revision opened (修改中) and a proposal meeting held (已提案); else 进行中.
    """
    opened = as_day(job.get("开单日期"))
    if opened is not None and opened > day:
        return None
    current = status_of(job)
    if current == CANCELLED:
        gone = cancelled_on(job, records)
        if gone is not None and gone <= day:
            return CANCELLED
    dated = _record_days(records)  # sorted (as _dated) only when the past is derived
    delivered = as_day(job.get("交付日期"))
    later = any(t[0] > day for t in dated) or (
        current in DELIVERED_STATUSES and delivered is not None and delivered > day
    )
    if not later and current != CANCELLED:
        return current
    dated.sort(key=_day_and_row)
    upto = [(d, k, r) for d, k, r in dated if d <= day]
    signs = [r for _, k, r in upto if k == "signoff"]
    revs = [r for _, k, r in upto if k == "revision"]
    confirmed = client_confirmations(signs)
    if production_confirmation(job, next(iter(confirmed.values()), []), revs) is not None:
        done = current == "已完成" and delivered is not None and delivered <= day
        return "已完成" if done else "客户确认"
    if current in DELIVERED_STATUSES and not needs_qc(text_of(job, "工作类型")) and not later:
        return current
    for _, kind, rec in reversed(upto):
        if kind == "revision":
            return "修改中"
        if kind == "meeting" and text_of(rec, "会议类型") in PROPOSAL_MEETINGS:
            return "已提案"
    return DEFAULT_STATUS


def cancelled_in(job: dict, records: JobRecords, start: date, end: date) -> bool:
    """Whether the job was cancelled within [start, end]."""
    gone = cancelled_on(job, records)
    return gone is not None and start <= gone <= end
