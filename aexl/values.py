"""Parsing the values people really type into a workbench.

Every parser takes a raw cell value (as python-calamine or openpyxl returns
it: ``str``, ``float``, ``int``, ``bool``, ``date``, ``datetime``, ``None``) and
returns the parsed value, ``None`` for an empty cell, or raises
``ValueError`` whose text is a Chinese hint of what was expected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

EXCEL_EPOCH = datetime(1899, 12, 30)
# Excel's error values (what a formula shows when it fails).
EXCEL_ERRORS = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#PYTHON!", "#EXTERNAL!",
)  # fmt: skip


@dataclass(frozen=True)
class ExcelError:
    """An Excel error value read from a cell (``#REF!``); never blank, never a number."""

    code: str

    def __str__(self) -> str:
        return self.code


def excel_error(text) -> ExcelError | None:
    """The error value ``text`` names (``#ref!`` → ``#REF!``), or None."""
    if not isinstance(text, str) or not text.lstrip().startswith("#"):
        return None
    code = text.strip().upper()
    return ExcelError(code) if code in EXCEL_ERRORS else None


def non_finite(value) -> bool:
    """A float that is not a finite number (inf, -inf, NaN)."""
    return isinstance(value, float) and not math.isfinite(value)


def _finite(number: float, value) -> float:
    if not math.isfinite(number):
        text = norm_text(value)
        text = text if len(text) <= 24 else text[:20] + "…"
        raise ValueError(f"「{text}」不是有限的数字（无穷大或非数字），请填写实际数值")
    return number


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# str.translate looks up every character: search first (in C), translate only on a hit
_HAS_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]").search


def _drop_zero_width(text: str) -> str:
    return text.translate(_ZERO_WIDTH) if _HAS_ZERO_WIDTH(text) else text


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not _drop_zero_width(value).strip()


# Full-width Latin letters and digits, and the ideographic space, become ASCII;
# Chinese punctuation (，：（）) stays as typed.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()}
_WIDE[0x3000] = 0x20
_HAS_WIDE = re.compile("[\uff10-\uff5a\u3000]").search


def _cell_text(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else value.date()
    return _drop_zero_width(str(value))


def _tidy(text: str) -> str:
    return " ".join(text.split()) if "\n" not in text else text.strip()


# Zero-width or full-width characters: text without any needs neither translation
_HAS_ODD = re.compile("[\u200b\u200c\u200d\u2060\ufeff\uff10-\uff5a\u3000]").search


def norm_text(value) -> str:
    """Cell text as a person meant it: trimmed, spaces folded, zero-width characters
    dropped, full-width letters and digits made ASCII; ``''`` for blank cells.

    Numbers typed into text cells come back without a trailing ``.0``.
    """
    if type(value) is str and not _HAS_ODD(value):  # the usual cell: only spaces to tidy
        return _tidy(value)
    text = _cell_text(value)
    return _tidy(text.translate(_WIDE) if _HAS_WIDE(text) else text)


def nfkc_text(value) -> str:
    """``norm_text`` with full NFKC (full-width punctuation too): for matching and parsing."""
    return _tidy(unicodedata.normalize("NFKC", _cell_text(value)))


def norm_header(value) -> str:
    """A header (or sheet name) as it is matched: NFKC, no spaces at all."""
    if type(value) is str:
        return _header_text(value)
    return "".join(nfkc_text(value).split())


@lru_cache(maxsize=4096)
def _header_text(text: str) -> str:  # the same few dozen headers, on every sheet read
    return "".join(nfkc_text(text).split())


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(上午|下午|晚上)?\s*(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?(?:\s*[:：]\s*(\d{1,2}))?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _from_serial(number: float) -> datetime:
    if not 1 <= number < 2958466:
        raise ValueError("不是有效的日期")
    return EXCEL_EPOCH + timedelta(days=number)


def parse_datetime(value) -> datetime | None:
    """A date with an optional time: Excel dates, ``2026-11-26 14:30``, ``2026年11月26日 下午2:30``."""
    if type(value) is datetime:  # the usual date cell, already typed
        return value.replace(microsecond=0)
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError("应为日期，如 2026-11-26")
    if isinstance(value, int | float):
        return _from_serial(float(value)).replace(microsecond=0)
    text = nfkc_text(value)
    m = _COMPACT_DATE_RE.match(text)
    if m:
        parts = [int(m.group(1)), int(m.group(2)), int(m.group(3)), None, 0, 0, 0]
    else:
        m = _DATE_RE.match(text)
        if not m:
            raise ValueError(f"无法识别日期「{text}」，请写成 2026-11-26 或 2026-11-26 14:30")
        year, month, day, half, hour, minute, second = m.groups()
        parts = [int(year), int(month), int(day), half, int(hour or 0), int(minute or 0)]
        parts.append(int(second or 0))
    year, month, day, half, hour, minute, second = parts
    if half in ("下午", "晚上") and hour < 12:
        hour += 12
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ValueError(f"日期「{text}」不存在，请检查年月日") from None


def parse_date(value) -> date | None:
    result = parse_datetime(value)
    return result.date() if result is not None else None


_MONEY_RE = re.compile(r"^(-?\d+(?:\.\d+)?)(万|w|k|千)?$")


def parse_money(value) -> float | None:
    """``12000``, ``¥12,000``, ``12000元``, ``1.2万``, ``RMB 8k`` → yuan as float."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("应为金额，如 12000 或 1.2万")
    if isinstance(value, int | float):
        return _finite(float(value), value)
    text = nfkc_text(value).lower()
    for token in ("rmb", "cny", "人民币", "¥", "元", ",", " ", "整"):
        text = text.replace(token, "")
    m = _MONEY_RE.match(text)
    if not m:
        raise ValueError(f"无法识别金额「{nfkc_text(value)}」，请写成 12000、¥12,000 或 1.2万")
    factor = {"万": 10000, "w": 10000, "k": 1000, "千": 1000}.get(m.group(2) or "", 1)
    return _finite(round(float(m.group(1)) * factor, 2), value)


def parse_number(value) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("应为数字")
    if isinstance(value, int | float):
        return _finite(float(value), value)
    text = nfkc_text(value).replace(",", "").replace(" ", "")
    factor = 1.0
    if text.endswith("%"):
        text, factor = text[:-1], 0.01
    elif text.endswith("万"):
        text, factor = text[:-1], 10000.0
    try:
        number = float(text) * factor
    except ValueError:
        raise ValueError(
            f"无法识别数字「{nfkc_text(value)}」，请只填数字，如 1200 或 3.5"
        ) from None
    return _finite(number, value)


def parse_int(value) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError(f"应为整数，不能是「{norm_text(value)}」")
    return int(number)


def parse_percent(value) -> float | None:
    """``60``, ``60%`` or a percent-formatted cell (0.6) → 60.0."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _finite(float(value), value)
        return round(number * 100, 6) if 0 < number < 1 else number
    text = nfkc_text(value).replace(" ", "")
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        raise ValueError(
            f"无法识别完成度「{nfkc_text(value)}」，请填 0–100 的数字，如 60 或 60%"
        ) from None
    return _finite(number, value)


_WEEK_RE = re.compile(r"^(\d{4})\s*(?:-?\s*w|年\s*第?)\s*(\d{1,2})\s*周?$", re.IGNORECASE)


def parse_week(value) -> str | None:
    """``2026-W47``, ``2026W47``, ``2026年第47周`` → ``2026-W47``."""
    if is_blank(value):
        return None
    text = nfkc_text(value)
    m = _WEEK_RE.match(text)
    if not m:
        raise ValueError(f"无法识别周次「{text}」，请写成 2026-W47")
    year, week = int(m.group(1)), int(m.group(2))
    last_week = date(year, 12, 28).isocalendar()[1]
    if not 1 <= week <= last_week:
        raise ValueError(f"{year} 年没有第 {week} 周（共 {last_week} 周）")
    return f"{year}-W{week:02d}"


_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?$")


def parse_month(value) -> str | None:
    """``2026-10``, ``2026/10``, ``2026年10月``, ``202610`` or a date → ``2026-10``."""
    if is_blank(value):
        return None
    if isinstance(value, date):
        return f"{value.year}-{value.month:02d}"
    text = nfkc_text(value)
    m = _MONTH_RE.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"无法识别月份「{text}」，请写成 2026-10")
    return f"{int(m.group(1))}-{int(m.group(2)):02d}"


def parse_text(value) -> str | None:
    text = norm_text(value)
    return text or None


PARSERS = {
    "text": parse_text,
    "enum": parse_text,
    "date": parse_date,
    "datetime": parse_datetime,
    "money": parse_money,
    "number": parse_number,
    "int": parse_int,
    "percent": parse_percent,
    "week": parse_week,
    "month": parse_month,
}


def week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week ``2026-W47``."""
    normal = parse_week(week)
    year, number = int(normal[:4]), int(normal[6:])
    monday = date.fromisocalendar(year, number, 1)
    return monday, monday + timedelta(days=6)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a month ``2026-10``."""
    normal = parse_month(month)
    year, number = int(normal[:4]), int(normal[5:])
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following - timedelta(days=1)


def iso_week(day: date) -> str:
    """The ISO week of a date: ``2026-11-26`` → ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def previous_month(day: date) -> str:
    """The month before the one ``day`` falls in: ``2026-11-26`` → ``2026-10``."""
    last = day.replace(day=1) - timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


# Characters a terminal acts on instead of showing: C0/C1 controls (ESC starts
# escape sequences), DEL, and the bidirectional overrides that reorder text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_char(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text) -> str:
    r"""``text`` safe to print to a terminal: control characters shown escaped.

    >>> printable("a\x1b[2Jb")
    'a\\x1b[2Jb'
    """
    text = str(text)
    return _UNPRINTABLE.sub(_escape_char, text) if _UNPRINTABLE.search(text) else text


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell Excel will not run as a formula: text starting with = + - @ gets a ``'``.

    Numbers are left alone. ``csv_uncell`` undoes it.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_uncell(text: str) -> str:
    """The text ``csv_cell`` escaped, as it was."""
    escaped = text.startswith("'") and text.lstrip("'").startswith(_FORMULA_START)
    return text[1:] if escaped else text
