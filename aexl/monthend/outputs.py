"""The per-brand month-end outputs, one producer per report kind of the registry.

Month-end writes every report whose registry entry has ``month_end`` set
(``aexl.reports.registry``): ``True`` means "build with ``data`` for the
brand and write each report with ``write``" (``generic``); a
``"module:function"`` names a producer of its own, called as
``produce(book, brand)`` with a ``MonthBook`` and returning the files it
wrote into ``book.stage``. The producers for the 投放列表 and the
效果追踪图表 (whose commands have no generic builder) are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aexl.filenames import safe_filename
from aexl.period import Period


@dataclass
class MonthBook:
    """One workbench's month, as every producer reads it."""

    regs: object  # the month's rows, prepared (aexl.reports.registers.prepare)
    month: Period
    calendar: object
    stage: Path  # where the files go
    source: str  # the workbench's file name (shown in the reports)
    folder: Path  # the workbench's folder (sample paths are relative to it)
    png: bool = False

    def target(self, name: str) -> Path:
        """``name`` in the staging folder, shortened safely when too long (brand names can be)."""
        return self.stage / safe_filename(name)


def month_end_reports() -> list:
    """The registry's reports that month-end writes, in registry order."""
    from aexl.reports.registry import reports

    return [r for r in reports() if r.month_end]


def producer(report):
    """The ``produce(book, brand) -> [paths]`` of a registry entry."""
    from aexl.reports.registry import load

    if isinstance(report.month_end, str):
        return load(report.month_end)

    def produce(book: MonthBook, brand: str) -> list[Path]:
        return generic(report, book, brand)

    return produce


def generic(report, book: MonthBook, brand: str) -> list[Path]:
    """``report.data`` for this brand, each non-empty report written with ``report.write``."""
    built = report.builder()(book.regs, book.month, book.calendar, brands=[brand])
    written = []
    for one in built:
        if getattr(one, "is_empty", False):
            continue
        if hasattr(one, "source"):
            one.source = book.source
        written.append(report.writer()(one, book.target(one.filename)))
    return written


def placement_list(book: MonthBook, brand: str) -> list[Path]:
    """The brand's 投放列表 of the month (none without placements)."""
    from aexl import schema
    from aexl.reports.placements import REPORT_KIND, brand_placements, report_date
    from aexl.workbook.write import report_name

    start, end = book.month.start, book.month.end
    mine = book.regs.brand_rows(schema.PLACEMENTS.sheet, brand)  # by brand_key, in order
    rows = brand_placements(mine, start, end, book.folder)
    if not rows:
        return []
    from aexl.reports.placements import write_placement_list

    target = book.target(report_name(report_date(start, end, weekly=False), brand, REPORT_KIND))
    write_placement_list(rows, brand, book.month.label, target, source=book.source)
    return [target]


def effect_charts(book: MonthBook, brand: str) -> list[Path]:
    """The brand's 效果追踪图表 workbook of the month, and its PNGs when asked."""
    from aexl import schema
    from aexl.reports.charts import SHEET_TITLE, png_name, specs_from_records, write_chart_workbook
    from aexl.workbook.write import report_name

    start, end = book.month.start, book.month.end
    mine = book.regs.brand_rows(schema.EFFECTS.sheet, brand)  # chart_specs' rows, grouped once
    specs = specs_from_records(mine, brand, start, end)
    if not specs:
        return []
    target = book.target(report_name(end, brand, SHEET_TITLE))
    write_chart_workbook(
        specs, target, brand=brand, period_label=book.month.label, source=book.source
    )
    written = [target]
    if book.png:
        written += _pngs(book, specs, [png_name(end, spec) for spec in specs])
    return written


def _pngs(book: MonthBook, specs: list, names: list[str]) -> list[Path]:
    from aexl.reports.charts import render_pngs
    from aexl.workbook.write import atomic_write_bytes

    written = []
    for name, data in zip(names, render_pngs(specs, workers=1), strict=True):
        target = book.target(name)
        if target.exists():  # two charts whose names differ only in forbidden characters
            target = target.with_name(f"{target.stem}_{len(written) + 1}.png")
        written.append(atomic_write_bytes(data, target))
    return written
