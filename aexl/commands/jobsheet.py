"""``aexl jobsheet``: one job as a printable A4 项目工作单 with signature boxes."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "jobsheet",
        "打印工作单：把一项工作排成 A4 竖版的项目工作单（brief 各项、修改记录、"
        "工作单确认签名框 AE → AD → CD → AD → 文案 → 电脑、客户签复）",
        "aexl jobsheet --book 星河食品_AE工作台.xlsx --jobno MDKT2026001 --out 工作单",
    )
    parser.add_argument("--book", required=True, help="AE工作台工作簿路径（只读，不会被修改）")
    parser.add_argument("--jobno", required=True, help="工作号，如 MDKT2026001")
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.commands.reporting import load_book, write_each
    from aexl.reports.jobsheet import jobsheet_data, write_jobsheet

    wb = load_book(args.book)
    write_each([jobsheet_data(wb, args.jobno)], write_jobsheet, args.out)
    return 0
