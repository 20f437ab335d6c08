"""Rules for 周进度, 投放, 效果, 月报备注, 文案 and 节假日."""

from __future__ import annotations

from pathlib import Path

from aexl import schema
from aexl.findings import Finding
from aexl.validate.base import (
    ERROR,
    ROW,
    WARNING,
    Context,
    as_number,
    blank_mask,
    fmt_date,
    is_missing,
    key_values,
    map_unique,
)

WEEKLY, PLACEMENTS, EFFECTS = schema.WEEKLY.sheet, schema.PLACEMENTS.sheet, schema.EFFECTS.sheet
NOTES, COPY, HOLIDAYS = schema.MONTHLY_NOTES.sheet, schema.COPY.sheet, schema.HOLIDAYS.sheet
COPY_TEXT_COLUMNS = ("标题", "正文", "口号")


def _duplicates(ctx: Context, sheet: str, columns: list[str], column: str, code: str, what: str):
    """Warn on rows repeating the key ``columns`` of an earlier row.

    Keys compare as ``key_values`` (text through ``job_key``); a row with a
    blank key cell is never a duplicate. Plain Python: the registers are
    small and DataFrame.duplicated costs more than the loop.
    """
    import numpy as np
    import pandas as pd

    frame = ctx.frame(sheet)
    if frame.empty:
        return
    cells = [ctx.values(sheet, c) for c in columns]
    blank = np.logical_or.reduce([pd.isna(values) for values in cells])  # as is_missing
    keys = zip(*(key_values(values.tolist()) for values in cells), strict=True)
    first: dict[tuple, int] = {}
    for row, key, skip in zip(ctx.values(sheet, ROW).tolist(), keys, blank.tolist(), strict=True):
        if skip:
            continue
        seen = first.setdefault(key, row)
        if seen != row:
            ctx.add(
                sheet, row, column, WARNING, code,
                f"与第 {seen} 行是同一{what}：请合并这两行或删除重复的一行。",
            )  # fmt: skip


def _brand_known(ctx: Context, sheet: str, code: str) -> None:
    """品牌 of the row is registered in the 品牌 sheet (only checked when that sheet has rows)."""
    import numpy as np

    brands = ctx.frame(schema.BRANDS.sheet)
    if brands.empty:
        return
    known = {
        _name(v) for v in ctx.values(schema.BRANDS.sheet, "品牌").tolist() if not is_missing(v)
    }
    names = _brand_names(ctx, sheet).tolist()
    ctx.emit(
        sheet,
        np.array([not is_missing(n) and n not in known for n in names], dtype=bool),
        "品牌",
        WARNING,
        code,
        lambda r: (
            f"品牌「{r['品牌']}」不在「品牌」表中：请核对名称（须与「品牌」表一致）或先登记该品牌。"
        ),
        fields=["品牌"],
    )


def _brand_names(ctx: Context, sheet: str):
    """``_name`` of every 品牌 cell of ``sheet`` (cached per validation)."""
    key = ("brand_names", sheet)
    if key not in ctx.cache:
        ctx.cache[key] = map_unique(ctx.frame(sheet)["品牌"], _name)
    return ctx.cache[key]


def _name(value):
    """Brand names compare by ``rules.brand_key`` (the one brand key); None stays None."""
    from aexl.rules import brand_key

    return brand_key(value) if value is not None else None


# 周进度 -------------------------------------------------------------------------
def check_weekly(ctx: Context) -> None:
    frame = ctx.frame(WEEKLY)
    if frame.empty:
        return
    ctx.required(WEEKLY, ("周次", "工作号", "完成度"))
    ctx.required(WEEKLY, ("本周进展", "负责人"), WARNING)
    ctx.unknown_job(WEEKLY, "工作号", "weekly.unknown_job")
    progress = as_number(frame["完成度"])
    ctx.emit(
        WEEKLY,
        (progress < 0) | (progress > 100),
        "完成度",
        ERROR,
        "weekly.progress_range",
        lambda r: f"完成度应在 0–100 之间（现为 {r['完成度']:g}）：请填写百分数，如 60 或 60%。",
        fields=["完成度"],
    )
    _duplicates(ctx, WEEKLY, ["周次", "工作号"], "工作号", "weekly.duplicate", "周、同一工作号")


# 投放 ---------------------------------------------------------------------------
def check_placements(ctx: Context) -> None:
    import numpy as np

    frame = ctx.frame(PLACEMENTS)
    if frame.empty:
        return
    ctx.required(PLACEMENTS, ("品牌", "广告形式", "投放媒体", "投放日期"))
    ctx.required(PLACEMENTS, ("投放区域", "投放规格", "投放版本", "样稿"), WARNING)
    ctx.unknown_job(PLACEMENTS, "工作号", "placement.unknown_job")
    _brand_known(ctx, PLACEMENTS, "placement.unknown_brand")
    ctx.date_order(
        PLACEMENTS,
        "投放日期",
        "结束日期",
        "placement.end_before_start",
        lambda r: (
            f"结束日期 {fmt_date(r['结束日期'])} 早于投放日期 {fmt_date(r['投放日期'])}：请核对这两个日期。"
        ),
    )
    jobs = ctx.frame(schema.JOBS.sheet)
    if not jobs.empty:
        job_brand = dict(
            zip(
                ctx.keys(schema.JOBS.sheet, "工作号").tolist(),
                _brand_names(ctx, schema.JOBS.sheet).tolist(),
                strict=True,
            )
        )
        their = [job_brand.get(key) for key in ctx.keys(PLACEMENTS, "工作号").tolist()]
        ours = _brand_names(ctx, PLACEMENTS).tolist()
        mismatch = np.array(
            [t is not None and o is not None and t != o for t, o in zip(their, ours, strict=True)],
            dtype=bool,
        )
        ctx.emit(
            PLACEMENTS,
            mismatch,
            "品牌",
            WARNING,
            "placement.brand_mismatch",
            lambda r: (
                f"品牌「{r['品牌']}」与工作号「{r['工作号']}」在「工作单」中的品牌不一致："
                "请核对品牌或工作号。"
            ),
            fields=["品牌", "工作号"],
        )
    _samples(ctx)


def _samples(ctx: Context) -> None:
    """A 样稿 that is a path (not a URL) must lie inside the workbook's folder and exist
    there (``aexl.samples.locate_sample``, the rule the placement list and due list use)."""
    import numpy as np

    from aexl import samples

    column = [None if is_missing(v) else v for v in ctx.values(PLACEMENTS, "样稿").tolist()]
    path = getattr(ctx.wb, "path", None)
    folder = Path(path).parent if path else None
    where = {v: samples.locate_sample(v, folder)[0] for v in set(column) if v is not None}

    def found(state: str):
        return np.array([v is not None and where.get(v) == state for v in column], dtype=bool)

    ctx.emit(
        PLACEMENTS,
        found(samples.OUTSIDE),
        "样稿",
        WARNING,
        "placement.sample_outside",
        lambda r: (
            f"{samples.OUTSIDE_NOTE}：「{r['样稿']}」是绝对路径、含「..」或指向文件夹外的链接，"
            "投放列表不会显示它：请把样稿复制到工作台所在文件夹（如「样稿」子文件夹）"
            "并改写成相对路径，如 样稿/海报.jpg。"
        ),
        fields=["样稿"],
    )
    ctx.emit(
        PLACEMENTS,
        found(samples.MISSING),
        "样稿",
        WARNING,
        "placement.sample_missing",
        lambda r: (
            f"找不到样稿文件「{r['样稿']}」（路径相对于本工作簿所在文件夹）："
            "请把样稿放到该位置，或改成正确的路径或网址。"
        ),
        fields=["样稿"],
    )


# 效果 ---------------------------------------------------------------------------
def check_effects(ctx: Context) -> None:
    frame = ctx.frame(EFFECTS)
    if frame.empty:
        return
    ctx.required(EFFECTS, ("日期", "品牌", "活动", "指标", "数值"))
    ctx.required(EFFECTS, ("单位", "来源"), WARNING)
    _brand_known(ctx, EFFECTS, "effect.unknown_brand")
    target = as_number(frame["目标值"])
    ctx.emit(
        EFFECTS,
        target < 0,
        "目标值",
        WARNING,
        "effect.target_negative",
        lambda r: f"目标值为负数（{r['目标值']:g}）：请核对目标值。",
        fields=["目标值"],
    )
    _duplicates(
        ctx, EFFECTS, ["日期", "品牌", "活动", "指标"], "数值", "effect.duplicate",
        "日期、品牌、活动和指标的记录",
    )  # fmt: skip


# 月报备注 -------------------------------------------------------------------------
def check_notes(ctx: Context) -> None:
    frame = ctx.frame(NOTES)
    if frame.empty:
        return
    ctx.required(NOTES, ("月份", "品牌"))
    _brand_known(ctx, NOTES, "notes.unknown_brand")
    _duplicates(ctx, NOTES, ["月份", "品牌"], "品牌", "notes.duplicate", "月份、同一品牌的备注")


# 文案 -----------------------------------------------------------------------------
def check_copy_sheet(ctx: Context) -> None:
    """QC checklist: every draft carries a slogan (口号) and the LOGO."""
    frame = ctx.frame(COPY)
    if frame.empty:
        return
    ctx.required(COPY, ("工作号",))
    ctx.unknown_job(COPY, "工作号", "copy.unknown_job")
    slogan = frame["口号"]
    ctx.emit(
        COPY,
        ctx.blank(COPY, "口号") | slogan.isin(("无", "没有", "-", "—")),
        "口号",
        WARNING,
        "copy.no_slogan",
        "稿件没有广告口号：QC 须检查是否缺漏必要元素（LOGO、广告口号），请补上口号；"
        "确实不用口号的稿件请与 AD 和客户确认。",
    )
    logo = frame["LOGO"]
    ctx.emit(
        COPY,
        (blank_mask(logo) | (logo == "否")) & ~ctx.bad(COPY, "LOGO"),
        "LOGO",
        WARNING,
        "copy.no_logo",
        "稿件没有确认带 LOGO：QC 须检查是否缺漏 LOGO，请在稿件上加上 LOGO 后把「LOGO」填为「是」。",
    )


def copy_findings(ctx: Context) -> list | None:
    """Advertising-Law findings on the 文案 text cells from ``aexl.copycheck``.

    ``aexl.copycheck.check_frame(df, sheet, text_columns)``'s hits become findings
    (tier ``block`` → error ``copy.adlaw_block``, ``review`` → warning
    ``copy.adlaw_review``).
    """
    frame = ctx.frame(COPY)
    from aexl.copycheck import check_frame

    if frame.empty:
        return []
    return [_as_finding(hit) for hit in check_frame(frame, COPY, list(COPY_TEXT_COLUMNS))]


def _as_finding(hit) -> Finding:
    if isinstance(hit, Finding):
        return hit
    block = getattr(hit, "tier", "") == "block"
    basis = getattr(hit, "basis", "")
    message = hit.message.rstrip("。")
    if basis and "广告法" not in message:
        message += f"（{basis}）"
    return Finding(
        hit.sheet or COPY,
        hit.row,
        hit.column,
        ERROR if block else WARNING,
        "copy.adlaw_block" if block else "copy.adlaw_review",
        message + "。",
    )


# 节假日 ---------------------------------------------------------------------------
def check_holidays(ctx: Context) -> None:
    frame = ctx.frame(HOLIDAYS)
    if frame.empty:
        return
    ctx.required(HOLIDAYS, ("日期", "类型"))
    usable = frame["日期"].notna() & frame["类型"].isin(schema.HOLIDAY_KINDS)
    rows = frame.loc[usable]
    kinds: dict = {}
    for row, day, kind in zip(rows[ROW], rows["日期"], rows["类型"], strict=True):
        seen = kinds.setdefault(day, (kind, row))
        if seen[0] != kind:
            ctx.add(
                HOLIDAYS,
                row,
                "类型",
                ERROR,
                "holiday.conflict",
                f"{fmt_date(day)} 在第 {seen[1]} 行是「{seen[0]}」，这里却是「{kind}」："
                "同一天只能是放假或调休上班之一，请按国务院通知更正。",
            )
        elif seen[1] != row:
            ctx.add(
                HOLIDAYS,
                row,
                "日期",
                WARNING,
                "holiday.duplicate",
                f"{fmt_date(day)} 已在第 {seen[1]} 行登记：请删除重复的一行。",
            )
    _incomplete_years(ctx, rows)


def _incomplete_years(ctx: Context, rows) -> None:
    """``holiday.incomplete``: a year known only from this sheet whose notice looks partial.

    Such a year uses the weekday rule for every date the sheet does not
    list, so a missing holiday silently shifts deadlines. The thresholds are
    ``aexl.workcal.MIN_WEEKDAYS_OFF`` and the 春节 / 国庆 windows there.
    """
    from aexl.workcal import WorkCalendar, sheet_year_gaps

    extra = WorkCalendar.from_holidays(rows).extra
    first_row: dict[int, int] = {}
    for row, day in zip(rows[ROW], rows["日期"], strict=True):
        first_row.setdefault(day.year, row)
    for year in sorted(WorkCalendar(extra).sheet_years):
        gaps = sheet_year_gaps(extra, year)
        if not gaps or year not in first_row:
            continue
        ctx.add(
            HOLIDAYS,
            first_row[year],
            "日期",
            WARNING,
            "holiday.incomplete",
            f"{year} 年只在「节假日」表中登记，但看起来不完整：{'；'.join(gaps)}。"
            f"内置日历没有 {year} 年，表中没有登记的日期一律按周一至周五上班、周末休息计算，"
            f"工作日和期限可能算错：请按国务院办公厅 {year} 年部分节假日安排通知，"
            "逐日补全全部放假日期（类型「放假」）和调休上班日期（类型「调休上班」）。",
        )
