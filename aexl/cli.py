"""The ``aexl`` command.

Each subcommand is a thin adapter in ``aexl/commands/<name>.py`` exposing
``register(subparsers)``; the parser's ``func`` default runs it. Modules are
imported only to build the parser, and the core modules they call are
imported inside the handlers, so ``aexl --help`` stays fast.

Exit codes: 0 fine, 1 findings (check-style commands), 2 a user error
(one Chinese line on stderr), 3 an internal bug (logged with traceback).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import tempfile
import traceback
from pathlib import Path

from aexl.errors import AexlError

COMMAND_MODULES = (
    "init",
    "code",
    "jobno",
    "check",
    "copycheck",
    "weekly",
    "placements",
    "charts",
    "monthly",
    "yearend",
    "jobsheet",
    "month_end",
    "files",
    "addin",
    "serve",
)

log = logging.getLogger("aexl")


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
        try:
            module = importlib.import_module(f"aexl.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"aexl.commands.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
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
    except PermissionError as exc:
        name = Path(exc.filename).name if exc.filename else "文件"
        print(
            f"aexl: 无法写入或读取 {name}：文件被占用或没有权限，请先在 Excel 中关闭它再重试。",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("aexl: 已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        log_path = Path(tempfile.gettempdir()) / "aexl-error.log"
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
        print(
            f"aexl: 内部错误（程序缺陷，不是您的操作问题），详情已记录到 {log_path}，"
            "请把该文件发给维护人员。",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
