"""Printable 项目工作单: brief fields, revisions, the 工作单确认 chain with a refused round, the CLI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportbook import find, merged, run_cli, sha256, write_reportbook

from aexl.errors import UsageError
from aexl.reports.jobsheet import fill_chain, jobsheet_data, write_jobsheet
from aexl.reports.layout import text_height
from aexl.workbook.read import read_workbench

D = date
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    return read_workbench(write_reportbook(tmp_path_factory.mktemp("js") / "AE工作台.xlsx"))


@pytest.fixture(scope="module")
def sheet(wb):
    return jobsheet_data(wb, " mdkt2026001 ")  # typed loosely


def cell_styles(path: Path, row: int) -> list[str]:
    """The style index (``s``) of each cell written in ``row``, from the sheet's XML."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    (line,) = root.iterfind(f"{NS}sheetData/{NS}row[@r='{row}']")
    return [c.get("s") for c in line.iterfind(f"{NS}c")]


def label_style(path: Path) -> str:
    """The style index of the 工作号 label (the first box of the brief)."""
    ws = load_workbook(path).active
    return cell_styles(path, find(ws, "工作号")[0])[0]


def test_brief_fields(sheet):
    assert sheet.jobno == "MDKT2026001" and sheet.client == "华韵电器股份有限公司"
    assert sheet.fields["预算"] == 12000 and sheet.fields["开单日期"] == D(2026, 9, 1)
    assert sheet.fields["规格"] == "A4 210×285mm"
    assert list(sheet.fields)[:4] == ["工作号", "状态", "品牌", "产品线"]


def test_chain_shows_the_current_round(sheet):
    assert [b.label for b in sheet.chain] == ["①AE", "②AD", "③CD", "④AD", "⑤文案", "⑥电脑"]
    assert [b.name for b in sheet.chain] == ["张三", "李四", "王五", "李四", "赵六", "钱七"]
    assert sheet.chain[1].day == D(2026, 9, 3) and sheet.chain[3].day == D(2026, 9, 4)
    assert len(sheet.rounds) == 1 and "拒单" in sheet.rounds[0] and "资料不足" in sheet.rounds[0]
    assert (sheet.client_box.name, sheet.client_box.day) == ("陈经理", D(2026, 10, 22))
    assert sheet.client_box.note == "打样QC"


@pytest.mark.parametrize(
    ("signed", "names"),
    [
        ([], [None] * 6),
        ([("AE", "甲", "通过")], ["甲", None, None, None, None, None]),
        (
            [
                ("AE", "甲", "通过"),
                ("AD", "乙", "通过"),
                ("CD", "丙", "通过"),
                ("AD", "乙", "通过"),
            ],
            ["甲", "乙", "丙", "乙", None, None],
        ),  # fmt: skip
        (
            [("AE", "甲", "通过"), ("CD", "丙", "退回"), ("AE", "甲", "通过")],
            ["甲", None, None, None, None, None],
        ),  # fmt: skip
        ([("AE", "甲", "通过"), ("copywrite", "丁", "通过")], ["甲", None, None, None, "丁", None]),
    ],
)
def test_fill_chain(signed, names):
    rows = [{"步骤": s, "签名": n, "结果": r, "日期": D(2026, 1, 5)} for s, n, r in signed]
    boxes, _ = fill_chain(rows)
    assert [b.name for b in boxes] == names


def test_partly_signed_job_and_revisions(wb):
    s = jobsheet_data(wb, "MDKT2026002")
    assert [b.name for b in s.chain] == ["张三", "李四", None, None, None, None]
    assert [r[0] for r in s.revisions.rows] == [1, 2]
    assert s.client_box.name is None and s.rounds == []


def test_unknown_job_number(wb):
    with pytest.raises(UsageError, match="MDKT2026009.*MDKT2026004"):
        jobsheet_data(wb, "MDKT2026009")


def test_written_form(sheet, tmp_path):
    path = write_jobsheet(sheet, tmp_path / sheet.filename)
    assert path.name == "20260901_MDKT2026001-酷省电夏季促销_工作单.xlsx"
    book = load_workbook(path)
    ws = book.active
    assert ws.title == "工作单"
    assert ws["A1"].value == "项目工作单" and "A1:L1" in merged(ws)
    title = ws["A1"]
    assert (title.font.sz, title.font.b, title.font.color.rgb) == (18, True, "FF1F3864")
    assert title.alignment.horizontal == "center"
    # XlsxWriter rounds a row height to whole pixels (0.75 pt): 32 pt is written as 32.25
    assert ws.row_dimensions[1].height == pytest.approx(32, abs=0.375)
    assert "A2:L2" in merged(ws) and "MDKT2026001" in ws["A2"].value
    assert ws["A2"].alignment.horizontal == "center"
    # twelve columns of 8.2 characters (one <col> range; whole pixels plus Excel's padding)
    cols = ws.column_dimensions["A"]
    assert (cols.min, cols.max) == (1, 12) and 8.2 < cols.width < 9
    row, col = find(ws, "项目背景")
    assert col == 1 and ws.cell(row, 3).value.startswith("酷省电夏季促销")
    assert f"C{row}:L{row}" in merged(ws) and f"A{row}:B{row}" in merged(ws)
    assert ws.row_dimensions[row].height >= 36
    label, value = ws.cell(row, 1), ws.cell(row, 3)
    assert label.font.b and label.fill.fgColor.rgb == "FFF2F5FA"
    assert label.alignment.horizontal == "center" and label.alignment.wrap_text
    assert not value.font.b and value.alignment.horizontal == "left" and value.alignment.wrap_text
    for c in range(1, 13):
        edge = ws.cell(row, c).border
        assert (edge.top.style, edge.bottom.style) == ("thin", "thin")
        assert edge.top.color.rgb == "FF808080"
    assert value.fill.fgColor.rgb == "00000000" and value.border.left.color.rgb == "FF808080"
    # every cell of a merged box carries the box's look (openpyxl only shows the first
    # cell's, so read the sheet's XML): the label's two cells, then the value's ten
    assert cell_styles(path, row) == [label_style(path)] * 2 + [cell_styles(path, row)[2]] * 10
    row, col = find(ws, "预算")
    assert ws.cell(row, col + 2).value == 12000 and "¥" in ws.cell(row, col + 2).number_format
    row, col = find(ws, "①AE")
    assert ws.cell(row + 1, col).value == "张三" and ws.cell(row + 2, col).value.date() == D(2026, 9, 3)  # fmt: skip
    assert ws.cell(row + 1, col).border.left.style == "thin"
    assert ws.cell(row + 1, col).alignment.horizontal == "center"
    assert ws.row_dimensions[row + 1].height == pytest.approx(
        36, abs=0.375
    )  # room for a handwritten signature
    assert ws.cell(row, 11).value == "⑥电脑" and ws.cell(row + 1, 11).value == "钱七"
    assert f"K{row}:L{row}" in merged(ws) and f"K{row + 1}:L{row + 1}" in merged(ws)
    assert any("拒单" in str(ws.cell(r, 1).value) for r in range(row + 4, row + 6))
    row, col = find(ws, "客户签名")
    assert ws.cell(row, 3).value == "陈经理" and f"C{row}:F{row}" in merged(ws)
    assert ws.row_dimensions[row].height == pytest.approx(40, abs=0.375)
    assert find(ws, "价格改为 2999 元")
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9
    # fit to one page wide: XlsxWriter leaves out fitToWidth="1" (Excel's default)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    assert ws.print_area == f"'工作单'!$A$1:$L${ws.max_row}"
    assert book.properties.title == "项目工作单 MDKT2026001" and book.properties.creator == "aexl"


def test_text_that_looks_like_a_formula_stays_text(wb, tmp_path):
    s = jobsheet_data(wb, "MDBX2026001")
    ws = load_workbook(write_jobsheet(s, tmp_path / s.filename)).active
    row, col = find(ws, "-须用新版LOGO")
    assert ws.cell(row, col).data_type == "s"


def test_cli(wb, tmp_path):
    before = sha256(wb.path)
    result = run_cli("jobsheet", "--book", wb.path, "--jobno", "MDKT2026002", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [Path(p).name for p in result.stdout.splitlines()] == ["20261009_MDKT2026002-双十一主视觉_工作单.xlsx"]  # fmt: skip
    assert sha256(wb.path) == before


@pytest.mark.parametrize(
    ("jobno", "book", "needle"),
    [("XYZ2026001", "book", "XYZ2026001"), ("MDKT2026001", "missing", "找不到")],
)
def test_cli_errors_exit_2(wb, tmp_path, jobno, book, needle):
    path = wb.path if book == "book" else tmp_path / "不存在.xlsx"
    result = run_cli("jobsheet", "--book", path, "--jobno", jobno, "--out", tmp_path / "o")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert not (tmp_path / "o").exists()


def test_book_without_brands_sheet_still_prints(tmp_path):
    book = write_reportbook(tmp_path / "b.xlsx")
    s = jobsheet_data(read_workbench(book, sheets=("工作单",)), "HLKT2026001")
    assert s.client == "" and [b.name for b in s.chain] == [None] * 6


def test_footer_names_the_job_not_the_workbench_file(wb, tmp_path):
    """The page footer says 工作号 and project; the workbench's file name is kept in the
    document properties only, never printed; job numbers match loosely."""
    book = load_workbook(write_jobsheet(jobsheet_data(wb, "MDKT2026001"), tmp_path / "a.xlsx"))
    ws = book.active
    printed = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(wb.name in v or "数据来源" in v for v in printed)
    assert ws.oddFooter.left.text == "工作号 MDKT2026001　酷省电夏季促销"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert wb.name in book.properties.description
    # any whitespace inside a typed job number (a tab, a line break) is ignored
    assert jobsheet_data(wb, "MDKT\t2026\n001").jobno == "MDKT2026001"


STEPS = ("电脑", "文案", "AD审核", "CD审核", "AE确认", "AD确认", "客户确认")


@pytest.mark.parametrize(
    ("signed", "job_state", "expected"),
    [
        (
            5,
            "已完成",
            "已签 5/7 步，缺：AD确认、客户确认（工作状态为「已完成」，请补齐签核）；最近：AE确认 甲 2026-10-05 通过",
        ),  # fmt: skip
        (5, "修改中", "已签 5/7 步，缺：AD确认、客户确认；最近：AE确认 甲 2026-10-05 通过"),
        (7, "已完成", "已签齐 7 步，最近：客户确认 甲 2026-10-07 通过"),
        (0, "进行中", "已签 0/7 步，缺：" + "、".join(STEPS)),
    ],
)
def test_qc_state_says_what_is_missing(signed, job_state, expected):
    from aexl.reports.jobsheet import SignBox, qc_state

    boxes = [SignBox(step, step) for step in STEPS]
    for n, box in enumerate(boxes[:signed], start=1):
        box.name, box.day, box.result = "甲", D(2026, 10, n), "通过"
    assert qc_state(boxes, job_state) == expected


def test_written_qc_progress_of_a_finished_job_lists_the_missing_steps(wb, tmp_path):
    data = jobsheet_data(wb, "MDKT2026001")
    assert data.fields["状态"] == "已完成"
    ws = load_workbook(write_jobsheet(data, tmp_path / "js.xlsx")).active
    top, _ = find(ws, "四、QC 签核进度")
    shown = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in (top + 1, top + 2)}
    assert set(shown) == {"正稿QC", "打样QC"}
    for state in shown.values():
        assert state.startswith("已签 1/7 步，缺：电脑、文案、AD审核、CD审核、AE确认、AD确认")
        assert "请补齐签核" in state
    need = text_height(shown["打样QC"], 8.2 * 10)
    assert ws.row_dimensions[top + 2].height >= need - 0.75


@pytest.mark.parametrize(
    ("kind", "flows"),
    [
        ("TVC", ["正稿QC"]),
        ("电台广告", ["正稿QC"]),
        ("网络广告", ["正稿QC"]),
        ("海报", ["正稿QC", "打样QC"]),
        ("终端物料", ["正稿QC", "打样QC"]),
        ("策略方案", []),
    ],
)
def test_qc_flows_follow_the_work_type(wb, tmp_path, kind, flows):
    frames = dict(wb.frames)
    jobs = frames["工作单"].copy()
    jobs["工作类型"] = kind
    signs = frames["签核"]
    frames.update({"工作单": jobs, "签核": signs[signs["流程"] != "打样QC"]})
    data = jobsheet_data(frames, "MDKT2026002")
    assert [flow for flow, _ in data.qc] == flows
    ws = load_workbook(write_jobsheet(data, tmp_path / "js.xlsx")).active
    top, _ = find(ws, "四、QC 签核进度")
    shown = []
    row = top + 1
    while ws.cell(row, 1).value in ("正稿QC", "打样QC"):
        shown.append(ws.cell(row, 1).value)
        row += 1
    assert shown == flows
