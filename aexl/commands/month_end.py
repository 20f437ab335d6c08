"""``aexl month-end --month 2026-10 [--in DIR] [--out DIR] [--files ROOT]``: the month-end batch."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "month-end",
        "月底批处理：文件夹中每个 AE 工作台 → 校验结果、各品牌月度工作总结、当月投放列表和效果追踪图表；"
        "无法读取的工作台会被点名并跳过（退出码 2），其余照常处理；全部处理完才一起写出。",
        "aexl month-end --month 2026-10\n"
        "  aexl month-end --month 2026-10 --in 工作台 --out 月底/2026-10 --files D:/客户资料",
    )
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，如 2026-10")
    parser.add_argument(
        "--in",
        dest="in_dir",
        metavar="DIR",
        help="工作台所在文件夹（默认 workbooks/sample 示例数据）",
    )
    parser.add_argument(
        "--out", dest="out_dir", metavar="DIR", help="输出文件夹（默认 ./out/<月份>/）"
    )
    parser.add_argument(
        "--files",
        dest="files_root",
        metavar="ROOT",
        help="电脑档案根目录：同时输出每月文件清理清单",
    )
    parser.add_argument(
        "--png", action="store_true", help="另存每张效果图表的 PNG 图片（用于邮件、幻灯片）"
    )
    parser.add_argument(
        "--workers", type=int, default=2, metavar="N", help="并行处理的进程数（默认 2）"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="覆盖输出文件夹中生成后被修改过的同名报告（默认保留它们，新报告另取名字）",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    import sys

    from aexl.commands.reporting import period_arg
    from aexl.monthend import Interrupted, run_month_end
    from aexl.workbook.write import force_overwrite

    def show(result) -> None:
        if result.skipped:
            print(f"aexl: {result.skipped}（已跳过，其余工作台继续处理）", file=sys.stderr)
        for path in result.written:
            print(path, flush=True)

    month = period_arg("month", args.month, "--month")
    try:
        with force_overwrite(args.force):
            summary = run_month_end(
                month,
                args.in_dir,
                args.out_dir,
                files_root=args.files_root,
                workers=args.workers,
                png=args.png,
                on_result=show,
            )
    except Interrupted as stop:
        print(f"aexl: {stop.line()}", file=sys.stderr)
        return stop.exit_code
    if summary.cleanup_path is not None:
        print(summary.cleanup_path, flush=True)
    for line in summary.lines():
        print(line, file=sys.stderr)
    return summary.exit_code
