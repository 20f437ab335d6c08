"""``aexl monthly``: 月度工作总结, one workbook per brand for a month."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "monthly",
        "月度工作总结：每个品牌一份（工作背景、本月主要工作明细、下月主要工作、"
        "广告效果的反馈情况、当月完成工作情况；次月 10 日完成、15 日前发送）",
        "aexl monthly --book 星河食品_AE工作台.xlsx --month 2026-10 --out 月报",
    )
    parser.add_argument("--book", required=True, help="AE工作台工作簿路径（只读，不会被修改）")
    parser.add_argument("--month", required=True, help="月份，如 2026-10")
    parser.add_argument("--brand", action="append", help="只生成这个品牌（可写多次）；默认所有有记录的品牌")  # fmt: skip
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.reports.common import parse_month_arg, run_brand_reports
    from aexl.reports.monthly import monthly_reports, write_monthly

    month = parse_month_arg(args.month)
    nothing = f"{month} 没有任何品牌的工作记录，未生成月度工作总结。"
    return run_brand_reports(args, month, monthly_reports, write_monthly, nothing)
