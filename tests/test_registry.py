"""The report registry: one declaration per report, everything else generated from it."""

from __future__ import annotations

from dataclasses import dataclass
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
    f"{__name__}:toy_reports",
    f"{__name__}:write_toy",
    button=Button("toy_report", "玩具报表", "ChartInsert", "report", "测试用的报表按钮。"),
)


@dataclass
class ToyReport:
    brand: str
    period: str

    @property
    def filename(self) -> str:
        return f"20261031_{self.brand}_玩具报表.xlsx"


def toy_reports(source, period, calendar=None, brands=None):
    """One toy report per brand of the workbench's 品牌 sheet (or the chosen ones)."""
    names = dict.fromkeys(source.frame("品牌")["品牌"].dropna())
    return [ToyReport(b, period.key) for b in names if not brands or b in brands]


def write_toy(report, path):
    from aexl.workbook.write import Book

    book = Book(path)
    book.sheet("玩具").put(1, 1, f"{report.brand} {report.period}")
    return book.save()


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


def test_a_toy_report_is_a_cli_command_that_runs(toy, aexl, tmp_path):
    from openpyxl import load_workbook

    from aexl.cli import build_parser
    from aexl.workbook.template import write_workbench

    help_text = aexl("toy", "--help").stdout
    assert "玩具报表：测试用" in help_text and toy.example in help_text
    for flag in ("--book", "--month", "--brand", "--out", "--force"):
        assert flag in help_text
    assert "toy" in build_parser().format_help()

    empty = write_workbench(tmp_path / "empty.xlsx")
    result = aexl("toy", "--book", empty, "--month", "2026-10", "--out", tmp_path)
    assert result.returncode == 0 and result.stdout == ""  # nothing to write, and it says so
    assert "2026-10 没有任何品牌的记录，未生成玩具报表。" in result.stderr

    brands = [
        ["星河食品", "星河", "", "方便面", "", ""],
        ["星河食品", "小河豚", "", "海苔", "", ""],
    ]
    book = write_workbench(tmp_path / "wb.xlsx", {"品牌": brands})
    result = aexl(
        "toy", "--book", book, "--month", "2026-10", "--brand", "小河豚", "--out", tmp_path
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / "20261031_小河豚_玩具报表.xlsx"
    assert result.stdout.strip() == str(written)
    assert load_workbook(written)["玩具"]["A1"].value == "小河豚 2026-10"
    bad = aexl("toy", "--book", book, "--month", "10月")
    assert bad.returncode == 2 and bad.stderr.startswith("aexl: --month 月份写法有误")


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
