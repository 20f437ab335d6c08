"""``aexl doctor``: check what the Excel desktop add-in needs on this machine."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "doctor",
        "检查本机 Excel 桌面加载项的运行条件：Python 路径及其编码、xlwings 与加载项和设置文件的版本、"
        "工作表函数模块、xlwings DLL（Windows）；逐项显示「通过/失败」和解决办法。全部通过时退出码为 0。",
        "aexl doctor",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.excel.doctor import report, run_checks

    checks = run_checks()
    print(report(checks))
    return 0 if all(check.ok for check in checks) else 1
