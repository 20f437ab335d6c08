"""``aexl code TEXT… [--book PATH]``: the pinyin code of each text, one per line."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "code",
        "打印每个名称的拼音首字母代码（每行一个）；用 --book 时以该工作簿「品牌」表中填写的代码为准。",
        "aexl code 美的 空调 长虹 --book 美的_AE工作台.xlsx",
    )
    parser.add_argument("texts", nargs="+", metavar="TEXT", help="品牌或产品线名称")
    parser.add_argument(
        "--book", metavar="PATH", help="AE 工作台工作簿：使用其「品牌」表里填写的代码"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.codes import book_code, code_for

    if args.book:
        from aexl.workbook.read import read_workbench

        brands = read_workbench(args.book, need=("品牌",), sheets=("品牌",)).frame("品牌")
        codes = [book_code(brands, text, file=args.book) for text in args.texts]
    else:
        codes = [code_for(text) for text in args.texts]
    print("\n".join(codes))
    return 0
