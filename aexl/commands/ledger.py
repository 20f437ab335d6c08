"""``aexl ledger``: set up, seed, list, void and export the agency's job-number ledger."""

from __future__ import annotations

from aexl.cli import add_command, print_paths

LEDGER_HELP = (
    "工作号台账地址：sqlite:///路径（本机）或 postgresql://用户:密码@服务器/数据库（全公司共用）；"
    "默认取环境变量 AEXL_LEDGER"
)
URL = "sqlite:///D:/台账/工作号.db"


def register(sub) -> None:
    parser = add_command(
        sub,
        "ledger",
        "工作号台账：全公司（或本机）所有工作号只发一次、永不重复。"
        "子命令 init/import/list/void/export/backup/seed。",
        f"aexl ledger init --ledger {URL}",
    )
    parser.set_defaults(func=lambda args: parser.error("请写子命令，如 aexl ledger list …"))
    # also before the subcommand (aexl ledger --ledger URL list); its own dest, since a
    # subcommand's default would overwrite the same dest
    parser.add_argument("--ledger", dest="ledger_before", metavar="URL", help=LEDGER_HELP)
    ledger_sub = parser.add_subparsers(dest="ledger_command", metavar="子命令")

    def command(name: str, help_text: str, example: str, run):
        p = add_command(ledger_sub, name, help_text, example)
        p.add_argument("--ledger", metavar="URL", help=LEDGER_HELP)
        p.set_defaults(func=run)
        return p

    command("init", "建立工作号台账（已建立时不改动任何内容）。",
            f"aexl ledger init --ledger {URL}", run_init)  # fmt: skip
    p = command(
        "import",
        "读取文件夹里每个工作台的「工作单」和内置台账（含已删除行的号码），"
        "把各前缀已用的最大号写入台账（只调高不调低），"
        "并列出被用了两次以上的工作号。",
        "aexl ledger import --in D:/工作台",
        run_import,
    )
    p.add_argument(
        "--in", dest="folder", required=True, metavar="文件夹", help="工作台所在的文件夹"
    )
    p = command("list", "列出台账里的工作号（制表符分隔）。",
                "aexl ledger list --prefix MDKT2026", run_list)  # fmt: skip
    p.add_argument("--prefix", help="只列这个前缀：代码（MDKT）或代码+年份（MDKT2026）")
    p = command("void", "作废一个工作号：它留在台账里，永远不会再发出。",
                "aexl ledger void MDKT2026007 --reason 客户取消", run_void)  # fmt: skip
    p.add_argument("number", metavar="工作号")
    p.add_argument("--reason", required=True, help="作废原因")
    p = command("export", "把整个台账导出为 Excel 文件。",
                "aexl ledger export --out 工作号台账.xlsx", run_export)  # fmt: skip
    p.add_argument("--out", required=True, metavar="F.xlsx", help="输出文件")
    p = command("backup", "备份 SQLite 台账：有人开号时也能得到完整一致的副本（PostgreSQL 请用 pg_dump）。",
                "aexl ledger backup --out D:/备份/工作号-20261130.db", run_backup)  # fmt: skip
    p.add_argument("--out", required=True, metavar="F.db", help="备份文件")
    p = command("seed", "把某前缀已用的最大号调高到 N（如从纸质登记补录；只调高不调低）。",
                "aexl ledger seed MDKT2026 --highest 57", run_seed)  # fmt: skip
    p.add_argument("prefix", metavar="前缀", help="代码+年份，如 MDKT2026")
    p.add_argument("--highest", required=True, type=int, help="已用的最大号码")


def _open(args, *, create: bool = False):
    from aexl.ledger import ledger_url_from, open_ledger

    if not args.ledger and getattr(args, "ledger_before", None):
        args.ledger = args.ledger_before
    return open_ledger(ledger_url_from(args), create=create)


def run_init(args) -> int:
    with _open(args, create=True) as ledger:
        print(f"工作号台账已就绪：{ledger.url}")
    return 0


def run_import(args) -> int:
    from aexl.ledger.books import find_books, import_books

    find_books(args.folder)  # a wrong folder is said before connecting
    with _open(args) as ledger:
        report = import_books(ledger, args.folder)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def run_list(args) -> int:
    from aexl.ledger.base import STATUS_TEXT
    from aexl.ledger.books import local_time

    with _open(args) as ledger:
        entries = ledger.list(args.prefix)
    print("工作号\t状态\t品牌\t产品线\t工作台\t开号人\t开号时间\t作废原因")
    for e in entries:
        when = local_time(e.issued_at)
        values = [e.number, STATUS_TEXT.get(e.status, e.status), e.brand, e.line, e.workbench,
                  e.user, f"{when:%Y-%m-%d %H:%M}" if when else "", e.void_reason]  # fmt: skip
        print("\t".join("" if v is None else str(v) for v in values))
    return 0


def run_void(args) -> int:
    with _open(args) as ledger:
        entry = ledger.void(args.number, args.reason)
    print(f"已作废：{entry.number}（原因：{entry.void_reason}）")
    return 0


def run_export(args) -> int:
    from aexl.ledger.books import export_xlsx

    with _open(args) as ledger:
        print_paths([export_xlsx(ledger, args.out)])
    return 0


def run_seed(args) -> int:
    with _open(args) as ledger:
        highest = ledger.seed(args.prefix, args.highest)
    print(f"{args.prefix.strip().upper()}：已用最大号 {highest:03d}，下一个 {highest + 1:03d}")
    return 0


def run_backup(args) -> int:
    with _open(args) as ledger:
        print_paths([ledger.backup(args.out)])
    return 0
