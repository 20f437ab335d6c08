"""The due list out: a terminal table, JSON rows, an .xlsx (one sheet per person), an .ics.

The .ics (RFC 5545) is written with the ``icalendar`` package. Every item is
an event ending at its deadline (``EVENT_MINUTES`` long) in Asia/Shanghai
time with a VTIMEZONE, and two reminders: ``REMIND_BEFORE`` before it, and
09:00 on the working day before (counted on the work calendar, so a
deadline after 国庆 is announced on the last working day before the break).
The UID is a hash of (workbench, item kind, job or brand, the item's key: the
meeting time, the week, the month, the revision …), so importing a newer
list updates the events instead of adding copies; SEQUENCE grows with the
time the file was written, which is what Outlook needs to take the update.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from aexl.planning.due import DueItem

HEADERS = ["时间", "事项", "工作号", "品牌", "负责人", "依据", "说明", "状态"]
WIDTHS = [17, 14, 17, 10, 18, 26, 46, 18]
MIN_PRINT_SCALE = 0.8  # a person's list is shrunk onto one page only while text stays ≥ 8 pt
TZ_NAME = "Asia/Shanghai"
EVENT_MINUTES = 30
REMIND_BEFORE = timedelta(hours=1)
REMIND_AT = time(9, 0)
UID_DOMAIN = "aexl"
NOBODY = "（未指定）"


def state_of(item: DueItem, as_of: datetime | None = None, calendar=None) -> str:
    """「今天到期」「还剩 N 个工作日」「已逾期 N 个工作日」 counted from ``as_of`` on the work
    calendar (without ``as_of``: 「逾期」 or nothing), then 「暂定」 when the date is."""
    parts = [_timing(item, as_of, calendar)] if as_of else ["逾期"] if item.overdue else []
    if item.provisional:
        parts.append("暂定")
    return "、".join(p for p in parts if p)


def _timing(item: DueItem, as_of: datetime, calendar) -> str:
    due, today = item.when.date(), as_of.date()
    if due == today:
        return f"已逾期（今天 {item.when:%H:%M} 到期）" if item.overdue else "今天到期"
    first, last = (due, today) if item.overdue else (today, due)
    try:
        n = calendar.workdays(first, last) - calendar.is_workday(first)
        unit = "个工作日"
    except Exception:  # no calendar, or a year it cannot count: calendar days say enough
        n, unit = (last - first).days, "天"
    if item.overdue:
        return f"已逾期 {max(n, 1)} {unit}"
    return f"还剩 {n} {unit}" if n else f"还剩 {(last - first).days} 天"


def provisional_notes(items: list[DueItem]) -> list[str]:
    """The 「暂定」 notes (``WorkCalendar.provisional_note``), once per distinct note."""
    notes = dict.fromkeys(i.provisional_note for i in items if i.provisional)
    return [f"{note}。" for note in notes if note]


def item_row(item: DueItem, as_of: datetime | None = None, calendar=None, state=None) -> list:
    """The cells of one item (``HEADERS``); ``state``: its ``state_of`` when known."""
    return [
        item.when,
        item.label,
        item.job,
        item.brand,
        item.who or NOBODY,
        item.clause,
        item.what,
        state_of(item, as_of, calendar) if state is None else state,
    ]


def item_rows(items: list[DueItem], as_of: datetime | None = None, calendar=None) -> list[list]:
    """``item_row`` of each item; items due at the same moment share one ``state_of``."""
    states: dict[tuple, str] = {}
    out = []
    for item in items:
        key = (item.when, item.overdue, item.provisional)
        if key not in states:
            states[key] = state_of(item, as_of, calendar)
        out.append(item_row(item, state=states[key]))
    return out


# --- terminal ---------------------------------------------------------------------------
def printable(value) -> str:
    """A cell for the terminal: control characters shown as ``\\x1b``, never sent raw."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    text = "" if value is None else str(value)
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(items: list[DueItem], header: str = "", *, as_of=None, calendar=None) -> str:
    """Aligned table (CJK-aware); the last column (说明) is not padded; 状态 as of ``as_of``."""
    lines = [header] if header else []
    if not items:
        lines.append("这段时间没有到期或逾期的事项。")
        return "\n".join(lines)
    order = [0, 7, 1, 2, 3, 4, 5, 6]  # 时间 状态 事项 工作号 品牌 负责人 依据 说明
    head = [HEADERS[i] for i in order]
    body = [[printable(row[n]) for n in order] for row in item_rows(items, as_of, calendar)]
    sizes = [max(_width(r[c]) for r in [head, *body]) for c in range(len(head) - 1)]
    for r in [head, *body]:
        cells = [r[c] + " " * (sizes[c] - _width(r[c])) for c in range(len(sizes))]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    overdue = sum(i.overdue for i in items)
    lines.append(f"共 {len(items)} 项，其中逾期 {overdue} 项。")
    lines.extend(provisional_notes(items))
    return "\n".join(lines)


def as_json(items: list[DueItem]) -> list[dict]:
    return [i.as_dict() for i in items]


# --- xlsx ---------------------------------------------------------------------------------
def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in printable(name)).strip("'") or NOBODY
    clean = clean[:31]
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def by_person(items: list[DueItem]) -> dict[str, list[DueItem]]:
    """Each person named on an item (负责人 or one of the 执行人员) → their items."""
    out: dict[str, list[DueItem]] = {}
    for item in items:
        for name in item.people or [NOBODY]:
            out.setdefault(name, []).append(item)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == NOBODY, kv[0])))


def write_xlsx(
    items: list[DueItem], path, *, title_line: str = "", as_of=None, calendar=None
) -> Path:
    """One sheet 全部 plus one sheet per person; 状态 counted from ``as_of`` on ``calendar``;
    written atomically."""
    from aexl.workbook.write import DATETIME_FORMAT, Book

    book = Book(path, title="待办事项", subject="AE 待办清单", description=title_line)
    taken: set[str] = set()
    groups = {"全部": items, **by_person(items)}
    # each item's cells, for 全部 and for the sheet of each person it names
    cells = dict(zip(map(id, items), item_rows(items, as_of, calendar), strict=True))
    heights = dict(zip(cells, _row_heights(cells.values()), strict=True))
    for name, mine in groups.items():
        sheet = book.sheet(sheet_name(name, taken))
        title = "待办事项" if name == "全部" else f"待办事项：{name}"
        lines = [title_line] if title_line else []
        lines.append(f"共 {len(mine)} 项，逾期 {sum(i.overdue for i in mine)} 项")
        lines.extend(provisional_notes(mine))
        rows = [cells[id(i)] for i in mine]
        top = sheet.listing(title, lines, HEADERS, rows, formats={0: DATETIME_FORMAT})
        sheet.set_widths(WIDTHS)
        _fit_rows(sheet, top, [heights[id(i)] for i in mine], one_page=name != "全部")
    return book.save()


def _row_heights(rows) -> list[float]:
    """The height each row's wrapped text needs (points): its tallest text, each distinct
    text of a column measured once (labels, names and states repeat row after row)."""
    from aexl.reports.layout import DEFAULT_ROW_PT, text_height

    measured: dict[tuple[int, str], float] = {}  # (column, text) → height
    out = []
    for values in rows:
        heights = []
        for key in enumerate(values):
            if isinstance(key[1], str) and key[1]:
                if key not in measured:
                    measured[key] = text_height(key[1], WIDTHS[key[0]])
                heights.append(measured[key])
        out.append(max(heights, default=DEFAULT_ROW_PT))
    return out


def _fit_rows(sheet, top: int, heights: list[float], *, one_page: bool) -> None:
    """Heights for wrapped cells (LibreOffice and WPS do not grow rows themselves); a
    person's list shrunk onto one page when its text stays at least 8 pt there."""
    from aexl.reports.layout import A4_PT, DEFAULT_ROW_PT, page_height
    from aexl.workbook.write import MARGINS

    total = 28 + DEFAULT_ROW_PT * top  # the title block and the header row
    for n, height in enumerate(heights):
        if height > 18:
            sheet.set_height(top + 1 + n, height)
        total += max(height, DEFAULT_ROW_PT)
    paper = A4_PT[1] - 72 * (MARGINS["left"] + MARGINS["right"])
    width_scale = min(1.0, paper / (sum(w * 7 + 5 for w in WIDTHS) * 0.75))
    if one_page and total <= page_height(sheet) * width_scale / MIN_PRINT_SCALE:
        sheet.ws.fit_to_pages(1, 1)


# --- ics -----------------------------------------------------------------------------------
def uid_of(item: DueItem) -> str:
    """Stable: (the item's workbench, kind, job or brand, key) — not the time, which may move."""
    parts = (item.source, item.kind, item.job or item.brand, item.key)
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@{UID_DOMAIN}"


def ics_calendar(items: list[DueItem], calendar, *, workbench: str = "", now=None):
    """An ``icalendar.Calendar`` of the items (see the module docstring)."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    tz = ZoneInfo(TZ_NAME)
    now = now or datetime.now(tz)
    cal = Calendar()
    cal.add("prodid", "-//aexl//AE 待办//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"AE待办 {workbench}".strip())
    cal.add("x-wr-timezone", TZ_NAME)
    sequence = int(
        (now.astimezone(tz).replace(tzinfo=None) - datetime(2020, 1, 1)).total_seconds() // 60
    )
    for item in items:
        cal.add_component(_event(item, calendar, tz, now, sequence))
    cal.add_missing_timezones()
    return cal


def _event(item: DueItem, calendar, tz, now, sequence: int):
    from icalendar import Alarm, Event

    end = item.when.replace(tzinfo=tz)
    event = Event()
    event.add("uid", uid_of(item))
    event.add("dtstamp", now)
    event.add("sequence", sequence)
    event.add("dtstart", end - timedelta(minutes=EVENT_MINUTES))
    event.add("dtend", end)
    subject = f"{item.label}：{item.job or item.brand}".rstrip("：")
    event.add("summary", ("【暂定】" if item.provisional else "") + subject)
    note = [item.what, f"依据：守则 {item.clause}", f"负责人：{item.who or NOBODY}"]
    if item.ref:
        note.append(f"记录：{item.ref}")
    if item.provisional and item.provisional_note:
        note.append(item.provisional_note)
    event.add("description", "\n".join(printable(n) for n in note))
    event.add("categories", [item.label])
    if item.provisional:
        event.add("status", "TENTATIVE")
    for trigger in _reminders(item, calendar, tz):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", printable(subject))
        if isinstance(trigger, datetime):  # RFC 5545 3.8.6.3: an absolute trigger in UTC
            alarm.add("trigger", trigger, parameters={"VALUE": "DATE-TIME"})
        else:
            alarm.add("trigger", trigger)
        event.add_component(alarm)
    return event


def _reminders(item: DueItem, calendar, tz) -> list:
    """-1 h before the event, and 09:00 (UTC in the file) on the working day before."""

    triggers = [-REMIND_BEFORE]
    try:
        day = calendar.previous_workday(item.when.date())
    except Exception:  # a year the calendar does not know: the relative reminder stays
        return triggers
    at = datetime.combine(day, REMIND_AT, tzinfo=tz).astimezone(UTC)
    triggers.append(at)
    return triggers


def write_ics(items: list[DueItem], path, calendar, *, workbench: str = "", now=None) -> Path:
    from aexl.workbook.write import atomic_write_bytes

    data = ics_calendar(items, calendar, workbench=workbench, now=now).to_ical()
    return atomic_write_bytes(data, path)
