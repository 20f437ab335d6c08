"""校验结果: one reader-facing findings table, written and read back."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from aexl.findings import ERROR, WARNING, Finding
from aexl.reports.findings_sheet import (
    CODE_COL,
    HEADERS,
    NO_PROBLEMS,
    findings_grid,
    split_message,
    write_findings,
)
from aexl.reports.layout import text_height

LONG = (
    "会议纪要在会后 1 个工作日内未发送（会议时间 2026-10-12 10:00，应于 2026-10-13 10:00 前发送，"
    "实际 2026-10-16 18:00），请尽快发送并在「纪要发送时间」填写实际发送时间，发送前请主管审阅"
)


@pytest.mark.parametrize(
    ("message", "problem", "fix"),
    [
        ("缺少品牌，请填写品牌", "缺少品牌。", "请填写品牌"),
        (
            "结束日期早于投放日期：请核对这两个日期。",
            "结束日期早于投放日期。",
            "请核对这两个日期。",
        ),
        ("预算不是数字；应写成 12000", "预算不是数字。", "应写成 12000"),
        ("工作号重复", "工作号重复", ""),
        ("请填写状态", "请填写状态", ""),  # a message that is only the fix stays whole
    ],
)
def test_message_split_into_problem_and_fix(message, problem, fix):
    assert split_message(message) == (problem, fix)


FINDINGS = [
    Finding("会议", 5, "纪要发送时间", WARNING, "minutes.unsigned", LONG),
    Finding("工作单", 3, "品牌", ERROR, "job.required", "缺少品牌，请填写品牌"),
    Finding("投放", 7, "样稿", WARNING, "placement.sample_missing", "=SUM(A1) 不是文件"),
]


def test_written_sheet_prints_whole_messages_and_hides_codes(tmp_path):
    path = write_findings(FINDINGS, tmp_path / "校验结果.xlsx", client="星河", source="b.xlsx", month="2026-10")  # fmt: skip
    ws = load_workbook(path).active
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "工作表")
    assert [ws.cell(top, c).value for c in range(1, 8)] == HEADERS
    assert ws.column_dimensions["G"].hidden  # codes kept, not shown or printed
    assert ws.print_title_rows == f"${top}:${top}"
    assert ws.print_area.endswith(f"$F${top + 3}")
    first = top + 2  # the error is listed first (test_errors_first_then_warnings)
    assert ws.cell(first, 5).value.startswith("会议纪要在会后") and "请" not in ws.cell(first, 5).value  # fmt: skip
    assert ws.cell(first, 6).value.startswith("请尽快发送")
    assert ws.cell(first, CODE_COL).value == "minutes.unsigned"
    # a row as tall as its wrapped text (LibreOffice/WPS never grow it themselves)
    need = text_height(ws.cell(first, 5).value, ws.column_dimensions["E"].width)
    assert ws.row_dimensions[first].height >= need - 0.75 and need > 30
    assert ws.cell(first, 5).alignment.wrap_text
    assert ws.cell(top + 1, 4).value == "错误" and ws.cell(top + 1, 4).font.b
    assert not ws.cell(first, 4).font.b
    assert ws.cell(first + 1, 5).data_type == "s"  # 「=SUM…」 stays text
    assert "错误 1 个，警告 2 个" in " ".join(str(ws.cell(r, 1).value) for r in range(1, top))


def test_no_findings_say_so_in_every_form(tmp_path):
    ws = load_workbook(write_findings([], tmp_path / "x.xlsx", client="", source="b.xlsx", month="")).active  # fmt: skip
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert NO_PROBLEMS in values
    grid = findings_grid([])
    assert grid.rows[0] == HEADERS and NO_PROBLEMS in grid.rows[1]


def test_grid_for_the_ribbon_has_heights_for_wrapped_rows():
    grid = findings_grid(FINDINGS)
    assert len(grid.rows) == len(grid.heights) == 4 and grid.hidden == (CODE_COL,)
    assert grid.heights[2] and grid.heights[2] > 30 and grid.heights[1] is None
    assert (grid.errors, grid.warnings) == (1, 2)


MIXED = [
    Finding("会议", 9, "纪要发送时间", WARNING, "minutes.late", "纪要晚发"),
    Finding("工作单", 4, "品牌", ERROR, "job.required", "缺少品牌，请填写品牌"),
    Finding("投放", 2, "样稿", WARNING, "placement.sample_missing", "缺少样稿，请上传"),
    Finding("修改单", 3, "原工作号", ERROR, "revision.unknown_job", "原工作号不存在"),
    Finding("签核", 8, "步骤", WARNING, "signoff.order", "顺序不对"),
]


def test_errors_first_then_warnings(tmp_path):
    """Errors, then warnings, each in the checks' own order: in the written workbook (row
    by row, with the bold 级别 on the error rows only) and in the ribbon's grid."""
    path = write_findings(MIXED, tmp_path / "校验结果.xlsx", client="", source="b.xlsx", month="")
    ws = load_workbook(path).active
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "工作表")
    listed = [
        (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 4).value, bool(ws.cell(r, 4).font.b))
        for r in range(top + 1, top + 1 + len(MIXED))
    ]
    assert listed == [
        ("工作单", 4, "错误", True),
        ("修改单", 3, "错误", True),
        ("会议", 9, "警告", False),
        ("投放", 2, "警告", False),
        ("签核", 8, "警告", False),
    ]
    grid = findings_grid(MIXED)
    assert [r[0] for r in grid.rows[1:]] == ["工作单", "修改单", "会议", "投放", "签核"]
    assert [f.sheet for f in grid.findings] == [r[0] for r in grid.rows[1:]]
