"""「待办」「工作进度表」「签核」 driven through xlwings' remote engine on a copy of the sample."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from excel_payload import ensure_remote_engine  # noqa: E402

xw = ensure_remote_engine()  # xlwings' remote engine, noncommercial licence
from excel_payload import book_payload  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from aexl.excel import planning_handlers as ph  # noqa: E402
from aexl.validate.integrity import CHECK_COLUMN, checksum  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
XINGHE = ROOT / "workbooks" / "sample" / "星河食品_AE工作台.xlsx"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rb") / XINGHE.name
    shutil.copy(XINGHE, path)
    return path


@pytest.fixture(scope="module")
def workbook(sample):
    return load_workbook(sample)


def open_book(workbook, *, sheet: str, selection: str):
    payload = book_payload(workbook, name=XINGHE.name, active_sheet=sheet, selection=selection)
    return xw.Book(json=payload)


def actions(book, func=None):
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def alerts(book) -> list[str]:
    return [a["args"][0] for a in actions(book, "alert")]


def written_to_new_sheet(book, name: str) -> list[list]:
    (added,) = [a for a in actions(book, "addSheet") if a["args"][1] == name]
    position = added["args"][0]
    return next(a for a in actions(book, "setValues") if a["sheet_position"] == position)["values"]


def job_row(workbook, jobno: str) -> int:
    ws = workbook["工作单"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == jobno)


def test_due_list_writes_the_sheet(workbook, monkeypatch):
    monkeypatch.setattr(ph, "now", lambda: dt.datetime(2026, 9, 29, 9, 0))
    book = open_book(workbook, sheet="工作单", selection="A2")
    ph.due_list(book)
    grid = written_to_new_sheet(book, ph.DUE_SHEET)
    assert grid[0][0].startswith("待办：截至 2026-09-29 09:00，到 2026-10-10")
    assert grid[1][:3] == ["时间", "事项", "工作号"]
    saturday = [r for r in grid[2:] if str(r[0]).startswith("2026-10-10 15:00")]
    assert saturday and saturday[0][1] == "发送会议纪要"
    assert "已在「待办」表列出" in alerts(book)[0]


def test_job_schedule_lays_out_the_selected_job(workbook):
    row = job_row(workbook, "XHCQXM2026006")
    book = open_book(workbook, sheet="工作单", selection=f"B{row}")
    ph.job_schedule(book)
    grid = written_to_new_sheet(book, ph.SCHEDULE_SHEET)
    assert grid[0][0] == "星河 · 重庆小面夏日清爽 工作进度表（XHCQXM2026006）"
    days = grid[1][4:]
    assert days[0] == "09-30" and days[-1] == "10-26"
    assert grid[2][4 + days.index("10-10")] == "班" and grid[2][4 + days.index("10-05")] == "休"
    assert [r[0] for r in grid[3:]][-1] == "交付"
    colours = {
        (a["start_row"] + 1, a["start_column"] + 1): a["args"][0]
        for a in actions(book, "setRangeColor")
    }
    bar, off, makeup = ("#" + bytes(c).hex() for c in (ph.BAR_FILL, ph.OFF_FILL, ph.MAKEUP_FILL))
    delivery_row = 3 + len(grid[3:])  # 交付, the last milestone
    assert colours[(delivery_row, 5 + days.index("10-26"))] == bar
    assert colours[(3, 5 + days.index("10-05"))] == off  # 国庆: the whole column
    assert colours[(3, 5 + days.index("10-10"))] == makeup
    assert colours[(5, 5 + days.index("10-10"))] == bar  # 内部创作与审阅 works on the Saturday
    assert "工作进度表" in alerts(book)[0]


def test_sign_off_appends_the_next_step_with_its_code(workbook, monkeypatch):
    when = dt.datetime(2026, 11, 26, 14, 30)
    monkeypatch.setattr(ph, "now", lambda: when)
    monkeypatch.setattr(ph, "user_name", lambda book: "宋可")
    row = job_row(workbook, "XHFBM2026007")
    book = open_book(workbook, sheet="工作单", selection=f"A{row}")
    ph.sign_off(book)
    signoffs = workbook["签核"]
    writes = [
        a
        for a in actions(book, "setValues")
        if a["sheet_position"] == workbook.sheetnames.index("签核")
    ]
    headers = [c.value for c in signoffs[1]]
    assert CHECK_COLUMN in headers  # the sample has the column: no header is written
    assert not any(a["values"] == [[CHECK_COLUMN]] for a in writes)
    (line,) = writes
    assert line["start_row"] + 1 == signoffs.max_row + 1
    values = line["values"][0]
    assert values[:3] == ["XHFBM2026007", "正稿QC", "CD审核"] and values[4] == "宋可"
    code = values[headers.index(CHECK_COLUMN)]
    assert code == checksum("XHFBM2026007", "正稿QC", "CD审核", "宋可", when, "通过")
    assert "CD审核" in alerts(book)[0]


def test_sign_off_adds_the_code_column_to_an_older_workbench(workbook, monkeypatch):
    """A workbench from before the 校验码 column: the handler adds its header first."""
    when = dt.datetime(2026, 11, 26, 14, 30)
    monkeypatch.setattr(ph, "now", lambda: when)
    monkeypatch.setattr(ph, "user_name", lambda book: "宋可")
    signoffs = workbook["签核"]
    column = [c.value for c in signoffs[1]].index(CHECK_COLUMN) + 1
    signoffs.delete_cols(column)
    row = job_row(workbook, "XHFBM2026007")
    book = open_book(workbook, sheet="工作单", selection=f"A{row}")
    ph.sign_off(book)
    writes = [
        a
        for a in actions(book, "setValues")
        if a["sheet_position"] == workbook.sheetnames.index("签核")
    ]
    header = next(a for a in writes if a["values"] == [[CHECK_COLUMN]])
    assert header["start_row"] == 0 and header["start_column"] == signoffs.max_column
    (line,) = [a for a in writes if a is not header]
    assert line["values"][0][-1] == checksum(
        "XHFBM2026007", "正稿QC", "CD审核", "宋可", when, "通过"
    )


def test_sign_off_refuses_with_checks_message(workbook, monkeypatch):
    monkeypatch.setattr(ph, "now", lambda: dt.datetime(2026, 11, 26, 14, 30))
    row = job_row(workbook, "XHCQXM2026008")  # 命名: nothing left to sign
    book = open_book(workbook, sheet="工作单", selection=f"A{row}")
    ph.sign_off(book)
    assert actions(book, "setValues") == []
    assert "都已完成" in alerts(book)[0]
    assert actions(book, "alert")[0]["args"][3] == "critical"


def test_handlers_need_a_job_row(workbook):
    book = open_book(workbook, sheet="品牌", selection="A2")
    ph.job_schedule(book)
    assert "请先在「工作单」表中选中一项工作" in alerts(book)[0]
