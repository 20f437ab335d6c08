"""Job numbers (工作号): parse, format, allocate, check (PRODUCT.md §2).

``品牌代码 + 产品线代码 + 年份 + 号码``, e.g. 美的 / 空调 / 2026 / first job →
``MDKT2026001``. 年份 is the year of 开单日期; 号码 is a per (品牌代码,
产品线代码, 年份) serial, three digits zero-padded and growing to four (or
more) past 999. The next number is the highest issued + 1, so a number is
never reused, not even when its job was cancelled.

Pure functions over plain values; the worksheet functions call them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from aexl.errors import JobNumberError
from aexl.values import norm_text

MIN_YEAR, MAX_YEAR = 1900, 2199
_PREFIX_RE = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]*")
_DIGITS_TAIL = re.compile(r"^(.*?[A-Z][A-Z0-9]*?)(\d{7,})$")
_EXAMPLE = "如 MDKT2026001（品牌代码 MD + 产品线代码 KT + 年份 2026 + 号码 001）"


@dataclass(frozen=True, order=True)
class JobNo:
    """A parsed job number: prefix (brand code + line code), year, serial."""

    prefix: str
    year: int
    serial: int

    @property
    def text(self) -> str:
        return f"{self.prefix}{self.year}{self.serial:03d}"

    def __str__(self) -> str:
        return self.text


def normalize_jobno(text) -> str:
    """NFKC, upper-case, spaces removed: how a typed job number is compared."""
    return "".join(norm_text(text).split()).upper()


def _split_tail(digits: str) -> tuple[int, int] | None:
    """Year (4 digits) + serial (3 digits, or more without a leading zero)."""
    if len(digits) < 7:
        return None
    year, serial = digits[:4], digits[4:]
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    if len(serial) > 3 and serial[0] == "0":
        return None
    if int(serial) < 1:
        return None
    return int(year), int(serial)


def parse_jobno(text, prefix: str | None = None) -> JobNo:
    """Parse ``MDKT2026001``; raises JobNumberError with a Chinese reason.

    With ``prefix`` (brand code + line code) the split is exact; without
    it the prefix ends where a plausible year (1900–2199) followed by the
    serial begins, which also works for codes ending in a digit (``X7``).
    """
    normal = normalize_jobno(text)
    if not normal:
        raise JobNumberError("工作号是空的")
    if prefix is not None:
        prefix = normalize_jobno(prefix)
        if not normal.startswith(prefix):
            raise JobNumberError(f"工作号「{normal}」应以 {prefix} 开头")
        parts = _split_tail(normal[len(prefix) :]) if normal[len(prefix) :].isdigit() else None
        if parts is None:
            raise JobNumberError(f"工作号「{normal}」格式不对，{prefix} 后应是 4 位年份和 3 位号码")
        return JobNo(prefix, *parts)
    m = _DIGITS_TAIL.match(normal)
    if m and _PREFIX_RE.fullmatch(m.group(1)):
        head, digits = m.groups()
        # digits the prefix may end with, moved back one at a time
        for cut in range(0, len(digits) - 6):
            parts = _split_tail(digits[cut:])
            if parts:
                return JobNo(head + digits[:cut], *parts)
    raise JobNumberError(f"工作号「{normal}」格式不对，应为代码 + 4 位年份 + 3 位号码，{_EXAMPLE}")


def format_jobno(brand_code: str, line_code: str, year: int, serial: int) -> str:
    """``format_jobno("MD", "KT", 2026, 1) == "MDKT2026001"``."""
    prefix = normalize_jobno(brand_code) + normalize_jobno(line_code)
    if not _PREFIX_RE.fullmatch(prefix):
        raise JobNumberError(
            f"代码「{prefix}」不对：品牌代码和产品线代码只能由大写字母和数字组成，且至少有一个字母"
        )
    year, serial = int(year), int(serial)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise JobNumberError(f"年份 {year} 不对，应为开单日期的 4 位年份")
    if serial < 1:
        raise JobNumberError(f"号码 {serial} 不对，号码从 1 开始")
    return JobNo(prefix, year, serial).text


def issued_serials(issued: Iterable, prefix: str, year: int) -> list[int]:
    """Serials already used under ``prefix`` + ``year``; blanks and other numbers ignored."""
    prefix = normalize_jobno(prefix)
    serials = []
    for text in issued:
        normal = normalize_jobno(text)
        if not normal.startswith(prefix) or not normal[len(prefix) :].isdigit():
            continue
        parts = _split_tail(normal[len(prefix) :])
        if parts and parts[0] == int(year):
            serials.append(parts[1])
    return serials


def next_serial(issued: Iterable, prefix: str, year: int) -> int:
    return max(issued_serials(issued, prefix, year), default=0) + 1


def next_jobno(issued: Iterable, brand_code: str, line_code: str, year: int) -> str:
    """The highest issued number of (brand code, line code, year) + 1."""
    return next_jobnos(issued, brand_code, line_code, year, 1)[0]


def next_jobnos(
    issued: Iterable, brand_code: str, line_code: str, year: int, count: int = 1
) -> list[str]:
    """The next ``count`` numbers of (brand code, line code, year), consecutive.

    They start after the highest issued one, so several new rows numbered at
    once never share a number and never fill a gap a cancelled job left.
    """
    prefix = normalize_jobno(brand_code) + normalize_jobno(line_code)
    first = next_serial(issued, prefix, year)
    return [format_jobno(brand_code, line_code, year, first + n) for n in range(count)]


def jobno_problem(jobno, brand_code: str, line_code: str, year: int | None) -> str:
    """``""`` when the job number agrees with the codes and year, else the reason in Chinese."""
    normal = normalize_jobno(jobno)
    if not normal:
        return "工作号是空的，请填写（可用「新建工作号」生成）"
    prefix = normalize_jobno(brand_code) + normalize_jobno(line_code)
    try:
        parsed = parse_jobno(normal)
    except JobNumberError as exc:
        if not normal.startswith(prefix):
            return f"{exc.message}；本行应以 {prefix} 开头"
        return exc.message
    if parsed.prefix != prefix:
        try:
            parsed = parse_jobno(normal, prefix)
        except JobNumberError:
            return (
                f"工作号「{normal}」的代码是 {parsed.prefix}，与本行品牌和产品线的代码 {prefix}"
                f"（品牌代码 {normalize_jobno(brand_code)} + 产品线代码 {normalize_jobno(line_code)}）不一致"
            )
    if year is not None and parsed.year != int(year):
        return f"工作号「{normal}」中的年份 {parsed.year} 与开单日期的年份 {int(year)} 不一致"
    return ""


def next_revision_number(revisions, jobno: str) -> int:
    """The next 修改序号 of ``jobno``: its highest 修改序号 in 修改单 + 1.

    Job numbers compare as ``normalize_jobno`` has them; blank 序号 are
    skipped (``aexl check`` validates the same sequence in ``validate_jobs``).
    """
    from aexl.values import is_blank

    used = [
        int(n)
        for j, n in zip(revisions["原工作号"], revisions["修改序号"], strict=True)
        if normalize_jobno(j) == jobno and not is_blank(n)
    ]
    return max(used, default=0) + 1


# ---------------------------------------------------------------------------
# The ledger of issued numbers, kept inside the workbench

LEDGER_SHEET = "_工作号台账"  # very hidden: users cannot unhide it from Excel's menus
LEDGER_HEADERS = ("工作号", "签发时间", "签发人", "品牌", "产品线", "项目名称")
UNKNOWN_USER = "未知用户"


@dataclass(frozen=True)
class LedgerEntry:
    """One issued number as the ledger records it (Excel row ``row`` of the ledger sheet)."""

    jobno: str
    issued_at: str
    user: str
    row: int


@dataclass(frozen=True)
class SharedJobno:
    """A job number used by more than one workbench."""

    jobno: str
    books: tuple[str, ...]


def current_user() -> str:
    """The operating-system user name (Windows or POSIX), e.g. 张伟; 未知用户 if none."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment nor in the password database
        return UNKNOWN_USER
    return norm_text(name) or UNKNOWN_USER


def ledger_row(jobno: str, issued_at: str, user: str, brand="", line="", project="") -> list[str]:
    """The ledger row of a newly issued number, in ``LEDGER_HEADERS`` order."""
    return [normalize_jobno(jobno), issued_at, user, norm_text(brand), norm_text(line),
            norm_text(project)]  # fmt: skip


def ledger_entries(rows: Iterable[Iterable]) -> list[LedgerEntry]:
    """Entries from the ledger sheet's rows (row 1 is the header); blank numbers skipped."""
    out = []
    for number, row in enumerate(rows, start=1):
        cells = [norm_text(v) for v in row] + [""] * len(LEDGER_HEADERS)
        if number == 1 or not normalize_jobno(cells[0]):
            continue
        out.append(LedgerEntry(normalize_jobno(cells[0]), cells[1], cells[2], number))
    return out


def read_ledger(path) -> list[LedgerEntry]:
    """The ledger of the workbench at ``path`` ([] when it has none yet).

    Raises InputFileError when the workbook cannot be read, SheetError when the ledger
    sheet is past the reading caps.
    """
    from aexl.workbook.read import open_calamine, sheet_rows

    book = open_calamine(path)
    if LEDGER_SHEET not in book.sheet_names:
        return []
    return ledger_entries(sheet_rows(book, LEDGER_SHEET))  # its extent checked like a register's


def book_jobnos(path) -> set[str]:
    """Every job number the workbench at ``path`` has used: 工作单 rows and its ledger."""
    from aexl.workbook.read import read_workbench

    frame = read_workbench(path, sheets=("工作单",)).frame("工作单")
    numbers = {normalize_jobno(n) for n in frame["工作号"]}
    numbers |= {e.jobno for e in read_ledger(path)}
    return {n for n in numbers if n}


def duplicate_jobnos(books) -> list[SharedJobno]:
    """Job numbers that appear in more than one workbench, sorted by number.

    ``books`` holds workbench paths (their 工作单 rows and ledger are read) or
    ``(label, numbers)`` pairs for numbers already read. Two clients' brands
    can share a code, so the same number may be issued in two workbenches.
    """
    from pathlib import Path

    where: dict[str, list[str]] = {}
    for book in books:
        if isinstance(book, str | Path):
            label, numbers = Path(book).name, book_jobnos(book)
        else:
            label, numbers = book[0], {normalize_jobno(n) for n in book[1]}
        for number in sorted(n for n in numbers if n):
            names = where.setdefault(number, [])
            if label not in names:
                names.append(label)
    return [SharedJobno(n, tuple(b)) for n, b in sorted(where.items()) if len(b) > 1]
