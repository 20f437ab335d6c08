"""The short cell path (aexl.workbook.fastsheet) writes exactly what XlsxWriter writes."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time

import numpy
import openpyxl
import pytest
import xlsxwriter

from aexl.workbook import write
from aexl.workbook.fastsheet import FastWorksheet, fast_cells_usable
from aexl.workbook.write import CELL, HEADER, WARN, Book

VALUES = [
    "工作号",
    "文案含 <标签> & \"引号\" 和 'x'",
    "  前后空格  ",
    "=SUM(A1:A3)",  # formula-like text: written as text with a quote prefix
    "第一行\n第二行",
    "\x01控制字符",
    0,
    -3,
    1234567.891,
    1e-9,
    12345678901234567890,
    float("inf"),  # an error cell (#DIV/0!) in XlsxWriter
    float("nan"),  # an error cell (#NUM!)
    numpy.int64(7),
    True,
    None,
    date(2026, 10, 31),
    datetime(2026, 11, 2, 9, 30),
    time(14, 5),
    "https://example.com/样稿/a.png",
    "长" * 20_000,  # long enough that only the cell-by-cell path may judge it
    "超" * 40_000,  # truncated to the cell's cap
]


def _write(path, worksheet_class) -> None:
    """One sheet of every kind of cell a report writes, through ``Book`` / ``Sheet``."""
    book = Book(path, title="t")
    book.wb.set_properties({"created": datetime(2026, 1, 1)})  # docProps/core.xml: fixed
    sheet = book.sheet("全部")
    sheet.ws.__class__ = worksheet_class  # the same object, written by the class under test
    row = sheet.listing("标题", ["副标题"], ["值", "说明"], [[v, "说明"] for v in VALUES])
    for n, value in enumerate(VALUES, start=row + len(VALUES) + 3):
        sheet.put(n, 1, value, CELL, WARN if n % 2 else None)
        sheet.put(n, 2, value)  # no look at all: XlsxWriter's own path
    sheet.merge(row + 40, 1, 3, "合并单元格", HEADER)
    sheet.link(row + 41, 1, "https://example.com/x")
    sheet.ws.write_rich_string(row + 42, 0, "普通", book.fmt(HEADER), "加粗", "结尾")
    sheet.ws.write_formula(row + 43, 0, "=1+1", book.fmt(CELL), 2)
    sheet.ws.set_row(row + 44, 20, book.fmt(WARN))  # a row format for unformatted cells
    sheet.ws.write_string(row + 44, 0, "行格式")
    sheet.ws.set_row(row + 45, 30)  # a row with a height and no cells
    sheet.ws.write_comment(row + 46, 2, "批注")  # a row with only a comment
    sheet.put(row + 47, 1, "稀疏", CELL)  # a wide, sparse row
    sheet.put(row + 47, 40, 3.5, CELL)
    sheet.put(row + 48, 1, "前", CELL)  # plain cells around a rich string and a formula
    sheet.ws.write_rich_string(row + 47, 1, "富", book.fmt(HEADER), "文本")
    sheet.ws.write_formula(row + 47, 2, "=A1", book.fmt(CELL), "")
    sheet.put(row + 48, 4, date(2026, 1, 2), CELL)
    sheet.table(row + 50, ["末列"], [["在表内", 1, "在表外"], [2.5]], first_col=16_384)
    sheet.table(row + 53, ["长短不一"], [["一"], ["二", 3, None, "四"], []])
    narrow = book.sheet("窄")  # its extent comes from the rows' own cells only
    narrow.ws.__class__ = worksheet_class
    narrow.table(3, ["一"], [["a", 1, "b", 2.0], ["c"]], first_col=2)
    book.save()


@pytest.mark.skipif(not fast_cells_usable(), reason="this XlsxWriter has other cell types")
def test_same_package_bytes(tmp_path):
    fast, plain = tmp_path / "fast.xlsx", tmp_path / "plain.xlsx"
    _write(fast, FastWorksheet)
    _write(plain, xlsxwriter.worksheet.Worksheet)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(plain) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    # and the file reads back as written
    ws = openpyxl.load_workbook(fast)["全部"]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "=SUM(A1:A3)" in texts and "文案含 <标签> & \"引号\" 和 'x'" in texts


def test_book_uses_it(tmp_path):
    book = Book(tmp_path / "a.xlsx")
    sheet = book.sheet("a")
    assert isinstance(sheet.ws, FastWorksheet) == fast_cells_usable()
    assert write._worksheet_class() in (FastWorksheet, None)
