"""``aexl weekly``: 每周工作进度表, one workbook per brand for an ISO week."""

from __future__ import annotations

from aexl.cli import add_brand_report_command


def register(sub) -> None:
    add_brand_report_command(
        sub,
        "weekly",
        "每周工作进度表：每个品牌一份（本周进展、完成度、财务情况、下周计划、逾期交付、"
        "逾期纪要、本周修改单；注明完成日期和发送日期）",
        "aexl weekly --book 星河食品_AE工作台.xlsx --week 2026-W47 --out 周报",
        "week",
        "ISO 周次，如 2026-W47",
        run,
    )


def run(args) -> int:
    from aexl.commands.reporting import period_arg, run_brand_reports
    from aexl.reports.weekly import weekly_reports, write_weekly

    period = period_arg("week", args.week, "--week")
    nothing = f"{period.key} 没有任何品牌的进展、逾期交付、逾期纪要或修改单，未生成周报。"
    return run_brand_reports(args, period, weekly_reports, write_weekly, nothing)
