"""What the report commands share: the period flags, reading the workbench, writing
each report and saying what was written. Commands, not core: the reports
(``aexl.reports``) know nothing of flags or of printing paths."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from aexl import schema
from aexl.cli import print_paths
from aexl.errors import AexlError, UsageError
from aexl.period import Period
from aexl.reports.registers import prepare
from aexl.rules import brand_key

log = logging.getLogger("aexl")


def period_arg(kind: str, value, flag: str) -> Period:
    """``Period.of(kind, value)``; its error names the flag: ``--month 月份写法有误：…``."""
    try:
        return Period.of(kind, value)
    except AexlError as exc:
        raise UsageError(f"{flag} {exc.message}") from None


def load_book(path):
    """Read a workbench for a report command; unreadable cells are logged, not fatal."""
    from aexl.workbook.read import read_workbench

    wb = read_workbench(path, need=(schema.JOBS.sheet,))
    if wb.findings:
        log.warning(
            "注意：%s 中有 %d 个单元格无法读取，已按空白处理（用 aexl check --book %s 查看）",
            wb.name,
            len(wb.findings),
            path,
        )
    return wb


def log_findings(book, findings, outcome: str, sheet: str | None = None) -> None:
    """One warning per unreadable cell of ``book`` (of ``sheet`` only, when given)."""
    for finding in findings:
        if sheet is None or finding.sheet == sheet:
            log.warning(
                "%s：工作表「%s」第 %s 行「%s」：%s（%s）",
                book.name,
                finding.sheet,
                finding.row,
                finding.column,
                finding.message,
                outcome,
            )


def run_brand_reports(args, period, build, writer, nothing: str) -> int:
    """A report command: read ``--book``, ``build(wb, period, brands=…)``, write each report.

    ``nothing`` is logged when no brand has anything for the period.
    """
    wb = load_book(args.book)
    reports = build(wb, period, brands=check_brands(wb, getattr(args, "brand", None)))
    if not reports:
        log.warning(nothing)
    write_each(reports, writer, args.out)
    return 0


def check_brands(source, brands) -> list[str] | None:
    """The ``--brand`` values, each checked against the workbench's brands."""
    if not brands:
        return None
    known = prepare(source).brands
    keys = {brand_key(b): b for b in known}
    for brand in brands:
        if brand_key(brand) not in keys:
            raise UsageError(
                f"工作簿中没有品牌「{brand}」（已有：{'、'.join(known) or '无'}），请检查 --brand"
            )
    return list(dict.fromkeys(keys[brand_key(b)] for b in brands))


def write_each(reports, writer, out_dir) -> list:
    """Write every report into ``out_dir`` under its own (safe) file name, all or nothing:
    each is written into a staging folder first, then moved into place (a report someone
    edited is kept, see ``aexl.workbook.write.claim``); an OS error half-way (disk full)
    takes back what was moved and says so in one line. Prints each path."""
    import shutil

    from aexl.filenames import safe_filename
    from aexl.monthend.publish import Publication, os_problem, stage_dir

    out_dir = Path(out_dir)
    stage, seen = stage_dir(out_dir), set()
    done = Publication(out_dir)
    try:
        staged = []
        for report in reports:
            notes = getattr(report, "notes", None)
            for note in notes if isinstance(notes, list) else []:
                if note not in seen:
                    seen.add(note)
                    log.warning("注意：%s", note)
            staged.append(writer(report, stage / safe_filename(report.filename)))
        paths = [done.put(Path(p), Path(p).name)[0] for p in staged]
    except OSError as exc:
        done.roll_back()
        where = Path(exc.filename).name if exc.filename else out_dir
        raise AexlError(
            f"写出报告时出错（{os_problem(exc)}：{where}），本次没有写出任何报告，"
            f"输出文件夹「{out_dir}」保持原样；请处理后重新运行"
        ) from None
    finally:
        done.close()
        shutil.rmtree(stage, ignore_errors=True)
    print_paths(paths)
    return paths


def write_chart_reports(
    book: str | Path,
    *,
    month: Period | None = None,
    out_dir: str | Path = ".",
    png: bool = False,
    workers: int = 2,
) -> list[Path]:
    """``aexl charts``: per brand a 效果追踪图表 workbook (and PNGs); the written paths.

    With ``month`` only that month's rows and the file is dated the month's
    last day; without it every row, dated and titled by the brand's figures' real span.
    """
    from aexl.reports.charts import (
        SHEET_TITLE,
        data_span,
        png_name,
        render_pngs,
        span_label,
        specs_by_brand,
        write_chart_workbook,
    )
    from aexl.workbook.read import read_workbench
    from aexl.workbook.write import atomic_write_bytes, report_name

    start, end = (month.start, month.end) if month else (None, None)
    book = Path(book)
    wb = read_workbench(book, need=(schema.EFFECTS.sheet,), sheets=(schema.EFFECTS.sheet,))
    log_findings(book, wb.findings, "该值未画入图表")
    frame = wb.frame(schema.EFFECTS.sheet)
    day = end or date.today()
    label = month.label if month else "全部日期"
    per_brand = specs_by_brand(frame, start, end)
    if not per_brand:
        log.warning("%s：%s 没有效果数据（日期、数值或目标值），未生成图表", book.name, label)
    out_dir = Path(out_dir)
    written: list[Path] = []
    pending: list[tuple[Path, object]] = []
    for brand, specs in per_brand.items():
        if month is None:  # every row: the brand's figures say which period this is
            day, label = data_span(specs)[1], span_label(specs)
        path = out_dir / report_name(day, brand, SHEET_TITLE)
        written.append(
            write_chart_workbook(specs, path, brand=brand, period_label=label, source=book.name)
        )
        if png:
            used: set[str] = set()
            for spec in specs:
                name = png_name(day, spec)
                stem, n = name[: -len(".png")], 2
                while name in used:  # two names that differ only in forbidden characters
                    name, n = f"{stem}_{n}.png", n + 1
                used.add(name)
                pending.append((out_dir / name, spec))
    if pending:
        images = render_pngs([spec for _, spec in pending], workers=workers)
        for (path, _), data in zip(pending, images, strict=True):
            written.append(atomic_write_bytes(data, path))
    return written


def write_placement_lists(
    book: str | Path, period: Period, out_dir: str | Path = "."
) -> list[Path]:
    """``aexl placements``: one 投放列表 per brand with placements in ``period`` (a week or
    a month); the written paths."""
    from aexl.reports.placements import (
        MISSING,
        REPORT_KIND,
        placement_lists,
        report_date,
        write_placement_list,
    )
    from aexl.workbook.read import read_workbench
    from aexl.workbook.write import report_name

    label, start, end, weekly = period.label, period.start, period.end, period.kind == "week"
    book = Path(book)
    wb = read_workbench(
        book, need=(schema.PLACEMENTS.sheet,), sheets=(schema.PLACEMENTS.sheet, "节假日")
    )
    log_findings(book, wb.findings, "该行未列入", sheet=schema.PLACEMENTS.sheet)
    frame = wb.frame(schema.PLACEMENTS.sheet)
    # a week's list is dated by the working-day calendar (the 节假日 sheet included);
    # a year it does not know is the user's to add, not a weekday to guess
    day = report_date(start, end, weekly=weekly, calendar=wb.calendar() if weekly else None)
    lists = placement_lists(frame, start, end, book.parent)
    if not lists:
        log.warning("%s：%s 没有投放记录（按「投放日期」），未生成投放列表", book.name, label)
    written = []
    for brand, rows in lists.items():
        for row in rows:
            if row.sample_kind == MISSING:
                log.warning(
                    "%s：工作表「投放」第 %s 行（%s）样稿文件缺失：%s",
                    book.name,
                    row.source_row,
                    brand,
                    row.sample_path,
                )
        path = Path(out_dir) / report_name(day, brand, REPORT_KIND)
        written.append(write_placement_list(rows, brand, label, path, source=book.name))
    return written
