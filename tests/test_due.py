"""The due list: across the 2026 国庆 break on the bundled sample, the .ics, the .xlsx, the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from books import clean_data, job, write_book

from aexl import schema
from aexl.planning.due import due_items, month_items, window
from aexl.planning.dueout import ics_calendar, printable, uid_of, write_ics
from aexl.workbook.read import read_workbench
from aexl.workcal import WorkCalendar, bundled_years

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "sample"
XINGHE = "星河食品_AE工作台.xlsx"
EVE = date(2026, 9, 29)  # two working days before 国庆 (1–7 October 2026)

# What falls due for 星河食品 from 2026-09-29 over 5 working days (29, 30 Sep, 8, 9, 10 Oct;
# Saturday 10 October is the make-up working day of the break), not counting the overdue.
PINNED = [
    ("2026-09-30T16:00", "minutes", "XHCQXM2026006", "星河"),  # 需求说明 29 Sep 16:00
    ("2026-09-30T18:00", "weekly_finish", "", "星河"),  # W40: Friday 2 Oct is off
    ("2026-10-08T18:00", "revision", "XHFBM2026005", "星河"),  # 第 2 次修改
    ("2026-10-08T18:00", "weekly_send", "", "星河"),  # next working day after 30 Sep
    ("2026-10-09T10:00", "minutes", "XHFBM2026005", "星河"),  # 再提案 8 Oct 10:00
    ("2026-10-09T18:00", "weekly_finish", "", "星河"),  # W41
    (
        "2026-10-10T15:00",
        "minutes",
        "",
        "",
    ),  # 10月工作例会 (whole account) Friday 9 Oct 15:00 → Saturday
    ("2026-10-10T18:00", "monthly_finish", "", "小河豚"),  # September: by the 10th
    ("2026-10-10T18:00", "monthly_finish", "", "星河"),
    ("2026-10-10T18:00", "weekly_send", "", "星河"),  # W41 sent on the make-up Saturday
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    for path in SAMPLE.glob("*.xlsx"):
        shutil.copy(path, folder / path.name)
    shutil.copytree(SAMPLE / "样稿", folder / "样稿")
    return folder


def aexl(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_window_counts_the_make_up_saturday():
    as_of, first, end = window(WorkCalendar(), EVE, 5)
    assert (as_of, first, end) == (datetime(2026, 9, 29), EVE, date(2026, 10, 10))
    assert window(WorkCalendar(), date(2026, 10, 3), 1)[1:] == (date(2026, 10, 8),) * 2


def test_due_list_across_national_day_is_pinned(sample):
    result = aexl("due", "--book", sample / XINGHE, "--date", EVE, "--days", 5, "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    upcoming = [(i["when"], i["kind"], i["job"], i["brand"]) for i in items if not i["overdue"]]
    assert upcoming == PINNED
    saturday = [i for i in items if i["when"].startswith("2026-10-10")]
    assert {i["clause"] for i in saturday} == {
        "二.4.B 会议记录",
        "二.3.B 月度工作总结",
        "二.3.A 每周工作进度表",
    }
    assert all(i["who"] == "袁清" for i in saturday)
    overdue = [i for i in items if i["overdue"]]
    assert overdue and all(i["when"] < "2026-09-29" for i in overdue)
    assert {"sign", "review", "sample"} <= {i["kind"] for i in overdue}


def test_one_more_working_day_reaches_monday(sample):
    """云帆's 工作会议 on the make-up Saturday 10 Oct 15:00: minutes due Monday 12 Oct 15:00."""
    wb = read_workbench(sample / "云帆电器_AE工作台.xlsx")
    five = due_items(wb, wb.calendar(), EVE, 5)
    six = due_items(wb, wb.calendar(), EVE, 6)
    extra = [(i.when, i.kind) for i in six if i not in five]
    assert (datetime(2026, 10, 12, 15, 0), "minutes") in extra
    assert {w.date() for w, _k in extra} == {date(2026, 10, 12)}


def meeting(held, sent=None, kind="工作会议", reviewed="王芳", signed=None):
    return {
        "会议时间": held,
        "会议类型": kind,
        "主题": "例会",
        "工作号": None,
        "与会人员": "客户",
        "纪要发送时间": sent,
        "主管审阅": reviewed,
        "客户签复": signed,
        "_row": 2,
    }


@pytest.mark.parametrize(
    "rec,expected",
    [
        (meeting(datetime(2026, 9, 30, 14, 0)), [("minutes", datetime(2026, 10, 8, 14, 0))]),
        (meeting(datetime(2026, 10, 9, 15, 0)), [("minutes", datetime(2026, 10, 10, 15, 0))]),
        (meeting(datetime(2026, 10, 10, 9, 0)), [("minutes", datetime(2026, 10, 12, 9, 0))]),
        (meeting(datetime(2026, 10, 3, 10, 0)), [("minutes", datetime(2026, 10, 8, 23, 59, 59))]),
        (meeting(datetime(2026, 9, 28, 9, 0), sent=datetime(2026, 9, 28, 17, 0), signed="李"), []),
        (
            meeting(datetime(2026, 9, 28, 9, 0), sent=datetime(2026, 9, 28, 17, 0)),
            [("sign", datetime(2026, 10, 8, 18, 0))],  # 3rd working day: 29, 30 Sep, 8 Oct
        ),
        (
            meeting(
                datetime(2026, 9, 28, 9, 0), sent=datetime(2026, 9, 28, 17, 0), kind="电话沟通"
            ),
            [],
        ),
        (
            meeting(
                datetime(2026, 9, 28, 9, 0),
                sent=datetime(2026, 9, 28, 17, 0),
                reviewed=None,
                signed="李",
            ),
            [("review", datetime(2026, 9, 28, 17, 0))],
        ),
    ],
)
def test_minutes_items(rec, expected):
    frames = {schema.MEETINGS.sheet: pd.DataFrame([rec], dtype=object)}
    items = due_items(frames, WorkCalendar(), EVE, 6)
    assert [(i.kind, i.when) for i in items] == expected


def test_unreadable_meeting_is_a_problem_not_a_skip():
    frames = {schema.MEETINGS.sheet: pd.DataFrame([meeting(None)], dtype=object)}
    problems: list[str] = []
    assert due_items(frames, WorkCalendar(), EVE, 5, problems=problems) == []
    assert len(problems) == 1 and "第 2 行" in problems[0]


def test_ics_parses_and_reimport_keeps_uids(sample, tmp_path):
    from icalendar import Calendar

    wb = read_workbench(sample / XINGHE)
    cal = wb.calendar()
    items = due_items(wb, cal, EVE, 5, source="星河食品")
    first = write_ics(items, tmp_path / "a.ics", cal, now=datetime(2026, 9, 29, 8, 0).astimezone())
    parsed = Calendar.from_ical(first.read_bytes())
    events = list(parsed.walk("VEVENT"))
    assert len(events) == len(items)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    saturday = [e for e in events if e.decoded("DTEND").date() == date(2026, 10, 10)]
    ends = sorted(e.decoded("DTEND").strftime("%H:%M") for e in saturday)
    assert ends == ["15:00", "18:00", "18:00", "18:00"]
    alarms = [a for e in events for a in e.walk("VALARM")]
    assert len(alarms) == 2 * len(events)
    # the absolute reminder of a deadline after the break is on the last working day before it
    after = next(e for e in events if e.decoded("DTEND").date() == date(2026, 10, 8))
    absolute = [a.decoded("TRIGGER") for a in after.walk("VALARM") if a["TRIGGER"].params]
    assert absolute[0].astimezone().date() == date(2026, 9, 30) or absolute[0].date() == date(
        2026, 9, 30
    )
    # a later export (a delivery moved, time passed) updates: same UIDs, higher SEQUENCE
    moved = [i for i in due_items(wb, cal, EVE, 5, source="星河食品")]
    moved[2].when = datetime(2026, 10, 9, 18, 0)
    second = ics_calendar(moved, cal, now=datetime(2026, 9, 30, 8, 0).astimezone())
    again = Calendar.from_ical(second.to_ical())
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids
    assert int(again.walk("VEVENT")[0]["SEQUENCE"]) > int(events[0]["SEQUENCE"])
    assert uid_of(moved[2]) == uids[2]


def test_xlsx_has_a_sheet_per_person(sample, tmp_path):
    from openpyxl import load_workbook

    result = aexl("due", "--in", sample, "--date", EVE, "--xlsx", tmp_path / "待办.xlsx")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "待办.xlsx")
    book = load_workbook(tmp_path / "待办.xlsx")
    assert book.sheetnames[0] == "全部" and {"袁清", "蒋悦", "黄一帆"} <= set(book.sheetnames)
    rows = list(book["袁清"].iter_rows(values_only=True))
    header = rows.index(tuple(["时间", "事项", "工作号", "品牌", "负责人", "依据", "说明", "状态"]))
    times = [r[0] for r in rows[header + 1 :] if r[0]]
    assert datetime(2026, 10, 10, 15, 0) in times and all(isinstance(t, datetime) for t in times)


@pytest.mark.parametrize(
    "when,overdue,as_of,state",
    [
        (datetime(2026, 9, 29, 18), False, datetime(2026, 9, 29, 9), "今天到期"),
        (datetime(2026, 9, 29, 9), True, datetime(2026, 9, 29, 11), "已逾期（今天 09:00 到期）"),
        (datetime(2026, 9, 30, 16), False, datetime(2026, 9, 29), "还剩 1 个工作日"),
        (datetime(2026, 10, 8, 18), False, datetime(2026, 9, 29), "还剩 2 个工作日"),  # 国庆
        (datetime(2026, 10, 10, 15), False, datetime(2026, 9, 29), "还剩 4 个工作日"),  # 调休六
        (datetime(2026, 9, 30, 18), True, datetime(2026, 10, 8, 9), "已逾期 1 个工作日"),
        (datetime(2026, 9, 10, 17), True, datetime(2026, 9, 29), "已逾期 13 个工作日"),
    ],
)
def test_state_counts_working_days(when, overdue, as_of, state):
    from aexl.planning.due import DueItem
    from aexl.planning.dueout import state_of

    item = DueItem(when, "minutes", "发送纪要", overdue=overdue)
    assert state_of(item, as_of, WorkCalendar()) == state
    assert state_of(item) == ("逾期" if overdue else "")  # no date to count from


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLE.glob("*.xlsx")))
def test_item_rows_are_each_items_row(sample, name):
    """``item_rows`` (one ``state_of`` per moment) gives every item the row ``item_row`` does,
    overdue, today's and later items alike."""
    from aexl.planning.dueout import item_row, item_rows

    wb = read_workbench(sample / name)
    items = due_items(wb, wb.calendar(), EVE, 10)
    moment = datetime(2026, 9, 29, 12)
    assert {i.overdue for i in items} == {True, False}
    assert item_rows(items, moment, wb.calendar()) == [
        item_row(i, moment, wb.calendar()) for i in items
    ]
    assert item_rows(items) == [item_row(i) for i in items]


def test_xlsx_states_whole_text_and_one_page_per_person(sample, tmp_path):
    """The written list: 状态 for every row (not only the overdue), rows as tall as their
    wrapped 说明, and each person's list on one page with its header row as print title."""
    from openpyxl import load_workbook

    from aexl.planning.dueout import WIDTHS
    from aexl.reports.layout import text_height

    result = aexl("due", "--in", sample, "--date", EVE, "--xlsx", tmp_path / "待办.xlsx")
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "待办.xlsx")
    for ws in book:
        cells = list(ws.iter_rows(values_only=True))
        top = next(n for n, row in enumerate(cells, start=1) if row[:2] == ("时间", "事项"))
        assert ws.print_title_rows == f"${top}:${top}"
        body = range(top + 1, ws.max_row + 1)
        states = {(ws.cell(r, 1).value, ws.cell(r, 2).value): ws.cell(r, 8).value for r in body}
        assert all(states.values()), ws.title  # every row says where it stands
        for r in body:
            note = ws.cell(r, 7).value
            need = text_height(note, WIDTHS[6])
            assert ws.cell(r, 7).alignment.wrap_text
            assert need <= 18 or (ws.row_dimensions[r].height or 0) >= need - 0.75, (ws.title, r)
        if ws.title != "全部":
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.page_setup.fitToHeight in (None, 1), ws.title  # one page tall
    states = {
        (ws.cell(r, 1).value, ws.cell(r, 2).value): ws.cell(r, 8).value
        for ws in [book["全部"]]
        for r in range(1, ws.max_row + 1)
    }
    assert states[(datetime(2026, 9, 30, 16), "发送会议纪要")] == "还剩 1 个工作日"
    assert states[(datetime(2026, 10, 10, 15), "发送会议纪要")] == "还剩 4 个工作日"
    assert states[(datetime(2026, 9, 10, 17, 25), "纪要补主管审阅")] == "已逾期 13 个工作日"


def test_by_person_filters(sample):
    wb = read_workbench(sample / XINGHE)
    mine = due_items(wb, wb.calendar(), EVE, 5, person="彭静")
    assert mine and all("彭静" in i.people for i in mine)
    assert {i.kind for i in mine} == {"revision"}


def test_month_items_per_person(sample):
    wb = read_workbench(sample / XINGHE)
    per_person = month_items(wb, wb.calendar(), "2026-10")
    assert "袁清" in per_person
    days = {i.when.date() for i in per_person["袁清"]}
    assert min(days) >= date(2026, 10, 1) and date(2026, 10, 10) in days


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLE.glob("*.xlsx")))
@pytest.mark.parametrize("start", [EVE, date(2026, 11, 1)])
def test_without_overdue_is_the_list_less_its_overdue_items(sample, name, start):
    """``overdue=False`` (the month-end list) skips work on what was due before ``start``;
    it lists exactly what the whole list says is not overdue, in the same order."""
    wb = read_workbench(sample / name)
    whole = due_items(wb, wb.calendar(), start, 15)
    upcoming = due_items(wb, wb.calendar(), start, 15, overdue=False)
    assert any(i.overdue for i in whole) and upcoming
    assert [i.as_dict() for i in upcoming] == [i.as_dict() for i in whole if not i.overdue]


@pytest.mark.parametrize(
    "raw,shown",
    [("a\x1b[31mb", "a\\x1b[31mb"), ("x\ty\nz", "x y z"), ("正常", "正常"), (None, "")],
)
def test_terminal_cells_escape_control_characters(raw, shown):
    assert printable(raw) == shown


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--date", "明天"], "--date"),
        (["--days", "0"], "--days"),
    ],
)
def test_cli_user_errors_are_one_line(sample, args, needle):
    result = aexl("due", "--book", sample / XINGHE, *args)
    assert result.returncode == 2
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_help_example_runs_on_the_sample():
    result = aexl("due", "--help")
    assert result.returncode == 0 and "示例" in result.stdout
    example = aexl("due", "--book", "workbooks/sample/" + XINGHE, "--date", EVE, cwd=ROOT)
    assert example.returncode == 0 and "2026-10-10 15:00" in example.stdout


# --- years the calendar only estimates (「暂定」) ------------------------------------------
NEXT_YEAR = max(bundled_years()) + 1  # the first year no bundled calendar knows
ESTIMATED_JOB = "MDKT2026009"


@pytest.fixture(scope="module")
def estimated(tmp_path_factory):
    """A workbench with a job running into ``NEXT_YEAR`` and no 节假日 rows for that year:
    written as a real workbook and read back; (workbench, calendar, due items)."""
    data = clean_data()
    data["工作单"].append(
        job(ESTIMATED_JOB, "美的", "空调", 开单日期=date(NEXT_YEAR - 1, 12, 14),
            交付日期=date(NEXT_YEAR, 1, 20))
    )  # fmt: skip
    data["节假日"] = [r for r in data["节假日"] if r["日期"].year != NEXT_YEAR]
    path = write_book(tmp_path_factory.mktemp("estimated") / "美的_AE工作台.xlsx", data)
    wb = read_workbench(path)
    calendar = wb.calendar()
    return wb, calendar, due_items(wb, calendar, date(NEXT_YEAR - 1, 12, 28), 20, source="美的")


def test_estimated_year_items_are_marked_provisional(estimated):
    _wb, calendar, items = estimated
    assert not calendar.knows(NEXT_YEAR) and calendar.is_provisional(date(NEXT_YEAR, 1, 20))
    mine = {i.kind: i for i in items if i.job == ESTIMATED_JOB}
    assert mine["delivery"].when == datetime(NEXT_YEAR, 1, 20, 18, 0)
    assert mine["qc"].when == datetime(NEXT_YEAR, 1, 19, 18, 0)  # the working day before
    for item in items:
        assert item.provisional == (item.when.year == NEXT_YEAR), item
        assert (str(NEXT_YEAR) in item.provisional_note) == item.provisional
    assert any(i.when.year == NEXT_YEAR - 1 and not i.overdue for i in items)


def test_estimated_year_in_terminal_json_xlsx_and_ics(estimated, tmp_path):
    from icalendar import Calendar
    from openpyxl import load_workbook

    from aexl.planning.dueout import as_json, format_table, write_xlsx

    _wb, calendar, items = estimated
    note = calendar.provisional_note(date(NEXT_YEAR, 1, 20))
    table = format_table(items, "标题").splitlines()
    delivery_line = next(line for line in table if ESTIMATED_JOB in line and "交付" in line)
    assert "暂定" in delivery_line and f"{note}。" in table
    assert all("暂定" not in line for line in table if line.startswith(f"{NEXT_YEAR - 1}-"))
    rows = {(r["job"], r["kind"]): r for r in as_json(items)}
    assert rows[(ESTIMATED_JOB, "delivery")]["provisional"] is True
    assert rows[(ESTIMATED_JOB, "delivery")]["provisional_note"] == note
    book = load_workbook(write_xlsx(items, tmp_path / "due.xlsx", title_line="标题"))
    cells = list(book["全部"].iter_rows(values_only=True))
    assert any(f"{note}。" in row for row in cells)
    header = next(n for n, row in enumerate(cells) if row[:2] == ("时间", "事项"))
    states = {(r[2], r[1]): r[7] for r in cells[header + 1 :] if r[0] is not None}
    assert states[(ESTIMATED_JOB, "交付")] == "暂定"
    assert all(
        ("暂定" in (r[7] or "")) == (r[0].year == NEXT_YEAR) for r in cells[header + 1 :] if r[0]
    )
    ics = Calendar.from_ical((write_ics(items, tmp_path / "due.ics", calendar)).read_bytes())
    events = {str(e["uid"]): e for e in ics.walk("VEVENT")}
    for item in items:
        event = events[uid_of(item)]
        assert (str(event.get("status", "")) == "TENTATIVE") == item.provisional
        assert str(event["summary"]).startswith("【暂定】") == item.provisional
        assert (note in str(event["description"])) == item.provisional
