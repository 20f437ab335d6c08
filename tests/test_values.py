from datetime import date, datetime

import pytest

from aexl import values


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11-26", date(2026, 11, 26)),
        ("2026/11/26", date(2026, 11, 26)),
        ("2026.1.5", date(2026, 1, 5)),
        ("2026年11月26日", date(2026, 11, 26)),
        ("２０２６年１１月２６日", date(2026, 11, 26)),
        (" 2026 - 11 - 26 ", date(2026, 11, 26)),
        ("20261126", date(2026, 11, 26)),
        (date(2026, 11, 26), date(2026, 11, 26)),
        (datetime(2026, 11, 26, 14, 30), date(2026, 11, 26)),
        (46352.0, date(2026, 11, 26)),  # Excel serial
        ("", None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert values.parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11-26 14:30", datetime(2026, 11, 26, 14, 30)),
        ("2026/11/26 9:05:30", datetime(2026, 11, 26, 9, 5, 30)),
        ("2026年11月26日 下午2:30", datetime(2026, 11, 26, 14, 30)),
        ("2026年11月26日 14点", datetime(2026, 11, 26, 14, 0)),
        ("2026-11-26", datetime(2026, 11, 26)),
        (46352.5, datetime(2026, 11, 26, 12, 0)),
    ],
)
def test_parse_datetime(raw, expected):
    assert values.parse_datetime(raw) == expected


@pytest.mark.parametrize("raw", ["2026-13-01", "2026-02-30", "下周一", "abc", True])
def test_parse_date_rejects_with_chinese_hint(raw):
    with pytest.raises(ValueError, match="日期"):
        values.parse_date(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12000", 12000.0),
        ("¥12,000", 12000.0),
        ("￥12,000.50", 12000.5),
        ("12000元", 12000.0),
        ("1.2万", 12000.0),
        ("1.2万元", 12000.0),
        ("RMB 8k", 8000.0),
        ("１２０００", 12000.0),
        (12000, 12000.0),
        ("-500", -500.0),
        ("", None),
    ],
)
def test_parse_money(raw, expected):
    assert values.parse_money(raw) == expected


@pytest.mark.parametrize("raw", ["一万二", "12,000美元", "约1万", "TBD"])
def test_parse_money_rejects(raw):
    with pytest.raises(ValueError, match="金额"):
        values.parse_money(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [("60", 60.0), ("60%", 60.0), ("６０％", 60.0), (0.6, 60.0), (60, 60.0), (100, 100.0)],
)
def test_parse_percent(raw, expected):
    assert values.parse_percent(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-W47", "2026-W47"),
        ("2026W7", "2026-W07"),
        ("2026-w47", "2026-W47"),
        ("２０２６－Ｗ４７", "2026-W47"),
        ("2026年第47周", "2026-W47"),
        ("2026-W53", "2026-W53"),
        ("2025-W53", None),
    ],
)
def test_parse_week(raw, expected):
    if expected is None:
        with pytest.raises(ValueError, match="53"):
            values.parse_week(raw)
    else:
        assert values.parse_week(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-10", "2026-10"),
        ("2026/1", "2026-01"),
        ("2026年10月", "2026-10"),
        ("202610", "2026-10"),
        (date(2026, 10, 5), "2026-10"),
    ],
)
def test_parse_month(raw, expected):
    assert values.parse_month(raw) == expected


def test_parse_month_rejects_month_13():
    with pytest.raises(ValueError, match="月份"):
        values.parse_month("2026-13")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  美的\u200b ", "美的"),
        ("ＡＢＣ　１２３", "ABC 123"),
        ("背景：新品上市，（一）渠道", "背景：新品上市，（一）渠道"),
        (12.0, "12"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_norm_text(raw, expected):
    assert values.norm_text(raw) == expected


def test_week_and_month_bounds():
    assert values.week_bounds("2026-W47") == (date(2026, 11, 16), date(2026, 11, 22))
    assert values.month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert values.month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))


# ---- unreadable values and output hygiene (issue 10) ---------------------------------------


@pytest.mark.parametrize(
    "parser, raw",
    [
        (values.parse_number, "inf"),
        (values.parse_number, "1e999"),
        (values.parse_number, "NaN"),
        (values.parse_number, float("inf")),
        (values.parse_int, "-Infinity"),
        (values.parse_money, "1" + "0" * 400),  # 1e400 yuan: float() gives inf
        (values.parse_money, float("-inf")),
        (values.parse_percent, "inf%"),
        # a NaN float is pandas' "missing" to the parsers; the reader flags NaN cells itself
    ],
)
def test_non_finite_numbers_are_rejected(parser, raw):
    with pytest.raises(ValueError) as info:
        parser(raw)
    assert "有限" in str(info.value) or "无法识别" in str(info.value)
    assert len(str(info.value)) < 80  # a 400-digit number is shortened in the message


@pytest.mark.parametrize(
    "text, code",
    [("#REF!", "#REF!"), (" #n/a ", "#N/A"), ("#SPILL!", "#SPILL!"), ("#标签", None), (3, None)],
)
def test_excel_error(text, code):
    found = values.excel_error(text)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain 美的", "plain 美的"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("bell\x07 nul\x00", "bell\\x07 nul\\x00"),
        ("line\nbreak\r", "line\\x0abreak\\x0d"),
        ("csi\x9b", "csi\\x9b"),
        ("rtl\u202eexe.pdf", "rtl\\u202eexe.pdf"),
    ],
)
def test_printable_escapes_control_characters(raw, shown):
    assert values.printable(raw) == shown


@pytest.mark.parametrize(
    "raw, cell",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),
        ("美的/a.pdf", "美的/a.pdf"),
        (12, 12),
    ],
)
def test_csv_cells_are_formula_escaped_and_round_trip(raw, cell):
    assert values.csv_cell(raw) == cell
    if isinstance(raw, str):
        assert values.csv_uncell(values.csv_cell(raw)) == raw
