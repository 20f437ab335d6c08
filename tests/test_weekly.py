"""每周工作进度表: data over the fixture workbench, the written workbook and the real CLI."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportbook import (
    FORMULA_TEXT,
    find,
    headline_counts,
    merged,
    row_values,
    run_cli,
    sha256,
    table_after,
    write_reportbook,
)

from aexl.errors import UsageError
from aexl.reports.weekly import CLIENT, INTERNAL, weekly_data, weekly_reports, write_weekly
from aexl.workbook.read import read_workbench
from aexl.workcal import WorkCalendar

D, DT = date, datetime


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return write_reportbook(tmp_path_factory.mktemp("wk") / "美的_AE工作台.xlsx")


@pytest.fixture(scope="module")
def wb(book):
    return read_workbench(book)


@pytest.fixture(scope="module")
def report(book):
    return weekly_data(read_workbench(book), "美的", "2026-W47")


def test_period_and_due_dates(report):
    assert (report.start, report.end) == (D(2026, 11, 16), D(2026, 11, 22))
    assert (report.finish, report.send) == (D(2026, 11, 20), D(2026, 11, 23))
    lines = report.header_lines()
    assert "2026-W47" in lines[0] and "2026-11-16" in lines[0] and "2026-11-22" in lines[0]
    assert "2026-11-20（周五）" in lines[1] and "2026-11-23（周一）" in lines[2]


@pytest.mark.parametrize(
    ("week", "finish", "send", "why"),
    [
        ("2026-W47", D(2026, 11, 20), D(2026, 11, 23), "ordinary week"),
        (
            "2026-W40",
            D(2026, 9, 30),
            D(2026, 10, 8),
            "National Day: Friday off, sent after the holiday",
        ),  # fmt: skip
        ("2026年第7周", D(2026, 2, 13), D(2026, 2, 14), "sent on a make-up Saturday"),
    ],
)
def test_finish_and_send_follow_the_calendar(book, week, finish, send, why):
    r = weekly_data(read_workbench(book), "美的", week)
    assert (r.finish, r.send) == (finish, send), why


def test_progress_joined_to_the_job_register(report):
    rows = report.progress.dicts()
    assert [r["工作号"] for r in rows] == ["MDKT2026002", "MDBX2026001", "MDKT2026003"]
    first = rows[0]
    assert first["项目名称"] == "双十一主视觉" and first["工作类型"] == "主视觉"
    assert first["工作类别"] == "创意" and first["完成度"] == 80
    assert first["下周计划"] == "提交客户确认" and first["交付日期"] == D(2026, 11, 10)
    assert rows[1]["完成度"] == 50  # typed as 0.5 (a percent-formatted cell)
    assert rows[1]["本周进展"] == FORMULA_TEXT


def test_unregistered_job_is_reported_not_guessed(report):
    assert any("XXXX2026009" in n and "周进度" in n for n in report.notes)


def test_overdue_deliveries(report):
    rows = report.overdue.dicts()
    # MDKT2026002 is 修改中 but its latest revision moved delivery to 11-25; 已完成/已取消 never overdue
    assert [r["工作号"] for r in rows] == ["MDBX2026001"]
    assert rows[0]["应交付日期"] == D(2026, 11, 13) and rows[0]["逾期天数"] == 7
    assert rows[0]["依据"] == "工作单"


def test_overdue_uses_revision_delivery_date(book):
    r = weekly_data(read_workbench(book), "美的", "2026-W49")  # finish 12-04: 11-25 has passed
    overdue = {row["工作号"]: row for row in r.overdue.dicts()}
    assert overdue["MDKT2026002"]["应交付日期"] == D(2026, 11, 25)
    assert overdue["MDKT2026002"]["依据"] == "修改单第 2 次"


def test_minutes_overdue(report):
    rows = report.minutes.dicts()
    assert [r["工作号"] for r in rows] == ["MDKT2026003", "MDBX2026001"]
    late, unsent = rows
    assert late["应发送时间"] == DT(2026, 11, 19, 14, 30)
    assert late["情况"].startswith("迟发 19 小时") and "未经主管审阅" in late["情况"]
    assert unsent["纪要发送时间"] is None and "尚未发送" in unsent["情况"]


def test_revisions_of_the_week(report):
    assert report.revisions.dicts() == [
        {
            "原工作号": "MDKT2026002",
            "项目名称": "双十一主视觉",
            "修改序号": 2,
            "修改日期": D(2026, 11, 17),
            "修改内容": "@品牌经理：标题字号加大",
            "执行人员": "张三",
            "交付日期": D(2026, 11, 25),
            "意见来源": "客户品牌经理",
        },  # fmt: skip
    ]


def test_brands_without_anything_get_no_report(book):
    reports = weekly_reports(read_workbench(book), "2026-W47")
    assert [r.brand for r in reports] == ["美的"]
    assert [r.brand for r in weekly_reports(read_workbench(book), "2026-W47", brands=["华凌"])] == ["华凌"]  # fmt: skip


def test_plain_frames_work_like_a_workbench(book, report):
    wb = read_workbench(book)
    again = weekly_data(dict(wb.frames), "美的", "2026-W47", WorkCalendar())
    assert again.progress.rows == report.progress.rows
    assert again.minutes.rows == report.minutes.rows


def test_provisional_year_and_bad_week(book, tmp_path):
    wb = read_workbench(write_reportbook(book.parent / "no2027.xlsx", holidays=False))
    report = weekly_data(wb, "美的", "2027-W03")  # 2027 estimated, not refused
    assert report.finish == date(2027, 1, 22) and report.provisional.startswith("暂定：2027 年")
    lines = report.header_lines()
    assert lines[1].startswith("完成日期：2027-01-22（周五）（暂定）") and "（暂定）" in lines[2]
    assert lines[3] == report.provisional and "calendar import" in lines[3]
    ws = load_workbook(write_weekly(report, tmp_path / report.filename)).active
    assert "（暂定）" in ws["A3"].value and ws["A5"].value == report.provisional
    known = weekly_data(wb, "美的", "2026-W47")
    assert not known.provisional and "暂定" not in "".join(known.header_lines())
    with pytest.raises(UsageError, match="2026-W47"):
        weekly_data(wb, "美的", "第47周")


def test_written_workbook(report, tmp_path):
    report = dataclasses.replace(report, audience=INTERNAL)  # the department's copy
    path = write_weekly(report, tmp_path / report.filename)
    assert path.name == "20261120_美的_每周工作进度表_内部.xlsx"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left
    ws = load_workbook(path).active
    assert ws.title == "周进度表"
    assert ws["A1"].value == "美的 每周工作进度表（内部）" and "A1:J1" in merged(ws)
    assert ws["A1"].font.b
    header_row, _ = find(ws, "本周进展")
    assert row_values(ws, header_row)[:3] == ["工作号", "项目名称", "工作类型"]
    assert ws.cell(header_row, 1).fill.fgColor.rgb.endswith("1F3864")
    assert ws.cell(header_row + 1, 1).border.left.style == "thin"
    assert ws.freeze_panes == f"A{header_row + 1}"
    # values in place, typed text stays text, formats
    row, col = find(ws, FORMULA_TEXT)
    cell = ws.cell(row, col)
    assert cell.data_type == "s" and row == header_row + 2
    assert ws.cell(row, 6).value == 50 and ws.cell(row, 6).number_format == '0"%"_)'
    assert ws.cell(row, 10).number_format == "yyyy-mm-dd"
    assert ws.cell(row, 7).value == "+10% 加急费待确认" and ws.cell(row, 7).data_type == "s"
    assert find(ws, "@品牌经理：标题字号加大")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth in (None, 1) and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["E"].width >= 20  # 本周进展, the widest with 下周计划


def test_cli_writes_one_file_per_brand_and_never_touches_the_book(book, tmp_path):
    before = sha256(book)
    result = run_cli("weekly", "--book", book, "--week", "2026-W47", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    paths = result.stdout.splitlines()
    assert [Path(p).name for p in paths] == ["20261120_美的_每周工作进度表.xlsx"]
    ws = load_workbook(paths[0]).active
    assert find(ws, FORMULA_TEXT)
    assert ws.cell(*find(ws, FORMULA_TEXT)).data_type == "s"
    assert "XXXX2026009" in result.stderr  # the log goes to stderr
    assert sha256(book) == before


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--week", "2026-W60", "--book", "{book}"], "第 60 周"),
        (["--week", "2026-W47", "--book", "{missing}"], "找不到"),
        (["--week", "2026-W47", "--book", "{book}", "--brand", "海尔"], "海尔"),
    ],
)
def test_cli_user_errors_exit_2_with_one_chinese_line(book, tmp_path, args, needle):
    nohol = write_reportbook(tmp_path / "无2027.xlsx", holidays=False)
    paths = {"{book}": book, "{nohol}": nohol, "{missing}": tmp_path / "不存在.xlsx"}
    result = run_cli("weekly", *[paths.get(a, a) for a in args], "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and lines[0].startswith("aexl: ")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ------------------------------------------------------------- review fixes ---
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"


def test_a_meeting_without_a_job_number_is_in_every_brands_report():
    """星河 has two brands; the 5月工作例会 (row 24) names none, was sent late and unreviewed."""
    wb = read_workbench(SAMPLE / "星河食品_AE工作台.xlsx")
    reports = {r.brand: r for r in weekly_reports(wb, "2026-W20")}
    assert set(reports) == {"星河", "小河豚"}
    for report in reports.values():
        (row,) = [r for r in report.minutes.dicts() if r["主题"] == "5月工作例会"]
        assert row["工作号"] is None and row["纪要发送时间"] == DT(2026, 5, 11, 11, 20)
        assert row["情况"].startswith("迟发") and "未经主管审阅" in row["情况"]
        assert "未注明品牌" in row["情况"]


JOBS = {"MD1": {"工作号": "MD1", "品牌": "美的"}, "HL1": {"工作号": "HL1", "品牌": "华凌"}}


@pytest.mark.parametrize(
    ("meeting", "brands", "expected"),
    [
        ({"工作号": "md 1", "主题": "华凌会议"}, ["美的", "华凌"], (["美的"], "")),  # the job decides
        ({"主题": "华凌新品沟通"}, ["美的", "华凌"], (["华凌"], "")),
        ({"主题": "例会", "与会人员": "美的市场部、张三"}, ["美的", "华凌"], (["美的"], "")),
        ({"主题": "美的、华凌联合提案"}, ["美的", "华凌"], (["美的", "华凌"], "")),
        ({"主题": "ACE 例会"}, ["Ace", "华凌"], (["Ace"], "")),  # case does not matter
        ({"主题": "5月工作例会"}, ["美的"], (["美的"], "")),  # the only brand
        ({"主题": "5月工作例会"}, ["美的", "华凌"], (["美的", "华凌"], "未注明品牌")),
        ({"工作号": "XX9", "主题": "例会"}, ["美的", "华凌"], (["美的", "华凌"], "未注明品牌")),
    ],
)  # fmt: skip
def test_one_rule_decides_a_meetings_brand(meeting, brands, expected):
    from aexl.rules import meeting_brands

    assert meeting_brands(meeting, JOBS, brands) == expected


def test_the_source_file_is_a_property_not_a_printed_line(report, tmp_path):
    assert not any("数据来源" in line for line in report.header_lines())
    path = write_weekly(report, tmp_path / report.filename)
    wb = load_workbook(path)
    printed = [c.value for row in wb.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("数据来源" in v or report.source in v for v in printed)
    assert wb.properties.description == f"数据来源：{report.source}"
    assert wb.properties.subject == "每周工作进度表"


def test_brand_names_differing_in_case_are_one_brand(book):
    wb = read_workbench(book)
    frames = dict(wb.frames)
    jobs = frames["工作单"].copy()
    jobs["品牌"] = ["MIDEA" if b == "美的" and n % 2 else ("Midea" if b == "美的" else b) for n, b in enumerate(jobs["品牌"])]  # fmt: skip
    frames["工作单"] = jobs
    frames["品牌"] = frames["品牌"].assign(品牌=["Midea", "Midea", "华凌"])
    reports = weekly_reports(frames, "2026-W47", WorkCalendar())
    assert [r.brand for r in reports] == ["Midea"]
    assert [r[0] for r in reports[0].progress.rows] == ["MDKT2026002", "MDBX2026001", "MDKT2026003"]
    picked = weekly_reports(frames, "2026-W47", WorkCalendar(), brands=["midea"])
    assert picked[0].progress.rows == reports[0].progress.rows


# ------------------------------------------------------------------- audience ---
INTERNAL_SECTIONS = ("逾期未交付的工作", "逾期的会议纪要", "财务情况")


@pytest.mark.parametrize(("audience", "shown"), [(CLIENT, False), (INTERNAL, True)])
def test_client_copy_leaves_out_finance_and_overdue_sections(wb, tmp_path, audience, shown):
    report = weekly_data(wb, "美的", "2026-W47", audience=audience)
    ws = load_workbook(write_weekly(report, tmp_path / report.filename)).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for needle in (*INTERNAL_SECTIONS, "+10% 加急费待确认", "纪要逾期"):
        assert (needle in text) == shown, needle
    assert "本周工作进展与下周计划" in text and "本周修改单" in text
    counts = headline_counts(ws, "本周进展")
    assert counts["本周进展"] == len(table_after(ws, "一、本周工作进展与下周计划"))
    assert ("内部" in report.filename) == shown and ("不发给客户" in text) == shown


def test_weekly_reports_take_the_audience(wb):
    reports = weekly_reports(wb, "2026-W47", audience=INTERNAL)
    assert reports and all(r.internal for r in reports)
    assert not any(r.internal for r in weekly_reports(wb, "2026-W47"))
    with pytest.raises(ValueError):
        weekly_data(wb, "美的", "2026-W47", audience="boss")


# ------------------------------------------------------------------ the page ---
A4_LANDSCAPE_PX = (11.69 - 2 * 0.4) * 96  # printable width at 100 %, margins 0.4 in


def header_rows(ws) -> list[int]:
    """Rows of table headers (navy band starting in column A)."""
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).fill.fgColor.rgb.endswith("1F3864")]  # fmt: skip


def column_widths(ws) -> dict[int, float]:
    """Column number -> width as stored (XlsxWriter writes equal neighbours as one range)."""
    return {c: d.width for d in ws.column_dimensions.values() for c in range(d.min, d.max + 1)}


def last_column(ws, row: int) -> int:
    """The right-most column a row's cells cover, merged cells included."""
    last = max((c.column for c in ws[row] if c.value is not None), default=0)
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row:
            last = max(last, rng.max_col)
    return last


@pytest.mark.parametrize(("audience", "columns"), [(CLIENT, 9), (INTERNAL, 10)])
def test_the_page_is_a4_landscape_at_full_size_with_one_right_edge(wb, tmp_path, audience, columns):
    report = weekly_data(wb, "美的", "2026-W47", audience=audience)  # every section has rows
    ws = load_workbook(write_weekly(report, tmp_path / report.filename)).active
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)
    assert setup.fitToHeight == 0  # as many pages down as it takes, never shrunk to one
    stored = column_widths(ws)
    widths = [stored[c] for c in range(1, columns + 1)]
    assert [round(w) for w in widths] == [round(w + 0.71) for w in report.columns]
    assert max(stored) == columns  # nothing printed beyond the grid
    used = sum(round(w * 7) for w in widths)  # Excel pixels (the width stored has the padding)
    assert 0.9 * A4_LANDSCAPE_PX <= used <= A4_LANDSCAPE_PX
    heads = header_rows(ws)
    assert len(heads) == (4 if audience == INTERNAL else 2)
    assert {last_column(ws, r) for r in heads} == {columns}  # every table ends at one edge
    assert {last_column(ws, r + 1) for r in heads} == {columns}


def test_wide_columns_are_merged_cells_under_their_header(wb, tmp_path):
    report = weekly_data(wb, "美的", "2026-W47", audience=INTERNAL)
    ws = load_workbook(write_weekly(report, tmp_path / report.filename)).active
    row, col = find(ws, "纪要发送时间")
    assert (col, f"I{row}:J{row}" in merged(ws)) == (9, True)
    unsent, late = report.minutes.dicts()[1], report.minutes.dicts()[0]
    assert ws.cell(row + 1, 9).value == late["纪要发送时间"] and ws.cell(row + 2, 9).value is None
    assert ws.cell(row + 2, 1).value == unsent["工作号"] and f"I{row + 2}:J{row + 2}" in merged(ws)
    days_row, days_col = find(ws, "逾期天数")
    assert ws.cell(days_row + 1, days_col).value == 7
    assert ws.cell(days_row + 1, days_col).number_format == "0_)"  # a gap before the next text


EMPTY_LINES = {
    "overdue": ("逾期未交付的工作", "截至 2026-11-20 没有逾期未交付的工作。"),
    "minutes": ("逾期的会议纪要", "截至 2026-11-20 没有迟发或未发的会议纪要。"),
    "revisions": ("本周修改单", "本周没有新开的修改单。"),
}


@pytest.mark.parametrize(
    ("audience", "empty"),
    [
        (CLIENT, ["revisions"]),
        (INTERNAL, ["revisions"]),
        (INTERNAL, ["overdue", "minutes"]),
        (INTERNAL, list(EMPTY_LINES)),
    ],  # fmt: skip
)
def test_an_empty_section_is_one_line_not_an_empty_table(wb, tmp_path, audience, empty):
    report = weekly_data(wb, "美的", "2026-W47", audience=audience)
    for name in empty:
        getattr(report, name).rows.clear()
    ws = load_workbook(write_weekly(report, tmp_path / report.filename)).active
    text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "（无）" not in text
    for name in empty:
        heading, line = EMPTY_LINES[name]
        row = next(c.row for c in ws["A"] if str(c.value).partition("、")[2].startswith(heading))
        assert ws.cell(row + 1, 1).value == line and not ws.cell(row + 1, 1).fill.fgColor.rgb.endswith("1F3864")  # fmt: skip
    assert len(header_rows(ws)) == (4 if audience == INTERNAL else 2) - len(empty)
