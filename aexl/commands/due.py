"""``aexl due``: what is due or overdue over the next working days, from every register."""

from __future__ import annotations

from aexl.cli import add_command

EXAMPLE = (
    "aexl due --book workbooks/sample/星河食品_AE工作台.xlsx --date 2026-09-29 --days 5\n"
    "  aexl due --in workbooks/sample --date 2026-09-29 --by 袁清 --ics 待办.ics\n"
    "  aexl due --book workbooks/sample/云帆电器_AE工作台.xlsx --date 2026-09-29 --xlsx 待办.xlsx --json"
)


def register(sub) -> None:
    parser = add_command(
        sub,
        "due",
        "待办清单：从某天起 N 个工作日内到期和已逾期的事项（会议纪要、客户签复、周报、月报、"
        "年报、交付、修改稿、QC 签核、样稿），按中国法定工作日（含调休）计算，可导出 "
        ".xlsx（每人一页）和 .ics 日历（Outlook、钉钉、飞书、企业微信可导入）。",
        EXAMPLE,
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--book", metavar="PATH", help="AE 工作台工作簿（只读）")
    where.add_argument("--in", dest="folder", metavar="DIR", help="文件夹：其中每个 AE 工作台")
    parser.add_argument(
        "--date", help="从哪一天（或时刻）算起，如 2026-09-29 或 2026-09-29 14:00；默认现在"
    )
    parser.add_argument("--days", type=int, default=5, help="往后看几个工作日（含起始日），默认 5")
    parser.add_argument("--by", metavar="负责人", help="只列出这个人的事项（负责人或执行人员）")
    parser.add_argument("--json", action="store_true", help="以 JSON 列表输出到标准输出")
    parser.add_argument("--xlsx", metavar="FILE", help="另存为 Excel：一页全部，每人一页")
    parser.add_argument("--ics", metavar="FILE", help="另存为 .ics 日历（带提醒）")
    parser.set_defaults(func=run)


def start_of(text):
    """--date as a date (start of day) or a datetime; now when not given."""
    from datetime import datetime, time

    from aexl.errors import UsageError
    from aexl.values import parse_datetime

    if text is None:
        return datetime.now().replace(second=0, microsecond=0)
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise UsageError(f"--date「{text}」无法识别，请写成 2026-09-29 或 2026-09-29 14:00。")
    return moment.date() if moment.time() == time() else moment


def collect(args, start):
    """(items, problems, calendar of the first workbench, names) over --book or --in."""
    from aexl.errors import UsageError
    from aexl.monthend import client_name, find_workbenches
    from aexl.planning.due import due_for_books

    paths = [args.book] if args.book else find_workbenches(args.folder)
    if not paths:
        raise UsageError(f"文件夹「{args.folder}」里没有 AE 工作台（.xlsx），请检查 --in 的路径。")
    return due_for_books(paths, start, args.days, args.by, client_name=client_name)


def run(args) -> int:
    import json
    import sys

    from aexl.planning.due import window
    from aexl.planning.dueout import as_json, format_table, write_ics, write_xlsx

    start = start_of(args.date)
    items, problems, calendar, names = collect(args, start)
    as_of, first, end = window(calendar, start, args.days)
    who = f"，{args.by}" if args.by else ""
    line = (
        f"截至 {as_of:%Y-%m-%d %H:%M}，到 {end:%Y-%m-%d}（{args.days} 个工作日）为止{who}："
        f"{'、'.join(names)}"
    )
    for problem in problems:
        print(f"aexl: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps(as_json(items), ensure_ascii=False, indent=1))
    elif not (args.xlsx or args.ics):
        print(format_table(items, line, as_of=as_of, calendar=calendar))
    if args.xlsx:
        status = dict(as_of=as_of, calendar=calendar)
        print(write_xlsx(items, args.xlsx, title_line=line, **status))
    if args.ics:
        print(write_ics(items, args.ics, calendar, workbench="、".join(names)))
    return 0
