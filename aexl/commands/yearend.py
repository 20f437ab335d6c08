"""``aexl year-end``: 年度工作总结, one workbook per brand for a year."""

from __future__ import annotations

from aexl.cli import add_brand_report_command


def register(sub) -> None:
    add_brand_report_command(
        sub,
        "year-end",
        "年度工作总结：每个品牌一份（前言、传播策略和推广计划回顾、广告创作作品、"
        "全年传播活动的主要成绩与问题、服务改进建议；黄色处由 AM 填写；次年 1 月提交）",
        "aexl year-end --book 星河食品_AE工作台.xlsx --year 2026 --out 年报",
        "year",
        "年份，如 2026",
        run,
    )


def run(args) -> int:
    from aexl.commands.reporting import period_arg, run_brand_reports
    from aexl.reports.yearend import write_yearly, yearly_reports

    period = period_arg("year", args.year, "--year")
    nothing = f"{period.key} 年没有任何品牌的工作或效果记录，未生成年度工作总结。"
    return run_brand_reports(args, period, yearly_reports, write_yearly, nothing)
