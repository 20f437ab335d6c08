"""The ledger and workbenches: seeding from a folder of them, exporting to .xlsx.

``import_books`` reads the 工作单 of every workbench in a folder (with the
same reader as ``aexl check``) and its in-workbench ledger (``_工作号台账``:
numbers whose rows were deleted), raises each prefix's highest serial in the
ledger to the highest found (one transaction: all or nothing) and reports
every number found in more than one row, and every value that is not a job
number: nothing is passed over in silence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from aexl.errors import AexlError, JobNumberError, UsageError
from aexl.ledger.base import STATUS_TEXT

JOBS_SHEET, NUMBER_COLUMN = "工作单", "工作号"
BOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class ImportReport:
    """What ``import_books`` read, seeded and found."""

    books: list[Path] = field(default_factory=list)
    seeded: list[tuple[str, int, int]] = field(default_factory=list)  # prefix, in books, after
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # number -> places
    problems: list[str] = field(default_factory=list)  # one Chinese line each
    skipped: list[Path] = field(default_factory=list)  # workbooks without a 工作单 (reports)

    @property
    def ok(self) -> bool:
        return not self.duplicates and not self.problems

    def lines(self) -> list[str]:
        out = [f"读取了 {len(self.books)} 个工作台，{len(self.seeded)} 个前缀已写入台账。"]
        for prefix, found, after in self.seeded:
            note = "" if after == found else f"（台账原有更大的号，保持 {after:03d}）"
            out.append(f"  {prefix}：工作台最大号 {found:03d}，下一个 {after + 1:03d}{note}")
        for number, places in self.duplicates.items():
            out.append(f"重复：工作号 {number} 用了 {len(places)} 次：{'；'.join(places)}")
        out.extend(f"未读取：{line}" for line in self.problems)
        out.extend(f"跳过：{p.name}（没有「工作单」表，不是工作台）" for p in self.skipped)
        return out


def find_books(folder: str | Path) -> list[Path]:
    """The .xlsx/.xlsm files directly in ``folder`` (Excel's ``~$`` owner files left out)."""
    folder = Path(folder)
    if not folder.exists():
        raise UsageError(f"找不到文件夹「{folder}」，请检查 --in 的路径")
    if not folder.is_dir():
        raise UsageError(f"「{folder}」不是文件夹，--in 应指定工作台所在的文件夹")
    return sorted(
        (
            p
            for p in folder.iterdir()
            if p.suffix.lower() in BOOK_SUFFIXES
            and not p.name.startswith(("~$", "."))
            and p.is_file()
        ),
        key=lambda p: p.name,
    )


def _book_numbers(path: Path, report: ImportReport) -> list[tuple[str, int]]:
    """(number as typed, Excel row) of every non-blank 工作号 in the book's 工作单."""
    from aexl.values import is_blank
    from aexl.workbook.read import ROW_COLUMN, read_workbench

    try:
        bench = read_workbench(path, sheets=(JOBS_SHEET,))
    except AexlError as exc:
        report.problems.append(str(exc))
        return []
    if not bench.has_sheet(JOBS_SHEET):
        report.skipped.append(path)
        return []
    for finding in bench.findings:
        if finding.column == NUMBER_COLUMN:
            where = AexlError(
                finding.message, file=path, sheet=finding.sheet, row=finding.row,
                column=finding.column,
            )  # fmt: skip
            report.problems.append(str(where))
    frame = bench.frame(JOBS_SHEET)
    report.books.append(path)
    return [
        (value, int(row))
        for value, row in zip(frame[NUMBER_COLUMN], frame[ROW_COLUMN], strict=True)
        if not is_blank(value)
    ]


def _ledger_numbers(path: Path, report: ImportReport) -> list[tuple[str, int]]:
    """(number, Excel row) of every entry in the book's in-workbench ledger (``_工作号台账``).

    It holds numbers whose 工作单 rows were deleted: they count as used too.
    """
    from aexl.jobno import read_ledger

    try:
        return [(e.jobno, e.row) for e in read_ledger(path)]
    except AexlError as exc:
        report.problems.append(str(exc))
        return []


def import_books(ledger, folder: str | Path) -> ImportReport:
    """Seed every prefix from the workbenches directly in ``folder``; report duplicates.

    Each workbench's 工作单 rows and its in-workbench ledger are read; a ledger
    entry for a number the same workbench has a row for is the same issue,
    not a duplicate.
    """
    from aexl.jobno import LEDGER_SHEET, parse_jobno

    report = ImportReport()
    places: dict[str, list[str]] = defaultdict(list)
    highest: dict[tuple[str, int], int] = {}
    for path in find_books(folder):
        found = [(v, r, JOBS_SHEET, NUMBER_COLUMN) for v, r in _book_numbers(path, report)]
        if path in report.books:
            found += [(v, r, LEDGER_SHEET, "工作号") for v, r in _ledger_numbers(path, report)]
        in_rows: set[str] = set()
        for value, row, sheet, column in found:
            try:
                parsed = parse_jobno(value)
            except JobNumberError as exc:
                where = JobNumberError(exc.message, file=path, sheet=sheet, row=row, column=column)
                report.problems.append(str(where))
                continue
            if sheet == JOBS_SHEET:
                in_rows.add(parsed.text)
                places[parsed.text].append(f"{path.name} 第 {row} 行")
            elif parsed.text not in in_rows:  # its row was deleted: still used, once
                in_rows.add(parsed.text)
                places[parsed.text].append(f"{path.name} 工作号台账第 {row} 行（工作单中已删除）")
            key = (parsed.prefix, parsed.year)
            highest[key] = max(highest.get(key, 0), parsed.serial)
    report.duplicates = {n: p for n, p in sorted(places.items()) if len(p) > 1}
    items = [(codes, year, top) for (codes, year), top in sorted(highest.items())]
    after = ledger._seed_many(items) if items else []
    report.seeded = [
        (f"{codes}{year}", top, now) for (codes, year, top), now in zip(items, after, strict=True)
    ]
    return report


ENTRY_HEADERS = [
    "工作号", "状态", "品牌", "产品线", "品牌代码", "产品线代码", "年份", "号码",
    "工作台", "开号人", "开号时间", "作废原因", "作废时间",
]  # fmt: skip
COUNTER_HEADERS = ["前缀", "代码", "年份", "已用最大号", "下一个号码"]


def local_time(value: datetime | None) -> datetime | None:
    """An aware time as this computer's wall-clock time (Excel has no time zones)."""
    if value is None:
        return None
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def export_xlsx(ledger, path: str | Path) -> Path:
    """Every recorded number and every prefix's highest serial, as an .xlsx report."""
    from aexl.workbook.write import DATETIME_FORMAT, Book

    entries, counters = ledger.list(), ledger.counters()  # read all before writing anything
    rows = [
        [
            e.number, STATUS_TEXT.get(e.status, e.status), e.brand, e.line, e.brand_code,
            e.line_code, e.year, e.serial, e.workbench, e.user, local_time(e.issued_at),
            e.void_reason, local_time(e.voided_at),
        ]
        for e in entries
    ]  # fmt: skip
    voided = sum(e.status != "issued" for e in entries)
    stamp = f"导出时间 {datetime.now():%Y-%m-%d %H:%M}，来源 {ledger.url}"
    book = Book(path, title="工作号台账", subject="工作号台账导出", description=ledger.url)
    sheet = book.sheet("工作号台账")
    sheet.set_widths([15, 8, 12, 12, 9, 9, 7, 7, 24, 10, 17, 24, 17])
    sheet.listing(
        "工作号台账",
        [stamp, f"共 {len(entries)} 个工作号，其中已作废 {voided} 个；作废的号码不会再发出。"],
        ENTRY_HEADERS,
        rows,
        formats={10: DATETIME_FORMAT, 12: DATETIME_FORMAT},
    )
    sheet = book.sheet("各前缀最大号")
    sheet.set_widths([14, 12, 8, 12, 14])
    sheet.listing(
        "各前缀已用的最大号",
        [stamp, "下一个工作号从「下一个号码」开始（含从工作台导入的号码）。"],
        COUNTER_HEADERS,
        [
            [c.prefix, c.codes, c.year, c.highest, f"{c.prefix}{c.highest + 1:03d}"]
            for c in counters
        ],
    )
    return book.save()
