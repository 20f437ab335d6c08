"""``aexl calendar import``: the State Council's holiday notice into the 节假日 sheet."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from aexl.cli import add_command
from aexl.errors import InputFileError, UsageError

log = logging.getLogger("aexl")


def register(sub) -> None:
    parser = add_command(
        sub,
        "calendar",
        "工作日历：用 import 把国务院办公厅的放假通知导入工作簿的「节假日」表。",
        "aexl calendar import 2027放假通知.txt --book 美的_AE工作台.xlsx",
    )
    parser.set_defaults(func=lambda args: parser.error("请写子命令，如 aexl calendar import …"))
    calendar_sub = parser.add_subparsers(dest="calendar_command", metavar="子命令")
    p = add_command(
        calendar_sub,
        "import",
        "读取国务院办公厅《关于 YYYY 年部分节假日安排的通知》的正文（复制粘贴到 .txt 文件），"
        "列出每个放假日和调休上班日，确认后追加到「节假日」表（已有的相同日期不重复添加）。"
        "没有导入的年份，期限按法定假日和周末暂定推算。",
        "aexl calendar import 2027放假通知.txt --book 美的_AE工作台.xlsx --yes",
    )
    p.add_argument("notice", type=Path, metavar="NOTICE", help="通知正文的文本文件（.txt）")
    p.add_argument("--book", required=True, metavar="PATH", help="AE 工作台工作簿（.xlsx/.xlsm）")
    p.add_argument("--year", type=int, help="通知的年份（通知正文里没有写年份时才需要）")
    p.add_argument("--yes", action="store_true", help="不再询问，直接写入（没有终端时必须加）")
    p.set_defaults(func=run_import)


def read_notice(path: Path) -> str:
    if not path.is_file():
        raise InputFileError("找不到通知文件，请检查路径和文件名", file=path)
    data = path.read_bytes()
    if len(data) > 1_000_000:
        raise InputFileError("文件太大，不像是一份放假通知；请只粘贴通知正文", file=path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError("无法识别文件的文字编码，请另存为 UTF-8 文本", file=path)


def run_import(args) -> int:
    from aexl import schema
    from aexl.holiday_notice import holiday_records, parse_notice, plan_rows
    from aexl.values import printable
    from aexl.workbook.append import append_register_rows
    from aexl.workbook.edit import check_editable
    from aexl.workbook.read import read_workbench

    rows = parse_notice(read_notice(args.notice), args.year)
    book = check_editable(args.book)
    existing = read_workbench(book, sheets=("节假日",)).frame("节假日")
    new, known = plan_rows(rows, existing)
    for item in rows:
        mark = "（已登记）" if item in known else ""
        print("\t".join(printable(t) for t in (item.day.isoformat(), item.kind, item.note + mark)))
    off = sum(item.kind == "放假" for item in new)
    log.info(
        "共 %d 个放假日、%d 个调休上班日待写入；%d 个已在表中", off, len(new) - off, len(known)
    )
    if not new:
        log.info("「节假日」表已包含通知中的全部日期，无需写入")
        return 0
    if not args.yes and not _confirmed():
        log.info("未写入，工作簿保持原样")
        return 1
    append_register_rows(book, schema.HOLIDAYS, holiday_records(new))
    log.info("已写入 %s 的「节假日」表：%d 行", printable(book.name), len(new))
    return 0


def _confirmed() -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("请核对上面列出的日期；确认无误后加 --yes 写入（没有终端可以询问）")
    answer = input("以上日期写入「节假日」表？输入 y 确认：")
    return answer.strip().lower() in ("y", "yes", "是")
