"""``aexl files init/check/rename/archive/verify``: the rulebook's file discipline (§5)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

from aexl.cli import add_command, print_paths
from aexl.errors import UsageError
from aexl.values import printable

log = logging.getLogger("aexl")

UNSIGNED_NOTE = (
    "存档清单没有签名：校验通过能证明存档在写入或刻盘之后没有因损坏、传输出错而改变，"
    "也能发现清单之外多出的文件；但不能证明存档没有被人改过——改动文件的人可以同时改写清单。"
    "要能证明未被篡改，请把生成存档时显示的整个 zip 的 SHA-256 另行保存"
    "（如写进交接单或发邮件留底），日后与存档重新计算的值核对。"
)

CODE_LABELS = {
    "files.outside_folder": "文件夹外",
    "files.naming": "命名不规范",
    "files.stale": "待清理",
    "files.lock": "锁文件",
    "files.temp": "临时文件",
}


def register(sub) -> None:
    parser = add_command(
        sub,
        "files",
        "按守则管理电脑档案：建立文件夹、检查命名与月度清理、批量改名、季度/年度存档。",
        "aexl files check D:/客户档案",
    )
    parser.set_defaults(func=lambda args: _usage(parser))
    files_sub = parser.add_subparsers(dest="files_command", metavar="子命令")
    _add_init(files_sub)
    _add_check(files_sub)
    _add_rename(files_sub)
    _add_archive(files_sub)
    _add_verify(files_sub)


def _add_init(files_sub) -> None:
    p = add_command(
        files_sub,
        "init",
        "为客户建立守则规定的文件夹（已有的文件夹和文件不动）。",
        "aexl files init D:/客户档案 --client 美的集团 --brand 美的空调 --brand 美的冰箱",
    )
    p.add_argument("root", type=Path, metavar="ROOT", help="存放各客户文件夹的目录")
    p.add_argument("--client", required=True, help="客户名称")
    p.add_argument("--brand", required=True, action="append", help="品牌/项目名称，可写多次")
    p.add_argument("--single", action="store_true", help="单项合作客户：只建一个客户文件夹")
    p.set_defaults(func=run_init)


def _add_check(files_sub) -> None:
    p = add_command(
        files_sub,
        "check",
        "检查文件夹外的文件、文件名（日期_项目_类型）、超过一个月未动的文件、锁文件和临时文件；"
        "有问题时退出码为 1。只读，不改动任何文件。",
        "aexl files check D:/客户档案 --json",
    )
    _root_and_today(p)
    p.add_argument("--json", action="store_true", help="以 JSON 输出问题列表")
    p.set_defaults(func=run_check)


def _add_rename(files_sub) -> None:
    p = add_command(
        files_sub,
        "rename",
        "把命名不规范的文件改成建议的名称（日期取自文件名或修改日期，项目和类型取自所在文件夹）；"
        "不加 --apply 时只列出计划。从不覆盖已有文件，改名记录写入 CSV。",
        "aexl files rename D:/客户档案 --apply",
    )
    _root_and_today(p)
    p.add_argument("--apply", action="store_true", help="真正改名（默认只试运行）")
    p.add_argument(
        "--log", type=Path, help="改名记录 CSV 的路径（默认 ROOT/存档与记录/日期_文件改名记录.csv）"
    )
    p.set_defaults(func=run_rename)


def _add_archive(files_sub) -> None:
    p = add_command(
        files_sub,
        "archive",
        "把一个季度或一年的策略/方案、总结和完稿按客户打包成 zip（含 SHA-256 清单），写完后逐一校验；"
        "已有的存档不会被覆盖。",
        "aexl files archive D:/客户档案 --quarter 2026Q3 --out E:/刻录",
    )
    _root_and_today(p)
    period = p.add_mutually_exclusive_group(required=True)
    period.add_argument("--quarter", help="季度，如 2026Q3")
    period.add_argument("--year", help="年份，如 2026")
    p.add_argument("--out", type=Path, help="存档输出目录（默认 ROOT/存档与记录）")
    p.add_argument("--client", help="只存档这一个客户")
    p.epilog += f"\n\n说明：{UNSIGNED_NOTE}"
    p.set_defaults(func=run_archive)


def _add_verify(files_sub) -> None:
    p = add_command(
        files_sub,
        "verify",
        "按存档内的清单重新校验每个文件的大小和 SHA-256；不符时退出码为 1。",
        "aexl files verify E:/刻录/20261001_美的集团_2026Q3资料存档.zip",
    )
    p.add_argument("archive", type=Path, metavar="ZIP", help="aexl files archive 生成的 zip")
    p.epilog += f"\n\n说明：{UNSIGNED_NOTE}"
    p.set_defaults(func=run_verify)


def _usage(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _root_and_today(p) -> None:
    p.add_argument("root", type=Path, metavar="ROOT", help="存放各客户文件夹的目录")
    p.add_argument("--today", help="以哪一天为“今天”（YYYY-MM-DD，默认今天；用于补做或测试）")


def _today(args) -> date:
    if not args.today:
        return date.today()
    from aexl.values import parse_date

    try:
        return parse_date(args.today)
    except ValueError as exc:
        raise UsageError(f"--today：{exc}") from None


def run_init(args) -> int:
    from aexl.files.tree import init_tree

    created = init_tree(args.root, args.client, args.brand, single=args.single)
    print_paths(printable(path) for path in created)
    log.info("新建 %d 个文件夹（已有的保持不变）", len(created))
    return 0


def run_check(args) -> int:
    from aexl.files.tree import check_tree

    findings = check_tree(args.root, _today(args))
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(printable(f"[{CODE_LABELS[f.code]}] {f.path}：{f.message}"))
    counts = {label: sum(f.code == code for f in findings) for code, label in CODE_LABELS.items()}
    summary = "，".join(f"{label} {n}" for label, n in counts.items() if n)
    if findings:
        log.info("共 %d 项问题：%s", len(findings), summary)
    else:
        log.info("未发现问题")
    return 1 if findings else 0


def run_rename(args) -> int:
    from aexl.files.rename import apply_renames, default_log_path, plan_renames, write_rename_log

    plan = plan_renames(args.root)
    if not plan:
        log.info("没有需要改名的文件")
        return 0
    results = apply_renames(plan) if args.apply else plan
    for item in results:
        source = item.source.relative_to(args.root).as_posix()
        target = item.target.name if item.target else "？"
        line = printable(f"{source} → {target}：{item.note}")
        if item.status == "planned":
            print(line)  # the dry run's plan is its output
        else:
            log.info(line)
        if item.status == "renamed":
            print(printable(item.target))
    if args.apply:
        log_path = args.log or default_log_path(args.root, _today(args))
        print(printable(write_rename_log(results, args.root, log_path)))
    else:
        log.info("试运行，未改动任何文件；确认后加 --apply 执行")
    left = sum(item.status not in ("renamed", "planned") for item in results)
    if left:
        log.info("%d 个文件未能自动改名，请人工处理", left)
    return 1 if left else 0


def run_archive(args) -> int:
    from aexl.files.archive import make_archives, parse_period

    period = parse_period(quarter=args.quarter, year=args.year)
    written = make_archives(args.root, period, _today(args), args.out, args.client)
    print_paths(printable(path) for path in written)
    return 0


def run_verify(args) -> int:
    from aexl.files.archive import verify_archive

    result = verify_archive(args.archive)
    for problem in result.problems:
        print(printable(problem))
    if result.ok:
        log.info("校验通过：%d 个文件与清单一致", result.files)
        return 0
    log.info("校验失败：%d 个问题", len(result.problems))
    return 1
