from datetime import date

import openpyxl
import pytest

from aexl import schema
from aexl.errors import InputFileError, SheetError
from aexl.workbook.read import parse_register, read_workbench


def write_book(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def revisions_rows():
    # Columns shuffled, an extra column, a blank row in the middle, odd spacing.
    header = [
        "修改日期",
        " 原工作号 ",
        "修改序号",
        "备忘",
        "修改内容",
        "意见来源",
        "交付日期",
        "执行人员",
    ]
    return [
        header,
        ["2026/3/2", "XHSP2026001", "１", "keep me", "改标题", "客户", "2026年3月5日", "王"],
        [None, None, None, None, None, None, None, None],
        [date(2026, 3, 9), "XHSP2026001", 2, None, "换图", "提案会", "2026-03-12", "王"],
        ["下周", "XHSP2026002", "two", None, "改色", "客户", None, "李"],
    ]


def test_reads_any_column_order_skips_blank_rows_keeps_extras(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows()})
    wb = read_workbench(path)
    frame = wb.frame("修改单")
    assert list(frame["_row"]) == [2, 4, 5]
    assert frame["修改日期"].tolist() == [date(2026, 3, 2), date(2026, 3, 9), None]
    assert frame["修改序号"].tolist() == [1, 2, None]
    assert frame["交付日期"].tolist()[:2] == [date(2026, 3, 5), date(2026, 3, 12)]
    assert frame["备忘"].tolist()[0] == "keep me"


def test_unreadable_cells_become_findings_naming_row_and_column(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows()})
    wb = read_workbench(path)
    where = {(f.sheet, f.row, f.column) for f in wb.findings}
    assert where == {("修改单", 5, "修改日期"), ("修改单", 5, "修改序号")}
    assert all(f.severity == "error" and f.message for f in wb.findings)
    assert ("修改单", 5, "修改序号") in wb.bad_cells


def test_absent_register_gives_empty_frame_with_contract_columns(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows()})
    wb = read_workbench(path)
    assert not wb.has_sheet("工作单")
    frame = wb.frame("工作单")
    assert frame.empty
    assert set(schema.JOBS.headers) <= set(frame.columns)


def test_sheet_names_are_normalised(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {" 修改单 ": revisions_rows()})
    assert read_workbench(path).has_sheet("修改单")


@pytest.mark.parametrize(
    "setup, error, text",
    [
        ("missing", InputFileError, "找不到"),
        ("text", InputFileError, "无法读取"),
        ("csv", InputFileError, "不是 Excel"),
        ("dir", InputFileError, "文件夹"),
    ],
)
def test_bad_files_raise_chinese_errors(tmp_path, setup, error, text):
    path = tmp_path / "wb.xlsx"
    if setup == "text":
        path.write_text("not a workbook")
    elif setup == "csv":
        path = tmp_path / "wb.csv"
        path.write_text("a,b")
    elif setup == "dir":
        path = tmp_path / "folder.xlsx"
        path.mkdir()
    with pytest.raises(error) as info:
        read_workbench(path)
    assert text in str(info.value)
    assert path.name in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_needed_sheet_and_missing_header(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": [["原工作号", "修改序号"]]})
    with pytest.raises(SheetError, match="缺少工作表「工作单」"):
        read_workbench(path, need=("工作单",))
    with pytest.raises(SheetError) as info:
        read_workbench(path)
    message = str(info.value)
    assert "修改单" in message and "修改日期" in message and "第 1 行" in message


def test_parse_register_from_live_values():
    rows = [schema.WEEKLY.headers, ["2026-w47", "XHSP2026001", "创意", "出稿", "60%", "", "", "王"]]
    frame, findings, _ = parse_register(schema.WEEKLY, rows)
    assert findings == []
    assert frame.loc[0, "周次"] == "2026-W47"
    assert frame.loc[0, "完成度"] == 60.0
    assert frame.loc[0, "财务情况"] is None


def test_whitespace_only_rows_count_as_blank(tmp_path):
    rows = revisions_rows()[:2] + [["  ", "\u3000", None, None, None, None, None, None]]
    path = write_book(tmp_path / "wb.xlsx", {"修改单": rows})
    assert list(read_workbench(path).frame("修改单")["_row"]) == [2]


def test_an_empty_sheet_counts_as_absent_unless_needed(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows(), "节假日": []})
    assert not read_workbench(path).has_sheet("节假日")
    with pytest.raises(SheetError, match="表头"):
        read_workbench(path, need=("节假日",))
