"""``aexl monthly``: 月度工作总结, one workbook per brand for a month."""

from __future__ import annotations

from aexl.cli import add_brand_report_command


def register(sub) -> None:
    add_brand_report_command(
        sub,
        "monthly",
        "月度工作总结：每个品牌一份（工作背景、本月主要工作明细、下月主要工作、"
        "广告效果的反馈情况、当月完成工作情况；次月 10 日完成、15 日前发送）",
        "aexl monthly --book 星河食品_AE工作台.xlsx --month 2026-10 --out 月报",
        "month",
        "月份，如 2026-10",
        run,
    )


def run(args) -> int:
    from aexl.commands.reporting import period_arg, run_brand_reports
    from aexl.reports.monthly import monthly_reports, write_monthly

    period = period_arg("month", args.month, "--month")
    nothing = f"{period.key} 没有任何品牌的工作记录，未生成月度工作总结。"
    return run_brand_reports(args, period, monthly_reports, write_monthly, nothing)
