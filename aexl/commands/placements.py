"""``aexl placements``: 投放列表 per brand for a week or a month."""

from __future__ import annotations

from aexl.cli import add_command, print_paths


def register(sub) -> None:
    parser = add_command(
        sub,
        "placements",
        "投放列表：每个品牌在某周或某月的投放（广告形式、区域、媒体、日期、规格、版本、样稿缩略图）",
        "aexl placements --book 星河食品_AE工作台.xlsx --week 2026-W47 --out 报告",
    )
    parser.add_argument("--book", required=True, help="AE工作台工作簿路径")
    period = parser.add_mutually_exclusive_group(required=True)
    period.add_argument("--week", help="ISO 周次，如 2026-W47")
    period.add_argument("--month", help="月份，如 2026-10")
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.commands.reporting import period_arg, write_placement_lists

    if args.week:
        period = period_arg("week", args.week, "--week")
    else:
        period = period_arg("month", args.month, "--month")
    print_paths(write_placement_lists(args.book, period, out_dir=args.out))
    return 0
