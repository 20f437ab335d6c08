"""``aexl year-end``: 年度工作总结, one workbook per brand for a year."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "year-end",
        "年度工作总结：每个品牌一份（前言、传播策略和推广计划回顾、广告创作作品、"
        "全年传播活动的主要成绩与问题、服务改进建议；黄色处由 AM 填写；次年 1 月提交）",
        "aexl year-end --book 星河食品_AE工作台.xlsx --year 2026 --out 年报",
    )
    parser.add_argument("--book", required=True, help="AE工作台工作簿路径（只读，不会被修改）")
    parser.add_argument("--year", required=True, help="年份，如 2026")
    parser.add_argument("--brand", action="append", help="只生成这个品牌（可写多次）；默认所有有记录的品牌")  # fmt: skip
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.reports.common import parse_year_arg, run_brand_reports
    from aexl.reports.yearend import write_yearly, yearly_reports

    year = parse_year_arg(args.year)
    nothing = f"{year} 年没有任何品牌的工作或效果记录，未生成年度工作总结。"
    return run_brand_reports(args, year, yearly_reports, write_yearly, nothing)
