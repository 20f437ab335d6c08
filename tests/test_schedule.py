"""工作进度表: milestones on working days, the 进度 sheet, the check rule, the workbook, the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from aexl.planning.schedule import (
    MILESTONE_NAMES,
    PROGRESS,
    plan_schedule,
    schedule_findings,
    spread,
)
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
    marks = {c.value for row in dept.iter_rows(min_row=4, max_row=8) for c in row}
    assert {"班", "休"} <= marks and "负责人" in marks
    assert "负责人" not in {c.value for row in client.iter_rows(min_row=4, max_row=8) for c in row}
    header = next(r for r in range(1, 10) if dept.cell(r, 1).value == "里程碑")
    names = [dept.cell(r, 1).value for r in range(header + 3, header + 10)]
    assert names == list(MILESTONE_NAMES)
    # the make-up Saturday's column is a working day: the 内部创作与审阅 bar covers it
    day_cols = {dept.cell(header + 1, c).value: c for c in range(8, dept.max_column + 1)}
    saturday = dept.cell(header + 4, day_cols[10])
    assert saturday.fill.fgColor.rgb.endswith("2F5597")
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
        header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "里程碑")
        titles = [sheet.cell(r, 1).value for r in range(1, header)]
        assert note in titles and any("黄色 = 暂定日历" in (t or "") for t in titles)
        fills = [
            sheet.cell(header + 1, len(columns) + 1 + i).fill.fgColor.rgb for i in range(len(days))
        ]
        for day, fill in zip(days, fills, strict=True):
            yellow = day.year == NEXT_YEAR and calendar.is_workday(day) and day.weekday() < 5
            assert fill.endswith("FFF2CC") == yellow, (copy, day, fill)
        assert fills[days.index(new_year)].endswith("D9D9D9")  # the holiday stays grey
