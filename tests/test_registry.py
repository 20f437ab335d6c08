"""The report registry: one declaration per report, everything else generated from it."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from aexl.excel import ribbon_ui
from aexl.reports import registry
from aexl.reports.registry import Button, Report

TOY = Report(
    "toy",
    "玩具报表",
    "month",
    "玩具报表：测试用",
    "aexl toy --book 星河食品_AE工作台.xlsx --month 2026-10",
    button=Button("toy_report", "玩具报表", "ChartInsert", "report", "测试用的报表按钮。"),
)


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setattr(registry, "REPORTS", [*registry.REPORTS, TOY])
    return TOY


def test_a_toy_report_appears_everywhere(toy):
    from aexl.excel import ribbon
    from aexl.excel.addin import ribbon_buttons, vba_callbacks
    from aexl.files.naming import is_report_name
    from aexl.monthend import is_output_name

    assert "toy_report" in ribbon.HANDLERS
    buttons = {b["handler"]: b for b in ribbon_buttons(ribbon_ui.ribbon_xml())}
    assert buttons["toy_report"]["label"] == "玩具报表"
    assert buttons["toy_report"]["on_action"] == "AexlToyReport"
    assert (
        "r.toy_report(xw.Book.caller())"
        in vba_callbacks(ribbon_ui.vba_callbacks())["AexlToyReport"]
    )
    assert "FunctionName>aexl-toy-report<" in ribbon_ui.manifest_xml()
    assert is_report_name("20261110_美的_玩具报表.xlsx")
    assert is_output_name("20261110_美的_玩具报表.xlsx")


def test_the_committed_ribbon_files_are_the_generated_ones():
    assets = ribbon_ui.ASSETS
    assert (assets / "ribbon.xml").read_text("utf-8") == ribbon_ui.ribbon_xml()
    assert (assets / "AexlRibbon.bas").read_text("utf-8") == ribbon_ui.vba_callbacks()
    assert (assets / "manifest.xml").read_text("utf-8") == ribbon_ui.manifest_xml()
    ET.fromstring(ribbon_ui.ribbon_xml().encode())
    assert ribbon_ui.vba_callbacks().isascii()


# Excel imageMso names confirmed in public customUI files (the issue found four that are not).
NOT_EXCEL = {"ReviewTrackChanges", "DateAndTimeInsert", "TableInsert", "CreateReport"}


def test_ribbon_icons_are_excel_image_mso_names():
    images = {b.image for b in registry.ribbon_commands()}
    assert not images & NOT_EXCEL
