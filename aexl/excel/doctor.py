"""``aexl doctor``: what the desktop add-in needs on this machine, checked one by one.

:func:`run_checks` returns a list of :class:`Check` (name, ok, detail, fix,
all in Chinese); ``aexl doctor`` prints them, the ribbon's 「诊断」 button
shows them. Checks that cannot apply on this system (the DLL on Linux) are
left out rather than passed. Nothing here imports xlwings' Windows parts.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

from aexl.excel import addin


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(
    *,
    python: str | None = None,
    conf: Path | None = None,
    installed_addin: Path | None = None,
    codepage: str | None = None,
    windows: bool | None = None,
) -> list[Check]:
    """Every check that applies here; arguments default to this machine's values."""
    python = python or addin.interpreter()
    conf = conf or addin.config_path()
    folder = addin.addin_folder()
    if installed_addin is None and folder is not None:
        installed_addin = folder / addin.ADDIN_NAME
    codepage = codepage or addin.ansi_codepage()
    windows = sys.platform.startswith("win") if windows is None else windows
    checks = [
        check_interpreter(python),
        check_encoding(python, codepage),
        check_xlwings(),
        check_udf_module(),
        check_conf(conf, codepage, python),
    ]
    if installed_addin is not None:
        checks.append(check_addin(installed_addin))
    if windows:
        checks.append(check_dll(python))
        checks.append(check_office_flavour())
    return checks


REINSTALL = "运行 aexl addin install 重新安装加载项和设置"


def check_interpreter(python: str) -> Check:
    name = "Python 解释器"
    if Path(python).is_file():
        return Check(name, True, python)
    return Check(name, False, f"找不到 {python}", "重新安装 Python 后" + REINSTALL)


def check_encoding(python: str, codepage: str) -> Check:
    name = "Python 路径的编码"
    try:
        addin.config_bytes(python, codepage, shorten=addin.short_path)
    except addin.AexlError as exc:
        return Check(name, False, f"代码页 {codepage} 无法表示 {python}", exc.message)
    return Check(name, True, f"代码页 {codepage} 可以表示 {python}")


def check_xlwings() -> Check:
    name = "xlwings"
    try:
        import xlwings
    except ImportError:
        return Check(name, False, "未安装 xlwings", "运行 pip install aexl（会一并安装 xlwings）")
    return Check(name, True, f"已安装 {xlwings.__version__}")


def check_udf_module() -> Check:
    name = f"工作表函数模块 {addin.UDF_MODULE}"
    try:
        module = importlib.import_module(addin.UDF_MODULE)
    except Exception as exc:  # any failure here is what Excel would meet
        return Check(
            name, False, f"无法导入：{type(exc).__name__}: {exc}", "运行 pip install aexl 重新安装"
        )
    return Check(name, True, f"可以导入（{len(module.__all__)} 个函数）")


def check_conf(conf: Path, codepage: str, python: str) -> Check:
    name = f"设置文件 {conf.name}"
    if not conf.is_file():
        return Check(name, False, f"没有 {conf}", REINSTALL)
    data = conf.read_bytes()
    try:
        text = data.decode(codepage)
    except UnicodeDecodeError:
        return Check(name, False, f"{conf} 不是代码页 {codepage} 的文本", REINSTALL)
    if "\r\r\n" in text or text.count("\n") != text.count("\r\n"):
        return Check(name, False, f"{conf} 的换行不是 Windows 的 CRLF", REINSTALL)
    settings = addin.read_config(conf, codepage)
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    problems = []
    if settings.get(key) not in (python, addin.short_path(python)):
        problems.append(f"{key} 是 {settings.get(key) or '（空）'}，不是本机的 {python}")
    import xlwings

    written = settings.get("AEXL XLWINGS VERSION")
    if written != xlwings.__version__:
        problems.append(
            f"按 xlwings {written or '（旧版）'} 写成，已安装的是 {xlwings.__version__}"
        )
    if problems:
        return Check(name, False, "；".join(problems), REINSTALL)
    return Check(name, True, f"{conf}（{codepage}，CRLF）")


def check_addin(path: Path) -> Check:
    name = f"加载项 {path.name}"
    if not path.is_file():
        return Check(name, False, f"没有 {path}", REINSTALL)
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        modules = book.module_names()
        source = book.get_module("xlwings") if "xlwings" in modules else ""
    dlls = addin.dll_names(source)
    wanted = addin.expected_dll()
    if wanted not in dlls:
        found = "、".join(dlls) or "无"
        return Check(name, False, f"加载项调用 {found}，已安装的 xlwings 需要 {wanted}", REINSTALL)
    missing = {"Dictionary", "AexlRibbon", "AexlUdfs", "AexlFunctions"} - set(modules)
    if missing:
        return Check(name, False, f"加载项缺少模块 {'、'.join(sorted(missing))}", REINSTALL)
    return Check(name, True, f"{path}（{wanted}）")


def check_dll(python: str) -> Check:
    name = "xlwings DLL"
    problems = addin.dll_problems(python)
    if problems:
        return Check(name, False, problems[0], "见 docs/EXCEL.md「常见问题」")
    return Check(name, True, f"{addin.expected_dll()} 在 Python 文件夹中")


def check_office_flavour() -> Check:
    """Microsoft Store (AppX) Office cannot start xlwings' COM server for UDF Server mode."""
    name = "Office 版本"
    import os

    store = Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "WindowsApps"
    click_to_run = Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "Microsoft Office"
    store_office = store.is_dir() and any(store.glob("Microsoft.Office.Desktop*"))
    if store_office and not click_to_run.is_dir():
        return Check(
            name,
            False,
            "检测到微软商店版 Office：xlwings 无法在其中启动 Python COM 服务"
            "（「Could not activate Python COM server」）",
            "改装 office.com 下载的即点即用版 Office，或在 aexl.conf 中把 USE UDF SERVER 设为 False"
            "（按钮仍可用，工作表函数改用 Office.js 加载项）",
        )
    return Check(name, True, "即点即用（Click-to-Run）或 MSI 版 Office")


def report(checks: list[Check]) -> str:
    """The checks as lines: ``[通过] 名称：详情`` / ``[失败] …`` with ``    解决：…``."""
    lines = []
    for check in checks:
        lines.append(f"[{'通过' if check.ok else '失败'}] {check.name}：{check.detail}")
        if not check.ok and check.fix:
            lines.append(f"    解决：{check.fix}")
    failed = sum(not c.ok for c in checks)
    lines.append("全部通过。" if not failed else f"{failed} 项未通过，请按上面的「解决」处理。")
    return "\n".join(lines)
