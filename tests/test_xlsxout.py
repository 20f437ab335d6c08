from datetime import date, datetime

import openpyxl
import pytest

from aexl import xlsxout


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A3)", "+86 138 0000 0000", "-1", "@cmd", '=HYPERLINK("x")']
)
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, text):
    wb = openpyxl.Workbook()
    xlsxout.put(wb.active, 1, 1, text)
    path = xlsxout.atomic_save(wb, tmp_path / "out.xlsx")
    cell = openpyxl.load_workbook(path).active["A1"]
    assert cell.value == text
    assert cell.data_type in ("s", "inlineStr")


def test_dates_get_formats(tmp_path):
    wb = openpyxl.Workbook()
    xlsxout.put(wb.active, 1, 1, date(2026, 11, 26))
    xlsxout.put(wb.active, 1, 2, datetime(2026, 11, 26, 14, 30))
    path = xlsxout.atomic_save(wb, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].number_format == xlsxout.DATE_FORMAT
    assert ws["B1"].number_format == xlsxout.DATETIME_FORMAT


def test_atomic_save_leaves_no_temp_file_and_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")

    class Broken:
        def save(self, name):
            with open(name, "wb") as fh:
                fh.write(b"half")
            raise OSError("disk full")

    with pytest.raises(OSError):
        xlsxout.atomic_save(Broken(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


@pytest.mark.parametrize(
    "subject, kind, expected",
    [
        ("美的", "月度工作总结", "20261110_美的_月度工作总结.xlsx"),
        ("星河/食品", "投放列表", "20261110_星河食品_投放列表.xlsx"),
        ("A: B?", "周报", "20261110_AB_周报.xlsx"),
    ],
)
def test_report_name_follows_the_rulebook(subject, kind, expected):
    assert xlsxout.report_name(date(2026, 11, 10), subject, kind) == expected


def test_table_and_print_setup(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    row = xlsxout.title_block(ws, "每周工作进度表", ["品牌：星河"], width=3)
    end = xlsxout.table(ws, row, ["工作号", "进展", "完成度"], [["X1", "出稿", 60]], {2: "0"})
    xlsxout.print_setup(ws)
    path = xlsxout.atomic_save(wb, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "每周工作进度表" and "A1:C1" in ws.merged_cells
    assert ws.cell(row, 1).value == "工作号" and ws.cell(row, 1).font.b
    assert ws.cell(row + 1, 3).value == 60
    assert end == row + 3
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_written_files_get_normal_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        path = xlsxout.atomic_write_bytes(b"x", tmp_path / "a.png")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644
