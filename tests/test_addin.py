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
    "工作单": ["新建工作号", "新建修改单", "校验工作单", "打印工作单"],
    "质检": ["文案合规检查"],
    "报告": ["生成周报", "投放列表", "效果图表", "月度总结"],
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
    assert len(buttons) == 9
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
    target, conf = addin.install_addin(built, tmp_path / "XLSTART")
    assert target.read_bytes() == built.read_bytes()
    assert conf == tmp_path / "home" / ".aexl" / "aexl.conf"
    assert '"UDF MODULES","aexl_udfs"' in conf.read_text("utf-8")


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
