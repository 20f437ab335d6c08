"""工作进度表: milestones on working days, the 进度 sheet, the check rule, the workbook, the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from aexl.planning.schedule import MILESTONE_NAMES, PROGRESS, plan_schedule, spread
from aexl.validate.schedule import schedule_findings
from aexl.workbook.read import read_workbench
from aexl.workcal import bundled_years

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "sample"
XINGHE = "星河食品_AE工作台.xlsx"
JOB = "XHCQXM2026006"  # 平面广告 opened 2026-09-30, delivered 2026-10-26, across 国庆


@pytest.fixture
def book(tmp_path) -> Path:
    target = tmp_path / XINGHE
    shutil.copy(SAMPLE / XINGHE, target)
    return target


def add_progress(path: Path, rows: list[list]) -> None:
    """Write the 进度 sheet's rows (the sample has an empty 进度 sheet: replaced)."""
    wb = load_workbook(path)
    if PROGRESS.sheet in wb.sheetnames:
        del wb[PROGRESS.sheet]
    ws = wb.create_sheet(PROGRESS.sheet)
    ws.append(PROGRESS.headers)
    for row in rows:
        ws.append(row)
    wb.save(path)


def aexl(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_default_plan_of_a_print_job_across_national_day(book):
    wb = read_workbench(book)
    schedule = plan_schedule(wb, wb.calendar(), JOB)
    got = [(m.name, m.start, m.end) for m in schedule.milestones]
    assert got == [
        ("简报与工作单确认", date(2026, 9, 30), date(2026, 9, 30)),
        ("内部创作与审阅", date(2026, 10, 8), date(2026, 10, 12)),  # 10 Oct is a working Saturday
        ("提案", date(2026, 10, 13), date(2026, 10, 13)),
        ("修改", date(2026, 10, 14), date(2026, 10, 19)),
        ("客户确认", date(2026, 10, 20), date(2026, 10, 20)),
        ("QC签核", date(2026, 10, 21), date(2026, 10, 23)),
        ("交付", date(2026, 10, 26), date(2026, 10, 26)),
    ]
    cal = wb.calendar()
    assert all(cal.is_workday(m.start) and cal.is_workday(m.end) for m in schedule.milestones)
    assert schedule.milestones[1].who == "彭静 / 李想 / 罗敏"  # the job's 执行人员


def test_naming_has_no_qc(book):
    wb = read_workbench(book)
    names = [m.name for m in plan_schedule(wb, wb.calendar(), "XHFBM2026005").milestones]
    assert "QC签核" not in names and names[-1] == "交付"


@pytest.mark.parametrize(
    "durations,n,expected",
    [
        ((1, 4, 1), 6, [(0, 0), (1, 4), (5, 5)]),
        ((1, 4, 1), 3, [(0, 0), (1, 1), (2, 2)]),
        ((1, 4, 1), 12, [(0, 1), (2, 9), (10, 11)]),
        ((1, 0, 1), 4, [(0, 1), (None, None), (2, 3)]),
        ((1, 4, 1, 3), 2, [(0, 0), (0, 1), (1, 1), (1, 1)]),
    ],
)
def test_spread(durations, n, expected):
    assert spread(durations, n) == expected


def test_progress_sheet_overrides_and_check_warns(book):
    add_progress(
        book,
        [
            [JOB, "提案", datetime(2026, 10, 12), datetime(2026, 10, 12), "袁清", "客户要求提前"],
            [JOB, "QC签核", None, datetime(2026, 11, 4), None, None],  # 打样QC done 4 Nov: on time
            [JOB, "不存在的阶段", None, None, None, None],
        ],
    )
    wb = read_workbench(book)
    schedule = plan_schedule(wb, wb.calendar(), JOB)
    proposal = next(m for m in schedule.milestones if m.name == "提案")
    assert (proposal.start, proposal.end, proposal.who, proposal.agreed) == (
        date(2026, 10, 12),
        date(2026, 10, 12),
        "袁清",
        True,
    )
    assert any("不存在的阶段" in p for p in schedule.problems)
    findings = schedule_findings(wb, wb.calendar())
    assert [(f.sheet, f.row, f.column, f.code) for f in findings] == [
        ("进度", 2, "结束日期", "schedule.missed")
    ]
    assert "第一次提案会议是 2026-10-16" in findings[0].message
    assert "晚了 4 个工作日" in findings[0].message


def test_no_progress_sheet_no_findings(book):
    wb = read_workbench(book)
    assert schedule_findings(wb, wb.calendar()) == []


def test_cli_renders_both_copies_and_reads_back(book, tmp_path):
    out = tmp_path / "out"
    result = aexl("schedule", "--book", book, "--jobno", JOB.lower(), "--out", out)
    assert result.returncode == 0, result.stderr
    (path,) = [Path(line) for line in result.stdout.splitlines()]
    assert path.exists() and path.name.endswith(f"_{JOB}_工作进度表.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["客户版", "部门版"]
    client, dept = wb["客户版"], wb["部门版"]
    assert client.page_setup.orientation == "landscape" and client.page_setup.paperSize == 9
    header = header_of(dept)
    marks = {c.value for row in dept.iter_rows(min_row=header, max_row=header + 2) for c in row}
    assert {"班", "休"} <= marks and "负责人" in marks
    top = header_of(client)
    head = {c.value for row in client.iter_rows(min_row=top, max_row=top + 2) for c in row}
    assert "负责人" not in head and "进度" in head
    names = [dept.cell(r, 1).value for r in range(header + 3, header + 10)]
    assert names == list(MILESTONE_NAMES)
    # the make-up Saturday's column is a working day: the 内部创作与审阅 bar covers it
    day_cols = {dept.cell(header + 1, c).value: c for c in range(8, dept.max_column + 1)}
    saturday = dept.cell(header + 4, day_cols[10])
    assert saturday.fill.fgColor.rgb.endswith(("2F5597", "9DC3E6"))  # planned, or done by now
    holiday = dept.cell(header + 4, day_cols[5])  # 5 October: 国庆
    assert holiday.fill.fgColor.rgb.endswith("D9D9D9")


@pytest.mark.parametrize("jobno,needle", [("NOPE2026001", "不在「工作单」表中"), ("", "工作号")])
def test_cli_unknown_job_is_one_line(book, jobno, needle):
    result = aexl("schedule", "--book", book, "--jobno", jobno)
    assert result.returncode == 2 and needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_example_works_on_the_sample(tmp_path):
    result = aexl("schedule", "--help")
    assert result.returncode == 0 and "示例" in result.stdout
    run = aexl("schedule", "--book", SAMPLE / XINGHE, "--jobno", JOB, "--out", tmp_path, cwd=ROOT)
    assert run.returncode == 0 and Path(run.stdout.strip()).exists()


NEXT_YEAR = max(bundled_years()) + 1  # the first year no bundled calendar knows


def test_schedule_into_an_estimated_year_is_marked_provisional(tmp_path):
    """A job running into ``NEXT_YEAR`` (no 节假日 rows for it): its days there are yellow in
    both copies and a 「暂定」 line says why; days of the known year are not marked."""
    from books import clean_data, job, write_book

    from aexl.planning.gantt import COPIES, write_schedule

    data = clean_data()
    data["工作单"].append(
        job("MDKT2026009", "美的", "空调", 开单日期=date(NEXT_YEAR - 1, 12, 14),
            交付日期=date(NEXT_YEAR, 1, 20))
    )  # fmt: skip
    data["节假日"] = [r for r in data["节假日"] if r["日期"].year != NEXT_YEAR]
    wb = read_workbench(write_book(tmp_path / "美的_AE工作台.xlsx", data))
    calendar = wb.calendar()
    schedule = plan_schedule(wb, calendar, "MDKT2026009")
    new_year = date(NEXT_YEAR, 1, 1)  # 元旦, estimated from the statutory days
    assert not calendar.is_workday(new_year)
    assert all(
        calendar.is_workday(m.start) and calendar.is_workday(m.end) for m in schedule.milestones
    )
    book = load_workbook(write_schedule(schedule, calendar, tmp_path / "进度表.xlsx"))
    note = calendar.provisional_note(date(NEXT_YEAR, 1, 20))
    days = schedule.days()
    for copy, columns in COPIES.items():
        sheet = book[copy]
        header = header_of(sheet)
        titles = [sheet.cell(r, 1).value for r in range(1, header)]
        assert note in titles and "黄色 = 暂定日历" in titles
        fills = [
            sheet.cell(header + 1, len(columns) + 1 + i).fill.fgColor.rgb for i in range(len(days))
        ]
        for day, fill in zip(days, fills, strict=True):
            yellow = day.year == NEXT_YEAR and calendar.is_workday(day) and day.weekday() < 5
            assert fill.endswith("FFF2CC") == yellow, (copy, day, fill)
        assert fills[days.index(new_year)].endswith("D9D9D9")  # the holiday stays grey


YUNFAN = "云帆电器_AE工作台.xlsx"
LONG_JOB = "YFKT2026003"  # TVC, 2026-06-01 → 2026-07-31: 61 days, wider than one page


def header_of(ws) -> int:
    return next(r for r in range(1, 12) if ws.cell(r, 1).value == "里程碑")


def test_long_span_prints_over_pages_split_between_weeks(tmp_path):
    """61 day columns: printed at 85 % (10-pt text stays >= 8 pt), not squeezed to one page;
    page breaks fall before a Monday; 里程碑 … 进度 repeat on every page; the dates fit
    their columns (no 「###」)."""
    from aexl.planning.gantt import COPIES, MIN_SCALE, REPEAT, WIDTHS, write_schedule

    wb = read_workbench(SAMPLE / YUNFAN)
    calendar = wb.calendar()
    schedule = plan_schedule(wb, calendar, LONG_JOB)
    days = schedule.days()
    assert len(days) == 61
    book = load_workbook(write_schedule(schedule, calendar, tmp_path / "s.xlsx", date(2026, 7, 1)))
    for copy, columns in COPIES.items():
        ws = book[copy]
        assert ws.page_setup.scale == round(MIN_SCALE * 100)
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_cols == f"$A:${chr(64 + REPEAT)}"
        header = header_of(ws)
        assert ws.print_title_rows == f"${header}:${header + 2}"
        breaks = [b.id for b in ws.col_breaks.brk]  # the last column of each page but the last
        assert len(breaks) >= 2, copy
        first_day = len(columns) + 1
        for last in breaks:
            assert days[last + 1 - first_day].weekday() == 0, (copy, last)  # next page: Monday
        for name in ("开始", "结束"):
            col = columns.index(name) + 1
            letter = ws.cell(header, col).column_letter
            assert ws.column_dimensions[letter].width >= WIDTHS[name] >= 12
            # 10-pt 微软雅黑 yyyy-mm-dd needs 12 (LibreOffice printed 「###」 at 10)
            assert ws.cell(header + 3, col).number_format == "yyyy-mm-dd"


def test_progress_as_of_a_day_marks_done_milestones_and_today(book, tmp_path):
    """As of 2026-10-16 (a job in progress): the milestones the records show done have a
    ✓ on the day they were done and say so in 进度; today's column has 「今」 and a red line."""
    from aexl.planning.gantt import COPIES, write_schedule

    wb = read_workbench(book)
    calendar = wb.calendar()
    schedule = plan_schedule(wb, calendar, JOB)
    done = {m.name: m.done for m in schedule.milestones}
    assert done["简报与工作单确认"] == date(2026, 9, 30)  # 工作单确认 signed
    assert done["提案"] == date(2026, 10, 16)  # the first 提案 meeting
    assert done["内部创作与审阅"] == date(2026, 10, 16)  # by the proposal after it
    assert done["QC签核"] == done["交付"] == date(2026, 10, 28)  # the client signed QC
    today = date(2026, 10, 16)
    path = write_schedule(schedule, calendar, tmp_path / "s.xlsx", today)
    ws = load_workbook(path)["客户版"]
    columns = COPIES["客户版"]
    header = header_of(ws)
    state = columns.index("进度") + 1
    shown = [ws.cell(header + 3 + n, state).value for n in range(len(schedule.milestones))]
    assert shown == ["✓ 完成 09-30", "✓ 完成 10-16", "✓ 完成 10-16", "进行中", "未开始", "未开始", "未开始"]  # fmt: skip
    assert any(ws.cell(r, 1).value == "进度截至 2026-10-16：已完成 3/7 个阶段" for r in range(1, header))  # fmt: skip
    col = {ws.cell(header + 1, c).value: c for c in range(len(columns) + 1, ws.max_column + 1)}
    assert ws.cell(header + 2, col[16]).value == "今"
    for n in range(len(schedule.milestones)):
        cell = ws.cell(header + 3 + n, col[16])
        assert cell.border.left.color.rgb.endswith("C00000") and cell.border.left.style == "medium"
    proposal = header + 3 + [m.name for m in schedule.milestones].index("提案")
    assert ws.cell(proposal, col[16]).value == "✓"
    assert ws.cell(proposal, col[16]).fill.fgColor.rgb.endswith("9DC3E6")
    revision = header + 3 + [m.name for m in schedule.milestones].index("修改")
    assert ws.cell(revision, col[14]).fill.fgColor.rgb.endswith("2F5597")  # still the plan


def test_late_milestone_without_record_is_flagged(book, tmp_path):
    from aexl.planning.gantt import progress

    wb = read_workbench(book)
    schedule = plan_schedule(wb, wb.calendar(), JOB)
    revision = next(m for m in schedule.milestones if m.name == "修改")
    assert progress(revision, date(2026, 10, 22)) == ("未见完成记录", True)
    assert progress(revision, date(2026, 10, 28)) == ("✓ 完成 10-28", False)
