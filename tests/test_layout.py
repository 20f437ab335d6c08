"""Report layout: text widths and the row heights the tables and page plans are given."""

from __future__ import annotations

from datetime import date

import pytest

from aexl.reports.layout import display_width, row_heights, text_height

WIDTHS = [  # text → width in Excel character units (CJK and full-width count 2)
    ("", 0),
    ("MD-2026-001", 11),
    ("美的", 4),
    ("美的 Ace", 8),
    ("ＡＢＣ１２３", 12),  # full-width letters and digits
    ("ｶﾀｶﾅ", 4),  # half-width katakana: narrow
    ("①②", 2),  # ambiguous width: narrow
    ("已提案。\n请核实", 15),
    (2026, 4),
]


@pytest.mark.parametrize(("text", "width"), WIDTHS)
def test_display_width(text, width):
    assert display_width(text) == width


def test_display_width_with_a_wide_factor():
    assert display_width("美的A", wide=1.8) == pytest.approx(4.6)


LONG = "本周完成双十一主视觉的第二轮修改，客户提出将标题字号放大并更换背景颜色，下周提交第三稿"
ROWS = [  # a table's rows → heights (0.0: the default row height is enough)
    ([["短", 1, None]], [0.0]),
    ([[LONG, "进行中"]], [text_height(LONG, 20)]),
    ([["进行中", LONG]], [text_height(LONG, 10)]),
    ([[1, date(2026, 10, 1), LONG]], [0.0]),  # a column beyond the widths is not measured
    ([["甲\n乙\n丙", LONG]], [max(text_height("甲\n乙\n丙", 20), text_height(LONG, 10))]),
    ([], []),
]


@pytest.mark.parametrize(("rows", "expected"), ROWS)
def test_row_heights(rows, expected):
    assert row_heights(rows, [20, 10]) == expected
    assert all(h == 0.0 or h > 18 for h in expected)
