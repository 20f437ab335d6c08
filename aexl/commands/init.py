"""``aexl init PATH``: write a new, empty AE workbench."""

from __future__ import annotations

from aexl.cli import add_command, print_paths


def register(sub) -> None:
    parser = add_command(
        sub,
        "init",
        "新建一个空的 AE 工作台（全部工作表、表头、Excel 表格、下拉列表、列宽、冻结表头）",
        "aexl init 美的_AE工作台.xlsx",
    )
    parser.add_argument("path", metavar="PATH", help="新工作簿的路径（.xlsx）")
    parser.add_argument("--force", action="store_true", help="文件已存在时覆盖它")
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.workbook.template import write_workbench

    print_paths([write_workbench(args.path, force=args.force)])
    return 0
