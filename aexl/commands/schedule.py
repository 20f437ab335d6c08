"""``aexl schedule``: the 工作进度表 of one job, on working days, as a printable bar chart."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "schedule",
        "工作进度表：把一项工作从开单日期到交付日期的里程碑（简报与工作单确认、内部创作与审阅、"
        "提案、修改、客户确认、QC签核、交付）排在工作日上（含调休），A4 横向按天的条形图，"
        "客户版和部门版各一页；可在「进度」表中改动某个里程碑的日期。",
        "aexl schedule --book workbooks/sample/星河食品_AE工作台.xlsx --jobno XHCQXM2026006 --out 进度表",
    )
    parser.add_argument("--book", metavar="PATH", required=True, help="AE 工作台工作簿（只读）")
    parser.add_argument("--jobno", required=True, help="工作号，如 XHCQXM2026006")
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.set_defaults(func=run)


def run(args) -> int:
    import sys
    from datetime import date
    from pathlib import Path

    from aexl.planning.gantt import schedule_file_name, write_schedule
    from aexl.planning.schedule import plan_schedule
    from aexl.workbook.read import read_workbench

    wb = read_workbench(args.book, need=("工作单",))
    calendar = wb.calendar()
    schedule = plan_schedule(wb, calendar, args.jobno)
    schedule.source = wb.name
    for problem in schedule.problems:
        print(f"aexl: {problem}", file=sys.stderr)
    path = Path(args.out) / schedule_file_name(schedule, date.today())
    print(write_schedule(schedule, calendar, path))
    return 0
