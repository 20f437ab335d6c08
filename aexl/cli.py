"""The ``aexl`` command.

Each subcommand is a thin adapter in ``aexl/commands/<name>.py`` exposing
``register(subparsers)``; the parser's ``func`` default runs it. The report
commands are generated from ``aexl.reports.registry`` (``aexl.commands.reports``). Modules are
imported only to build the parser, and the core modules they call are
imported inside the handlers, so ``aexl --help`` stays fast.

Exit codes: 0 fine, 1 findings (check-style commands), 2 a user error
(one Chinese line on stderr), 3 an internal bug (logged with traceback).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import sys
from pathlib import Path

from aexl.errors import AexlError

# Modules of the commands that are not reports, in help order; "reports" adds one
# command per report kind of ``aexl.reports.registry`` at its place.
COMMAND_MODULES = (
    "init",
    "code",
    "jobno",
    "check",
    "copycheck",
    "reports",
    "month_end",
    "files",
    "calendar",
    "addin",
    "serve",
    "doctor",
    "ledger",
    "due",
    "schedule",
)

log = logging.getLogger("aexl")


# argparse looks its messages up through ``argparse._`` (gettext) at call
# time: answering in Chinese there covers usage errors and --help alike.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本并退出",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开「%(filename)s」：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用：%(choices)s）",
}
argparse._ = lambda text: ARGPARSE_ZH.get(text, text)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and exit code 2 in one line."""

    def error(self, message: str) -> None:
        self.exit(2, f"aexl: 参数有误：{message}（用 {self.prog} --help 查看用法和示例）\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="aexl",
        description="AE工作台：工作号、工作单校验、广告法文案检查、周报/月报与月底批处理。",
        epilog="示例：aexl check --book workbooks/sample/星河食品_AE工作台.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"aexl.commands.{name}").register(sub)
    return parser


def _version() -> str:
    from aexl import __version__

    return f"aexl {__version__}"


def add_command(sub, name: str, help_text: str, example: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with an example."""
    return sub.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"示例：\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def print_paths(paths) -> None:
    """Each written file on its own line on stdout."""
    for path in paths:
        print(Path(path))


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except AexlError as exc:
        print(f"aexl: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.errno not in OS_ERRORS:
            return _internal_error()
        print(f"aexl: {os_error_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("aexl: 已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        return _internal_error()


def _internal_error() -> int:
    """Log the traceback of a bug and say where it went, in one line."""
    from aexl.errors import internal_error_message, log_internal_error

    print(f"aexl: {internal_error_message(log_internal_error('cli'))}", file=sys.stderr)
    return 3


# Operating-system errors a user can cause (a path that is a file, a full
# disk, a file Excel holds open) and what to tell them.
OS_ERRORS = {
    errno.ENOENT: "找不到该路径，请检查文件夹和文件名",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹，请换一个输出文件夹",
    errno.EISDIR: "这是一个文件夹，请给出文件名",
    errno.EEXIST: "已有同名文件或文件夹，请换一个名字或先移走它",
    errno.EACCES: "没有权限，或文件正被其他程序（如 Excel）占用：请先关闭它或换一个文件夹",
    errno.EPERM: "没有权限，或文件正被其他程序（如 Excel）占用：请先关闭它或换一个文件夹",
    errno.EROFS: "该位置只读，不能写入，请换一个输出文件夹",
    errno.ENOSPC: "磁盘空间不足，请清理后重试",
    errno.ENAMETOOLONG: "路径或文件名太长，请换一个较短的文件夹",
    errno.EBUSY: "文件正被其他程序占用，请关闭后重试",
}


def os_error_message(exc: OSError) -> str:
    """One Chinese line for an OSError: which path, what is wrong, what to do."""
    name = exc.filename or exc.filename2 or ""
    where = f"{name}：" if name else ""
    return f"{where}{OS_ERRORS.get(exc.errno, '无法读写该文件')}"


if __name__ == "__main__":
    raise SystemExit(main())
