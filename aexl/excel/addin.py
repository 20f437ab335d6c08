"""The desktop add-in ``AE工作台.xlam``: build on any OS, install where Excel looks.

The add-in is an xlwings *custom add-in* (what ``xlwings quickstart --addin
--ribbon`` makes), assembled on Linux with pyOpenVBA:

* VBA module ``xlwings``: xlwings' own standalone add-in module from the
  installed xlwings package (``xlwings_custom_addin.bas``, BSD licence),
  with ``PROJECT_NAME = "aexl"``. It provides ``RunPython`` and reads its
  settings (Interpreter, Use UDF Server, …) from ``%USERPROFILE%\\.aexl\\aexl.conf``
  (Excel's sandbox home on macOS), which ``aexl addin install`` writes;
* class module ``Dictionary``: xlwings' own, which its module uses on macOS
  (both xlwings add-in templates carry it; :func:`template_modules`);
* VBA module ``AexlRibbon``: the ribbon callbacks (``aexl/addin/AexlRibbon.bas``);
* VBA modules ``AexlUdfs`` (worksheet-function wrappers, what xlwings'
  *Import Functions* would generate, prebuilt so no one needs to trust access
  to the VBA project) and ``AexlFunctions`` (their function-wizard help,
  registered from ``ThisWorkbook.Workbook_Open``): see :mod:`aexl.excel.addin_vba`;
* ``customUI/customUI14.xml``: the AE工作台 tab (``aexl/addin/ribbon.xml``)
  with its package relationship;
* ``docProps``: author and company are aexl's.

The VBA project is written in the form MS-OVBA asks of a writer: a 7-byte
``_VBA_PROJECT`` stream (version 0xFFFF, no performance cache, as in
xlwings' own add-ins) and MODULECOOKIE 0xFFFF on every module, so Excel
compiles the project from source on first open.

The DLL the xlwings module loads (``xlwings64-<version>.dll``) is named by the
installed xlwings; ``aexl addin install`` rebuilds the add-in from it, and warns
when the DLL beside the interpreter is of another version.
"""

from __future__ import annotations

import locale
import logging
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

from aexl.errors import AexlError
from aexl.excel import addin_vba, ribbon_ui
from aexl.excel.addin_vba import UDF_MODULE, udf_wrappers_source  # noqa: F401 (public API)
from aexl.workbook.write import atomic_write, atomic_write_bytes

log = logging.getLogger("aexl")

ADDIN_NAME = "AE工作台.xlam"
PROJECT_NAME = "aexl"
AUTHOR = "aexl"
COMPANY = "AE工作台（aexl）"
XLWINGS_TEMPLATE = "quickstart_addin_ribbon.xlam"  # `xlwings quickstart --addin --ribbon`
XLWINGS_SAMPLE_MODULES = frozenset({"Module1", "RibbonMyAddin"})  # the quickstart's examples
EXCEL_DOCUMENT_BASES = ("0{00020819-", "0{00020820-")  # VB_Base of ThisWorkbook / a sheet
VBA_PROJECT_WRITER_FORM = bytes.fromhex("cc61ffff000100")  # MS-OVBA 2.3.4.1 / 3.1.1
MODULE_COOKIE = 0xFFFF  # MS-OVBA 2.3.4.2.3.2.8: "MUST be 0xFFFF on write"
DLL_RE = re.compile(r'XLPyDLLName As String = "(xlwings(?:32|64)-([\w.]+)\.dll)"')
CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
ASSETS = Path(__file__).resolve().parent.parent / "addin"
RIBBON_XML = ASSETS / "ribbon.xml"
RIBBON_BAS = ASSETS / "AexlRibbon.bas"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CALLBACK_RE = re.compile(
    r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(\s*control\s+As\s+IRibbonControl\s*\)", re.I | re.M
)
RUNPYTHON_RE = re.compile(r'RunPython\s+"([^"]*)"', re.I)
HANDLER_CALL_RE = re.compile(r"\br\.(\w+)\(xw\.Book\.caller\(\)\)")


# --- sources -------------------------------------------------------------------


def ribbon_buttons(xml_text: str | None = None) -> list[dict]:
    """Every button of the ribbon XML: group, id, tag (handler), label, image, tips, onAction."""
    root = ET.fromstring(xml_text if xml_text is not None else RIBBON_XML.read_text("utf-8"))
    ns = {"c": CUSTOMUI_NS}
    out = []
    for group in root.iterfind(".//c:group", ns):
        for button in group.iterfind("c:button", ns):
            out.append(
                {
                    "group_id": group.get("id"),
                    "group": group.get("label"),
                    "id": button.get("id"),
                    "handler": button.get("tag"),
                    "label": button.get("label"),
                    "image": button.get("imageMso"),
                    "screentip": button.get("screentip"),
                    "supertip": button.get("supertip"),
                    "on_action": button.get("onAction"),
                }
            )
    return out


def vba_callbacks(source: str) -> dict[str, str]:
    """{Sub name: Python command of its RunPython call} for ribbon-callback Subs."""
    out = {}
    for match in CALLBACK_RE.finditer(source):
        body = source[match.end() : source.find("End Sub", match.end())]
        command = RUNPYTHON_RE.search(body)
        out[match.group(1)] = command.group(1) if command else ""
    return out


def handler_of(command: str) -> str | None:
    """The aexl.excel.ribbon function a RunPython command calls."""
    if "aexl.excel.ribbon as r" not in command:
        return None
    match = HANDLER_CALL_RE.search(command)
    return match.group(1) if match else None


def xlwings_module_source() -> str:
    """xlwings' standalone add-in VBA module, set up for this project."""
    import xlwings

    path = Path(xlwings.__file__).parent / "xlwings_custom_addin.bas"
    if not path.is_file():
        raise AexlError(
            f"找不到 xlwings 的加载项模板 {path.name}，请重新安装 xlwings（pip install -U xlwings）"
        )
    text = path.read_text("utf-8")
    text, count = re.subn(
        r'Public Const PROJECT_NAME As String = "[^"]*"',
        f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"',
        text,
    )
    if count != 1:
        raise AexlError(
            "xlwings 的加载项模板格式有变，无法设置项目名；请使用 pyproject.toml 中限定的 xlwings 版本"
        )
    return text


def template_modules() -> dict[str, tuple[object, str]]:
    """xlwings' own add-in modules (not the quickstart's examples, not the workbook's
    document modules), as in the installed xlwings' add-in template: {name: (kind, source)}."""
    import xlwings
    from pyopenvba import ExcelFile

    path = Path(xlwings.__file__).parent / XLWINGS_TEMPLATE
    if not path.is_file():
        raise AexlError(
            f"找不到 xlwings 的加载项模板 {path.name}，请重新安装 xlwings（pip install -U xlwings）"
        )
    out = {}
    with ExcelFile(path) as book:
        for module in book.vba_project().modules:
            header = module.attribute_header or ""
            document = any(f'VB_Base = "{base}' in header for base in EXCEL_DOCUMENT_BASES)
            if not document and module.name not in XLWINGS_SAMPLE_MODULES:
                out[module.name] = (module.kind, module.source)
    return out


def dll_names(xlwings_source: str) -> dict[str, str]:
    """{DLL file name: xlwings version} the xlwings VBA module loads."""
    return {name: version for name, version in DLL_RE.findall(xlwings_source)}


def expected_dll() -> str:
    """The 64-bit DLL name the installed xlwings' add-in module loads."""
    import xlwings

    return f"xlwings64-{xlwings.__version__}.dll"


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# --- build -----------------------------------------------------------------------


def build_addin(out_dir: str | Path) -> Path:
    """Write ``AE工作台.xlam`` into ``out_dir`` (atomically); returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_NAME
    ribbon_xml = ribbon_ui.ribbon_xml()
    ribbon_buttons(ribbon_xml)  # well-formed, or fail before writing anything
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "stage.xlam"
        _write_vba_project(stage)
        atomic_write(target, lambda tmp: _finish_package(stage, Path(tmp), ribbon_xml))
    return target


def _write_vba_project(stage: Path) -> None:
    from pyopenvba import ExcelFile

    modules = {name: kind_source for name, kind_source in template_modules().items()}
    with ExcelFile.create_new(stage) as book:
        project = book.vba_project()
        for name, (kind, source) in modules.items():
            text = xlwings_module_source() if name == "xlwings" else source
            project.add_module(name, _crlf(text), kind=kind)
        project.add_module("AexlRibbon", _crlf(RIBBON_BAS.read_text("utf-8")))
        project.add_module(addin_vba.UDFS_MODULE, _crlf(addin_vba.udf_wrappers_source()))
        project.add_module(addin_vba.FUNCTIONS_MODULE, _crlf(addin_vba.functions_module_source()))
        book.set_module("ThisWorkbook", _crlf(addin_vba.workbook_open_source()))
        if "Module1" in book.module_names():
            project.delete_module("Module1")
        for module in project.modules:
            module.cookie = MODULE_COOKIE
        book.save()


def _finish_package(source: Path, dest: Path, ribbon_xml: str) -> None:
    """Copy the package with the customUI part, aexl's properties and the writer-form project."""
    edits = {
        "_rels/.rels": _with_customui_rel,
        "docProps/core.xml": _core_properties,
        "docProps/app.xml": _app_properties,
        "xl/vbaProject.bin": _writer_form_project,
    }
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data)
            if item.filename != CUSTOMUI_PART:
                zout.writestr(item, data)
        zout.writestr(CUSTOMUI_PART, ribbon_xml.encode("utf-8"))


def _writer_form_project(data: bytes) -> bytes:
    """``vbaProject.bin`` with the 7-byte ``_VBA_PROJECT`` stream of MS-OVBA's writer."""
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes(data)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_WRITER_FORM)
    return cfb.to_bytes()


def _xml(root) -> bytes:
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    return (declaration + ET.tostring(root, encoding="unicode")).encode("utf-8")


def _core_properties(data: bytes) -> bytes:
    for prefix, uri in CORE_NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(data)
    for tag in ("dc:creator", "cp:lastModifiedBy"):
        prefix, name = tag.split(":")
        element = root.find(tag, CORE_NS)
        if element is None:
            element = ET.SubElement(root, f"{{{CORE_NS[prefix]}}}{name}")
        element.text = AUTHOR
    return _xml(root)


def _app_properties(data: bytes) -> bytes:
    ET.register_namespace("", APP_NS)
    ET.register_namespace("vt", VT_NS)
    root = ET.fromstring(data)
    company = root.find(f"{{{APP_NS}}}Company")
    if company is None:
        company = ET.SubElement(root, f"{{{APP_NS}}}Company")
    company.text = COMPANY
    return _xml(root)


def _with_customui_rel(rels: bytes) -> bytes:
    ET.register_namespace("", PKG_REL_NS)
    root = ET.fromstring(rels)
    taken = {r.get("Id") for r in root}
    for rel in list(root):
        if rel.get("Type") == CUSTOMUI_REL:
            root.remove(rel)
    rid = next(f"rIdAexl{n}" for n in range(1, 100) if f"rIdAexl{n}" not in taken)
    ET.SubElement(
        root, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=CUSTOMUI_REL, Target=CUSTOMUI_PART
    )
    return _xml(root)


# --- install ---------------------------------------------------------------------


def addin_folder() -> Path | None:
    """Excel's per-user add-in start-up folder, or None on other systems."""
    if sys.platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" if appdata else None
    if sys.platform == "darwin":
        return (
            Path.home()
            / "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
        )
    return None


def config_path() -> Path:
    """Where the add-in's xlwings module reads its settings (GetConfigFilePath)."""
    if sys.platform == "darwin":  # Excel's sandbox home
        return Path.home() / "Library/Containers/com.microsoft.Excel/Data" / f"{PROJECT_NAME}.conf"
    return (
        Path(os.environ.get("USERPROFILE") or Path.home())
        / f".{PROJECT_NAME}"
        / f"{PROJECT_NAME}.conf"
    )


def interpreter() -> str:
    """This Python, as the add-in should start it (pythonw.exe on Windows: no console window)."""
    exe = Path(sys.executable)
    if sys.platform.startswith("win"):
        windowless = exe.with_name("pythonw.exe")
        if windowless.is_file():
            return str(windowless)
    return str(exe)


def ansi_codepage() -> str:
    """The code page VBA reads ``aexl.conf`` in: Windows' ANSI code page (cp936 on Chinese
    Windows), which is also what xlwings writes its .conf files in (``open(path, "w")``)."""
    if sys.platform.startswith("win"):
        import ctypes

        return f"cp{ctypes.windll.kernel32.GetACP()}"
    return locale.getpreferredencoding(False)


def short_path(path: str) -> str | None:
    """Windows' 8.3 short form of an existing path (None elsewhere, or when 8.3 names are off)."""
    if not sys.platform.startswith("win"):
        return None
    import ctypes

    size = ctypes.windll.kernel32.GetShortPathNameW(path, None, 0)
    if not size:
        return None
    buffer = ctypes.create_unicode_buffer(size)
    ctypes.windll.kernel32.GetShortPathNameW(path, buffer, size)
    return buffer.value if buffer.value != path else None


def config_lines(python: str | None = None) -> list[tuple[str, str]]:
    """The add-in's settings, key and value, in file order."""
    import xlwings

    python = python or interpreter()
    return [
        ("INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN", python),
        ("UDF MODULES", UDF_MODULE),
        ("USE UDF SERVER", "True"),
        ("AEXL XLWINGS VERSION", xlwings.__version__),  # for `aexl doctor`; VBA ignores it
    ]


def config_text(python: str | None = None) -> str:
    """The add-in's settings in the format VBA's ``Write #`` / ``Input #`` use (CRLF)."""
    return "".join(f'"{key}","{value}"\r\n' for key, value in config_lines(python))


def config_bytes(
    python: str | None = None,
    codepage: str | None = None,
    shorten: Callable[[str], str | None] = short_path,
) -> bytes:
    """``aexl.conf`` as xlwings writes such a file: the system code page, CRLF line ends.

    A Python path the code page cannot spell (e.g. ``C:\\Users\\Zoë`` on Chinese
    Windows) would reach VBA garbled: its 8.3 short form is used when it has one,
    otherwise the install stops with what to do.
    """
    python = python or interpreter()
    codepage = codepage or ansi_codepage()
    text = config_text(python)
    try:
        return text.encode(codepage)
    except UnicodeEncodeError:
        pass
    short = shorten(python)
    if short:
        try:
            return config_text(short).encode(codepage)
        except UnicodeEncodeError:
            pass
    raise AexlError(
        f"Python 的路径 {python} 含有本机 Excel（代码页 {codepage}）无法读取的字符，"
        "加载项会找不到 Python。请把 Python 安装到只含英文字母和数字的文件夹（如 C:\\Python311），"
        "或在「设置 > 应用 > 高级应用设置」启用短文件名（8.3 格式）后，重新运行 aexl addin install。"
    )


def read_config(path: Path, codepage: str | None = None) -> dict[str, str]:
    """The settings of an ``aexl.conf`` as VBA's ``Input #`` reads them."""
    import csv

    text = path.read_bytes().decode(codepage or ansi_codepage(), errors="replace")
    return {row[0]: row[1] for row in csv.reader(text.splitlines()) if len(row) >= 2}


def dll_problems(python: str | None = None) -> list[str]:
    """Chinese warnings about the xlwings DLL the add-in loads beside the interpreter (Windows)."""
    python = Path(python or interpreter())
    wanted = expected_dll()
    folders = [python.parent, python.parent.parent]  # xlwings' VBA looks in these two
    found = sorted({p.name for folder in folders for p in folder.glob("xlwings64-*.dll")})
    if wanted in found:
        return []
    if found:
        return [
            f"Python 文件夹中的 xlwings DLL（{'、'.join(found)}）与已安装的 xlwings 版本不一致"
            f"（需要 {wanted}）：请运行 pip install --force-reinstall xlwings==版本号 后重新运行 aexl addin install"
        ]
    return [
        f"在 {folders[0]} 和 {folders[1]} 中找不到 {wanted}：请用 python.org 的安装包安装 Python"
        "（不要用微软商店版），再 pip install aexl，然后重新运行 aexl addin install"
    ]


def install_addin(
    built: Path, folder: Path | None = None, codepage: str | None = None
) -> tuple[Path, Path]:
    """Copy the built add-in into Excel's start-up folder and write its settings file."""
    folder = folder or addin_folder()
    if folder is None:
        raise AexlError("本机不是 Windows 或 macOS，无法自动安装；请按提示手动安装")
    data = config_bytes(codepage=codepage)  # refuses before anything is copied
    if sys.platform.startswith("win"):
        for problem in dll_problems():
            log.warning("警告：%s", problem)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / built.name
    atomic_write_bytes(built.read_bytes(), target)
    conf = config_path()
    atomic_write_bytes(data, conf)
    return target, conf


MANUAL_STEPS = """\
本机不是 Windows 或 macOS，无法直接安装 Excel 加载项。请在装有 Excel 的电脑上：
  1. 安装 Python 3.11 及以上版本，然后在 aexl 仓库文件夹运行：python -m pip install .
  2. 运行：aexl addin install （自动复制加载项并写好设置）
     或手动：把 {addin} 复制到
       Windows：%APPDATA%\\Microsoft\\Excel\\XLSTART
       macOS：~/Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel
     并在 {conf} 中写入 Python 路径（"INTERPRETER_WIN","C:\\...\\pythonw.exe"）
  3. Windows 需在 Excel「文件 > 选项 > 信任中心 > 信任中心设置 > 宏设置」中允许宏；
     macOS 另需运行一次：xlwings runpython install
  4. 重启 Excel，功能区出现「AE工作台」选项卡；再打开 workbooks/UDF自检.xlsx，
     所有行显示 TRUE 即安装成功。
详见 docs/EXCEL.md。
"""
