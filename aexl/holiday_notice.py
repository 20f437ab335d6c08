"""The State Council's yearly holiday notice, and the statutory holidays before it comes.

``parse_notice(text)`` reads 国务院办公厅关于 YYYY 年部分节假日安排的通知 as
published (pasted into a text file, full- or half-width punctuation) into
节假日 rows: every day off (放假) and every make-up working day (调休上班).
Only the numbered items (「一、元旦：…」) are read; in each, a sentence with
「放假」 gives a day or a range (``2月15日（…）至23日（…）``, ``5月31日至6月2日``),
a sentence with 「上班」 lists working days (``2月14日（周六）、2月28日（周六）``).
Other sentences (「鼓励…除夕休息」) are not days off. A weekday written in
brackets is checked against the date, so a notice of another year is caught.

``statutory_days(year)`` is the fallback for a year no notice is known for:
the 13 days of 《全国年节及纪念日放假办法》 (as amended in 2024, in force since
2025): 元旦 1 January; 春节 除夕 to 正月初三 (4 days); 清明 (the solar term);
劳动节 1–2 May; 端午 (五月初五); 中秋 (八月十五); 国庆 1–3 October. Lunar
dates and 清明 come from ``lunar-python``. A statutory day on a weekend is
made up on the next weekday that is not already off (补假, as the 办法 says).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from aexl.errors import UsageError

OFF, WORK = "放假", "调休上班"
# 「一、元旦：…」 up to the next numbered item; an item starts a line or follows a 。
_ITEM_START = r"(?:^|(?<=\n)|(?<=。))\s*[一二三四五六七八九十]+、"
_ITEM_RE = re.compile(_ITEM_START + r"\s*([^:\n。]+?)\s*:(.*?)(?=" + _ITEM_START + r"|\Z)", re.S)
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?"
_DATE_RE = re.compile(_DATE)
_RANGE_RE = re.compile(_DATE + r"(?:\s*至\s*" + _DATE + ")?")
_YEAR_RE = re.compile(r"(?:关于|现将)\s*(\d{4})\s*年")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_RE = re.compile(r"(?:周|星期)([一二三四五六日天])")
FIRST_STATUTORY_YEAR = 2025  # the 2024 amendment's 13 days


# Completeness of a year typed into 节假日 (``sheet_year_gaps``). The State
# Council notice always holds the 7 holidays, about 27–30 calendar days off.
# Counted are the days off that fall on weekdays, so a sheet that lists only
# those (weekends rest anyway) is not flagged: the statutory days alone are
# 13 since 2025 (11 before) and are moved onto weekdays when they fall on a
# weekend; the notices of 2010–2026 give 16–23 such days a year.
MIN_WEEKDAYS_OFF = 13
# 春节 (the New Year's Day falls between 21 January and 20 February; the
# break starts at most a day before it) and 国庆 (1–3 October are always
# statutory days off): at least ``MIN_PERIOD_DAYS_OFF`` days off in each window.
SPRING_FESTIVAL_WINDOW = ((1, 20), (2, 28))
NATIONAL_DAY_WINDOW = ((10, 1), (10, 7))
MIN_PERIOD_DAYS_OFF = 3


@dataclass(frozen=True)
class HolidayRow:
    day: date
    kind: str  # 放假 / 调休上班
    note: str


_KIND_WORDS = {
    "放假": False,
    "休息": False,
    "假期": False,
    "休假": False,
    "调休上班": True,
    "上班": True,
    "补班": True,
    "调休补班": True,
}


def holiday_kind(text) -> bool | None:
    """True for a make-up working day (调休上班), False for a day off (放假), None otherwise."""
    if text is None:
        return None
    key = "".join(str(text).split())
    return _KIND_WORDS.get(key)


def notice_year(text: str) -> int | None:
    """The year a notice is about (``关于2026年部分节假日安排``), or None."""
    match = _YEAR_RE.search(unicodedata.normalize("NFKC", text))
    return int(match.group(1)) if match else None


def parse_notice(text: str, year: int | None = None) -> list[HolidayRow]:
    """The 节假日 rows of a notice, sorted by date. UsageError when nothing can be read."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n")
    year = year or notice_year(text)
    if year is None:
        raise UsageError(
            "通知中找不到年份（应有「关于2027年部分节假日安排」字样），请用 --year 指定，如 --year 2027"
        )
    rows: dict[date, HolidayRow] = {}
    for name, body in _ITEM_RE.findall(text):
        name = name.strip()
        note = f"{year}年{name}（国务院办公厅通知）"
        for sentence in re.split(r"[。;\n]", body):
            for day, kind in _sentence_days(sentence, year, name):
                rows[day] = HolidayRow(day, kind, note)
    if not rows:
        raise UsageError(
            "没有从通知中读到任何放假日期：请粘贴通知正文（含「一、元旦：1月1日放假…」各条）"
        )
    return sorted(rows.values(), key=lambda r: r.day)


def _sentence_days(sentence: str, year: int, name: str) -> list[tuple[date, str]]:
    if "上班" in sentence:
        return [(d, WORK) for d in _dates(sentence, year, name)]
    if "放假" not in sentence:
        return []  # 鼓励…休息, 不调休, 共N天 and the like name no days
    days: list[tuple[date, str]] = []
    for match in _RANGE_RE.finditer(sentence.split("放假")[0]):
        first = _to_date(match.groups()[:4], year, None, name)
        last = first
        if match.group(7):
            last = _to_date(match.groups()[4:], first.year, first.month, name)
        if last < first or (last - first).days > 20:
            raise UsageError(f"「{name}」的放假日期「{match.group(0)}」看起来不对，请核对通知原文")
        days += [(first + timedelta(days=i), OFF) for i in range((last - first).days + 1)]
    return days


def _dates(sentence: str, year: int, name: str) -> list[date]:
    out, month = [], None
    for match in _DATE_RE.finditer(sentence):
        day = _to_date(match.groups(), year, month, name)
        month = day.month
        out.append(day)
    return out


def _to_date(groups, year: int, month: int | None, name: str) -> date:
    y, m, d, bracket = groups
    y = int(y) if y else year
    m = int(m) if m else month
    if m is None:
        raise UsageError(f"「{name}」中的日期「{d}日」没有写月份，请核对通知原文")
    try:
        day = date(y, m, int(d))
    except ValueError:
        raise UsageError(f"「{name}」中的日期 {y}年{m}月{d}日 不存在，请核对通知原文") from None
    weekday = _WEEKDAY_RE.search(bracket or "")
    if weekday and _WEEKDAYS[weekday.group(1)] != day.weekday():
        raise UsageError(
            f"「{name}」中 {m}月{d}日 注明「{weekday.group(0)}」，但 {y} 年的这一天不是{weekday.group(0)}："
            "通知的年份不对，或用 --year 指定了别的年份"
        )
    return day


# ---- the statutory days, for a year no notice is known for ---------------------------------


def statutory_days(year: int) -> dict[date, str]:
    """The statutory days off of ``year`` (name by date), with 补假 for those on weekends."""
    from lunar_python import Lunar

    new_year = Lunar.fromYmd(year, 1, 1).getSolar()
    spring = date(new_year.getYear(), new_year.getMonth(), new_year.getDay())
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]

    def lunar(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    days = {date(year, 1, 1): "元旦"}
    eve = spring - timedelta(days=1)  # 除夕: the day before 正月初一
    days.update({eve + timedelta(days=i): "春节" for i in range(4)})
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days.update({date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"})
    days[lunar(5, 5)] = "端午节"
    days[lunar(8, 15)] = "中秋节"
    days.update({date(year, 10, d): "国庆节" for d in (1, 2, 3)})
    return _with_makeup_days({d: n for d, n in days.items() if d.year == year})


def _with_makeup_days(days: dict[date, str]) -> dict[date, str]:
    out = dict(days)
    for day, name in sorted(days.items()):
        if day.weekday() >= 5:
            extra = day + timedelta(days=1)
            while extra.weekday() >= 5 or extra in out:
                extra += timedelta(days=1)
            if extra.year == day.year:
                out[extra] = f"{name}（补假）"
    return out


# ---- completeness of a year typed into 节假日 ------------------------------------------


def sheet_year_gaps(extra: Mapping[date, bool], year: int) -> list[str]:
    """What looks missing from ``year`` in 节假日 entries (date -> working?), in Chinese.

    Empty when the year looks complete. See ``MIN_WEEKDAYS_OFF``,
    ``SPRING_FESTIVAL_WINDOW``, ``NATIONAL_DAY_WINDOW``.
    """
    off = sorted(d for d, working in extra.items() if d.year == year and not working)
    gaps = []
    weekdays_off = sum(d.weekday() < 5 for d in off)
    if weekdays_off < MIN_WEEKDAYS_OFF:
        gaps.append(f"只登记了 {weekdays_off} 个周一至周五的放假日（全年通常有 16 个以上）")
    for name, ((m1, d1), (m2, d2)) in (
        ("春节", SPRING_FESTIVAL_WINDOW),
        ("国庆节", NATIONAL_DAY_WINDOW),
    ):
        lo, hi = date(year, m1, d1), date(year, m2, d2)
        if sum(lo <= d <= hi for d in off) < MIN_PERIOD_DAYS_OFF:
            gaps.append(f"没有{name}的放假日期")
    return gaps


# ---- into the workbench ------------------------------------------------------------------------


def plan_rows(rows: list[HolidayRow], existing) -> tuple[list[HolidayRow], list[HolidayRow]]:
    """(rows to add, rows already there) given the 节假日 frame; UsageError on a conflict."""

    have: dict[date, tuple[bool | None, int]] = {}
    if existing is not None and len(existing):
        for day, kind, row in zip(
            existing["日期"], existing["类型"], existing["_row"], strict=True
        ):
            if isinstance(day, date):
                have[day] = (holiday_kind(kind), row)
    new, known = [], []
    for item in rows:
        if item.day not in have:
            new.append(item)
            continue
        working, row = have[item.day]
        if working != (item.kind == WORK):
            raise UsageError(
                f"「节假日」表第 {row} 行已把 {item.day.isoformat()} 登记为另一种类型，"
                f"与通知（{item.kind}）不同；请核对后删除或改正该行，再导入"
            )
        known.append(item)
    return new, known


def holiday_records(rows: list[HolidayRow]) -> list[dict]:
    """The 节假日 register's records of ``rows`` (for ``aexl.workbook.append``)."""
    return [{"日期": item.day, "类型": item.kind, "说明": item.note} for item in rows]
