"""``aexl charts``: 效果追踪图表 per brand (native Excel charts, optional PNGs)."""

from __future__ import annotations

from aexl.cli import add_command, print_paths


def register(sub) -> None:
    parser = add_command(
        sub,
        "charts",
        "效果追踪图表：每个品牌按活动、指标画出实际值与目标值（Excel 原生图表，可选 PNG 图片）",
        "aexl charts --book 星河食品_AE工作台.xlsx --month 2026-10 --out 报告 --png",
    )
    parser.add_argument("--book", required=True, help="AE工作台工作簿路径")
    parser.add_argument("--month", help="只画该月的数据，如 2026-10（默认全部日期）")
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.add_argument(
        "--png", action="store_true", help="同时导出每张图的 PNG（用于幻灯片、邮件）"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.commands.reporting import period_arg, write_chart_reports

    month = period_arg("month", args.month, "--month") if args.month else None
    print_paths(write_chart_reports(args.book, month=month, out_dir=args.out, png=args.png))
    return 0
