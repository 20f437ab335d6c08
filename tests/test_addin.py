"""The desktop add-in AE工作台.xlam, built on Linux and read back (pyOpenVBA, zip, XML)."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import zipfile
from xml.etree import ElementTree as ET

import aexl_udfs
import pytest
from pyopenvba import ExcelFile

from aexl.excel import addin, ribbon

EXPECTED = {
    "工作单": ["新建工作号", "新建修改单", "校验工作单", "打印工作单", "签核", "工作进度表"],
    "质检": ["文案合规检查"],
    "报告": ["待办", "生成周报", "投放列表", "效果图表", "月度总结"],
    "工具": ["诊断"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("addin")
    result = subprocess.run(
        [sys.executable, "-m", "aexl", "addin", "build", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    path = out / addin.ADDIN_NAME
    assert result.stdout.strip() == str(path)
    return path


def test_package_has_custom_ui_with_relationship(built):
    with zipfile.ZipFile(built) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        assert addin.CUSTOMUI_PART in names and "xl/vbaProject.bin" in names
        rels = ET.fromstring(z.read("_rels/.rels"))
        targets = {r.get("Target"): r.get("Type") for r in rels}
        assert targets[addin.CUSTOMUI_PART] == addin.CUSTOMUI_REL
        assert "xl/workbook.xml" in targets  # the original relationships are kept
        types = z.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
        ui = z.read(addin.CUSTOMUI_PART).decode("utf-8")
    assert ui == addin.RIBBON_XML.read_text("utf-8")


def test_ribbon_tab_groups_and_buttons(built):
    with zipfile.ZipFile(built) as z:
        root = ET.fromstring(z.read(addin.CUSTOMUI_PART))
    ns = {"c": addin.CUSTOMUI_NS}
    assert root.tag == f"{{{addin.CUSTOMUI_NS}}}customUI"  # customUI14
    (tab,) = root.findall(".//c:tab", ns)
    assert tab.get("label") == "AE工作台"
    groups = {g.get("label"): [b.get("label") for b in g.findall("c:button", ns)] for g in tab}
    assert groups == EXPECTED
    for button in root.iterfind(".//c:button", ns):
        assert button.get("imageMso"), button.get("id")
        assert button.get("screentip") and button.get("supertip")
        assert re.search(r"[\u4e00-\u9fff]", button.get("supertip"))


def test_every_button_calls_an_existing_handler(built):
    with ExcelFile(built) as book:
        modules = book.vba_modules()
        assert book.validate() == []
    assert {"xlwings", "AexlRibbon", "AexlUdfs"} <= set(modules)
    callbacks = addin.vba_callbacks(modules["AexlRibbon"])
    buttons = addin.ribbon_buttons()
    assert len(buttons) == 13
    for button in buttons:
        sub = button["on_action"]
        assert sub in callbacks, f"{button['label']}: no Sub {sub}(control As IRibbonControl)"
        handler = addin.handler_of(callbacks[sub])
        assert handler == button["handler"], sub
        assert handler in ribbon.HANDLERS and callable(getattr(ribbon, handler))
    assert set(callbacks) == {b["on_action"] for b in buttons}  # no orphan callbacks


def test_runpython_is_xlwings_own(built):
    with ExcelFile(built) as book:
        xlwings_module = book.get_module("xlwings")
    assert re.search(r"Public Function RunPython\(PythonCommand As String\)", xlwings_module)
    assert 'Public Const PROJECT_NAME As String = "aexl"' in xlwings_module
    assert 'GetConfig("USE UDF SERVER"' in xlwings_module


def test_udf_wrappers_cover_every_function(built):
    with ExcelFile(built) as book:
        source = book.get_module("AexlUdfs")
    for name in aexl_udfs.__all__:
        params = inspect.signature(getattr(aexl_udfs, name)).parameters.values()
        declared = ", ".join(f"Optional {p.name}" if p.default is None else p.name for p in params)
        assert f"Function {name}({declared})" in source
        names = ", ".join(p.name for p in params)
        assert f'XLPy.CallUDF("aexl_udfs", "{name}", Array({names})' in source
    # the 品牌 / 节假日 tables are optional last arguments
    assert (
        "Function AE_NEXTJOBNO(brand, product_line, open_date, issued, Optional brands)" in source
    )
    assert "Function AE_DEADLINE(start_time, kind, Optional holidays)" in source


VBA_RESERVED = {"date", "line", "end", "name", "text", "string", "type", "next", "loop", "open"}


def test_udf_parameters_are_valid_vba_identifiers():
    for name in aexl_udfs.__all__:
        for param in inspect.signature(getattr(aexl_udfs, name)).parameters:
            assert param.lower() not in VBA_RESERVED, f"{name}({param})"
            assert re.fullmatch(r"[A-Za-z]\w{0,30}", param)


def test_vba_sources_are_ascii():
    assert addin.RIBBON_BAS.read_text("utf-8").isascii()
    assert addin.udf_wrappers_source().isascii()


@pytest.mark.parametrize(
    "command,handler",
    [
        (
            "import xlwings as xw, aexl.excel.ribbon as r; r.check_copy(xw.Book.caller())",
            "check_copy",
        ),
        ("import foo; foo.bar()", None),
    ],
)
def test_handler_of(command, handler):
    assert addin.handler_of(command) == handler


def test_config_text_is_vba_write_format():
    text = addin.config_text("C:\\Python311\\pythonw.exe")
    lines = text.split("\r\n")
    assert lines[0].endswith('","C:\\Python311\\pythonw.exe"')
    assert '"UDF MODULES","aexl_udfs"' in lines
    assert '"USE UDF SERVER","True"' in lines


def test_install_copies_into_addin_folder(built, tmp_path, monkeypatch):
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    monkeypatch.setattr(addin.sys, "platform", "win32")
    monkeypatch.setattr(addin, "interpreter", lambda: "C:\\Users\\张伟\\Python311\\pythonw.exe")
    target, conf = addin.install_addin(built, tmp_path / "XLSTART", codepage="cp936")
    assert target.read_bytes() == built.read_bytes()
    assert conf == tmp_path / "home" / ".aexl" / "aexl.conf"
    data = conf.read_bytes()
    assert b"\r\r\n" not in data and data.count(b"\n") == data.count(b"\r\n")
    assert '"INTERPRETER_WIN","C:\\Users\\张伟\\Python311\\pythonw.exe"'.encode("cp936") in data
    assert addin.read_config(conf, "cp936")["UDF MODULES"] == "aexl_udfs"


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the manual steps are for systems without Excel"
)
def test_install_on_linux_prints_manual_steps():
    result = subprocess.run(
        [sys.executable, "-m", "aexl", "addin", "install"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "XLSTART" in result.stdout and "手动" in result.stdout


# --- issue 11 -----------------------------------------------------------------------

import xlwings  # noqa: E402
from pyopenvba.cfb import CFB  # noqa: E402

from aexl.errors import AexlError  # noqa: E402
from aexl.excel import addin_vba, cells  # noqa: E402
from aexl.excel.imagemso import EXCEL_IMAGEMSO  # noqa: E402

ZHANG = "C:\\Users\\张伟\\AppData\\Local\\Programs\\Python\\Python311\\pythonw.exe"


def test_conf_bytes_for_a_chinese_user_name_are_gbk_with_crlf():
    data = addin.config_bytes(ZHANG, "cp936", shorten=lambda _p: None)
    expected = (
        f'"INTERPRETER_WIN","{ZHANG}"\r\n'
        '"UDF MODULES","aexl_udfs"\r\n'
        '"USE UDF SERVER","True"\r\n'
        f'"AEXL XLWINGS VERSION","{xlwings.__version__}"\r\n'
    )
    if sys.platform == "darwin":
        expected = expected.replace("INTERPRETER_WIN", "INTERPRETER_MAC")
    assert data == expected.encode("cp936")
    assert "张伟".encode("cp936") == b"\xd5\xc5\xce\xb0" and b"\xd5\xc5\xce\xb0" in data
    assert b"\r\r\n" not in data and "张伟".encode() not in data  # not UTF-8


@pytest.mark.parametrize(
    "codepage,path,writable",
    [
        ("cp936", ZHANG, True),  # Chinese Windows (GBK)
        ("cp1252", "C:\\Python311\\pythonw.exe", True),  # Western Windows, ASCII path
        ("cp1252", ZHANG, False),  # a Chinese name on a Western Windows
        ("cp936", "C:\\Users\\Zoë\\Python311\\pythonw.exe", False),  # ë is not in GBK
        ("cp950", ZHANG, False),  # 张 (simplified) is not in Big5
    ],
)
def test_conf_refuses_a_path_the_code_page_cannot_spell(codepage, path, writable):
    if writable:
        assert addin.config_bytes(path, codepage, shorten=lambda _p: None).decode(codepage)
        return
    with pytest.raises(AexlError) as caught:
        addin.config_bytes(path, codepage, shorten=lambda _p: None)
    assert "8.3" in caught.value.message and "C:\\Python311" in caught.value.message
    assert codepage in caught.value.message


def test_conf_uses_the_short_path_when_there_is_one():
    short = "C:\\Users\\D5C5~1\\AppData\\Local\\Programs\\Python\\Python311\\pythonw.exe"
    data = addin.config_bytes(ZHANG, "cp1252", shorten=lambda _p: short)
    assert f'"INTERPRETER_WIN","{short}"'.encode("cp1252") in data or sys.platform == "darwin"


def _template_runtime_modules(template):
    with ExcelFile(template) as book:
        out = {}
        for module in book.vba_project().modules:
            header = module.attribute_header or ""
            document = "0{00020819-" in header or "0{00020820-" in header
            if not document and module.name not in {"Module1", "RibbonMyAddin"}:
                out[module.name] = module.source
    return out


@pytest.mark.parametrize("template", ["quickstart_addin.xlam", "quickstart_addin_ribbon.xlam"])
def test_module_list_matches_xlwings_own_addin_template(built, template):
    from pathlib import Path

    path = Path(xlwings.__file__).parent / template
    expected = _template_runtime_modules(path)
    assert set(expected) == {"xlwings", "Dictionary"}  # what xlwings' add-in needs
    with ExcelFile(built) as book:
        modules = book.vba_modules()
    assert set(expected) <= set(modules)
    assert modules["Dictionary"] == expected["Dictionary"]  # the class macOS needs
    assert "Dim d As Dictionary" in modules["xlwings"]


def test_vba_project_stream_is_the_ms_ovba_writer_form(built):
    with zipfile.ZipFile(built) as z:
        project = CFB.from_bytes(z.read("xl/vbaProject.bin"))
    stream = project.get_stream_in_storage("VBA", "_VBA_PROJECT")
    assert stream == bytes.fromhex("cc61ffff000100")  # 0x61CC, version 0xFFFF, no cache
    with ExcelFile(built) as book:
        cookies = {m.name: m.cookie for m in book.vba_project().modules}
        assert book.validate() == []
    assert cookies and set(cookies.values()) == {0xFFFF}


def test_dll_name_follows_the_installed_xlwings(built):
    with ExcelFile(built) as book:
        dlls = addin.dll_names(book.get_module("xlwings"))
    version = xlwings.__version__
    assert set(dlls) == {f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"}
    assert addin.expected_dll() == f"xlwings64-{version}.dll"


@pytest.mark.parametrize(
    "dlls,where,problem",
    [
        (["expected"], "parent", None),  # python.org install: DLL beside python.exe
        (["expected"], "grandparent", None),  # venv: Scripts\\..\\ holds the DLL
        (["xlwings64-0.30.0.dll"], "parent", "版本不一致"),
        ([], "parent", "找不到"),
    ],
)
def test_dll_problems(tmp_path, dlls, where, problem):
    python = tmp_path / "venv" / "Scripts" / "pythonw.exe"
    python.parent.mkdir(parents=True)
    python.write_bytes(b"")
    folder = python.parent if where == "parent" else python.parent.parent
    for name in dlls:
        (folder / (addin.expected_dll() if name == "expected" else name)).write_bytes(b"")
    problems = addin.dll_problems(str(python))
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


def test_function_wizard_help_is_registered_from_the_addin(built):
    with ExcelFile(built) as book:
        functions = book.get_module(addin_vba.FUNCTIONS_MODULE)
        workbook = book.get_module("ThisWorkbook")
    assert re.search(r"Private Sub Workbook_Open\(\)\s+AexlFunctions\.RegisterFunctions", workbook)
    assert "Application.MacroOptions" in functions and functions.isascii()
    assert max(len(line) for line in functions.splitlines()) < 1023  # VBA's line limit
    registered = addin_vba.parse_macro_options(functions)
    assert set(registered) == set(aexl_udfs.__all__)
    for name in aexl_udfs.__all__:
        func = getattr(aexl_udfs, name)
        params = list(inspect.signature(func).parameters)
        assert registered[name]["category"] == "AE工作台"
        assert registered[name]["description"] == " ".join(func.__doc__.split())[:255]
        expected = [aexl_udfs.ARG_DOCS[name][p][:255] for p in params]
        assert registered[name]["arguments"] == expected
    assert "拼音首字母" in registered["AE_CODE"]["description"]
    assert registered["AE_JOBNO"]["arguments"][0].startswith("品牌名称")


@pytest.mark.parametrize("text", ["AE工作台", '如 =AE_CODE("美的") 得 MD', "𠀋 emoji 😀", ""])
def test_vba_text_spelling_round_trips(text):
    lines = addin_vba._spell("d", text)
    source = "\n".join(["Sub RegisterFunctions()", *lines, "End Sub"])
    assert source.isascii()
    assert addin_vba.from_utf16_hex(addin_vba.utf16_hex(text)) == text


def test_udf_wrappers_turn_error_text_into_excel_errors(built):
    with ExcelFile(built) as book:
        source = book.get_module("AexlUdfs")
    for name in aexl_udfs.__all__:
        assert f"{name} = AexlErrors(XLPy.CallUDF(" in source
    cases = dict(re.findall(r'Case "(#[^"]+)": AexlError = CVErr\((\d+)\)', source))
    assert set(cases) == set(cells.EXCEL_ERRORS) - {"#DATA!"}
    assert cases["#N/A"] == "2042" and cases["#VALUE!"] == "2015"


def test_author_and_company_are_aexls(built):
    with zipfile.ZipFile(built) as z:
        core = ET.fromstring(z.read("docProps/core.xml"))
        app = ET.fromstring(z.read("docProps/app.xml"))
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    }
    assert core.find("dc:creator", ns).text == addin.AUTHOR == "aexl"
    assert core.find("cp:lastModifiedBy", ns).text == "aexl"
    assert app.find("ep:Company", ns).text == addin.COMPANY


def _built_ui_and_vba(built):
    with zipfile.ZipFile(built) as z:
        ui = z.read(addin.CUSTOMUI_PART)
    with ExcelFile(built) as book:
        vba = book.vba_modules()
    return ui, vba


def test_built_customui_is_structurally_valid(built):
    from officexml import customui_problems

    ui, vba = _built_ui_and_vba(built)
    assert customui_problems(ui, vba) == []


@pytest.mark.parametrize(
    "mutation,problem",
    [
        (lambda x: x.replace('onAction="', 'onAction="Missing', 1), "has no VBA Sub"),
        (
            lambda x: x.replace("<button ", "<buton ", 1).replace("</button>", "</buton>", 1),
            "not allowed",
        ),
        (lambda x: x.replace("onAction=", "onaction=", 1), "unknown attribute"),
        (lambda x: x.replace('size="large"', 'size="huge"', 1), "size"),
    ],
)
def test_customui_checker_catches_mistakes(built, mutation, problem):
    from officexml import customui_problems

    ui, vba = _built_ui_and_vba(built)
    text = ui.decode("utf-8")
    if problem == "size" and 'size="large"' not in text:
        text = text.replace("<button ", '<button size="huge" ', 1)
    mutated = mutation(text)
    assert mutated != text or problem == "size"
    assert any(problem in p for p in customui_problems(mutated.encode(), vba))


def test_customui_checker_catches_duplicate_ids(built):
    from officexml import customui_problems

    ui, vba = _built_ui_and_vba(built)
    root = ET.fromstring(ui)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    mutated = ui.decode().replace(f'id="{ids[-1]}"', f'id="{ids[-2]}"', 1)
    assert any("used 2 times" in p for p in customui_problems(mutated.encode(), vba))


def _imagemso_missing(built) -> list[str]:
    with zipfile.ZipFile(built) as z:
        root = ET.fromstring(z.read(addin.CUSTOMUI_PART))
    icons = [e.get("imageMso") for e in root.iter() if e.get("imageMso")]
    assert icons
    return sorted({icon for icon in icons if icon not in EXCEL_IMAGEMSO})


def _icons_fail_now() -> bool:
    import tempfile

    if not EXCEL_IMAGEMSO:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        return bool(_imagemso_missing(addin.build_addin(tmp)))


def test_every_ribbon_icon_is_an_excel_imagemso(built):
    assert len(EXCEL_IMAGEMSO) > 900 and "FileSave" in EXCEL_IMAGEMSO
    assert _imagemso_missing(built) == []


def test_install_warns_when_the_dll_beside_python_is_another_version(
    built, tmp_path, monkeypatch, caplog
):
    python = tmp_path / "Python311" / "pythonw.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    (python.parent / "xlwings64-0.30.0.dll").write_bytes(b"")
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    monkeypatch.setattr(addin.sys, "platform", "win32")
    monkeypatch.setattr(addin, "interpreter", lambda: str(python))
    with caplog.at_level("WARNING", logger="aexl"):
        addin.install_addin(built, tmp_path / "XLSTART", codepage="cp936")
    assert any(
        "版本不一致" in r.getMessage() and addin.expected_dll() in r.getMessage()
        for r in caplog.records
    )


def test_install_refuses_before_copying_when_the_path_cannot_be_spelt(built, tmp_path, monkeypatch):
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    monkeypatch.setattr(addin, "interpreter", lambda: ZHANG)
    monkeypatch.setattr(addin, "short_path", lambda _p: None)
    with pytest.raises(AexlError, match="8.3"):
        addin.install_addin(built, tmp_path / "XLSTART", codepage="cp1252")
    assert not (tmp_path / "XLSTART").exists() and not (tmp_path / "home").exists()
