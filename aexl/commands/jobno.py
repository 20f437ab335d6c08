"""``aexl jobno new``: issue the next job number and append its row to 工作单."""

from __future__ import annotations

from aexl.cli import add_command
from aexl.errors import UsageError


def register(sub) -> None:
    parser = add_command(
        sub,
        "jobno",
        "工作号：用 new 开新工作号。",
        "aexl jobno new --book 星河食品_AE工作台.xlsx --brand 星河 --line 方便面 --project 春节海报",
    )
    parser.set_defaults(func=lambda args: parser.error("请写子命令，如 aexl jobno new …"))
    jobno_sub = parser.add_subparsers(dest="jobno_command", metavar="子命令")
    p = add_command(
        jobno_sub,
        "new",
        "开下一个工作号（品牌代码+产品线代码+年份+号码），在「工作单」表末尾添加这一行，并打印工作号。"
        "Excel 正打开该文件时会拒绝。配置了工作号台账（--ledger 或 AEXL_LEDGER）时号码由台账统一分配，全公司不重复。",
        "aexl jobno new --book 星河食品_AE工作台.xlsx --brand 星河 --line 方便面 --date 2026-11-26 "
        "--project 春节海报",
    )
    p.add_argument("--book", required=True, metavar="PATH", help="AE 工作台工作簿（.xlsx/.xlsm）")
    p.add_argument("--brand", required=True, help="品牌，须与「品牌」表一致")
    p.add_argument("--line", required=True, help="产品线，须与「品牌」表一致")
    p.add_argument("--date", help="开单日期，如 2026-11-26（默认今天）；年份决定工作号里的年份")
    p.add_argument("--project", help="项目名称")
    p.add_argument(
        "--ledger",
        metavar="URL",
        help="全公司（或本机）共用的工作号台账：sqlite:///路径 或 postgresql://用户@服务器/数据库；"
        "默认取环境变量 AEXL_LEDGER；都没有时只按本工作台（含其内置台账）编号",
    )
    p.set_defaults(func=run_new)


def run_new(args) -> int:
    from aexl.ledger import ledger_url_from
    from aexl.newjob import issue_job_number
    from aexl.values import parse_date

    day = None
    if args.date:
        try:
            day = parse_date(args.date)
        except ValueError as exc:
            raise UsageError(f"--date {exc}") from None
    number = issue_job_number(
        args.book, args.brand, args.line, day, args.project, ledger_url=ledger_url_from(args)
    )
    print(number)
    return 0
